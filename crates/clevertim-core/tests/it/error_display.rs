//! Every transport failure a session returns says where: method, path, host, the root cause
//! in words and, when retried, the attempts; never the API key; the `source()` chain stays
//! (issue 22, item 2).
#![allow(clippy::unwrap_used)]

use std::error::Error as _;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{
    BoxFuture, Contact, Error, RetryPolicy, Session, Sleeper, TransportError, TransportErrorKind,
    transport_fn,
};
use futures_util::FutureExt;

const KEY: &str = "SECRET-KEY-0123";

/// No waiting between retries.
#[derive(Debug)]
struct NoSleep;
impl Sleeper for NoSleep {
    fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

/// A cause with a cause of its own, as hyper's errors are.
#[derive(Debug)]
struct Outer(std::io::Error);
impl std::fmt::Display for Outer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("client error (Connect)")
    }
}
impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// The error of `session.load::<Contact>(4)` (or a save when `write`) against a transport
/// that always fails with `kind`, caused by an I/O error saying `cause`.
fn failure(kind: TransportErrorKind, cause: &'static str, retries: usize, write: bool) -> Error {
    let transport = transport_fn(move |_: http::Request<Bytes>| async move {
        let io = std::io::Error::other(cause);
        Err(TransportError::with_source(kind, Outer(io)))
    });
    let session = Session::builder(KEY)
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport)
        .retry(RetryPolicy::default().max_retries(retries))
        .sleeper(NoSleep)
        .build()
        .unwrap();
    async move {
        if write {
            let mut mike = Contact::new();
            mike.set_first_name("Mike");
            session.save(&mut mike).await.unwrap_err()
        } else {
            session.load::<Contact>(4).await.unwrap_err()
        }
    }
    .now_or_never()
    .unwrap()
}

#[test]
fn each_kind_names_method_path_host_and_cause() {
    let cases = [
        (
            TransportErrorKind::Connect,
            "Connection refused (os error 111)",
            "could not connect: connection refused (os error 111)",
        ),
        (
            TransportErrorKind::Timeout,
            "deadline has elapsed",
            "no answer in time: deadline has elapsed",
        ),
        (
            TransportErrorKind::Io,
            "Connection reset by peer",
            "the connection failed: connection reset by peer",
        ),
        (
            TransportErrorKind::Tls,
            "invalid peer certificate: UnknownIssuer",
            "TLS error: invalid peer certificate: UnknownIssuer",
        ),
        (
            TransportErrorKind::TooLarge,
            "over the limit",
            "response too large: over the limit",
        ),
        (
            TransportErrorKind::Other,
            "protocol error",
            "transport error: protocol error",
        ),
    ];
    for (kind, cause, words) in cases {
        let error = failure(kind, cause, 0, false);
        assert_eq!(
            error.to_string(),
            format!("GET /api/contact/4 to 127.0.0.1:9: {words}"),
            "{kind:?}"
        );
        assert_eq!(error.transport_kind(), Some(kind));
        // The chain stays: the transport's error, then its cause.
        let first = error.source().unwrap();
        assert_eq!(first.to_string(), "client error (Connect)");
        assert_eq!(first.source().unwrap().to_string(), cause);
        assert!(!format!("{error} {error:?}").contains(KEY), "{error:?}");
    }
}

#[test]
fn retried_failures_count_their_attempts() {
    let error = failure(TransportErrorKind::Connect, "Connection refused", 2, false);
    assert_eq!(
        error.to_string(),
        "GET /api/contact/4 to 127.0.0.1:9: could not connect: connection refused (3 attempts)"
    );
    let Error::Transport(transport) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(transport.site().unwrap().attempts(), 3);
    // A POST is not retried after an I/O failure (it may have been applied): one attempt.
    let error = failure(TransportErrorKind::Io, "Connection reset by peer", 2, true);
    assert_eq!(
        error.to_string(),
        "POST /api/contact to 127.0.0.1:9: the connection failed: connection reset by peer"
    );
}

#[test]
fn an_adapters_own_error_leaves_the_cause_to_the_chain() {
    let io = std::io::Error::other("Connection refused");
    let error = TransportError::with_source(TransportErrorKind::Connect, io);
    assert_eq!(error.to_string(), "connect error");
    assert!(error.site().is_none());
}
