//! blocking-hyper, blocking-isahc: sequential loads (cache off) through
//! `clevertim::blocking::Session` called from a plain thread, beside the async `Session` on
//! the same transport under a `#[tokio::main]`-like runtime.
//!
//! Over hyper, a third side is measured for reading only: a prototype of a blocking session
//! that owns a current-thread runtime and drives it with `block_on` on the calling thread
//! (the async session inside), instead of today's one-worker multi-thread runtime whose
//! worker runs the connection task while the caller waits on another thread.

use clevertim::{Backend, Contact};

use super::overhead::KEY;
use super::{Config, Scenario, session_loads, user_runtime};
use crate::Result;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, compare_all};
use crate::servers::canned::{self, CannedServer};
use crate::servers::round;

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
    // 40 rounds of 50: short rounds, so that a spell of noise hits every side alike.
    let per_round = config.size(50, 10);
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
    let mut baseline = || session_loads(&server, &runtime, &session, per_round);
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let single_session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(backend)
        .no_proxy()
        .no_cache()
        .build()?;
    let mut prototype = || {
        round(&server, || {
            for _ in 0..per_round {
                let contact: Contact = single.block_on(single_session.load(1))?;
                std::hint::black_box(contact);
            }
            Ok(())
        })
    };
    let plan = Plan {
        rounds: config.rounds(40),
        ops_per_round: per_round,
    };
    let mut sides: Vec<&mut crate::runner::Side<'_>> = vec![&mut sdk, &mut baseline];
    if backend == Backend::Hyper {
        sides.push(&mut prototype);
    }
    let measured = compare_all(plan, &mut sides)?;
    let (s, b) = (&measured[0], &measured[1]);
    let mut rows = rows(
        name,
        s,
        b,
        Speed::Micros("µs/request"),
        Target::RatioAtMost(1.10),
        true,
        Target::Info,
    );
    if let Some(p) = measured.get(2) {
        rows.push(Row::new(
            name,
            "µs/request, prototype: current-thread rt",
            p.per_op.median * 1e6,
            b.per_op.median * 1e6,
            Target::Info,
        ));
    }
    Ok(rows)
}
