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

// ---------------------------------------------------------------------------------------------
// The scenarios.

/// Create Mike Johnson, load him eagerly and lazily (counting requests), add an email and
/// save, delete.
async fn seed_walkthrough(ctx: Ctx) -> Value {
    let session = ctx.session();
    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    session.save(&mut mike).await.unwrap();
    let key = mike.key().expect("a saved contact has a key");

    let before = ctx.requests();
    let eager: Contact = session.load(key.clone()).await.unwrap();
    assert_eq!(ctx.requests() - before, 1, "an eager load is one GET");
    assert_eq!(
        (eager.first_name(), eager.last_name()),
        (Some("Mike"), Some("Johnson"))
    );

    let lazy = session.lazy::<Contact>(key.clone());
    let before = ctx.requests();
    assert!(!lazy.is_loaded());
    assert_eq!(ctx.requests(), before, "a lazy handle makes no request");
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Mike"));
    assert_eq!(lazy.get().await.unwrap().last_name(), Some("Johnson"));
    assert_eq!(ctx.requests() - before, 1, "a lazy handle loads once");
    let lazy = lazy.into_inner().await.unwrap();

    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await.unwrap();
    let with_email: Contact = session.load(key.clone()).await.unwrap();
    assert_eq!(with_email.emails(), ["mike@example.com"]);
    assert_eq!(with_email.first_name(), Some("Mike"), "a PUT is partial");

    session.delete(&mut mike).await.unwrap();
    assert_eq!(mike.key(), None);
    let gone = session.load::<Contact>(key).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");

    json!({
        "created": key_of(&eager),
        "eager": eager,
        "lazy": lazy,
        "with_email": with_email,
        "after_delete": gone.to_string(),
    })
}

fn key_of<R: Resource>(object: &R) -> Value {
    to_value(&object.key())
}

async fn list<R: Resource>(ctx: Ctx) -> Value {
    let all: Vec<R> = ctx.session().all().await.unwrap();
    assert!(!all.is_empty(), "the demo data has a {}", R::PATH);
    assert!(all.iter().all(|o| o.key().is_some()));
    assert_eq!(ctx.requests(), 1);
    to_value(&all)
}

async fn get<R: Resource>(ctx: Ctx, key: Key<R>) -> Value {
    let one: R = ctx.session().load(key.clone()).await.unwrap();
    assert_eq!(one.key(), Some(key));
    to_value(&one)
}

async fn create<R: Resource + PartialEq>(ctx: Ctx, mut object: R) -> Value {
    assert!(object.key().is_none());
    let session = ctx.session();
    session.save(&mut object).await.unwrap();
    let key = object
        .key()
        .unwrap_or_else(|| panic!("a saved {} has a key", R::PATH));
    let loaded: R = session.load(key).await.unwrap();
    assert_eq!(loaded, object, "{} as loaded is as created", R::PATH);
    json!({ "created": object, "loaded": loaded })
}

async fn update<R: Resource>(
    ctx: Ctx,
    key: Key<R>,
    change: fn(&mut R),
    changed: fn(&R) -> bool,
) -> Value {
    let session = ctx.session();
    let mut object: R = session.load(key.clone()).await.unwrap();
    assert!(!changed(&object), "{} is not changed yet", R::PATH);
    change(&mut object);
    session.save(&mut object).await.unwrap();
    assert!(changed(&object));
    let reloaded: R = session.load(key).await.unwrap();
    assert!(changed(&reloaded), "{} reloaded after the update", R::PATH);
    json!({ "saved": object, "reloaded": reloaded })
}

async fn delete<R: Resource>(ctx: Ctx, key: Key<R>) -> Value {
    let session = ctx.session();
    let mut object: R = session.load(key.clone()).await.unwrap();
    session.delete(&mut object).await.unwrap();
    assert!(object.key().is_none());
    let gone = session.load::<R>(key.clone()).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
    json!({ "deleted": to_value(&key), "after_delete": gone.to_string() })
}

fn new_contact() -> Contact {
    let mut c = Contact::new();
    c.set_first_name("Ann").set_title("CTO");
    c
}

fn new_company() -> Company {
    let mut c = Company::new();
    c.set_name("Acme").set_city("Leeds");
    c
}

fn new_case() -> Case {
    let mut c = Case::new();
    c.set_name("Printer on fire")
        .set_who(Key::<Contact>::new(3));
    c
}

fn new_opportunity() -> Opportunity {
    let mut o = Opportunity::new();
    o.set_name("Big deal")
        .set_value("1000.50")
        .set_currency("EUR")
        .set_status("Open");
    o
}

fn new_task() -> Task {
    let mut t = Task::new();
    t.set_name("Call back").set_who(Key::<Contact>::new(3));
    t
}

fn new_note() -> Note {
    let mut n = Note::new();
    n.set_description("Met at the fair")
        .set_who(Key::<Contact>::new(3));
    n
}

fn new_comment() -> Comment {
    let mut c = Comment::new();
    c.set_comment("First!").set_note(Key::new(1));
    c
}

fn new_custom_field() -> CustomField {
    let mut f = CustomField::new();
    f.set_name("Shoe size")
        .set_elem_type(ElemType::Input)
        .set_scopes(vec![Scope::Customers]);
    f
}

fn new_folder() -> Folder {
    let mut f = Folder::new();
    f.set_name("Scans");
    f
}

fn new_file() -> File {
    let mut f = File::new();
    f.set_name("scan.pdf").set_parent_key(Key::new("f1"));
    f
}

fn new_linked_file() -> LinkedFile {
    let mut f = LinkedFile::new();
    f.set_name("plan.xlsx");
    f
}

/// 400: a case whose lead user does not exist (the SDK cannot know; the server refuses).
async fn error_400(ctx: Ctx) -> Value {
    let mut case = Case::new();
    case.set_name("Orphan").set_lead_user(Key::new(999));
    let refused = ctx.session().save(&mut case).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Api { status, .. } if *status == 400),
        "{refused}"
    );
    assert_eq!(case.key(), None);
    json!({ "error": refused.to_string() })
}

/// 401: a key the server does not know.
async fn error_401(ctx: Ctx) -> Value {
    let refused = ctx
        .session_with_key(BAD_KEY)
        .all::<Contact>()
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Authentication { .. }), "{refused}");
    assert!(!refused.to_string().contains(BAD_KEY));
    json!({ "error": refused.to_string() })
}

/// 403: the read-only user writes.
async fn error_403(ctx: Ctx) -> Value {
    let reader = ctx.session_with_key(DEFAULT_READONLY_API_KEY);
    let mut c = Contact::new();
    c.set_first_name("Nope");
    let refused = reader.save(&mut c).await.unwrap_err();
    assert!(matches!(refused, Error::Permission { .. }), "{refused}");
    assert_eq!(c.key(), None);
    json!({ "error": refused.to_string() })
}

/// 404: a contact that does not exist.
async fn error_404(ctx: Ctx) -> Value {
    let missing = ctx.session().load::<Contact>(987_654).await.unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { resource: "contact", key } if key == "987654"),
        "{missing}"
    );
    json!({ "error": missing.to_string() })
}

/// 500: a body that is not JSON. The SDK never sends one, so this goes straight through the
/// cassette's `Transport::send`.
async fn error_500(ctx: Ctx) -> Value {
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_API_KEY}:X"));
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("{}/contact", ctx.endpoint))
        .header("authorization", format!("Basic {auth}"))
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{this is not json"))
        .unwrap();
    let response = ctx.cassette.send(request).await.unwrap();
    assert_eq!(response.status(), 500);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["status"], "ERROR", "{body}");
    json!({ "status": response.status().as_u16(), "body": body })
}

/// 501: comments cannot be updated.
async fn error_501(ctx: Ctx) -> Value {
    let session = ctx.session();
    let mut comment: Comment = session.load(1).await.unwrap();
    comment.set_comment("Edited");
    let refused = session.save(&mut comment).await.unwrap_err();
    assert!(matches!(refused, Error::Unsupported { .. }), "{refused}");
    json!({ "error": refused.to_string() })
}

/// One test per cassette, and the list of all of them.
macro_rules! library {
    ($($test:ident: $file:literal => $scenario:expr;)*) => {
        $(
            #[tokio::test]
            async fn $test() {
                run($file, $scenario).await;
            }
        )*

        /// Every cassette of the library, relative to `fixtures/`.
        const CASSETTES: &[&str] = &[$($file),*];
    };
}

library! {
    seed_walkthrough_cassette: "seed_walkthrough.json" => |c| Box::pin(seed_walkthrough(c));

    contact_list: "contact/list.json" => |c| Box::pin(list::<Contact>(c));
    contact_get: "contact/get.json" => |c| Box::pin(get::<Contact>(c, Key::new(3)));
    contact_create: "contact/create.json" => |c| Box::pin(create(c, new_contact()));
    contact_update: "contact/update.json" => |c| Box::pin(update::<Contact>(
        c, Key::new(3), |o| { o.set_title("CEO"); }, |o| o.title() == Some("CEO")));
    contact_delete: "contact/delete.json" => |c| Box::pin(delete::<Contact>(c, Key::new(4)));

    company_list: "company/list.json" => |c| Box::pin(list::<Company>(c));
    company_get: "company/get.json" => |c| Box::pin(get::<Company>(c, Key::new(1)));
    company_create: "company/create.json" => |c| Box::pin(create(c, new_company()));
    company_update: "company/update.json" => |c| Box::pin(update::<Company>(
        c, Key::new(1), |o| { o.tags_mut().push("vip".into()); },
        |o| o.tags().iter().any(|t| t == "vip")));
    company_delete: "company/delete.json" => |c| Box::pin(delete::<Company>(c, Key::new(2)));

    case_list: "case/list.json" => |c| Box::pin(list::<Case>(c));
    case_get: "case/get.json" => |c| Box::pin(get::<Case>(c, Key::new(1)));
    case_create: "case/create.json" => |c| Box::pin(create(c, new_case()));
    case_update: "case/update.json" => |c| Box::pin(update::<Case>(
        c, Key::new(1), |o| { o.set_description("Still burning"); },
        |o| o.description() == Some("Still burning")));
    case_delete: "case/delete.json" => |c| Box::pin(delete::<Case>(c, Key::new(1)));

    opportunity_list: "opportunity/list.json" => |c| Box::pin(list::<Opportunity>(c));
    opportunity_get: "opportunity/get.json" => |c| Box::pin(get::<Opportunity>(c, Key::new(1)));
    opportunity_create: "opportunity/create.json" => |c| Box::pin(create(c, new_opportunity()));
    opportunity_update: "opportunity/update.json" => |c| Box::pin(update::<Opportunity>(
        c, Key::new(1), |o| { o.set_status("Won"); }, |o| o.status() == Some("Won")));
    opportunity_delete: "opportunity/delete.json" => |c| Box::pin(delete::<Opportunity>(c, Key::new(1)));

    task_list: "task/list.json" => |c| Box::pin(list::<Task>(c));
    task_get: "task/get.json" => |c| Box::pin(get::<Task>(c, Key::new(1)));
    task_create: "task/create.json" => |c| Box::pin(create(c, new_task()));
    task_update: "task/update.json" => |c| Box::pin(update::<Task>(
        c, Key::new(1), |o| { o.set_is_completed(true); }, |o| o.is_completed() == Some(true)));
    task_delete: "task/delete.json" => |c| Box::pin(delete::<Task>(c, Key::new(2)));

    note_list: "note/list.json" => |c| Box::pin(list::<Note>(c));
    note_get: "note/get.json" => |c| Box::pin(get::<Note>(c, Key::new(1)));
    note_create: "note/create.json" => |c| Box::pin(create(c, new_note()));
    note_update: "note/update.json" => |c| Box::pin(update::<Note>(
        c, Key::new(3), |o| { o.set_description("Met twice"); },
        |o| o.description() == Some("Met twice")));
    note_delete: "note/delete.json" => |c| Box::pin(delete::<Note>(c, Key::new(3)));

    comment_list: "comment/list.json" => |c| Box::pin(list::<Comment>(c));
    comment_get: "comment/get.json" => |c| Box::pin(get::<Comment>(c, Key::new(1)));
    comment_create: "comment/create.json" => |c| Box::pin(create(c, new_comment()));
    comment_delete: "comment/delete.json" => |c| Box::pin(delete::<Comment>(c, Key::new(2)));

    customfield_list: "customfield/list.json" => |c| Box::pin(list::<CustomField>(c));
    customfield_get: "customfield/get.json" => |c| Box::pin(get::<CustomField>(c, Key::new(26)));
    customfield_create: "customfield/create.json" => |c| Box::pin(create(c, new_custom_field()));
    customfield_update: "customfield/update.json" => |c| Box::pin(update::<CustomField>(
        c, Key::new(26), |o| { o.set_name("Level"); }, |o| o.name() == Some("Level")));
    customfield_delete: "customfield/delete.json" => |c| Box::pin(delete::<CustomField>(c, Key::new(25)));

    user_list: "user/list.json" => |c| Box::pin(list::<User>(c));
    user_get: "user/get.json" => |c| Box::pin(get::<User>(c, Key::new(2)));

    group_list: "group/list.json" => |c| Box::pin(list::<Group>(c));
    group_get: "group/get.json" => |c| Box::pin(get::<Group>(c, Key::new(2)));

    folder_list: "folder/list.json" => |c| Box::pin(list::<Folder>(c));
    folder_get: "folder/get.json" => |c| Box::pin(get::<Folder>(c, Key::new("f1")));
    folder_create: "folder/create.json" => |c| Box::pin(create(c, new_folder()));
    folder_update: "folder/update.json" => |c| Box::pin(update::<Folder>(
        c, Key::new("f1"), |o| { o.set_name("Signed"); }, |o| o.name() == Some("Signed")));
    folder_delete: "folder/delete.json" => |c| Box::pin(delete::<Folder>(c, Key::new("f1")));

    file_list: "file/list.json" => |c| Box::pin(list::<File>(c));
    file_get: "file/get.json" => |c| Box::pin(get::<File>(c, Key::new(1)));
    file_create: "file/create.json" => |c| Box::pin(create(c, new_file()));
    file_update: "file/update.json" => |c| Box::pin(update::<File>(
        c, Key::new(1), |o| { o.set_name("contract-1.pdf"); },
        |o| o.name() == Some("contract-1.pdf")));
    file_delete: "file/delete.json" => |c| Box::pin(delete::<File>(c, Key::new(1)));

    linkedfile_list: "linkedfile/list.json" => |c| Box::pin(list::<LinkedFile>(c));
    linkedfile_get: "linkedfile/get.json" => |c| Box::pin(get::<LinkedFile>(c, Key::new(1)));
    linkedfile_create: "linkedfile/create.json" => |c| Box::pin(create(c, new_linked_file()));
    linkedfile_update: "linkedfile/update.json" => |c| Box::pin(update::<LinkedFile>(
        c, Key::new(1), |o| { o.set_name("Widget spec v2.docx"); },
        |o| o.name() == Some("Widget spec v2.docx")));
    linkedfile_delete: "linkedfile/delete.json" => |c| Box::pin(delete::<LinkedFile>(c, Key::new(1)));

    error_400_unknown_lead_user: "errors/400_case_unknown_lead_user.json" => |c| Box::pin(error_400(c));
    error_401_bad_key: "errors/401_bad_key.json" => |c| Box::pin(error_401(c));
    error_403_read_only_write: "errors/403_read_only_key_writes.json" => |c| Box::pin(error_403(c));
    error_404_missing_contact: "errors/404_missing_contact.json" => |c| Box::pin(error_404(c));
    error_500_body_not_json: "errors/500_body_not_json.json" => |c| Box::pin(error_500(c));
    error_501_comment_update: "errors/501_comment_update.json" => |c| Box::pin(error_501(c));
}

// ---------------------------------------------------------------------------------------------
// Every cassette, generically.

/// The `*.json` files under `dir`, relative to it, with `/` separators.
fn cassette_files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            cassette_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let relative = path.strip_prefix(base).unwrap();
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(parts.join("/"));
        }
    }
}

#[test]
fn the_library_holds_exactly_the_cassettes_of_the_scenarios() {
    let dir = fixtures_dir();
    let mut found = BTreeSet::new();
    cassette_files(&dir, &dir, &mut found);
    let expected: BTreeSet<String> = CASSETTES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        expected.len(),
        CASSETTES.len(),
        "a cassette is listed twice"
    );
    let missing: Vec<_> = expected.difference(&found).collect();
    let orphans: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && orphans.is_empty(),
        "missing cassettes: {missing:?} (record them: CLEVERTIM_FIXTURES=once cargo test -p \
         clevertim-fixtures --test it library::); cassettes no scenario uses: {orphans:?}"
    );
}

#[test]
fn the_library_covers_every_error_status() {
    let statuses: BTreeSet<u16> = CASSETTES
        .iter()
        .map(|name| CassetteFile::read(fixtures_dir().join(name)).unwrap())
        .flat_map(|file| file.interactions)
        .map(|i| i.response.status)
        .filter(|s| *s >= 400)
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from([400, 401, 403, 404, 500, 501]),
        "error statuses recorded in the library"
    );
}

/// One snapshot per cassette: every recorded request, sent as is through the cassette in
/// replay mode, and the status and decoded body it answers. Fails if a cassette does not
/// load, an interaction does not replay, or one stays unused.
#[test]
fn every_cassette_replays_its_recorded_requests() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    insta::glob!("../../../../fixtures", "**/*.json", |path| {
        let file = CassetteFile::read(path).unwrap();
        assert!(!file.interactions.is_empty(), "{}", path.display());
        let cassette = Cassette::builder(path)
            .force_mode(Mode::Replay)
            .build()
            .unwrap();
        let answers: Vec<Value> = runtime.block_on(async {
            let mut answers = Vec::new();
            for interaction in &file.interactions {
                let recorded = &interaction.request;
                let mut uri = format!("{REPLAY_ENDPOINT_ORIGIN}{}", recorded.path);
                if !recorded.query.is_empty() {
                    let pairs: Vec<String> = recorded
                        .query
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    uri = format!("{uri}?{}", pairs.join("&"));
                }
                let request = http::Request::builder()
                    .method(recorded.method.as_str())
                    .uri(uri)
                    .body(recorded.body.to_bytes().unwrap())
                    .unwrap();
                let response = cassette.send(request).await.unwrap();
                answers.push(json!({
                    "request": format!("{} {}", recorded.method, recorded.path),
                    "status": response.status().as_u16(),
                    "body": Body::from_bytes(response.body()),
                }));
            }
            answers
        });
        cassette.finish().unwrap().assert_all_used().unwrap();
        insta::assert_yaml_snapshot!(answers);
    });
}

/// The scheme and host of [`REPLAY_ENDPOINT`].
const REPLAY_ENDPOINT_ORIGIN: &str = "https://sandbox.invalid";
