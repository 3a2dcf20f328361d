//! [`SandboxBuilder`]: the settings, and everything that can fail before serving: the store
//! (from a data directory, or from the built-in and seed data), the socket, the runtime.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::accept::{GRACE, accept_loop};
use super::{Sandbox, State};
use crate::error::SandboxError;
use crate::persist::database::{Batch, Database};
use crate::persist::{self, DataFiles, snapshot};
use crate::store::Store;
use crate::{DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY, seed};

/// The default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

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
    ///
    /// # Errors
    ///
    /// The seed data is invalid ([`SandboxError::Seed`]); the data directory cannot be read,
    /// holds no sandbox data or is in use ([`SandboxError::Io`], [`SandboxError::Corrupt`],
    /// [`SandboxError::Database`], [`SandboxError::InUse`]); the API key is invalid
    /// ([`SandboxError::InvalidApiKey`]); the address cannot be bound ([`SandboxError::Bind`]).
    pub async fn start(self) -> Result<Sandbox, SandboxError> {
        let bound = self.bind()?;
        let listener =
            TcpListener::from_std(bound.listener).map_err(|source| SandboxError::Bind {
                addr: bound.access.addr.to_string(),
                source,
            })?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let (done_tx, done_rx) = oneshot::channel();
        tokio::spawn(accept_loop(
            listener,
            Arc::clone(&bound.state),
            stop_rx,
            done_tx,
        ));
        Ok(Sandbox {
            access: bound.access,
            state: bound.state,
            stop: Some(stop_tx),
            done: Some(done_rx),
            thread: None,
        })
    }

    /// Starts the server on its own thread with its own runtime. Usable from plain
    /// synchronous code and from inside a tokio runtime alike.
    ///
    /// # Errors
    ///
    /// As [`start`](SandboxBuilder::start); also, the runtime or its thread cannot be
    /// created ([`SandboxError::Runtime`], [`SandboxError::ThreadDied`]).
    pub fn spawn(self) -> Result<Sandbox, SandboxError> {
        let bound = self.bind()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("clevertim-sandbox")
            .enable_all()
            .build()
            .map_err(SandboxError::Runtime)?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let (done_tx, done_rx) = oneshot::channel();
        let (up_tx, up_rx) = std::sync::mpsc::channel();
        let addr = bound.access.addr;
        let state = Arc::clone(&bound.state);
        let std_listener = bound.listener;
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
                    accept_loop(listener, state, stop_rx, done_tx).await;
                });
                runtime.shutdown_timeout(GRACE);
            })
            .map_err(SandboxError::Runtime)?;
        up_rx.recv().map_err(|_| SandboxError::ThreadDied)??;
        Ok(Sandbox {
            access: bound.access,
            state: bound.state,
            stop: Some(stop_tx),
            done: Some(done_rx),
            thread: Some(thread),
        })
    }

    /// Builds the store and binds the socket: everything that can fail before serving.
    fn bind(self) -> Result<Bound, SandboxError> {
        let want = SocketAddr::new(self.host, self.port);
        let (state, access) = self.build_state(true)?;
        let bind_err = |source| SandboxError::Bind {
            addr: want.to_string(),
            source,
        };
        let listener = std::net::TcpListener::bind(want).map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let addr = listener.local_addr().map_err(bind_err)?;
        Ok(Bound {
            access: Access { addr, ..access },
            listener,
            state,
        })
    }

    /// Builds the store and the state a handler needs, without any socket. With `persist`
    /// false, a data directory is neither read nor written.
    pub(crate) fn build_state(self, persist: bool) -> Result<(Arc<State>, Access), SandboxError> {
        let files = self
            .data
            .as_deref()
            .filter(|_| persist)
            .map(persist::resolve);
        let (database, loaded) = match &files {
            Some(files) => open_data(files)?,
            None => (None, None),
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
        store.take_changes();
        let owner = owner_id(&store);
        let mut key_changed = false;
        if let Some(key) = self.api_key {
            let taken = store.user_for_key(&key).is_some_and(|u| u != owner);
            if !seed::is_valid_key(&key) || taken {
                return Err(SandboxError::InvalidApiKey);
            }
            key_changed = store.key_of(owner) != Some(key.as_str());
            store.set_key(owner, key);
        }
        if let Some(db) = &database {
            if fresh {
                db.save_all(&store)?;
            } else if key_changed {
                let keys = Batch::of(&store, &Default::default(), true).map_err(|e| {
                    SandboxError::Corrupt {
                        path: files
                            .as_ref()
                            .map(|f| f.database.clone())
                            .unwrap_or_default(),
                        reason: e.to_string(),
                    }
                })?;
                db.commit(&keys)?;
            }
        }
        let access = Access {
            addr: SocketAddr::new(self.host, 0),
            prefix: normalize_prefix(&self.prefix),
            api_key: key_or(&store, owner, DEFAULT_API_KEY),
            admin_key: key_or(&store, seed::ADMIN_ID, DEFAULT_ADMIN_API_KEY),
            readonly_key: key_or(&store, seed::READONLY_ID, DEFAULT_READONLY_API_KEY),
        };
        let state = Arc::new(State::new(
            store,
            access.prefix.clone(),
            self.body_limit,
            database,
        ));
        Ok((state, access))
    }
}

/// Opens the database of a data directory, with what it holds; a JSON snapshot of an
/// earlier version is moved into a new database once (and kept as `NAME.json.migrated`).
fn open_data(files: &DataFiles) -> Result<(Option<Database>, Option<Store>), SandboxError> {
    let (db, stored) = Database::open(&files.database)?;
    if stored.is_some() {
        return Ok((Some(db), stored));
    }
    let Some(store) = snapshot::load(&files.snapshot)? else {
        return Ok((Some(db), None));
    };
    db.save_all(&store)?;
    let migrated = persist::migrated_name(&files.snapshot);
    std::fs::rename(&files.snapshot, &migrated).map_err(|source| SandboxError::Io {
        path: files.snapshot.clone(),
        source,
    })?;
    tracing::info!(from = %files.snapshot.display(), to = %files.database.display(), "moved the JSON snapshot into a database");
    Ok((Some(db), Some(store)))
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

/// The bound socket and the state, before serving.
struct Bound {
    access: Access,
    listener: std::net::TcpListener,
    state: Arc<State>,
}

/// What a client needs to reach a sandbox: its address, prefix and API keys.
#[derive(Clone)]
pub(crate) struct Access {
    pub(crate) addr: SocketAddr,
    pub(crate) prefix: String,
    pub(crate) api_key: String,
    pub(crate) admin_key: String,
    pub(crate) readonly_key: String,
}
