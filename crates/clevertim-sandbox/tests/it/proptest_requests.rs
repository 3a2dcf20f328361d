//! Property tests of the sandbox's request handling, bounded for CI (the unbounded search is
//! the `sandbox_request` fuzz target in fuzz/): sequences of arbitrary requests (method, path,
//! credentials, headers, JSON or raw bodies) through the in-process entry point. Nothing
//! panics; every answer is a JSON envelope with a documented status (no 5xx but the 500 for a
//! body that is not JSON, and 501); the store stays consistent.
#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use clevertim_sandbox::{InProcess, Sandbox};
use proptest::prelude::*;
use serde_json::Value;

const RESOURCES: &[&str] = &[
    "contact",
    "company",
    "case",
    "opportunity",
    "task",
    "note",
    "comment",
    "customfield",
    "user",
    "group",
    "folder",
    "file",
    "linkedfile",
    "nope",
];

/// Field names of the rules table (and a few others), so that bodies reach the validation.
const FIELDS: &[&str] = &[
    "id",
    "fn",
    "ln",
    "cn",
    "name",
    "title",
    "companyId",
    "description",
    "email",
    "website",
    "phones",
    "smids",
    "ctype",
    "cf",
    "tags",
    "is_private",
    "puser",
    "gid",
    "leadUser",
    "cust",
    "status",
    "value",
    "currency",
    "atype",
    "case",
    "opp",
    "opportunity",
    "startDate",
    "endDate",
    "aUserId",
    "is_completed",
    "rec",
    "recevery",
    "recopts",
    "desc",
    "type",
    "comment",
    "nid",
    "tid",
    "elemType",
    "modelType",
    "multiple",
    "values",
    "parentId",
    "user",
    "notes",
    "ao",
    "no",
    "smid",
    "y",
    "mo",
    "d",
    "h",
    "mi",
    "1",
    "2",
    "13",
    "25",
    "x",
];

/// Strings the rules accept somewhere (enumerations, ids, dates, decimals).
const WORDS: &[&str] = &[
    "",
    " ",
    "Work",
    "Skype",
    "C",
    "N",
    "S",
    "E",
    "D",
    "weekday",
    "Call",
    "select",
    "date",
    "user",
    "contact",
    "customers",
    "cases",
    "2024-02-29",
    "2023-02-29",
    "1000.50",
    "1e3",
    "f1",
    "f2",
    "1",
    "3",
    "Gold",
    "X",
    "a\nb",
];

fn template() -> &'static InProcess {
    static TEMPLATE: std::sync::OnceLock<InProcess> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| Sandbox::builder().in_process().unwrap())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (0u64..12).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
        "[a-zA-Z0-9 ]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS), inner), 0..4).prop_map(|fields| {
                Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

/// The fields every resource requires, at once: a base that many writes accept.
fn required() -> serde_json::Map<String, Value> {
    let base = serde_json::json!({
        "fn": "A", "cn": "B", "name": "N", "desc": "D", "comment": "C", "nid": 1,
        "elemType": "input", "modelType": ["customers"],
    });
    base.as_object().unwrap().clone()
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let fields = || prop::collection::vec((prop::sample::select(FIELDS), json_value()), 0..6);
    prop_oneof![
        4 => fields().prop_map(|fields| {
            let object: serde_json::Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            serde_json::to_vec(&object).unwrap()
        }),
        4 => fields().prop_map(|fields| {
            let mut object = required();
            object.extend(fields.into_iter().map(|(k, v)| (k.to_owned(), v)));
            serde_json::to_vec(&object).unwrap()
        }),
        1 => json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

#[derive(Debug, Clone)]
struct Req {
    method: &'static str,
    path: String,
    auth: u8,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
}

fn path() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        (0u64..12).prop_map(|n| n.to_string()),
        (0u64..4).prop_map(|n| format!("f{n}")),
        "[a-z0-9%.-]{0,5}",
        any::<u64>().prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        6 => (prop::sample::select(RESOURCES), prop::option::of(id))
            .prop_map(|(r, id)| match id {
                Some(id) => format!("/api/{r}/{id}"),
                None => format!("/api/{r}"),
            }),
        1 => "/[a-z/]{0,12}",
        1 => Just("/api//contact//1/".to_owned()),
    ]
}

fn request() -> impl Strategy<Value = Req> {
    let method = prop_oneof![
        3 => Just("GET"),
        4 => Just("POST"),
        3 => Just("PUT"),
        2 => Just("DELETE"),
        1 => prop::sample::select(&["PATCH", "HEAD", "OPTIONS"][..]),
    ];
    let header = prop_oneof![
        6 => prop::sample::select(
            &[
                ("content-type", "application/json"),
                ("content-type", "text/plain"),
                ("accept", "*/*"),
            ][..]
        ),
        1 => Just(("content-length", "99999999")),
        1 => Just(("expect", "100-continue")),
    ];
    // Mostly the owner; now and then the admin, the reader, an unknown key or none.
    let auth = prop_oneof![4 => Just(0u8), 1 => 2u8..6];
    (
        method,
        path(),
        auth,
        prop::collection::vec(header, 0..3),
        body(),
    )
        .prop_map(|(method, path, auth, headers, body)| Req {
            method,
            path,
            auth,
            headers,
            body,
        })
}

fn to_http(sandbox: &InProcess, req: &Req) -> http::Request<Bytes> {
    let mut builder = http::Request::builder().method(req.method).uri(&req.path);
    let auth = match req.auth {
        0 | 1 => Some(sandbox.basic_auth(sandbox.api_key())),
        2 => Some(sandbox.basic_auth(sandbox.admin_api_key())),
        3 => Some(sandbox.basic_auth(sandbox.readonly_api_key())),
        4 => Some("Basic bm9wZTpY".to_owned()),
        _ => None,
    };
    if let Some(auth) = auth {
        builder = builder.header("authorization", auth);
    }
    for (name, value) in &req.headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from(req.body.clone())).unwrap()
}

fn check(req: &Req, response: &http::Response<Bytes>) -> Result<(), TestCaseError> {
    let status = response.status().as_u16();
    let text = String::from_utf8_lossy(response.body()).into_owned();
    prop_assert!(
        matches!(status, 200 | 400 | 401 | 403 | 404 | 413 | 500 | 501),
        "{req:?} → {status} {text}"
    );
    prop_assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    let body: Value = serde_json::from_slice(response.body())
        .map_err(|e| TestCaseError::fail(format!("{req:?} → not JSON ({e}): {text}")))?;
    if status == 200 {
        prop_assert_eq!(&body["status"], "OK", "{:?} → {}", req, text);
        if req.method != "DELETE" {
            prop_assert!(body["content"].is_array(), "{req:?} → {text}");
        }
    } else {
        prop_assert_eq!(&body["status"], "ERROR", "{:?} → {}", req, text);
        let error = body["error"].as_str().unwrap_or("");
        prop_assert!(!error.trim().is_empty(), "{req:?} → {text}");
        if status == 500 {
            prop_assert!(
                error.starts_with("Could not parse the request body as JSON"),
                "an undocumented 500: {req:?} → {text}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_requests_get_envelopes_and_keep_the_store_consistent(
        requests in prop::collection::vec(request(), 1..6),
    ) {
        let sandbox = template().fork();
        let mut wrote = false;
        for req in &requests {
            let response = futures_executor::block_on(sandbox.handle(to_http(&sandbox, req)));
            check(req, &response)?;
            wrote |= response.status() == 200 && req.method != "GET";
        }
        // Only a successful write changes the store (and the check costs more than requests).
        if !wrote {
            return Ok(());
        }
        if let Err(broken) = sandbox.check_consistency() {
            return Err(TestCaseError::fail(format!("{requests:?}: {broken}")));
        }
    }
}

#[test]
fn a_fresh_sandbox_is_consistent_and_forks_are_independent() {
    let sandbox = template().fork();
    sandbox.check_consistency().unwrap();
    let create = http::Request::builder()
        .method("POST")
        .uri("/api/contact")
        .header("authorization", sandbox.basic_auth(sandbox.api_key()))
        .body(Bytes::from_static(br#"{"fn": "Forked"}"#))
        .unwrap();
    let response = futures_executor::block_on(sandbox.handle(create));
    assert_eq!(response.status(), 200);
    sandbox.check_consistency().unwrap();
    let count = |s: &InProcess| {
        let list = http::Request::builder()
            .uri("/api/contact")
            .header("authorization", s.basic_auth(s.api_key()))
            .body(Bytes::new())
            .unwrap();
        let body: Value =
            serde_json::from_slice(futures_executor::block_on(s.handle(list)).body()).unwrap();
        body["content"].as_array().unwrap().len()
    };
    assert_eq!(count(&sandbox), count(template()) + 1);
}
