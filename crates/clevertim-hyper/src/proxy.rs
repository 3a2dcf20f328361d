//! Forward proxies: which requests go through one, and the connections that reach them.
//!
//! The rules are hyper-util's [`Matcher`] (the variables as curl reads them: `HTTP_PROXY`,
//! `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower case), and an `https` origin is
//! reached through hyper-util's [`Tunnel`] (`CONNECT host:port`), the TLS inside it checked
//! against the origin's name by the [`HttpsConnector`](hyper_rustls::HttpsConnector) around
//! it. A plain `http` origin is reached by connecting to the proxy itself: the request then
//! goes in absolute form (`GET http://host/path`), with the proxy's credentials as
//! `Proxy-Authorization`, added by [`Proxies::prepare`].

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use clevertim_core::{ProxyChoice, TransportError, TransportErrorKind, redact_proxy_url};
use http::Uri;
use http::header::PROXY_AUTHORIZATION;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tower::Service;

use crate::error::BoxError;

/// The proxy rules of one transport.
#[derive(Clone)]
pub(crate) struct Proxies {
    matcher: Arc<Matcher>,
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // hyper-util's `Debug` of a matcher leaves the credentials out.
        fmt::Debug::fmt(&self.matcher, f)
    }
}

/// Marks a plain-http request that goes to a proxy: it keeps its absolute form on the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AbsoluteForm;

impl Proxies {
    /// The rules `choice` says.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::Other`] if an explicit proxy URL is not an `http://` URL with a
    /// host.
    pub(crate) fn new(choice: &ProxyChoice) -> Result<Proxies, TransportError> {
        let matcher = match choice {
            // `NO_PROXY=*` bypasses every host, as curl reads it; hyper-util's matcher applies
            // `*` to host names only, not to IP addresses.
            ProxyChoice::Env if no_proxy_is_everything() => return Ok(Proxies::off()),
            ProxyChoice::Env => Matcher::from_env(),
            ProxyChoice::Off => return Ok(Proxies::off()),
            ProxyChoice::Url(url) => {
                let uri: Uri = url.parse().map_err(|e| {
                    TransportError::with_source(TransportErrorKind::Other, e)
                        .context(format!("invalid proxy URL {}", redact_proxy_url(url)))
                })?;
                if uri.host().is_none() || !matches!(uri.scheme_str(), None | Some("http")) {
                    return Err(TransportError::new(
                        TransportErrorKind::Other,
                        format!(
                            "the proxy URL {} must be http://host:port",
                            redact_proxy_url(url)
                        ),
                    ));
                }
                Matcher::builder().all(url.clone()).build()
            }
        };
        Ok(Proxies {
            matcher: Arc::new(matcher),
        })
    }

    /// No proxy at all.
    pub(crate) fn off() -> Proxies {
        Proxies {
            matcher: Arc::new(Matcher::builder().build()),
        }
    }

    /// Prepares `request` for its way out: a plain-http request going through a proxy is
    /// marked to keep its absolute form and gets the proxy's credentials, if any. Returns the
    /// proxy (credentials redacted) such a request goes through, to name it if it refuses.
    pub(crate) fn prepare<B>(&self, request: &mut http::Request<B>) -> Option<String> {
        if request.uri().scheme() != Some(&http::uri::Scheme::HTTP) {
            return None;
        }
        let intercept = self.matcher.intercept(request.uri())?;
        if let Some(auth) = intercept.basic_auth() {
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            request.headers_mut().insert(PROXY_AUTHORIZATION, auth);
        }
        request.extensions_mut().insert(AbsoluteForm);
        Some(redact(intercept.uri()))
    }
}

/// Whether `NO_PROXY` (or `no_proxy`, as hyper-util reads them: the first one set) is `*`.
fn no_proxy_is_everything() -> bool {
    ["NO_PROXY", "no_proxy"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .is_some_and(|value| value.trim() == "*")
}

/// `uri` as `scheme://host:port`, without the credentials it may hold.
pub(crate) fn redact(uri: &Uri) -> String {
    redact_proxy_url(&uri.to_string())
}

/// A forward proxy refused to open a tunnel (`407`, or another answer than `2xx` to
/// `CONNECT`); the transport reports it as [`TransportErrorKind::Proxy`].
#[derive(Debug)]
pub(crate) struct Refused {
    /// The proxy, credentials redacted.
    pub(crate) proxy: String,
    source: BoxError,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the proxy {} refused the tunnel", self.proxy)
    }
}

impl StdError for Refused {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// A proxy this transport cannot speak to (`https://`, `socks5://`): a configuration
/// mistake, reported as [`TransportErrorKind::Other`], not retried.
#[derive(Debug)]
pub(crate) struct Unsupported {
    proxy: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the proxy {} is not an http:// proxy, the only kind this transport supports",
            self.proxy
        )
    }
}

impl StdError for Unsupported {}

/// The proxy could not be reached (or the tunnel broke before it was open): nothing was sent.
#[derive(Debug)]
struct Unreachable {
    proxy: String,
    source: BoxError,
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not reach through the proxy {}", self.proxy)
    }
}

impl StdError for Unreachable {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// The TCP step of the transport's connector: straight to the origin, to the proxy for a
/// plain-http origin behind one, or through a `CONNECT` tunnel for an `https` one.
///
/// It is what [`DefaultConnector`](crate::DefaultConnector) wraps in TLS; build one with
/// [`ProxyConnector::direct`] for a connector that goes straight to every origin.
///
/// ```
/// use hyper_util::client::legacy::connect::HttpConnector;
/// use clevertim_hyper::ProxyConnector;
///
/// let mut http = HttpConnector::new();
/// http.enforce_http(false);
/// let connector = ProxyConnector::direct(http);
/// # let _ = connector;
/// ```
#[derive(Clone)]
pub struct ProxyConnector {
    http: HttpConnector,
    proxies: Proxies,
}

impl fmt::Debug for ProxyConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConnector")
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl ProxyConnector {
    /// A connector that ignores proxies: every connection goes straight to its origin
    /// through `http` (which should not enforce `http`, since TLS is layered on top).
    ///
    /// ```
    /// use hyper_util::client::legacy::connect::HttpConnector;
    /// let connector = clevertim_hyper::ProxyConnector::direct(HttpConnector::new());
    /// # let _ = connector;
    /// ```
    pub fn direct(http: HttpConnector) -> ProxyConnector {
        ProxyConnector {
            http,
            proxies: Proxies::off(),
        }
    }

    pub(crate) fn new(http: HttpConnector, proxies: Proxies) -> ProxyConnector {
        ProxyConnector { http, proxies }
    }
}

impl Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut http = self.http.clone();
        let Some(intercept) = self.proxies.matcher.intercept(&dst) else {
            return Box::pin(async move {
                let tcp = http.call(dst).await?;
                Ok(ProxyStream::new(tcp, false))
            });
        };
        let proxy = redact(intercept.uri());
        if intercept.uri().scheme_str() != Some("http") {
            return Box::pin(async move { Err(Box::new(Unsupported { proxy }) as BoxError) });
        }
        if dst.scheme() == Some(&http::uri::Scheme::HTTPS) {
            let mut tunnel = Tunnel::new(intercept.uri().clone(), http);
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            tracing::debug!(%proxy, origin = ?dst.authority(), "opening a tunnel through the proxy");
            Box::pin(async move {
                let tcp = tunnel.call(dst).await.map_err(|e| tunnel_error(proxy, e))?;
                Ok(ProxyStream::new(tcp, false))
            })
        } else {
            let proxy_uri = intercept.uri().clone();
            tracing::debug!(%proxy, "connecting to the proxy");
            Box::pin(async move {
                let tcp = http.call(proxy_uri).await.map_err(|e| -> BoxError {
                    Box::new(Unreachable {
                        proxy,
                        source: e.into(),
                    })
                })?;
                Ok(ProxyStream::new(tcp, true))
            })
        }
    }
}

/// Sorts a failure of hyper-util's tunnel (whose error type is not public; its variants'
/// names are what its `Debug` shows): a refusal by the proxy (`407`, another answer than
/// `2xx`, an oversized answer), or a proxy not reached (nothing was sent: `Connect`).
fn tunnel_error(proxy: String, error: impl StdError + Send + Sync + 'static) -> BoxError {
    let variant = format!("{error:?}");
    let refused = [
        "ProxyAuthRequired",
        "TunnelUnsuccessful",
        "ProxyHeadersTooLong",
    ]
    .iter()
    .any(|name| variant.starts_with(name));
    let source: BoxError = Box::new(error);
    if refused {
        Box::new(Refused { proxy, source })
    } else {
        Box::new(Unreachable { proxy, source })
    }
}

/// A TCP connection made by [`ProxyConnector`]: to the origin, through a tunnel, or to a
/// proxy that takes plain-http requests in absolute form (which it tells hyper-util's client
/// through [`Connection::connected`]).
#[derive(Debug)]
pub struct ProxyStream {
    tcp: TokioIo<tokio::net::TcpStream>,
    absolute_form: bool,
}

impl ProxyStream {
    fn new(tcp: TokioIo<tokio::net::TcpStream>, absolute_form: bool) -> ProxyStream {
        ProxyStream { tcp, absolute_form }
    }

    /// The socket.
    pub(crate) fn tcp(&self) -> &tokio::net::TcpStream {
        self.tcp.inner()
    }
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.tcp.connected().proxy(self.absolute_form)
    }
}

impl Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }
}

/// The error for a `407` answer to a plain-http request sent to `proxy`.
pub(crate) fn auth_required(proxy: &str) -> TransportError {
    TransportError::new(
        TransportErrorKind::Proxy,
        format!("the proxy {proxy} asks for credentials (407 Proxy Authentication Required)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let choice = ProxyChoice::Url("http://alice:s3cret@proxy.corp:3128".into());
        assert_eq!(format!("{choice:?}"), r#"Url("http://proxy.corp:3128")"#);
        let proxies = Proxies::new(&choice).unwrap();
        assert!(!format!("{proxies:?}").contains("s3cret"));
        let uri: Uri = "http://alice:s3cret@proxy.corp:3128".parse().unwrap();
        assert_eq!(redact(&uri), "http://proxy.corp:3128");
        let error = Proxies::new(&ProxyChoice::Url("socks5://bob:pw@h:1".into())).unwrap_err();
        assert!(!format!("{error} {error:?}").contains("pw"), "{error:?}");
    }

    #[test]
    fn a_plain_http_request_through_a_proxy_carries_its_credentials() {
        let proxies = Proxies::new(&ProxyChoice::Url(
            "http://alice:s3cret@proxy.corp:3128".into(),
        ))
        .unwrap();
        let mut request = http::Request::get("http://api.example/x").body(()).unwrap();
        assert_eq!(
            proxies.prepare(&mut request).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(
            request.headers()[PROXY_AUTHORIZATION],
            "Basic YWxpY2U6czNjcmV0"
        );
        assert!(request.extensions().get::<AbsoluteForm>().is_some());
        // An https request keeps its headers: its credentials go in the CONNECT only.
        let mut request = http::Request::get("https://api.example/x")
            .body(())
            .unwrap();
        assert_eq!(proxies.prepare(&mut request), None);
        assert!(request.headers().get(PROXY_AUTHORIZATION).is_none());
        // Off: nothing goes through a proxy.
        let off = Proxies::new(&ProxyChoice::Off).unwrap();
        let mut request = http::Request::get("http://api.example/x").body(()).unwrap();
        assert_eq!(off.prepare(&mut request), None);
    }

    fn with(matcher: Matcher) -> Proxies {
        Proxies {
            matcher: Arc::new(matcher),
        }
    }

    #[test]
    fn no_proxy_domains_match_their_subdomains_and_nothing_else() {
        let proxies = with(
            Matcher::builder()
                .http("http://proxy.corp:3128")
                .no("example.com, .example.org")
                .build(),
        );
        let through = |url: &str| {
            let mut request = http::Request::get(url).body(()).unwrap();
            proxies.prepare(&mut request).is_some()
        };
        assert!(!through("http://example.com/"));
        assert!(!through("http://api.example.com/"));
        assert!(!through("http://api.example.org/"));
        assert!(through("http://notexample.com/"));
        assert!(through("http://example.net/"));
    }

    #[tokio::test]
    async fn a_proxy_that_is_not_http_is_a_configuration_error_not_a_connect_error() {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let mut connector = ProxyConnector::new(
            http,
            with(Matcher::builder().all("socks5://127.0.0.1:9").build()),
        );
        let error = connector
            .call("https://api.example/".parse().unwrap())
            .await
            .unwrap_err();
        let error = crate::error::connect_error(error);
        assert_eq!(error.kind(), TransportErrorKind::Other, "{error:?}");
    }
}
