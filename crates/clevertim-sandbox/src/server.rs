//! The server: shared state, the accept loop, and the [`Sandbox`]/[`SandboxBuilder`] API.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Mutex};

use crate::error::{ApiError, SandboxError};
use crate::store::Store;
use crate::{persist, seed, DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY};

/// The default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// How long a graceful shutdown waits for requests in flight.
const GRACE: Duration = Duration::from_secs(5);

/// Counters shared by the server and its [`Sandbox`] handle.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) connections: AtomicU64,
    pub(crate) requests: AtomicU64,
}

/// Where and how far the store has been saved.
#[derive(Debug)]
struct Saved {
    path: PathBuf,
    generation: u64,
}

/// Everything a request handler needs.
#[derive(Debug)]
pub(crate) struct State {
    store: RwLock<Store>,
    pub(crate) prefix: String,
    pub(crate) body_limit: usize,
    pub(crate) stats: Arc<Stats>,
    generation: AtomicU64,
    saved: Option<Mutex<Saved>>,
}

impl State {
    fn new(store: Store, prefix: String, body_limit: usize, saved: Option<PathBuf>) -> Self {
        State {
            store: RwLock::new(store),
            prefix,
            body_limit,
            stats: Arc::new(Stats::default()),
            generation: AtomicU64::new(0),
            saved: saved.map(|path| {
                Mutex::new(Saved {
                    path,
                    generation: 0,
                })
            }),
        }
    }

    /// A copy of the state with its own copy of the store, counters reset, and no
    /// persistence.
    pub(crate) fn fork(&self) -> Self {
        State::new(
            self.read().clone(),
            self.prefix.clone(),
            self.body_limit,
            None,
        )
    }

    /// A read view of the store.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs a mutation; when persistence is on, the change is on disk before this returns.
    pub(crate) async fn write<T>(
        &self,
        op: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let (out, snapshot) = {
            let mut store = self
                .store
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let out = op(&mut store)?;
            let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
            let snapshot = self
                .saved
                .as_ref()
                .map(|_| (generation, serde_json::to_vec(&persist::snapshot(&store))));
            (out, snapshot)
        };
        if let (Some(saved), Some((generation, bytes))) = (&self.saved, snapshot) {
            let bytes =
                bytes.map_err(|e| ApiError::new(500, format!("Could not encode the data: {e}")))?;
            let mut saved = saved.lock().await;
            if saved.generation < generation {
                let path = saved.path.clone();
                tokio::task::spawn_blocking(move || persist::write_atomic(&path, &bytes))
                    .await
                    .map_err(|e| ApiError::new(500, format!("Could not save the data: {e}")))?
                    .map_err(|e| ApiError::new(500, format!("Could not save the data: {e}")))?;
                saved.generation = generation;
            }
        }
        Ok(out)
    }
}

/// Configures and starts a [`Sandbox`].
///
/// ```no_run
/// # async fn demo() -> Result<(), clevertim_sandbox::SandboxError> {
/// let sandbox = clevertim_sandbox::Sandbox::builder().empty(true).start().await?;
/// println!("{}", sandbox.endpoint());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SandboxBuilder {
    empty: bool,
    seeds: Vec<Value>,
    data: Option<PathBuf>,
    prefix: String,
    api_key: Option<String>,
    host: IpAddr,
    port: u16,
    body_limit: usize,
}

impl std::fmt::Debug for SandboxBuilder {
    /// Never shows the API key or the seed data (which may hold keys).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("empty", &self.empty)
            .field("seeds", &self.seeds.len())
            .field("data", &self.data)
            .field("prefix", &self.prefix)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            empty: false,
            seeds: Vec::new(),
            data: None,
            prefix: "/api".into(),
            api_key: None,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl SandboxBuilder {
    /// Starts without the demo CRM data (users, groups and custom fields stay).
    #[must_use]
    pub fn empty(mut self, yes: bool) -> Self {
        self.empty = yes;
        self
    }

    /// Preloads objects: `{"contact": [...], "user": [{"id": 9, "user": "Al", "key": "..."}], ...}`.
    /// May be called several times. Ignored when a data file already exists.
    #[must_use]
    pub fn seed_json(mut self, v: Value) -> Self {
        self.seeds.push(v);
        self
    }

    /// Keeps the data in this directory (or `.json` file) across restarts.
    #[must_use]
    pub fn data_dir(mut self, p: impl Into<PathBuf>) -> Self {
        self.data = Some(p.into());
        self
    }

    /// The path prefix of every resource (default `/api`; `""` for none).
    #[must_use]
    pub fn prefix(mut self, p: impl Into<String>) -> Self {
        self.prefix = p.into();
        self
    }

    /// The owner's (read-write) API key, instead of [`DEFAULT_API_KEY`](crate::DEFAULT_API_KEY).
    #[must_use]
    pub fn api_key(mut self, k: impl Into<String>) -> Self {
        self.api_key = Some(k.into());
        self
    }

    /// The address to listen on (default 127.0.0.1), e.g. `Ipv4Addr::LOCALHOST` or `[0, 0, 0, 0]`.
    #[must_use]
    pub fn host(mut self, host: impl Into<IpAddr>) -> Self {
        self.host = host.into();
        self
    }

    /// The port to listen on (default 0: a free port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The largest request body accepted (default 1 MiB); larger ones get 413.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Starts the server on the current tokio runtime.
    pub async fn start(self) -> Result<Sandbox, SandboxError> {
        let ready = self.prepare()?;
        let listener =
            TcpListener::from_std(ready.listener).map_err(|source| SandboxError::Bind {
                addr: ready.addr.to_string(),
                source,
            })?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let (done_tx, done_rx) = oneshot::channel();
        tokio::spawn(serve(listener, ready.state, stop_rx, done_tx));
        Ok(Sandbox {
            info: ready.info,
            stop: Some(stop_tx),
            done: Some(done_rx),
            thread: None,
        })
    }

    /// Starts the server on its own thread with its own runtime. Usable from plain
    /// synchronous code and from inside a tokio runtime alike.
    pub fn spawn(self) -> Result<Sandbox, SandboxError> {
        let ready = self.prepare()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("clevertim-sandbox")
            .enable_all()
            .build()
            .map_err(SandboxError::Runtime)?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let (done_tx, done_rx) = oneshot::channel();
        let (up_tx, up_rx) = std::sync::mpsc::channel();
        let addr = ready.addr;
        let state = ready.state;
        let std_listener = ready.listener;
        let thread = std::thread::Builder::new()
            .name("clevertim-sandbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(std_listener) {
                        Ok(l) => l,
                        Err(source) => {
                            let _ = up_tx.send(Err(SandboxError::Bind {
                                addr: addr.to_string(),
                                source,
                            }));
                            return;
                        }
                    };
                    let _ = up_tx.send(Ok(()));
                    serve(listener, state, stop_rx, done_tx).await;
                });
                runtime.shutdown_timeout(GRACE);
            })
            .map_err(SandboxError::Runtime)?;
        up_rx.recv().map_err(|_| SandboxError::ThreadDied)??;
        Ok(Sandbox {
            info: ready.info,
            stop: Some(stop_tx),
            done: Some(done_rx),
            thread: Some(thread),
        })
    }

    /// Builds the store and binds the socket: everything that can fail before serving.
    fn prepare(self) -> Result<Ready, SandboxError> {
        let host = self.host;
        let port = self.port;
        let (state, info) = self.build_state(true)?;
        let want = SocketAddr::new(host, port);
        let bind_err = |source| SandboxError::Bind {
            addr: want.to_string(),
            source,
        };
        let listener = std::net::TcpListener::bind(want).map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let addr = listener.local_addr().map_err(bind_err)?;
        Ok(Ready {
            info: Info { addr, ..info }.with_stats(state.stats.clone()),
            addr,
            listener,
            state,
        })
    }

    /// Builds the store and the state a handler needs, without any socket. With `persist`
    /// false, a data file is neither read nor written.
    pub(crate) fn build_state(self, persist: bool) -> Result<(Arc<State>, Info), SandboxError> {
        let saved_path = match &self.data {
            Some(p) if persist => Some(persist::resolve(p)),
            _ => None,
        };
        let loaded = match &saved_path {
            Some(p) => persist::load(p)?,
            None => None,
        };
        let fresh = loaded.is_none();
        let mut store = match loaded {
            Some(s) => s,
            None => {
                let mut s = Store::default();
                seed::base(&mut s)?;
                if !self.empty {
                    seed::demo(&mut s)?;
                }
                for v in &self.seeds {
                    seed::apply(&mut s, v)?;
                }
                s
            }
        };
        let owner = owner_id(&store);
        if let Some(key) = self.api_key {
            let taken = store.user_for_key(&key).is_some_and(|u| u != owner);
            if !seed::is_valid_key(&key) || taken {
                return Err(SandboxError::InvalidApiKey);
            }
            store.set_key(owner, key);
        }
        if let Some(p) = &saved_path {
            if fresh || store.key_of(owner).is_some() {
                let bytes = serde_json::to_vec(&persist::snapshot(&store)).map_err(|e| {
                    SandboxError::Corrupt {
                        path: p.clone(),
                        reason: e.to_string(),
                    }
                })?;
                persist::write_atomic(p, &bytes)?;
            }
        }
        let info = Info {
            addr: SocketAddr::new(self.host, 0),
            prefix: normalize_prefix(&self.prefix),
            api_key: key_or(&store, owner, DEFAULT_API_KEY),
            admin_key: key_or(&store, seed::ADMIN_ID, DEFAULT_ADMIN_API_KEY),
            readonly_key: key_or(&store, seed::READONLY_ID, DEFAULT_READONLY_API_KEY),
        };
        let state = Arc::new(State::new(
            store,
            info.prefix.clone(),
            self.body_limit,
            saved_path,
        ));
        Ok((state, info))
    }
}

fn owner_id(store: &Store) -> u64 {
    store
        .table("user")
        .find(|u| u.get("is_owner").and_then(Value::as_bool) == Some(true))
        .and_then(|u| u.get("id").and_then(Value::as_u64))
        .unwrap_or(seed::OWNER_ID)
}

fn key_or(store: &Store, uid: u64, default: &str) -> String {
    store.key_of(uid).unwrap_or(default).to_owned()
}

fn normalize_prefix(p: &str) -> String {
    let trimmed = p.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

struct Ready {
    info: InfoWithStats,
    addr: SocketAddr,
    listener: std::net::TcpListener,
    state: Arc<State>,
}

#[derive(Clone)]
pub(crate) struct Info {
    addr: SocketAddr,
    pub(crate) prefix: String,
    pub(crate) api_key: String,
    pub(crate) admin_key: String,
    pub(crate) readonly_key: String,
}

impl Info {
    fn with_stats(self, stats: Arc<Stats>) -> InfoWithStats {
        InfoWithStats { info: self, stats }
    }
}

struct InfoWithStats {
    info: Info,
    stats: Arc<Stats>,
}

/// Accepts connections until told to stop, then shuts down gracefully.
async fn serve(
    listener: TcpListener,
    state: Arc<State>,
    mut stop: oneshot::Receiver<()>,
    done: oneshot::Sender<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(true).timer(TokioTimer::new());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    if let Err(e) = tcp.set_nodelay(true) {
                        tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
                    }
                    state.stats.connections.fetch_add(1, Ordering::Relaxed);
                    let st = state.clone();
                    let svc = service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, std::convert::Infallible>(crate::handlers::handle(st, req).await) }
                    });
                    let conn = graceful.watch(http.serve_connection(TokioIo::new(tcp), svc));
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!(%peer, error = %e, "connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    // E.g. too many open files: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::debug!("all connections closed"),
        () = tokio::time::sleep(GRACE) => tracing::warn!("graceful shutdown timed out"),
    }
    let _ = done.send(());
}

/// A running sandbox server. Dropping it stops the server gracefully.
pub struct Sandbox {
    info: InfoWithStats,
    stop: Option<oneshot::Sender<()>>,
    done: Option<oneshot::Receiver<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    /// Shows the endpoint and counters, never the API keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("endpoint", &self.endpoint())
            .field("connections_accepted", &self.connections_accepted())
            .field("requests_served", &self.requests_served())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A builder with the defaults: demo data, prefix `/api`, 127.0.0.1, a free port.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// Starts a sandbox with the defaults on the current tokio runtime.
    pub async fn start() -> Result<Sandbox, SandboxError> {
        Self::builder().start().await
    }

    /// The base URL of the API, e.g. `http://127.0.0.1:PORT/api`.
    pub fn endpoint(&self) -> String {
        let addr = self.info.info.addr;
        let host = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{}{}", addr.port(), self.info.info.prefix)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.info.info.addr
    }

    /// The owner's (read-write) API key.
    pub fn api_key(&self) -> &str {
        &self.info.info.api_key
    }

    /// The admin user's API key.
    pub fn admin_api_key(&self) -> &str {
        &self.info.info.admin_key
    }

    /// The read-only user's API key.
    pub fn readonly_api_key(&self) -> &str {
        &self.info.info.readonly_key
    }

    /// TCP connections accepted so far.
    pub fn connections_accepted(&self) -> u64 {
        self.info.stats.connections.load(Ordering::Relaxed)
    }

    /// Requests answered so far.
    pub fn requests_served(&self) -> u64 {
        self.info.stats.requests.load(Ordering::Relaxed)
    }

    /// Stops the server and waits until open connections are closed (at most a few seconds).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.await;
        }
    }

    /// Stops the server without waiting when it runs on the caller's runtime; waits for
    /// its thread when it was started with [`SandboxBuilder::spawn`].
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop_now();
    }
}
