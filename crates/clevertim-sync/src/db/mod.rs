//! The two databases behind one small interface: statements with `?` placeholders and typed
//! values, run inside the transaction the sync opens.

mod in_list;
mod many;
pub(crate) mod postgres;
pub(crate) mod sqlite;

use serde_json::Value;

use crate::error::Result;
use crate::spec::SqlType;

pub(crate) use in_list::{exec_in, query_in};
pub(crate) use many::Many;

/// Which SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Dialect {
    /// The SQL type of a column.
    pub(crate) fn sql_type(self, ty: SqlType) -> &'static str {
        match (self, ty) {
            (_, SqlType::Text) => "TEXT",
            (Dialect::Sqlite, SqlType::Int) => "INTEGER",
            (Dialect::Postgres, SqlType::Int) => "BIGINT",
            (_, SqlType::Bool) => "BOOLEAN",
            (Dialect::Sqlite, SqlType::Json) => "TEXT",
            (Dialect::Postgres, SqlType::Json) => "JSONB",
        }
    }
}

impl Dialect {
    /// A placeholder for JSON sent as text.
    pub(crate) fn json_param(self) -> &'static str {
        match self {
            Dialect::Sqlite => "?",
            Dialect::Postgres => "CAST(CAST(? AS TEXT) AS JSONB)",
        }
    }
}

/// A typed value (a typed NULL too: PostgreSQL checks parameter types).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// Text.
    Text(Option<String>),
    /// A 64-bit integer.
    Int(Option<i64>),
    /// A boolean.
    Bool(Option<bool>),
    /// JSON.
    Json(Option<Value>),
}

impl Val {
    /// Some text.
    pub(crate) fn text(s: impl Into<String>) -> Val {
        Val::Text(Some(s.into()))
    }

    /// The value as text, when it is text.
    pub(crate) fn into_text(self) -> Option<String> {
        match self {
            Val::Text(s) => s,
            Val::Int(i) => i.map(|i| i.to_string()),
            _ => None,
        }
    }

    /// The value as an integer.
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => *i,
            Val::Text(Some(s)) => s.parse().ok(),
            _ => None,
        }
    }

    /// The value as JSON (SQLite keeps JSON as text).
    pub(crate) fn into_json(self) -> Option<Value> {
        match self {
            Val::Json(v) => v,
            Val::Text(Some(s)) => serde_json::from_str(&s).ok(),
            _ => None,
        }
    }
}

/// A database in a sync's transaction.
pub(crate) trait Db {
    /// Its dialect.
    fn dialect(&self) -> Dialect;
    /// Runs statements without parameters.
    async fn batch(&mut self, sql: &str) -> Result<()>;
    /// Runs one statement; the number of rows it changed.
    async fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64>;
    /// Runs one query; its rows.
    async fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>>;
    /// Opens the transaction and takes the writer's lock.
    ///
    /// # Errors
    ///
    /// [`Error::Busy`](crate::Error::Busy) when another run holds it.
    async fn begin(&mut self) -> Result<()>;
    /// Commits.
    async fn commit(&mut self) -> Result<()>;
    /// Rolls back (errors ignored: the connection goes away with them).
    async fn rollback(&mut self);
}

/// Quotes an identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
