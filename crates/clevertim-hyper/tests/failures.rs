//! The hyper transport reports each failure with its kind, within its timeouts.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{Transport, TransportErrorKind};
use clevertim_hyper::HyperTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    // Bind then drop: the port is free and nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(&format!("http://127.0.0.1:{port}/api/contact")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_silent_server_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let transport = HyperTransport::builder()
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
    server.abort();
}

#[tokio::test]
async fn a_connection_closed_mid_answer_is_an_io_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"status\"")
            .await;
    });
    let transport = HyperTransport::new().unwrap();
    let err = transport
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
}

#[tokio::test]
async fn tls_to_a_plain_server_is_a_tls_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf).await;
        let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
    });
    let transport = HyperTransport::new().unwrap();
    let err = transport
        .send(get(&format!("https://localhost:{}/api", addr.port())))
        .await
        .unwrap_err();
    assert!(
        err.kind() == TransportErrorKind::Tls,
        "{:?}: {err}",
        err.kind()
    );
}

#[tokio::test]
async fn https_only_refuses_plain_http() {
    let transport = HyperTransport::builder().https_only(true).build().unwrap();
    let err = transport
        .send(get("http://127.0.0.1:9/api"))
        .await
        .unwrap_err();
    assert_ne!(err.kind(), TransportErrorKind::Timeout, "{err}");
}

#[test]
fn outside_tokio_it_is_an_error_not_a_panic() {
    let transport = HyperTransport::new().unwrap();
    let err =
        futures_executor::block_on(transport.send(get("http://127.0.0.1:9/api"))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert!(err.to_string().contains("tokio runtime"), "{err}");
}
