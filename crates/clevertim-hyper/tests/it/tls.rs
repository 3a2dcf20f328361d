//! Real TLS over loopback: a server with a certificate made at run time, offering HTTP/2 and
//! HTTP/1.1 or HTTP/1.1 only by ALPN, a real sandbox behind it. The transport trusts the
//! certificate through `add_root_certificate`, and each test checks what the server saw:
//! how many connections it accepted, and each request's connection, version and method.
#![allow(clippy::unwrap_used)]

use crate::common;
use crate::tls_server;

use std::error::Error as _;
use std::time::Duration;

use clevertim_core::{Contact, RetryPolicy, Session, Transport as _, TransportErrorKind};
use clevertim_hyper::HyperTransport;
use common::{burst, causes, get};
use http::{Method, Version};
use tls_server::{Alpn, TlsServer};

/// The two ways the transport runs its connections.
const MODES: [Connections; 2] = [Connections::Inline, Connections::Pooled];

#[derive(Debug, Clone, Copy)]
enum Connections {
    /// HTTP/1.1 driven by the request's future (the default).
    Inline,
    /// hyper-util's pooled client (`inline_http1(false)`).
    Pooled,
}

/// A transport trusting `server`'s certificate.
fn transport(server: &TlsServer, mode: Connections) -> HyperTransport {
    HyperTransport::builder()
        .add_root_certificate(server.certificate())
        .inline_http1(matches!(mode, Connections::Inline))
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn session(server: &TlsServer, transport: HyperTransport, retry: RetryPolicy) -> Session {
    Session::builder(server.api_key())
        .endpoint(server.endpoint())
        .transport(transport)
        .retry(retry)
        .no_cache()
        .build()
        .unwrap()
}

/// Creates, reads, updates and deletes a contact; checks each answer.
async fn crud(session: &Session) {
    let mut mike = Contact::new();
    mike.set_first_name("Mike");
    session.save(&mut mike).await.unwrap();
    let key = mike.key().expect("a key from the server");
    mike.add_to_emails("mike@example.com");
    session.save(&mut mike).await.unwrap();
    let loaded: Contact = session.load(&key).await.unwrap();
    assert_eq!(loaded.first_name(), Some("Mike"));
    assert_eq!(loaded.emails(), ["mike@example.com"]);
    session.delete(&mut mike).await.unwrap();
    let gone = session.load::<Contact>(&key).await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

#[tokio::test]
async fn crud_over_tls_uses_the_negotiated_version_on_one_connection() {
    let cases = [
        (Alpn::Http1Only, Version::HTTP_11),
        (Alpn::H2AndHttp1, Version::HTTP_2),
    ];
    for (alpn, version) in cases {
        for mode in MODES {
            let server = TlsServer::start(alpn);
            let session = session(&server, transport(&server, mode), RetryPolicy::none());
            crud(&session).await;

            let case = format!("{alpn:?}, {mode:?}");
            assert_eq!(server.accepted(), 1, "{case}: one connection for all");
            let requests = server.requests();
            let methods: Vec<&Method> = requests.iter().map(|(_, _, m)| m).collect();
            for verb in [Method::POST, Method::PUT, Method::GET, Method::DELETE] {
                assert!(methods.contains(&&verb), "{case}: no {verb} in {methods:?}");
            }
            for (connection, seen, method) in &requests {
                assert_eq!(*connection, 0, "{case}: {method} on another connection");
                assert_eq!(*seen, version, "{case}: {method}");
            }
        }
    }
}

#[tokio::test]
async fn concurrent_requests_share_one_http2_connection() {
    for mode in MODES {
        let server = TlsServer::start(Alpn::H2AndHttp1);
        let transport = transport(&server, mode);
        let url = format!("{}/contact", server.endpoint());
        // The first request opens the connection; the others find it in the pool. (For a
        // cold burst, see the next test.)
        let warm = transport.send(get(&url)).await.unwrap();
        assert_eq!(warm.version(), Version::HTTP_2);
        for answer in burst(&transport, &url, 16).await {
            let answer = answer.unwrap();
            // Unauthenticated: the sandbox itself answered, over HTTP/2.
            assert_eq!(answer.status(), 401, "{mode:?}");
            assert_eq!(answer.version(), Version::HTTP_2, "{mode:?}");
        }
        assert_eq!(server.accepted(), 1, "{mode:?}");
        let requests = server.requests();
        assert_eq!(requests.len(), 17, "{mode:?}");
        assert!(
            requests
                .iter()
                .all(|(c, v, _)| *c == 0 && *v == Version::HTTP_2),
            "{mode:?}: {requests:?}"
        );
    }
}

/// Sends 16 requests at once through a cold transport; every answer must come.
async fn cold_burst(server: &TlsServer, mode: Connections) -> Vec<Version> {
    let url = format!("{}/contact", server.endpoint());
    let answers = burst(&transport(server, mode), &url, 16).await;
    answers
        .into_iter()
        .map(|answer| {
            let answer = answer.unwrap();
            assert_eq!(answer.status(), 401, "{mode:?}");
            answer.version()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_burst_waits_for_the_first_connection_and_shares_it_over_http2() {
    let server = TlsServer::start(Alpn::H2AndHttp1);
    let versions = cold_burst(&server, Connections::Inline).await;
    assert!(
        versions.iter().all(|v| *v == Version::HTTP_2),
        "{versions:?}"
    );
    // One handshake, not one per request in flight.
    assert_eq!(server.accepted(), 1);
    assert_eq!(server.requests().len(), 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_burst_to_an_http1_server_opens_connections_after_the_first() {
    for mode in MODES {
        let server = TlsServer::start(Alpn::Http1Only);
        let versions = cold_burst(&server, mode).await;
        assert!(
            versions.iter().all(|v| *v == Version::HTTP_11),
            "{mode:?}: {versions:?}"
        );
        let accepted = server.accepted();
        assert!(
            (1..=16).contains(&accepted),
            "{mode:?}: {accepted} connections"
        );
    }
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error_not_retried() {
    for mode in MODES {
        let server = TlsServer::start(Alpn::H2AndHttp1);
        // The webpki roots only: the self-signed certificate is unknown.
        let transport = HyperTransport::builder()
            .inline_http1(matches!(mode, Connections::Inline))
            .build()
            .unwrap();
        // Retries quick enough to show if a `Tls` failure were retried.
        let retry = RetryPolicy::default()
            .max_retries(2)
            .min_delay(Duration::from_millis(1));
        let session = session(&server, transport, retry);

        let error = session.load::<Contact>(1).await.unwrap_err();
        assert_eq!(
            error.transport_kind(),
            Some(TransportErrorKind::Tls),
            "{mode:?}: {error}"
        );
        let rustls_error = causes(&error)
            .into_iter()
            .find_map(|e| e.downcast_ref::<rustls::Error>())
            .unwrap_or_else(|| panic!("{mode:?}: no rustls error among the causes of {error:?}"));
        assert_eq!(
            *rustls_error,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
            "{mode:?}"
        );
        assert_eq!(server.accepted(), 1, "{mode:?}: tried once");
        assert!(server.requests().is_empty(), "{mode:?}");
    }
}

#[tokio::test]
async fn https_only_sends_over_tls_and_refuses_plain_http() {
    let server = TlsServer::start(Alpn::Http1Only);
    let transport = HyperTransport::builder()
        .add_root_certificate(server.certificate())
        .https_only(true)
        .build()
        .unwrap();
    let answer = transport
        .send(get(&format!("{}/contact", server.endpoint())))
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);

    let plain = format!("http://{}/api/contact", server.addr());
    let error = transport.send(get(&plain)).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other, "{error}");
    assert_eq!(
        server.accepted(),
        1,
        "the plain request opened no connection"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_invalid_root_certificate_fails_the_build() {
    let error = HyperTransport::builder()
        .add_root_certificate(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.source().is_some(), "{error}");
}

/// The client runs on a current-thread runtime, only inside each call: between two calls
/// nothing polls the idle connection, so only a look at its socket (the default, inline
/// HTTP/1.1 connections do it) can see the server's close. (hyper-util's pooled client
/// cannot: its connection task does not run between the calls, and the POST goes into the
/// dead connection.)
#[test]
fn a_tls_connection_closed_while_idle_is_replaced_before_a_post() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = TlsServer::start(Alpn::Http1Only);
    // No retry: a POST written into the dead connection would fail.
    let session = runtime.block_on(async {
        session(
            &server,
            transport(&server, Connections::Inline),
            RetryPolicy::none(),
        )
    });
    let mut jane = Contact::new();
    jane.set_first_name("Jane");
    runtime.block_on(session.save(&mut jane)).unwrap();

    server.close_idle_connections();
    let mut sam = Contact::new();
    sam.set_first_name("Sam");
    runtime.block_on(session.save(&mut sam)).unwrap();

    assert_ne!(jane.key(), sam.key());
    assert_eq!(server.accepted(), 2);
    let posts: Vec<usize> = server
        .requests()
        .into_iter()
        .filter(|(_, _, m)| m == Method::POST)
        .map(|(c, _, _)| c)
        .collect();
    assert_eq!(
        posts,
        [0, 1],
        "each POST once, the second on a new connection"
    );
    // Dropped inside the runtime, as the transport's connections may need it.
    runtime.block_on(async move { drop(session) });
}

/// An HTTP/2 connection the server ends with `GOAWAY` while it is idle, while the client's
/// current-thread runtime is not running (so its connection task has not read the
/// `GOAWAY`): the next `POST`, with no retries, still goes through exactly once (hyper's
/// server ends gracefully: a first `GOAWAY` still admitting streams, then a `PING`, so the
/// `POST` may still be served on the old connection, or else on a new one).
#[test]
fn an_http2_connection_gone_away_while_idle_is_not_used_for_a_post() {
    for mode in MODES {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = TlsServer::start(Alpn::H2AndHttp1);
        let session = runtime
            .block_on(async { session(&server, transport(&server, mode), RetryPolicy::none()) });
        let mut jane = Contact::new();
        jane.set_first_name("Jane");
        runtime.block_on(session.save(&mut jane)).unwrap();

        server.go_away();
        let mut sam = Contact::new();
        sam.set_first_name("Sam");
        runtime
            .block_on(session.save(&mut sam))
            .unwrap_or_else(|e| panic!("{mode:?}: {e}"));

        assert_ne!(jane.key(), sam.key());
        assert!(server.accepted() <= 2, "{mode:?}");
        let posts: Vec<(usize, Version)> = server
            .requests()
            .into_iter()
            .filter(|(_, _, m)| m == Method::POST)
            .map(|(c, v, _)| (c, v))
            .collect();
        assert_eq!(posts.len(), 2, "{mode:?}: each POST once: {posts:?}");
        assert!(
            posts.iter().all(|(_, v)| *v == Version::HTTP_2),
            "{mode:?}: {posts:?}"
        );
        runtime.block_on(async move { drop(session) });
    }
}
