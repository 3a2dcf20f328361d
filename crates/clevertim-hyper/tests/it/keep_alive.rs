//! Connections are kept alive between requests, and one the server closed while idle is
//! noticed before the next request is written into it: a `POST` cannot tell whether a
//! request that failed on a dead connection was applied, so it must never be sent there.
//!
//! The server is a plain blocking one on its own thread, so that the client's runtime does
//! nothing between two calls (the hard case: nothing polls an idle connection then).
#![allow(clippy::unwrap_used)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::Transport as _;
use clevertim_hyper::HyperTransport;

/// What the server saw: for each request, the number of its connection and its method.
type Seen = Arc<Mutex<Vec<(usize, String)>>>;

/// What the server does with a connection after each answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    /// Keeps it for the next request.
    KeepOpen,
    /// Closes it, without saying so in the answer.
    Close,
    /// Says `Connection: close` in the answer and waits (2 s at most) for the client to
    /// close it, as RFC 9112 asks of the client; `Seen` then logs `closed by the client`.
    SayClose,
}

/// A server answering every request with `{}`, then doing `after`.
fn server(after: After) -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for (number, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let method = line.split(' ').next().unwrap_or("").to_owned();
                    let mut length = 0;
                    loop {
                        let mut header = String::new();
                        reader.read_line(&mut header).unwrap();
                        if header.trim().is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap();
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    log.lock().unwrap().push((number, method));
                    let answer: &[u8] = match after {
                        After::SayClose => {
                            b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}"
                        }
                        _ => b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}",
                    };
                    reader.get_mut().write_all(answer).unwrap();
                    match after {
                        After::KeepOpen => {}
                        After::Close => return,
                        After::SayClose => {
                            let stream = reader.get_mut();
                            stream
                                .set_read_timeout(Some(Duration::from_secs(2)))
                                .unwrap();
                            if matches!(stream.read(&mut [0; 1]), Ok(0)) {
                                log.lock()
                                    .unwrap()
                                    .push((number, "closed by the client".into()));
                            }
                            return;
                        }
                    }
                }
            });
        }
    });
    (addr, seen)
}

fn request(method: &str, addr: SocketAddr) -> http::Request<Bytes> {
    http::Request::builder()
        .method(method)
        .uri(format!("http://{addr}/api/contact"))
        .body(Bytes::from_static(b"{\"fn\":\"Mike\"}"))
        .unwrap()
}

/// A current-thread runtime: its I/O driver runs only inside `block_on`.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn sequential_requests_share_one_connection() {
    let (addr, seen) = server(After::KeepOpen);
    let runtime = runtime();
    let transport = HyperTransport::new().unwrap();
    for method in ["GET", "POST", "PUT", "DELETE"] {
        let response = runtime
            .block_on(transport.send(request(method, addr)))
            .unwrap();
        assert_eq!(response.body().as_ref(), b"{}");
    }
    let seen = seen.lock().unwrap().clone();
    let methods: Vec<_> = seen.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(methods, ["GET", "POST", "PUT", "DELETE"]);
    assert!(
        seen.iter().all(|(connection, _)| *connection == 0),
        "{seen:?}"
    );
}

#[test]
fn a_connection_closed_while_idle_is_replaced_before_a_post() {
    let (addr, seen) = server(After::Close);
    let runtime = runtime();
    let transport = HyperTransport::new().unwrap();
    for (round, method) in ["GET", "POST"].iter().cycle().take(10).enumerate() {
        let response = runtime.block_on(transport.send(request(method, addr)));
        assert!(response.is_ok(), "request {round} ({method}): {response:?}");
        // The server closes meanwhile; no runtime runs here to see it.
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = seen.lock().unwrap().clone();
    // Every request once, each on a connection of its own: none went into a closed one.
    assert_eq!(seen.len(), 10, "{seen:?}");
    let connections: Vec<_> = seen.iter().map(|(c, _)| *c).collect();
    assert_eq!(connections, (0..10).collect::<Vec<_>>());
}

#[test]
fn an_answer_saying_connection_close_ends_its_connection() {
    let (addr, seen) = server(After::SayClose);
    let runtime = runtime();
    let transport = HyperTransport::new().unwrap();
    for _ in 0..3 {
        let response = runtime
            .block_on(transport.send(request("GET", addr)))
            .unwrap();
        assert_eq!(response.body().as_ref(), b"{}");
    }
    // Each connection closed by the client, the last one too (nothing comes to take it out
    // of the pool), and each request on a new one.
    for _ in 0..50 {
        if seen.lock().unwrap().len() == 6 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    let seen: Vec<_> = seen.iter().map(|(c, m)| (*c, m.as_str())).collect();
    let closed = "closed by the client";
    assert_eq!(
        seen,
        [
            (0, "GET"),
            (0, closed),
            (1, "GET"),
            (1, closed),
            (2, "GET"),
            (2, closed)
        ]
    );
}
