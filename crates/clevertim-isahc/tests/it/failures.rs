//! The isahc transport reports each failure with its kind, within its timeouts, keeps the
//! failure as the error's source and stops reading an answer as soon as it passes the limit:
//! async and blocking alike.
//!
//! Every server here is a real socket on 127.0.0.1, written in the test: one helper per fault.
#![allow(clippy::unwrap_used)]

use std::error::Error as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{BodyLimit, Transport, TransportError, TransportErrorKind};
use clevertim_isahc::IsahcTransport;

const MIB: u64 = 1024 * 1024;

/// The two ways to send: every fault must be reported alike by both.
#[derive(Debug, Clone, Copy)]
enum Path {
    Async,
    Blocking,
}

const PATHS: [Path; 2] = [Path::Async, Path::Blocking];

impl Path {
    fn send(
        self,
        transport: &IsahcTransport,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        match self {
            Path::Async => futures_executor::block_on(transport.send(request)),
            Path::Blocking => transport.send_blocking(request),
        }
    }
}

fn get(addr: SocketAddr) -> http::Request<Bytes> {
    http::Request::get(format!("http://{addr}/api/contact"))
        .body(Bytes::new())
        .unwrap()
}

/// A GET carrying `limit`, as the session sends it.
fn get_limited(addr: SocketAddr, limit: u64) -> http::Request<Bytes> {
    let mut request = get(addr);
    request.extensions_mut().insert(BodyLimit::new(limit));
    request
}

fn transport(request_timeout: Duration) -> IsahcTransport {
    IsahcTransport::builder()
        .no_proxy()
        .connect_timeout(Duration::from_millis(300))
        .request_timeout(request_timeout)
        .build()
        .unwrap()
}

/// Checks the kind, and that the text shows the kind without repeating the source's text
/// (a reporter walking the chain prints each cause once).
fn assert_kind(err: &TransportError, kind: TransportErrorKind, path: Path) {
    assert_eq!(err.kind(), kind, "{path:?}: {err} ({:?})", err.source());
    if let Some(source) = err.source() {
        let text = source.to_string();
        assert!(!err.to_string().contains(&text), "{err} repeats {text}");
    }
}

/// A server for one connection on 127.0.0.1: `fault` gets the accepted socket on a thread of
/// its own; what it returns comes through the receiver.
fn serve_once<T: Send + 'static>(
    fault: impl FnOnce(TcpStream) -> T + Send + 'static,
) -> (SocketAddr, mpsc::Receiver<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (socket, _) = listener.accept().unwrap();
        let _ = tx.send(fault(socket));
    });
    (addr, rx)
}

/// Reads the request's head (the tests send GETs: no body follows it) and returns it.
fn read_request(socket: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Fault: reads the request, then answers nothing for longer than any test waits.
fn stall(mut socket: TcpStream) {
    read_request(&mut socket);
    std::thread::sleep(Duration::from_secs(10));
}

/// Fault: reads the request, sends the head and 10 of the 100 bytes it declares, then stalls.
fn stall_in_body(mut socket: TcpStream) {
    read_request(&mut socket);
    let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"status\"");
    std::thread::sleep(Duration::from_secs(10));
}

/// Fault: reads the request, then resets the connection (linger 0 makes close send an RST).
fn reset(mut socket: TcpStream) {
    read_request(&mut socket);
    socket2::SockRef::from(&socket)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
}

/// Fault: declares 100 bytes, sends 10, closes.
fn short_body(mut socket: TcpStream) {
    read_request(&mut socket);
    let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"status\"");
}

/// Fault: declares `length` bytes, sends only the first KiB of them and keeps the connection
/// open. (isahc hands the head over with the first bytes of the body, not before: it waits
/// for them in case of a redirect.)
fn declared_length(mut socket: TcpStream, length: u64) {
    read_request(&mut socket);
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
    let _ = socket.write_all(head.as_bytes());
    let _ = socket.write_all(&[b'x'; 1024]);
    std::thread::sleep(Duration::from_secs(10));
}

/// Fault: a chunked body of up to `total` bytes; returns how many body bytes the socket took
/// before the client went away.
fn endless_chunks(mut socket: TcpStream, total: u64) -> u64 {
    read_request(&mut socket);
    let head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head).is_err() {
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
        if socket.write_all(&framed).is_err() {
            return written;
        }
        written += 64 * 1024;
    }
    let _ = socket.write_all(b"0\r\n\r\n");
    written
}

/// Fault: a complete answer with a body of `length` bytes.
fn body_of(mut socket: TcpStream, length: usize) {
    read_request(&mut socket);
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {length}\r\n\r\n");
    let _ = socket.write_all(head.as_bytes());
    let _ = socket.write_all(&vec![b'x'; length]);
}

/// Fault: a gzip-labelled answer nobody asked for; returns the request's head.
fn unasked_gzip(mut socket: TcpStream) -> String {
    let head = read_request(&mut socket);
    let _ = socket.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 9\r\n\r\nnot gzip!",
    );
    head
}

/// Fault: answers a TLS client hello with plain HTTP.
fn plain_http(mut socket: TcpStream) {
    let mut buf = [0u8; 1024];
    let _ = socket.read(&mut buf);
    let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
}

/// A loopback port with nothing listening: bound, then released.
fn refused_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A loopback listener whose accept queue is full and never drained: Linux then drops new
/// SYNs, so a connect hangs until its own timeout, without any packet leaving the machine.
struct Unanswered {
    addr: SocketAddr,
    _listener: socket2::Socket,
    _queued: Vec<TcpStream>,
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
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
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

#[test]
fn nothing_listening_is_a_connect_error_keeping_isahc_s_error() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let started = Instant::now();
        let err = path.send(&t, get(refused_addr())).unwrap_err();
        assert_kind(&err, TransportErrorKind::Connect, path);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.to_string(), "connect error");
        let source = err.source().unwrap();
        assert!(source.is::<isahc::Error>(), "{source:?}");
    }
}

#[test]
fn a_connect_timeout_is_a_connect_error_not_a_timeout() {
    // curl says "timeout" for both; nothing was sent here, so any verb may be retried.
    let server = unanswered();
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let started = Instant::now();
        let err = path.send(&t, get(server.addr)).unwrap_err();
        assert_kind(&err, TransportErrorKind::Connect, path);
        let elapsed = started.elapsed();
        assert!(
            elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(3),
            "{path:?}: {elapsed:?}: the connect timeout (300 ms) ended it"
        );
    }
}

#[test]
fn a_server_stalling_after_the_request_is_a_timeout() {
    let t = transport(Duration::from_millis(400));
    for path in PATHS {
        let (addr, _server) = serve_once(stall);
        let started = Instant::now();
        let err = path.send(&t, get(addr)).unwrap_err();
        assert_kind(&err, TransportErrorKind::Timeout, path);
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}

#[test]
fn a_server_stalling_in_the_body_is_a_timeout() {
    let t = transport(Duration::from_millis(400));
    for path in PATHS {
        let (addr, _server) = serve_once(stall_in_body);
        let started = Instant::now();
        let err = path.send(&t, get(addr)).unwrap_err();
        assert_kind(&err, TransportErrorKind::Timeout, path);
        assert!(started.elapsed() < Duration::from_secs(3));
        assert_eq!(err.to_string(), "timeout: reading the body");
        // isahc hands the transfer's failure over as an io::Error carrying its own error.
        let source = err.source().unwrap();
        let io = source.downcast_ref::<std::io::Error>().unwrap();
        assert!(io.get_ref().unwrap().is::<isahc::Error>(), "{io:?}");
    }
}

#[test]
fn a_reset_after_the_request_is_an_io_error() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(reset);
        let err = path.send(&t, get(addr)).unwrap_err();
        assert_kind(&err, TransportErrorKind::Io, path);
    }
}

#[test]
fn an_answer_shorter_than_its_content_length_is_an_io_error() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(short_body);
        let err = path.send(&t, get(addr)).unwrap_err();
        assert_kind(&err, TransportErrorKind::Io, path);
        // Whether curl noticed before or after the head was handed over, the cause is kept.
        let source = err.source().unwrap();
        assert!(
            source.is::<std::io::Error>() || source.is::<isahc::Error>(),
            "{source:?}"
        );
    }
}

#[test]
fn a_chunked_body_past_the_limit_is_too_large_and_stops_reading() {
    let total = 64 * MIB;
    let t = transport(Duration::from_secs(10));
    for path in PATHS {
        let (addr, written) = serve_once(move |socket| endless_chunks(socket, total));
        let err = path.send(&t, get_limited(addr, MIB)).unwrap_err();
        assert_kind(&err, TransportErrorKind::TooLarge, path);
        // The transfer was aborted soon after the limit: the server could not write the rest
        // (what it wrote beyond the limit sat in the socket buffers and curl's).
        let written = written.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            written < total / 4,
            "{path:?}: the server wrote {written} bytes"
        );
    }
}

#[test]
fn a_declared_length_past_the_limit_is_too_large_before_reading() {
    // The server never sends the rest: reading it would end in the 5 s timeout instead.
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(|socket| declared_length(socket, 2 * MIB));
        let started = Instant::now();
        let err = path.send(&t, get_limited(addr, MIB)).unwrap_err();
        assert_kind(&err, TransportErrorKind::TooLarge, path);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}

#[test]
fn a_body_of_exactly_the_limit_is_accepted() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(|socket| body_of(socket, 1024));
        let response = path.send(&t, get_limited(addr, 1024)).unwrap();
        assert_eq!(response.body().len(), 1024, "{path:?}");
    }
}

#[test]
fn a_large_body_within_the_limit_is_read_whole_in_time() {
    // 32 MiB in a debug build: a reader that zero-fills its buffer byte by byte
    // (`read_to_end`) took longer than the 5 s allowed; this one takes a fraction of a second.
    let length = 32 * 1024 * 1024;
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(move |socket| body_of(socket, length));
        let response = path.send(&t, get(addr)).unwrap();
        assert_eq!(response.body().len(), length, "{path:?}");
    }
}

#[test]
fn answers_are_not_decompressed_nor_asked_compressed() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, head) = serve_once(unasked_gzip);
        let response = path.send(&t, get(addr)).unwrap();
        assert_eq!(&response.body()[..], b"not gzip!", "{path:?}");
        let head = head.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            !head.to_ascii_lowercase().contains("accept-encoding"),
            "{path:?}: {head}"
        );
    }
}

#[test]
fn tls_to_a_plain_server_is_a_tls_error() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(plain_http);
        let request = http::Request::get(format!("https://localhost:{}/api", addr.port()))
            .body(Bytes::new())
            .unwrap();
        let err = path.send(&t, request).unwrap_err();
        assert_kind(&err, TransportErrorKind::Tls, path);
    }
}

#[test]
fn a_whole_answer_is_collected() {
    let t = transport(Duration::from_secs(5));
    for path in PATHS {
        let (addr, _server) = serve_once(|mut socket: TcpStream| {
            read_request(&mut socket);
            let body = br#"{"status":"OK","content":[]}"#;
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            socket.write_all(head.as_bytes()).unwrap();
            socket.write_all(body).unwrap();
        });
        let response = path.send(&t, get(addr)).unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(&response.body()[..], br#"{"status":"OK","content":[]}"#);
    }
}
