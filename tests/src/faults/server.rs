//! The listener, its accept loop, and what it counts.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use super::http::Conn;
use super::script::{Fault, Next};

/// When the server starts listening on its (already bound) port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen {
    /// At once.
    Now,
    /// After this long: until then every connection attempt is refused.
    After(Duration),
    /// Never: every connection attempt is refused (the port stays reserved).
    Never,
    /// Listening, but its accept queue is full and nothing is accepted: the kernel drops new
    /// SYNs, so a client's connect hangs until its connect timeout.
    Jammed,
    /// Jammed for this long, then accepting.
    JammedFor(Duration),
}

/// Fills the accept queue of a listener with a backlog of 1 at `addr` with connections that
/// are never accepted, until a connect attempt hangs; returns them (dropping them unjams).
async fn jam(addr: SocketAddr) -> io::Result<Vec<TcpStream>> {
    let mut plugs = Vec::new();
    for _ in 0..32 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(plug)) => plugs.push(plug),
            Ok(Err(e)) => return Err(e),
            // A connect that hangs: the queue is full.
            Err(_) => return Ok(plugs),
        }
    }
    Err(io::Error::other("the accept queue never filled"))
}

/// One request the server read.
#[derive(Clone)]
pub struct Seen {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/api/contact/4`.
    pub target: String,
    /// Its headers, as sent.
    pub headers: Vec<(String, String)>,
    /// When its head and body had been read.
    pub at: Instant,
    /// The same moment on the wall clock (to compare with an HTTP date).
    pub wall: SystemTime,
}

impl Seen {
    /// The value of header `name`, if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Debug for Seen {
    /// The request line only: the headers hold the API key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.target)
    }
}

/// What the accept loop and the connections share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) upstream: Option<SocketAddr>,
    script: Mutex<VecDeque<Fault>>,
    then: Fault,
    seen: Mutex<Vec<Seen>>,
    pub(crate) bytes_written: AtomicU64,
    connections: AtomicU64,
    jitter: Option<(Duration, Mutex<fastrand::Rng>)>,
}

impl Shared {
    /// The random pause before a forwarded answer, when the server was given one.
    pub(crate) async fn pause(&self) {
        if let Some((max, rng)) = &self.jitter {
            let micros = rng.lock().unwrap().u64(0..=max.as_micros() as u64);
            tokio::time::sleep(Duration::from_micros(micros)).await;
        }
    }
}

/// Configures a [`FaultServer`].
#[derive(Debug)]
pub struct FaultServerBuilder {
    upstream: Option<SocketAddr>,
    script: Vec<Fault>,
    then: Fault,
    listen: Listen,
    jitter: Option<(Duration, u64)>,
}

/// A scripted HTTP/1.1 server on 127.0.0.1; it stops when dropped.
#[derive(Debug)]
pub struct FaultServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// A server forwarding to `upstream` (e.g. a sandbox's `addr()`).
    pub fn forwarding_to(upstream: SocketAddr) -> FaultServerBuilder {
        FaultServerBuilder {
            upstream: Some(upstream),
            ..FaultServer::standalone()
        }
    }

    /// A server with no upstream: only canned answers (a forward answers 502).
    pub fn standalone() -> FaultServerBuilder {
        FaultServerBuilder {
            upstream: None,
            script: Vec::new(),
            then: Fault::Forward,
            listen: Listen::Now,
            jitter: None,
        }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL on this server, `http://127.0.0.1:PORT/api`.
    pub fn endpoint(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// Every request read so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// How many requests were read.
    pub fn requests(&self) -> usize {
        self.shared.seen.lock().unwrap().len()
    }

    /// How many requests of `method` were read.
    pub fn count(&self, method: &str) -> usize {
        self.shared
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method)
            .count()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// How many bytes of answers were written.
    pub fn bytes_written(&self) -> u64 {
        self.shared.bytes_written.load(Ordering::Relaxed)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        // The connections live in the accept task's JoinSet: they go with it.
        self.task.abort();
    }
}

impl FaultServerBuilder {
    /// Behaviours for the first requests, one each, in order.
    pub fn script(mut self, faults: impl IntoIterator<Item = Fault>) -> Self {
        self.script = faults.into_iter().collect();
        self
    }

    /// The behaviour for every request after the script (default [`Fault::Forward`]).
    pub fn then(mut self, fault: Fault) -> Self {
        self.then = fault;
        self
    }

    /// When to start listening (default [`Listen::Now`]).
    pub fn listen(mut self, listen: Listen) -> Self {
        self.listen = listen;
        self
    }

    /// A random pause of up to `max` before each forwarded answer, drawn from an RNG seeded
    /// with `seed`.
    pub fn jitter(mut self, max: Duration, seed: u64) -> Self {
        self.jitter = Some((max, seed));
        self
    }

    /// Binds a free loopback port and starts serving (or not yet: see [`Listen`]).
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start(self) -> io::Result<FaultServer> {
        let socket = TcpSocket::new_v4()?;
        socket.set_reuseaddr(true)?;
        socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let addr = socket.local_addr()?;
        let shared = Arc::new(Shared {
            upstream: self.upstream,
            script: Mutex::new(self.script.into()),
            then: self.then,
            seen: Mutex::new(Vec::new()),
            bytes_written: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            jitter: self
                .jitter
                .map(|(max, seed)| (max, Mutex::new(fastrand::Rng::with_seed(seed)))),
        });
        // Listening at once (or jamming) happens here, so the server is ready when `start`
        // returns.
        let listen = self.listen;
        let (socket, ready, plugs) = match listen {
            Listen::Now => (None, Some(socket.listen(256)?), Vec::new()),
            Listen::Jammed | Listen::JammedFor(_) => {
                let listener = socket.listen(1)?;
                (None, Some(listener), jam(addr).await?)
            }
            Listen::After(_) | Listen::Never => (Some(socket), None, Vec::new()),
        };
        let task = tokio::spawn({
            let shared = shared.clone();
            async move {
                let listener = match (ready, socket, listen) {
                    (Some(_listener), _, Listen::Jammed) => {
                        let _plugs = plugs;
                        return std::future::pending().await;
                    }
                    (Some(listener), _, Listen::JammedFor(delay)) => {
                        tokio::time::sleep(delay).await;
                        drop(plugs);
                        listener
                    }
                    (Some(listener), _, _) => listener,
                    (None, Some(socket), Listen::After(delay)) => {
                        tokio::time::sleep(delay).await;
                        match socket.listen(256) {
                            Ok(listener) => listener,
                            Err(_) => return,
                        }
                    }
                    // A bound socket that never listens: every connect is refused.
                    (None, socket, _) => {
                        let _reserved = socket;
                        return std::future::pending().await;
                    }
                };
                accept_loop(listener, shared).await;
            }
        });
        Ok(FaultServer { addr, shared, task })
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors, say: breathe, do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                shared.connections.fetch_add(1, Ordering::Relaxed);
                connections.spawn(serve(Conn::new(stream), shared.clone()));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Serves the requests of one connection until a fault closes it or the client leaves.
async fn serve(mut conn: Conn, shared: Arc<Shared>) {
    while let Ok(Some(request)) = conn.read_request().await {
        shared.seen.lock().unwrap().push(Seen {
            method: request.method.clone(),
            target: request.target.clone(),
            headers: request.headers.clone(),
            at: Instant::now(),
            wall: SystemTime::now(),
        });
        let fault = shared
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| shared.then.clone());
        match fault.play(&mut conn, &request, &shared).await {
            Ok(Next::KeepOpen) if !request.wants_close() => {}
            _ => return,
        }
    }
}
