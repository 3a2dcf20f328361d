//! The mirror's schema: tables made from the resources' field tables, the views of the derived
//! lists, the bookkeeping tables, and the migrations between schema versions.

use crate::canonical::{Canonical, sha256_hex};
use crate::db::{Db, Dialect, Val, ident};
use crate::error::{Error, Result};
use crate::spec::{SqlType, Table, singular};

/// The schema version this crate writes.
pub const SCHEMA_VERSION: i64 = 2;

/// The owner column of a table's child tables (`contact_id`).
pub(crate) fn owner_column(table: &Table) -> String {
    format!("{}_id", singular(table.name))
}

/// One resource's table and its child tables.
fn resource_ddl(dialect: Dialect, table: &Table) -> Vec<String> {
    let mut columns = vec![format!("{} TEXT PRIMARY KEY", ident("id"))];
    for (field, ty) in table.columns() {
        columns.push(format!("{} {}", ident(&field.column), dialect.sql_type(ty)));
    }
    columns.push(format!(
        "{} {} NOT NULL",
        ident("wire"),
        dialect.sql_type(SqlType::Json)
    ));
    let mut out = vec![format!(
        "CREATE TABLE {} ({})",
        ident(table.name),
        columns.join(", ")
    )];
    let owner = owner_column(table);
    for (_, name, ty) in table.lists() {
        out.push(format!(
            "CREATE TABLE {} ({} TEXT NOT NULL, {} {} NOT NULL, {} {}, PRIMARY KEY ({}, {}))",
            ident(&name),
            ident(&owner),
            ident("position"),
            dialect.sql_type(SqlType::Int),
            ident("value"),
            dialect.sql_type(ty),
            ident(&owner),
            ident("position"),
        ));
    }
    out
}

/// The derived lists, as views: (view, SQL).
const VIEWS: &[(&str, &str)] = &[
    (
        "contact_notes",
        "SELECT c.id AS contact_id, n.note_id FROM contacts c JOIN note_customers n ON n.value = c.id",
    ),
    (
        "company_notes",
        "SELECT c.id AS company_id, n.note_id FROM companies c JOIN note_customers n ON n.value = c.id",
    ),
    (
        "contact_tasks",
        "SELECT c.id AS contact_id, t.id AS task_id FROM contacts c JOIN tasks t ON t.who_id = c.id",
    ),
    (
        "company_tasks",
        "SELECT c.id AS company_id, t.id AS task_id FROM companies c JOIN tasks t ON t.who_id = c.id",
    ),
    (
        "contact_cases",
        "SELECT c.id AS contact_id, k.id AS case_id FROM contacts c JOIN cases k ON k.who_id = c.id",
    ),
    (
        "company_cases",
        "SELECT c.id AS company_id, k.id AS case_id FROM companies c JOIN cases k ON k.who_id = c.id",
    ),
    (
        "contact_opportunities",
        "SELECT c.id AS contact_id, o.id AS opportunity_id FROM contacts c JOIN opportunities o ON o.who_id = c.id",
    ),
    (
        "company_opportunities",
        "SELECT c.id AS company_id, o.id AS opportunity_id FROM companies c JOIN opportunities o ON o.who_id = c.id",
    ),
    (
        "case_tasks",
        "SELECT case_id, id AS task_id FROM tasks WHERE case_id IS NOT NULL",
    ),
    (
        "case_notes",
        "SELECT case_id, id AS note_id FROM notes WHERE case_id IS NOT NULL",
    ),
    (
        "opportunity_tasks",
        "SELECT opportunity_id, id AS task_id FROM tasks WHERE opportunity_id IS NOT NULL",
    ),
    (
        "opportunity_notes",
        "SELECT opportunity_id, id AS note_id FROM notes WHERE opportunity_id IS NOT NULL",
    ),
    (
        "note_comments",
        "SELECT note_id, id AS comment_id FROM comments WHERE note_id IS NOT NULL",
    ),
    (
        "task_comments",
        "SELECT task_id, id AS comment_id FROM comments WHERE task_id IS NOT NULL",
    ),
];

/// Version 1: everything.
fn version_1(dialect: Dialect, tables: &[Table]) -> Vec<String> {
    let json = dialect.sql_type(SqlType::Json);
    let run_id = match dialect {
        Dialect::Sqlite => "INTEGER PRIMARY KEY",
        Dialect::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    };
    let mut out = vec![
        format!(
            "CREATE TABLE _sync_runs (id {run_id}, started_at TEXT NOT NULL, finished_at TEXT, \
             endpoint TEXT NOT NULL, inserted BIGINT, updated BIGINT, deleted BIGINT, \
             skipped {json}, report {json})"
        ),
        format!(
            "CREATE TABLE _deletions (run_id BIGINT NOT NULL, resource TEXT NOT NULL, \
             id TEXT NOT NULL, deleted_at TEXT NOT NULL, wire {json} NOT NULL)"
        ),
        "CREATE INDEX _deletions_by_object ON _deletions (resource, id)".to_owned(),
        "CREATE TABLE custom_field_values (resource TEXT NOT NULL, owner_id TEXT NOT NULL, \
         field_id TEXT NOT NULL, position BIGINT NOT NULL, value TEXT, \
         PRIMARY KEY (resource, owner_id, field_id, position))"
            .to_owned(),
        "CREATE INDEX custom_field_values_by_field ON custom_field_values (field_id, value)"
            .to_owned(),
    ];
    for table in tables {
        out.extend(resource_ddl(dialect, table));
    }
    out.push("CREATE INDEX note_customers_by_customer ON note_customers (value)".to_owned());
    out.push("CREATE INDEX tasks_by_customer ON tasks (who_id)".to_owned());
    for (view, select) in VIEWS {
        out.push(format!("CREATE VIEW {view} AS {select}"));
    }
    out
}

/// Version 2: each object's digest, `wire_sha256`, so that a run compares digests.
fn version_2(tables: &[Table]) -> Vec<String> {
    tables
        .iter()
        .map(|t| format!("ALTER TABLE {} ADD COLUMN wire_sha256 TEXT", ident(t.name)))
        .collect()
}

/// The statements that bring a mirror from `version - 1` to `version`.
fn migration(version: i64, dialect: Dialect, tables: &[Table]) -> Vec<String> {
    match version {
        1 => version_1(dialect, tables),
        2 => version_2(tables),
        _ => Vec::new(),
    }
}

/// Gives every object a mirror made before version 2 holds its digest: that of its `wire`
/// made canonical again (PostgreSQL's `JSONB` keeps neither the text nor the key order). An
/// object whose `wire` cannot be read keeps none, and the next run rewrites it.
async fn fill_digests<D: Db>(db: &mut D, tables: &[Table]) -> Result<()> {
    /// Objects per statement.
    const PER_STATEMENT: usize = 500;
    let mut canonical = Canonical::default();
    for table in tables {
        let t = ident(table.name);
        let mut digests = Vec::new();
        for row in db.query(&format!("SELECT id, wire FROM {t}"), &[]).await? {
            let mut row = row.into_iter();
            let id = row.next().and_then(Val::into_text);
            let wire = row.next().and_then(Val::into_json);
            if let (Some(id), Some(wire)) = (id, wire) {
                digests.push(Val::text(id));
                digests.push(Val::text(sha256_hex(&canonical.write(&wire)?)));
            }
        }
        // `VALUES` names its columns `column1`, `column2` in both databases.
        for chunk in digests.chunks(2 * PER_STATEMENT) {
            let rows = vec!["(CAST(? AS TEXT), CAST(? AS TEXT))"; chunk.len() / 2].join(", ");
            db.exec(
                &format!(
                    "UPDATE {t} SET wire_sha256 = v.column2 FROM (VALUES {rows}) AS v \
                     WHERE {t}.id = v.column1"
                ),
                chunk,
            )
            .await?;
        }
    }
    Ok(())
}

/// Brings the mirror's schema to [`SCHEMA_VERSION`], inside the run's transaction.
///
/// # Errors
///
/// [`Error::NewerSchema`] for a mirror made by a newer version; the database's errors.
pub(crate) async fn migrate<D: Db>(db: &mut D, tables: &[Table]) -> Result<i64> {
    db.batch("CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        .await?;
    let found = meta(db, "schema_version")
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for version in found + 1..=SCHEMA_VERSION {
        tracing::info!(target: "clevertim_sync", "migrating the mirror's schema to version {version}");
        for statement in migration(version, db.dialect(), tables) {
            db.exec(&statement, &[]).await?;
        }
        if version == 2 && found > 0 {
            fill_digests(db, tables).await?;
        }
        set_meta(db, "schema_version", &version.to_string()).await?;
    }
    Ok(found)
}

/// A value of `_meta`.
pub(crate) async fn meta<D: Db>(db: &mut D, key: &str) -> Result<Option<String>> {
    let rows = db
        .query("SELECT value FROM _meta WHERE key = ?", &[Val::text(key)])
        .await?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|row| row.into_iter().next())
        .and_then(Val::into_text))
}

/// Sets a value of `_meta`.
pub(crate) async fn set_meta<D: Db>(db: &mut D, key: &str, value: &str) -> Result<()> {
    db.exec("DELETE FROM _meta WHERE key = ?", &[Val::text(key)])
        .await?;
    db.exec(
        "INSERT INTO _meta (key, value) VALUES (?, ?)",
        &[Val::text(key), Val::text(value)],
    )
    .await?;
    Ok(())
}
