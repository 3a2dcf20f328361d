//! A [`Transport`] over isahc (libcurl): one shared `HttpClient` (and so one connection
//! cache), connect and request timeouts, and a blocking [`IsahcTransport::send_blocking`]
//! that needs no async runtime at all.
//!
//! The transport only sends: retries, authentication and envelope decoding are the core's.
//! Its futures are driven by isahc's own agent thread, so they run under any executor.
//!
//! ```no_run
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clevertim_core::Session;
//! use clevertim_isahc::IsahcTransport;
//!
//! let session = Session::builder("API_KEY").transport(IsahcTransport::new()?).build()?;
//! # Ok(()) }
//! ```

mod errors;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{BoxFuture, Transport, TransportError, TransportErrorKind};
use isahc::config::Configurable as _;
use isahc::{AsyncReadResponseExt as _, HttpClient, ReadResponseExt as _};

/// The time allowed to open a connection, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The time allowed for a whole request, answer included, by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends requests through one isahc `HttpClient`.
#[derive(Clone)]
pub struct IsahcTransport {
    client: HttpClient,
}

impl IsahcTransport {
    /// A transport with the default settings (proxies from the environment are honoured).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Configures a transport.
    pub fn builder() -> IsahcTransportBuilder {
        IsahcTransportBuilder::default()
    }

    /// A transport over your own configured client.
    pub fn from_client(client: HttpClient) -> Self {
        IsahcTransport { client }
    }

    /// Sends one request and waits for the answer on this thread: no async runtime needed.
    pub fn send_blocking(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, body.to_vec());
        let mut response = self
            .client
            .send(request)
            .map_err(|e| errors::classify(&e))?;
        let mut body = Vec::new();
        response
            .copy_to(&mut body)
            .map_err(|e| TransportError::with_source(TransportErrorKind::Io, e))?;
        Ok(response.map(|_| Bytes::from(body)))
    }
}

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
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = http::Request::from_parts(parts, body.to_vec());
            let mut response = self
                .client
                .send_async(request)
                .await
                .map_err(|e| errors::classify(&e))?;
            let mut body = Vec::new();
            response
                .copy_to(&mut body)
                .await
                .map_err(|e| TransportError::with_source(TransportErrorKind::Io, e))?;
            Ok(response.map(|_| Bytes::from(body)))
        })
    }
}

/// Configures an [`IsahcTransport`].
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
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request, answer included (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Ignores the proxy environment variables (`http_proxy`, `ALL_PROXY`, …), as a loopback
    /// sandbox needs.
    pub fn no_proxy(mut self) -> Self {
        self.use_env_proxy = false;
        self
    }

    /// The transport.
    pub fn build(self) -> Result<IsahcTransport, TransportError> {
        let mut builder = HttpClient::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
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
