//! Every error a session returns after sending a request says where: method, path, host, the
//! cause in words and, when retried, the attempts; never the API key; a transport failure's
//! `source()` chain stays (issue 22, item 2). The errors raised before anything is sent name
//! no request.
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

/// What the table's server answers: a status, a body and maybe a `Retry-After`.
type Answer = fn() -> (u16, &'static str, Option<&'static str>);

/// A row of the table: the operation, the server's answer, the retries allowed, the method,
/// path and attempts the error names, the message after "METHOD PATH to 127.0.0.1:9: ", and
/// the variant.
type Row = (
    Op,
    Answer,
    usize,
    &'static str,
    &'static str,
    u32,
    &'static str,
    &'static str,
);

/// One operation of the table, on a session.
#[derive(Debug, Clone, Copy)]
enum Op {
    Load,
    All,
    SaveNew,
    SaveExisting,
    Delete,
    Customer,
}

impl Op {
    async fn run(self, session: &Session) -> Error {
        match self {
            Op::Load => session.load::<Contact>(4).await.map(drop),
            Op::All => session.all::<Contact>().await.map(drop),
            Op::SaveNew => {
                let mut mike = Contact::new();
                mike.set_first_name("Mike");
                session.save(&mut mike).await
            }
            Op::SaveExisting => {
                let mut jane = Contact::with_key(4);
                jane.set_title("CEO");
                session.save(&mut jane).await
            }
            Op::Delete => session.delete(&mut Contact::with_key(4)).await,
            Op::Customer => session.customer(4).await.map(drop),
        }
        .expect_err("the table's server fails every request")
    }
}

/// The error of `op` through a session at 127.0.0.1:9 whose every request is answered by
/// `answer`, with `retries` retries (no waiting between them).
fn answered(op: Op, answer: Answer, retries: usize) -> Error {
    let transport = transport_fn(move |_: http::Request<Bytes>| async move {
        let (status, body, retry_after) = answer();
        let mut response = http::Response::new(Bytes::from_static(body.as_bytes()));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        if let Some(wish) = retry_after {
            let value = http::HeaderValue::from_static(wish);
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, value);
        }
        Ok::<_, TransportError>(response)
    });
    let session = Session::builder(KEY)
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport)
        .retry(RetryPolicy::default().max_retries(retries))
        .sleeper(NoSleep)
        .build()
        .unwrap();
    async move { op.run(&session).await }
        .now_or_never()
        .unwrap()
}

#[test]
fn every_answered_error_names_method_path_host_attempts_and_cause() {
    use Op::*;
    let rows: [Row; 13] = [
        (
            Load,
            || (404, r#"{"status":"ERROR","error":"no such contact"}"#, None),
            0,
            "GET",
            "/api/contact/4",
            1,
            "contact 4 not found",
            "NotFound",
        ),
        (
            Load,
            || (200, r#"{"status":"OK","content":[{"id":5}]}"#, None),
            0,
            "GET",
            "/api/contact/4",
            1,
            "contact 4 not found",
            "NotFound",
        ),
        (
            Customer,
            || (404, r#"{"status":"ERROR","error":"no such id"}"#, None),
            0,
            "GET",
            "/api/company/4",
            1,
            "customer 4 not found",
            "NotFound",
        ),
        (
            Load,
            || {
                let body = r#"{"status":"ERROR","error":"bad key SECRET-KEY-0123"}"#;
                (401, body, None)
            },
            0,
            "GET",
            "/api/contact/4",
            1,
            "authentication failed (HTTP 401): bad key [redacted]",
            "Authentication",
        ),
        (
            SaveExisting,
            || (403, r#"{"status":"ERROR","error":"read-only user"}"#, None),
            2,
            "PUT",
            "/api/contact/4",
            1,
            "permission denied (HTTP 403): read-only user",
            "Permission",
        ),
        (
            Delete,
            || (501, r#"{"status":"ERROR","error":"not here"}"#, None),
            0,
            "DELETE",
            "/api/contact/4",
            1,
            "unsupported operation (HTTP 501): not here",
            "Unsupported",
        ),
        (
            SaveNew,
            || (400, r#"{"status":"ERROR","error":"missing name"}"#, None),
            2,
            "POST",
            "/api/contact",
            1,
            "the API answered HTTP 400: missing name",
            "Api",
        ),
        (
            All,
            || (500, r#"{"status":"ERROR","error":"cannot parse"}"#, None),
            0,
            "GET",
            "/api/contact",
            1,
            "the API answered HTTP 500: cannot parse",
            "Api",
        ),
        (
            Load,
            || (503, r#"{"status":"ERROR","error":"busy"}"#, Some("1")),
            2,
            "GET",
            "/api/contact/4",
            3,
            "the API answered HTTP 503: busy (the server asks to retry after 1 s) (3 attempts)",
            "Api",
        ),
        (
            Load,
            || {
                (
                    429,
                    r#"{"status":"ERROR","error":"slow down"}"#,
                    Some("600"),
                )
            },
            2,
            "GET",
            "/api/contact/4",
            1,
            "the API answered HTTP 429: slow down (the server asks to retry after 600 s)",
            "Api",
        ),
        (
            Load,
            || (502, "<html>Bad Gateway</html>", None),
            1,
            "GET",
            "/api/contact/4",
            2,
            "the API answered HTTP 502: <html>Bad Gateway</html> (2 attempts)",
            "Api",
        ),
        (
            Load,
            || (200, "<html>maintenance</html>", None),
            0,
            "GET",
            "/api/contact/4",
            1,
            "malformed response (HTTP 200): expected a JSON envelope {\"status\", \"content\"}, \
             got \"<html>maintenance</html>\" (expected value at line 1 column 1)",
            "MalformedResponse",
        ),
        (
            SaveNew,
            || (200, r#"{"status":"OK","content":[{"fn":"Mike"}]}"#, None),
            0,
            "POST",
            "/api/contact",
            1,
            "malformed response (HTTP 200): expected the saved object with its id, got \
             \"{\\\"fn\\\":\\\"Mike\\\"}\"",
            "MalformedResponse",
        ),
    ];
    for (op, answer, retries, method, path, attempts, words, variant) in rows {
        let error = answered(op, answer, retries);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(KEY), "{op:?}: the key leaked: {shown}");
        assert!(
            format!("{error:?}").starts_with(variant),
            "{op:?}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("{method} {path} to 127.0.0.1:9: {words}"),
            "{op:?} answered {:?}",
            answer()
        );
        let site = error.site().unwrap();
        assert_eq!(
            (site.method(), site.path(), site.host(), site.attempts()),
            (method, path, "127.0.0.1:9", attempts),
            "{op:?}: {error}"
        );
    }
}

#[test]
fn a_transport_failure_has_a_site_too() {
    let error = failure(TransportErrorKind::Connect, "Connection refused", 1, false);
    let site = error.site().unwrap();
    assert_eq!((site.method(), site.attempts()), ("GET", 2));
}

#[test]
fn what_is_refused_before_sending_names_no_request() {
    let nothing = transport_fn(|request: http::Request<Bytes>| async move {
        panic!(
            "nothing may be sent: {} {}",
            request.method(),
            request.uri()
        )
    });
    let session = Session::builder(KEY)
        .endpoint("http://127.0.0.1:9/api")
        .transport(nothing)
        .build()
        .unwrap();
    let mut bad = Contact::new();
    bad.emails_mut().push("not an email".into());
    let invalid = session.save(&mut bad).now_or_never().unwrap().unwrap_err();
    assert!(matches!(invalid, Error::Validation(_)), "{invalid:?}");
    assert!(invalid.site().is_none());
    let config = Session::builder(KEY)
        .endpoint("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(config, Error::Config(_)), "{config:?}");
    assert!(config.site().is_none());
    // A write to a resource the API only reads is refused here: no HTTP status is claimed.
    let mut user = clevertim_core::User::with_key(3);
    let refused = session
        .delete(&mut user)
        .now_or_never()
        .unwrap()
        .unwrap_err();
    assert!(matches!(refused, Error::Unsupported { .. }), "{refused:?}");
    assert!(refused.site().is_none());
    assert_eq!(
        refused.to_string(),
        "unsupported operation: the API does not let clients write a user"
    );
    for local in [invalid, config, refused] {
        assert!(!format!("{local} {local:?}").contains(KEY), "{local:?}");
    }
}

#[test]
fn an_error_built_by_hand_says_what_without_where() {
    let gone = Error::NotFound {
        resource: "contact",
        key: "4".into(),
        site: None,
    };
    assert_eq!(gone.to_string(), "contact 4 not found");
    assert!(gone.site().is_none());
    let busy = Error::Api {
        status: 503,
        message: "busy".into(),
        retry_after: Some(Duration::from_secs(2)),
        site: None,
    };
    assert_eq!(
        busy.to_string(),
        "the API answered HTTP 503: busy (the server asks to retry after 2 s)"
    );
}

#[test]
fn an_error_stays_small() {
    // The sites are boxed: an `Error` is no larger than its largest local variant
    // (`OtherAccount`, 104 bytes on a 64-bit target).
    assert!(
        std::mem::size_of::<Error>() <= 104,
        "{}",
        std::mem::size_of::<Error>()
    );
}
