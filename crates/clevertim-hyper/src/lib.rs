//! A [`Transport`] over hyper 1: hyper-util's pooled client (keep-alive, HTTP/1.1 and HTTP/2),
//! TLS by rustls with the `ring` provider and the webpki roots, and timeouts on connect and on
//! the whole request so that nothing hangs forever.
//!
//! The transport only sends: retries, authentication and envelope decoding are the core's.
//! Its futures need a tokio runtime.
//!
//! Failures are classified as [`TransportErrorKind`] documents: a connect that fails or times
//! out is [`Connect`](TransportErrorKind::Connect) (nothing was sent), a request sent but not
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
//! use clevertim_core::Session;
//! use clevertim_hyper::HyperTransport;
//!
//! let transport = HyperTransport::builder()
//!     .request_timeout(Duration::from_secs(10))
//!     .build()?;
//! let session = Session::builder("API_KEY").transport(transport).build()?;
//! # Ok(()) }
//! ```

mod error;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError, TransportErrorKind};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// The connector of the default client: plain TCP with `TCP_NODELAY`, wrapped in rustls.
pub type DefaultConnector = hyper_rustls::HttpsConnector<HttpConnector>;

/// The time allowed to open a connection, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The time allowed for a whole request, answer included, by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an idle pooled connection is kept, by default.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Sends requests through a pooled hyper client.
#[derive(Clone)]
pub struct HyperTransport<C = DefaultConnector> {
    client: Client<C, Full<Bytes>>,
    request_timeout: Duration,
    https_only: bool,
}

impl HyperTransport {
    /// A transport with the default settings.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Configures a transport.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

impl<C> HyperTransport<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    /// A transport over your own configured hyper client (its connector, pool and TLS
    /// settings), with `request_timeout` on every request.
    pub fn from_client(client: Client<C, Full<Bytes>>, request_timeout: Duration) -> Self {
        HyperTransport {
            client,
            request_timeout,
            https_only: false,
        }
    }
}

impl<C> fmt::Debug for HyperTransport<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

impl<C> Transport for HyperTransport<C>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            if tokio::runtime::Handle::try_current().is_err() {
                // Spawning connections and timing requests out both need one; say so.
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
            let exchange = async {
                let response = self
                    .client
                    .request(request.map(Full::new))
                    .await
                    .map_err(error::classify)?;
                // A declared length over the limit fails before a byte of the body is read.
                limit.check_declared(response.headers())?;
                let (parts, body) = response.into_parts();
                // `Limited` stops as soon as the body grows past the limit, so memory stays
                // bounded whatever the server sends (chunked, or a lying Content-Length).
                let max = usize::try_from(limit.bytes()).unwrap_or(usize::MAX);
                let body = Limited::new(body, max)
                    .collect()
                    .await
                    .map_err(|e| error::body_error(e, limit))?
                    .to_bytes();
                Ok(http::Response::from_parts(parts, body))
            };
            // The whole exchange, body included, gets one deadline: a server trickling bytes
            // cannot hold the caller forever.
            tokio::time::timeout(self.request_timeout, exchange)
                .await
                .unwrap_or_else(|elapsed| {
                    Err(
                        TransportError::with_source(TransportErrorKind::Timeout, elapsed).context(
                            format!("no complete answer within {:?}", self.request_timeout),
                        ),
                    )
                })
        })
    }
}

/// Configures a [`HyperTransport`].
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    request_timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    https_only: bool,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        HyperTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            // No cap, as hyper-util's own default: a cap below the session's requests in flight
            // (`load_many` keeps 16, or more) closes connections only to open them again;
            // idle ones still close after `pool_idle_timeout`.
            pool_max_idle_per_host: usize::MAX,
            https_only: false,
        }
    }
}

impl HyperTransportBuilder {
    /// The time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request, answer included (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long an idle pooled connection is kept (default 90 s).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host the pool keeps (default: no cap; idle connections
    /// close after [`pool_idle_timeout`](Self::pool_idle_timeout)). Keep it at least the
    /// session's requests in flight, or connections are closed only to be opened again.
    pub fn pool_max_idle_per_host(mut self, n: usize) -> Self {
        self.pool_max_idle_per_host = n;
        self
    }

    /// Refuses plain `http://` URLs (by default they are allowed, for local sandboxes), with a
    /// [`TransportErrorKind::Other`] error: a configuration mistake, not worth a retry.
    pub fn https_only(mut self, yes: bool) -> Self {
        self.https_only = yes;
        self
    }

    /// The transport.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        http.enforce_http(false);
        // The provider is named explicitly: a build that also links another rustls provider
        // (isahc's) would otherwise panic choosing one.
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| TransportError::with_source(TransportErrorKind::Tls, e))?;
        let tls = if self.https_only {
            tls.https_only()
        } else {
            tls.https_or_http()
        };
        let connector = tls.enable_http1().enable_http2().wrap_connector(http);
        // The timer is what closes idle pooled connections in the background.
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(hyper_util::rt::TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(HyperTransport {
            https_only: self.https_only,
            ..HyperTransport::from_client(client, self.request_timeout)
        })
    }
}
