//! What the sync tests share: a sandbox session, write counters installed by triggers, and a
//! dump of a mirror's data.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

pub mod kill;

use std::path::{Path, PathBuf};

use clevertim_sandbox::Sandbox;
use clevertim_sync::{Options, Report, Target};
use rusqlite::Connection;

/// A session to `sandbox`, without a cache (a sync reads whole lists).
pub fn session(sandbox: &Sandbox) -> clevertim::Session {
    session_to(&sandbox.endpoint(), sandbox.api_key())
}

/// A session to an endpoint.
pub fn session_to(endpoint: &str, key: &str) -> clevertim::Session {
    clevertim::Session::builder(key)
        .endpoint(endpoint)
        .no_cache()
        .build()
        .expect("a session")
}

/// A fresh temporary directory and the mirror file in it.
pub fn mirror_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("mirror.db");
    (dir, path)
}

/// Runs a sync to the SQLite file `path`.
pub async fn sync_sqlite(
    session: &clevertim::Session,
    path: &Path,
    options: &Options,
) -> clevertim_sync::Result<Report> {
    clevertim_sync::sync(session.core(), &Target::Sqlite(path.to_owned()), options).await
}

/// A sandbox, a session to it, and a first mirror of it in a fresh SQLite file (in the
/// directory returned, removed when it drops).
pub async fn first_mirror() -> (Sandbox, clevertim::Session, tempfile::TempDir, PathBuf) {
    let sandbox = Sandbox::start().await.unwrap();
    let session = session(&sandbox);
    let (dir, path) = mirror_file();
    let report = sync_sqlite(&session, &path, &Options::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report:?}");
    (sandbox, session, dir, path)
}

/// The first column of a query's rows, as text.
fn names(conn: &Connection, sql: &str) -> Vec<String> {
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The mirror's data tables (not the `_` bookkeeping tables, not SQLite's own).
pub fn data_tables(conn: &Connection) -> Vec<String> {
    names(
        conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' \
         AND name NOT LIKE 'sqlite%' ORDER BY name",
    )
}

/// The mirror's resource tables: the data tables with a `wire` column.
pub fn resource_tables(path: &Path) -> Vec<String> {
    names(
        &Connection::open(path).unwrap(),
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND c.name = 'wire' AND m.name NOT LIKE '\\_%' ESCAPE '\\' \
         ORDER BY m.name",
    )
}

/// Checks what the triggers saw while a version 1 mirror of `tables`, holding `objects`
/// objects, was migrated: one `UPDATE` per object (its digest), nothing else.
pub fn assert_only_digests_written(written: &[(String, String)], tables: &[String], objects: i64) {
    assert!(
        written
            .iter()
            .all(|(t, op)| op == "UPDATE" && tables.contains(t)),
        "the migration wrote more than digests: {written:?}"
    );
    assert_eq!(written.len() as i64, objects, "one digest per object");
}

/// Installs triggers that log every row written to the mirror's data tables into
/// `_test_writes (tbl, op)`: the count of writes does not rely on the tool's own report.
pub fn install_counters(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("CREATE TABLE IF NOT EXISTS _test_writes (tbl TEXT, op TEXT)")
        .unwrap();
    for table in data_tables(&conn) {
        for op in ["INSERT", "UPDATE", "DELETE"] {
            conn.execute_batch(&format!(
                "CREATE TRIGGER \"_count_{table}_{op}\" AFTER {op} ON \"{table}\" \
                 BEGIN INSERT INTO _test_writes VALUES ('{table}', '{op}'); END"
            ))
            .unwrap();
        }
    }
    conn.execute_batch("DELETE FROM _test_writes").unwrap();
}

/// The writes the triggers saw since the last call, as (table, op) sorted; clears them.
pub fn writes(path: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT tbl, op FROM _test_writes ORDER BY tbl, op")
        .unwrap();
    let out = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute_batch("DELETE FROM _test_writes").unwrap();
    out
}

/// Every row of every data table, as text, sorted: two mirrors with the same dump hold the
/// same data.
pub fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for table in data_tables(&conn) {
        let mut statement = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let width = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                let cells: Vec<String> = (0..width)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out.sort();
    out
}

/// One number from a query.
pub fn scalar(path: &Path, sql: &str) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The schema's SQL (tables, views, indexes), without the test's own triggers.
pub fn schema(path: &Path) -> Vec<String> {
    names(
        &Connection::open(path).unwrap(),
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND type <> 'trigger' AND name <> '_test_writes' ORDER BY name",
    )
}
