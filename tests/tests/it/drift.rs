//! Drift between the client's models and the sandbox's rules table, caught by running both:
//!
//! - every object the sandbox serves (its demo data, every resource) decodes with nothing in
//!   `extra()` but the server-side extras the sandbox sends on purpose, and comes in the full
//!   shape (every field of the model present);
//! - every writable field of every model round-trips through the sandbox;
//! - every field of the sandbox's rules table is known to the model, with the same role
//!   (writable, or computed by the server), and no extra is known to the model.
//!
//! A field added to one side and forgotten on the other fails here, naming it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use clevertim::{
    Backend, Case, Comment, Company, Contact, CustomField, Fields, File, Folder, Group, LinkedFile,
    Note, Opportunity, Resource, Session, Task, User,
};
use clevertim_sandbox::Sandbox;
use clevertim_sandbox::table::{self, ResourceFields};
use serde_json::{Value, json};

/// A model as this test needs it: its table, its unknown fields, its JSON.
trait Model: Resource + Fields + Default {
    fn unknown_fields(&self) -> BTreeSet<String>;
}

macro_rules! models {
    ($($model:ty),* $(,)?) => {
        $(impl Model for $model {
            fn unknown_fields(&self) -> BTreeSet<String> {
                self.extra().keys().cloned().collect()
            }
        })*
    };
}

models!(
    Contact,
    Company,
    Case,
    Opportunity,
    Task,
    Note,
    Comment,
    CustomField,
    User,
    Group,
    Folder,
    File,
    LinkedFile,
);

/// The sandbox's description of `R`.
fn sandbox_fields<R: Model>() -> ResourceFields {
    table::resources()
        .into_iter()
        .find(|r| r.name == R::PATH)
        .unwrap_or_else(|| panic!("the sandbox does not serve {}", R::PATH))
}

fn session(sandbox: &Sandbox) -> Session {
    Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .backend(Backend::Hyper)
        .no_proxy()
        .no_cache()
        .build()
        .unwrap()
}

fn as_json<R: Model>(object: &R) -> serde_json::Map<String, Value> {
    match serde_json::to_value(object).unwrap() {
        Value::Object(map) => map,
        other => panic!("{} serialises as {other}", R::PATH),
    }
}

/// Every served object of `R`: no unknown field but the sandbox's extras, every model
/// field present. Returns how many were checked.
async fn check_served<R: Model>(session: &Session) -> usize {
    let extras: BTreeSet<String> = sandbox_fields::<R>()
        .extras
        .iter()
        .map(|e| (*e).to_owned())
        .collect();
    let all: Vec<R> = session.all().await.unwrap();
    for object in &all {
        let unknown = object.unknown_fields();
        assert!(
            unknown.is_subset(&extras),
            "{} {:?}: fields the model does not know: {:?}",
            R::PATH,
            object.key(),
            unknown.difference(&extras).collect::<Vec<_>>()
        );
        let served = as_json(object);
        let missing: Vec<&str> = R::FIELDS
            .iter()
            .map(|f| f.wire)
            .filter(|wire| !served.contains_key(*wire))
            .collect();
        assert!(
            missing.is_empty(),
            "{} {:?} is served without {missing:?} (the full shape has every field)",
            R::PATH,
            object.key()
        );
    }
    all.len()
}

#[tokio::test]
async fn every_served_object_decodes_with_only_the_intended_extras() {
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let counts = [
        (Contact::PATH, check_served::<Contact>(&session).await),
        (Company::PATH, check_served::<Company>(&session).await),
        (Case::PATH, check_served::<Case>(&session).await),
        (
            Opportunity::PATH,
            check_served::<Opportunity>(&session).await,
        ),
        (Task::PATH, check_served::<Task>(&session).await),
        (Note::PATH, check_served::<Note>(&session).await),
        (Comment::PATH, check_served::<Comment>(&session).await),
        (
            CustomField::PATH,
            check_served::<CustomField>(&session).await,
        ),
        (User::PATH, check_served::<User>(&session).await),
        (Group::PATH, check_served::<Group>(&session).await),
        (Folder::PATH, check_served::<Folder>(&session).await),
        (File::PATH, check_served::<File>(&session).await),
        (LinkedFile::PATH, check_served::<LinkedFile>(&session).await),
    ];
    for (path, count) in counts {
        assert!(count > 0, "the demo data has no {path}");
    }
    // The extras are sent on purpose: a client must keep what it does not know.
    let notes: Vec<Note> = session.all().await.unwrap();
    assert!(notes.iter().all(|n| n.extra().contains_key("fmt")));
    let tasks: Vec<Task> = session.all().await.unwrap();
    assert!(tasks.iter().all(|t| t.extra().contains_key("atypet")));
}

/// A value the sandbox accepts for `wire` on `resource`, given the demo data.
fn sample(resource: &str, wire: &str) -> Option<Value> {
    Some(match (resource, wire) {
        ("note", "cust") => json!([3, 1]),
        (_, "cust") => json!(3),
        ("note", "desc") => json!("Drift\nsecond line"),
        ("note", "type") => json!("S"),
        ("customfield", "name") => json!("Drift field"),
        ("customfield", "elemType") => json!("select"),
        ("customfield", "modelType") => json!(["cases", "opportunities"]),
        ("customfield", "values") => json!(["A", "B"]),
        (_, "fn") => json!("Ada"),
        (_, "ln") => json!("Lovelace"),
        (_, "title") => json!("Countess"),
        (_, "cn") => json!("Drift Ltd"),
        (_, "name") => json!(format!("Drift {resource}")),
        (_, "description") => json!("drift test"),
        (_, "companyId") => json!(1),
        (_, "email") => json!(["ada@example.com"]),
        (_, "website") => json!(["https://example.com"]),
        (_, "phones") => json!([{"no": "+44 20 7946 0000", "type": "Work"}]),
        (_, "smids") => json!([{"smid": "ada", "type": "Github"}]),
        (_, "address") => json!("1 Analytical Row"),
        (_, "city") => json!("London"),
        (_, "postcode") => json!("SW1"),
        (_, "region") => json!("GB-LND"),
        (_, "country") => json!("GB"),
        (_, "ctype") => json!("L"),
        // Custom field 1: an `input` field that applies to every scope.
        (_, "cf") => json!({"1": "drift"}),
        (_, "tags") => json!(["drift"]),
        (_, "is_private") => json!(true),
        (_, "puser") => json!(1),
        (_, "gid") => json!(1),
        (_, "leadUser") => json!(2),
        (_, "status") => json!("Won"),
        (_, "value") => json!("1000.50"),
        (_, "currency") => json!("EUR"),
        (_, "atype") => json!("Call"),
        (_, "location") => json!("Leeds"),
        (_, "case") => json!(1),
        (_, "opp" | "opportunity") => json!(1),
        (_, "startDate") => json!({"y": 2026, "mo": 12, "d": 1, "h": 9, "mi": 30}),
        (_, "endDate") => json!({"y": 2026, "mo": 12, "d": 2}),
        (_, "aUserId") => json!(2),
        (_, "is_completed" | "is_deleted" | "multiple") => json!(true),
        (_, "rec") => json!("W"),
        (_, "recevery") => json!(2),
        (_, "recopts") => json!({"type": "weekday"}),
        (_, "comment") => json!("drift"),
        (_, "nid" | "tid") => json!(1),
        (_, "fullname") => json!("drift.field"),
        (_, "app") => json!("drift"),
        (_, "parentId") => json!("f1"),
        _ => return None,
    })
}

/// Creates an object of `R` with every writable field (but `skip`) set, loads it again, and
/// checks that each field came back as sent. Returns the fields checked.
async fn round_trip<R: Model + PartialEq>(session: &Session, skip: &[&str]) -> Vec<&'static str> {
    let what = R::PATH;
    let mut object = R::default();
    let mut written = Vec::new();
    for field in R::FIELDS
        .iter()
        .filter(|f| f.writable && !skip.contains(&f.wire))
    {
        let value = sample(what, field.wire)
            .unwrap_or_else(|| panic!("{what}.{}: no sample value: add one", field.wire));
        object
            .set_field(field.wire, value)
            .unwrap_or_else(|e| panic!("{what}.{}: {e}", field.wire));
        written.push(field.wire);
    }
    let sent = as_json(&object);
    session
        .save(&mut object)
        .await
        .unwrap_or_else(|e| panic!("create {what}: {e}"));
    let key = object.key().expect("saved");
    let loaded: R = session.load(key).await.unwrap();
    let back = as_json(&loaded);
    let lost: Vec<String> = written
        .iter()
        .filter(|wire| back.get(**wire) != sent.get(**wire))
        .map(|wire| {
            format!(
                "{wire}: sent {:?}, got {:?}",
                sent.get(*wire),
                back.get(*wire)
            )
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{what}: fields that did not round-trip: {lost:#?}"
    );
    assert!(
        loaded.unknown_fields().is_subset(
            &sandbox_fields::<R>()
                .extras
                .iter()
                .map(|e| (*e).to_owned())
                .collect()
        ),
        "{what}: {:?}",
        loaded.unknown_fields()
    );
    written
}

#[tokio::test]
async fn every_writable_field_round_trips() {
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let mut checked = Vec::new();
    checked.extend(round_trip::<Contact>(&session, &[]).await);
    checked.extend(round_trip::<Company>(&session, &[]).await);
    checked.extend(round_trip::<Case>(&session, &[]).await);
    checked.extend(round_trip::<Opportunity>(&session, &[]).await);
    checked.extend(round_trip::<Task>(&session, &[]).await);
    checked.extend(round_trip::<Note>(&session, &[]).await);
    // A comment belongs to a note or to a task, never both: one of each.
    checked.extend(round_trip::<Comment>(&session, &["tid"]).await);
    checked.extend(round_trip::<Comment>(&session, &["nid"]).await);
    checked.extend(round_trip::<CustomField>(&session, &[]).await);
    checked.extend(round_trip::<Folder>(&session, &[]).await);
    checked.extend(round_trip::<File>(&session, &[]).await);
    checked.extend(round_trip::<LinkedFile>(&session, &[]).await);
    assert!(checked.len() > 80, "{} fields checked", checked.len());
}

/// The sandbox's columns for `R` against the model's table.
fn compare_tables<R: Model>() -> Vec<String> {
    let sandbox = sandbox_fields::<R>();
    let what = R::PATH;
    let mut drift = Vec::new();
    let model = |wire: &str| R::FIELDS.iter().find(|f| f.wire == wire);
    // Users and groups are read-only resources: every field is computed for the client.
    let client_writes = |wire: &str| sandbox.writable_resource && sandbox.writable.contains(&wire);
    for wire in sandbox
        .writable
        .iter()
        .chain(&sandbox.computed)
        .chain(&sandbox.derived)
    {
        match model(wire) {
            None => drift.push(format!(
                "{what}.{wire}: served by the sandbox, unknown to the model"
            )),
            Some(f) if f.writable != client_writes(wire) => drift.push(format!(
                "{what}.{wire}: writable in the model: {}, in the sandbox: {}",
                f.writable,
                client_writes(wire)
            )),
            Some(_) => {}
        }
    }
    for extra in &sandbox.extras {
        if model(extra).is_some() {
            drift.push(format!(
                "{what}.{extra}: an extra of the sandbox the model knows: make it a field"
            ));
        }
    }
    for field in R::FIELDS {
        let known = ["ao", "lm"].contains(&field.wire)
            || sandbox.writable.contains(&field.wire)
            || sandbox.computed.contains(&field.wire)
            || sandbox.derived.contains(&field.wire);
        if !known {
            drift.push(format!(
                "{what}.{}: in the model, not in the sandbox's table",
                field.wire
            ));
        }
    }
    drift
}

#[test]
fn every_field_of_the_rules_table_is_known_to_the_model() {
    let drift: Vec<String> = [
        compare_tables::<Contact>(),
        compare_tables::<Company>(),
        compare_tables::<Case>(),
        compare_tables::<Opportunity>(),
        compare_tables::<Task>(),
        compare_tables::<Note>(),
        compare_tables::<Comment>(),
        compare_tables::<CustomField>(),
        compare_tables::<User>(),
        compare_tables::<Group>(),
        compare_tables::<Folder>(),
        compare_tables::<File>(),
        compare_tables::<LinkedFile>(),
    ]
    .concat();
    assert!(drift.is_empty(), "{drift:#?}");
    assert_eq!(
        table::resources().len(),
        13,
        "a resource without a model here"
    );
}
