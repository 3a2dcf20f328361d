//! overhead: sequential `load::<Contact>` (cache off) through the hyper transport, beside a
//! bare hyper-util client sending the byte-identical requests (recorded from the SDK) and
//! decoding the same answer into a `Contact`. Both in one `#[tokio::main]`-like runtime,
//! against the canned server.
//!
//! More sides, for reading only, each the bare client with one of the transport's layers,
//! to show what each costs: `+ timeout` (the transport's `tokio::time::timeout`), `over
//! rustls` (hyper-rustls's connector, plain http passing through), `HyperTransport::send`
//! (the whole transport, no session); and a blocking `std::net` keep-alive client sending
//! the same GET from the calling thread, to show what the runtime and hyper cost beyond the
//! socket; and the SDK over hyper-util's pooled client (`inline_http1(false)`, the transport
//! before its connections were driven by the requests). And, without any network, the
//! session's own CPU per load (over a transport that hands over the canned answer at once)
//! beside decoding that answer alone.

use std::time::Duration;

use clevertim::transports::HyperTransport;
use clevertim::{Backend, Contact, Transport as _};

use super::{Config, Scenario, bare_loads, pooled_hyper, session_loads, user_runtime};
use crate::Result;
use crate::clients::raw_hyper::RawHyper;
use crate::clients::socket::SocketClient;
use crate::clients::{decode_contact, recorded_gets};
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, compare_all};
use crate::servers::canned::{self, CannedServer};
use crate::servers::round;

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
    // 40 rounds of 50: short rounds, so that a spell of noise hits every side alike.
    let per_round = config.size(50, 10);
    let session = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .backend(Backend::Hyper)
        .no_cache()
        .build()?;
    let request = recorded_gets(&server.endpoint(), KEY, [1])?
        .pop()
        .ok_or("nothing recorded")?;
    let raw = RawHyper::new();
    let mut sdk = || session_loads(&server, &runtime, &session, per_round);
    let mut baseline = || bare_loads(&server, &runtime, per_round, || raw.send(&request));
    let mut timed = || {
        bare_loads(&server, &runtime, per_round, || async {
            tokio::time::timeout(Duration::from_secs(30), raw.send(&request)).await?
        })
    };
    let tls = RawHyper::over_rustls()?;
    let mut over_rustls = || bare_loads(&server, &runtime, per_round, || tls.send(&request));
    let transport = HyperTransport::new()?;
    let mut transport_only = || {
        bare_loads(&server, &runtime, per_round, || async {
            Ok(transport.send(request.clone()).await?.into_body())
        })
    };
    // No network: what the session itself costs per load, beside decoding alone.
    let answer = crate::data::envelope(vec![crate::data::contact(1)]);
    let served = answer.clone();
    let in_memory = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .transport(clevertim::transport_fn(move |_| {
            let body = served.clone();
            async move { Ok(http::Response::new(body)) }
        }))
        .no_cache()
        .build()?;
    let cpu_ops = per_round * 10;
    let mut session_cpu = || {
        let started = std::time::Instant::now();
        for _ in 0..cpu_ops {
            let contact: Contact = futures_executor::block_on(in_memory.load(1))?;
            std::hint::black_box(contact);
        }
        Ok(crate::runner::Sample {
            elapsed: started.elapsed(),
            ..Default::default()
        })
    };
    let mut decode_cpu = || {
        let started = std::time::Instant::now();
        for _ in 0..cpu_ops {
            std::hint::black_box(decode_contact(&answer)?);
        }
        Ok(crate::runner::Sample {
            elapsed: started.elapsed(),
            ..Default::default()
        })
    };
    let pooled = clevertim::Session::builder(KEY)
        .endpoint(server.endpoint())
        .transport(pooled_hyper()?)
        .no_cache()
        .build()?;
    let mut pooled_sdk = || session_loads(&server, &runtime, &pooled, per_round);
    let mut socket = SocketClient::new(server.addr(), KEY);
    let mut blocking_socket = || {
        round(&server, || {
            for _ in 0..per_round {
                let (_, body) = socket.send("GET", "/api/contact/1", b"")?;
                std::hint::black_box(decode_contact(&body)?);
            }
            Ok(())
        })
    };
    let plan = Plan {
        rounds: config.rounds(40),
        ops_per_round: per_round,
    };
    let measured = compare_all(
        plan,
        &mut [
            &mut sdk,
            &mut baseline,
            &mut timed,
            &mut over_rustls,
            &mut transport_only,
            &mut blocking_socket,
            &mut pooled_sdk,
        ],
    )?;
    let cpu = compare_all(
        Plan {
            rounds: config.rounds(20),
            ops_per_round: cpu_ops,
        },
        &mut [&mut session_cpu, &mut decode_cpu],
    )?;
    let [s, b, layers @ ..] = measured.as_slice() else {
        return Err("no sides out".into());
    };
    let mut rows = rows(
        SCENARIO.name,
        s,
        b,
        Speed::Micros("µs/request"),
        Target::RatioAtMost(1.05),
        true,
        Target::Info,
    );
    let names = [
        "µs/request, bare hyper + timeout",
        "µs/request, bare hyper over rustls conn.",
        "µs/request, HyperTransport::send",
        "µs/request, blocking std::net socket",
        "µs/request, SDK over hyper-util's pooled client (before)",
    ];
    for (unit, side) in names.iter().zip(layers) {
        rows.push(Row::new(
            SCENARIO.name,
            unit,
            side.per_op.median * 1e6,
            b.per_op.median * 1e6,
            Target::Info,
        ));
    }
    if let [session, decode] = cpu.as_slice() {
        rows.push(Row::new(
            SCENARIO.name,
            "µs/load, no network: session vs decode alone",
            session.per_op.median * 1e6,
            decode.per_op.median * 1e6,
            Target::Info,
        ));
    }
    Ok(rows)
}
