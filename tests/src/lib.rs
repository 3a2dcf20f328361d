//! The conformance suite: written once, run against every transport (hyper and isahc, async
//! and blocking), each talking to an in-process sandbox over loopback HTTP.
//!
//! Each `tests/it/{hyper,isahc}_{async,blocking}.rs` file instantiates the whole suite for one
//! [`Flavour`] with [`conformance_suite!`].
//!
//! `tests/it/faults.rs` is the suite of trust under real conditions, over every [`Flavour`]:
//!
//! - [`mod@fault_table`]: one declarative table of faults × operations → the typed outcome, the
//!   requests the server saw and what it holds, played by one runner through a socket-level
//!   fault-injection server ([`faults`]) in front of a sandbox ([`fault_table!`] makes one test
//!   per fault and kind);
//! - [`races`]: an answer held back while a write of the same object goes through;
//! - [`stress`]: 32 tasks on one cached session, then every object compared with the server.
//!
//! `cargo test -p clevertim-conformance --test it faults:: -- --nocapture` prints every row of the
//! table as it ran, and the stress figures.
// A test suite: a failed expectation is a panic with its reason.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod api;
pub mod fault_table;
pub mod faults;
pub mod races;
pub mod stress;
pub mod suite;

pub use api::{Api, Flavour, LazyApi, Options};

/// Generates one `#[tokio::test]` per suite case for `$kind`.
#[macro_export]
macro_rules! conformance_suite {
    ($kind:expr) => {
        $crate::conformance_suite!(@cases $kind;
            seed_walkthrough,
            crud_of_contacts,
            crud_of_companies,
            crud_of_cases,
            crud_of_opportunities,
            crud_of_tasks,
            crud_of_notes,
            crud_of_custom_fields,
            crud_of_folders,
            crud_of_files,
            crud_of_linked_files,
            custom_field_values_of_each_type,
            task_dates_and_times,
            notes_with_several_customers,
            comments_cannot_be_updated,
            users_and_groups,
            read_only_key_cannot_write,
            bad_key_is_an_authentication_error,
            missing_object_is_not_found,
            keep_alive_reuses_connections,
            sixty_four_concurrent_loads,
            nothing_listening_is_a_connect_error,
        );
    };
    (@cases $kind:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::suite::$case($kind).await;
            }
        )*
    };
}
