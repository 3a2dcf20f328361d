//! A SQLite mirror of the sandbox: what each run writes, counted by triggers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use clevertim::{Contact, CustomField, ElemType, Scope};
use clevertim_sandbox::Sandbox;
use clevertim_sync::{Error, Options};
use common::*;

fn count(path: &std::path::Path, table: &str) -> i64 {
    scalar(path, &format!("SELECT COUNT(*) FROM \"{table}\""))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_with_no_change_writes_no_row() {
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let (_dir, path) = mirror_file();
    let first = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert!(first.is_complete(), "{first:?}");
    let contacts = session.core().all::<Contact>().await.unwrap().len() as i64;
    assert!(contacts > 0);
    assert_eq!(count(&path, "contacts"), contacts);
    assert!(count(&path, "notes") > 0 && count(&path, "tasks") > 0);

    install_counters(&path);
    let second = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert_eq!(
        writes(&path),
        Vec::<(String, String)>::new(),
        "the triggers saw writes"
    );
    assert_eq!(second.changed(), 0);
    assert_eq!(
        scalar(
            &path,
            "SELECT COUNT(*) FROM _sync_runs WHERE finished_at IS NOT NULL"
        ),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_edit_writes_exactly_one_row() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    install_counters(&path);

    let mut contact = session.core().all::<Contact>().await.unwrap().remove(0);
    contact.set_title("Chief Mirror Officer");
    session.core().save(&mut contact).await.unwrap();
    let report = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();

    assert_eq!(
        writes(&path),
        [("contacts".to_owned(), "UPDATE".to_owned())]
    );
    assert_eq!(report.changed(), 1);
    let id = contact.key().unwrap().to_string();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let title: String = conn
        .query_row("SELECT title FROM contacts WHERE id = ?", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(title, "Chief Mirror Officer");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_delete_removes_one_row_and_leaves_a_tombstone() {
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let (_dir, path) = mirror_file();
    let mut loner = Contact::new();
    loner.set_first_name("Lone").set_last_name("Ranger");
    session.core().save(&mut loner).await.unwrap();
    let id = loner.key().unwrap().to_string();
    sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    install_counters(&path);

    session.core().delete(&mut loner).await.unwrap();
    let report = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();

    assert_eq!(
        writes(&path),
        [("contacts".to_owned(), "DELETE".to_owned())]
    );
    assert_eq!(report.changed(), 1);
    let tombstones = scalar(
        &path,
        &format!(
            "SELECT COUNT(*) FROM _deletions WHERE resource = 'contact' AND id = '{id}' AND wire LIKE '%Ranger%'"
        ),
    );
    assert_eq!(tombstones, 1);
    assert_eq!(scalar(&path, "SELECT COUNT(*) FROM _deletions"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_custom_field_is_new_rows_and_no_schema_change() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    let schema_before = schema(&path);
    install_counters(&path);

    let mut shoe = CustomField::new();
    shoe.set_name("Shoe size")
        .set_elem_type(ElemType::Input)
        .set_scopes([Scope::Customers]);
    session.core().save(&mut shoe).await.unwrap();
    let mut contact = session.core().all::<Contact>().await.unwrap().remove(0);
    contact.set_custom_field(shoe.key().unwrap(), "44");
    session.core().save(&mut contact).await.unwrap();
    sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();

    assert_eq!(
        schema(&path),
        schema_before,
        "a new custom field changed the schema"
    );
    let writes = writes(&path);
    assert!(
        writes
            .iter()
            .all(|(table, op)| op == "INSERT" || (table == "contacts" && op == "UPDATE")),
        "{writes:?}"
    );
    assert!(
        writes.contains(&("custom_fields".into(), "INSERT".into())),
        "{writes:?}"
    );
    let value = scalar(
        &path,
        &format!(
            "SELECT COUNT(*) FROM custom_field_values WHERE resource = 'contact' AND owner_id = '{}' \
             AND field_id = '{}' AND value = '44'",
            contact.key().unwrap(),
            shoe.key().unwrap()
        ),
    );
    assert_eq!(value, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mass_delete_stops_unless_forced() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    let before = dump(&path);
    let contacts = session.core().all::<Contact>().await.unwrap();
    let total = contacts.len();
    for mut contact in contacts.into_iter().take(total / 2 + 1) {
        session.core().delete(&mut contact).await.unwrap();
    }

    let refused = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::MassDelete { resource: "contacts", would_delete, .. } if would_delete as usize == total / 2 + 1),
        "{refused}"
    );
    assert_eq!(dump(&path), before, "a refused run changed the mirror");

    sync_sqlite(&session, &path, &Options::default().force(true))
        .await
        .unwrap();
    assert_eq!(count(&path, "contacts") as usize, total - (total / 2 + 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mirror_of_another_account_is_refused() {
    let first = Sandbox::start().await.unwrap();
    let other = Sandbox::start().await.unwrap();
    let (_dir, path) = mirror_file();
    sync_sqlite(&session(&first), &path, &Options::default())
        .await
        .unwrap();
    let before = dump(&path);
    let refused = sync_sqlite(&session(&other), &path, &Options::default())
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::OtherAccount { .. }), "{refused}");
    assert!(!refused.to_string().contains(first.api_key()));
    assert_eq!(dump(&path), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runs_at_once_cannot_both_write() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    // Another writer holds the lock (as a run inside its transaction does).
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let options = Options::default().busy_timeout(Duration::from_millis(200));
    let refused = sync_sqlite(&session, &path, &options).await.unwrap_err();
    assert!(matches!(refused, Error::Busy), "{refused}");
    other.execute_batch("ROLLBACK").unwrap();
    sync_sqlite(&session, &path, &options).await.unwrap();

    // Two real runs started together: both end, one after the other, never interleaved.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (session, path) = (session.clone(), path.clone());
            tokio::spawn(async move { sync_sqlite(&session, &path, &Options::default()).await })
        })
        .collect();
    for run in runs {
        run.await.unwrap().unwrap();
    }
    assert_eq!(
        scalar(
            &path,
            "SELECT COUNT(*) FROM _sync_runs WHERE finished_at IS NULL"
        ),
        0
    );
}

/// A session whose transport refuses `GET /api/task` as the API refuses a user without the
/// permission (HTTP 403), and passes everything else to the hyper transport.
fn session_without_tasks(sandbox: &Sandbox) -> clevertim::Session {
    use clevertim::Transport as _;
    use clevertim::bytes::Bytes;
    let inner = std::sync::Arc::new(
        clevertim::transports::HyperTransport::builder()
            .build()
            .unwrap(),
    );
    let transport = clevertim::transport_fn(move |request: clevertim::http::Request<Bytes>| {
        let inner = inner.clone();
        async move {
            if request.uri().path().ends_with("/task") {
                let body = Bytes::from(r#"{"status":"ERROR","error":"no permission"}"#);
                let mut refused = clevertim::http::Response::new(body);
                *refused.status_mut() = clevertim::http::StatusCode::FORBIDDEN;
                return Ok(refused);
            }
            inner.send(request).await
        }
    });
    clevertim::Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .transport(transport)
        .no_cache()
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resource_that_cannot_be_read_is_neither_updated_nor_emptied() {
    let (sandbox, session, _dir, path) = first_mirror().await;
    let tasks_before = scalar(&path, "SELECT COUNT(*) FROM tasks");
    let mut task = session
        .core()
        .all::<clevertim::Task>()
        .await
        .unwrap()
        .remove(0);
    session.core().delete(&mut task).await.unwrap();
    let mut contact = session.core().all::<Contact>().await.unwrap().remove(0);
    contact.set_title("Still mirrored");
    session.core().save(&mut contact).await.unwrap();

    let report = sync_sqlite(&session_without_tasks(&sandbox), &path, &Options::default())
        .await
        .unwrap();
    assert!(!report.is_complete());
    let tasks = report
        .resources
        .iter()
        .find(|r| r.resource == "task")
        .unwrap();
    assert!(
        tasks
            .skipped
            .as_deref()
            .unwrap_or_default()
            .contains("permission"),
        "{tasks:?}"
    );
    assert_eq!(scalar(&path, "SELECT COUNT(*) FROM tasks"), tasks_before);
    assert_eq!(
        scalar(
            &path,
            "SELECT COUNT(*) FROM contacts WHERE title = 'Still mirrored'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mirror_with_a_newer_schema_is_refused() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    assert_eq!(
        scalar(
            &path,
            "SELECT CAST(value AS INTEGER) FROM _meta WHERE key = 'schema_version'"
        ),
        clevertim_sync::SCHEMA_VERSION
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("UPDATE _meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let before = dump(&path);
    let refused = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::NewerSchema { found: 99, .. }),
        "{refused}"
    );
    assert_eq!(dump(&path), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_object_is_stored_as_canonical_json_with_its_digest() {
    use sha2::Digest as _;
    let (_sandbox, _session, _dir, path) = first_mirror().await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut objects = 0;
    for table in resource_tables(&path) {
        let mut statement = conn
            .prepare(&format!("SELECT wire, wire_sha256 FROM \"{table}\""))
            .unwrap();
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .unwrap();
        for row in rows {
            let (wire, sha256) = row.unwrap();
            // Canonical: the text of a `serde_json::Value`, whose keys are sorted at every depth.
            let value: serde_json::Value = serde_json::from_str(&wire).unwrap();
            assert_eq!(wire, value.to_string(), "{table}");
            assert_eq!(
                sha256,
                format!("{:x}", sha2::Sha256::digest(&wire)),
                "{table}"
            );
            objects += 1;
        }
    }
    assert!(objects > 20, "only {objects} objects mirrored");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_version_1_mirror_gets_its_digests_and_no_object_is_rewritten() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    let fresh = dump(&path);
    // Back to version 1: the same tables without their digests.
    let tables = resource_tables(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    for table in &tables {
        conn.execute_batch(&format!("ALTER TABLE \"{table}\" DROP COLUMN wire_sha256"))
            .unwrap();
    }
    conn.execute_batch("UPDATE _meta SET value = '1' WHERE key = 'schema_version'")
        .unwrap();
    drop(conn);
    let objects: i64 = tables.iter().map(|t| count(&path, t)).sum();
    install_counters(&path);

    let migrated = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert_eq!(migrated.changed(), 0, "{migrated:?}");
    let written = writes(&path);
    assert_only_digests_written(&written, &tables, objects);
    assert_eq!(
        dump(&path),
        fresh,
        "the migrated mirror differs from a fresh one"
    );

    sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert_eq!(writes(&path), Vec::<(String, String)>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_object_whose_mirrored_json_was_spoiled_is_rewritten_whole() {
    let (_sandbox, session, _dir, path) = first_mirror().await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    // A contact with child rows; its JSON replaced by hand with something that is no object.
    let id: String = conn
        .query_row(
            "SELECT contact_id FROM contact_emails ORDER BY contact_id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let spoiled = conn
        .execute(
            "UPDATE contacts SET wire = 'null', wire_sha256 = NULL WHERE id = ?",
            [&id],
        )
        .unwrap();
    assert_eq!(spoiled, 1);
    drop(conn);

    let report = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert_eq!(report.changed(), 1, "{report:?}");
    let (_fresh_dir, fresh) = mirror_file();
    sync_sqlite(&session, &fresh, &Options::default())
        .await
        .unwrap();
    assert_eq!(dump(&path), dump(&fresh));
}
