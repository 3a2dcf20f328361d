//! concurrency: `load_many` of many contacts (cache off, 64 in flight) through the hyper
//! transport, beside a bare hyper-util client sending the same requests 64 at a time
//! (`buffered(64)`, the order kept as `load_many` keeps it) and decoding each answer.
//!
//! Every key of a round is distinct (`load_many` loads a repeated key once), and the list
//! threshold is off: this scenario measures single loads in flight together; fetching the
//! whole list instead is the relations scenario's business.
//!
//! A third side, for reading only, is the SDK over hyper-util's pooled client
//! (`inline_http1(false)`: the hyper transport before its HTTP/1.1 connections were driven
//! by the requests).

use clevertim::{Backend, Contact};
use futures_util::{StreamExt as _, TryStreamExt as _};

use super::overhead::KEY;
use super::{Config, Scenario, pooled_hyper, user_runtime};
use crate::Result;
use crate::clients::raw_hyper::RawHyper;
use crate::clients::{decode_contact, recorded_gets};
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, compare_all};
use crate::servers::canned::{self, CannedServer};
use crate::servers::round;

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "concurrency",
    about: "20,000 loads, 64 in flight (load_many) vs bare hyper-util, 64 in flight",
    run,
};

const IN_FLIGHT: usize = 64;

fn run(config: &Config) -> Result<Vec<Row>> {
    let per_round = config.size(2_000, 200);
    let server = CannedServer::start(canned::contacts(per_round))?;
    let runtime = user_runtime()?;
    let session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(Backend::Hyper)
        .no_cache()
        .max_in_flight(IN_FLIGHT)
        .list_threshold(usize::MAX)
        .build()?;
    let keys: Vec<u64> = (1..=per_round).collect();
    let requests = recorded_gets(&server.endpoint(), KEY, keys.iter().copied())?;
    let raw = RawHyper::new();
    let pooled_session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .transport(pooled_hyper()?)
        .no_cache()
        .max_in_flight(IN_FLIGHT)
        .list_threshold(usize::MAX)
        .build()?;
    let mut pooled = || {
        round(&server, || {
            runtime.block_on(async {
                let loaded: Vec<Contact> = pooled_session.load_many(keys.iter().copied()).await?;
                if loaded.len() != keys.len() {
                    return Err("load_many lost contacts".into());
                }
                Ok(())
            })
        })
    };
    let mut sdk = || {
        round(&server, || {
            runtime.block_on(async {
                let loaded: Vec<Contact> = session.load_many(keys.iter().copied()).await?;
                if loaded.len() != keys.len() {
                    return Err("load_many lost contacts".into());
                }
                Ok(())
            })
        })
    };
    let mut baseline = || {
        round(&server, || {
            runtime.block_on(async {
                let loaded: Vec<Contact> = futures_util::stream::iter(&keys)
                    .map(|&id| {
                        let request = &requests[usize::try_from(id - 1).unwrap_or(0)];
                        let raw = &raw;
                        async move { decode_contact(&raw.send(request).await?) }
                    })
                    .buffered(IN_FLIGHT)
                    .try_collect()
                    .await?;
                if loaded.len() != keys.len() {
                    return Err("the bare client lost contacts".into());
                }
                Ok(())
            })
        })
    };
    let plan = Plan {
        rounds: config.rounds(10),
        ops_per_round: per_round,
    };
    let measured = compare_all(plan, &mut [&mut sdk, &mut baseline, &mut pooled])?;
    let [s, b, p] = measured.as_slice() else {
        return Err("three sides in, three out".into());
    };
    let mut rows = rows(
        SCENARIO.name,
        s,
        b,
        Speed::PerSecond("loads/s"),
        Target::RatioAtLeast(0.95),
        true,
        Target::Info,
    );
    rows.push(Row::new(
        SCENARIO.name,
        "loads/s, SDK over hyper-util's pooled client (before)",
        1.0 / p.per_op.median,
        1.0 / b.per_op.median,
        Target::Info,
    ));
    rows.push(Row::new(
        SCENARIO.name,
        "connections (run), SDK over hyper-util's pooled client",
        p.connections as f64,
        b.connections as f64,
        Target::Info,
    ));
    Ok(rows)
}
