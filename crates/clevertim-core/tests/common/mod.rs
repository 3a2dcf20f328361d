//! Helpers shared by the integration tests: canned answers, a scripted transport, and a
//! session over a transport.
#![allow(dead_code, unused_imports, unreachable_pub, clippy::unwrap_used)]

mod script;

use bytes::Bytes;
use clevertim_core::{RetryPolicy, Session, SessionBuilder, Transport, TransportError};
use serde_json::Value;

pub use script::Script;

/// The API key of every test session; tests check it never leaks.
pub const API_KEY: &str = "ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343";

pub type Reply = Result<http::Response<Bytes>, TransportError>;

/// An answer with `status` and a raw body.
pub fn raw(status: u16, body: impl Into<Bytes>) -> Reply {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    Ok(response)
}

/// A successful envelope around `content` (a JSON array).
pub fn ok(content: Value) -> Reply {
    raw(
        200,
        serde_json::json!({"status": "OK", "content": content}).to_string(),
    )
}

/// A session over `transport`, with the default cache and no retries (each expected request
/// is sent exactly once).
pub fn session(transport: impl Transport + 'static) -> Session {
    builder(transport)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A builder over `transport` with every default.
pub fn builder(transport: impl Transport + 'static) -> SessionBuilder {
    Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .transport(transport)
}

/// The JSON body of a request.
pub fn body(request: &http::Request<Bytes>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

/// Whether `request` is `method path`.
pub fn is(request: &http::Request<Bytes>, method: &str, path: &str) -> bool {
    request.method() == method && request.uri().path() == path
}

/// A documented example object from `tests/examples/`.
pub fn example(name: &str) -> Value {
    let path = format!("{}/tests/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
