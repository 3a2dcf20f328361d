//! Inputs the property tests and fuzzers found that broke an invariant of the sandbox, each
//! fixed at its root and kept here so that it stays fixed.
#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use clevertim_sandbox::{InProcess, Sandbox};
use serde_json::Value;

fn send(sandbox: &InProcess, method: &str, path: &str, body: &'static str) -> (u16, Value) {
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", sandbox.basic_auth(sandbox.api_key()))
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap();
    let response = futures_executor::block_on(sandbox.handle(request));
    let status = response.status().as_u16();
    (status, serde_json::from_slice(response.body()).unwrap())
}

/// proptest_requests: a number whose shortest form serde_json's default (fast, best-effort)
/// parser reads one unit in the last place off. The sandbox stored the number it parsed, wrote
/// it to its snapshot and, on loading the snapshot, read a different number: data changed
/// across a restart (and an answer could differ from what a later snapshot restores). Numbers
/// are now parsed exactly (serde_json's `float_roundtrip`). (Found in a field the API did not
/// know, which the sandbox then stored; it now ignores those, so a server-side extra, kept as
/// sent, carries the number.)
#[test]
fn a_stored_float_survives_a_snapshot_unchanged() {
    let sandbox = Sandbox::builder().in_process().unwrap();
    let (status, body) = send(
        &sandbox,
        "POST",
        "/api/note",
        r#"{"desc": "A", "fmt": {"id": {"id": 7.8673649257108896e+43}}}"#,
    );
    assert_eq!(status, 200, "{body}");
    // The number as sent, read exactly (the standard library rounds correctly).
    let sent: f64 = "7.8673649257108896e+43".parse().unwrap();
    assert_eq!(body["content"][0]["fmt"]["id"]["id"].as_f64(), Some(sent));
    sandbox.check_consistency().unwrap();
}
