//! The cassette: a `Transport` that records into and replays from one file.
//!
//! The parts, in the order a test meets them:
//!
//! - [`builder`]: [`CassetteBuilder`] collects the [`Settings`](builder::Settings), resolves
//!   the [`Mode`](crate::Mode) into a [`Plan`] and opens the cassette;
//! - [`handle`]: [`Cassette`], the cheap-to-clone handle a session sends its requests to,
//!   and [`Cassette::finish`], which writes the file and reports;
//! - [`replay`]: finding the recorded answer to a request (`find`), and explaining why none
//!   fits (`unmatched`, from the closest candidates);
//! - [`record`]: sending a request through the inner transport and keeping the exchange,
//!   scrubbed of secrets;
//! - [`file`]: reading and checking a cassette file, and writing one atomically;
//! - [`report`]: what `finish` did and which interactions were never used.
//!
//! All clones of a cassette share one [`OpenCassette`](handle::OpenCassette): the settings,
//! the plan, and the [`Tape`](handle::Tape) of episodes (recorded interactions with their use
//! counts) behind a mutex.

mod builder;
mod file;
mod handle;
mod record;
mod replay;
mod report;

pub use builder::CassetteBuilder;
pub use handle::Cassette;
pub use report::{Report, UnusedInteraction};

/// What an open cassette does with a request: the [`Mode`](crate::Mode) applied to whether
/// the file existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Answer from the file only; an unknown request fails.
    ReplayOnly,
    /// Send every request to the inner transport and keep the exchanges (a fresh recording).
    RecordAll,
    /// Answer from the file what it holds; send and keep the rest.
    ReplayElseRecord,
}

impl Plan {
    /// Whether requests may reach the inner transport.
    fn records(self) -> bool {
        self != Plan::ReplayOnly
    }
}
