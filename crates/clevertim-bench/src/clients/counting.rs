//! A `Transport` decorator that watches what a session asks for: every request (kept in a
//! log), and every `GET` of an object the session had already received (in a list or alone).

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use clevertim::{BoxFuture, Transport, TransportError};

/// What the session sent so far.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    /// Requests sent.
    pub(crate) requests: u64,
    /// `GET /{resource}/{id}` of an object whose answer had already come.
    pub(crate) repeats: u64,
}

/// One request as sent: method, path, body.
pub(crate) type Sent = (http::Method, String, Bytes);

#[derive(Default)]
struct Seen {
    counts: Counts,
    log: Vec<Sent>,
    /// `(resource, id)` of every object received.
    loaded: HashSet<(String, String)>,
}

/// Counts the requests of the transport it wraps.
#[derive(Clone)]
pub(crate) struct CountingTransport {
    inner: Arc<dyn Transport>,
    seen: Arc<Mutex<Seen>>,
}

impl fmt::Debug for CountingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CountingTransport")
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

impl CountingTransport {
    /// Wraps `inner`.
    pub(crate) fn new(inner: Arc<dyn Transport>) -> CountingTransport {
        CountingTransport {
            inner,
            seen: Arc::default(),
        }
    }

    /// The counts so far.
    pub(crate) fn counts(&self) -> Counts {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .counts
    }

    /// Every request sent so far, in order.
    pub(crate) fn log(&self) -> Vec<Sent> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .log
            .clone()
    }
}

/// `(resource, Some(id))` of `/api/{resource}/{id}`, `(resource, None)` of a list.
fn target(path: &str) -> (String, Option<String>) {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let last = parts.next().unwrap_or_default();
    match last.parse::<u64>() {
        Ok(_) => (parts.next().unwrap_or_default().into(), Some(last.into())),
        Err(_) => (last.into(), None),
    }
}

/// The ids of the objects an answer carries.
fn ids(body: &[u8]) -> Vec<String> {
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    answer["content"]
        .as_array()
        .map(|objects| {
            objects
                .iter()
                .filter_map(|o| match &o["id"] {
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Transport for CountingTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let is_get = request.method() == http::Method::GET;
        let (resource, id) = target(request.uri().path());
        {
            let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
            seen.counts.requests += 1;
            seen.log.push((
                request.method().clone(),
                request.uri().path().to_owned(),
                request.body().clone(),
            ));
            if let (true, Some(id)) = (is_get, &id) {
                if seen.loaded.contains(&(resource.clone(), id.clone())) {
                    seen.counts.repeats += 1;
                }
            }
        }
        Box::pin(async move {
            let response = self.inner.send(request).await?;
            if is_get && response.status().is_success() {
                let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
                for id in ids(response.body()) {
                    seen.loaded.insert((resource.clone(), id));
                }
            }
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_a_resource_and_maybe_an_object() {
        assert_eq!(target("/api/task/12"), ("task".into(), Some("12".into())));
        assert_eq!(target("/api/note"), ("note".into(), None));
    }

    #[test]
    fn a_get_of_an_object_received_in_a_list_is_a_repeat() {
        let inner = Arc::new(clevertim::transport_fn(|request: http::Request<Bytes>| {
            let body = if request.uri().path().ends_with("/task") {
                r#"{"status":"OK","content":[{"id":1},{"id":2}]}"#
            } else {
                r#"{"status":"OK","content":[{"id":2}]}"#
            };
            async move { Ok(http::Response::new(Bytes::from(body))) }
        }));
        let counting = CountingTransport::new(inner);
        let get = |path: &str| {
            futures_executor::block_on(
                counting.send(
                    http::Request::get(format!("http://127.0.0.1/api/{path}"))
                        .body(Bytes::new())
                        .unwrap(),
                ),
            )
            .unwrap()
        };
        get("task/2");
        get("task");
        get("task/1");
        get("task/2");
        let counts = counting.counts();
        assert_eq!((counts.requests, counts.repeats), (4, 2));
    }
}
