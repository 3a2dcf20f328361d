//! The hyper transport reports each failure with its kind, within its timeouts, keeps the
//! failure as the error's source, and stops reading an answer as soon as it passes the limit.
//!
//! Every server here is a real socket on 127.0.0.1, written in the test: one helper per fault.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::error::Error as _;
use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{BodyLimit, Transport, TransportError, TransportErrorKind};
use clevertim_hyper::HyperTransport;
use common::{burst, causes, get};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

const MIB: u64 = 1024 * 1024;

/// A GET carrying `limit`, as the session sends it.
fn get_limited(url: &str, limit: u64) -> http::Request<Bytes> {
    let mut request = get(url);
    request.extensions_mut().insert(BodyLimit::new(limit));
    request
}

fn transport() -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(Duration::from_millis(300))
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Checks the kind, and that the text shows the kind without repeating the source's text
/// (a reporter walking the chain prints each cause once).
fn assert_kind(err: &TransportError, kind: TransportErrorKind) {
    assert_eq!(err.kind(), kind, "{err} ({:?})", err.source());
    if let Some(source) = err.source() {
        let text = source.to_string();
        assert!(!err.to_string().contains(&text), "{err} repeats {text}");
    }
}

/// A server for one connection on 127.0.0.1: `fault` gets the accepted socket; the task
/// returns what `fault` returns.
async fn serve_once<F, Fut, T>(fault: F) -> (SocketAddr, JoinHandle<T>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = T> + Send,
    T: Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        fault(socket).await
    });
    (addr, task)
}

/// Reads the request's head (the tests send GETs: no body follows it).
async fn read_request(socket: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

/// Fault: reads the request, then answers nothing for longer than any test waits.
async fn stall(mut socket: TcpStream) {
    read_request(&mut socket).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
}

/// Fault: reads the request, then resets the connection (linger 0 makes close send an RST).
async fn reset(mut socket: TcpStream) {
    read_request(&mut socket).await;
    socket2::SockRef::from(&socket)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

/// Fault: declares 100 bytes, sends 10, closes.
async fn short_body(mut socket: TcpStream) {
    read_request(&mut socket).await;
    let _ = socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"status\"")
        .await;
}

/// Fault: declares `length` bytes, sends none of them and keeps the connection open.
async fn declared_length(mut socket: TcpStream, length: u64) {
    read_request(&mut socket).await;
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
}

/// Fault: a chunked body of up to `total` bytes; returns how many body bytes the socket took
/// before the client went away.
async fn endless_chunks(mut socket: TcpStream, total: u64) -> u64 {
    read_request(&mut socket).await;
    let head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head).await.is_err() {
        return 0;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let framed = [
        format!("{:x}\r\n", chunk.len()).into_bytes(),
        chunk,
        b"\r\n".to_vec(),
    ]
    .concat();
    let mut written = 0;
    while written < total {
        if socket.write_all(&framed).await.is_err() {
            return written;
        }
        written += 64 * 1024;
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
    written
}

/// Fault: a complete answer with a body of `length` bytes.
async fn body_of(mut socket: TcpStream, length: usize) {
    read_request(&mut socket).await;
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(&vec![b'x'; length]).await;
}

/// Fault: answers a TLS client hello with plain HTTP.
async fn plain_http(mut socket: TcpStream) {
    let mut buf = [0u8; 1024];
    let _ = socket.read(&mut buf).await;
    let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
}

/// A loopback port with nothing listening: bound, then released.
fn refused_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A loopback listener whose accept queue is full and never drained: Linux then drops new
/// SYNs, so a connect hangs until its own timeout, without any packet leaving the machine.
struct Unanswered {
    addr: SocketAddr,
    _listener: socket2::Socket,
    _queued: Vec<std::net::TcpStream>,
}

fn unanswered() -> Unanswered {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    // Backlog 0: the queue holds one connection, the next SYN is dropped.
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let mut queued = Vec::new();
    for _ in 0..16 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Unanswered {
                    addr,
                    _listener: listener,
                    _queued: queued,
                };
            }
            Err(e) => panic!("filling the accept queue: {e}"),
        }
    }
    panic!("the accept queue never filled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_to_a_dead_https_host_fails_at_once_with_connect_errors() {
    // The first request probes the host; the others wait for it, then each connects on its
    // own and gets its own error: none waits for another's timeout.
    let transport = transport();
    let url = format!("https://{}/api/contact", refused_addr());
    let started = Instant::now();
    for sent in burst(&transport, &url, 8).await {
        assert_kind(&sent.unwrap_err(), TransportErrorKind::Connect);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_keeping_the_cause() {
    // Both ways of running connections: driven by the request (the default), and
    // hyper-util's pooled client, whose error is kept as the source.
    for inline in [true, false] {
        let started = Instant::now();
        let err = HyperTransport::builder()
            .connect_timeout(Duration::from_millis(300))
            .inline_http1(inline)
            .build()
            .unwrap()
            .send(get(&format!("http://{}/api/contact", refused_addr())))
            .await
            .unwrap_err();
        assert_kind(&err, TransportErrorKind::Connect);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.to_string(), "connect error");
        let source = err.source().unwrap();
        if !inline {
            assert!(
                source.is::<hyper_util::client::legacy::Error>(),
                "{source:?}"
            );
        }
        // The refusal itself is in the chain, for a reporter to show.
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(source);
        let mut refused = false;
        while let Some(e) = cause {
            refused |= e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
            cause = e.source();
        }
        assert!(refused, "inline {inline}: {source:?}");
    }
}

#[tokio::test]
async fn the_pooled_client_classifies_a_stall_as_a_timeout() {
    let (addr, server) = serve_once(stall).await;
    let transport = HyperTransport::builder()
        .inline_http1(false)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = transport
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Timeout);
    server.abort();
}

#[tokio::test]
async fn a_connect_timeout_is_a_connect_error_not_a_timeout() {
    // Nothing was sent: the session may retry any verb, so it must not read as a timeout.
    let server = unanswered();
    let started = Instant::now();
    let err = transport()
        .send(get(&format!("http://{}/api/contact", server.addr)))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Connect);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(3),
        "{elapsed:?}: the connect timeout (300 ms) ended it"
    );
}

#[tokio::test]
async fn a_server_stalling_after_the_request_is_a_timeout() {
    let (addr, server) = serve_once(stall).await;
    let transport = HyperTransport::builder()
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(3));
    server.abort();
}

#[tokio::test]
async fn a_reset_after_the_request_is_an_io_error() {
    let (addr, _server) = serve_once(reset).await;
    let err = transport()
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Io);
}

#[tokio::test]
async fn an_answer_shorter_than_its_content_length_is_an_io_error() {
    let (addr, _server) = serve_once(short_body).await;
    let err = transport()
        .send(get(&format!("http://{addr}/api/contact")))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Io);
    assert_eq!(err.to_string(), "I/O error: reading the body");
    let source = err.source().unwrap();
    assert!(source.is::<hyper::Error>(), "{source:?}");
    // Down the chain, what went wrong.
    let chain: Vec<String> = causes(&err).iter().map(ToString::to_string).collect();
    assert!(
        chain
            .iter()
            .any(|c| c.contains("end of file before message length")),
        "{chain:?}"
    );
}

#[tokio::test]
async fn a_chunked_body_past_the_limit_is_too_large_and_stops_reading() {
    let total = 64 * MIB;
    let (addr, server) = serve_once(move |socket| endless_chunks(socket, total)).await;
    let err = transport()
        .send(get_limited(&format!("http://{addr}/api/contact"), MIB))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::TooLarge);
    // The client dropped the connection soon after the limit: the server could not write the
    // rest (what it wrote beyond the limit sat in the socket buffers, never in the client).
    let written = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap();
    assert!(written < total / 4, "the server wrote {written} bytes");
}

#[tokio::test]
async fn a_declared_length_past_the_limit_is_too_large_before_reading() {
    // The server never sends the body: reading it would end in the 5 s timeout instead.
    let (addr, server) = serve_once(|socket| declared_length(socket, 2 * MIB)).await;
    let started = Instant::now();
    let err = transport()
        .send(get_limited(&format!("http://{addr}/api/contact"), MIB))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::TooLarge);
    assert!(started.elapsed() < Duration::from_secs(2));
    server.abort();
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_accepted() {
    let (addr, _server) = serve_once(|socket| body_of(socket, 1024)).await;
    let response = transport()
        .send(get_limited(&format!("http://{addr}/api/contact"), 1024))
        .await
        .unwrap();
    assert_eq!(response.body().len(), 1024);
}

#[tokio::test]
async fn tls_to_a_plain_server_is_a_tls_error() {
    let (addr, _server) = serve_once(plain_http).await;
    let err = transport()
        .send(get(&format!("https://localhost:{}/api", addr.port())))
        .await
        .unwrap_err();
    assert_kind(&err, TransportErrorKind::Tls);
}

#[tokio::test]
async fn https_only_refuses_plain_http() {
    let transport = HyperTransport::builder().https_only(true).build().unwrap();
    let err = transport
        .send(get("http://127.0.0.1:9/api"))
        .await
        .unwrap_err();
    // Not `Connect`: retrying a refused scheme cannot help.
    assert_kind(&err, TransportErrorKind::Other);
}

#[test]
fn outside_tokio_it_is_an_error_not_a_panic() {
    let transport = HyperTransport::new().unwrap();
    let err =
        futures_executor::block_on(transport.send(get("http://127.0.0.1:9/api"))).unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert!(err.to_string().contains("tokio runtime"), "{err}");
}
