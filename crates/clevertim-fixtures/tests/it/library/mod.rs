//! The fixture library: every cassette in the repository's `fixtures/`, its scenario, and the
//! insta snapshots of what the SDK decoded and sent.
//!
//! Each scenario is an async function that takes a [`Ctx`] (sessions on one cassette) and
//! asserts on what the SDK decoded. By default (and always when `CI` is set) it runs once, in
//! replay, against the cassette alone: no sandbox, no network (the endpoint is
//! `https://sandbox.invalid/api`; a cassette matches method, path, query and body, not the
//! host). Its decoded models are snapshotted as yaml and the requests the SDK sent as json.
//!
//! Re-record every cassette against fresh in-process sandboxes (demo data, through the real
//! hyper transport), then replay and snapshot them:
//!
//! ```sh
//! CLEVERTIM_FIXTURES=rerecord cargo test -p clevertim-fixtures --test it library::
//! ```
//!
//! and run it once more without the variable (the tests over whole cassettes may have read one
//! while it was being re-recorded). `once` records only the missing cassettes, `new` appends
//! missing interactions. Recording is deterministic: every scenario gets its own freshly
//! started sandbox, so ids are stable, and the `ao`/`lm` timestamps are normalised before
//! saving; re-recording gives identical files. Review changed snapshots with
//! `cargo insta review` (or accept them all with `INSTA_UPDATE=always`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use bytes::Bytes;
use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, ElemType, Error, File, Folder, Group, Key,
    LinkedFile, Note, Opportunity, Resource, Scope, Session, Task, Transport, User,
};
use clevertim_fixtures::{Body, Cassette, CassetteFile, Interaction, Mode};
use clevertim_hyper::HyperTransport;
use clevertim_sandbox::{
    DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY, Sandbox,
};
use serde::Serialize;
use serde_json::{Value, json};

/// The endpoint of every replay: nothing answers there, and nothing needs to.
const REPLAY_ENDPOINT: &str = "https://sandbox.invalid/api";

/// A key the sandbox does not know (for the 401).
const BAD_KEY: &str = "NotAKeyOfThisSandbox0000000000000000000000";

/// What every `ao`/`lm` timestamp becomes in a cassette.
const NORMALISED_TIME: &str = "2000-01-01T00:00:00Z";

/// The repository's fixture library.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// What a scenario gets: the cassette, and the endpoint sessions must use.
#[derive(Clone)]
struct Ctx {
    cassette: Cassette,
    endpoint: String,
}

impl Ctx {
    /// An uncached session of the owner: every load is a request.
    fn session(&self) -> Session {
        self.session_with_key(DEFAULT_API_KEY)
    }

    /// An uncached session for `key`.
    fn session_with_key(&self, key: &str) -> Session {
        Session::builder(key)
            .endpoint(&self.endpoint)
            .transport(self.cassette.clone())
            .no_cache()
            .build()
            .unwrap()
    }

    /// How many requests went through the cassette so far.
    fn requests(&self) -> usize {
        self.cassette.sent_requests().len()
    }
}

type Scenario = fn(Ctx) -> Pin<Box<dyn Future<Output = Value>>>;

/// Replaces every `ao`/`lm` string in a JSON body (at any depth) by [`NORMALISED_TIME`].
fn normalise_times(body: &mut Body) {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if (key == "ao" || key == "lm") && value.is_string() {
                        *value = Value::String(NORMALISED_TIME.into());
                    } else {
                        walk(value);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    if let Body::Json(value) = body {
        walk(value);
    }
}

fn normalise(interaction: &mut Interaction) {
    normalise_times(&mut interaction.request.body);
    normalise_times(&mut interaction.response.body);
}

/// A cassette builder with every key the scenarios use configured as a secret.
fn builder(path: &Path) -> clevertim_fixtures::CassetteBuilder {
    Cassette::builder(path)
        .secret(DEFAULT_API_KEY)
        .secret(DEFAULT_ADMIN_API_KEY)
        .secret(DEFAULT_READONLY_API_KEY)
        .secret(BAD_KEY)
        .before_save(normalise)
}

/// Records the cassette `name` if the mode says so, then replays it alone and snapshots what
/// the scenario decoded and what the SDK sent.
async fn run(name: &str, scenario: Scenario) {
    let path = fixtures_dir().join(name);
    let mode = Mode::from_env_or(Some(Mode::Replay)).unwrap();
    let record = match mode {
        Mode::Replay => false,
        Mode::Once => !path.exists(),
        Mode::NewEpisodes | Mode::Rerecord => true,
    };
    if record {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let cassette = builder(&path)
            .force_mode(mode)
            .inner(HyperTransport::new().unwrap())
            .build()
            .unwrap();
        let ctx = Ctx {
            cassette: cassette.clone(),
            endpoint: sandbox.endpoint(),
        };
        scenario(ctx).await;
        cassette.finish().unwrap();
        sandbox.shutdown().await;
    }

    let cassette = builder(&path).force_mode(Mode::Replay).build().unwrap();
    assert!(!cassette.is_recording());
    let ctx = Ctx {
        cassette: cassette.clone(),
        endpoint: REPLAY_ENDPOINT.into(),
    };
    let decoded = scenario(ctx).await;
    cassette.finish().unwrap().assert_all_used().unwrap();

    let snapshot = name.trim_end_matches(".json").replace('/', "__");
    insta::assert_yaml_snapshot!(format!("{snapshot}__decoded"), decoded);
    let sent = cassette.sent_requests();
    assert!(!sent.is_empty());
    for request in &sent {
        assert_eq!(
            request.headers.get("authorization").map(String::as_str),
            Some(clevertim_fixtures::AUTH_PLACEHOLDER),
            "{request}"
        );
    }
    insta::assert_json_snapshot!(format!("{snapshot}__sent"), sent, {
        "[].headers[\"user-agent\"]" => "[user-agent]",
    });
}

fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

mod cases;
mod scenarios;
mod whole;
