//! Every resource listed, got, created, updated and deleted; updates send only what the flags
//! change; refused writes are refused before anything is sent.

use super::*;

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
