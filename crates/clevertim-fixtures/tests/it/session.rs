//! End to end: a `Session` saves and loads a contact through a recording cassette, then again
//! through the replaying cassette alone.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clevertim_core::{Contact, Key, Session, Transport, transport_fn};
use clevertim_fixtures::{Cassette, Mode};
use common::{API_KEY, forbidden};
use serde_json::{Value, json};

/// A tiny CRM holding one contact: POST creates it as id 7, GET returns it, PUT merges.
fn fake_crm() -> (Arc<dyn Transport>, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let stored: Arc<Mutex<Option<Value>>> = Arc::default();
    let transport = transport_fn(move |request: http::Request<Bytes>| {
        counter.fetch_add(1, Ordering::SeqCst);
        let stored = stored.clone();
        async move {
            let auth = request.headers()["authorization"].to_str().unwrap();
            assert!(
                auth.starts_with("Basic "),
                "the real transport sees the key"
            );
            let mut db = stored.lock().unwrap();
            let body = match (request.method().as_str(), request.uri().path()) {
                ("POST", "/api/contact") => {
                    let mut object: Value = serde_json::from_slice(request.body()).unwrap();
                    object["id"] = json!(7);
                    *db = Some(object.clone());
                    json!({"status": "OK", "content": [object]})
                }
                ("PUT", "/api/contact/7") => {
                    let changes: Value = serde_json::from_slice(request.body()).unwrap();
                    let object = db.as_mut().unwrap();
                    for (k, v) in changes.as_object().unwrap() {
                        object[k] = v.clone();
                    }
                    json!({"status": "OK", "content": [object.clone()]})
                }
                ("GET", "/api/contact/7") => {
                    json!({"status": "OK", "content": [db.clone().unwrap()]})
                }
                _ => json!({"status": "ERROR", "error": "not found"}),
            };
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from(body.to_string()))
                .unwrap())
        }
    });
    (Arc::new(transport), calls)
}

fn session(cassette: &Cassette) -> Session {
    Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .transport(cassette.clone())
        .no_cache()
        .build()
        .unwrap()
}

/// Creates, updates and reloads a contact; returns what was loaded.
async fn scenario(session: &Session) -> Contact {
    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    session.save(&mut mike).await.unwrap();
    assert_eq!(mike.key(), Some(Key::new(7)));
    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await.unwrap();
    session.load::<Contact>(7).await.unwrap()
}

#[tokio::test]
async fn a_session_records_then_replays_a_contact_save_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contact_save_load.json");

    let (crm, crm_calls) = fake_crm();
    let recording = Cassette::builder(&path)
        .force_mode(Mode::Rerecord)
        .inner_arc(crm)
        .secret(API_KEY)
        .build()
        .unwrap();
    let recorded = scenario(&session(&recording)).await;
    assert_eq!(recorded.first_name(), Some("Mike"));
    assert_eq!(recorded.emails(), ["mike@example.com"]);
    assert_eq!(crm_calls.load(Ordering::SeqCst), 3);
    let report = recording.finish().unwrap();
    assert_eq!(report.interactions(), 3);

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(API_KEY), "{text}");
    assert!(clevertim_fixtures::scan_for_secrets(&text, &[API_KEY]).is_empty());
    let file: Value = serde_json::from_str(&text).unwrap();
    let methods: Vec<_> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["request"]["method"].as_str().unwrap(),
                i["request"]["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            "POST /api/contact",
            "PUT /api/contact/7",
            "GET /api/contact/7"
        ]
    );

    // Replay: no server at all (the inner transport fails and counts).
    let (inner, inner_calls) = forbidden();
    let replaying = Cassette::builder(&path)
        .force_mode(Mode::Replay)
        .inner_arc(inner)
        .secret(API_KEY)
        .build()
        .unwrap();
    let replayed = scenario(&session(&replaying)).await;
    assert_eq!(replayed, recorded);
    assert_eq!(inner_calls.load(Ordering::SeqCst), 0);
    replaying.finish().unwrap().assert_all_used().unwrap();

    let sent = replaying.sent_requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0].body,
        clevertim_fixtures::Body::Json(json!({"fn": "Mike", "ln": "Johnson"}))
    );
    assert_eq!(
        sent[2].headers["authorization"],
        clevertim_fixtures::AUTH_PLACEHOLDER
    );
    assert!(!serde_json::to_string(&sent).unwrap().contains(API_KEY));

    // A different scenario fails with an explained error, not a network call.
    let replaying = Cassette::builder(&path)
        .force_mode(Mode::Replay)
        .build()
        .unwrap();
    let error = session(&replaying).load::<Contact>(8).await.unwrap_err();
    let err = error.to_string();
    assert!(err.contains("no recorded interaction matches"), "{err}");
    assert!(!err.contains(API_KEY), "{err}");
    // Printed through `Debug` (a test returning `Result`), the report keeps its lines.
    let debug = format!("{error:?}");
    assert!(
        debug.contains("no recorded interaction matches this request\n"),
        "{debug}"
    );
    assert!(!debug.contains("\\n"), "{debug}");
    assert!(!debug.contains(API_KEY), "{debug}");
}
