//! plain-main: a create / get / update / delete loop written the way a user writes it, under
//! a `#[tokio::main]`-like runtime with the default session (cache on), beside a blocking
//! `std::net` keep-alive client sending the same requests to the same sandbox.
//!
//! Three more sides are measured in the same rounds, for reading only: the SDK loop inside
//! `tokio::spawn` (on a worker, beside hyper's connection task), the SDK loop on a
//! current-thread runtime (one thread for everything), and a bare hyper-util client sending
//! the same requests under the same plain `#[tokio::main]`. They show what the cross-thread
//! wake-ups of TRAPS 12 cost (the caller of a plain `#[tokio::main]` runs on the `block_on`
//! thread, hyper's connection task on a worker), and how much of the gap is hyper's own.
//! A last side runs the SDK loop under plain main over hyper-util's pooled client
//! (`inline_http1(false)`: the hyper transport before its connections were driven by the
//! requests).
//!
//! "The same requests": one loop of the SDK is recorded first (methods, paths, bodies), and
//! the other clients replay that sequence with their own contact's id, so that a request the
//! SDK does not send (the get, answered from its cache) is not sent by them either.

use bytes::Bytes;
use clevertim::transports::HyperTransport;
use clevertim::{Contact, Session};

use super::{Config, Scenario, pooled_hyper, user_runtime};
use crate::Result;
use crate::clients::counting::{CountingTransport, Sent};
use crate::clients::decode_contact;
use crate::clients::raw_hyper::RawHyper;
use crate::clients::socket::SocketClient;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, compare_all};
use crate::servers::round;

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "plain-main",
    about: "CRUD loop under a plain #[tokio::main] vs a blocking std::net keep-alive client",
    run,
};

/// One loop, as a user writes it.
async fn crud(session: &Session) -> Result<u64> {
    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await?;
    let key = mike.key().ok_or("saved without a key")?;
    let loaded: Contact = session.load(key.clone()).await?;
    std::hint::black_box(loaded);
    mike.set_title("CEO");
    session.save(&mut mike).await?;
    session.delete(&mut mike).await?;
    Ok(key.to_string().parse()?)
}

/// `loops` of the loop, one after another.
async fn crud_loops(session: &Session, loops: u64) -> Result<()> {
    for _ in 0..loops {
        crud(session).await?;
    }
    Ok(())
}

/// A recorded request with the contact's id taken out.
struct Step {
    method: String,
    /// The path before `/{id}`, or the whole path when it names no object.
    path: String,
    names_object: bool,
    /// The body split around `"id":{id}`, if it holds one.
    body: (String, Option<String>),
}

impl Step {
    fn new((method, path, body): Sent, id: u64) -> Result<Step> {
        let (path, names_object) = match path.strip_suffix(&format!("/{id}")) {
            Some(prefix) => (prefix.to_owned(), true),
            None => (path, false),
        };
        let body = String::from_utf8(body.to_vec())?;
        let marker = format!("\"id\":{id}");
        let body = match body.split_once(&marker) {
            Some((before, after)) => (before.to_owned(), Some(after.to_owned())),
            None => (body, None),
        };
        Ok(Step {
            method: method.as_str().to_owned(),
            path,
            names_object,
            body,
        })
    }

    fn path(&self, id: u64) -> String {
        if self.names_object {
            format!("{}/{id}", self.path)
        } else {
            self.path.clone()
        }
    }

    fn body(&self, id: u64) -> String {
        match &self.body {
            (before, Some(after)) => format!("{before}\"id\":{id}{after}"),
            (whole, None) => whole.clone(),
        }
    }

    /// The request as the SDK sends it, for the bare hyper client.
    fn request(&self, base: &str, api_key: &str, id: u64) -> Result<http::Request<Bytes>> {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{api_key}:X"));
        let body = self.body(id);
        let mut request = http::Request::builder()
            .method(self.method.as_str())
            .uri(format!("{base}{}", self.path(id)))
            .header("authorization", format!("Basic {auth}"))
            .header("accept", "application/json")
            .header(
                "user-agent",
                concat!("clevertim-rust/", env!("CARGO_PKG_VERSION")),
            );
        if !body.is_empty() {
            request = request.header("content-type", "application/json");
        }
        Ok(request.body(Bytes::from(body))?)
    }
}

/// The id of the contact an answer carries (0 for an answer to a `DELETE`, which is only
/// checked for its status).
fn answered_id(method: &str, body: &[u8]) -> Result<u64> {
    if method == "DELETE" {
        return Ok(0);
    }
    let contact = decode_contact(body)?;
    Ok(contact
        .key()
        .ok_or("an answer without a key")?
        .to_string()
        .parse()?)
}

/// Records one loop of the SDK through the same transport, to learn what it sends.
fn record(runtime: &tokio::runtime::Runtime, endpoint: &str, key: &str) -> Result<Vec<Step>> {
    let recorder = CountingTransport::new(std::sync::Arc::new(HyperTransport::new()?));
    let recording = Session::builder(key)
        .endpoint(endpoint)
        .transport(recorder.clone())
        .build()?;
    let recorded_id = runtime.block_on(crud(&recording))?;
    let steps: Vec<Step> = recorder
        .log()
        .into_iter()
        .map(|sent| Step::new(sent, recorded_id))
        .collect::<Result<_>>()?;
    if steps.first().is_none_or(|s| s.method != "POST") {
        return Err("the loop does not start with a POST".into());
    }
    Ok(steps)
}

/// The baseline: `loops` times the recorded `steps` over a blocking socket, each answer
/// checked and decoded.
fn replay(socket: &mut SocketClient, steps: &[Step], loops: u64) -> Result<()> {
    for _ in 0..loops {
        let mut id = 0;
        for step in steps {
            let (status, body) =
                socket.send(&step.method, &step.path(id), step.body(id).as_bytes())?;
            if !(200..300).contains(&status) {
                let path = step.path(id);
                return Err(format!("{} {path}: status {status}", step.method).into());
            }
            let answered = answered_id(&step.method, &body)?;
            if id == 0 {
                id = answered;
            }
        }
    }
    Ok(())
}

/// `clevertim-bench --crud-loop sdk|sdk-main|socket LOOPS`: one side of the loop alone, against
/// an empty sandbox, for instruction counts under callgrind and system calls under `strace`
/// (`docs/PERFORMANCE.md`): `sdk` on a current-thread runtime, `sdk-main` as under a plain
/// `#[tokio::main]`. The socket side records one SDK loop first, as the scenario does;
/// that cost is the same for every `LOOPS`, so the difference of two runs leaves it out.
pub(crate) fn crud_loop(side: &str, loops: u64) -> Result<()> {
    let sandbox = crate::servers::sandbox::empty()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let endpoint = sandbox.endpoint();
    let key = sandbox.api_key().to_owned();
    match side {
        "sdk" | "sdk-main" => {
            let session = Session::builder(key.as_str()).endpoint(&endpoint).build()?;
            if side == "sdk" {
                runtime.block_on(crud_loops(&session, loops))
            } else {
                // As under a plain `#[tokio::main]`: the loop on the `block_on` thread of a
                // multi-thread runtime, its I/O driven by the workers.
                user_runtime()?.block_on(crud_loops(&session, loops))
            }
        }
        "socket" => {
            let steps = record(&runtime, &endpoint, &key)?;
            replay(&mut SocketClient::new(sandbox.addr(), &key), &steps, loops)
        }
        other => Err(format!("--crud-loop: no side {other:?} (sdk, sdk-main or socket)").into()),
    }
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let sandbox = crate::servers::sandbox::empty()?;
    let runtime = user_runtime()?;
    let loops = config.size(100, 5);
    let endpoint = sandbox.endpoint();
    let key = sandbox.api_key().to_owned();

    let steps = record(&runtime, &endpoint, &key)?;
    let requests_per_loop = u64::try_from(steps.len())?;

    // The user's session: the defaults, as `Session::builder(KEY).build()` gives them.
    let session = Session::builder(key.as_str()).endpoint(&endpoint).build()?;
    let mut sdk = || round(&sandbox, || runtime.block_on(crud_loops(&session, loops)));
    let mut socket = SocketClient::new(sandbox.addr(), &key);
    let mut baseline = || round(&sandbox, || replay(&mut socket, &steps, loops));
    // The same loop on a worker thread.
    let mut in_spawn = || {
        round(&sandbox, || {
            let session = session.clone();
            runtime.block_on(async move {
                tokio::spawn(async move { crud_loops(&session, loops).await }).await?
            })
        })
    };
    // The same loop on a current-thread runtime, with its own session (a pooled connection
    // belongs to the runtime that opened it).
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let single_session = Session::builder(key.as_str()).endpoint(&endpoint).build()?;
    let mut current_thread = || {
        round(&sandbox, || {
            single.block_on(crud_loops(&single_session, loops))
        })
    };
    // The same requests through a bare hyper-util client, under the SDK's runtime.
    let raw = RawHyper::new();
    let base = format!("http://{}", sandbox.addr());
    let mut bare_hyper = || {
        round(&sandbox, || {
            runtime.block_on(async {
                for _ in 0..loops {
                    let mut id = 0;
                    for step in &steps {
                        let body = raw.send(&step.request(&base, &key, id)?).await?;
                        let answered = answered_id(&step.method, &body)?;
                        if id == 0 {
                            id = answered;
                        }
                    }
                }
                Ok(())
            })
        })
    };
    // The SDK loop over hyper-util's pooled client, as before.
    let pooled_session = Session::builder(key.as_str())
        .endpoint(&endpoint)
        .transport(pooled_hyper()?)
        .build()?;
    let mut pooled_sdk = || {
        round(&sandbox, || {
            runtime.block_on(crud_loops(&pooled_session, loops))
        })
    };
    let plan = Plan {
        rounds: config.rounds(20),
        ops_per_round: loops * requests_per_loop,
    };
    let measured = compare_all(
        plan,
        &mut [
            &mut sdk,
            &mut baseline,
            &mut in_spawn,
            &mut current_thread,
            &mut bare_hyper,
            &mut pooled_sdk,
        ],
    )?;
    let [s, b, spawn, single, bare, pooled] = measured.as_slice() else {
        return Err("six sides in, six out".into());
    };
    let mut rows = rows(
        SCENARIO.name,
        s,
        b,
        Speed::PerSecond("requests/s"),
        Target::RatioAtLeast(0.8),
        true,
        Target::Info,
    );
    for (unit, side) in [
        ("requests/s, SDK inside tokio::spawn", spawn),
        ("requests/s, SDK on a current-thread rt", single),
        ("requests/s, bare hyper-util, plain main", bare),
        (
            "requests/s, SDK over hyper-util's pooled client (before)",
            pooled,
        ),
    ] {
        rows.push(Row::new(
            SCENARIO.name,
            unit,
            1.0 / side.per_op.median,
            1.0 / b.per_op.median,
            Target::Info,
        ));
    }
    Ok(rows)
}
