//! One object's rows: its table's row, its child rows, its custom field values, each written
//! only where it changed.

use std::collections::HashMap;

use serde_json::Value;

use crate::db::{Db, Val, ident};
use crate::error::Result;
use crate::rows;
use crate::schema::owner_column;
use crate::spec::{Field, Table};

/// Inserts (no `old`) or updates one object; rewrites only the child rows whose list changed.
/// Its `wire` is copied from the staging table, exactly as staged.
pub(crate) async fn write_object<D: Db>(
    db: &mut D,
    table: &Table,
    stage: &str,
    id: &str,
    new: &Value,
    old: Option<&Value>,
) -> Result<()> {
    let t = ident(table.name);
    let mut values: Vec<Val> = table
        .columns()
        .map(|(field, ty)| rows::column(new, field, ty))
        .collect();
    values.push(Val::text(id));
    let names: Vec<String> = table.columns().map(|(f, _)| ident(&f.column)).collect();
    let staged = format!("(SELECT wire FROM {stage} WHERE id = ?)");
    if old.is_some() {
        let sets: Vec<String> = names.iter().map(|n| format!("{n} = ?")).collect();
        values.push(Val::text(id));
        db.exec(
            &format!(
                "UPDATE {t} SET {}, wire = {staged} WHERE id = ?",
                sets.join(", ")
            ),
            &values,
        )
        .await?;
    } else {
        values.insert(0, Val::text(id));
        let marks = vec!["?"; names.len() + 1].join(", ");
        db.exec(
            &format!(
                "INSERT INTO {t} (id, {}, wire) VALUES ({marks}, {staged})",
                names.join(", ")
            ),
            &values,
        )
        .await?;
    }
    let unchanged = |wire: &str| old.is_some_and(|old| old.get(wire) == new.get(wire));
    let owner = ident(&owner_column(table));
    for (field, child, ty) in table.lists() {
        if unchanged(field.wire) {
            continue;
        }
        let before = old
            .map(|old| rows::items(old, field, ty))
            .unwrap_or_default();
        let after = rows::items(new, field, ty);
        let child = ident(&child);
        let key = format!("{owner} = ? AND position = ?");
        let at = |position: i64| [Val::text(id), Val::Int(Some(position))];
        for (position, item) in (0_i64..).zip(&after) {
            match before.get(position as usize) {
                Some(was) if was == item => {}
                Some(_) => {
                    let mut params = vec![item.clone()];
                    params.extend(at(position));
                    db.exec(
                        &format!("UPDATE {child} SET value = ? WHERE {key}"),
                        &params,
                    )
                    .await?;
                }
                None => {
                    let mut params = at(position).to_vec();
                    params.push(item.clone());
                    db.exec(
                        &format!("INSERT INTO {child} ({owner}, position, value) VALUES (?, ?, ?)"),
                        &params,
                    )
                    .await?;
                }
            }
        }
        if before.len() > after.len() {
            db.exec(
                &format!("DELETE FROM {child} WHERE {owner} = ? AND position >= ?"),
                &at(after.len() as i64),
            )
            .await?;
        }
    }
    if let Some(field) = table.custom_fields() {
        if !unchanged(field.wire) {
            write_custom_values(db, table.resource, id, field, new, old).await?;
        }
    }
    Ok(())
}

/// Writes the difference between an object's old and new custom field values, row by row:
/// a new custom field is new rows only.
async fn write_custom_values<D: Db>(
    db: &mut D,
    resource: &'static str,
    id: &str,
    field: &Field,
    new: &Value,
    old: Option<&Value>,
) -> Result<()> {
    let before: HashMap<(String, i64), Val> = old
        .map(|old| rows::custom_values(old, field))
        .unwrap_or_default()
        .into_iter()
        .map(|(f, p, v)| ((f, p), v))
        .collect();
    let after = rows::custom_values(new, field);
    let key = |f: &str, p: i64| {
        [
            Val::text(resource),
            Val::text(id),
            Val::text(f),
            Val::Int(Some(p)),
        ]
    };
    for (field_id, position, value) in &after {
        match before.get(&(field_id.clone(), *position)) {
            Some(was) if was == value => {}
            Some(_) => {
                let mut params = vec![value.clone()];
                params.extend(key(field_id, *position));
                db.exec(
                    "UPDATE custom_field_values SET value = ? WHERE resource = ? AND owner_id = ? \
                     AND field_id = ? AND position = ?",
                    &params,
                )
                .await?;
            }
            None => {
                let mut params = key(field_id, *position).to_vec();
                params.push(value.clone());
                db.exec(
                    "INSERT INTO custom_field_values (resource, owner_id, field_id, position, value) \
                     VALUES (?, ?, ?, ?, ?)",
                    &params,
                )
                .await?;
            }
        }
    }
    for (field_id, position) in before.keys() {
        if !after.iter().any(|(f, p, _)| f == field_id && p == position) {
            db.exec(
                "DELETE FROM custom_field_values WHERE resource = ? AND owner_id = ? \
                 AND field_id = ? AND position = ?",
                &key(field_id, *position),
            )
            .await?;
        }
    }
    Ok(())
}
