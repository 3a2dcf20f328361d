//! The isahc transport reports each failure with its kind, within its timeouts, async and
//! blocking.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{Transport, TransportErrorKind};
use clevertim_isahc::IsahcTransport;

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

fn transport(timeout: Duration) -> IsahcTransport {
    IsahcTransport::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(timeout)
        .build()
        .unwrap()
}

#[test]
fn nothing_listening_is_a_connect_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/api/contact");
    let t = transport(Duration::from_secs(5));
    let started = Instant::now();
    let err = t.send_blocking(get(&url)).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    let err = futures_executor::block_on(t.send(get(&url))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn a_silent_server_is_a_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf);
        std::thread::sleep(Duration::from_secs(3));
    });
    let started = Instant::now();
    let err = transport(Duration::from_millis(300))
        .send_blocking(get(&format!("http://{addr}/api/contact")))
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_whole_answer_is_collected() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = socket.read(&mut buf);
        let body = br#"{"status":"OK","content":[]}"#;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
        socket.write_all(head.as_bytes()).unwrap();
        socket.write_all(body).unwrap();
    });
    let response = futures_executor::block_on(
        transport(Duration::from_secs(5)).send(get(&format!("http://{addr}/api/contact"))),
    )
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(&response.body()[..], br#"{"status":"OK","content":[]}"#);
}
