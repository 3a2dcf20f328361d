//! [`ProxyChoice`]: which forward proxy a transport sends through, and how a proxy is named
//! without the credentials its URL may hold.

use std::fmt;

/// Which forward proxy a transport sends its requests through.
///
/// The built-in transports keep it from their builders (`.proxy(url)`, `.no_proxy()`, or the
/// environment by default) and read the environment as curl does: `docs/transports.md` has the
/// table. Its `Debug` never shows the credentials a proxy URL may hold.
///
/// ```
/// use clevertim::ProxyChoice;
///
/// assert_eq!(ProxyChoice::default(), ProxyChoice::Env);
/// let corporate = ProxyChoice::Url("http://alice:s3cret@proxy.corp:3128".into());
/// assert_eq!(format!("{corporate:?}"), r#"Url("http://proxy.corp:3128")"#);
/// assert_eq!(corporate.redacted().as_deref(), Some("http://proxy.corp:3128"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// The environment's variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper
    /// or lower case), read as curl reads them (the default).
    #[default]
    Env,
    /// No proxy at all, whatever the environment says.
    Off,
    /// Every request through this proxy (`http://[user:password@]host:port`); the environment,
    /// `NO_PROXY` included, is not read.
    Url(String),
}

impl ProxyChoice {
    /// The explicit proxy's URL without its credentials; `None` for [`Env`](Self::Env) and
    /// [`Off`](Self::Off).
    ///
    /// ```
    /// use clevertim::ProxyChoice;
    /// assert_eq!(ProxyChoice::Off.redacted(), None);
    /// ```
    pub fn redacted(&self) -> Option<String> {
        match self {
            ProxyChoice::Url(url) => Some(redact_proxy_url(url)),
            ProxyChoice::Env | ProxyChoice::Off => None,
        }
    }
}

impl fmt::Debug for ProxyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyChoice::Env => f.write_str("Env"),
            ProxyChoice::Off => f.write_str("Off"),
            ProxyChoice::Url(url) => f.debug_tuple("Url").field(&redact_proxy_url(url)).finish(),
        }
    }
}

/// A proxy URL as it may be shown: scheme, host and port, never the user or password; an
/// unreadable URL is not shown at all (it may be a password pasted in the wrong place).
///
/// ```
/// use clevertim::redact_proxy_url;
///
/// assert_eq!(redact_proxy_url("http://alice:s3cret@proxy.corp:3128"), "http://proxy.corp:3128");
/// assert_eq!(redact_proxy_url("proxy.corp"), "http://proxy.corp");
/// assert_eq!(redact_proxy_url("not a url s3cret@"), "(unreadable URL)");
/// ```
pub fn redact_proxy_url(url: &str) -> String {
    let Ok(uri) = url.parse::<http::Uri>() else {
        return "(unreadable URL)".to_owned();
    };
    let Some(host) = uri.host() else {
        return "(unreadable URL)".to_owned();
    };
    let scheme = uri.scheme_str().unwrap_or("http");
    match uri.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    }
}
