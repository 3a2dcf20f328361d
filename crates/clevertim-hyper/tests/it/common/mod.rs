//! What the transport's tests share.
#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use clevertim_core::{Transport as _, TransportError};
use clevertim_hyper::HyperTransport;

/// A `GET` of `url`.
pub(crate) fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

/// `count` `GET`s of `url` sent at once, each from a task of its own; their results.
pub(crate) async fn burst(
    transport: &HyperTransport,
    url: &str,
    count: usize,
) -> Vec<Result<http::Response<Bytes>, TransportError>> {
    let mut all = tokio::task::JoinSet::new();
    for _ in 0..count {
        let transport = transport.clone();
        let request = get(url);
        all.spawn(async move { transport.send(request).await });
    }
    let mut results = Vec::new();
    while let Some(sent) = all.join_next().await {
        results.push(sent.unwrap());
    }
    results
}

/// `error` and its causes; an `io::Error`'s inner error is looked at itself (its `source()`
/// skips it).
pub(crate) fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        all.push(e);
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    all
}
