//! PostgreSQL through tokio-postgres.

use std::collections::HashMap;

use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, Statement};

use super::{Db, Dialect, Val};
use crate::error::{Error, Result};

/// The advisory lock's key: one sync at a time per database.
pub(crate) const LOCK_KEY: i64 = 0x636c_6576_7379_6e63; // "clevsync"

/// A PostgreSQL mirror.
pub(crate) struct Postgres {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Postgres {
    /// Connects (plain TCP or a unix socket; no TLS). Needs a tokio runtime: the connection
    /// runs as a task of its own.
    pub(crate) async fn connect(url: &str) -> Result<Postgres> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::warn!(target: "clevertim_sync", "PostgreSQL connection ended: {error}");
            }
        });
        Ok(Postgres {
            client,
            statements: HashMap::new(),
        })
    }

    async fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&numbered(sql)).await?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

/// `?` placeholders as `$1`, `$2`… (the SQL here has no `?` inside strings).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

fn param(value: &Val) -> &(dyn ToSql + Sync) {
    match value {
        Val::Text(v) => v,
        Val::Int(v) => v,
        Val::Bool(v) => v,
        Val::Json(v) => v,
    }
}

fn column(row: &tokio_postgres::Row, i: usize) -> Result<Val> {
    let ty = row.columns()[i].type_();
    Ok(if *ty == Type::INT8 {
        Val::Int(row.try_get(i)?)
    } else if *ty == Type::INT4 {
        Val::Int(row.try_get::<_, Option<i32>>(i)?.map(i64::from))
    } else if *ty == Type::BOOL {
        Val::Bool(row.try_get(i)?)
    } else if *ty == Type::JSONB || *ty == Type::JSON {
        Val::Json(row.try_get(i)?)
    } else {
        Val::Text(row.try_get(i)?)
    })
}

impl Db for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.client.batch_execute(sql).await?)
    }

    async fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        let statement = self.statement(sql).await?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(param).collect();
        Ok(self.client.execute(&statement, &params).await?)
    }

    async fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>> {
        let statement = self.statement(sql).await?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(param).collect();
        let rows = self.client.query(&statement, &params).await?;
        rows.iter()
            .map(|row| (0..row.len()).map(|i| column(row, i)).collect())
            .collect()
    }

    async fn begin(&mut self) -> Result<()> {
        self.client.batch_execute("BEGIN").await?;
        let row = self
            .client
            .query_one("SELECT pg_try_advisory_xact_lock($1)", &[&LOCK_KEY])
            .await?;
        if row.try_get::<_, bool>(0)? {
            Ok(())
        } else {
            self.rollback().await;
            Err(Error::Busy)
        }
    }

    async fn commit(&mut self) -> Result<()> {
        Ok(self.client.batch_execute("COMMIT").await?)
    }

    async fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK").await;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(super::numbered("a = ? AND b = ?"), "a = $1 AND b = $2");
    }
}
