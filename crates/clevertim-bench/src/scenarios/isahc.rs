//! isahc: the overhead scenario over the isahc transport, beside a bare isahc client
//! configured alike, sending the byte-identical requests and decoding the same answer.

use clevertim::Backend;

use super::overhead::KEY;
use super::{Config, Scenario, bare_loads, session_loads, user_runtime};
use crate::Result;
use crate::clients::raw_isahc::RawIsahc;
use crate::clients::recorded_gets;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, compare};
use crate::servers::canned::{self, CannedServer};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "isahc",
    about: "2,000 sequential loads over isahc vs a bare isahc client, same requests",
    run,
};

fn run(config: &Config) -> Result<Vec<Row>> {
    let server = CannedServer::start(canned::contacts(1))?;
    let runtime = user_runtime()?;
    // 40 rounds of 50: short rounds, so that a spell of noise hits every side alike.
    let per_round = config.size(50, 10);
    let session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(Backend::Isahc)
        .no_proxy()
        .no_cache()
        .build()?;
    let request = recorded_gets(&server.endpoint(), KEY, [1])?
        .pop()
        .ok_or("nothing recorded")?;
    let raw = RawIsahc::new()?;
    let mut sdk = || session_loads(&server, &runtime, &session, per_round);
    let mut baseline = || bare_loads(&server, &runtime, per_round, || raw.send(&request));
    let plan = Plan {
        rounds: config.rounds(40),
        ops_per_round: per_round,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    Ok(rows(
        SCENARIO.name,
        &s,
        &b,
        Speed::Micros("µs/request"),
        Target::RatioAtMost(1.05),
        true,
        Target::Info,
    ))
}
