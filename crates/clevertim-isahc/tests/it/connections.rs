//! The connect timeout covers the TLS handshake: a server that accepts and then stalls its
//! handshake is a `Connect` error within the connect timeout (curl's `CONNECTTIMEOUT` covers
//! the whole connect phase, TLS included), for one request and a burst, async and blocking.
#![allow(clippy::unwrap_used)]

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{Transport as _, TransportError, TransportErrorKind};
use clevertim_isahc::IsahcTransport;

const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);

/// A server that accepts every connection and never answers (its TLS handshake stalls);
/// counts the connections.
fn stalled_tls() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for socket in listener.incoming() {
            let Ok(socket) = socket else { return };
            held.push(socket);
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    (addr, accepted)
}

fn get(addr: SocketAddr) -> http::Request<Bytes> {
    http::Request::get(format!("https://{addr}/api/contact"))
        .body(Bytes::new())
        .unwrap()
}

fn assert_connect(result: Result<http::Response<Bytes>, TransportError>) {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error:?}");
}

#[test]
fn a_stalled_tls_handshake_is_a_connect_error_within_the_connect_timeout() {
    let (addr, accepted) = stalled_tls();
    let transport = IsahcTransport::builder()
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .request_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    for blocking in [false, true] {
        let started = Instant::now();
        let result = if blocking {
            transport.send_blocking(get(addr))
        } else {
            futures_executor::block_on(transport.send(get(addr)))
        };
        let took = started.elapsed();
        assert_connect(result);
        assert!(
            took >= CONNECT_TIMEOUT - Duration::from_millis(50),
            "{took:?}"
        );
        assert!(
            took < Duration::from_secs(5),
            "the request timeout ended it: {took:?}"
        );
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    // A burst from threads of their own: each fails alike, within about the connect timeout.
    let started = Instant::now();
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let transport = transport.clone();
            std::thread::spawn(move || transport.send_blocking(get(addr)))
        })
        .collect();
    for thread in threads {
        assert_connect(thread.join().unwrap());
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 8);
}
