//! An HTTP/2 stream the server refuses (`REFUSED_STREAM`: it did not process the request) is a
//! `Connect` error, which the session retries whatever the verb, a `POST` too. The server is
//! the `h2` crate's, over TLS with ALPN `h2`, refusing the first stream it gets.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{Transport as _, TransportErrorKind};
use clevertim_hyper::HyperTransport;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// An HTTP/2 server over TLS that resets its first stream with `REFUSED_STREAM` and answers
/// `{}` to the others; its certificate (DER), and the streams it got.
async fn refusing_server() -> (SocketAddr, Vec<u8>, Arc<AtomicUsize>) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let certificate = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![certificate.clone()], key)
    .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let streams = Arc::new(AtomicUsize::new(0));
    let seen = streams.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut conn) = h2::server::handshake(tls).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = conn.accept().await {
                    if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    let answer = http::Response::new(());
                    if let Ok(mut body) = respond.send_response(answer, false) {
                        let _ = body.send_data(Bytes::from_static(b"{}"), true);
                    }
                }
            });
        }
    });
    (addr, certificate.to_vec(), streams)
}

#[tokio::test]
async fn a_refused_stream_is_a_connect_error() {
    for inline in [true, false] {
        let (addr, certificate, streams) = refusing_server().await;
        let transport = HyperTransport::builder()
            .add_root_certificate(certificate)
            .inline_http1(inline)
            .request_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let post = || {
            http::Request::post(format!("https://{addr}/api/contact"))
                .body(Bytes::from_static(b"{}"))
                .unwrap()
        };
        let refused = transport.send(post()).await.unwrap_err();
        assert_eq!(
            refused.kind(),
            TransportErrorKind::Connect,
            "inline {inline}: {refused:?}"
        );
        let answer = transport.send(post()).await.unwrap();
        assert_eq!(answer.body().as_ref(), b"{}");
        assert_eq!(streams.load(Ordering::SeqCst), 2, "inline {inline}");
    }
}
