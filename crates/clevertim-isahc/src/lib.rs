//! A [`Transport`] over isahc (libcurl): one shared `HttpClient` (and so one connection
//! cache), connect and request timeouts, and a blocking [`IsahcTransport::send_blocking`]
//! that needs no async runtime at all.
//!
//! The transport only sends: retries, authentication and envelope decoding are the core's.
//! Its futures are driven by isahc's own agent thread, so they run under any executor.
//!
//! Failures are classified as [`TransportErrorKind`] documents, whichever way the request is
//! sent: a connect that fails or times out is [`Connect`](TransportErrorKind::Connect)
//! (nothing was sent), a request sent but not answered within the request timeout is
//! [`Timeout`](TransportErrorKind::Timeout), a connection that breaks afterwards is
//! [`Io`](TransportErrorKind::Io), a failed TLS handshake or certificate is
//! [`Tls`](TransportErrorKind::Tls); isahc's error is kept as the
//! [`source`](std::error::Error::source). An answer's body is read only up to the request's
//! [`BodyLimit`]: a larger declared `Content-Length` fails before reading, a longer body fails
//! as soon as it passes the limit, both with [`TooLarge`](TransportErrorKind::TooLarge).
//!
//! ```no_run
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clevertim::Session;
//! use clevertim::transports::IsahcTransport;
//!
//! let session = Session::builder("API_KEY").transport(IsahcTransport::new()?).build()?;
//! # Ok(()) }
//! ```

mod error;
mod proxy;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError, TransportErrorKind};
use futures_util::io::{AsyncRead, AsyncReadExt as _};
use isahc::HttpClient;
use isahc::config::Configurable as _;

use clevertim_core::ProxyChoice;

/// The time allowed to open a connection, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The time allowed for a whole request, answer included, by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends requests through one isahc `HttpClient`.
///
/// A clone shares the client, its connection cache and its agent thread.
///
/// ```
/// use clevertim::{Contact, Session};
/// use clevertim::transports::IsahcTransport;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // A local sandbox stands in for the service (its endpoint is plain http on loopback).
/// let sandbox = clevertim_sandbox::Sandbox::builder().spawn()?;
/// let transport = IsahcTransport::builder().no_proxy().build()?;
/// let session = Session::builder(sandbox.api_key())
///     .endpoint(sandbox.endpoint())
///     .transport(transport)
///     .build()?;
///
/// // isahc's agent thread drives the request: any executor will do.
/// let jane: Contact = futures_executor::block_on(session.load(4))?;
/// assert_eq!(jane.first_name(), Some("Jane"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct IsahcTransport {
    client: HttpClient,
    /// How the client was told to find proxies, to name one that refuses.
    proxy: ProxyChoice,
    /// The connect timeout, for the diagnosis of a refused tunnel.
    connect_timeout: Duration,
}

impl IsahcTransport {
    /// A transport with the default settings (proxies from the environment are honoured).
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::Other`] when isahc cannot make its client (e.g. no agent thread).
    ///
    /// ```
    /// use clevertim::Session;
    /// use clevertim::transports::IsahcTransport;
    /// let session = Session::builder("API_KEY").transport(IsahcTransport::new()?).build()?;
    /// # let _ = session;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Configures a transport.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::transports::IsahcTransport;
    /// let transport = IsahcTransport::builder()
    ///     .connect_timeout(Duration::from_secs(3))
    ///     .request_timeout(Duration::from_secs(60))
    ///     .build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn builder() -> IsahcTransportBuilder {
        IsahcTransportBuilder::default()
    }

    /// A transport over your own configured client.
    ///
    /// To behave as the built one does, configure it with `automatic_decompression(false)`
    /// (see [`IsahcTransportBuilder`]) and, for loopback servers, `proxy(None)`.
    ///
    /// ```
    /// use isahc::config::Configurable as _;
    /// use isahc::HttpClient;
    /// use clevertim::transports::IsahcTransport;
    ///
    /// let client = HttpClient::builder()
    ///     .automatic_decompression(false)
    ///     .max_connections_per_host(4)
    ///     .build()?;
    /// let transport = IsahcTransport::from_client(client);
    /// # let _ = transport;
    /// # Ok::<(), isahc::Error>(())
    /// ```
    pub fn from_client(client: HttpClient) -> Self {
        IsahcTransport {
            client,
            proxy: ProxyChoice::Env,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// Sends one request and waits for the answer on this thread: no async runtime needed.
    ///
    /// It behaves exactly as [`Transport::send`] (same limit, same error kinds): it drives the
    /// same exchange to completion here, as isahc's own blocking `send` does.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] of the kind [`TransportErrorKind`] documents, as [`Transport::send`].
    ///
    /// ```
    /// use bytes::Bytes;
    /// use clevertim::transports::IsahcTransport;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = clevertim_sandbox::Sandbox::builder().spawn()?;
    /// let transport = IsahcTransport::builder().no_proxy().build()?;
    /// // The transport sends what it is given: authentication is the session's job.
    /// let request = http::Request::get(format!("{}/contact/4", sandbox.endpoint())).body(Bytes::new())?;
    /// let answer = transport.send_blocking(request)?;
    /// assert_eq!(answer.status(), http::StatusCode::UNAUTHORIZED);
    /// # Ok(()) }
    /// ```
    pub fn send_blocking(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        futures_executor::block_on(self.exchange(request))
    }

    /// Sends `request` and reads its answer within the request's [`BodyLimit`]: the one path
    /// behind both [`Transport::send`] and [`send_blocking`](Self::send_blocking).
    async fn exchange(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let limit = BodyLimit::of(&request);
        let uri = request.uri().clone();
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, body.to_vec());
        let proxy = || proxy::name_for(&self.proxy, uri.scheme_str());
        let response = match self.client.send_async(request).await {
            Ok(response) => response,
            Err(e) => {
                let error = error::classify(e, proxy);
                if error.kind() == TransportErrorKind::Connect
                    && proxy::refused_tunnel(&self.proxy, &uri, self.connect_timeout)
                {
                    let name = proxy().unwrap_or_else(|| "(from the environment)".to_owned());
                    return Err(TransportError::with_source(TransportErrorKind::Proxy, error)
                        .context(format!(
                            "the proxy {name} refused the tunnel (407 Proxy Authentication Required)"
                        )));
                }
                return Err(error);
            }
        };
        if response.status() == http::StatusCode::PROXY_AUTHENTICATION_REQUIRED {
            if let Some(proxy) = proxy() {
                // The proxy's answer, not the server's: the request never reached it.
                return Err(TransportError::new(
                    TransportErrorKind::Proxy,
                    format!(
                        "the proxy {proxy} asks for credentials (407 Proxy Authentication Required)"
                    ),
                ));
            }
        }
        // A declared length over the limit fails before a byte of the body is read.
        let declared = limit.check_declared(response.headers())?;
        let (parts, body) = response.into_parts();
        let body = read_limited(body, limit, declared).await?;
        Ok(http::Response::from_parts(parts, body))
    }
}

/// Reads `body` to its end, checking the length as each piece arrives: reading stops as soon
/// as the body passes `limit`, so memory stays bounded near the limit whatever the server
/// sends. Dropping `body` early makes isahc abort the transfer.
///
/// The pieces are read into a buffer no larger than the `declared` length needs (the whole
/// body and one more byte, to see its end), within [`MIN_PIECE`] and [`PIECE`]: an answer of a
/// few hundred bytes does not pay for zeroing 64 KiB, and one whose `Content-Length` is wrong
/// is not read a few bytes at a time.
async fn read_limited(
    mut body: impl AsyncRead + Unpin,
    limit: BodyLimit,
    declared: Option<u64>,
) -> Result<Bytes, TransportError> {
    let expected = declared.and_then(|n| usize::try_from(n).ok());
    // A fixed buffer copied out, rather than `read_to_end`: that one zero-fills each new
    // capacity byte by byte, which takes seconds for a few MiB in a debug build.
    let mut piece =
        vec![0; expected.map_or(PIECE, |n| n.saturating_add(1).clamp(MIN_PIECE, PIECE))];
    // Sized by the declared length, within reason: a server may declare and not send.
    let mut body_bytes = Vec::with_capacity(expected.unwrap_or(0).min(PIECE * 16));
    loop {
        let n = body.read(&mut piece).await.map_err(error::body_error)?;
        if n == 0 {
            return Ok(Bytes::from(body_bytes));
        }
        body_bytes.extend_from_slice(&piece[..n]);
        limit.check_length(u64::try_from(body_bytes.len()).unwrap_or(u64::MAX))?;
    }
}

/// The largest piece read at once.
const PIECE: usize = 64 * 1024;

/// The smallest buffer a piece is read into.
const MIN_PIECE: usize = 8 * 1024;

impl fmt::Debug for IsahcTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IsahcTransport").finish_non_exhaustive()
    }
}

impl Transport for IsahcTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.exchange(request))
    }
}

/// Configures an [`IsahcTransport`].
///
/// The client it builds does **not** decompress answers: it sends no `Accept-Encoding`, and
/// a body comes back exactly as the server sent it, as with the hyper transport. (With
/// isahc's automatic decompression, a gzip answer the SDK never asked for would be inflated
/// silently by this transport and reported as malformed by the other; now both report it.)
///
/// ```
/// use std::time::Duration;
/// use clevertim::transports::IsahcTransportBuilder;
/// let transport = IsahcTransportBuilder::default()
///     .request_timeout(Duration::from_secs(90)) // whole lists of a large account
///     .build()?;
/// # let _ = transport;
/// # Ok::<(), clevertim::TransportError>(())
/// ```
#[derive(Debug, Clone)]
pub struct IsahcTransportBuilder {
    connect_timeout: Duration,
    request_timeout: Duration,
    proxy: ProxyChoice,
    /// Roots trusted instead of the system's store, if any (DER, then PEM bundles).
    root_der: Vec<Vec<u8>>,
    root_pem: Vec<Vec<u8>>,
}

impl Default for IsahcTransportBuilder {
    fn default() -> Self {
        IsahcTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            proxy: ProxyChoice::Env,
            root_der: Vec::new(),
            root_pem: Vec::new(),
        }
    }
}

impl IsahcTransportBuilder {
    /// The time allowed to open a connection (default 10 s).
    ///
    /// A connect that times out is [`TransportErrorKind::Connect`]: nothing was sent, so the
    /// session may retry any verb.
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::transports::IsahcTransport;
    /// let transport = IsahcTransport::builder().connect_timeout(Duration::from_secs(2)).build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request, answer included (default 30 s).
    ///
    /// A request that times out is [`TransportErrorKind::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use clevertim::transports::IsahcTransport;
    /// let transport = IsahcTransport::builder().request_timeout(Duration::from_secs(120)).build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Ignores the proxy environment variables (`http_proxy`, `ALL_PROXY`, …), as a loopback
    /// sandbox needs.
    ///
    /// ```
    /// use clevertim::transports::IsahcTransport;
    /// let for_the_sandbox = IsahcTransport::builder().no_proxy().build()?;
    /// # let _ = for_the_sandbox;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyChoice::Off;
        self
    }

    /// Takes the proxy setting whole: what [`proxy`](Self::proxy) and
    /// [`no_proxy`](Self::no_proxy) set, or [`ProxyChoice::Env`] (the default) to read the
    /// environment, for code that holds the choice as a value.
    ///
    /// ```
    /// use clevertim::ProxyChoice;
    /// let choice = ProxyChoice::Off; // e.g. from the application's own configuration
    /// let transport = clevertim::transports::IsahcTransport::builder().proxy_choice(choice).build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn proxy_choice(mut self, choice: ProxyChoice) -> Self {
        self.proxy = choice;
        self
    }

    /// Sends every request through the forward proxy at `url` (`http://host:port`, with
    /// `user:password@` if it asks for credentials), whatever the environment says
    /// (`NO_PROXY` included): plain `http` requests in absolute form, `https` ones through a
    /// `CONNECT` tunnel, as curl does. The credentials go to the proxy only and are never
    /// shown (`Debug`, errors).
    ///
    /// By default curl reads `HTTPS_PROXY`, `http_proxy`, `ALL_PROXY` and `NO_PROXY` (see
    /// "Behind a proxy" in `docs/transports.md`).
    ///
    /// ```
    /// use clevertim_isahc::IsahcTransport;
    /// let builder = IsahcTransport::builder().proxy("http://alice:secret@proxy.corp:3128");
    /// assert!(!format!("{builder:?}").contains("secret"));
    /// let transport = builder.build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim_core::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`build`](Self::build) fails with [`TransportErrorKind::Other`] if `url` is not a URL.
    /// A proxy that refuses a request (`407`, a tunnel it will not open) fails it with
    /// [`TransportErrorKind::Proxy`], not retried.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(url.into());
        self
    }

    /// Trusts `der`, a DER-encoded X.509 certificate. Once a root is added, curl trusts the
    /// added roots **instead of** the system's store (libcurl takes one CA bundle).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let ca = std::fs::read("company-ca.der")?;
    /// let transport = clevertim_isahc::IsahcTransport::builder().add_root_certificate(ca).build()?;
    /// # let _ = transport; Ok(()) }
    /// ```
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_der.push(der.into());
        self
    }

    /// Trusts every certificate of `pem`, a PEM bundle, **instead of** the system's store
    /// (see [`add_root_certificate`](Self::add_root_certificate)).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let bundle = std::fs::read("/etc/company/ca-bundle.pem")?;
    /// let transport = clevertim_isahc::IsahcTransport::builder()
    ///     .add_root_certificates_pem(bundle)
    ///     .build()?;
    /// # let _ = transport; Ok(()) }
    /// ```
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pem.push(pem.into());
        self
    }

    /// The transport, over a client with automatic decompression turned off (see
    /// [`IsahcTransportBuilder`]).
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::Other`], with isahc's error as its source, when isahc cannot make
    /// the client.
    ///
    /// ```
    /// use clevertim::transports::IsahcTransport;
    /// let transport = IsahcTransport::builder().build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn build(self) -> Result<IsahcTransport, TransportError> {
        // No automatic decompression: isahc would then send `Accept-Encoding` and inflate gzip
        // answers silently, which the hyper transport does not do. Both hand the body over as
        // it came, so an unasked compressed answer is reported alike by the core.
        let mut builder = HttpClient::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .automatic_decompression(false)
            .tcp_nodelay();
        match &self.proxy {
            ProxyChoice::Env => {}
            ProxyChoice::Off => builder = builder.proxy(None),
            ProxyChoice::Url(url) => {
                let uri: http::Uri = url.parse().map_err(|e| {
                    TransportError::with_source(TransportErrorKind::Other, e).context(format!(
                        "invalid proxy URL {}",
                        clevertim_core::redact_proxy_url(url)
                    ))
                })?;
                // An empty list: curl's `NO_PROXY` from the environment no longer applies.
                builder = builder
                    .proxy(Some(uri))
                    .proxy_blacklist(Vec::<String>::new());
            }
        }
        if !self.root_der.is_empty() || !self.root_pem.is_empty() {
            let mut store = isahc::tls::TrustStore::builder();
            for der in &self.root_der {
                store = store.certificate_from_der(der);
            }
            for pem in &self.root_pem {
                store = store.certificate_from_pem(pem);
            }
            builder = builder.tls_config(
                isahc::tls::TlsConfig::builder()
                    .trust_store(store.build())
                    .build(),
            );
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
        Ok(IsahcTransport {
            client,
            proxy: self.proxy,
            connect_timeout: self.connect_timeout,
        })
    }
}
