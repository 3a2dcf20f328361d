//! Property tests of the response decoder, bounded for CI (the unbounded search is the
//! `decode_response` fuzz target in fuzz/): arbitrary bytes, arbitrary JSON envelopes and
//! mutated valid envelopes, answered by a closure transport to `load`, `all`, `save` and
//! `delete_key` of every resource. Nothing panics, no error text shows the API key, and an
//! `Ok` load returns the object whose key was asked for.
#![allow(clippy::unwrap_used)]

use crate::common;

use bytes::Bytes;
use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, Error, File, Folder, Group, Id, Key, LinkedFile,
    Note, Opportunity, Resource, RetryPolicy, Session, Task, User, transport_fn,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const STATUSES: &[u16] = &[200, 201, 204, 400, 401, 403, 404, 429, 500, 501, 502, 503];

/// Wire names the models know, so that generated objects hit typed fields, not only `extra`.
const NAMES: &[&str] = &[
    "id",
    "fn",
    "ln",
    "cn",
    "name",
    "email",
    "phones",
    "smids",
    "cf",
    "tags",
    "cust",
    "case",
    "opp",
    "opportunity",
    "startDate",
    "endDate",
    "recopts",
    "rec",
    "recevery",
    "type",
    "desc",
    "nid",
    "tid",
    "elemType",
    "modelType",
    "multiple",
    "values",
    "parentId",
    "gid",
    "puser",
    "is_private",
    "users",
    "permissions",
    "notes",
    "tasks",
    "sys",
    "size",
    "no",
    "smid",
    "y",
    "mo",
    "d",
    "h",
    "mi",
    "t",
    "f",
    "s",
    "e",
    "ao",
    "lm",
    "status",
    "content",
    "error",
];

fn session(status: u16, body: Bytes) -> Session {
    Session::builder(common::API_KEY)
        .endpoint("https://proptest.invalid/api")
        .transport(transport_fn(move |_| {
            let mut response = http::Response::new(body.clone());
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            async move { Ok(response) }
        }))
        .no_cache()
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn assert_no_key(error: &Error) {
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(common::API_KEY), "the key leaks: {text}");
    }
}

fn check<T>(result: &Result<T, Error>) {
    if let Err(e) = result {
        assert_no_key(e);
    }
}

/// Loads, lists, saves (a new object) and deletes `R` against one answer.
fn exercise<R: Resource + Default>(status: u16, body: &Bytes, key: &Id) {
    let session = session(status, body.clone());
    let loaded = futures_executor::block_on(session.load::<R>(Key::new(key.clone())));
    check(&loaded);
    if let Ok(object) = &loaded {
        assert!(
            object.wire_id() == Some(key),
            "asked {key:?}, got {object:?}"
        );
        let _ = serde_json::to_vec(object).unwrap();
        let _ = format!("{object:?}");
    }
    let all = futures_executor::block_on(session.all::<R>());
    check(&all);
    if let Ok(list) = &all {
        for object in list {
            let _ = serde_json::to_vec(object).unwrap();
        }
    }
    let mut fresh = R::default();
    check(&futures_executor::block_on(session.save(&mut fresh)));
    check(&futures_executor::block_on(
        session.delete_key::<R>(Key::new(key.clone())),
    ));
}

fn exercise_all(resource: usize, status: u16, body: &Bytes, key: &Id) {
    match resource % 13 {
        0 => exercise::<Contact>(status, body, key),
        1 => exercise::<Company>(status, body, key),
        2 => exercise::<Case>(status, body, key),
        3 => exercise::<Opportunity>(status, body, key),
        4 => exercise::<Task>(status, body, key),
        5 => exercise::<Note>(status, body, key),
        6 => exercise::<Comment>(status, body, key),
        7 => exercise::<CustomField>(status, body, key),
        8 => exercise::<User>(status, body, key),
        9 => exercise::<Group>(status, body, key),
        10 => exercise::<Folder>(status, body, key),
        11 => exercise::<File>(status, body, key),
        _ => exercise::<LinkedFile>(status, body, key),
    }
}

fn key() -> impl Strategy<Value = Id> {
    prop_oneof![
        (0i64..8).prop_map(Id::Int),
        any::<i64>().prop_map(Id::Int),
        "f?[0-9]{1,3}".prop_map(Id::from),
        "[a-z0-9./%-]{0,6}".prop_map(Id::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 :._-]{0,12}",
        1 => Just(common::API_KEY.to_owned()),
        1 => "[a-z]{0,4}".prop_map(|s| format!("{s}{}{s}", common::API_KEY)),
        1 => any::<String>(),
    ]
}

/// Any JSON value, with object keys the models know and now and then the API key.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (0i64..10).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => prop::sample::select(NAMES).prop_map(str::to_owned), 1 => "[a-z]{1,4}"],
                    inner
                ),
                0..6
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// An envelope of objects built from known field names, or an error envelope.
fn envelope() -> impl Strategy<Value = Value> {
    let object = (
        key(),
        prop::collection::vec((prop::sample::select(NAMES), json_value()), 0..8),
    )
        .prop_map(|(id, fields)| {
            let mut object: serde_json::Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            object.insert("id".into(), serde_json::to_value(&id).unwrap());
            Value::Object(object)
        });
    prop_oneof![
        prop::collection::vec(object, 0..3)
            .prop_map(|content| json!({"status": "OK", "content": content})),
        text().prop_map(|error| json!({"status": "ERROR", "error": error})),
        json_value(),
    ]
}

/// The documented examples as OK envelopes, one object each.
fn examples() -> Vec<Vec<u8>> {
    [
        "case",
        "comment",
        "company",
        "contact",
        "customfield",
        "note",
        "opportunity",
        "task",
    ]
    .iter()
    .map(|name| {
        let object = common::example(name);
        serde_json::to_vec(&json!({"status": "OK", "content": [object]})).unwrap()
    })
    .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        prop::sample::select(&b"\"{}[],:0-9enul\\ x"[..]),
        any::<u8>()
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), byte).prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut body: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = body.len().max(1);
        match *m {
            Mutation::Replace(at, b) if !body.is_empty() => body[at % len] = b,
            Mutation::Insert(at, b) => body.insert(at % (body.len() + 1), b),
            Mutation::Remove(at) if !body.is_empty() => {
                body.remove(at % len);
            }
            Mutation::Truncate(at) => body.truncate(at % (body.len() + 1)),
            _ => {}
        }
    }
    body
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        resource in 0usize..13,
        status in prop::sample::select(STATUSES),
        body in prop::collection::vec(any::<u8>(), 0..256),
        key in key(),
    ) {
        exercise_all(resource, status, &Bytes::from(body), &key);
    }

    #[test]
    fn arbitrary_envelopes_never_panic(
        resource in 0usize..13,
        status in prop::sample::select(STATUSES),
        mut envelope in envelope(),
        key in key(),
        same_id in any::<bool>(),
    ) {
        // Half the time the first object is the one asked for, so that loads succeed too.
        if let Some(first) = envelope.pointer_mut("/content/0").and_then(Value::as_object_mut) {
            if same_id {
                first.insert("id".into(), serde_json::to_value(&key).unwrap());
            }
        }
        let body = Bytes::from(serde_json::to_vec(&envelope).unwrap());
        exercise_all(resource, status, &body, &key);
    }

    #[test]
    fn mutated_valid_envelopes_never_panic(
        example in 0usize..8,
        resource in 0usize..13,
        status in prop::sample::select(STATUSES),
        mutations in prop::collection::vec(mutation(), 1..6),
        key in key(),
    ) {
        let examples = examples();
        let body = mutate(examples[example % examples.len()].clone(), &mutations);
        exercise_all(resource, status, &Bytes::from(body), &key);
    }
}
