//! Input never dropped in silence: an unknown `--set` field is refused with the closest names,
//! `--set` reads values as the typed flags do, messages name flags, and every invalid value
//! exits 5 with nothing sent.

use crate::common;

use common::*;
use serde_json::Value;

#[test]
fn an_unknown_set_field_is_refused_with_the_closest_names_and_nothing_is_sent() {
    let api = FakeApi::start(|_, _| {
        Some(r#"{"status":"OK","content":[{"id":3,"fn":"Ann"}]}"#.to_owned())
    });
    let out = run_at(
        &api.endpoint(),
        "K3y",
        &["contact", "update", "3", "--set", "frist_name=Bob"],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean first_name"),
        "{}",
        out.stderr
    );
    assert!(
        api.requests().iter().all(|(method, _, _)| method == "GET"),
        "nothing is written: {:?}",
        api.requests()
    );
}

#[test]
fn set_reads_a_value_as_its_typed_flag_does() {
    let sandbox = sandbox();
    let task = run(
        &sandbox,
        &[
            "task",
            "update",
            "1",
            "--set",
            "startDate=2026-12-01T09:30",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        task["startDate"],
        serde_json::json!({"y": 2026, "mo": 12, "d": 1, "h": 9, "mi": 30})
    );
    // An invalid one is refused with the flag's own reason, and exit code 5 like the flag.
    let bad = run(
        &sandbox,
        &["task", "update", "1", "--set", "start=2026-13-01"],
    );
    assert_eq!(bad.code, Some(5), "{}", bad.stderr);
    assert!(bad.stderr.contains("not a calendar date"), "{}", bad.stderr);
    let flag = run(&sandbox, &["task", "update", "1", "--due", "2026-13-01"]);
    assert_eq!(flag.code, Some(5), "{}", flag.stderr);
}

#[test]
fn messages_name_flags_not_wire_fields() {
    let sandbox = sandbox();
    let empty = run(&sandbox, &["contact", "create"]);
    assert_eq!(empty.code, Some(5), "{}", empty.stderr);
    assert!(
        empty.stderr.contains("--first-name or --last-name"),
        "{}",
        empty.stderr
    );
    assert!(!empty.stderr.contains("fn"), "{}", empty.stderr);
    let id = run(&sandbox, &["contact", "update", "3", "--set", "id=99"]);
    assert_eq!(id.code, Some(5), "{}", id.stderr);
    assert!(id.stderr.contains("the key cannot be set"), "{}", id.stderr);
    assert!(!id.stderr.contains("setter"), "{}", id.stderr);
    let computed = run(
        &sandbox,
        &["contact", "update", "3", "--set", "lm=2026-01-01"],
    );
    assert_eq!(computed.code, Some(5), "{}", computed.stderr);
    assert!(
        computed.stderr.contains("the server computes"),
        "{}",
        computed.stderr
    );
    assert!(
        !computed.stderr.contains("\"\\\""),
        "not double-quoted: {}",
        computed.stderr
    );
}

#[test]
fn tags_and_emails_are_added_and_completed_takes_no_value() {
    let sandbox = sandbox();
    let contact = run(
        &sandbox,
        &[
            "contact",
            "update",
            "3",
            "--add-tag",
            "VIP",
            "--add-email",
            "p@b.example",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let tags: Vec<&str> = contact["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        tags.contains(&"VIP") && tags.len() > 1,
        "added, not replaced: {tags:?}"
    );
    assert_eq!(
        contact["email"].as_array().map(Vec::len),
        Some(2),
        "{contact}"
    );
    let task = run(
        &sandbox,
        &["task", "update", "1", "--completed", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(task["is_completed"], true);
    let reopened = run(
        &sandbox,
        &[
            "task",
            "update",
            "1",
            "--completed",
            "false",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(reopened["is_completed"], false);
}

#[test]
fn json_fields_the_resource_does_not_have_are_said() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("contact.json");
    std::fs::write(&file, r#"{"fn": "Ann", "nickname": "A"}"#).expect("write");
    let out = run(
        &sandbox,
        &["contact", "create", "--json", file.to_str().expect("utf8")],
    )
    .ok();
    assert!(
        out.stderr.contains("warning") && out.stderr.contains("nickname"),
        "{}",
        out.stderr
    );
    let company = run(
        &sandbox,
        &[
            "company",
            "update",
            "1",
            "--add-tag",
            "new",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        company["tags"],
        serde_json::json!(["Europe", "important", "new"])
    );
}
