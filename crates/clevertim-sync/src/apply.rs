//! One resource's difference, applied: the mass-delete guard, the deletions and their
//! tombstones, the changed objects, the new ones.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::Value;

use crate::db::{Db, Dialect, Val, exec_in, ident, query_in};
use crate::diff::{Difference, difference};
use crate::error::{Error, Result};
use crate::object::{Inserts, update_object};
use crate::options::Options;
use crate::report::ResourceReport;
use crate::schema::owner_column;
use crate::spec::{Objects, Table};

/// The current time in UTC, as SQL.
pub(crate) fn now(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        Dialect::Postgres => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
    }
}

/// Compares what was read of one resource with the mirror, checks the mass-delete guard, and
/// writes the difference: nothing at all when nothing changed.
///
/// The comparison reads only each mirrored object's key and digest (`wire_sha256`); an
/// object's old JSON is read only when its digest differs.
pub(crate) async fn apply_table<D: Db>(
    db: &mut D,
    table: &Table,
    objects: &Objects,
    run_id: i64,
    options: &Options,
    report: &mut ResourceReport,
) -> Result<()> {
    let started = Instant::now();
    let t = ident(table.name);
    let held: HashMap<String, Option<String>> = db
        .query(&format!("SELECT id, wire_sha256 FROM {t}"), &[])
        .await?
        .into_iter()
        .filter_map(|row| {
            let mut row = row.into_iter();
            Some((
                row.next()?.into_text()?,
                row.next().and_then(Val::into_text),
            ))
        })
        .collect();
    let difference = difference(objects, held);
    let compared_at = started.elapsed();

    // The guard, before anything is written.
    let gone = difference.gone.len() as u64;
    let existing = difference.held as u64;
    if !options.force && gone > 0 && gone as f64 > options.max_delete_share * existing as f64 {
        return Err(Error::MassDelete {
            resource: table.name,
            would_delete: gone,
            of: existing,
            percent: (options.max_delete_share * 100.0).round() as u32,
        });
    }
    if gone > 0 {
        report.deleted = delete(db, table, &difference.gone, run_id).await?;
    }
    report.updated = update(db, table, &difference).await?;
    if !difference.new.is_empty() {
        let mut inserts = Inserts::new(table, db.dialect());
        for object in &difference.new {
            let new: Value = serde_json::from_str(&object.wire)?;
            inserts.push(table, object, &new);
        }
        report.inserted = inserts.flush(db).await?;
    }
    tracing::debug!(
        target: "clevertim_sync",
        resource = table.resource,
        objects = objects.len(),
        compared_ms = compared_at.as_secs_f64() * 1000.0,
        total_ms = started.elapsed().as_secs_f64() * 1000.0,
        "applied"
    );
    Ok(())
}

/// Deletes the vanished objects `gone` and their rows, a tombstone each; how many.
async fn delete<D: Db>(db: &mut D, table: &Table, gone: &[String], run_id: i64) -> Result<u64> {
    let t = ident(table.name);
    let now = now(db.dialect());
    exec_in(
        db,
        &format!(
            "INSERT INTO _deletions (run_id, resource, id, deleted_at, wire) \
             SELECT CAST(? AS BIGINT), CAST(? AS TEXT), id, {now}, wire FROM {t} WHERE id IN {{ids}}"
        ),
        &[Val::Int(Some(run_id)), Val::text(table.resource)],
        gone,
    )
    .await?;
    delete_children(db, table, gone).await?;
    exec_in(
        db,
        &format!("DELETE FROM {t} WHERE id IN {{ids}}"),
        &[],
        gone,
    )
    .await
}

/// Deletes the child rows and custom field values of the objects `ids`.
async fn delete_children<D: Db>(db: &mut D, table: &Table, ids: &[String]) -> Result<()> {
    let owner = ident(&owner_column(table));
    for (_, child, _) in table.lists() {
        let sql = format!("DELETE FROM {} WHERE {owner} IN {{ids}}", ident(&child));
        exec_in(db, &sql, &[], ids).await?;
    }
    if table.custom_fields().is_some() {
        exec_in(
            db,
            "DELETE FROM custom_field_values WHERE resource = ? AND owner_id IN {ids}",
            &[Val::text(table.resource)],
            ids,
        )
        .await?;
    }
    Ok(())
}

/// Rewrites the changed objects where they changed; how many.
async fn update<D: Db>(db: &mut D, table: &Table, difference: &Difference<'_>) -> Result<u64> {
    if difference.changed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = difference.changed.iter().map(|o| o.id.clone()).collect();
    let sql = format!(
        "SELECT id, wire FROM {} WHERE id IN {{ids}}",
        ident(table.name)
    );
    let old: HashMap<String, Value> = query_in(db, &sql, &[], &ids)
        .await?
        .into_iter()
        .filter_map(|row| {
            let mut row = row.into_iter();
            let id = row.next()?.into_text()?;
            Some((id, row.next()?.into_json().filter(Value::is_object)?))
        })
        .collect();
    // An old JSON the mirror cannot give back as an object (edited by hand?): its rows are
    // written anew.
    let unreadable: Vec<String> = ids
        .iter()
        .filter(|id| !old.contains_key(*id))
        .cloned()
        .collect();
    delete_children(db, table, &unreadable).await?;
    let mut updated = 0;
    for object in &difference.changed {
        let new: Value = serde_json::from_str(&object.wire)?;
        let old = old.get(&object.id).unwrap_or(&Value::Null);
        update_object(db, table, object, &new, old).await?;
        updated += 1;
    }
    Ok(updated)
}
