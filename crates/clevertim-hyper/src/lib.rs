//! A [`Transport`] over hyper 1: keep-alive HTTP/1.1 and HTTP/2, TLS by rustls with the
//! `aws-lc-rs` provider (post-quantum key exchange first) trusting the webpki roots and the
//! system's store ([`Roots`], plus the roots given to
//! [`add_root_certificate`](HyperTransportBuilder::add_root_certificate)), forward proxies
//! from the environment or [`proxy`](HyperTransportBuilder::proxy), and timeouts on
//! connect and on the whole request so that nothing hangs forever.
//!
//! The transport only sends: retries, authentication and envelope decoding are the core's.
//! Its futures need a tokio runtime.
//!
//! # Connections
//!
//! By default each HTTP/1.1 connection is driven inside the future of the request that uses
//! it (hyper's `client::conn::http1`), not by a task spawned on the runtime: under a plain
//! `#[tokio::main]` the caller sits on the `block_on` thread while spawned tasks run on the
//! workers, and every request would pay two cross-thread wake-ups (see `docs/PERFORMANCE.md`).
//! Idle connections are kept per host; before one is reused its socket is checked, so that
//! a connection the server closed while idle is replaced before a request (a `POST` that
//! could not be retried) is written into it, and about every second the idle ones are
//! checked anyway, so that none the server closed stays in `CLOSE_WAIT`. An idle connection
//! is closed after [`DEFAULT_POOL_IDLE_TIMEOUT`] (4 s, below common servers' keep-alive), or
//! sooner if the server's `Keep-Alive: timeout=N` says so. When the server picks HTTP/2 by
//! ALPN, its connection runs as a spawned task, shared by the requests to that host, closed
//! after the idle timeout, and PINGed ([`HyperTransportBuilder::http2_keep_alive`]) so that a
//! dead flow is noticed within seconds; a connection closed or going away is never handed
//! out. Since the
//! choice is known only after the first handshake, requests that find no connection to an
//! `https` host wait while its first connection is made, so that a burst to a cold HTTP/2
//! host opens one connection, not one per request.
//! [`HyperTransportBuilder::inline_http1`]`(false)` (or [`HyperTransport::from_client`])
//! uses hyper-util's pooled client instead, every connection a spawned task.
//!
//! # Errors
//!
//! Failures are classified as [`TransportErrorKind`] documents: a connect that fails or times
//! out (DNS, TCP and the TLS handshake share the connect timeout) is
//! [`Connect`](TransportErrorKind::Connect) (nothing was sent), and so is an HTTP/2 request
//! the server provably did not process (`REFUSED_STREAM`, above a `GOAWAY`'s last stream
//! id; one the connection never took is sent on another), a request sent but not
//! answered within the request timeout is [`Timeout`](TransportErrorKind::Timeout), a
//! connection that breaks afterwards is [`Io`](TransportErrorKind::Io), a rustls failure is
//! [`Tls`](TransportErrorKind::Tls); hyper's error is kept as the
//! [`source`](std::error::Error::source). An answer's body is read only up to the request's
//! [`BodyLimit`]: a larger declared `Content-Length` fails before reading, a longer body fails
//! as soon as it passes the limit, both with [`TooLarge`](TransportErrorKind::TooLarge).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use clevertim::Session;
//! use clevertim::transports::HyperTransport;
//!
//! let transport = HyperTransport::builder()
//!     .request_timeout(Duration::from_secs(10))
//!     .build()?;
//! let session = Session::builder("API_KEY").transport(transport).build()?;
//! # Ok(()) }
//! ```

mod body;
mod builder;
mod connect;
mod error;
mod http1;
mod http2;
mod pool;
mod proxy;
mod relay;
mod tls;
mod trust;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError, TransportErrorKind};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::Connect;

pub use builder::HyperTransportBuilder;
pub use proxy::{ProxyConnector, ProxyStream};
pub use trust::Roots;

/// The connector of the default transport: TCP with `TCP_NODELAY` (straight, or through a
/// forward proxy: [`ProxyConnector`]), wrapped in rustls.
///
/// It is the `C` of [`HyperTransport`] when you do not name one; name it to build your own
/// hyper-util client for [`HyperTransport::from_client`]:
///
/// ```
/// use bytes::Bytes;
/// use http_body_util::Full;
/// use hyper_util::client::legacy::connect::HttpConnector;
/// use hyper_util::client::legacy::Client;
/// use hyper_util::rt::TokioExecutor;
/// use clevertim_hyper::DefaultConnector;
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let mut http = HttpConnector::new();
/// http.enforce_http(false);
/// let connector: DefaultConnector = hyper_rustls::HttpsConnectorBuilder::new()
///     .with_provider_and_webpki_roots(rustls::crypto::aws_lc_rs::default_provider())?
///     .https_or_http()
///     .enable_http1()
///     .wrap_connector(clevertim_hyper::ProxyConnector::direct(http));
/// let client: Client<DefaultConnector, Full<Bytes>> =
///     Client::builder(TokioExecutor::new()).build(connector);
/// # Ok(()) }
/// ```
pub type DefaultConnector = hyper_rustls::HttpsConnector<ProxyConnector>;

/// What [`DefaultConnector`] connects: a TCP stream, with TLS for `https`.
type Io = hyper_rustls::MaybeHttpsStream<ProxyStream>;

/// The time allowed to open a connection, by default.
///
/// ```
/// assert_eq!(clevertim_hyper::DEFAULT_CONNECT_TIMEOUT.as_secs(), 10);
/// ```
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The time allowed for a whole request, answer included, by default.
///
/// ```
/// assert_eq!(clevertim_hyper::DEFAULT_REQUEST_TIMEOUT.as_secs(), 30);
/// ```
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an idle connection is kept, by default: below the keep-alive of common servers
/// (5 s for Apache httpd and Node.js, 60–75 s for load balancers and nginx), so that the
/// client, not the server, closes an idle connection. A server's `Keep-Alive: timeout=N`
/// shortens it for its connections.
///
/// ```
/// assert_eq!(clevertim_hyper::DEFAULT_POOL_IDLE_TIMEOUT.as_secs(), 4);
/// ```
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);
/// How often an HTTP/2 connection is PINGed, by default, idle or not.
///
/// ```
/// assert_eq!(clevertim_hyper::DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL.as_secs(), 10);
/// ```
pub const DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// How long an HTTP/2 PING may go unanswered before the connection is closed, by default.
///
/// ```
/// assert_eq!(clevertim_hyper::DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT.as_secs(), 5);
/// ```
pub const DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends requests over kept-alive hyper connections; see the [crate documentation](crate).
///
/// Cloning is cheap and the clones share the connections.
///
/// ```
/// use bytes::Bytes;
/// use clevertim::Transport as _;
/// use clevertim::transports::HyperTransport;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = HyperTransport::new()?;
/// // The session builds and sends requests; a transport can also be used on its own.
/// let request = http::Request::get("http://127.0.0.1:8080/api/contact/1").body(Bytes::new())?;
/// let response = transport.send(request).await?;
/// println!("{} ({} bytes)", response.status(), response.body().len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HyperTransport<C = DefaultConnector> {
    sender: Sender<C>,
    request_timeout: Duration,
    https_only: bool,
    /// What to add to a plain-http request that goes through a proxy.
    proxies: proxy::Proxies,
}

/// What sends: connections driven by the requests, or hyper-util's client (the builder's,
/// whose connect timeout covers TLS, or the application's own).
enum Sender<C> {
    Inline(Arc<pool::Pool>, Arc<std::sync::Once>),
    Built(Box<Client<connect::Timed<DefaultConnector>, Full<Bytes>>>),
    Pooled(Box<Client<C, Full<Bytes>>>),
}

impl<C: Clone> Clone for Sender<C> {
    fn clone(&self) -> Self {
        match self {
            Sender::Inline(pool, reaper) => Sender::Inline(Arc::clone(pool), Arc::clone(reaper)),
            Sender::Built(client) => Sender::Built(client.clone()),
            Sender::Pooled(client) => Sender::Pooled(client.clone()),
        }
    }
}

/// How often the reaper of a transport's idle HTTP/1.1 connections looks at them.
const REAP_EVERY: Duration = Duration::from_secs(1);

/// Closes, every [`REAP_EVERY`], the idle connections that expired or that their server
/// closed, while no request comes to do it; ends with the transport.
async fn reap(pool: std::sync::Weak<pool::Pool>) {
    loop {
        tokio::time::sleep(REAP_EVERY).await;
        match pool.upgrade() {
            Some(pool) => pool.reap(),
            None => return,
        }
    }
}

impl HyperTransport {
    /// A transport with the default settings.
    ///
    /// ```
    /// let transport = clevertim::transports::HyperTransport::new()?;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`HyperTransportBuilder::build`]: [`TransportErrorKind::Tls`] if rustls cannot be
    /// set up.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Configures a transport.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let transport = clevertim::transports::HyperTransport::builder()
    ///     .connect_timeout(Duration::from_secs(3))
    ///     .https_only(true)
    ///     .build()?;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

impl<C> HyperTransport<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    /// A transport over your own configured hyper-util client (its connector, pool and TLS
    /// settings), with `request_timeout` on every request. Its connections are tasks
    /// spawned on the runtime, as hyper-util runs them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use bytes::Bytes;
    /// use http_body_util::Full;
    /// use hyper_util::client::legacy::{connect::HttpConnector, Client};
    /// use hyper_util::rt::TokioExecutor;
    /// use clevertim::transports::HyperTransport;
    ///
    /// let client: Client<HttpConnector, Full<Bytes>> =
    ///     Client::builder(TokioExecutor::new()).build_http();
    /// let transport = HyperTransport::from_client(client, Duration::from_secs(5));
    /// ```
    pub fn from_client(client: Client<C, Full<Bytes>>, request_timeout: Duration) -> Self {
        HyperTransport {
            sender: Sender::Pooled(Box::new(client)),
            request_timeout,
            https_only: false,
            proxies: proxy::Proxies::off(),
        }
    }
}

impl<C> fmt::Debug for HyperTransport<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let connections = match self.sender {
            Sender::Inline(..) => "HTTP/1.1 driven by each request",
            Sender::Built(_) | Sender::Pooled(_) => "hyper-util's pooled client",
        };
        f.debug_struct("HyperTransport")
            .field("connections", &connections)
            .field("request_timeout", &self.request_timeout)
            .field("https_only", &self.https_only)
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl<C> Transport for HyperTransport<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    /// Sends `request` and reads the whole answer.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] whose kind says what failed (see the [crate documentation](crate));
    /// [`TransportErrorKind::Other`] outside a tokio runtime, or for a plain
    /// `http://` URL when the transport is [`https_only`](HyperTransportBuilder::https_only).
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            if tokio::runtime::Handle::try_current().is_err() {
                // Connections, timers and HTTP/2 tasks all need one; say so.
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    "the hyper transport must run inside a tokio runtime \
                     (use clevertim::blocking, or the isahc transport, elsewhere)",
                ));
            }
            if self.https_only && request.uri().scheme() != Some(&http::uri::Scheme::HTTPS) {
                // Refused here, before hyper-rustls refuses it inside the connect step: that
                // would read as a `Connect` error, which the session retries in vain.
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    "this transport sends only https:// requests",
                ));
            }
            // Read before `request` is consumed: it travels in the request's extensions.
            let limit = BodyLimit::of(&request);
            let mut request = request;
            let proxy = self.proxies.prepare(&mut request);
            let exchange = async {
                match &self.sender {
                    Sender::Inline(pool, reaper) => {
                        // Started by the first request: building a transport needs no runtime.
                        reaper.call_once(|| {
                            tokio::spawn(reap(Arc::downgrade(pool)));
                        });
                        pool.send(request, limit).await
                    }
                    Sender::Built(client) => {
                        let response = client
                            .request(request.map(Full::new))
                            .await
                            .map_err(error::classify)?;
                        body::read(response, limit).await
                    }
                    Sender::Pooled(client) => {
                        let response = client
                            .request(request.map(Full::new))
                            .await
                            .map_err(error::classify)?;
                        body::read(response, limit).await
                    }
                }
            };
            // The whole exchange, body included, gets one deadline: a server trickling bytes
            // cannot hold the caller forever.
            let response = tokio::time::timeout(self.request_timeout, exchange)
                .await
                .unwrap_or_else(|elapsed| {
                    Err(
                        TransportError::with_source(TransportErrorKind::Timeout, elapsed).context(
                            format!("no complete answer within {:?}", self.request_timeout),
                        ),
                    )
                })?;
            match proxy {
                // The proxy's answer, not the server's: the request never reached it.
                Some(proxy)
                    if response.status() == http::StatusCode::PROXY_AUTHENTICATION_REQUIRED =>
                {
                    Err(proxy::auth_required(&proxy))
                }
                _ => Ok(response),
            }
        })
    }
}
