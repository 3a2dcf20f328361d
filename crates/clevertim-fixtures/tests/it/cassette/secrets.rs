//! What a cassette keeps out of its file: credentials, authorization, what `before_save` scrubs.

use super::*;

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
