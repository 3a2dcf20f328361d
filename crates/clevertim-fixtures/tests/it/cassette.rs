//! Recording, replaying, matching and writing cassettes, over fake inner transports.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::atomic::Ordering;

use bytes::Bytes;
use clevertim_core::{Transport, TransportErrorKind};
use clevertim_fixtures::{
    Cassette, CassetteBuilder, FixtureError, Mismatch, Mode, RecordedRequest,
};
use common::*;
use serde_json::{Value, json};

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

/// What one request sent to a cassette must give.
#[derive(Debug)]
enum Gives {
    /// The recorded answer of the echo server's `n`-th call (its body re-serialised compactly).
    Answer(u64),
    /// An answer, sent through the inner transport and recorded.
    Recorded,
    /// An error whose message holds this text.
    Fails(&'static str),
}

/// One replay of a recording: how the replaying cassette is built, and what each request
/// sent to it gives. The inner transport must never be called.
struct Replay {
    name: &'static str,
    recorded: Vec<http::Request<Bytes>>,
    configure: fn(CassetteBuilder) -> CassetteBuilder,
    sends: Vec<(http::Request<Bytes>, Gives)>,
}

/// A custom matcher: requests must agree on `accept` too.
fn same_accept(sent: &RecordedRequest, recorded: &RecordedRequest) -> Result<(), Mismatch> {
    let (s, r) = (sent.headers.get("accept"), recorded.headers.get("accept"));
    if s == r {
        Ok(())
    } else {
        Err(Mismatch::new(
            "accept",
            format!("recorded {r:?}, sent {s:?}"),
        ))
    }
}

fn accepting(accept: &str, mut request: http::Request<Bytes>) -> http::Request<Bytes> {
    request
        .headers_mut()
        .insert("accept", accept.parse().unwrap());
    request
}

#[tokio::test]
async fn replays_match_requests_as_the_matchers_say() {
    use Gives::{Answer, Fails};
    let as_is = |b| b;
    let x = r#"{"a":1,"b":{"c":[1,2]}}"#;
    let cases = vec![
        Replay {
            name: "JSON bodies match by value",
            recorded: vec![post("/api/x", x)],
            configure: as_is,
            sends: vec![(
                post("/api/x", "{ \"b\": { \"c\": [1, 2] },\n  \"a\": 1 }"),
                Answer(0),
            )],
        },
        Replay {
            name: "JSON bodies that differ in value do not match",
            recorded: vec![post("/api/x", x)],
            configure: as_is,
            sends: vec![(
                post("/api/x", r#"{"a":1,"b":{"c":[2,1]}}"#),
                Fails("body differs"),
            )],
        },
        Replay {
            name: "the query matches in any order",
            recorded: vec![get("/api/x?a=1&b=2&b=3")],
            configure: as_is,
            sends: vec![(get("/api/x?b=3&a=1&b=2"), Answer(0))],
        },
        Replay {
            name: "the query's values count",
            recorded: vec![get("/api/x?a=1&b=2&b=3")],
            configure: as_is,
            sends: vec![(
                get("/api/x?a=1&b=2"),
                Fails("query differs: recorded a=1&b=2&b=3, sent a=1&b=2"),
            )],
        },
        Replay {
            name: "identical requests replay in order, each once",
            recorded: vec![get("/api/contact"), get("/api/contact")],
            configure: as_is,
            sends: vec![
                (get("/api/contact"), Answer(0)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Fails("already used")),
            ],
        },
        Replay {
            name: "with repeats allowed, the last match answers again",
            recorded: vec![get("/api/contact"), get("/api/contact")],
            configure: |b| b.allow_playback_repeats(true),
            sends: vec![
                (get("/api/contact"), Answer(0)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Answer(1)),
                (get("/api/contact"), Answer(1)),
            ],
        },
        Replay {
            name: "a custom matcher adds a described condition",
            recorded: vec![get("/api/a")],
            configure: |b| b.matcher(same_accept),
            sends: vec![
                (
                    accepting("text/html", get("/api/a")),
                    Fails(
                        r#"accept differs: recorded Some("application/json"), sent Some("text/html")"#,
                    ),
                ),
                (get("/api/a"), Answer(0)),
            ],
        },
        Replay {
            name: "without the default matchers, any request takes the next interaction",
            recorded: vec![get("/api/a")],
            configure: |b| b.without_default_matchers(),
            sends: vec![(get("/api/zzz"), Answer(0))],
        },
    ];
    for case in cases {
        let name = case.name;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        record(&path, case.recorded).await;
        let (inner, calls) = forbidden();
        let cassette = (case.configure)(builder(&path, Mode::Replay).inner_arc(inner))
            .build()
            .unwrap();
        for (request, gives) in case.sends {
            let shown = format!("{name}: {} {}", request.method(), request.uri());
            match (cassette.send(request).await, gives) {
                (Ok(response), Answer(n)) => {
                    assert_eq!(json(&response)["n"], n, "{shown}");
                    // The stored JSON value, re-serialised compactly.
                    let text = std::str::from_utf8(response.body()).unwrap();
                    assert!(
                        !text.contains(": ") && !text.contains('\n'),
                        "{shown}: {text}"
                    );
                }
                (Err(err), Fails(text)) => {
                    assert!(err.to_string().contains(text), "{shown}: {err}");
                }
                (got, gives) => panic!("{shown}: expected {gives:?}, got {got:?}"),
            }
        }
        assert_eq!(
            calls.load(Ordering::SeqCst),
            0,
            "{name}: replay never calls inner"
        );
    }
}

/// What the cassette file holds before a run.
enum Before {
    Nothing,
    Recorded(Vec<&'static str>),
    Corrupt,
}

/// One run of a cassette in a mode: the file before, the requests sent and what each gives,
/// then whether it recorded and wrote, what the file holds after and what was never used.
struct Run {
    name: &'static str,
    mode: Mode,
    before: Before,
    sends: Vec<(&'static str, Gives)>,
    recording: bool,
    written: bool,
    after: Vec<&'static str>,
    unused: Vec<&'static str>,
}

fn recorded_paths(path: &std::path::Path) -> Vec<String> {
    read_json(path)["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["request"]["path"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_mode_records_and_replays_what_it_should() {
    use Gives::{Answer, Fails, Recorded};
    let runs = vec![
        Run {
            name: "once, with no file, records",
            mode: Mode::Once,
            before: Before::Nothing,
            sends: vec![("/api/a", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/a"],
            unused: vec![],
        },
        Run {
            name: "once, with a file, only replays",
            mode: Mode::Once,
            before: Before::Recorded(vec!["/api/a"]),
            sends: vec![
                ("/api/a", Answer(0)),
                ("/api/new", Fails("no recorded interaction")),
            ],
            recording: false,
            written: false,
            after: vec!["/api/a"],
            unused: vec![],
        },
        Run {
            name: "new episodes replays what matches and appends the rest",
            mode: Mode::NewEpisodes,
            before: Before::Recorded(vec!["/api/a"]),
            sends: vec![("/api/a", Answer(0)), ("/api/b", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/a", "/api/b"],
            unused: vec![],
        },
        Run {
            name: "new episodes with nothing new does not rewrite the file",
            mode: Mode::NewEpisodes,
            before: Before::Recorded(vec!["/api/a", "/api/b"]),
            sends: vec![("/api/b", Answer(1))],
            recording: true,
            written: false,
            after: vec!["/api/a", "/api/b"],
            unused: vec!["/api/a"],
        },
        Run {
            name: "rerecord replaces the cassette",
            mode: Mode::Rerecord,
            before: Before::Recorded(vec!["/api/a", "/api/b"]),
            sends: vec![("/api/c", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/c"],
            unused: vec![],
        },
        Run {
            name: "rerecord ignores a corrupt old file",
            mode: Mode::Rerecord,
            before: Before::Corrupt,
            sends: vec![("/api/c", Recorded)],
            recording: true,
            written: true,
            after: vec!["/api/c"],
            unused: vec![],
        },
    ];
    for run in runs {
        let name = run.name;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        match run.before {
            Before::Nothing => {}
            Before::Recorded(paths) => record(&path, paths.into_iter().map(get).collect()).await,
            Before::Corrupt => std::fs::write(&path, "{ not json").unwrap(),
        }
        let before = std::fs::read_to_string(&path).ok();
        let (server, calls) = echo_server();
        let cassette = builder(&path, run.mode).inner_arc(server).build().unwrap();
        assert_eq!(cassette.is_recording(), run.recording, "{name}");
        for (uri, gives) in run.sends {
            let calls_before = calls.load(Ordering::SeqCst);
            let got = cassette.send(get(uri)).await;
            let called = calls.load(Ordering::SeqCst) - calls_before;
            match (got, gives) {
                (Ok(response), Answer(n)) => {
                    assert_eq!(json(&response)["n"], n, "{name}: {uri}");
                    assert_eq!(called, 0, "{name}: {uri} is replayed");
                }
                (Ok(_), Recorded) => assert_eq!(called, 1, "{name}: {uri} is recorded"),
                (Err(err), Fails(text)) => {
                    assert!(err.to_string().contains(text), "{name}: {uri}: {err}");
                    assert_eq!(called, 0, "{name}: {uri} never reaches the server");
                }
                (got, gives) => panic!("{name}: {uri}: expected {gives:?}, got {got:?}"),
            }
        }
        let report = cassette.finish().unwrap();
        assert_eq!(report.written(), run.written, "{name}");
        assert_eq!(recorded_paths(&path), run.after, "{name}");
        if !run.written {
            assert_eq!(
                std::fs::read_to_string(&path).ok(),
                before,
                "{name}: untouched"
            );
        }
        let unused: Vec<_> = report
            .unused()
            .iter()
            .map(|u| u.request.path.as_str())
            .collect();
        assert_eq!(unused, run.unused, "{name}");
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
