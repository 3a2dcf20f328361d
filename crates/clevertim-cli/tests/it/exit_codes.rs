//! Every command ends with the exit code `docs/cli.md` documents for what happened: 0 ok,
//! 2 usage or setup, 3 not found, 4 authentication, 5 refused (nothing sent), 6 server,
//! 7 network, 8 partly done (130, Ctrl-C, is held by the export's and import's tests).

use std::net::TcpListener;

use crate::common;

use common::*;

/// A port nothing listens on.
fn closed_port() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    format!("http://127.0.0.1:{port}/api")
}

#[test]
fn every_command_exits_with_the_documented_code() {
    let sandbox = sandbox();
    let export = tempfile::tempdir().expect("tempdir");
    let out = export.path().join("out");
    let out = out.to_str().expect("utf8");
    let server_error = FakeApi::start(|_, _| {
        Some(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .to_owned(),
        )
    });
    let (endpoint, key) = (sandbox.endpoint(), sandbox.api_key().to_owned());
    let closed = closed_port();
    let no_api = endpoint.trim_end_matches("/api").to_owned();
    let server = server_error.endpoint();
    // (endpoint, key, args, expected exit code)
    let cases: &[(&str, &str, &[&str], i32)] = &[
        (&endpoint, &key, &["contact", "list"], 0),
        (&endpoint, &key, &["contact", "list", "--bogus"], 2),
        (&no_api, &key, &["contact", "list"], 2),
        (&endpoint, "wrong-key", &["contact", "list"], 4),
        (&server, "K3y", &["contact", "list"], 6),
        (&closed, "K3y", &["contact", "list"], 7),
        (&endpoint, &key, &["contact", "get", "3"], 0),
        (&endpoint, &key, &["contact", "get", "999"], 3),
        (&endpoint, &key, &["contact", "get", "3", "999"], 8),
        (&endpoint, "wrong-key", &["contact", "get", "3"], 4),
        (&closed, "K3y", &["contact", "get", "3"], 7),
        (
            &endpoint,
            &key,
            &["contact", "create", "--first-name", "Ann"],
            0,
        ),
        (&endpoint, &key, &["contact", "create"], 5),
        (
            &endpoint,
            &key,
            &["contact", "create", "--phone", "Cell:1"],
            5,
        ),
        (
            &endpoint,
            &key,
            &["contact", "create", "--set", "frist_name=Ann"],
            2,
        ),
        (&endpoint, &key, &["user", "create", "--set", "name=x"], 5),
        (
            &endpoint,
            &key,
            &["contact", "update", "3", "--title", "CEO"],
            0,
        ),
        (
            &endpoint,
            &key,
            &["contact", "update", "999", "--title", "CEO"],
            3,
        ),
        (
            &endpoint,
            &key,
            &["task", "update", "1", "--due", "2026-02-30"],
            5,
        ),
        (
            &endpoint,
            &key,
            &["comment", "update", "1", "--text", "x"],
            5,
        ),
        (&endpoint, &key, &["contact", "delete", "999"], 3),
        (&endpoint, &key, &["user", "delete", "1"], 5),
        (&endpoint, &key, &["export", "--out", out], 0),
        (&endpoint, "wrong-key", &["export", "--out", out], 4),
        (&closed, "K3y", &["export", "--out", out], 7),
        (&endpoint, &key, &["import", "/no/such/dir"], 2),
        (&endpoint, &key, &["import", out], 5),
        (&endpoint, &key, &["import", out, "--dry-run"], 0),
        (&endpoint, &key, &["report", "pipeline"], 0),
        (&server, "K3y", &["report", "pipeline"], 6),
        (&endpoint, &key, &["sandbox", "--help"], 0),
        (&endpoint, &key, &["sandbox", "--no-such-flag"], 2),
    ];
    for (endpoint, key, args, code) in cases {
        let out = run_at(endpoint, key, args);
        assert_eq!(
            out.code,
            Some(*code),
            "clevertim {}: {}",
            args.join(" "),
            out.stderr
        );
        if *code != 0 {
            assert!(
                out.stderr.lines().any(|l| l.starts_with("error")),
                "clevertim {}: a failure says what failed: {}",
                args.join(" "),
                out.stderr
            );
        }
    }
}

#[test]
fn an_import_that_could_not_import_every_object_exits_8_and_says_how_to_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One contact the API refuses (no name), one it takes.
    std::fs::write(
        dir.path().join("contact.json"),
        r#"[{"id": 1, "fn": "Ann"}, {"id": 2, "title": "nameless"}]"#,
    )
    .expect("write");
    let target = empty_sandbox();
    let path = dir.path().to_str().expect("utf8");
    let out = run(&target, &["import", path]);
    assert_eq!(out.code, Some(8), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("contact 2: not imported"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("run the same command again"),
        "{}",
        out.stderr
    );
    // Fixed in the file, the rerun creates only what is missing.
    std::fs::write(
        dir.path().join("contact.json"),
        r#"[{"id": 1, "fn": "Ann"}, {"id": 2, "fn": "Bo", "title": "nameless"}]"#,
    )
    .expect("write");
    run(&target, &["import", path]).ok();
    let contacts = run(&target, &["contact", "list", "--format", "json"])
        .ok()
        .json();
    assert_eq!(contacts.as_array().map(Vec::len), Some(2), "{contacts}");
}

#[test]
fn sandbox_help_leads_with_what_it_does_and_lists_no_idle_options() {
    let sandbox = sandbox();
    let help = run(&sandbox, &["sandbox", "--help"]).ok();
    assert!(
        help.stdout.starts_with("Run a local sandbox"),
        "{}",
        help.stdout
    );
    assert!(!help.stdout.contains("--transport"), "{}", help.stdout);
    assert!(!help.stdout.contains("--format"), "{}", help.stdout);
    let list = run(&sandbox, &["contact", "list", "--help"]).ok();
    let own = list.stdout.find("--tag").expect("its own flags");
    let global = list.stdout.find("Global options").expect("global options");
    assert!(own < global, "its own options first:\n{}", list.stdout);
}
