//! Both transports behind a real forward proxy (tinyproxy), configured by `.proxy(url)`:
//! plain http in absolute form, https through `CONNECT` with the TLS checked against the
//! server's own name, Basic credentials to the proxy only, and a refusal as a typed error
//! that shows no password and is not retried.

use crate::proxy_common;

use std::time::Duration;

use clevertim::transports::{HyperTransport, IsahcTransport};
use clevertim::{Backend, Contact, Error, Session, Transport, TransportErrorKind};
use clevertim_sandbox::Sandbox;
use clevertim_testservers::Tinyproxy;
use proxy_common::tls_server::{Alpn, TlsServer};
use proxy_common::{BACKENDS, quick_start, seen_by_proxy};

const USER: &str = "alice";
const PASSWORD: &str = "s3cret-pw";

/// A session of `backend` on `sandbox`, through the proxy at `proxy`, without a cache.
fn session_through(backend: Backend, sandbox: &Sandbox, proxy: &str) -> Session {
    Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .backend(backend)
        .proxy(proxy)
        .no_cache()
        .request_timeout(Duration::from_secs(20))
        .build()
        .expect("a session")
}

/// A transport of `backend` that trusts `server`'s certificate, through `proxy`.
fn tls_transport(
    backend: Backend,
    server: &TlsServer,
    proxy: &str,
) -> std::sync::Arc<dyn Transport> {
    match backend {
        Backend::Hyper => std::sync::Arc::new(
            HyperTransport::builder()
                .proxy(proxy)
                .add_root_certificate(server.certificate())
                .build()
                .expect("hyper transport"),
        ),
        Backend::Isahc => std::sync::Arc::new(
            IsahcTransport::builder()
                .proxy(proxy)
                .add_root_certificate(server.certificate())
                .build()
                .expect("isahc transport"),
        ),
        _ => unreachable!("both backends are compiled in"),
    }
}

fn tls_session(backend: Backend, server: &TlsServer, proxy: &str) -> Session {
    Session::builder(server.api_key())
        .endpoint(server.endpoint())
        .transport_arc(tls_transport(backend, server, proxy))
        .no_cache()
        .build()
        .expect("a session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_goes_through_the_proxy_in_absolute_form() {
    let Some(proxy) = Tinyproxy::start(None) else {
        return;
    };
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let origin = sandbox.addr().to_string();
    for backend in BACKENDS {
        let before = seen_by_proxy(&proxy.requests(), &origin).0.len();
        let session = session_through(backend, &sandbox, &proxy.url());
        quick_start(&session)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e:?}\n{}", proxy.log()));
        let (methods, _) = seen_by_proxy(&proxy.requests(), &origin);
        assert_eq!(
            methods[before..],
            ["POST", "GET", "PUT", "DELETE"],
            "{backend:?}: every request went through the proxy in absolute form"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_goes_through_a_tunnel_checked_against_the_server_s_name() {
    let Some(proxy) = Tinyproxy::start(None) else {
        return;
    };
    for alpn in [Alpn::Http1Only, Alpn::H2AndHttp1] {
        let server = TlsServer::start(alpn);
        let origin = server.addr().to_string();
        for backend in BACKENDS {
            let tunnels_before = seen_by_proxy(&proxy.requests(), &origin).1;
            let session = tls_session(backend, &server, &proxy.url());
            quick_start(&session)
                .await
                .unwrap_or_else(|e| panic!("{backend:?} {alpn:?}: {e:?}\n{}", proxy.log()));
            let (methods, tunnels) = seen_by_proxy(&proxy.requests(), &origin);
            assert!(methods.is_empty(), "nothing in clear: {methods:?}");
            assert!(
                tunnels > tunnels_before,
                "{backend:?} {alpn:?}: a CONNECT tunnel to {origin}\n{}",
                proxy.log()
            );
        }
    }
    // The TLS inside the tunnel is checked: a transport that does not trust the server's
    // certificate refuses it.
    let server = TlsServer::start(Alpn::Http1Only);
    let untrusting = HyperTransport::builder()
        .proxy(proxy.url())
        .build()
        .expect("transport");
    let request = http::Request::get(format!("{}/contact/1", server.endpoint()))
        .body(bytes::Bytes::new())
        .expect("request");
    let error = untrusting.send(request).await.expect_err("untrusted");
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_go_to_the_proxy_and_a_refusal_is_a_typed_error_showing_no_password() {
    let Some(proxy) = Tinyproxy::start(Some((USER, PASSWORD))) else {
        return;
    };
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let server = TlsServer::start(Alpn::Http1Only);
    let tls_origin = server.addr().to_string();
    for backend in BACKENDS {
        // The right credentials: plain http and https both pass.
        let good = proxy.url_with(USER, PASSWORD);
        quick_start(&session_through(backend, &sandbox, &good))
            .await
            .unwrap_or_else(|e| panic!("{backend:?} http: {e:?}\n{}", proxy.log()));
        quick_start(&tls_session(backend, &server, &good))
            .await
            .unwrap_or_else(|e| panic!("{backend:?} https: {e:?}\n{}", proxy.log()));

        // No credentials on plain http: the proxy's 407 is a `Proxy` error, not the server's.
        let error = session_through(backend, &sandbox, &proxy.url())
            .load::<Contact>(4)
            .await
            .expect_err("the proxy asks for credentials");
        assert_proxy_refusal(backend, &error, &proxy);

        // A wrong password through CONNECT: a `Proxy` error, sent once, no password shown.
        let tunnels_before = seen_by_proxy(&proxy.requests(), &tls_origin).1;
        let bad = proxy.url_with(USER, "wrong-pw");
        let error = tls_session(backend, &server, &bad)
            .load::<Contact>(4)
            .await
            .expect_err("the proxy refuses the tunnel");
        assert_proxy_refusal(backend, &error, &proxy);
        let tunnels = seen_by_proxy(&proxy.requests(), &tls_origin).1 - tunnels_before;
        // isahc asks once more to learn why curl could not connect (its error keeps only
        // curl's code); a retried request would show at least two more.
        let expected = if backend == Backend::Isahc { 2 } else { 1 };
        assert_eq!(tunnels, expected, "{backend:?}: a refusal is not retried");
    }
}

/// `error` is a `Proxy` transport error naming the proxy, with no password anywhere.
fn assert_proxy_refusal(backend: Backend, error: &Error, proxy: &Tinyproxy) {
    assert_eq!(
        error.transport_kind(),
        Some(TransportErrorKind::Proxy),
        "{backend:?}: {error:?}"
    );
    let mut shown = format!("{error} {error:?}");
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        shown.push_str(&format!(" {e} {e:?}"));
        cause = e.source();
    }
    assert!(
        shown.contains(&format!("127.0.0.1:{}", proxy.port())),
        "{backend:?}: the proxy is named: {shown}"
    );
    for secret in [PASSWORD, "wrong-pw"] {
        assert!(
            !shown.contains(secret),
            "{backend:?}: a password shows: {shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_util_s_pooled_client_goes_through_the_proxy_too() {
    let Some(proxy) = Tinyproxy::start(Some((USER, PASSWORD))) else {
        return;
    };
    let good = proxy.url_with(USER, PASSWORD);
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let pooled = HyperTransport::builder()
        .inline_http1(false)
        .proxy(good.clone())
        .build()
        .expect("transport");
    let session = Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .transport(pooled)
        .no_cache()
        .build()
        .expect("a session");
    quick_start(&session)
        .await
        .unwrap_or_else(|e| panic!("pooled http: {e:?}\n{}", proxy.log()));
    let (methods, _) = seen_by_proxy(&proxy.requests(), &sandbox.addr().to_string());
    assert_eq!(methods, ["POST", "GET", "PUT", "DELETE"]);

    let server = TlsServer::start(Alpn::H2AndHttp1);
    let pooled = HyperTransport::builder()
        .inline_http1(false)
        .proxy(good)
        .add_root_certificate(server.certificate())
        .build()
        .expect("transport");
    let session = Session::builder(server.api_key())
        .endpoint(server.endpoint())
        .transport(pooled)
        .no_cache()
        .build()
        .expect("a session");
    quick_start(&session)
        .await
        .unwrap_or_else(|e| panic!("pooled https: {e:?}\n{}", proxy.log()));
    let (_, tunnels) = seen_by_proxy(&proxy.requests(), &server.addr().to_string());
    assert_eq!(tunnels, 1, "one h2 connection through one tunnel");
}
