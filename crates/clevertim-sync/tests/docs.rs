//! Every `sql` block of docs/sync.md runs against a mirror of the sandbox's demo data and
//! gives the number of rows its `-- rows: N` line says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clevertim_sandbox::Sandbox;
use clevertim_sync::Options;
use common::*;

/// The `sql` blocks of the page, with their expected row counts.
fn queries(page: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("```sql\n") {
        let body = &rest[start + 7..];
        let end = body.find("```").expect("a closed block");
        let block = &body[..end];
        let expected = block
            .lines()
            .find_map(|line| line.trim().strip_prefix("-- rows:"))
            .unwrap_or_else(|| panic!("a query without its `-- rows:` line:\n{block}"))
            .trim()
            .parse()
            .expect("a number of rows");
        out.push((block.to_owned(), expected));
        rest = &body[end + 3..];
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guide_s_queries_run_against_a_mirror_of_the_demo_data() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/sync.md"))
        .unwrap();
    let queries = queries(&page);
    assert!(queries.len() >= 6, "the guide's queries were not found");

    let sandbox = Sandbox::start().await.unwrap();
    let (_dir, path) = mirror_file();
    sync_sqlite(&session(&sandbox), &path, &Options::default())
        .await
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (sql, expected) in queries {
        let mut statement = conn.prepare(&sql).unwrap_or_else(|e| panic!("{e}:\n{sql}"));
        let rows = statement
            .query_map([], |_| Ok(()))
            .unwrap()
            .collect::<Result<Vec<()>, _>>()
            .unwrap();
        assert_eq!(rows.len(), expected, "{sql}");
    }
}
