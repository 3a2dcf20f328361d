//! The transport's settings.

use std::sync::Arc;
use std::time::Duration;

use clevertim_core::TransportError;
#[cfg(doc)]
use clevertim_core::TransportErrorKind;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::CertificateDer;

use crate::http2::KeepAlive;
use crate::proxy::{Proxies, ProxyConnector};
use crate::trust::{self, Roots};
use crate::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL, DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT,
    DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, HyperTransport, Sender, connect, pool, tls,
};
use clevertim_core::ProxyChoice;

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
    http2_keep_alive_interval: Duration,
    http2_keep_alive_timeout: Duration,
    /// Which roots are trusted.
    roots: Roots,
    /// Trusted besides `roots`.
    root_certificates: Vec<CertificateDer<'static>>,
    /// PEM bundles trusted besides `roots`.
    root_pem: Vec<Vec<u8>>,
    /// Which requests go through a forward proxy.
    proxy: ProxyChoice,
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
            roots: Roots::default(),
            http2_keep_alive_interval: DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL,
            http2_keep_alive_timeout: DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT,
            root_certificates: Vec::new(),
            root_pem: Vec::new(),
            proxy: ProxyChoice::Env,
        }
    }
}

impl HyperTransportBuilder {
    /// The time allowed to open a connection, DNS, TCP and the TLS handshake included
    /// (default 10 s). Running out of it is a [`Connect`](TransportErrorKind::Connect) error:
    /// nothing was sent, so the session retries the request whatever its verb.
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

    /// How long an idle connection is kept (default 4 s, below common servers' keep-alive;
    /// a server's `Keep-Alive: timeout=N` shortens it for its connections). HTTP/2
    /// connections close after this long without a request. With HTTP/1.1 connections driven
    /// by the requests ([`inline_http1`](Self::inline_http1)), idle connections are checked
    /// about every second while the runtime runs: expired ones, and those the server closed,
    /// are closed.
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

    /// How often an HTTP/2 connection is PINGed, idle or not (default 10 s), and how long the
    /// answer may take (default 5 s) before the connection is closed: a flow that a NAT or a
    /// firewall dropped without a word is noticed within seconds, and its requests fail
    /// instead of waiting for their timeouts.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = clevertim_hyper::HyperTransport::builder()
    ///     .http2_keep_alive(Duration::from_secs(20), Duration::from_secs(10));
    /// ```
    pub fn http2_keep_alive(mut self, interval: Duration, timeout: Duration) -> Self {
        self.http2_keep_alive_interval = interval;
        self.http2_keep_alive_timeout = timeout;
        self
    }

    /// Which certificate authorities are trusted besides the roots added to this builder
    /// (default: [`Roots::WebpkiAndSystem`]; see [`Roots`]).
    ///
    /// ```
    /// use clevertim_hyper::{HyperTransport, Roots};
    /// // The same trust on every machine, whatever its system store holds:
    /// let transport = HyperTransport::builder().roots(Roots::Webpki).build()?;
    /// # Ok::<(), clevertim_core::TransportError>(())
    /// ```
    pub fn roots(mut self, roots: Roots) -> Self {
        self.roots = roots;
        self
    }

    /// Trusts every certificate of `pem`, a PEM bundle (`-----BEGIN CERTIFICATE-----` …, as
    /// a company CA or a TLS-inspecting proxy hands it out), besides the [`roots`](Self::roots).
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let bundle = std::fs::read("/etc/company/ca-bundle.pem")?;
    /// let transport = clevertim_hyper::HyperTransport::builder()
    ///     .add_root_certificates_pem(bundle)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`build`](Self::build) fails with [`TransportErrorKind::Tls`] if the bundle holds no
    /// certificate, or one that cannot be read.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pem.push(pem.into());
        self
    }

    /// Trusts `der`, a DER-encoded X.509 certificate, as a root besides the [`roots`](Self::roots):
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

    /// Sends every request through the forward proxy at `url` (`http://host:port`, with
    /// `user:password@` if it asks for credentials), whatever the environment says: plain
    /// `http` requests in absolute form, `https` ones through a `CONNECT` tunnel whose TLS is
    /// checked against the server's own name. The credentials go to the proxy only, as
    /// `Proxy-Authorization`, and are never shown (`Debug`, traces, errors).
    ///
    /// By default the proxy comes from the environment, as curl reads it: `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case (see "Behind a proxy" in
    /// `docs/transports.md`).
    ///
    /// ```
    /// let transport = clevertim_hyper::HyperTransport::builder()
    ///     .proxy("http://alice:secret@proxy.corp:3128")
    ///     .build()?;
    /// assert!(!format!("{transport:?}").contains("secret"));
    /// # Ok::<(), clevertim_core::TransportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`build`](Self::build) fails with [`TransportErrorKind::Other`] if `url` is not an
    /// `http://` URL with a host. A proxy that refuses a request (`407`, a tunnel it will not
    /// open) fails it with [`TransportErrorKind::Proxy`], not retried.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(url.into());
        self
    }

    /// Ignores every proxy, including the environment's `HTTP_PROXY`, `HTTPS_PROXY` and
    /// `ALL_PROXY`: every connection goes straight to its server.
    ///
    /// ```
    /// let for_the_sandbox = clevertim_hyper::HyperTransport::builder().no_proxy().build()?;
    /// # Ok::<(), clevertim_core::TransportError>(())
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
    /// let transport = clevertim::transports::HyperTransport::builder().proxy_choice(choice).build()?;
    /// # let _ = transport;
    /// # Ok::<(), clevertim::TransportError>(())
    /// ```
    pub fn proxy_choice(mut self, choice: ProxyChoice) -> Self {
        self.proxy = choice;
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
    /// [`TransportErrorKind::Tls`] if rustls cannot be set up, or a certificate given to
    /// [`add_root_certificate`](Self::add_root_certificate) is invalid;
    /// [`TransportErrorKind::Other`] if the [`proxy`](Self::proxy) URL is invalid.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        http.enforce_http(false);
        let tls = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls::client_config(
            trust::root_store(self.roots, &self.root_certificates, &self.root_pem)?,
        )?);
        let tls = if self.https_only {
            tls.https_only()
        } else {
            tls.https_or_http()
        };
        let proxies = Proxies::new(&self.proxy)?;
        let connector = tls
            .enable_http1()
            .enable_http2()
            .wrap_connector(ProxyConnector::new(http, proxies.clone()));
        let keep_alive = KeepAlive {
            interval: self.http2_keep_alive_interval,
            timeout: self.http2_keep_alive_timeout,
        };
        let sender = if self.inline_http1 {
            let pool = pool::Pool::new(
                connector,
                self.connect_timeout,
                self.pool_idle_timeout,
                self.pool_max_idle_per_host,
                keep_alive,
            );
            Sender::Inline(Arc::new(pool), Arc::new(std::sync::Once::new()))
        } else {
            // The pool timer is what closes idle pooled connections in the background; the
            // other timer drives the HTTP/2 PINGs.
            Sender::Built(Box::new(
                Client::builder(TokioExecutor::new())
                    .pool_timer(hyper_util::rt::TokioTimer::new())
                    .timer(hyper_util::rt::TokioTimer::new())
                    .pool_idle_timeout(self.pool_idle_timeout)
                    .pool_max_idle_per_host(self.pool_max_idle_per_host)
                    .http2_keep_alive_interval(keep_alive.interval)
                    .http2_keep_alive_timeout(keep_alive.timeout)
                    .http2_keep_alive_while_idle(true)
                    .build(connect::Timed::new(connector, self.connect_timeout)),
            ))
        };
        Ok(HyperTransport {
            sender,
            request_timeout: self.request_timeout,
            https_only: self.https_only,
            proxies,
        })
    }
}
