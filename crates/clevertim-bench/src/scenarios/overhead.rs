//! overhead: sequential `load::<Contact>` (cache off) through the hyper transport, beside a
//! bare hyper-util client sending the byte-identical requests (recorded from the SDK) and
//! decoding the same answer into a `Contact`. Both in one `#[tokio::main]`-like runtime,
//! against the canned server.

use clevertim::{Backend, Contact};

use super::{user_runtime, Config, Scenario};
use crate::clients::raw_hyper::RawHyper;
use crate::clients::{decode_contact, recorded_gets};
use crate::report::{rows, Row, Speed, Target};
use crate::runner::{compare, Plan};
use crate::servers::canned::{self, CannedServer};
use crate::servers::round;
use crate::Result;

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "overhead",
    about: "2,000 sequential loads (hyper, cache off) vs bare hyper-util, same requests",
    run,
};

/// The API key the canned server is sent (it checks none).
pub(crate) const KEY: &str = "BenchKey0123456789";

fn run(config: &Config) -> Result<Vec<Row>> {
    let server = CannedServer::start(canned::contacts(1))?;
    let runtime = user_runtime()?;
    let per_round = config.size(100, 10);
    let session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(Backend::Hyper)
        .no_cache()
        .build()?;
    let request = recorded_gets(&server.endpoint(), KEY, [1])?
        .pop()
        .ok_or("nothing recorded")?;
    let raw = RawHyper::new();
    let mut sdk = || {
        round(&server, || {
            runtime.block_on(async {
                for _ in 0..per_round {
                    let contact: Contact = session.load(1).await?;
                    std::hint::black_box(contact);
                }
                Ok(())
            })
        })
    };
    let mut baseline = || {
        round(&server, || {
            runtime.block_on(async {
                for _ in 0..per_round {
                    let body = raw.send(&request).await?;
                    std::hint::black_box(decode_contact(&body)?);
                }
                Ok(())
            })
        })
    };
    let plan = Plan {
        rounds: config.rounds(20),
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
