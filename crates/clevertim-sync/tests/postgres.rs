//! The same guarantees against a real PostgreSQL (Debian's package; its own cluster per test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clevertim::{Contact, CustomField, ElemType, Scope};
use clevertim_sandbox::Sandbox;
use clevertim_sync::{Error, Options, Target};
use clevertim_testservers::PostgresServer;
use common::session;
use tokio_postgres::{Client, NoTls};

/// A cluster and a client to its `postgres` database; `None` where PostgreSQL is missing
/// (a failure under CI=true).
async fn server() -> Option<(PostgresServer, Client, Target)> {
    let server = PostgresServer::start().expect("PostgreSQL starts")?;
    let url = server.url("postgres");
    let (client, connection) = tokio_postgres::connect(&url, NoTls).await.unwrap();
    tokio::spawn(connection);
    Some((server, client, Target::Postgres(url)))
}

/// Logs every row written to the mirror's data tables into `_test_writes`.
async fn install_counters(client: &Client) {
    client
        .batch_execute(
            "CREATE TABLE _test_writes (tbl TEXT, op TEXT);
             CREATE FUNCTION _count_write() RETURNS trigger AS $$
             BEGIN INSERT INTO _test_writes VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END
             $$ LANGUAGE plpgsql;",
        )
        .await
        .unwrap();
    let tables = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%'",
            &[],
        )
        .await
        .unwrap();
    assert!(tables.len() > 13, "the mirror's tables");
    for row in tables {
        let table: String = row.get(0);
        client
            .batch_execute(&format!(
                "CREATE TRIGGER \"_count_{table}\" AFTER INSERT OR UPDATE OR DELETE ON \"{table}\" \
                 FOR EACH ROW EXECUTE FUNCTION _count_write()"
            ))
            .await
            .unwrap();
    }
}

async fn writes(client: &Client) -> Vec<(String, String)> {
    let rows = client
        .query("DELETE FROM _test_writes RETURNING tbl, op", &[])
        .await
        .unwrap();
    let mut out: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    out.sort();
    out
}

async fn scalar(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_reruns_write_nothing_and_each_change_its_rows() {
    let Some((_server, client, target)) = server().await else {
        return;
    };
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let options = Options::default();
    let sync = || clevertim_sync::sync(session.core(), &target, &options);
    sync().await.unwrap();
    let contacts = session.core().all::<Contact>().await.unwrap();
    assert_eq!(
        scalar(&client, "SELECT COUNT(*) FROM contacts").await,
        contacts.len() as i64
    );
    install_counters(&client).await;

    sync().await.unwrap();
    assert_eq!(writes(&client).await, [], "a rerun wrote rows");

    let mut contact = contacts[0].clone();
    contact.set_title("Chief Mirror Officer");
    session.core().save(&mut contact).await.unwrap();
    sync().await.unwrap();
    assert_eq!(
        writes(&client).await,
        [("contacts".to_owned(), "UPDATE".to_owned())]
    );
    let title: String = client
        .query_one(
            "SELECT title FROM contacts WHERE id = $1",
            &[&contact.key().unwrap().to_string()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(title, "Chief Mirror Officer");

    let mut loner = Contact::new();
    loner.set_first_name("Lone");
    session.core().save(&mut loner).await.unwrap();
    sync().await.unwrap();
    writes(&client).await;
    session.core().delete(&mut loner).await.unwrap();
    sync().await.unwrap();
    assert_eq!(
        writes(&client).await,
        [("contacts".to_owned(), "DELETE".to_owned())]
    );
    assert_eq!(
        scalar(
            &client,
            "SELECT COUNT(*) FROM _deletions WHERE resource = 'contact'"
        )
        .await,
        1
    );

    let mut shoe = CustomField::new();
    shoe.set_name("Shoe size")
        .set_elem_type(ElemType::Input)
        .set_scopes([Scope::Customers]);
    session.core().save(&mut shoe).await.unwrap();
    contact.set_custom_field(shoe.key().unwrap(), "44");
    session.core().save(&mut contact).await.unwrap();
    sync().await.unwrap();
    let written = writes(&client).await;
    assert!(
        written
            .iter()
            .all(|(t, op)| op == "INSERT" || (t == "contacts" && op == "UPDATE")),
        "{written:?}"
    );
    let value = client
        .query_one(
            "SELECT value FROM custom_field_values WHERE owner_id = $1 AND field_id = $2",
            &[
                &contact.key().unwrap().to_string(),
                &shoe.key().unwrap().to_string(),
            ],
        )
        .await
        .unwrap()
        .get::<_, String>(0);
    assert_eq!(value, "44");
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_guards_refuse_and_change_nothing() {
    let Some((_server, client, target)) = server().await else {
        return;
    };
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    clevertim_sync::sync(session.core(), &target, &Options::default())
        .await
        .unwrap();
    let rows = scalar(&client, "SELECT COUNT(*) FROM contacts").await;

    // Two runs at once: the advisory lock is held elsewhere.
    client.batch_execute("BEGIN").await.unwrap();
    client
        .query_one(
            "SELECT pg_advisory_xact_lock($1)",
            &[&clevertim_sync::POSTGRES_LOCK_KEY],
        )
        .await
        .unwrap();
    let busy = clevertim_sync::sync(session.core(), &target, &Options::default())
        .await
        .unwrap_err();
    assert!(matches!(busy, Error::Busy), "{busy}");
    client.batch_execute("ROLLBACK").await.unwrap();

    // Another account.
    let other = Sandbox::start().await.unwrap();
    let refused =
        clevertim_sync::sync(common::session(&other).core(), &target, &Options::default())
            .await
            .unwrap_err();
    assert!(matches!(refused, Error::OtherAccount { .. }), "{refused}");

    // A mass delete.
    for mut contact in session.core().all::<Contact>().await.unwrap() {
        session.core().delete(&mut contact).await.unwrap();
    }
    let refused = clevertim_sync::sync(session.core(), &target, &Options::default())
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::MassDelete { .. }), "{refused}");
    assert_eq!(scalar(&client, "SELECT COUNT(*) FROM contacts").await, rows);
    assert_eq!(scalar(&client, "SELECT COUNT(*) FROM _deletions").await, 0);

    clevertim_sync::sync(session.core(), &target, &Options::default().force(true))
        .await
        .unwrap();
    assert_eq!(scalar(&client, "SELECT COUNT(*) FROM contacts").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_a_version_1_mirror_gets_its_digests_and_no_object_is_rewritten() {
    let Some((_server, client, target)) = server().await else {
        return;
    };
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let options = Options::default();
    let sync = || clevertim_sync::sync(session.core(), &target, &options);
    sync().await.unwrap();
    let digests = "SELECT table_name::text FROM information_schema.columns \
                   WHERE table_schema = 'public' AND column_name = 'wire_sha256'";
    let tables: Vec<String> = client
        .query(digests, &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(tables.len() >= 13, "{tables:?}");
    let mut objects = 0;
    // Back to version 1: the same tables without their digests.
    for table in &tables {
        objects += scalar(&client, &format!("SELECT COUNT(*) FROM \"{table}\"")).await;
        client
            .batch_execute(&format!("ALTER TABLE \"{table}\" DROP COLUMN wire_sha256"))
            .await
            .unwrap();
    }
    client
        .batch_execute("UPDATE _meta SET value = '1' WHERE key = 'schema_version'")
        .await
        .unwrap();
    install_counters(&client).await;

    let migrated = sync().await.unwrap();
    assert_eq!(migrated.changed(), 0, "{migrated:?}");
    let written = writes(&client).await;
    common::assert_only_digests_written(&written, &tables, objects);
    assert_eq!(
        scalar(
            &client,
            "SELECT COUNT(*) FROM contacts WHERE wire_sha256 IS NULL"
        )
        .await,
        0
    );

    sync().await.unwrap();
    assert_eq!(
        writes(&client).await,
        [],
        "a rerun after the migration wrote rows"
    );
}
