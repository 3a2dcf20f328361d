//! The cache under concurrency: an answer older than a write or delete of the same object never
//! enters it. Each race is played out deterministically: a small in-memory server answers at
//! once, except for the requests a test holds back until it releases them.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clevertim_core::{
    BodyLimit, CacheKey, Contact, Error, Id, RetryPolicy, Session, Task, TransportErrorKind,
    transport_fn,
};
use common::API_KEY;
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// A tiny server for contacts and tasks: GET, PUT, DELETE by id; counts requests.
#[derive(Default)]
struct Server {
    objects: Mutex<HashMap<(String, i64), Value>>,
    /// Requests (`"GET /contact/1"`) to hold back, with what releases them.
    held: Mutex<HashMap<String, oneshot::Receiver<()>>>,
    requests: Mutex<Vec<String>>,
}

impl Server {
    fn put(&self, resource: &str, object: Value) {
        let id = object["id"].as_i64().unwrap();
        self.objects
            .lock()
            .unwrap()
            .insert((resource.to_owned(), id), object);
    }

    /// Holds the next `request` back until the returned sender fires.
    fn hold(&self, request: &str) -> oneshot::Sender<()> {
        let (release, held) = oneshot::channel();
        self.held.lock().unwrap().insert(request.to_owned(), held);
        release
    }

    fn count(&self, request: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| *r == request)
            .count()
    }

    /// Applies `request` and returns the answer. A held request reads the store before it
    /// waits (a GET) or applies itself after (a write), as a slow network would make it.
    async fn handle(self: Arc<Self>, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let path = request.uri().path().trim_start_matches("/api/").to_owned();
        let line = format!("{} /{path}", request.method());
        self.requests.lock().unwrap().push(line.clone());
        let (resource, id) = path.split_once('/').unwrap();
        let key = (resource.to_owned(), id.parse::<i64>().unwrap());
        let held = self.held.lock().unwrap().remove(&line);
        let answer = match *request.method() {
            http::Method::GET => {
                let found = self.objects.lock().unwrap().get(&key).cloned();
                if let Some(held) = held {
                    held.await.unwrap();
                }
                found.map(|o| json!([o]))
            }
            http::Method::PUT => {
                if let Some(held) = held {
                    // The write is applied, but its answer is slow to come back.
                    let stored = self.apply_put(&key, request.body());
                    held.await.unwrap();
                    stored
                } else {
                    self.apply_put(&key, request.body())
                }
            }
            _ => self
                .objects
                .lock()
                .unwrap()
                .remove(&key)
                .map(|_| Value::Null),
        };
        let (status, body) = match answer {
            None => (404, json!({"status": "ERROR", "error": "not found"})),
            Some(Value::Null) => (200, json!({"status": "OK"})),
            Some(content) => (200, json!({"status": "OK", "content": content})),
        };
        let mut response = http::Response::new(Bytes::from(body.to_string()));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
    }

    fn apply_put(&self, key: &(String, i64), body: &[u8]) -> Option<Value> {
        let mut objects = self.objects.lock().unwrap();
        let stored = objects.get_mut(key)?;
        let changes: serde_json::Map<String, Value> = serde_json::from_slice(body).unwrap();
        for (field, value) in changes {
            stored[field] = value;
        }
        Some(json!([stored]))
    }
}

fn session(server: &Arc<Server>) -> Session {
    let server = server.clone();
    Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .retry(RetryPolicy::none())
        .transport(transport_fn(move |request| {
            let server = server.clone();
            async move { Ok(server.handle(request).await) }
        }))
        .build()
        .unwrap()
}

/// Starts `call` in a task and returns once the server has received its `request`, which it
/// holds back until the returned sender fires.
async fn held<T: Send + 'static>(
    server: &Server,
    request: &str,
    call: impl std::future::Future<Output = T> + Send + 'static,
) -> (oneshot::Sender<()>, tokio::task::JoinHandle<T>) {
    let release = server.hold(request);
    let task = tokio::spawn(call);
    while server.count(request) == 0 {
        tokio::task::yield_now().await;
    }
    (release, task)
}

fn cached(session: &Session, resource: &'static str, id: i64) -> Option<Value> {
    session
        .cache()
        .get(&CacheKey::object(resource, Id::Int(id)))
        .map(|json| serde_json::from_slice(&json).unwrap())
}

#[tokio::test]
async fn a_slow_put_answer_does_not_bring_back_a_deleted_object() {
    let server = Arc::new(Server::default());
    server.put("contact", json!({"id": 1, "fn": "Ann"}));
    let session = session(&server);
    let mut ann: Contact = session.load(1).await.unwrap();

    ann.set_first_name("Anna");
    let other = session.clone();
    let (release, saving) = held(&server, "PUT /contact/1", async move {
        other.save(&mut ann).await
    })
    .await;
    session.delete_key::<Contact>(1).await.unwrap();
    release.send(()).unwrap();
    saving.await.unwrap().unwrap();

    assert_eq!(cached(&session, "contact", 1), None);
    let gone = session.load::<Contact>(1).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
}

#[tokio::test]
async fn a_slow_get_does_not_overwrite_a_newer_save() {
    let server = Arc::new(Server::default());
    server.put("contact", json!({"id": 1, "fn": "Ann"}));
    let session = session(&server);

    let other = session.clone();
    let (release, loading) = held(&server, "GET /contact/1", async move {
        other.load::<Contact>(1).await
    })
    .await;
    let mut blind = Contact::with_key(1);
    blind.set_first_name("Anna");
    session.save(&mut blind).await.unwrap();
    release.send(()).unwrap();
    let old = loading.await.unwrap().unwrap();
    assert_eq!(
        old.first_name(),
        Some("Ann"),
        "the slow GET read the old state"
    );

    // The cache holds what the save returned, and the next load sends nothing.
    assert_eq!(cached(&session, "contact", 1).unwrap()["fn"], "Anna");
    let now: Contact = session.load(1).await.unwrap();
    assert_eq!(now.first_name(), Some("Anna"));
    assert_eq!(server.count("GET /contact/1"), 1);
}

#[tokio::test]
async fn a_get_answered_after_a_delete_is_not_cached() {
    let server = Arc::new(Server::default());
    server.put("contact", json!({"id": 1, "fn": "Ann"}));
    let session = session(&server);

    let other = session.clone();
    let (release, loading) = held(&server, "GET /contact/1", async move {
        other.load::<Contact>(1).await
    })
    .await;
    session.delete_key::<Contact>(1).await.unwrap();
    release.send(()).unwrap();
    loading.await.unwrap().unwrap();
    assert_eq!(cached(&session, "contact", 1), None);
}

#[tokio::test]
async fn delete_key_forgets_the_parents_listing_the_object() {
    let server = Arc::new(Server::default());
    server.put("contact", json!({"id": 1, "fn": "Ann", "tasks": [5]}));
    server.put("task", json!({"id": 5, "name": "Call", "cust": 1}));
    let session = session(&server);

    // Known parents: the task is cached and names its customer.
    let _: Contact = session.load(1).await.unwrap();
    let _: Task = session.load(5).await.unwrap();
    session.delete_key::<Task>(5).await.unwrap();
    assert_eq!(cached(&session, "contact", 1), None);

    // Unknown parents: the task was never loaded, so every cached customer goes.
    server.put("task", json!({"id": 6, "name": "Mail", "cust": 1}));
    let _: Contact = session.load(1).await.unwrap();
    assert!(cached(&session, "contact", 1).is_some());
    session.delete_key::<Task>(6).await.unwrap();
    assert_eq!(cached(&session, "contact", 1), None);
}

#[tokio::test]
async fn a_failed_write_leaves_nothing_cached() {
    let server = Arc::new(Server::default());
    server.put("contact", json!({"id": 1, "fn": "Ann"}));
    let session = Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .retry(RetryPolicy::none())
        .transport(transport_fn(move |request: http::Request<Bytes>| {
            let server = server.clone();
            async move {
                if request.method() == http::Method::PUT {
                    // The write may have been applied; the answer never came.
                    return Err(clevertim_core::TransportError::new(
                        TransportErrorKind::Io,
                        "reset",
                    ));
                }
                Ok(server.handle(request).await)
            }
        }))
        .build()
        .unwrap();
    let mut ann: Contact = session.load(1).await.unwrap();
    assert!(cached(&session, "contact", 1).is_some());
    ann.set_first_name("Anna");
    let err = session.save(&mut ann).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::Io));
    assert!(err.is_retryable());
    assert_eq!(cached(&session, "contact", 1), None);
}

#[tokio::test]
async fn every_request_carries_the_body_limit_and_a_larger_answer_is_refused() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let session = Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .body_limit(1024)
        .retry(RetryPolicy::none())
        .transport(transport_fn(move |request: http::Request<Bytes>| {
            record.lock().unwrap().push(BodyLimit::of(&request));
            async move {
                // A transport that ignores the limit: the session holds it to it.
                let name = "x".repeat(4096);
                let body = json!({"status": "OK", "content": [{"id": 1, "fn": name}]});
                Ok(http::Response::new(Bytes::from(body.to_string())))
            }
        }))
        .build()
        .unwrap();
    let err = session.load::<Contact>(1).await.unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::TooLarge));
    assert!(err.to_string().contains("1024 bytes"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(*seen.lock().unwrap(), [BodyLimit::new(1024)]);
    assert_eq!(cached(&session, "contact", 1), None);
}

#[test]
fn plain_http_to_another_host_needs_an_opt_in() {
    let transport = transport_fn(|_request: http::Request<Bytes>| async {
        Ok(http::Response::new(Bytes::new()))
    });
    let build = |endpoint: &str, opt_in: bool| {
        let builder = Session::builder(API_KEY)
            .endpoint(endpoint)
            .transport(transport.clone());
        if opt_in {
            builder.allow_insecure_http().build()
        } else {
            builder.build()
        }
    };
    let refused = build("http://crm.example.test/api", false).unwrap_err();
    assert!(matches!(refused, Error::Config(_)), "{refused}");
    assert!(
        refused.to_string().contains("allow_insecure_http"),
        "{refused}"
    );
    assert!(!refused.to_string().contains(API_KEY));
    assert!(build("http://crm.example.test/api", true).is_ok());
    for loopback in [
        "http://127.0.0.1:8080/api",
        "http://localhost/api",
        "http://[::1]:9/api",
    ] {
        assert!(build(loopback, false).is_ok(), "{loopback}");
    }
    assert!(build("https://crm.example.test/api", false).is_ok());
}
