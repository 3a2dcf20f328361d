//! A canned-answer HTTP/1.1 server: each path has a prepared answer, served from a map. Its
//! own thread runs a current-thread runtime, so that serving costs as little as it can and
//! the same for both sides of a comparison.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::Counters;
use crate::Result;

#[derive(Default)]
struct Stats {
    requests: AtomicU64,
    connections: AtomicU64,
}

/// A running canned server; dropping it stops it.
pub(crate) struct CannedServer {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl CannedServer {
    /// Serves `answers` (path → body, status 200); any other path gets a 404 envelope.
    pub(crate) fn start(answers: HashMap<String, Bytes>) -> Result<CannedServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stats = Arc::new(Stats::default());
        let (stop_tx, stop_rx) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let served = stats.clone();
        let thread = std::thread::Builder::new()
            .name("canned-server".into())
            .spawn(move || runtime.block_on(serve(listener, Arc::new(answers), served, stop_rx)))?;
        Ok(CannedServer {
            addr,
            stats,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL it serves, `http://127.0.0.1:PORT/api`.
    pub(crate) fn endpoint(&self) -> String {
        format!("http://{}/api", self.addr)
    }
}

impl Counters for CannedServer {
    fn requests(&self) -> u64 {
        self.stats.requests.load(Ordering::Relaxed)
    }

    fn connections(&self) -> u64 {
        self.stats.connections.load(Ordering::Relaxed)
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    answers: Arc<HashMap<String, Bytes>>,
    stats: Arc<Stats>,
    mut stop: oneshot::Receiver<()>,
) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    let not_found = Bytes::from_static(br#"{"status":"ERROR","content":"not found"}"#);
    loop {
        let (tcp, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // E.g. too many open files: the next accept may succeed; do not spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = &mut stop => return,
        };
        // TRAPS 11: an answer's head and body go out in separate writes.
        let _ = tcp.set_nodelay(true);
        stats.connections.fetch_add(1, Ordering::Relaxed);
        let (answers, stats, not_found) = (answers.clone(), stats.clone(), not_found.clone());
        let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
            stats.requests.fetch_add(1, Ordering::Relaxed);
            let response = match answers.get(request.uri().path()) {
                Some(body) => http::Response::new(Full::new(body.clone())),
                None => {
                    let mut response = http::Response::new(Full::new(not_found.clone()));
                    *response.status_mut() = http::StatusCode::NOT_FOUND;
                    response
                }
            };
            async move { Ok::<_, Infallible>(response) }
        });
        // Connections end with the runtime when the server stops.
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), service)
                .await;
        });
    }
}

/// Answers for `GET /api/contact/{id}`, `id` in `1..=n`: one full contact each.
pub(crate) fn contacts(n: u64) -> HashMap<String, Bytes> {
    (1..=n)
        .map(|id| {
            (
                format!("/api/contact/{id}"),
                crate::data::envelope(vec![crate::data::contact(id)]),
            )
        })
        .collect()
}
