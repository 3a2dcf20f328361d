//! Helpers shared by the integration tests: fake inner transports and request builders.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use clevertim_core::{Transport, TransportError, TransportErrorKind, transport_fn};
use clevertim_fixtures::{Cassette, CassetteBuilder, Mode};

/// The API key of the tests (the one the API reference uses as an illustration).
pub const API_KEY: &str = "ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343";

/// `Authorization: Basic base64(API_KEY:X)`.
pub fn basic_auth() -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:X"))
    )
}

/// A fake server that counts its calls and echoes what it got, with the call number `n`,
/// so that identical requests get different answers.
pub fn echo_server() -> (Arc<dyn Transport>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let transport = transport_fn(move |request: http::Request<Bytes>| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let body = serde_json::json!({
                "n": n,
                "method": request.method().as_str(),
                "path": request.uri().path(),
                "query": request.uri().query(),
                "body": String::from_utf8_lossy(request.body()),
            });
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("date", "Sat, 28 Nov 2026 02:00:00 GMT")
                .body(Bytes::from(body.to_string()))
                .unwrap())
        }
    });
    (Arc::new(transport), calls)
}

/// An inner transport that must never be called: it counts and fails.
pub fn forbidden() -> (Arc<dyn Transport>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let transport = transport_fn(move |_request: http::Request<Bytes>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async {
            Err(TransportError::new(
                TransportErrorKind::Connect,
                "the network must not be used in a replay",
            ))
        }
    });
    (Arc::new(transport), calls)
}

/// A request as the core would send it (with the auth header).
pub fn request(method: &str, uri: &str, body: impl Into<Bytes>) -> http::Request<Bytes> {
    let body = body.into();
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("https://crm.example.test{uri}"))
        .header("authorization", basic_auth())
        .header("accept", "application/json")
        .header("user-agent", "clevertim-test");
    if !body.is_empty() {
        builder = builder.header("content-type", "application/json");
    }
    builder.body(body).unwrap()
}

pub fn get(uri: &str) -> http::Request<Bytes> {
    request("GET", uri, Bytes::new())
}

pub fn post(uri: &str, body: &str) -> http::Request<Bytes> {
    request("POST", uri, Bytes::from(body.to_owned()))
}

/// The JSON body of a response.
pub fn json(response: &http::Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(response.body()).unwrap()
}

/// A builder with the mode forced (the environment must not change the tests) and the key as
/// a secret.
pub fn builder(path: &std::path::Path, mode: Mode) -> CassetteBuilder {
    Cassette::builder(path).force_mode(mode).secret(API_KEY)
}

/// Records `requests` through the echo server into `path` and finishes.
pub async fn record(path: &std::path::Path, requests: Vec<http::Request<Bytes>>) {
    let (server, _) = echo_server();
    let cassette = builder(path, Mode::Rerecord)
        .inner_arc(server)
        .build()
        .unwrap();
    for r in requests {
        cassette.send(r).await.unwrap();
    }
    assert!(cassette.finish().unwrap().written());
}

/// A replaying cassette of `path` over a forbidden inner transport.
pub fn replay(path: &std::path::Path) -> (Cassette, Arc<AtomicUsize>) {
    let (inner, calls) = forbidden();
    let cassette = builder(path, Mode::Replay)
        .inner_arc(inner)
        .build()
        .unwrap();
    (cassette, calls)
}
