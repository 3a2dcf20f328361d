//! Rows inserted many to a statement: one round trip (PostgreSQL) or one statement step
//! (SQLite) for a few hundred rows instead of one each.

use super::{Db, Val};
use crate::error::Result;

/// At most this many parameters in one statement (SQLite's limit is 32,766, PostgreSQL's
/// 65,535; a few thousand already make the per-statement cost vanish).
const MAX_PARAMS: usize = 4_000;

/// At most this many rows in one statement.
const MAX_ROWS: usize = 500;

/// Rows for one table, gathered, then inserted by [`Many::flush`] a few hundred to a
/// statement (each statement's text is the same for every full chunk: it stays prepared).
#[derive(Debug)]
pub(crate) struct Many {
    /// `INSERT INTO t (a, b) VALUES `.
    head: String,
    /// One row's placeholders: `(?, ?)` (casts allowed).
    marks: String,
    /// Values per row.
    width: usize,
    /// The rows, one after another.
    values: Vec<Val>,
}

impl Many {
    /// Rows for `table (columns)`, each row's placeholders `marks` (one `?` per column).
    pub(crate) fn new(table: &str, columns: &[String], marks: &[&str]) -> Many {
        debug_assert_eq!(columns.len(), marks.len());
        Many {
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            marks: format!("({})", marks.join(", ")),
            width: columns.len().max(1),
            values: Vec::new(),
        }
    }

    /// Adds a row: exactly one value per column.
    pub(crate) fn push(&mut self, row: impl IntoIterator<Item = Val>) {
        let before = self.values.len();
        self.values.extend(row);
        debug_assert_eq!(self.values.len() - before, self.width);
    }

    /// Inserts every waiting row; the number inserted.
    pub(crate) async fn flush<D: Db>(&mut self, db: &mut D) -> Result<u64> {
        let per_statement = (MAX_PARAMS / self.width).clamp(1, MAX_ROWS);
        let full = self.statement(per_statement);
        let mut inserted = 0;
        for chunk in self.values.chunks(per_statement * self.width) {
            let rows = chunk.len() / self.width;
            inserted += if rows == per_statement {
                db.exec(&full, chunk).await?
            } else {
                db.exec(&self.statement(rows), chunk).await?
            };
        }
        self.values.clear();
        Ok(inserted)
    }

    fn statement(&self, rows: usize) -> String {
        let mut sql = String::with_capacity(self.head.len() + rows * (self.marks.len() + 2));
        sql.push_str(&self.head);
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&self.marks);
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_share_one_statement() {
        let mut many = Many::new("t", &["a".into(), "b".into()], &["?", "CAST(? AS TEXT)"]);
        many.push([Val::text("1"), Val::text("x")]);
        many.push([Val::text("2"), Val::text("y")]);
        assert_eq!(many.values.len(), 4);
        assert_eq!(
            many.statement(2),
            "INSERT INTO t (a, b) VALUES (?, CAST(? AS TEXT)), (?, CAST(? AS TEXT))"
        );
    }
}
