//! The connections of the transport's default mode: HTTP/1.1 connections driven inside the
//! requests' own futures ([`Http1`]), idle ones kept per host; HTTP/2 where the server picks
//! it by ALPN.
//!
//! HTTP/2 multiplexes many requests on one connection, so its state machine must run on its
//! own: hyper spawns it on the runtime, and one shared handle per host sends.
//!
//! Which of the two a server speaks is known only after the first TLS handshake with it. So
//! while the first connection to an `https` host is being made, the requests that find no
//! connection wait for it instead of each opening its own: on an HTTP/2 server they all share
//! it (a cold `load_many` opens one connection, not one per request in flight); on an
//! HTTP/1.1 server they go on to open theirs.

use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{BodyLimit, TransportError, TransportErrorKind};
use http::uri::{Authority, Scheme};
use http_body_util::Full;
use hyper_util::client::legacy::connect::Connection as _;
use tokio::sync::Notify;
use tower::Service as _;

use crate::connect::Timed;
use crate::http1::{Failure, Http1};
use crate::http2::{Http2, KeepAlive};
use crate::{DefaultConnector, error};

/// How often, at most, a host's idle HTTP/1.1 connections are all checked for a close by the
/// server (see [`Pool::sweep`]).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Where a connection goes: requests to the same scheme and authority share connections.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    scheme: Scheme,
    authority: Authority,
}

impl Key {
    fn of(uri: &http::Uri) -> Result<Key, TransportError> {
        match (uri.scheme(), uri.authority()) {
            (Some(scheme), Some(authority)) => Ok(Key {
                scheme: scheme.clone(),
                authority: authority.clone(),
            }),
            _ => Err(TransportError::new(
                TransportErrorKind::Other,
                format!("not an absolute URL: {uri}"),
            )),
        }
    }
}

/// A host's connections.
struct Host {
    key: Key,
    /// Idle HTTP/1.1 connections, the most recently used last.
    idle: Vec<Http1>,
    /// The HTTP/2 connection, if the server chose HTTP/2.
    http2: Option<Http2>,
    /// What the server chose the last time a connection was made, if one was.
    speaks: Option<Speaks>,
    /// The first connection being made to an `https` host whose choice is not known yet:
    /// told when it is done, however it ended.
    probing: Option<Arc<Notify>>,
    /// The last probe failed to connect.
    probe_failed: bool,
    /// When the idle connections were last all checked.
    swept: Instant,
}

/// The protocol a server chose by ALPN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaks {
    Http1,
    Http2,
}

/// What a request that found no connection does.
enum Next<'a> {
    /// Opens one, perhaps as the host's probe.
    Connect(Option<Probe<'a>>),
    /// Waits for the probe under way, then looks again.
    Wait(Arc<Notify>),
}

/// The right to make the first connection to a host; dropping it (the connection made, failed
/// or abandoned) lets the waiting requests look again.
struct Probe<'a> {
    pool: &'a Pool,
    key: Key,
    done: Arc<Notify>,
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        host_of(&mut self.pool.hosts(), &self.key).probing = None;
        self.done.notify_waiters();
    }
}

/// A connection to send one request on.
enum Route {
    Http1(Http1),
    Http2(Http2),
}

/// The connections of one transport.
pub(crate) struct Pool {
    connector: Timed<DefaultConnector>,
    keep_alive: KeepAlive,
    /// How long a request waits for a host's probe before it connects on its own: the
    /// connect timeout, which a probe that is only slow has then used up.
    probe_wait: Duration,
    idle_timeout: Duration,
    max_idle_per_host: usize,
    /// A list, not a map: a transport talks to one host or a few, and comparing a key costs
    /// less than hashing one (`Authority` hashes byte by byte, lowercased).
    hosts: Mutex<Vec<Host>>,
}

impl Pool {
    pub(crate) fn new(
        connector: DefaultConnector,
        connect_timeout: Duration,
        idle_timeout: Duration,
        max_idle_per_host: usize,
        keep_alive: KeepAlive,
    ) -> Pool {
        Pool {
            connector: Timed::new(connector, connect_timeout),
            keep_alive,
            probe_wait: connect_timeout,
            idle_timeout,
            max_idle_per_host,
            hosts: Mutex::default(),
        }
    }

    fn hosts(&self) -> MutexGuard<'_, Vec<Host>> {
        // The map stays consistent whatever panicked while holding it: entries are only
        // pushed and popped whole.
        self.hosts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends `request` on an idle connection to its host, or on a new one, and reads the
    /// answer within `limit`.
    pub(crate) async fn send(
        &self,
        request: http::Request<Bytes>,
        limit: BodyLimit,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let key = Key::of(request.uri())?;
        let mut request = request.map(Full::new);
        // A connection that closed before taking the request gives it back unsent: an idle
        // one is followed by the next, then by a new one; a new one that never took it is a
        // `Connect` error, which the session retries whatever the verb.
        let mut fresh = false;
        loop {
            let route = match self.checkout(&key) {
                Some(route) => route,
                // Boxed, as the HTTP/2 path: the connect step's futures (DNS, TCP, TLS) and
                // the wait for a probe would otherwise be part of every request's future,
                // moved by each `Box::pin` of it.
                None => {
                    fresh = true;
                    Box::pin(self.connect_or_share(&key, request.uri())).await?
                }
            };
            let failure = match route {
                Route::Http2(conn) => match Box::pin(conn.send(request, limit)).await {
                    Ok(response) => return Ok(response),
                    Err(failure) => {
                        self.forget_http2(&key, &conn);
                        failure
                    }
                },
                Route::Http1(mut conn) => match conn.send(request, limit).await {
                    Ok(response) => {
                        self.checkin(&key, conn);
                        return Ok(response);
                    }
                    Err(failure) => failure,
                },
            };
            match failure {
                Failure::Unsent(unsent, e) if !fresh => {
                    tracing::debug!(error = %e, "a kept connection closed before taking the request");
                    request = *unsent;
                }
                failure => return Err(failure.into_error()),
            }
        }
    }

    /// A live connection to `key`: the HTTP/2 one, or the most recently used idle HTTP/1.1
    /// one that has not expired and that the server has not closed.
    ///
    /// The socket checks (a poll of the state machine, a peek) and the closing of expired
    /// connections happen after the pool's lock is released: a request to another host never
    /// waits for them.
    fn checkout(&self, key: &Key) -> Option<Route> {
        loop {
            let (candidate, expired) = {
                let mut hosts = self.hosts();
                let host = hosts.iter_mut().find(|h| h.key == *key)?;
                if let Some(conn) = &host.http2 {
                    if !conn.is_closed() {
                        return Some(Route::Http2(conn.clone()));
                    }
                    host.http2 = None;
                }
                let expired = self.take_expired(&mut host.idle);
                (host.idle.pop(), expired)
            };
            drop(expired);
            let mut conn = candidate?;
            if conn.is_reusable() {
                return Some(Route::Http1(conn));
            }
        }
    }

    /// Takes the connections of `idle` (the oldest first) that have outlived the idle
    /// timeout, or the server's `Keep-Alive: timeout`, to be dropped outside the lock.
    fn take_expired(&self, idle: &mut Vec<Http1>) -> Vec<Http1> {
        let live = |conn: &Http1| {
            conn.idle_since.elapsed()
                <= conn
                    .keep_for
                    .unwrap_or(self.idle_timeout)
                    .min(self.idle_timeout)
        };
        if idle.iter().all(live) {
            return Vec::new();
        }
        let (kept, expired) = std::mem::take(idle).into_iter().partition(live);
        *idle = kept;
        expired
    }

    /// Keeps `conn` for the next request to `key`, if it is still open and the host has
    /// room for another idle connection; at most every [`SWEEP_EVERY`], checks the host's
    /// other idle connections too.
    fn checkin(&self, key: &Key, conn: Http1) {
        if !conn.is_open() {
            return;
        }
        let (refused, sweep) = {
            let mut hosts = self.hosts();
            let host = host_of(&mut hosts, key);
            let refused = if host.idle.len() < self.max_idle_per_host {
                host.idle.push(conn);
                None
            } else {
                Some(conn)
            };
            (refused, self.take_sweep(host))
        };
        drop(refused);
        self.sweep(key, sweep);
    }

    /// The idle connections of `host` to check, if its last sweep was [`SWEEP_EVERY`] ago:
    /// those idle for a while, not the few just used (they are checked when taken anyway).
    fn take_sweep(&self, host: &mut Host) -> Vec<Http1> {
        if host.swept.elapsed() < SWEEP_EVERY {
            return Vec::new();
        }
        host.swept = Instant::now();
        let mut expired = self.take_expired(&mut host.idle);
        let (quiet, recent) = std::mem::take(&mut host.idle)
            .into_iter()
            .partition(|conn| conn.idle_since.elapsed() >= SWEEP_EVERY);
        host.idle = recent;
        expired.extend(quiet);
        expired
    }

    /// Checks `conns`, outside the lock, and puts back those still usable: the connections
    /// the server closed while idle are closed here (none stays in `CLOSE_WAIT` while
    /// requests keep coming on the others), and the expired ones are dropped with them.
    fn sweep(&self, key: &Key, conns: Vec<Http1>) {
        if conns.is_empty() {
            return;
        }
        let live: Vec<Http1> = conns
            .into_iter()
            .filter_map(|mut conn| {
                let alive = conn.idle_since.elapsed()
                    <= conn
                        .keep_for
                        .unwrap_or(self.idle_timeout)
                        .min(self.idle_timeout)
                    && conn.is_reusable();
                alive.then_some(conn)
            })
            .collect();
        if live.is_empty() {
            return;
        }
        let refused = {
            let mut hosts = self.hosts();
            let host = host_of(&mut hosts, key);
            // Oldest first, as they were.
            let room = self.max_idle_per_host.saturating_sub(host.idle.len());
            let mut live = live;
            let refused = live.split_off(room.min(live.len()));
            host.idle.splice(0..0, live);
            refused
        };
        drop(refused);
    }

    /// Every host's idle connections checked now, whatever the time of the last sweep: for
    /// the transport's reaper, which runs while no request comes.
    pub(crate) fn reap(&self) {
        let keys: Vec<Key> = self.hosts().iter().map(|h| h.key.clone()).collect();
        for key in keys {
            let conns = {
                let mut hosts = self.hosts();
                let host = host_of(&mut hosts, &key);
                // As if the last sweep were due (no overflow right after boot).
                host.swept = Instant::now()
                    .checked_sub(SWEEP_EVERY)
                    .unwrap_or(host.swept);
                self.take_sweep(host)
            };
            self.sweep(&key, conns);
        }
    }

    /// Forgets `conn` as `key`'s HTTP/2 connection, after a failure on it.
    fn forget_http2(&self, key: &Key, conn: &Http2) {
        let forgotten = {
            let mut hosts = self.hosts();
            let host = host_of(&mut hosts, key);
            if host
                .http2
                .as_ref()
                .is_some_and(|kept| kept.same_as(conn) && kept.is_closed())
            {
                host.http2.take()
            } else {
                None
            }
        };
        drop(forgotten);
    }

    /// A connection for a request that found none: the host's HTTP/2 connection once the
    /// probe under way has made one, else a new connection.
    ///
    /// After a probe that failed, found HTTP/1.1, or is still connecting after the connect
    /// timeout, each waiting request opens its own connection at once: they do not take turns
    /// as probes (against a server that is down, each gets its own connect error without
    /// waiting for the others'). After a probe abandoned by its request, they look again.
    async fn connect_or_share(&self, key: &Key, uri: &http::Uri) -> Result<Route, TransportError> {
        loop {
            match self.next(key) {
                Next::Wait(done) => {
                    let notified = done.notified();
                    // The probe may have ended between `next` and `notified`.
                    let ended = !self.is_probing(key, &done)
                        || tokio::time::timeout(self.probe_wait, notified)
                            .await
                            .is_ok();
                    if let Some(route) = self.checkout(key) {
                        return Ok(route);
                    }
                    if !ended || self.probe_failed(key) {
                        return self.connect(key, uri).await;
                    }
                }
                Next::Connect(probe) => {
                    let route = self.connect(key, uri).await;
                    if probe.is_some() {
                        host_of(&mut self.hosts(), key).probe_failed = route.is_err();
                    }
                    drop(probe);
                    return route;
                }
            }
        }
    }

    /// What a request to `key` that found no connection does: an `https` host whose protocol
    /// is not known gets one probe at a time.
    fn next(&self, key: &Key) -> Next<'_> {
        let mut hosts = self.hosts();
        let host = host_of(&mut hosts, key);
        if key.scheme != Scheme::HTTPS || host.speaks == Some(Speaks::Http1) {
            return Next::Connect(None);
        }
        if let Some(done) = &host.probing {
            return Next::Wait(Arc::clone(done));
        }
        let done = Arc::new(Notify::new());
        host.probing = Some(Arc::clone(&done));
        host.probe_failed = false;
        Next::Connect(Some(Probe {
            pool: self,
            key: key.clone(),
            done,
        }))
    }

    /// Whether the last probe of `key`'s host failed to connect.
    fn probe_failed(&self, key: &Key) -> bool {
        host_of(&mut self.hosts(), key).probe_failed
    }

    /// Whether `done` is still the probe of `key`'s host.
    fn is_probing(&self, key: &Key, done: &Arc<Notify>) -> bool {
        host_of(&mut self.hosts(), key)
            .probing
            .as_ref()
            .is_some_and(|probing| Arc::ptr_eq(probing, done))
    }

    /// A new connection to `key`, TLS included for `https`, within the connect timeout;
    /// HTTP/2 if the server chose it.
    async fn connect(&self, key: &Key, uri: &http::Uri) -> Result<Route, TransportError> {
        let mut connector = self.connector.clone();
        poll_fn(|cx| connector.poll_ready(cx))
            .await
            .map_err(error::connect_error)?;
        let io = connector
            .call(uri.clone())
            .await
            .map_err(error::connect_error)?;
        if !io.connected().is_negotiated_h2() {
            host_of(&mut self.hosts(), key).speaks = Some(Speaks::Http1);
            return Ok(Route::Http1(Http1::handshake(io).await?));
        }
        let conn = Http2::handshake(io, self.idle_timeout, self.keep_alive).await?;
        let replaced = {
            let mut hosts = self.hosts();
            let host = host_of(&mut hosts, key);
            host.speaks = Some(Speaks::Http2);
            host.http2.replace(conn.clone())
        };
        drop(replaced);
        Ok(Route::Http2(conn))
    }
}

/// The entry of `key` in `hosts`, added if missing.
fn host_of<'a>(hosts: &'a mut Vec<Host>, key: &Key) -> &'a mut Host {
    let at = match hosts.iter().position(|h| h.key == *key) {
        Some(at) => at,
        None => {
            hosts.push(Host {
                key: key.clone(),
                idle: Vec::new(),
                http2: None,
                speaks: None,
                probing: None,
                probe_failed: false,
                swept: Instant::now(),
            });
            hosts.len() - 1
        }
    };
    &mut hosts[at]
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
