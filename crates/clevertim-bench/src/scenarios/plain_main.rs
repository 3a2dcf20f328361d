//! plain-main: a create / get / update / delete loop written the way a user writes it, under
//! a `#[tokio::main]`-like runtime with the default session (cache on), beside a blocking
//! `std::net` keep-alive client sending the same requests to the same sandbox.
//!
//! "The same requests": one loop of the SDK is recorded first (methods, paths, bodies), and
//! the socket client replays that sequence with its own contact's id, so that a request the
//! SDK does not send (the get, answered from its cache) is not sent by the baseline either.

use clevertim::transports::HyperTransport;
use clevertim::{Contact, Session};

use super::{user_runtime, Config, Scenario};
use crate::clients::counting::CountingTransport;
use crate::clients::decode_contact;
use crate::clients::socket::SocketClient;
use crate::report::{rows, Row, Speed, Target};
use crate::runner::{compare, Plan};
use crate::servers::round;
use crate::Result;

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
    fn new((method, path, body): crate::clients::counting::Sent, id: u64) -> Result<Step> {
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
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let sandbox = crate::servers::sandbox::empty()?;
    let runtime = user_runtime()?;
    let loops = config.size(100, 5);
    let endpoint = sandbox.endpoint();
    let key = sandbox.api_key().to_owned();

    // Record one loop through the same transport, to learn what it sends.
    let recorder = CountingTransport::new(std::sync::Arc::new(HyperTransport::new()?));
    let recording = Session::builder(key.as_str())
        .endpoint(&endpoint)
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
    let requests_per_loop = u64::try_from(steps.len())?;

    // The user's session: the defaults, as `Session::builder(KEY).build()` gives them.
    let session = Session::builder(key.as_str()).endpoint(&endpoint).build()?;
    let mut socket = SocketClient::new(sandbox.addr(), &key);
    let mut sdk = || {
        round(&sandbox, || {
            runtime.block_on(async {
                for _ in 0..loops {
                    crud(&session).await?;
                }
                Ok(())
            })
        })
    };
    let mut baseline = || {
        round(&sandbox, || {
            for _ in 0..loops {
                let mut id = 0;
                for step in &steps {
                    let (status, body) =
                        socket.send(&step.method, &step.path(id), step.body(id).as_bytes())?;
                    if !(200..300).contains(&status) {
                        return Err(
                            format!("{} {}: status {status}", step.method, step.path(id)).into(),
                        );
                    }
                    if step.method != "DELETE" {
                        let contact = decode_contact(&body)?;
                        if id == 0 {
                            id = contact
                                .key()
                                .ok_or("created without a key")?
                                .to_string()
                                .parse()?;
                        }
                    }
                }
            }
            Ok(())
        })
    };
    let plan = Plan {
        rounds: config.rounds(20),
        ops_per_round: loops * requests_per_loop,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    Ok(rows(
        SCENARIO.name,
        &s,
        &b,
        Speed::PerSecond("requests/s"),
        Target::RatioAtLeast(0.8),
        true,
        Target::Info,
    ))
}
