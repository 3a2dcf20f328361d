//! The blocking session is safe to create, use and drop inside an async runtime (a known trap
//! of wrappers that own a tokio runtime), and works from plain threads.
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use clevertim::{Contact, blocking, transport_fn};

fn counting_transport(calls: Arc<AtomicUsize>) -> impl clevertim::Transport {
    transport_fn(move |request: http::Request<Bytes>| {
        calls.fetch_add(1, Ordering::SeqCst);
        let id = request
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        async move {
            let body = format!(r#"{{"status":"OK","content":[{{"id":{id},"fn":"Blocking"}}]}}"#);
            Ok(http::Response::new(Bytes::from(body)))
        }
    })
}

fn session(calls: Arc<AtomicUsize>) -> blocking::Session {
    blocking::Session::builder("KEY")
        .endpoint("http://127.0.0.1:9/api")
        .transport(counting_transport(calls))
        .build()
        .unwrap()
}

#[test]
fn works_from_plain_main() {
    let calls = Arc::new(AtomicUsize::new(0));
    let s = session(calls.clone());
    let c: Contact = s.load(3).unwrap();
    assert_eq!(c.first_name(), Some("Blocking"));
    let lazy = s.lazy::<Contact>(4);
    assert!(!lazy.is_loaded());
    assert_eq!(lazy.get().unwrap().key(), Some(4.into()));
    assert_eq!(lazy.into_inner().unwrap().key(), Some(4.into()));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn created_used_and_dropped_inside_a_current_thread_runtime() {
    let calls = Arc::new(AtomicUsize::new(0));
    let s = session(calls.clone());
    let c: Contact = s.load(5).unwrap();
    assert_eq!(c.key(), Some(5.into()));
    drop(s);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_and_dropped_inside_a_multi_thread_runtime() {
    let calls = Arc::new(AtomicUsize::new(0));
    let s = session(calls.clone());
    let clone = s.clone();
    let c: Contact = tokio::task::spawn_blocking(move || clone.load(6))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.key(), Some(6.into()));
    drop(s);
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn the_hyper_backend_session_drops_inside_a_runtime() {
    let s = blocking::Session::builder("KEY")
        .backend(clevertim::Backend::Hyper)
        .build()
        .unwrap();
    assert!(format!("{s:?}").contains("tokio runtime"));
    drop(s);
}

#[cfg(feature = "isahc")]
#[tokio::test]
async fn the_isahc_backend_needs_no_runtime() {
    let s = blocking::Session::builder("KEY")
        .backend(clevertim::Backend::Isahc)
        .build()
        .unwrap();
    assert!(format!("{s:?}").contains("calling thread"));
    drop(s);
}
