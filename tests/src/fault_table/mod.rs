//! The fault table: each fault × operation → the typed outcome, the requests the server saw
//! and what the server holds afterwards; and the one runner that plays it over a transport.
//!
//! A row is played by a session whose endpoint is a [`FaultServer`] scripted for the row's
//! fault and forwarding to a [`Sandbox`]; the sandbox is then asked directly what was applied.
//! Besides the columns, every row checks the rules that hold whatever the fault:
//!
//! - the error's kind ([`Error::transport_kind`]), [`Error::is_retryable`] and
//!   [`Error::retry_after`] agree with the expected outcome; a transport error keeps the
//!   transport's own error as its `source()` and its text does not repeat it; no error text
//!   shows the API key;
//! - the cache: after a success it holds exactly what the server holds; after any failure the
//!   object is not in it (a failed load caches nothing, a failed write evicts);
//! - a `POST` is never applied twice (the count of objects it made is 0 or 1, as the row says);
//! - timing, where the fault is about time: a retry after `Retry-After` comes no earlier than
//!   asked; a wish beyond the cap fails at once.

use std::error::Error as _;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use clevertim::{
    Cache as _, CacheKey, Contact, Error, MemoryCache, RetryPolicy, TransportErrorKind,
};
use clevertim_sandbox::Sandbox;

use crate::faults::{Fault, FaultServer, Listen, Seen};
use crate::{Api, Flavour, Options};

mod checks;
mod row;
mod runner;
mod staging;
mod table;

use checks::{check_outcome, check_site, check_timing, describe};
pub use row::{Applied, Op, Outcome, Row, Wish};
pub use runner::run;
pub use staging::FaultSpec;
use staging::{BODY_LIMIT, CONNECT_TIMEOUT, HUGE, Timing};
pub use table::TABLE;

/// Generates one `#[tokio::test]` per fault of the table for a [`Flavour`]: each plays the fault's
/// rows (every operation) and names the rows that fail.
#[macro_export]
macro_rules! fault_table {
    ($kind:expr; $($fault:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $fault() {
                $crate::fault_table::run($kind, stringify!($fault)).await;
            }
        )*
    };
    ($kind:expr) => {
        $crate::fault_table!($kind;
            down,
            refused_then_up,
            connect_timeout,
            connect_timeout_then_up,
            reset_before_answer,
            reset_mid_body,
            short_body,
            stall,
            huge_body,
            busy_503_retry_after_1s,
            slow_down_429_http_date,
            busy_503_retry_after_1h,
            slow_down_429_beyond_a_500ms_cap,
            html_502,
            redirect_302,
            redirect_307,
            not_an_envelope,
            gzip_body,
        );
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_has_every_operation_once() {
        let mut faults: Vec<&str> = TABLE.iter().map(|r| r.fault).collect();
        faults.dedup();
        for fault in &faults {
            let ops: Vec<Op> = TABLE
                .iter()
                .filter(|r| r.fault == *fault)
                .map(|r| r.op)
                .collect();
            assert_eq!(ops, Op::ALL, "{fault}");
            let _ = FaultSpec::of(fault, "http://127.0.0.1:1/api");
        }
        assert_eq!(faults.len(), 18);
    }

    #[test]
    fn a_post_is_retried_only_when_nothing_was_sent() {
        for row in TABLE.iter().filter(|r| r.op == Op::SaveNew) {
            assert!(row.requests <= 1, "{row:?}");
        }
    }
}
