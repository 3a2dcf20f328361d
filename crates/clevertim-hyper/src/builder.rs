//! The transport's settings.

use std::sync::Arc;
use std::time::Duration;

use clevertim_core::TransportError;
#[cfg(doc)]
use clevertim_core::TransportErrorKind;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::CertificateDer;

use crate::{
    pool, tls, HyperTransport, Sender, DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT,
    DEFAULT_REQUEST_TIMEOUT,
};

/// Configures a [`HyperTransport`].
///
/// ```
/// use std::time::Duration;
/// use clevertim::transports::HyperTransportBuilder;
///
/// let transport = HyperTransportBuilder::default()
///     .connect_timeout(Duration::from_secs(3))
///     .request_timeout(Duration::from_secs(20))
///     .pool_idle_timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok::<(), clevertim::TransportError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    request_timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    https_only: bool,
    inline_http1: bool,
    /// Trusted besides the webpki roots.
    root_certificates: Vec<CertificateDer<'static>>,
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
            inline_http1: true,
            root_certificates: Vec::new(),
        }
    }
}

impl HyperTransportBuilder {
    /// The time allowed to open a connection, TLS handshake included (default 10 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::transports::HyperTransport::builder().connect_timeout(Duration::from_secs(2));
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The time allowed for a whole request, answer included (default 30 s).
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::transports::HyperTransport::builder().request_timeout(Duration::from_secs(5));
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long an idle connection is kept (default 90 s). With HTTP/1.1 connections driven
    /// by the requests ([`inline_http1`](Self::inline_http1)), an expired connection is
    /// closed when the next request to its host comes, or with the transport.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim::transports::HyperTransport::builder().pool_idle_timeout(Duration::from_secs(20));
    /// ```
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host are kept (default: no cap; idle connections close
    /// after [`pool_idle_timeout`](Self::pool_idle_timeout)). Keep it at least the session's
    /// requests in flight, or connections are closed only to be opened again.
    ///
    /// ```
    /// let builder = clevertim::transports::HyperTransport::builder().pool_max_idle_per_host(64);
    /// ```
    pub fn pool_max_idle_per_host(mut self, n: usize) -> Self {
        self.pool_max_idle_per_host = n;
        self
    }

    /// Refuses plain `http://` URLs (by default they are allowed, for local sandboxes), with a
    /// [`TransportErrorKind::Other`] error: a configuration mistake, not worth a retry.
    ///
    /// ```
    /// let builder = clevertim::transports::HyperTransport::builder().https_only(true);
    /// ```
    pub fn https_only(mut self, yes: bool) -> Self {
        self.https_only = yes;
        self
    }

    /// Whether each HTTP/1.1 connection is driven inside the future of the request using it
    /// (`true`, the default), or runs as a task spawned on the runtime by hyper-util's pooled
    /// client (`false`). Driven by the request, a request under a plain `#[tokio::main]`
    /// spares two cross-thread wake-ups; see the [crate documentation](crate). HTTP/2
    /// connections are tasks either way.
    ///
    /// With `false`, a connection the server closed while the runtime was not running (a
    /// current-thread runtime between two `block_on` calls) is noticed only by its task, which
    /// has not run: the next request is written into it and fails with
    /// [`Io`](TransportErrorKind::Io), which a `POST` cannot retry. The default checks the
    /// socket itself before each reuse.
    ///
    /// ```
    /// // hyper-util's pooled client, every connection a task:
    /// let transport = clevertim::transports::HyperTransport::builder().inline_http1(false).build()?;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn inline_http1(mut self, yes: bool) -> Self {
        self.inline_http1 = yes;
        self
    }

    /// Trusts `der`, a DER-encoded X.509 certificate, as a root besides the webpki roots:
    /// for a server whose certificate a private authority signed, or a self-signed one (a
    /// local sandbox behind TLS, a test server). Call it once per certificate.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let ca = std::fs::read("company-ca.der")?;
    /// let transport = clevertim::transports::HyperTransport::builder()
    ///     .add_root_certificate(ca)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The certificate is checked when the transport is built:
    /// [`build`](Self::build) fails with [`TransportErrorKind::Tls`] if it is not a valid
    /// certificate.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates
            .push(CertificateDer::from(der.into()));
        self
    }

    /// The transport.
    ///
    /// ```
    /// let transport = clevertim::transports::HyperTransport::builder().build()?;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::Tls`] if rustls cannot be set up with its `ring` provider, or a
    /// certificate given to [`add_root_certificate`](Self::add_root_certificate) is invalid.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        http.enforce_http(false);
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls::client_config(&self.root_certificates)?);
        let tls = if self.https_only {
            tls.https_only()
        } else {
            tls.https_or_http()
        };
        let connector = tls.enable_http1().enable_http2().wrap_connector(http);
        let sender = if self.inline_http1 {
            Sender::Inline(Arc::new(pool::Pool::new(
                connector,
                self.connect_timeout,
                self.pool_idle_timeout,
                self.pool_max_idle_per_host,
            )))
        } else {
            // The timer is what closes idle pooled connections in the background.
            Sender::Pooled(Box::new(
                Client::builder(TokioExecutor::new())
                    .pool_timer(hyper_util::rt::TokioTimer::new())
                    .pool_idle_timeout(self.pool_idle_timeout)
                    .pool_max_idle_per_host(self.pool_max_idle_per_host)
                    .build(connector),
            ))
        };
        Ok(HyperTransport {
            sender,
            request_timeout: self.request_timeout,
            https_only: self.https_only,
        })
    }
}
