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

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError, TransportErrorKind};
use futures_util::io::{AsyncRead, AsyncReadExt as _};
use isahc::config::Configurable as _;
use isahc::HttpClient;

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
        IsahcTransport { client }
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
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, body.to_vec());
        let response = self
            .client
            .send_async(request)
            .await
            .map_err(error::classify)?;
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
    use_env_proxy: bool,
}

impl Default for IsahcTransportBuilder {
    fn default() -> Self {
        IsahcTransportBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            use_env_proxy: true,
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
        self.use_env_proxy = false;
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
        if !self.use_env_proxy {
            builder = builder.proxy(None);
        }
        let client = builder
            .build()
            .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
        Ok(IsahcTransport::from_client(client))
    }
}
