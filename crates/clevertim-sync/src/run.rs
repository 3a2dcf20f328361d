//! A run: read every resource, then apply the difference in one transaction.

use std::time::Instant;

use clevertim_core::Session;
use serde_json::Value;

use crate::apply::{apply_table, now};
use crate::db::postgres::Postgres;
use crate::db::sqlite::Sqlite;
use crate::db::{Db, Val};
use crate::error::{Error, Result};
use crate::options::{Options, Progress};
use crate::read::{Read, read_all};
use crate::report::{Report, ResourceReport};
use crate::schema;
use crate::spec::{self, Table};
use crate::target::Target;

/// Mirrors the account `session` reads into `target`: reads every resource, then, in one
/// transaction, inserts the new objects, updates the changed ones and deletes the vanished
/// ones (recording each in `_deletions`), and adds a row to `_sync_runs`.
///
/// A resource the key cannot read (or that fails) is left as it was, and said so in the
/// [`Report`]. The session's cache should be off (`SessionBuilder::no_cache`) or fresh: the
/// run reads whole lists. PostgreSQL needs a tokio runtime.
///
/// # Errors
///
/// - [`Error::Read`] when the users (which identify the account) cannot be read;
/// - [`Error::OtherAccount`], [`Error::MassDelete`], [`Error::Busy`], [`Error::NewerSchema`]:
///   the guards, which leave the mirror as it was;
/// - [`Error::Sqlite`], [`Error::Postgres`]: the database failed (the transaction is rolled
///   back).
///
/// ```no_run
/// # async fn demo(session: clevertim_core::Session) -> Result<(), clevertim_sync::Error> {
/// let target = "sqlite:crm.db".parse()?;
/// let report = clevertim_sync::sync(&session, &target, &clevertim_sync::Options::default()).await?;
/// eprintln!("{} objects changed", report.changed());
/// # Ok(()) }
/// ```
pub async fn sync(session: &Session, target: &Target, options: &Options) -> Result<Report> {
    let started = Instant::now();
    let tables = spec::tables();
    let read = read_all(session, &tables, options).await?;
    let account = account(&tables, &read);
    let endpoint = session.endpoint().to_owned();
    let read_ms = started.elapsed().as_secs_f64() * 1000.0;
    let report = match target {
        Target::Sqlite(path) => {
            let mut db = Sqlite::open(path, options.busy_timeout)?;
            write(&mut db, &tables, &read, &endpoint, &account, options).await
        }
        Target::Postgres(url) => {
            let mut db = Postgres::connect(url).await?;
            write(&mut db, &tables, &read, &endpoint, &account, options).await
        }
    };
    let written_ms = started.elapsed().as_secs_f64() * 1000.0;
    drop(read);
    tracing::debug!(
        target: "clevertim_sync",
        read_ms,
        write_ms = written_ms - read_ms,
        freed_ms = started.elapsed().as_secs_f64() * 1000.0 - written_ms,
        "run"
    );
    report
}

/// The account: its owner's key (else every user key), from the users read.
fn account(tables: &[Table], read: &[Read]) -> String {
    let users = tables
        .iter()
        .zip(read)
        .find(|(t, _)| t.resource == "user")
        .and_then(|(t, r)| Some((t, r.as_ref().ok()?)));
    let Some((table, users)) = users else {
        return String::new();
    };
    let owner = table.fields.iter().find(|f| f.name == "is_owner");
    let is_owner = |wire: &str| {
        let wire: Option<Value> = serde_json::from_str(wire).ok();
        owner.is_some_and(|f| wire.and_then(|w| w.get(f.wire).cloned()) == Some(Value::Bool(true)))
    };
    let owners: Vec<&str> = users
        .iter()
        .filter(|user| is_owner(&user.wire))
        .map(|user| user.id.as_str())
        .collect();
    if owners.is_empty() {
        let mut ids: Vec<&str> = users.iter().map(|user| user.id.as_str()).collect();
        ids.sort_unstable();
        format!("users {}", ids.join(","))
    } else {
        format!("owner {}", owners.join(","))
    }
}

/// The transaction: lock, schema, guards, the difference, the run's row.
async fn write<D: Db>(
    db: &mut D,
    tables: &[Table],
    read: &[Read],
    endpoint: &str,
    account: &str,
    options: &Options,
) -> Result<Report> {
    db.begin().await?;
    options.tell(Progress::Writing);
    match apply(db, tables, read, endpoint, account, options).await {
        Ok(report) => {
            db.commit().await?;
            options.tell(Progress::Committed);
            Ok(report)
        }
        Err(error) => {
            db.rollback().await;
            Err(error)
        }
    }
}

async fn apply<D: Db>(
    db: &mut D,
    tables: &[Table],
    read: &[Read],
    endpoint: &str,
    account: &str,
    options: &Options,
) -> Result<Report> {
    schema::migrate(db, tables).await?;
    check_identity(db, endpoint, account).await?;
    let now = now(db.dialect());
    let run = db
        .query(
            &format!(
                "INSERT INTO _sync_runs (started_at, endpoint) VALUES ({now}, ?) RETURNING id"
            ),
            &[Val::text(endpoint)],
        )
        .await?;
    let run_id = run
        .into_iter()
        .next()
        .and_then(|row| row.first().and_then(Val::as_int))
        .unwrap_or_default();
    let mut report = Report {
        run_id,
        endpoint: endpoint.to_owned(),
        account: account.to_owned(),
        resources: Vec::new(),
    };
    for (table, read) in tables.iter().zip(read) {
        let mut resource = ResourceReport {
            resource: table.resource,
            table: table.name,
            ..ResourceReport::default()
        };
        match read {
            Ok(objects) => {
                resource.read = Some(objects.len());
                apply_table(db, table, objects, run_id, options, &mut resource).await?;
                options.tell(Progress::Applied {
                    resource: table.resource,
                });
            }
            Err(reason) => resource.skipped = Some(reason.clone()),
        }
        report.resources.push(resource);
    }
    let skipped: Vec<&str> = report
        .resources
        .iter()
        .filter(|r| r.skipped.is_some())
        .map(|r| r.resource)
        .collect();
    let sum = |f: fn(&ResourceReport) -> u64| report.resources.iter().map(f).sum::<u64>() as i64;
    db.exec(
        &format!(
            "UPDATE _sync_runs SET finished_at = {now}, inserted = ?, updated = ?, deleted = ?, \
             skipped = ?, report = ? WHERE id = ?"
        ),
        &[
            Val::Int(Some(sum(|r| r.inserted))),
            Val::Int(Some(sum(|r| r.updated))),
            Val::Int(Some(sum(|r| r.deleted))),
            Val::Json(Some(serde_json::to_value(&skipped)?)),
            Val::Json(Some(serde_json::to_value(&report.resources)?)),
            Val::Int(Some(run_id)),
        ],
    )
    .await?;
    Ok(report)
}

/// Refuses a mirror made from another endpoint or account; marks a new one as this account's.
async fn check_identity<D: Db>(db: &mut D, endpoint: &str, account: &str) -> Result<()> {
    let mirror_endpoint = schema::meta(db, "endpoint").await?;
    let mirror_account = schema::meta(db, "account").await?;
    match (mirror_endpoint, mirror_account) {
        (Some(e), Some(a)) if e == endpoint && a == account => Ok(()),
        (None, None) => {
            schema::set_meta(db, "endpoint", endpoint).await?;
            schema::set_meta(db, "account", account).await
        }
        (e, a) => Err(Error::OtherAccount {
            mirror_endpoint: e.unwrap_or_default(),
            mirror_account: a.unwrap_or_default(),
            endpoint: endpoint.to_owned(),
            account: account.to_owned(),
        }),
    }
}
