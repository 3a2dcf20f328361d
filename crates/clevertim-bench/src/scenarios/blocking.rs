//! blocking-hyper, blocking-isahc: sequential loads (cache off) through
//! `clevertim::blocking::Session` called from a plain thread, beside the async `Session` on
//! the same transport under a `#[tokio::main]`-like runtime.

use clevertim::{Backend, Contact};

use super::overhead::KEY;
use super::{user_runtime, Config, Scenario};
use crate::report::{rows, Row, Speed, Target};
use crate::runner::{compare, Plan};
use crate::servers::canned::{self, CannedServer};
use crate::servers::round;
use crate::Result;

/// The blocking session over hyper.
pub(crate) const HYPER: Scenario = Scenario {
    name: "blocking-hyper",
    about: "2,000 loads by blocking::Session (hyper) from a plain thread vs the async Session",
    run: |config| run(config, Backend::Hyper, "blocking-hyper"),
};

/// The blocking session over isahc.
pub(crate) const ISAHC: Scenario = Scenario {
    name: "blocking-isahc",
    about: "2,000 loads by blocking::Session (isahc) from a plain thread vs the async Session",
    run: |config| run(config, Backend::Isahc, "blocking-isahc"),
};

fn run(config: &Config, backend: Backend, name: &str) -> Result<Vec<Row>> {
    let server = CannedServer::start(canned::contacts(1))?;
    let runtime = user_runtime()?;
    let per_round = config.size(100, 10);
    let blocking = clevertim::blocking::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(backend)
        .no_proxy()
        .no_cache()
        .build()?;
    let session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(backend)
        .no_proxy()
        .no_cache()
        .build()?;
    // The bench's main thread is a plain thread: no runtime is entered outside `block_on`.
    let mut sdk = || {
        round(&server, || {
            for _ in 0..per_round {
                let contact: Contact = blocking.load(1)?;
                std::hint::black_box(contact);
            }
            Ok(())
        })
    };
    let mut baseline = || {
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
    let plan = Plan {
        rounds: config.rounds(20),
        ops_per_round: per_round,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    Ok(rows(
        name,
        &s,
        &b,
        Speed::Micros("µs/request"),
        Target::RatioAtMost(1.10),
        true,
        Target::Info,
    ))
}
