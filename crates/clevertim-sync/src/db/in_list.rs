//! Statements over a list of keys: `id IN (?, ?, …)`, a few hundred keys to a statement.

use super::{Db, Val};
use crate::error::Result;

/// Keys per statement: far below both databases' limits on parameters, and a full chunk's
/// statement text is the same every time, so it stays prepared.
const PER_STATEMENT: usize = 500;

/// What `{ids}` stands for in the statements given here.
const MARK: &str = "{ids}";

/// `sql` with `{ids}` as a list of `n` placeholders.
fn expand(sql: &str, n: usize) -> String {
    let marks = vec!["?"; n].join(", ");
    sql.replace(MARK, &format!("({marks})"))
}

/// The parameters of one chunk: `leading`, then the keys.
fn params(leading: &[Val], ids: &[String]) -> Vec<Val> {
    leading
        .iter()
        .cloned()
        .chain(ids.iter().map(|id| Val::text(id.as_str())))
        .collect()
}

/// Runs `sql`, where `{ids}` stands for a list of keys (after the `leading` parameters), over
/// every key of `ids`; the rows changed in all.
pub(crate) async fn exec_in<D: Db>(
    db: &mut D,
    sql: &str,
    leading: &[Val],
    ids: &[String],
) -> Result<u64> {
    let mut changed = 0;
    for chunk in ids.chunks(PER_STATEMENT) {
        changed += db
            .exec(&expand(sql, chunk.len()), &params(leading, chunk))
            .await?;
    }
    Ok(changed)
}

/// Runs the query `sql`, where `{ids}` stands for a list of keys (after the `leading`
/// parameters), over every key of `ids`; every chunk's rows.
pub(crate) async fn query_in<D: Db>(
    db: &mut D,
    sql: &str,
    leading: &[Val],
    ids: &[String],
) -> Result<Vec<Vec<Val>>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(PER_STATEMENT) {
        rows.extend(
            db.query(&expand(sql, chunk.len()), &params(leading, chunk))
                .await?,
        );
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_becomes_a_list_of_placeholders() {
        assert_eq!(
            expand("DELETE FROM t WHERE r = ? AND id IN {ids}", 3),
            "DELETE FROM t WHERE r = ? AND id IN (?, ?, ?)"
        );
        let ids = ["a".to_owned(), "b".to_owned()];
        assert_eq!(
            params(&[Val::Int(Some(1))], &ids),
            [Val::Int(Some(1)), Val::text("a"), Val::text("b")]
        );
    }
}
