//! `clevertim sync` as cron runs it: the exit codes docs/sync.md documents, a `--format json`
//! report alone on stdout with the right counts, no progress bar when stderr is not a
//! terminal, and the API key in no output.

use std::net::TcpListener;
use std::path::Path;

use serde_json::Value;

use crate::common::*;

/// A key no other text could contain by chance.
const KEY: &str = "syncTestKey4f9c2e7a81d3b6";

fn sandbox_with_key(key: &str) -> clevertim_sandbox::Sandbox {
    clevertim_sandbox::Sandbox::builder()
        .api_key(key)
        .spawn()
        .expect("sandbox")
}

/// `clevertim sync --to sqlite:MIRROR ARGS --format json` against `endpoint` with `key`.
fn sync(endpoint: &str, key: &str, mirror: &Path, args: &[&str]) -> Run {
    let to = format!("sqlite:{}", mirror.display());
    let mut all = vec!["sync", "--to", to.as_str(), "--format", "json"];
    all.extend_from_slice(args);
    let run = run_at(endpoint, key, &all);
    assert_clean(&run, key);
    run
}

/// No key, and nothing a progress bar draws (its verb, a carriage return, an escape code).
#[track_caller]
fn assert_clean(run: &Run, key: &str) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(key), "the key in {name}: {text}");
        assert!(
            !text.contains("syncing") && !text.contains('\r') && !text.contains('\u{1b}'),
            "a progress bar on {name} (not a terminal): {text:?}"
        );
    }
}

/// The report's entry for `resource`.
fn resource<'a>(report: &'a Value, resource: &str) -> &'a Value {
    report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["resource"] == resource)
        .unwrap_or_else(|| panic!("no {resource} in {report}"))
}

/// The sum of one count over every resource.
fn total(report: &Value, count: &str) -> u64 {
    report["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r[count].as_u64().expect("a count"))
        .sum()
}

/// The contacts' ids, as the CLI lists them.
fn contact_ids(endpoint: &str) -> Vec<String> {
    let list = run_at(endpoint, KEY, &["contact", "list", "--format", "json"])
        .ok()
        .json();
    list.as_array()
        .expect("a list")
        .iter()
        .map(|c| c["id"].to_string())
        .collect()
}

/// A port nothing listens on.
fn closed_endpoint() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    format!("http://127.0.0.1:{port}/api")
}

#[test]
fn a_first_run_and_a_rerun_report_their_counts_in_json_alone_on_stdout() {
    let sandbox = sandbox_with_key(KEY);
    let endpoint = sandbox.endpoint();
    let dir = tempfile::tempdir().expect("tempdir");
    let mirror = dir.path().join("crm.db");

    let first = sync(&endpoint, KEY, &mirror, &[]).ok();
    // The whole of stdout is one JSON document: nothing for a script to skip.
    let report = first.json();
    let contacts = contact_ids(&endpoint).len();
    assert!(contacts > 0, "demo contacts");
    let entry = resource(&report, "contact");
    assert_eq!(entry["read"].as_u64(), Some(contacts as u64), "{report}");
    assert_eq!(
        entry["inserted"].as_u64(),
        Some(contacts as u64),
        "{report}"
    );
    for r in report["resources"].as_array().expect("resources") {
        assert_eq!(r["inserted"], r["read"], "a fresh mirror inserts all: {r}");
        assert!(r["skipped"].is_null(), "{r}");
    }
    assert_eq!(total(&report, "updated") + total(&report, "deleted"), 0);
    assert!(report["run_id"].as_i64().is_some(), "{report}");
    assert!(first.stderr.trim().is_empty(), "stderr: {}", first.stderr);

    let again = sync(&endpoint, KEY, &mirror, &[]).ok();
    let report = again.json();
    for count in ["inserted", "updated", "deleted"] {
        assert_eq!(total(&report, count), 0, "{count} on a rerun: {report}");
    }
    assert_eq!(
        resource(&report, "contact")["read"].as_u64(),
        Some(contacts as u64)
    );

    // The table format, for people, is the report too, and -vv traces hold no key.
    let to = format!("sqlite:{}", mirror.display());
    let table = run_at(&endpoint, KEY, &["sync", "--to", &to, "-vv"]).ok();
    assert!(!table.stdout.contains(KEY) && !table.stderr.contains(KEY));
    assert!(!table.stderr.is_empty(), "-vv traces the requests");
    assert!(
        table.stdout.contains("contacts") && table.stdout.contains("0 objects changed"),
        "{}",
        table.stdout
    );
}

#[test]
fn the_guards_and_an_unreachable_api_exit_as_documented_and_change_nothing() {
    let sandbox = sandbox_with_key(KEY);
    let endpoint = sandbox.endpoint();
    let dir = tempfile::tempdir().expect("tempdir");
    let mirror = dir.path().join("crm.db");
    sync(&endpoint, KEY, &mirror, &[]).ok();

    // The mass-delete guard: more than half of the contacts gone.
    let ids = contact_ids(&endpoint);
    let doomed: Vec<&str> = ids
        .iter()
        .take(ids.len() / 2 + 1)
        .map(String::as_str)
        .collect();
    let mut delete = vec!["contact", "delete"];
    delete.extend(&doomed);
    run_at(&endpoint, KEY, &delete).ok();
    let refused = sync(&endpoint, KEY, &mirror, &[]);
    assert_eq!(refused.code, Some(5), "stderr: {}", refused.stderr);
    assert!(refused.stdout.is_empty(), "stdout: {}", refused.stdout);
    assert!(refused.stderr.contains("contact"), "{}", refused.stderr);
    // Nothing was written: a forced run still has every deletion to make.
    let forced = sync(&endpoint, KEY, &mirror, &["--force"]).ok().json();
    assert_eq!(
        resource(&forced, "contact")["deleted"].as_u64(),
        Some(doomed.len() as u64),
        "{forced}"
    );

    // Another account's mirror is refused.
    let other_key = "otherAccountKey0b7d5e31c9";
    let other = sandbox_with_key(other_key);
    let refused = sync(&other.endpoint(), other_key, &mirror, &[]);
    assert_eq!(refused.code, Some(5), "stderr: {}", refused.stderr);
    assert!(refused.stdout.is_empty(), "stdout: {}", refused.stdout);

    // An API that cannot be reached: exit 7, the mirror untouched.
    let unreachable = sync(&closed_endpoint(), KEY, &mirror, &[]);
    assert_eq!(unreachable.code, Some(7), "stderr: {}", unreachable.stderr);
    assert!(unreachable.stdout.is_empty(), "{}", unreachable.stdout);

    // A bad target is a usage error, and its password is not repeated.
    let bad = run_at(
        &endpoint,
        KEY,
        &["sync", "--to", "mysql://me:pAssw0rd9@db/crm"],
    );
    assert_eq!(bad.code, Some(2), "stderr: {}", bad.stderr);
    assert_clean(&bad, KEY);
    assert!(!bad.stderr.contains("pAssw0rd9"), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("mysql://me:***@db/crm"),
        "{}",
        bad.stderr
    );

    // After all of that, the mirror still matches the account: nothing to do.
    let report = sync(&endpoint, KEY, &mirror, &[]).ok().json();
    for count in ["inserted", "updated", "deleted"] {
        assert_eq!(total(&report, count), 0, "{count}: {report}");
    }
}
