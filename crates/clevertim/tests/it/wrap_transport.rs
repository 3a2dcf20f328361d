//! `SessionBuilder::wrap_transport`: a layer of the user's own around the transport the facade
//! builds (or the one given), without rebuilding it.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use clevertim::bytes::Bytes;
use clevertim::{BoxFuture, Session, Transport, TransportError, User, http, transport_fn};

/// Adds a header to every request and counts them.
#[derive(Debug)]
struct Tagged {
    inner: Arc<dyn Transport>,
    tag: &'static str,
    sent: Arc<AtomicU64>,
}

impl Transport for Tagged {
    fn send(
        &self,
        mut request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let mut tags = request
            .headers()
            .get("x-layers")
            .and_then(|v| v.to_str().ok())
            .map(|v| format!("{v},"))
            .unwrap_or_default();
        tags.push_str(self.tag);
        request
            .headers_mut()
            .insert("x-layers", http::HeaderValue::from_str(&tags).unwrap());
        self.inner.send(request)
    }
}

#[test]
fn layers_wrap_a_given_transport_the_last_added_outermost() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let given = transport_fn(move |request: http::Request<Bytes>| {
        let layers = request.headers().get("x-layers").cloned();
        log.lock().unwrap().push(layers);
        async {
            Ok(http::Response::new(Bytes::from_static(
                br#"{"status":"OK","content":[{"id":1,"user":"ann"}]}"#,
            )))
        }
    });
    let (inner_sent, outer_sent) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (a, b) = (Arc::clone(&inner_sent), Arc::clone(&outer_sent));
    let session = Session::builder("KEY")
        .transport(given)
        .wrap_transport(move |inner| Tagged {
            inner,
            tag: "inner",
            sent: a,
        })
        .wrap_transport(move |inner| Tagged {
            inner,
            tag: "outer",
            sent: b,
        })
        .build()
        .unwrap();
    let users = futures_util::FutureExt::now_or_never(session.all::<User>())
        .expect("the closure answers at once")
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(inner_sent.load(Ordering::Relaxed), 1);
    assert_eq!(outer_sent.load(Ordering::Relaxed), 1);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].as_ref().and_then(|v| v.to_str().ok()),
        Some("outer,inner"),
        "the outer layer sees the request first"
    );
}

#[cfg(any(feature = "hyper", feature = "isahc"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layer_wraps_the_compiled_in_transport_against_a_real_server() {
    let sandbox = clevertim_sandbox::Sandbox::start().await.unwrap();
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    let session = Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .no_proxy()
        .wrap_transport(move |inner| Tagged {
            inner,
            tag: "metrics",
            sent: counter,
        })
        .build()
        .unwrap();
    let users = session.all::<User>().await.unwrap();
    assert!(!users.is_empty(), "the sandbox's demo data has users");
    assert_eq!(
        sent.load(Ordering::Relaxed),
        1,
        "one request, through the layer"
    );
    assert_eq!(sandbox.requests_served(), 1);
    sandbox.shutdown().await;
}
