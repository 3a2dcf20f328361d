//! Objects' rows: their table's row, their child rows, their custom field values; new
//! objects' inserted together, changed objects' written only where they changed.

use std::collections::HashMap;

use serde_json::Value;

use crate::db::{Db, Dialect, Many, Val, ident};
use crate::error::Result;
use crate::rows;
use crate::schema::owner_column;
use crate::spec::{Field, Object, Table};

/// The rows of one resource's new objects: gathered while the difference is read, then
/// inserted many to a statement by [`Inserts::flush`].
#[derive(Debug)]
pub(crate) struct Inserts {
    objects: Many,
    /// One per child table, in [`Table::lists`] order.
    lists: Vec<Many>,
    custom: Option<Many>,
}

impl Inserts {
    /// Nothing yet, for `table`.
    pub(crate) fn new(table: &Table, dialect: Dialect) -> Inserts {
        let mut columns = vec![ident("id")];
        columns.extend(table.columns().map(|(f, _)| ident(&f.column)));
        columns.push(ident("wire"));
        columns.push(ident("wire_sha256"));
        let mut marks = vec!["?"; columns.len() - 2];
        marks.push(dialect.json_param());
        marks.push("?");
        let owner = ident(&owner_column(table));
        let lists = table
            .lists()
            .map(|(_, child, _)| {
                let columns = [owner.clone(), ident("position"), ident("value")];
                Many::new(&ident(&child), &columns, &["?"; 3])
            })
            .collect();
        let custom = table.custom_fields().map(|_| {
            let columns = ["resource", "owner_id", "field_id", "position", "value"].map(ident);
            Many::new("custom_field_values", &columns, &["?"; 5])
        });
        Inserts {
            objects: Many::new(&ident(table.name), &columns, &marks),
            lists,
            custom,
        }
    }

    /// Adds a new object (`new` is its `wire`, parsed): its row, its child rows, its custom
    /// field values.
    pub(crate) fn push(&mut self, table: &Table, object: &Object, new: &Value) {
        let id = object.id.as_str();
        let mut row = Vec::with_capacity(table.columns().count() + 2);
        row.push(Val::text(id));
        row.extend(
            table
                .columns()
                .map(|(field, ty)| rows::column(new, field, ty)),
        );
        row.push(Val::text(object.wire.as_str()));
        row.push(Val::text(object.sha256.as_str()));
        self.objects.push(row);
        for ((field, _, ty), many) in table.lists().zip(&mut self.lists) {
            for (position, item) in (0_i64..).zip(rows::items(new, field, ty)) {
                many.push([Val::text(id), Val::Int(Some(position)), item]);
            }
        }
        if let (Some(field), Some(many)) = (table.custom_fields(), &mut self.custom) {
            for (field_id, position, value) in rows::custom_values(new, field) {
                many.push([
                    Val::text(table.resource),
                    Val::text(id),
                    Val::Text(Some(field_id)),
                    Val::Int(Some(position)),
                    value,
                ]);
            }
        }
    }

    /// Inserts every waiting row; the number of objects inserted.
    ///
    /// # Errors
    ///
    /// The database failed.
    pub(crate) async fn flush<D: Db>(&mut self, db: &mut D) -> Result<u64> {
        let inserted = self.objects.flush(db).await?;
        for many in &mut self.lists {
            many.flush(db).await?;
        }
        if let Some(many) = &mut self.custom {
            many.flush(db).await?;
        }
        Ok(inserted)
    }
}

/// Updates one changed object (`new` is its `wire` parsed, `old` the mirror's); rewrites only
/// the child rows whose list changed.
pub(crate) async fn update_object<D: Db>(
    db: &mut D,
    table: &Table,
    object: &Object,
    new: &Value,
    old: &Value,
) -> Result<()> {
    let id = object.id.as_str();
    let t = ident(table.name);
    let mut values: Vec<Val> = table
        .columns()
        .map(|(field, ty)| rows::column(new, field, ty))
        .collect();
    let sets: Vec<String> = table
        .columns()
        .map(|(f, _)| format!("{} = ?", ident(&f.column)))
        .collect();
    values.push(Val::text(object.wire.as_str()));
    values.push(Val::text(object.sha256.as_str()));
    values.push(Val::text(id));
    db.exec(
        &format!(
            "UPDATE {t} SET {}, wire = {}, wire_sha256 = ? WHERE id = ?",
            sets.join(", "),
            db.dialect().json_param()
        ),
        &values,
    )
    .await?;
    let unchanged = |wire: &str| old.get(wire) == new.get(wire);
    let owner = ident(&owner_column(table));
    for (field, child, ty) in table.lists() {
        if unchanged(field.wire) {
            continue;
        }
        let before = rows::items(old, field, ty);
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
    old: &Value,
) -> Result<()> {
    let before: HashMap<(String, i64), Val> = rows::custom_values(old, field)
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
