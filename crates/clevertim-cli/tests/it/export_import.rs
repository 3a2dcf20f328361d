//! `clevertim export` and `import`: an account's objects out and back with the same
//! references, files whole or absent after an error or Ctrl-C.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common;

use common::*;

/// Reference fields of the export files (wire names) and what they point to: the test's own
/// table, independent of the command's.
fn references(resource: &str) -> Vec<(&'static str, &'static str)> {
    let derived = [
        ("notes", "note"),
        ("tasks", "task"),
        ("cases", "case"),
        ("opportunities", "opportunity"),
        ("files", "file"),
        ("lfiles", "linkedfile"),
        ("comments", "comment"),
    ];
    let mut refs: Vec<(&str, &str)> = derived.to_vec();
    refs.push(("puser", "user"));
    refs.extend(match resource {
        "contact" => vec![("companyId", "company")],
        "case" | "opportunity" => vec![("cust", "customer"), ("leadUser", "user")],
        "task" => vec![
            ("cust", "customer"),
            ("case", "case"),
            ("opp", "opportunity"),
            ("aUserId", "user"),
        ],
        "note" => vec![
            ("cust", "customer"),
            ("case", "case"),
            ("opportunity", "opportunity"),
        ],
        "comment" => vec![("nid", "note"), ("tid", "task")],
        "folder" | "file" => vec![("parentId", "folder")],
        _ => vec![],
    });
    refs
}

fn read_export(dir: &Path, resource: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(format!("{resource}.json"))).expect("export file");
    serde_json::from_str(&text).expect("a JSON list")
}

#[test]
fn export_import_export_gives_the_same_objects() {
    let source = sandbox();
    let target = empty_sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    // Custom field values that name objects, some imported after their owner.
    run(
        &source,
        &[
            "contact",
            "update",
            "3",
            "--custom-field",
            "Contact=4",
            "--custom-field",
            "User=2",
        ],
    )
    .ok();
    run(
        &source,
        &[
            "case",
            "update",
            "1",
            "--custom-field",
            "Opportunity=1",
            "--custom-field",
            "Contact (multiple)=4,3",
        ],
    )
    .ok();
    let exported = run(
        &source,
        &[
            "export",
            "--out",
            first.to_str().expect("utf8"),
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let counts: Vec<(String, u64)> = exported["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                r["resource"].as_str().unwrap_or_default().to_owned(),
                r["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(counts.len(), 13);
    assert!(counts.contains(&("contact".to_owned(), 3)), "{counts:?}");

    let imported = run(
        &target,
        &["import", first.to_str().expect("utf8"), "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(imported["problems"], json!([]), "{imported}");
    run(
        &target,
        &["export", "--out", second.to_str().expect("utf8")],
    )
    .ok();

    let keys = &imported["keys"];
    let new_key = |resource: &str, old: &Value| -> Value {
        let old = match old {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let found = if resource == "customer" {
            keys["contact"]
                .get(&old)
                .or_else(|| keys["company"].get(&old))
        } else {
            keys[resource].get(&old)
        };
        found
            .cloned()
            .unwrap_or_else(|| panic!("{resource} {old} was not imported"))
    };
    // The custom fields whose values name objects, and which kind (the test's own table).
    let custom_targets: std::collections::HashMap<String, String> =
        read_export(&first, "customfield")
            .iter()
            .filter_map(|d| {
                let kind = d["elemType"].as_str()?;
                ["user", "contact", "company", "case", "opportunity"]
                    .contains(&kind)
                    .then(|| (key_of(d), kind.to_owned()))
            })
            .collect();
    for resource in [
        "contact",
        "company",
        "case",
        "opportunity",
        "task",
        "note",
        "comment",
        "customfield",
        "user",
        "group",
        "folder",
        "file",
        "linkedfile",
    ] {
        let before = read_export(&first, resource);
        let after = read_export(&second, resource);
        assert_eq!(before.len(), after.len(), "{resource}");
        for old in before {
            let new = new_key(resource, &old["id"]);
            let mut expected = old.clone();
            for (field, target) in references(resource) {
                let Some(value) = expected.get_mut(field) else {
                    continue;
                };
                let remapped = match &*value {
                    Value::Null => Value::Null,
                    Value::Array(items) => items.iter().map(|v| new_key(target, v)).collect(),
                    one => new_key(target, one),
                };
                *value = remapped;
            }
            if let Some(Value::Object(values)) = expected.get_mut("cf") {
                for (id, value) in values.iter_mut() {
                    let Some(target) = custom_targets.get(id) else {
                        continue;
                    };
                    let as_text = |v: Value| match v {
                        Value::String(s) => Value::String(s),
                        other => Value::String(other.to_string()),
                    };
                    let remapped = match &*value {
                        Value::Array(items) => {
                            items.iter().map(|v| as_text(new_key(target, v))).collect()
                        }
                        one => as_text(new_key(target, one)),
                    };
                    *value = remapped;
                }
            }
            let mut actual = after
                .iter()
                .find(|o| o["id"] == new)
                .unwrap_or_else(|| panic!("{resource} {new} is in the second export"))
                .clone();
            // Keys aside, and what the server computes (times, headline, creator; a file's
            // size and a linked file's store, link and icon), which no client can set.
            for object in [&mut expected, &mut actual] {
                if let Some(map) = object.as_object_mut() {
                    for computed in ["id", "ao", "lm", "hl", "userId"] {
                        map.remove(computed);
                    }
                    if resource == "file" || resource == "linkedfile" {
                        for computed in ["size", "sys", "link", "icon"] {
                            map.remove(computed);
                        }
                    }
                }
            }
            assert_eq!(actual, expected, "{resource} {}", old["id"]);
        }
    }
}

/// Lists a directory's entries.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_export_that_fails_leaves_no_partial_file() {
    let sandbox = sandbox();
    let dir = tempfile::tempdir().expect("tempdir");
    // `note.json` cannot be replaced: it is a directory.
    std::fs::create_dir(dir.path().join("note.json")).expect("mkdir");
    let failed = run(
        &sandbox,
        &["export", "--out", dir.path().to_str().expect("utf8")],
    );
    assert_eq!(failed.code, Some(1), "{}", failed.stderr);
    assert!(failed.stderr.contains("note.json"), "{}", failed.stderr);
    let names = entries(dir.path());
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
    for name in names.iter().filter(|n| *n != "note.json") {
        let text = std::fs::read_to_string(dir.path().join(name)).expect("read");
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{name} is whole: {e}"));
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_an_export_leaves_no_partial_file() {
    // The fake API never answers for notes: the export is stopped there.
    let api = FakeApi::start(|_, path| {
        (!path.contains("/note"))
            .then(|| r#"{"status":"OK","content":[{"id":1,"name":"x"}]}"#.to_owned())
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let child = command(
        &api.endpoint(),
        "K3y",
        &["export", "--out", dir.path().to_str().expect("utf8")],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !api
        .requests()
        .iter()
        .any(|(_, path, _)| path.contains("/note"))
    {
        assert!(
            Instant::now() < deadline,
            "the export never asked for notes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(100));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let ended = finish(child.wait_with_output().expect("wait"));
    assert_eq!(ended.code, Some(130), "{}", ended.stderr);
    assert!(ended.stderr.contains("interrupted"), "{}", ended.stderr);
    let names = entries(dir.path());
    assert!(names.contains(&"task.json".to_owned()), "{names:?}");
    assert!(!names.contains(&"note.json".to_owned()), "{names:?}");
    for name in &names {
        assert!(
            name.ends_with(".json") && !name.starts_with('.'),
            "{names:?}"
        );
        let text = std::fs::read_to_string(dir.path().join(name)).expect("read");
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{name} is whole: {e}"));
    }
}
