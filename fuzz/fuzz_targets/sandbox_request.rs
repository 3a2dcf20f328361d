//! The sandbox's request handling with arbitrary methods, paths, headers and bodies, in
//! process (`clevertim_sandbox::InProcess`), a few requests in a row on one store.
//!
//! Input: up to 8 requests separated by a line `~~~`. Each request is text:
//!
//! ```text
//! METHOD PATH
//! Header-Name: value
//!
//! body bytes…
//! ```
//!
//! The request is sent with the owner's API key unless it has an `Authorization` header:
//! `Authorization: @admin` / `@reader` / `@owner` stand for those users' Basic credentials,
//! `Authorization: -` sends none, anything else is sent as written.
//!
//! Beyond "no panic" it asserts: every answer is JSON with `Content-Type: application/json`
//! and a sane status (200, 400, 401, 403, 404, 413, the documented 500 for a body that is not
//! JSON, 501); a 200 is `{"status":"OK", ...}` with a `content` list (but after a DELETE),
//! anything else `{"status":"ERROR","error":"…"}` with a non-empty text; a 200 GET of one
//! object, POST or PUT carries exactly one object, with an id (the one asked for, for a GET);
//! after requests that wrote, the store is consistent (`InProcess::check_consistency`).
#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use clevertim_sandbox::InProcess;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const MAX_REQUESTS: usize = 8;
const SEPARATOR: &[u8] = b"\n~~~\n";

fn template() -> &'static InProcess {
    static TEMPLATE: OnceLock<InProcess> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        clevertim_sandbox::Sandbox::builder()
            .body_limit(64 * 1024)
            .in_process()
            .expect("the demo sandbox builds")
    })
}

fn split<'a>(mut data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = data.windows(separator.len()).position(|w| w == separator) {
        parts.push(&data[..at]);
        data = &data[at + separator.len()..];
    }
    parts.push(data);
    parts
}

/// The request an input part spells, or `None` when `http` cannot represent it.
fn request(sandbox: &InProcess, part: &[u8]) -> Option<http::Request<Bytes>> {
    let (head, body) = match part.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&part[..at], &part[at + 2..]),
        None => (part, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let first = lines.next().unwrap_or_default();
    let (method, path) = first.split_once(' ').unwrap_or((first, "/"));
    let method = http::Method::from_bytes(method.as_bytes()).ok()?;
    let uri = http::Uri::try_from(path.trim_end_matches('\r')).ok()?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    let mut auth = Some(sandbox.basic_auth(sandbox.api_key()));
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("authorization") {
            auth = match value {
                "-" => None,
                "@owner" => Some(sandbox.basic_auth(sandbox.api_key())),
                "@admin" => Some(sandbox.basic_auth(sandbox.admin_api_key())),
                "@reader" => Some(sandbox.basic_auth(sandbox.readonly_api_key())),
                other => Some(other.to_owned()),
            };
            continue;
        }
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) else {
            continue;
        };
        builder = builder.header(name, value);
    }
    if let Some(auth) = auth {
        let value = http::HeaderValue::from_str(&auth).ok()?;
        builder = builder.header(http::header::AUTHORIZATION, value);
    }
    builder.body(Bytes::copy_from_slice(body)).ok()
}

/// The id a 200 GET of one object must carry: the path's last segment, as stored.
fn asked_id(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/api/")?;
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [_, id] => Some((*id).to_owned()),
        _ => None,
    }
}

fn same_id(stored: &Value, asked: &str) -> bool {
    match stored {
        Value::Number(n) => n
            .as_u64()
            .is_some_and(|n| asked.parse::<u64>().is_ok_and(|a| a == n)),
        // Folders: "f12" is asked as "f12" or "12", possibly with leading zeros.
        Value::String(s) => {
            let digits = |t: &str| {
                let t = t.strip_prefix('f').unwrap_or(t);
                t.parse::<u64>().ok()
            };
            s == asked || (digits(s).is_some() && digits(s) == digits(asked))
        }
        _ => false,
    }
}

fn check_response(request: &http::Request<Bytes>, response: &http::Response<Bytes>) {
    let status = response.status().as_u16();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let context = || {
        format!(
            "{method} {path} → {status} {}",
            String::from_utf8_lossy(response.body())
        )
    };
    assert!(
        matches!(status, 200 | 400 | 401 | 403 | 404 | 413 | 500 | 501),
        "unexpected status: {}",
        context()
    );
    assert_eq!(
        response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .map(http::HeaderValue::as_bytes),
        Some(&b"application/json"[..]),
        "{}",
        context()
    );
    let body: Value = serde_json::from_slice(response.body())
        .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {}", context()));
    let envelope = body.as_object().unwrap_or_else(|| panic!("{}", context()));
    if status == 200 {
        assert_eq!(
            envelope.get("status"),
            Some(&Value::from("OK")),
            "{}",
            context()
        );
        if method == http::Method::DELETE {
            assert!(envelope.get("content").is_none(), "{}", context());
            return;
        }
        let content = envelope
            .get("content")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("no content list: {}", context()));
        for object in content {
            assert!(
                object.get("id").is_some_and(|id| !id.is_null()),
                "an object without an id: {}",
                context()
            );
        }
        let one = method == http::Method::POST
            || method == http::Method::PUT
            || (method == http::Method::GET && asked_id(&path).is_some());
        if one {
            assert_eq!(content.len(), 1, "{}", context());
        }
        if method != http::Method::POST {
            if let (Some(asked), Some(object)) = (asked_id(&path), content.first()) {
                let id = object.get("id").unwrap_or(&Value::Null);
                assert!(
                    same_id(id, &asked),
                    "asked {asked}, got {id}: {}",
                    context()
                );
            }
        }
    } else {
        assert_eq!(
            envelope.get("status"),
            Some(&Value::from("ERROR")),
            "{}",
            context()
        );
        let error = envelope.get("error").and_then(Value::as_str).unwrap_or("");
        assert!(
            !error.trim().is_empty(),
            "an error without a text: {}",
            context()
        );
        if status == 500 {
            assert!(
                error.starts_with("Could not parse the request body as JSON"),
                "an undocumented 500: {}",
                context()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let sandbox = template().fork();
    let mut wrote = false;
    for part in split(data, SEPARATOR).into_iter().take(MAX_REQUESTS) {
        let Some(request) = request(&sandbox, part) else {
            continue;
        };
        let response = futures_executor::block_on(sandbox.handle(request.clone()));
        check_response(&request, &response);
        wrote |= response.status() == http::StatusCode::OK && request.method() != http::Method::GET;
    }
    // The store changes only through a successful write: check it then (it costs more than
    // the requests).
    if wrote {
        if let Err(broken) = sandbox.check_consistency() {
            panic!("the store is inconsistent after the requests: {broken}");
        }
    }
});
