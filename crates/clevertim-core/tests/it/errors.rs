//! Every way an answer can go wrong becomes the right `Error` variant, never a panic, and no
//! error ever shows the API key.
#![allow(clippy::unwrap_used)]

use crate::common;

use clevertim_core::{Contact, Error, TransportError, TransportErrorKind};
use common::{API_KEY, Reply, Script, ok, raw, session};
use serde_json::json;

/// Loads contact 4 from a transport that answers `reply`.
async fn load_with(reply: fn() -> Reply) -> Error {
    let script = Script::new().then("GET /api/contact/4", reply());
    let err = session(script).load::<Contact>(4).await.unwrap_err();
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(API_KEY), "the API key leaked: {shown}");
    }
    err
}

fn envelope(status: u16, text: &str) -> Reply {
    raw(
        status,
        json!({"status": "ERROR", "error": text}).to_string(),
    )
}

#[tokio::test]
async fn error_envelopes_by_status() {
    let e = load_with(|| envelope(400, "missing name")).await;
    assert!(
        matches!(&e, Error::Api { status: 400, message, .. } if message == "missing name"),
        "{e}"
    );
    let e = load_with(|| envelope(401, "bad key")).await;
    assert!(
        matches!(&e, Error::Authentication { message, .. } if message == "bad key"),
        "{e}"
    );
    let e = load_with(|| envelope(403, "read-only")).await;
    assert!(matches!(&e, Error::Permission { .. }), "{e}");
    let e = load_with(|| envelope(404, "no such contact")).await;
    assert!(
        matches!(&e, Error::NotFound { resource: "contact", key, .. } if key == "4"),
        "{e}"
    );
    let e = load_with(|| envelope(500, "cannot parse")).await;
    assert!(matches!(&e, Error::Api { status: 500, .. }), "{e}");
    let e = load_with(|| envelope(501, "not supported")).await;
    assert!(matches!(&e, Error::Unsupported { .. }), "{e}");
    assert_eq!(e.status(), Some(501));
}

#[tokio::test]
async fn error_status_in_an_http_200() {
    let e = load_with(|| envelope(200, "something broke")).await;
    assert!(
        matches!(&e, Error::Api { status: 200, message, .. } if message == "something broke"),
        "{e}"
    );
}

#[tokio::test]
async fn a_proxy_html_page() {
    let e = load_with(|| raw(502, "<html><body>Bad Gateway</body></html>")).await;
    assert!(
        matches!(&e, Error::Api { status: 502, message, .. } if message.contains("Bad Gateway")),
        "{e}"
    );
    let e = load_with(|| raw(200, "<html>maintenance</html>")).await;
    assert!(
        matches!(&e, Error::MalformedResponse { status: 200, excerpt, .. } if excerpt.contains("maintenance")),
        "{e}"
    );
}

#[tokio::test]
async fn empty_truncated_and_envelope_less_bodies() {
    let e = load_with(|| raw(200, "")).await;
    assert!(
        matches!(&e, Error::MalformedResponse { excerpt, .. } if excerpt == "(empty body)"),
        "{e}"
    );
    let e = load_with(|| raw(200, r#"{"status":"OK","content":[{"id":4,"fn":"Pra"#)).await;
    assert!(
        matches!(&e, Error::MalformedResponse { detail: Some(d), .. } if d.contains("EOF")),
        "{e}"
    );
    let e = load_with(|| raw(200, r#"[{"id": 4}]"#)).await;
    assert!(matches!(&e, Error::MalformedResponse { .. }), "{e}");
    let e = load_with(|| raw(200, r#"{"id": 4, "fn": "x"}"#)).await;
    assert!(matches!(&e, Error::MalformedResponse { .. }), "{e}");
}

#[tokio::test]
async fn a_long_body_is_cut_to_an_excerpt() {
    let e = load_with(|| raw(200, "x".repeat(100_000))).await;
    let Error::MalformedResponse { excerpt, .. } = &e else {
        panic!("{e}")
    };
    assert!(excerpt.chars().count() <= 161, "{}", excerpt.len());
}

#[tokio::test]
async fn wrong_objects() {
    let e = load_with(|| ok(json!([{"id": 5, "fn": "someone else"}]))).await;
    assert!(matches!(&e, Error::NotFound { .. }), "{e}");
    let e = load_with(|| ok(json!([]))).await;
    assert!(matches!(&e, Error::NotFound { .. }), "{e}");
    // A field of another type is kept as sent (see examples.rs); one malformed deep inside
    // cannot be, and is named.
    let e = load_with(|| ok(json!([{"id": 4, "email": ["a", 5]}]))).await;
    assert!(
        matches!(&e, Error::MalformedResponse { detail: Some(d), .. } if d.contains("`email`")),
        "{e}"
    );
    let e = load_with(|| ok(json!([{"id": 4}, {"id": 4}]))).await;
    assert!(matches!(&e, Error::MalformedResponse { .. }), "{e}");
}

#[tokio::test]
async fn transport_failures_keep_their_kind() {
    let e = load_with(|| Err(TransportError::new(TransportErrorKind::Connect, "refused"))).await;
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportErrorKind::Connect),
        "{e}"
    );
    assert_eq!(e.status(), None);
}

#[tokio::test]
async fn a_server_echoing_the_key_does_not_leak_it() {
    let e = load_with(|| envelope(401, &format!("unknown key {API_KEY}"))).await;
    assert!(e.to_string().contains("[redacted]"), "{e}");
    let e = load_with(|| raw(503, format!("<html>key={API_KEY}</html>"))).await;
    assert!(e.to_string().contains("[redacted]"), "{e}");
}

#[tokio::test]
async fn a_key_running_across_the_excerpt_cut_is_still_hidden() {
    for pad in 100..170 {
        let script = Script::new().then(
            "GET /api/contact/4",
            raw(502, format!("{}{API_KEY} tail", "x".repeat(pad))),
        );
        let err = session(script).load::<Contact>(4).await.unwrap_err();
        let shown = err.to_string();
        assert!(!shown.contains(&API_KEY[..8]), "pad {pad}: {shown}");
    }
}

#[tokio::test]
async fn ids_that_name_no_object_are_refused_before_sending() {
    for id in ["", ".", ".."] {
        // No step: a request would fail the test.
        let err = session(Script::new())
            .load::<clevertim_core::Folder>(id)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation(v) if v.field == "id"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn read_only_resources_are_refused_before_sending() {
    // No step: a request would fail the test.
    let session = session(Script::new());
    let mut user: clevertim_core::User = serde_json::from_value(json!({"id": 1})).unwrap();
    let err = session.delete(&mut user).await.unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    let err = session
        .save(&mut clevertim_core::Group::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
}

#[tokio::test]
async fn debug_of_a_session_and_its_builder_hide_the_key() {
    let s = session(Script::new());
    assert!(!format!("{s:?}").contains(API_KEY));
    let b = clevertim_core::Session::builder(API_KEY);
    assert!(!format!("{b:?}").contains(API_KEY));
}

#[tokio::test]
async fn bad_configuration_is_refused_at_build() {
    let no_transport = clevertim_core::Session::builder(API_KEY)
        .build()
        .unwrap_err();
    assert!(
        no_transport.to_string().contains("transport"),
        "{no_transport}"
    );
    for endpoint in [
        "not a url",
        "ftp://x/api",
        "/api",
        "https://h/api#frag",
        "https://u:p@h/api",
    ] {
        let e = clevertim_core::Session::builder(API_KEY)
            .endpoint(endpoint)
            .transport(Script::new())
            .build()
            .unwrap_err();
        // The message names the endpoint, unless it carries credentials.
        let named = if endpoint.contains('@') {
            !e.to_string().contains("u:p@")
        } else {
            e.to_string().contains(endpoint)
        };
        assert!(matches!(&e, Error::Config(_)) && named, "{e}");
        assert!(!e.to_string().contains(API_KEY));
    }
}
