//! Recording then replaying: the file it writes, what an unmatched request says, the typed
//! errors of a missing, corrupt or unreachable source, the interactions left unused.

use super::*;

#[tokio::test]
async fn record_then_replay_gives_the_same_responses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/c.json");
    let (server, server_calls) = echo_server();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    assert!(cassette.is_recording());
    let mut recorded = Vec::new();
    for r in [
        get("/api/contact?b=2&a=1"),
        post("/api/contact", r#"{"fn":"Mike"}"#),
        request(
            "PUT",
            "/api/file/1",
            Bytes::from_static(&[0xff, 0x00, 0x01]),
        ),
        request(
            "DELETE",
            "/api/contact/3",
            Bytes::from_static(b"plain text"),
        ),
    ] {
        let response = cassette.send(r).await.unwrap();
        recorded.push((
            response.status(),
            response.headers()["content-type"].clone(),
            json(&response),
        ));
    }
    assert_eq!(server_calls.load(Ordering::SeqCst), 4);
    assert!(!path.exists(), "nothing is written before finish");
    let report = cassette.finish().unwrap();
    assert!(report.written());
    assert_eq!(report.interactions(), 4);
    assert!(path.exists());

    let (cassette, calls) = replay(&path);
    assert!(!cassette.is_recording());
    for (r, (status, content_type, body)) in [
        get("/api/contact?b=2&a=1"),
        post("/api/contact", r#"{"fn":"Mike"}"#),
        request(
            "PUT",
            "/api/file/1",
            Bytes::from_static(&[0xff, 0x00, 0x01]),
        ),
        request(
            "DELETE",
            "/api/contact/3",
            Bytes::from_static(b"plain text"),
        ),
    ]
    .into_iter()
    .zip(recorded)
    {
        let response = cassette.send(r).await.unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(json(&response), body);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "replay never calls inner");
    let report = cassette.finish().unwrap();
    assert!(!report.written());
    report.assert_all_used().unwrap();
}

#[tokio::test]
async fn the_file_is_pretty_stable_tagged_json_without_auth_or_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let requests = || {
        vec![
            get("/api/contact?b=2&a=x%20y"),
            post("/api/contact", r#"{"fn":"Mike","ln":"J"}"#),
            request("PUT", "/api/file/1", Bytes::from_static(&[0xff, 0x00])),
            request("POST", "/api/note", Bytes::from_static(b"not json")),
        ]
    };
    record(&path, requests()).await;
    let first = std::fs::read_to_string(&path).unwrap();
    record(&path, requests()).await;
    let second = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        first, second,
        "recording the same exchanges gives the same bytes"
    );
    assert!(
        first
            .starts_with("{\n  \"format_version\": 1,\n  \"recorded_with\": \"clevertim-fixtures ")
    );
    assert!(first.ends_with("}\n"));
    assert!(!first.to_ascii_lowercase().contains("authorization"));
    assert!(
        !first.contains("user-agent"),
        "only the headers that matter"
    );
    assert!(!first.contains("\"date\""), "no timestamps");

    let file = read_json(&path);
    let i = &file["interactions"];
    assert_eq!(i[0]["request"]["method"], "GET");
    assert_eq!(i[0]["request"]["path"], "/api/contact");
    assert_eq!(i[0]["request"]["query"], json!([["b", "2"], ["a", "x y"]]));
    assert_eq!(
        i[0]["request"]["headers"],
        json!({"accept": "application/json"})
    );
    assert!(i[0]["request"].get("body").is_none(), "empty body omitted");
    assert_eq!(i[0]["response"]["status"], 200);
    assert_eq!(
        i[0]["response"]["headers"],
        json!({"content-type": "application/json"})
    );
    assert_eq!(i[0]["response"]["body"]["json"]["n"], 0);
    assert_eq!(
        i[1]["request"]["body"],
        json!({"json": {"fn": "Mike", "ln": "J"}})
    );
    assert_eq!(i[2]["request"]["body"], json!({"base64": "/wA="}));
    assert_eq!(i[3]["request"]["body"], json!({"text": "not json"}));
}

#[tokio::test]
async fn an_unmatched_request_explains_itself_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.json");
    record(
        &path,
        vec![
            get("/api/contact/4"),
            get("/api/contact/5"),
            post("/api/company", r#"{"cn":"Acme"}"#),
        ],
    )
    .await;
    let (cassette, calls) = replay(&path);
    cassette.send(get("/api/contact/5")).await.unwrap();
    let err = cassette
        .send(request(
            "GET",
            &format!("/api/contact/5?key={API_KEY}"),
            Bytes::new(),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other);
    let text = err.to_string();
    for expected in [
        path.display().to_string().as_str(),
        "mode: replay",
        "3 interaction(s)",
        "request:  GET /api/contact/5?key=[SECRET]",
        "closest recorded interactions:",
        "#1 GET /api/contact/5",
        "query differs: recorded (none), sent key=[SECRET]",
        "#0 GET /api/contact/4",
        "path differs: recorded \"/api/contact/4\", sent \"/api/contact/5\"",
        "CLEVERTIM_FIXTURES=rerecord cargo test",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains(API_KEY), "{text}");
    assert!(!text.contains("Basic"), "{text}");
    // Closest first: #1 (one field differs) before #0 (two) before #2 (three).
    let p1 = text.find("#1 ").unwrap();
    let p0 = text.find("#0 ").unwrap();
    let p2 = text.find("#2 ").unwrap();
    assert!(p1 < p0 && p0 < p2, "{text}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    // A body is shown short.
    let long = format!(r#"{{"desc":"{}"}}"#, "z".repeat(1000));
    let err = cassette.send(post("/api/note", &long)).await.unwrap_err();
    assert!(err.to_string().contains("body: {\"desc\":\"zzz"), "{err}");
    assert!(err.to_string().len() < 2000, "{err}");
}

#[tokio::test]
async fn replay_of_a_missing_file_and_recording_without_inner_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.json");
    let err = builder(&path, Mode::Replay).build().unwrap_err();
    assert!(matches!(err, FixtureError::Missing { ref path } if path.ends_with("missing.json")));
    assert!(err.to_string().contains("CLEVERTIM_FIXTURES=once"), "{err}");
    for mode in [Mode::Rerecord, Mode::NewEpisodes, Mode::Once] {
        let err = builder(&path, mode).build().unwrap_err();
        assert!(
            matches!(err, FixtureError::NoInner { mode: m, .. } if m == mode),
            "{err}"
        );
    }
    assert!(!path.exists());
}

#[tokio::test]
async fn unused_interactions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a"), get("/api/b"), get("/api/c")]).await;
    let (cassette, _) = replay(&path);
    cassette.send(get("/api/b")).await.unwrap();
    let err = cassette.assert_all_used().unwrap_err();
    assert!(
        matches!(err, FixtureError::Unused { count: 2, .. }),
        "{err}"
    );
    let report = cassette.finish().unwrap();
    let unused: Vec<_> = report.unused().iter().map(|u| u.index).collect();
    assert_eq!(unused, [0, 2]);
    let text = report.assert_all_used().unwrap_err().to_string();
    assert!(
        text.contains("#0 GET /api/a") && text.contains("#2 GET /api/c"),
        "{text}"
    );
    assert!(!text.contains("/api/b"), "{text}");
}

#[test]
fn a_hand_written_minimal_cassette_replays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("min.json");
    std::fs::write(
        &path,
        r#"{"format_version": 1, "recorded_with": "hand",
            "interactions": [{"request": {"method": "GET", "path": "/api/x"},
                              "response": {"status": 404, "body": {"text": "nope"}}}]}"#,
    )
    .unwrap();
    let file = clevertim_fixtures::CassetteFile::read(&path).unwrap();
    assert_eq!(file.recorded_with, "hand");
    assert_eq!(file.interactions[0].response.status, 404);
    let cassette = builder(&path, Mode::Replay).build().unwrap();
    let response = futures_util::FutureExt::now_or_never(cassette.send(get("/api/x")))
        .unwrap()
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.body(), "nope");
    assert!(format!("{cassette:?}").contains("min.json"));
}

#[tokio::test]
async fn recording_without_a_reachable_server_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("first-run.json");
    let unreachable = clevertim_core::transport_fn(|_request: http::Request<Bytes>| async {
        Err::<http::Response<Bytes>, _>(clevertim_core::TransportError::new(
            TransportErrorKind::Connect,
            "dns error: failed to lookup address information",
        ))
    });
    let cassette = builder(&path, Mode::Once)
        .inner_arc(std::sync::Arc::new(unreachable))
        .build()
        .unwrap();
    let err = cassette.send(get("/api/contact/1")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    let message = err.to_string();
    for hint in [
        "dns error",
        "CLEVERTIM_ENDPOINT",
        "CLEVERTIM_API_KEY",
        "CLEVERTIM_FIXTURES=replay",
        "first-run.json",
    ] {
        assert!(message.contains(hint), "{hint} missing in {message}");
    }
}

#[test]
fn corrupt_cassettes_are_typed_errors_naming_the_file() {
    let interaction = |response: &str| {
        format!(
            r#"{{"format_version": 1, "recorded_with": "x", "interactions": [{{"request": {{"method": "GET", "path": "/"}}, "response": {response}}}]}}"#
        )
    };
    // (the file, the error it must give, a text its message must hold)
    type Case = (String, fn(&FixtureError) -> bool, &'static str);
    let cases: Vec<Case> = vec![
        (
            "{ \"format_version\": 1, \"interactions\": [ ".into(),
            |e| matches!(e, FixtureError::Corrupt { .. }),
            "bad.json",
        ),
        (
            interaction(r#"{"status": 200, "body": {"base64": "!!"}}"#),
            |e| matches!(e, FixtureError::Corrupt { .. }),
            "interaction #0: response: invalid base64",
        ),
        (
            interaction(r#"{"status": 42}"#),
            |e| matches!(e, FixtureError::Corrupt { .. }),
            "bad.json",
        ),
        (
            r#"{"format_version": 99, "recorded_with": "x", "interactions": []}"#.into(),
            |e| {
                matches!(
                    e,
                    FixtureError::UnsupportedVersion {
                        found: 99,
                        supported: 1,
                        ..
                    }
                )
            },
            "format_version 99",
        ),
        (
            "[]".into(),
            |e| matches!(e, FixtureError::Corrupt { .. }),
            "bad.json",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    for (text, is_expected, message) in cases {
        std::fs::write(&path, &text).unwrap();
        let err = builder(&path, Mode::Replay).build().unwrap_err();
        assert!(is_expected(&err), "{text}: {err:?}");
        assert!(err.to_string().contains(message), "{text}: {err}");
        // Reading the file alone says the same.
        let read = clevertim_fixtures::CassetteFile::read(&path).unwrap_err();
        assert!(is_expected(&read), "{text}: {read:?}");
    }
    assert!(matches!(
        clevertim_fixtures::CassetteFile::read(dir.path().join("nope.json")).unwrap_err(),
        FixtureError::Missing { .. }
    ));

    // A directory where the file should be: a read error, not a panic.
    let err = builder(dir.path(), Mode::Replay).build().unwrap_err();
    assert!(matches!(err, FixtureError::Read { .. }), "{err:?}");
}
