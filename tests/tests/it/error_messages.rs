//! The built-in transports' failures, as a session returns them, say where (method, path,
//! host), how often, and why in words: `GET /api/contact/4 to 127.0.0.1:PORT: could not
//! connect: connection refused (os error 111) (3 attempts)` (issue 22, item 2).

use std::error::Error as _;
use std::time::Duration;

use clevertim::{Backend, Contact, Error, RetryPolicy, Session};

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

async fn refused_with(backend: Backend) {
    let port = closed_port();
    let session = Session::builder("SECRET-KEY-77")
        .endpoint(format!("http://127.0.0.1:{port}/api"))
        .backend(backend)
        .retry(
            RetryPolicy::default()
                .max_retries(2)
                .min_delay(Duration::from_millis(1)),
        )
        .build()
        .expect("session");
    let error = session
        .load::<Contact>(4)
        .await
        .expect_err("nothing listens");
    let text = error.to_string();
    let expected = format!("GET /api/contact/4 to 127.0.0.1:{port}: could not connect: ");
    assert!(text.starts_with(&expected), "{backend:?}: {text}");
    // The root cause, in words, in the message itself: hyper's is the socket's "connection
    // refused", isahc's is curl's "[7] Could not connect to server".
    let mut root: &dyn std::error::Error = &error;
    while let Some(next) = root.source() {
        root = next;
    }
    let root = root.to_string().to_lowercase();
    assert!(
        text.to_lowercase().contains(&root),
        "{backend:?}: the cause {root:?} in {text}"
    );
    let cause = if backend == Backend::Hyper {
        "refused"
    } else {
        "could not connect to server"
    };
    assert!(root.contains(cause), "{backend:?}: {root}");
    assert!(text.ends_with(" (3 attempts)"), "{backend:?}: {text}");
    assert!(!format!("{text} {error:?}").contains("SECRET-KEY-77"));
    assert!(matches!(error, Error::Transport(_)));
    assert!(error.source().is_some(), "{backend:?}: the chain is kept");
}

#[tokio::test]
async fn hyper_says_where_and_why() {
    refused_with(Backend::Hyper).await;
}

#[tokio::test]
async fn isahc_says_where_and_why() {
    refused_with(Backend::Isahc).await;
}
