//! The `clevertim` binary, run as a user runs it, against in-process sandboxes (and, where a
//! test must see or stall the requests, a small fake API on loopback).

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::common;

use common::*;

/// One resource's CRUD case: flags to create it, flags to update it and a field the update
/// must show (`None`: the API does not let clients do that).
struct Case {
    resource: &'static str,
    create: Option<&'static [&'static str]>,
    update: Option<(&'static [&'static str], &'static str, Value)>,
}

#[test]
fn every_resource_lists_gets_creates_updates_and_deletes() {
    let sandbox = sandbox();
    let cases = [
        Case {
            resource: "contact",
            create: Some(&[
                "--first-name",
                "Ada",
                "--last-name",
                "Lovelace",
                "--email",
                "ada@x.example",
                "--phone",
                "Mobile:+44 1",
                "--company",
                "1",
                "--custom-field",
                "Tier=Y",
            ]),
            update: Some((&["--title", "Countess"], "title", json!("Countess"))),
        },
        Case {
            resource: "company",
            create: Some(&["--name", "Analytical Engines", "--tag", "gears"]),
            update: Some((&["--city", "London"], "city", json!("London"))),
        },
        Case {
            resource: "case",
            create: Some(&["--name", "Broken gear", "--customer", "3"]),
            update: Some((
                &["--tag", "urgent", "--tag", "gears"],
                "tags",
                json!(["urgent", "gears"]),
            )),
        },
        Case {
            resource: "opportunity",
            create: Some(&[
                "--name",
                "Gears",
                "--value",
                "10.50",
                "--currency",
                "GBP",
                "--status",
                "Open",
                "--customer",
                "1",
            ]),
            update: Some((&["--status", "Won"], "status", json!("Won"))),
        },
        Case {
            resource: "task",
            create: Some(&[
                "--name",
                "Oil the gears",
                "--type",
                "Call",
                "--due",
                "2026-12-01T09:30",
                "--customer",
                "3",
            ]),
            update: Some((&["--completed", "true"], "is_completed", json!(true))),
        },
        Case {
            resource: "note",
            create: Some(&["--text", "Called Ada", "--customer", "3", "--customer", "1"]),
            update: Some((
                &["--text", "Called Ada twice"],
                "desc",
                json!("Called Ada twice"),
            )),
        },
        Case {
            resource: "comment",
            create: Some(&["--text", "Nice", "--note", "1"]),
            update: None,
        },
        Case {
            resource: "customfield",
            create: Some(&[
                "--name",
                "Shoe size",
                "--type",
                "input",
                "--applies-to",
                "customers",
            ]),
            update: Some((&["--name", "Shoe"], "name", json!("Shoe"))),
        },
        Case {
            resource: "user",
            create: None,
            update: None,
        },
        Case {
            resource: "group",
            create: None,
            update: None,
        },
        Case {
            resource: "folder",
            create: Some(&["--name", "Designs", "--parent", "f1"]),
            update: Some((&["--name", "Plans"], "name", json!("Plans"))),
        },
        Case {
            resource: "file",
            create: Some(&["--name", "gear.pdf", "--folder", "f1"]),
            update: Some((&["--set", "name=gears.pdf"], "name", json!("gears.pdf"))),
        },
        Case {
            resource: "linkedfile",
            create: Some(&["--name", "spec.docx"]),
            update: Some((&["--name", "spec2.docx"], "name", json!("spec2.docx"))),
        },
    ];
    assert_eq!(cases.len(), 13, "one case per resource");
    for case in &cases {
        let r = case.resource;
        let listed = run(&sandbox, &[r, "list", "--format", "json"]).ok().json();
        let first = listed
            .as_array()
            .and_then(|l| l.first())
            .unwrap_or_else(|| panic!("{r}: the demo data has one"));
        let got = run(&sandbox, &[r, "get", &key_of(first), "--format", "json"])
            .ok()
            .json();
        assert_eq!(&got, first, "{r}: get shows what list shows");

        let Some(create) = case.create else {
            let refused = run(&sandbox, &[r, "create", "--format", "json"]);
            assert_eq!(refused.code, Some(5), "{r}: {}", refused.stderr);
            assert!(
                refused.stderr.contains("read-only"),
                "{r}: {}",
                refused.stderr
            );
            continue;
        };
        let mut args = vec![r, "create", "--format", "json"];
        args.extend_from_slice(create);
        let created = run(&sandbox, &args).ok().json();
        let key = key_of(&created);
        let listed = run(&sandbox, &[r, "list", "--format", "json"]).ok().json();
        assert!(
            listed
                .as_array()
                .is_some_and(|l| l.iter().any(|o| key_of(o) == key)),
            "{r}: the new one is listed"
        );
        match &case.update {
            Some((flags, field, expected)) => {
                let mut args = vec![r, "update", &key, "--format", "json"];
                args.extend_from_slice(flags);
                let updated = run(&sandbox, &args).ok().json();
                assert_eq!(&updated[field], expected, "{r}: {updated}");
                let again = run(&sandbox, &[r, "get", &key, "--format", "json"])
                    .ok()
                    .json();
                assert_eq!(&again[field], expected, "{r}: stored");
            }
            None => {
                let refused = run(&sandbox, &[r, "update", &key, "--text", "x"]);
                assert_eq!(refused.code, Some(5), "{r}: {}", refused.stderr);
                assert!(
                    refused.stderr.contains("cannot update"),
                    "{r}: {}",
                    refused.stderr
                );
            }
        }
        run(&sandbox, &[r, "delete", &key]).ok();
        let gone = run(&sandbox, &[r, "get", &key]);
        assert_eq!(
            gone.code,
            Some(3),
            "{r}: not found after delete: {}",
            gone.stderr
        );
        assert!(gone.stderr.contains("not found"), "{r}: {}", gone.stderr);
    }
}

/// Timestamps vary from run to run; snapshots see a placeholder.
fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let fits = bytes.len() - i >= shape.len()
            && shape.iter().zip(&bytes[i..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            });
        if fits {
            out.push_str("<time>");
            i += shape.len();
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[test]
fn formats_table_csv_and_json() {
    let sandbox = sandbox();
    let table = run(&sandbox, &["contact", "list"]).ok().stdout;
    insta::assert_snapshot!("contact_list_table", table);
    let csv = run(&sandbox, &["--format", "csv", "contact", "list"])
        .ok()
        .stdout;
    insta::assert_snapshot!("contact_list_csv", mask_times(&csv));
    let detail = run(&sandbox, &["company", "get", "1"]).ok().stdout;
    insta::assert_snapshot!("company_get_table", mask_times(&detail));
    let chart = run(&sandbox, &["report", "pipeline"]).ok().stdout;
    insta::assert_snapshot!("report_pipeline_chart", chart);

    // What `get --format json` prints, `create --json -` takes.
    let json = run(&sandbox, &["contact", "get", "3", "--format", "json"])
        .ok()
        .stdout;
    let mut cmd = command(
        &sandbox.endpoint(),
        sandbox.api_key(),
        &[
            "contact",
            "create",
            "--json",
            "-",
            "--format",
            "json",
            "--first-name",
            "Copy",
        ],
    );
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json.as_bytes())
        .expect("write");
    let copy = finish(child.wait_with_output().expect("wait")).ok().json();
    assert_ne!(key_of(&copy), "3");
    assert_eq!(copy["fn"], "Copy");
    assert_eq!(copy["ln"], "Bellur");
    assert_eq!(
        copy["cf"],
        json!({"1": "met at the fair", "3": "2026-01-15"})
    );
}

#[test]
fn update_sends_only_what_the_flags_change() {
    let stored =
        json!({"id": 3, "fn": "Praveen", "ln": "Bellur", "title": "Dev", "email": ["p@x.example"]});
    let api = FakeApi::start(move |method, _path| {
        let mut object = stored.clone();
        if method == "PUT" {
            object["title"] = json!("CEO");
        }
        Some(json!({"status": "OK", "content": [object]}).to_string())
    });
    run_at(
        &api.endpoint(),
        "K3y",
        &[
            "contact",
            "update",
            "3",
            "--title",
            "CEO",
            "--first-name",
            "Praveen",
        ],
    )
    .ok();
    let writes: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|(m, _, _)| m != "GET")
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    let (method, path, body) = &writes[0];
    assert_eq!((method.as_str(), path.as_str()), ("PUT", "/api/contact/3"));
    let body: Value = serde_json::from_str(body).expect("JSON body");
    assert_eq!(
        body,
        json!({"id": 3, "title": "CEO"}),
        "the unchanged first name is not sent"
    );
}

#[test]
fn refused_writes_are_refused_before_sending_with_the_reason() {
    let api = FakeApi::start(|_, _| Some(r#"{"status":"OK","content":[]}"#.into()));
    let cases: [(&[&str], &str); 4] = [
        (&["user", "create"], "read-only"),
        (&["group", "delete", "1"], "read-only"),
        (
            &["comment", "update", "1", "--text", "x"],
            "cannot update a comment",
        ),
        (&["task", "create", "--name", "x", "--type", "Nap"], "atype"),
    ];
    for (args, reason) in cases {
        let refused = run_at(&api.endpoint(), "K3y", args);
        assert_eq!(refused.code, Some(5), "{args:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains(reason),
            "{args:?}: {}",
            refused.stderr
        );
        assert_eq!(
            refused.stderr.lines().count(),
            1,
            "one line: {}",
            refused.stderr
        );
    }
    assert_eq!(api.requests(), vec![], "nothing was sent");
}

#[test]
fn report_pipeline_json_numbers() {
    let sandbox = sandbox();
    for (status, value, currency) in [
        ("Won", "100.25", "EUR"),
        ("Open", "0.75", "EUR"),
        ("Open", "10", "USD"),
    ] {
        run(
            &sandbox,
            &[
                "opportunity",
                "create",
                "--name",
                "Deal",
                "--status",
                status,
                "--value",
                value,
                "--currency",
                currency,
            ],
        )
        .ok();
    }
    let report = run(&sandbox, &["report", "pipeline", "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        report,
        json!({
            "stages": [
                {"status": "Open", "count": 3, "totals": {"EUR": "4500.75", "USD": "10"}},
                {"status": "Won", "count": 1, "totals": {"EUR": "100.25"}},
            ],
            "count": 4,
            "totals": {"EUR": "4601.00", "USD": "10"},
            "unreadable_values": [],
        })
    );
}

#[test]
fn traces_show_requests_and_never_the_key() {
    let sandbox = sandbox();
    let key = sandbox.api_key().to_owned();
    let wrong = "WrongKey0123456789abcdefXYZ";
    let basic = |k: &str| base64::engine::general_purpose::STANDARD.encode(format!("{k}:X"));
    let runs = [
        run(&sandbox, &["-vv", "contact", "list"]).ok(),
        run(
            &sandbox,
            &[
                "-vv",
                "contact",
                "create",
                "--first-name",
                "Vee",
                "--custom-field",
                "Tier=X",
            ],
        )
        .ok(),
        run(
            &sandbox,
            &["-vv", "--format", "json", "contact", "get", "99"],
        ),
        run(
            &sandbox,
            &["-vv", "--transport", "isahc", "contact", "list"],
        )
        .ok(),
        run(&sandbox, &["--help"]).ok(),
        run(&sandbox, &["contact", "create", "--help"]).ok(),
        run_at(&sandbox.endpoint(), wrong, &["-vv", "contact", "list"]),
    ];
    assert!(
        runs[0].stderr.contains("GET /api/contact -> 200 in"),
        "{}",
        runs[0].stderr
    );
    assert!(
        runs[1].stderr.contains("POST /api/contact -> 200 in"),
        "{}",
        runs[1].stderr
    );
    assert_eq!(runs[2].code, Some(3));
    assert_eq!(runs[6].code, Some(4), "a wrong key: {}", runs[6].stderr);
    assert!(runs[6].stderr.contains("401"), "{}", runs[6].stderr);
    for (i, r) in runs.iter().enumerate() {
        for secret in [key.as_str(), &basic(&key), wrong, &basic(wrong)] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "run {i} shows a key"
            );
        }
    }
}

#[test]
fn without_an_account_it_says_how_to_get_one_and_how_to_try_it() {
    let out = finish(
        Command::new(BIN)
            .args(["contact", "list"])
            .env_remove("CLEVERTIM_ENDPOINT")
            .env_remove("CLEVERTIM_API_KEY")
            .output()
            .expect("run"),
    );
    assert_eq!(out.code, Some(2));
    for needed in ["CLEVERTIM_API_KEY", "--sandbox", "clevertim sandbox"] {
        assert!(out.stderr.contains(needed), "{needed}: {}", out.stderr);
    }
    // The advice works: the embedded sandbox answers.
    let tried = finish(
        Command::new(BIN)
            .args(["--sandbox", "--format", "json", "contact", "list"])
            .env_remove("CLEVERTIM_ENDPOINT")
            .env_remove("CLEVERTIM_API_KEY")
            .output()
            .expect("run"),
    )
    .ok()
    .json();
    assert_eq!(tried.as_array().map(Vec::len), Some(3));
}

#[cfg(unix)]
#[test]
fn the_sandbox_subcommand_serves_until_ctrl_c() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--port", "0", "--empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let endpoint = lines.next().expect("a line").expect("utf8");
    let key = lines.next().expect("a line").expect("utf8");
    let endpoint = endpoint
        .strip_prefix("CLEVERTIM_ENDPOINT=")
        .expect("endpoint line")
        .to_owned();
    let key = key
        .strip_prefix("CLEVERTIM_API_KEY=")
        .expect("key line")
        .to_owned();
    let users = run_at(&endpoint, &key, &["--format", "json", "user", "list"])
        .ok()
        .json();
    assert_eq!(users.as_array().map(Vec::len), Some(3));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(child.wait().expect("wait").success());
}
