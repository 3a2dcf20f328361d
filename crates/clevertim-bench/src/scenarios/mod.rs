//! Every scenario: what the SDK does, beside the ceiling it is measured against.

mod blocking;
mod concurrency;
mod decode;
mod encode;
mod isahc;
mod overhead;
pub(crate) mod plain_main;
mod relations;
mod shared_cache;
mod sync;

use std::future::Future;

use bytes::Bytes;
use clevertim::Contact;

use crate::Result;
use crate::clients::decode_contact;
use crate::report::Row;
use crate::runner::Sample;
use crate::servers::{Counters, round};

/// How big a run is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Config {
    /// Tiny sizes and few rounds: a smoke test of every path, not a measure.
    pub(crate) quick: bool,
}

impl Config {
    /// `full` normally, `quick` under `--quick`.
    pub(crate) fn size(&self, full: u64, quick: u64) -> u64 {
        if self.quick { quick } else { full }
    }

    /// Measured rounds (a warm-up round comes first).
    pub(crate) fn rounds(&self, full: usize) -> usize {
        if self.quick { 2 } else { full }
    }
}

/// A scenario: its name (what the command line selects) and how to run it.
pub(crate) struct Scenario {
    /// The name in the report and on the command line.
    pub(crate) name: &'static str,
    /// What it measures, in one line.
    pub(crate) about: &'static str,
    /// Runs it and returns its rows.
    pub(crate) run: fn(&Config) -> Result<Vec<Row>>,
}

/// Every scenario, in report order.
pub(crate) const ALL: &[Scenario] = &[
    decode::SCENARIO,
    encode::SCENARIO,
    overhead::SCENARIO,
    concurrency::SCENARIO,
    isahc::SCENARIO,
    blocking::HYPER,
    blocking::ISAHC,
    plain_main::SCENARIO,
    relations::SCENARIO,
    sync::SCENARIO,
    shared_cache::SCENARIO,
];

/// The scenarios `names` select (all when empty): a name selects the scenario of that name
/// and those it prefixes before a `-` (`blocking` selects `blocking-hyper` and
/// `blocking-isahc`).
pub(crate) fn select(names: &[String]) -> Result<Vec<&'static Scenario>> {
    if names.is_empty() {
        return Ok(ALL.iter().collect());
    }
    let mut chosen: Vec<&'static Scenario> = Vec::new();
    for name in names {
        let matching: Vec<_> = ALL
            .iter()
            .filter(|s| {
                s.name == name
                    || s.name
                        .strip_prefix(name.as_str())
                        .is_some_and(|rest| rest.starts_with('-'))
            })
            .collect();
        if matching.is_empty() {
            let known: Vec<_> = ALL.iter().map(|s| s.name).collect();
            return Err(format!("no scenario {name:?}; known: {}", known.join(", ")).into());
        }
        for s in matching {
            if !chosen.iter().any(|c| c.name == s.name) {
                chosen.push(s);
            }
        }
    }
    // Report order, whatever the order on the command line.
    chosen.sort_by_key(|s| ALL.iter().position(|a| a.name == s.name));
    Ok(chosen)
}

/// The hyper transport as it was before its HTTP/1.1 connections were driven by the
/// requests: hyper-util's pooled client, each connection a task spawned on the runtime.
/// Measured beside the default one in the same rounds, to show what that change does.
pub(crate) fn pooled_hyper() -> Result<clevertim::transports::HyperTransport> {
    Ok(clevertim::transports::HyperTransport::builder()
        .inline_http1(false)
        .build()?)
}

/// A multi-thread runtime with the defaults of `#[tokio::main]` (one worker per core): the
/// flavour users run, so the flavour every async side of a comparison runs in (TRAPS 12).
pub(crate) fn user_runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// A round of `per_round` sequential `load::<Contact>(1)` through `session` (cache off in every
/// scenario that uses it), from `runtime`'s `block_on` as a plain `#[tokio::main]` runs it.
fn session_loads(
    server: &dyn Counters,
    runtime: &tokio::runtime::Runtime,
    session: &clevertim::Session,
    per_round: u64,
) -> Result<Sample> {
    round(server, || {
        runtime.block_on(async {
            for _ in 0..per_round {
                let contact: Contact = session.load(1).await?;
                std::hint::black_box(contact);
            }
            Ok(())
        })
    })
}

/// A round of `per_round` sequential answers from a bare client (`send` sends the request the
/// SDK would), each decoded into a `Contact` as the SDK decodes it.
fn bare_loads<Fut: Future<Output = Result<Bytes>>>(
    server: &dyn Counters,
    runtime: &tokio::runtime::Runtime,
    per_round: u64,
    send: impl Fn() -> Fut,
) -> Result<Sample> {
    round(server, || {
        runtime.block_on(async {
            for _ in 0..per_round {
                let body = send().await?;
                std::hint::black_box(decode_contact(&body)?);
            }
            Ok(())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_select_scenarios_and_their_variants() {
        let names = |v: &[&str]| -> Vec<&str> {
            select(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap()
                .iter()
                .map(|s| s.name)
                .collect()
        };
        assert_eq!(names(&["blocking"]), ["blocking-hyper", "blocking-isahc"]);
        assert_eq!(names(&["relations", "decode"]), ["decode", "relations"]);
        assert_eq!(names(&[]).len(), ALL.len());
        assert!(select(&["nope".to_string()]).is_err());
    }
}
