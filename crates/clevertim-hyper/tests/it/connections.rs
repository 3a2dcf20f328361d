//! Connections the other side stalls or closes: the connect timeout covers the TLS handshake,
//! and idle HTTP/1.1 connections the server closed are reaped while requests keep coming.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use clevertim_core::{Transport as _, TransportErrorKind};
use clevertim_hyper::HyperTransport;
use common::{burst, causes, get};
use tokio::net::TcpListener;

const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);

/// A TLS server whose handshake never comes: it accepts, reads the ClientHello, and stays
/// silent with the socket open. Counts the connections it accepted.
async fn stalled_tls() -> (SocketAddr, tokio::sync::watch::Receiver<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (count, accepted) = tokio::sync::watch::channel(0);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
            count.send_modify(|n| *n += 1);
        }
    });
    (addr, accepted)
}

fn transport(inline: bool) -> HyperTransport {
    HyperTransport::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .request_timeout(Duration::from_secs(20))
        .inline_http1(inline)
        .build()
        .unwrap()
}

async fn a_stalled_handshake_is_a_connect_error_within_the_connect_timeout(inline: bool) {
    let (addr, accepted) = stalled_tls().await;
    let transport = transport(inline);
    let url = format!("https://{addr}/api/contact/1");
    let started = Instant::now();
    let error = transport.send(get(&url)).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error:?}");
    let timed_out = causes(&error).iter().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    });
    assert!(timed_out, "the connect timeout is the cause: {error:?}");
    assert!(took >= CONNECT_TIMEOUT, "{took:?}");
    assert!(
        took < Duration::from_secs(5),
        "the request timeout ran out: {took:?}"
    );
    assert_eq!(*accepted.borrow(), 1);

    // A burst: each request gets its `Connect` error within about one connect timeout (the
    // requests waiting for the host's first connection wait no longer than that before they
    // open their own).
    let started = Instant::now();
    let results = burst(&transport, &url, 8).await;
    let took = started.elapsed();
    assert_eq!(results.len(), 8);
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error:?}");
    }
    assert!(took < CONNECT_TIMEOUT * 4, "{took:?}");
}

#[tokio::test]
async fn inline_a_stalled_tls_handshake_is_a_connect_error() {
    a_stalled_handshake_is_a_connect_error_within_the_connect_timeout(true).await;
}

#[tokio::test]
async fn pooled_a_stalled_tls_handshake_is_a_connect_error() {
    a_stalled_handshake_is_a_connect_error_within_the_connect_timeout(false).await;
}

/// The sockets to `port` in `CLOSE_WAIT` (the server closed them, the client has not yet):
/// rows of `/proc/net/tcp` whose remote port is `port` and state `08`.
fn close_wait_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let remote = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|row| {
            let fields: Vec<&str> = row.split_whitespace().collect();
            fields.len() > 3 && fields[2].ends_with(&remote) && fields[3] == "08"
        })
        .count()
}

/// A server answering every request with `{}`, keeping each connection until it has been
/// idle for `close_after`; it then closes its side (FIN) and keeps the socket, so that the
/// client's socket sits in `CLOSE_WAIT` until the client closes it.
async fn closing_server(close_after: Duration) -> SocketAddr {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while let Ok(Ok(n)) = tokio::time::timeout(close_after, socket.read(&mut buf)).await
                {
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                    // Requests without a body: each ends with an empty line.
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        head.drain(..end + 4);
                        // Slow enough that a burst needs a connection per request.
                        tokio::time::sleep(Duration::from_millis(150)).await;
                        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
                        if socket.write_all(answer).await.is_err() {
                            return;
                        }
                    }
                }
                let _ = socket.shutdown().await;
                // Kept open on this side, as a lingering server: the client must close it.
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_the_server_closed_are_reaped_while_requests_keep_coming() {
    let addr = closing_server(Duration::from_millis(300)).await;
    let transport = HyperTransport::builder()
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let url = format!("http://{addr}/api/contact");
    // A burst opens several connections; the server then closes them all.
    for result in burst(&transport, &url, 6).await {
        assert!(result.unwrap().status().is_success());
    }
    // One request at a time, every 100 ms: each takes the connection used last, which the
    // server keeps; it closes the others, idle below it, after 300 ms. Those must be closed
    // by the client too though requests keep coming (and none ever takes them).
    let started = Instant::now();
    let mut seen_closing = 0;
    while started.elapsed() < Duration::from_millis(3000) {
        let answer = transport.send(get(&url)).await.unwrap();
        assert!(answer.status().is_success());
        tokio::time::sleep(Duration::from_millis(100)).await;
        if started.elapsed() < Duration::from_millis(900) {
            seen_closing = seen_closing.max(close_wait_to(addr.port()));
        }
    }
    // At least one below the one in use (a loaded machine may serve the burst on fewer
    // connections than requests).
    assert!(
        seen_closing >= 1,
        "the server closed the idle connections of the burst"
    );
    // The burst's others are gone; at most the one in use may have just been closed by the
    // server (a loaded machine can pause the loop past its 300 ms), to be dropped by the next
    // request's check. Without the reaping, the burst's 5 others stay.
    let left = close_wait_to(addr.port());
    assert!(left <= 1, "{left} connections left in CLOSE_WAIT");
}

/// A server whose answer to `/slow` stops halfway through its body (and then waits), and
/// which answers anything else at once; counts its connections and the requests on each.
async fn half_answering_server() -> (SocketAddr, std::sync::Arc<std::sync::Mutex<Vec<usize>>>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            let number = {
                let mut log = log.lock().unwrap();
                log.push(0);
                log.len() - 1
            };
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                loop {
                    let Ok(n) = socket.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        let slow = head.starts_with(b"GET /slow");
                        head.drain(..end + 4);
                        log.lock().unwrap()[number] += 1;
                        let answer: &[u8] = if slow {
                            b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{\"a\""
                        } else {
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"
                        };
                        if socket.write_all(answer).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn a_request_cancelled_mid_answer_leaves_the_transport_usable() {
    for inline in [true, false] {
        let (addr, seen) = half_answering_server().await;
        let transport = transport(inline);
        let cancelled = tokio::time::timeout(
            Duration::from_millis(300),
            transport.send(get(&format!("http://{addr}/slow"))),
        )
        .await;
        assert!(cancelled.is_err(), "the half answer never completes");
        // The next request gets its whole answer, on a new connection: the cancelled one,
        // its answer unread, is never used again.
        let answer = transport
            .send(get(&format!("http://{addr}/next")))
            .await
            .unwrap();
        assert_eq!(answer.body().as_ref(), b"{}");
        assert_eq!(
            *seen.lock().unwrap(),
            [1, 1],
            "inline {inline}: requests per connection"
        );
    }
}
