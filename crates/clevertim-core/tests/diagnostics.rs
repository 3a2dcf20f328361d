//! Each try of a request is a `tracing` span (target `clevertim_core::session`, name
//! `request`) with its method, path, attempt, status and duration, and never the API key.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clevertim_core::{BoxFuture, Contact, RetryPolicy, Sleeper};
use common::{API_KEY, Script, builder, ok, raw};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};

type Fields = BTreeMap<String, String>;

/// Keeps the fields of every closed `request` span.
#[derive(Clone, Default)]
struct Spans {
    open: Arc<Mutex<BTreeMap<u64, Fields>>>,
    closed: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut fields = Fields::new();
        fields.insert("target".into(), attrs.metadata().target().into());
        attrs.record(&mut Collect(&mut fields));
        self.open.lock().unwrap().insert(id.into_u64(), fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(fields) = self.open.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(fields);
        }
    }
}

#[derive(Debug)]
struct NoWait;

impl Sleeper for NoWait {
    fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

#[tokio::test]
async fn each_try_is_a_span_with_its_status_and_no_key() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _default = tracing::subscriber::set_default(subscriber);

    let script = Script::new()
        .then("GET /api/contact/4", raw(503, "busy"))
        .then("GET /api/contact/4", ok(serde_json::json!([{"id": 4}])));
    let session = builder(script)
        .retry(RetryPolicy::default().max_retries(1))
        .sleeper(NoWait)
        .build()
        .unwrap();
    let _: Contact = session.load(4).await.unwrap();

    let closed = spans.closed.lock().unwrap().clone();
    assert_eq!(closed.len(), 2, "{closed:?}");
    for (i, (span, status)) in closed.iter().zip(["503", "200"]).enumerate() {
        assert_eq!(span["target"], "clevertim_core::session");
        assert_eq!(span["method"], "GET");
        assert_eq!(span["path"], "\"/api/contact/4\"");
        assert_eq!(span["attempt"], (i + 1).to_string());
        assert_eq!(span["status"], status);
        let ms: f64 = span["duration_ms"].parse().unwrap();
        assert!(ms >= 0.0);
        assert!(span.values().all(|v| !v.contains(API_KEY)), "{span:?}");
    }
}
