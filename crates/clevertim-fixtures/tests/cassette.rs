//! Recording, replaying, matching and writing cassettes, over fake inner transports.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::Ordering;

use bytes::Bytes;
use clevertim_core::{Transport, TransportErrorKind};
use clevertim_fixtures::{Cassette, FixtureError, Mismatch, Mode, RecordedRequest};
use common::*;
use serde_json::{json, Value};

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

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
    assert!(first
        .starts_with("{\n  \"format_version\": 1,\n  \"recorded_with\": \"clevertim-fixtures "));
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
async fn json_bodies_match_by_value_and_replay_compactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![post("/api/x", r#"{"a":1,"b":{"c":[1,2]}}"#)]).await;
    let (cassette, _) = replay(&path);
    let response = cassette
        .send(post("/api/x", "{ \"b\": { \"c\": [1, 2] },\n  \"a\": 1 }"))
        .await
        .unwrap();
    assert_eq!(json(&response)["n"], 0);
    // Compact re-serialisation of the stored JSON value (keys sorted by serde_json).
    let text = std::str::from_utf8(response.body()).unwrap();
    assert!(!text.contains(": ") && !text.contains('\n'), "{text}");

    let (cassette, _) = replay(&path);
    let err = cassette
        .send(post("/api/x", r#"{"a":1,"b":{"c":[2,1]}}"#))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("body differs"), "{err}");
}

#[tokio::test]
async fn query_order_does_not_matter_but_values_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/x?a=1&b=2&b=3")]).await;
    let (cassette, _) = replay(&path);
    cassette.send(get("/api/x?b=3&a=1&b=2")).await.unwrap();
    let (cassette, _) = replay(&path);
    let err = cassette.send(get("/api/x?a=1&b=2")).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("query differs: recorded a=1&b=2&b=3, sent a=1&b=2"),
        "{err}"
    );
}

#[tokio::test]
async fn identical_requests_replay_in_order_each_once_unless_repeats_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/contact"), get("/api/contact")]).await;

    let (cassette, _) = replay(&path);
    let n = |r: http::Response<Bytes>| json(&r)["n"].as_u64().unwrap();
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 0);
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 1);
    let err = cassette.send(get("/api/contact")).await.unwrap_err();
    assert!(err.to_string().contains("already used"), "{err}");

    let (inner, _) = forbidden();
    let cassette = builder(&path, Mode::Replay)
        .inner_arc(inner)
        .allow_playback_repeats(true)
        .build()
        .unwrap();
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 0);
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 1);
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 1);
    assert_eq!(n(cassette.send(get("/api/contact")).await.unwrap()), 1);
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
async fn new_episodes_replays_what_matches_and_appends_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a")]).await;

    let (server, calls) = echo_server();
    let cassette = builder(&path, Mode::NewEpisodes)
        .inner_arc(server.clone())
        .build()
        .unwrap();
    cassette.send(get("/api/a")).await.unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "a known request is replayed"
    );
    cassette.send(get("/api/b")).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(cassette.finish().unwrap().written());
    let file = read_json(&path);
    let paths: Vec<_> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["/api/a", "/api/b"]);

    // Nothing new: the file is not rewritten.
    let before = std::fs::read_to_string(&path).unwrap();
    let cassette = builder(&path, Mode::NewEpisodes)
        .inner_arc(server)
        .build()
        .unwrap();
    cassette.send(get("/api/b")).await.unwrap();
    let report = cassette.finish().unwrap();
    assert!(!report.written());
    assert_eq!(report.unused().len(), 1);
    assert_eq!(report.unused()[0].request.path, "/api/a");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[tokio::test]
async fn rerecord_replaces_the_cassette() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a"), get("/api/b")]).await;
    record(&path, vec![get("/api/c")]).await;
    let file = read_json(&path);
    assert_eq!(file["interactions"].as_array().unwrap().len(), 1);
    assert_eq!(file["interactions"][0]["request"]["path"], "/api/c");
}

#[tokio::test]
async fn rerecord_ignores_a_corrupt_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    std::fs::write(&path, "{ not json").unwrap();
    record(&path, vec![get("/api/c")]).await;
    assert_eq!(
        read_json(&path)["interactions"][0]["request"]["path"],
        "/api/c"
    );
}

#[tokio::test]
async fn once_records_when_missing_then_replays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, calls) = echo_server();
    let cassette = builder(&path, Mode::Once)
        .inner_arc(server.clone())
        .build()
        .unwrap();
    assert!(cassette.is_recording());
    cassette.send(get("/api/a")).await.unwrap();
    cassette.finish().unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let cassette = builder(&path, Mode::Once)
        .inner_arc(server)
        .build()
        .unwrap();
    assert!(!cassette.is_recording());
    cassette.send(get("/api/a")).await.unwrap();
    assert!(cassette.send(get("/api/new")).await.is_err());
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "once with a file never records"
    );
    assert!(!cassette.finish().unwrap().written());
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
async fn secrets_never_reach_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, _) = echo_server();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .secret_as("hunter22", "[PASSWORD]")
        .record_request_header("x-api-key")
        .record_response_header("x-echo")
        .build()
        .unwrap();
    let mut r = post(
        &format!("/api/contact?key={API_KEY}&x=1"),
        &format!(
            r#"{{"note":"key is {API_KEY}","pw":"hunter22","auth":"{}"}}"#,
            basic_auth()
        ),
    );
    r.headers_mut()
        .insert("x-api-key", API_KEY.parse().unwrap());
    let response = cassette.send(r).await.unwrap();
    assert!(
        String::from_utf8_lossy(response.body()).contains(API_KEY),
        "the live response is untouched"
    );
    cassette.finish().unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(API_KEY), "{text}");
    assert!(!text.contains("hunter22"), "{text}");
    assert!(!text.contains(&basic_auth()[6..]), "{text}");
    assert!(clevertim_fixtures::scan_for_secrets(&text, &[API_KEY]).is_empty());
    let file = read_json(&path);
    let request = &file["interactions"][0]["request"];
    assert_eq!(request["query"], json!([["key", "[SECRET]"], ["x", "1"]]));
    assert_eq!(request["headers"]["x-api-key"], "[SECRET]");
    assert_eq!(request["body"]["json"]["note"], "key is [SECRET]");
    assert_eq!(request["body"]["json"]["pw"], "[PASSWORD]");
    assert_eq!(request["body"]["json"]["auth"], "Basic [SECRET]");

    // The live request is scrubbed the same way before matching, so it still replays.
    let mut r = post(
        &format!("/api/contact?x=1&key={API_KEY}"),
        &format!(
            r#"{{"note":"key is {API_KEY}","pw":"hunter22","auth":"{}"}}"#,
            basic_auth()
        ),
    );
    r.headers_mut()
        .insert("x-api-key", API_KEY.parse().unwrap());
    let replayed = cassette_with_password(&path).send(r).await.unwrap();
    assert!(!String::from_utf8_lossy(replayed.body()).contains(API_KEY));
    assert_eq!(replayed.status(), 200);
}

fn cassette_with_password(path: &std::path::Path) -> Cassette {
    builder(path, Mode::Replay)
        .secret_as("hunter22", "[PASSWORD]")
        .build()
        .unwrap()
}

#[tokio::test]
async fn before_save_sees_request_and_response_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, _) = echo_server();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .before_save(|interaction| {
            // Blank the call counter of the response, tagging it with the request's method.
            if let clevertim_fixtures::Body::Json(body) = &mut interaction.response.body {
                body["n"] = json!(format!("<n of {}>", interaction.request.method));
                // A hook cannot reintroduce a secret: it is scrubbed again.
                body["leak"] = json!(API_KEY);
            }
        })
        .build()
        .unwrap();
    let live = cassette.send(get("/api/a")).await.unwrap();
    assert_eq!(json(&live)["n"], 0, "the live answer is not changed");
    cassette.finish().unwrap();
    let file = read_json(&path);
    let body = &file["interactions"][0]["response"]["body"]["json"];
    assert_eq!(body["n"], "<n of GET>");
    assert_eq!(body["leak"], "[SECRET]");
}

#[tokio::test]
async fn sent_requests_show_what_the_client_sent_without_auth() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![post("/api/contact?k=v", r#"{"fn":"A"}"#)]).await;
    let (cassette, _) = replay(&path);
    cassette
        .send(post("/api/contact?k=v", r#"{"fn":"A"}"#))
        .await
        .unwrap();
    cassette.send(get("/api/unknown")).await.unwrap_err();
    let sent = cassette.sent_requests();
    assert_eq!(sent.len(), 2, "unmatched requests are listed too");
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].path, "/api/contact");
    assert_eq!(sent[0].query, vec![("k".to_owned(), "v".to_owned())]);
    assert_eq!(sent[0].headers["authorization"], "[REDACTED]");
    assert_eq!(sent[0].headers["user-agent"], "clevertim-test");
    let snapshot = serde_json::to_value(&sent).unwrap();
    assert_eq!(snapshot[0]["body"], json!({"json": {"fn": "A"}}));
    let text = snapshot.to_string();
    assert!(
        !text.contains(API_KEY) && !text.contains(&basic_auth()),
        "{text}"
    );
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

#[tokio::test]
async fn custom_matchers_add_a_described_condition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a")]).await;
    let accept = |sent: &RecordedRequest, recorded: &RecordedRequest| {
        let (s, r) = (sent.headers.get("accept"), recorded.headers.get("accept"));
        if s == r {
            Ok(())
        } else {
            Err(Mismatch::new(
                "accept",
                format!("recorded {r:?}, sent {s:?}"),
            ))
        }
    };
    let cassette = builder(&path, Mode::Replay)
        .matcher(accept)
        .build()
        .unwrap();
    let mut r = get("/api/a");
    r.headers_mut()
        .insert("accept", "text/html".parse().unwrap());
    let err = cassette.send(r).await.unwrap_err();
    assert!(
        err.to_string().contains(
            r#"accept differs: recorded Some("application/json"), sent Some("text/html")"#
        ),
        "{err}"
    );
    cassette.send(get("/api/a")).await.unwrap();

    // Without the defaults, any request takes the next unused interaction.
    let cassette = builder(&path, Mode::Replay)
        .without_default_matchers()
        .build()
        .unwrap();
    cassette.send(get("/api/zzz")).await.unwrap();
}

#[tokio::test]
async fn nothing_is_written_unless_finished() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, _) = echo_server();
    {
        let cassette = builder(&path, Mode::Rerecord)
            .inner_arc(server.clone())
            .build()
            .unwrap();
        cassette.send(get("/api/a")).await.unwrap();
        // Dropped without finish: as if the test had failed.
    }
    assert!(!path.exists());

    // A test that panics midway leaves nothing either.
    let p = path.clone();
    let s = server.clone();
    let outcome = std::thread::spawn(move || {
        let cassette = builder(&p, Mode::Rerecord).inner_arc(s).build().unwrap();
        futures_util::FutureExt::now_or_never(cassette.send(get("/api/a")))
            .unwrap()
            .unwrap();
        panic!("the test failed");
    })
    .join();
    assert!(outcome.is_err());
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );

    // An old cassette stays as it was when a rerecording is not finished.
    record(&path, vec![get("/api/old")]).await;
    let before = std::fs::read_to_string(&path).unwrap();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    cassette.send(get("/api/new")).await.unwrap();
    drop(cassette);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[tokio::test]
async fn writes_are_atomic_renames_leaving_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    record(&path, vec![get("/api/a")]).await;
    // Keep a handle on the old file: a rename replaces the directory entry, not the content.
    let old = std::fs::File::open(&path).unwrap();
    record(&path, vec![get("/api/b")]).await;
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["c.json"]);
    let old_text = std::io::read_to_string(old).unwrap();
    assert!(old_text.contains("/api/a") && !old_text.contains("/api/b"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("/api/b"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_recording_loses_nothing_and_concurrent_replay_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, calls) = echo_server();
    let cassette = builder(&path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let cassette = cassette.clone();
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                cassette
                    .send(post(&format!("/api/item/{i}"), &format!(r#"{{"i":{i}}}"#)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 50);
    assert_eq!(cassette.finish().unwrap().interactions(), 50);
    let file = read_json(&path);
    let mut paths: Vec<_> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    let mut expected: Vec<_> = (0..50).map(|i| format!("/api/item/{i}")).collect();
    expected.sort();
    assert_eq!(paths, expected);

    for _round in 0..3 {
        let (cassette, _) = replay(&path);
        // Reverse and interleave the order of arrival: each still gets its own answer.
        let tasks: Vec<_> = (0..50)
            .rev()
            .map(|i| {
                let cassette = cassette.clone();
                tokio::spawn(async move {
                    let r = cassette
                        .send(post(&format!("/api/item/{i}"), &format!(r#"{{"i":{i}}}"#)))
                        .await
                        .unwrap();
                    (i, json(&r))
                })
            })
            .collect();
        for t in tasks {
            let (i, body) = t.await.unwrap();
            assert_eq!(body["path"], format!("/api/item/{i}"));
            assert_eq!(body["body"], format!(r#"{{"i":{i}}}"#));
        }
        cassette.finish().unwrap().assert_all_used().unwrap();
    }
}

#[test]
fn corrupt_cassettes_are_typed_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    let open = |text: &str| {
        std::fs::write(&path, text).unwrap();
        builder(&path, Mode::Replay).build().unwrap_err()
    };

    let err = open("{ \"format_version\": 1, \"interactions\": [ ");
    assert!(matches!(err, FixtureError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("bad.json"), "{err}");

    let err = open(
        r#"{"format_version": 1, "recorded_with": "x", "interactions": [{"request": {"method": "GET", "path": "/"}, "response": {"status": 200, "body": {"base64": "!!"}}}]}"#,
    );
    assert!(
        err.to_string()
            .contains("interaction #0: response: invalid base64"),
        "{err}"
    );

    let err = open(
        r#"{"format_version": 1, "recorded_with": "x", "interactions": [{"request": {"method": "GET", "path": "/"}, "response": {"status": 42}}]}"#,
    );
    assert!(matches!(err, FixtureError::Corrupt { .. }), "{err}");

    let err = open(r#"{"format_version": 99, "recorded_with": "x", "interactions": []}"#);
    assert!(
        matches!(
            err,
            FixtureError::UnsupportedVersion {
                found: 99,
                supported: 1,
                ..
            }
        ),
        "{err}"
    );

    assert!(matches!(
        clevertim_fixtures::CassetteFile::read(&path).unwrap_err(),
        FixtureError::UnsupportedVersion { .. }
    ));
    assert!(matches!(
        clevertim_fixtures::CassetteFile::read(dir.path().join("nope.json")).unwrap_err(),
        FixtureError::Missing { .. }
    ));

    let err = open("[]");
    assert!(matches!(err, FixtureError::Corrupt { .. }), "{err}");

    // A directory where the file should be: a read error, not a panic.
    let err = builder(dir.path(), Mode::Replay).build().unwrap_err();
    assert!(matches!(err, FixtureError::Read { .. }), "{err:?}");
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
async fn a_credential_that_escaped_scrubbing_blocks_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let (server, _) = echo_server();
    // Not a configured secret: only the final scan can catch it.
    let cassette = Cassette::builder(&path)
        .force_mode(Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    cassette
        .send(post("/api/note", r#"{"desc":"Basic b3RoZXI6c2VjcmV0"}"#))
        .await
        .unwrap();
    let err = cassette.finish().unwrap_err();
    assert!(
        matches!(err, FixtureError::SecretLeak { ref what, .. } if what.contains("Basic credential")),
        "{err}"
    );
    assert!(!err.to_string().contains("b3RoZXI6c2VjcmV0"), "{err}");
    assert!(!path.exists());
}

/// A request as the session sends it: with its body limit in the extensions.
fn limited(mut request: http::Request<Bytes>, limit: Option<u64>) -> http::Request<Bytes> {
    if let Some(limit) = limit {
        request
            .extensions_mut()
            .insert(clevertim_core::BodyLimit::new(limit));
    }
    request
}

#[tokio::test]
async fn a_replayed_body_over_the_request_s_limit_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    // One recorded answer with a body of 4 bytes.
    std::fs::write(
        &path,
        r#"{"format_version": 1, "recorded_with": "hand",
            "interactions": [{"request": {"method": "GET", "path": "/api/x"},
                              "response": {"status": 200, "body": {"text": "four"}}}]}"#,
    )
    .unwrap();
    // (mode, limit carried by the request, what the replay gives)
    let cases = [
        (Mode::Replay, None, Ok(4)),
        (Mode::Replay, Some(4), Ok(4)),
        (Mode::Replay, Some(3), Err(TransportErrorKind::TooLarge)),
        (Mode::Replay, Some(0), Err(TransportErrorKind::TooLarge)),
        (Mode::NewEpisodes, Some(4), Ok(4)),
        (
            Mode::NewEpisodes,
            Some(3),
            Err(TransportErrorKind::TooLarge),
        ),
    ];
    for (mode, limit, expected) in cases {
        let (inner, calls) = forbidden();
        let cassette = builder(&path, mode).inner_arc(inner).build().unwrap();
        let got = cassette
            .send(limited(get("/api/x"), limit))
            .await
            .map(|r| r.body().len())
            .map_err(|e| e.kind());
        assert_eq!(got, expected, "{mode:?} with limit {limit:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 0, "{mode:?}: replayed");
    }
}

#[tokio::test]
async fn recording_hands_the_request_s_limit_to_the_inner_transport() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.json");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    // An inner transport that enforces the limit it is given, as the real ones do.
    let inner = clevertim_core::transport_fn(move |request: http::Request<Bytes>| {
        let limit = clevertim_core::BodyLimit::of(&request);
        log.lock().unwrap().push(limit);
        async move {
            limit.check_length(4)?;
            Ok(http::Response::new(Bytes::from_static(b"four")))
        }
    });
    let cassette = builder(&path, Mode::Rerecord).inner(inner).build().unwrap();
    let err = cassette
        .send(limited(get("/api/x"), Some(3)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::TooLarge);
    cassette.send(limited(get("/api/y"), None)).await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            clevertim_core::BodyLimit::new(3),
            clevertim_core::BodyLimit::DEFAULT
        ]
    );
    // Only the answer that came is recorded.
    assert_eq!(cassette.interactions().len(), 1);
    cassette.finish().unwrap();
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
