//! SQLite through rusqlite (bundled SQLite: nothing to install).

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode};

use super::{Db, Dialect, Val};
use crate::error::{Error, Result};

/// An SQLite mirror.
pub(crate) struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    /// Opens (or creates) the file, in WAL mode so that readers never wait for a sync, and
    /// waits up to `busy` for another writer.
    pub(crate) fn open(path: &Path, busy: Duration) -> Result<Sqlite> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(busy)?;
        // Each table's statements stay prepared for the whole run.
        conn.set_prepared_statement_cache_capacity(256);
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(busy_or)?;
        // In WAL mode, NORMAL never corrupts: a power cut may lose the last commit, not more.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A page cache of up to 64 MiB (default 2 MiB): the diff reads every row of the big
        // tables once. Memory only; nothing about durability changes.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        Ok(Sqlite { conn })
    }
}

fn busy_or(error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
        _ => Error::Sqlite(error),
    }
}

fn to_sql(value: &Val) -> ToSqlOutput<'_> {
    match value {
        Val::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Val::Int(Some(i)) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
        Val::Bool(Some(b)) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
        Val::Json(Some(v)) => ToSqlOutput::Owned(SqlValue::Text(v.to_string())),
        Val::Text(None) | Val::Int(None) | Val::Bool(None) | Val::Json(None) => {
            ToSqlOutput::Owned(SqlValue::Null)
        }
    }
}

struct Param<'a>(&'a Val);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(to_sql(self.0))
    }
}

impl Db for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    async fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let changed = statement.execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(changed as u64)
    }

    async fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let width = statement.column_count();
        let params: Vec<Param<'_>> = params.iter().map(Param).collect();
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Val::Text(None),
                    ValueRef::Integer(n) => Val::Int(Some(n)),
                    ValueRef::Real(r) => Val::Text(Some(r.to_string())),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Val::Text(Some(String::from_utf8_lossy(t).into_owned()))
                    }
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    async fn begin(&mut self) -> Result<()> {
        // IMMEDIATE: the write lock now (waiting up to the busy timeout), not at the first write.
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(busy_or)
    }

    async fn commit(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(busy_or)
    }

    async fn rollback(&mut self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }
}
