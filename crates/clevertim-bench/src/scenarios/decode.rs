//! decode: a list of contacts (every field, plus one the SDK does not know) read into
//! `Vec<Contact>` by the session, beside `serde_json::from_slice::<Value>` of the same bytes.
//! No network: the transport is a closure handing over the body.

use std::time::Instant;

use clevertim::{Contact, transport_fn};

use super::{Config, Scenario};
use crate::Result;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, Sample, compare};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "decode",
    about: "10,000-contact list → Vec<Contact> vs serde_json::Value of the same bytes",
    run,
};

fn run(config: &Config) -> Result<Vec<Row>> {
    let contacts = config.size(10_000, 200);
    let body = crate::data::contact_list(contacts);
    let served = body.clone();
    let session = clevertim::Session::builder("KEY")
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport_fn(move |_| {
            let body = served.clone();
            async move { Ok(http::Response::new(body)) }
        }))
        .no_cache()
        .build()?;
    let expected = usize::try_from(contacts)?;
    let mut sdk = || {
        let started = Instant::now();
        let list = futures_executor::block_on(session.all::<Contact>())?;
        let elapsed = started.elapsed();
        if list.len() != expected || list[expected - 1].first_name().is_none() {
            return Err("the SDK decoded another list".into());
        }
        // Dropping is outside the time, as for the baseline.
        drop(list);
        Ok(Sample {
            elapsed,
            ..Sample::default()
        })
    };
    let mut baseline = || {
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_slice(&body)?;
        let elapsed = started.elapsed();
        if value["content"].as_array().map(Vec::len) != Some(expected) {
            return Err("serde_json decoded another list".into());
        }
        drop(value);
        Ok(Sample {
            elapsed,
            ..Sample::default()
        })
    };
    let plan = Plan {
        rounds: config.rounds(15),
        ops_per_round: 1,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    Ok(rows(
        SCENARIO.name,
        &s,
        &b,
        Speed::Millis("ms/list"),
        Target::RatioAtMost(1.0),
        false,
        Target::RatioAtMost(1.0),
    ))
}
