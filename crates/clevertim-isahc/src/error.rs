//! Maps isahc's (curl's) failures to the core's transport error kinds, for the async and the
//! blocking paths alike.
//!
//! | failure | kind |
//! | --- | --- |
//! | the proxy refused the `CONNECT` tunnel (curl's `CONNECT tunnel failed`) | `Proxy` |
//! | the TLS handshake failed (curl's `SSL connect error`), a certificate was refused | `Tls` |
//! | no connection (refused, DNS), or a timeout before any connection was made | `Connect` |
//! | a timeout once connected, while waiting for or reading the answer | `Timeout` |
//! | the connection broke after sending (reset, closed, answer cut short) | `Io` |
//! | anything else (an invalid request, …) | `Other` |
//!
//! The isahc error (or, while reading the body, the `io::Error` carrying it) is kept as the
//! [`TransportError`]'s source, never flattened into its text.

use std::error::Error as _;
use std::io;

use clevertim_core::{TransportError, TransportErrorKind};
use isahc::error::ErrorKind;

/// The transport error for a failed exchange; `error` is kept as its source. `proxy` names
/// the proxy the request went through, if one refused it.
pub(crate) fn classify(
    error: isahc::Error,
    proxy: impl FnOnce() -> Option<String>,
) -> TransportError {
    if is_proxy_refusal(&error) {
        let proxy = proxy().unwrap_or_else(|| "(from the environment)".to_owned());
        return TransportError::with_source(TransportErrorKind::Proxy, error)
            .context(format!("the proxy {proxy} refused the tunnel"));
    }
    TransportError::with_source(kind_of(&error), error)
}

/// Whether curl says the proxy refused (`CONNECT tunnel failed, response 407`, or
/// `CURLE_PROXY`).
fn is_proxy_refusal(error: &isahc::Error) -> bool {
    let curl = error.source().and_then(|e| e.downcast_ref::<curl::Error>());
    let text = error.to_string();
    // 97: CURLE_PROXY, curl's "proxy handshake error" (curl 7.73 and later).
    curl.is_some_and(|c| c.code() == 97)
        || text.contains("CONNECT tunnel failed")
        || curl
            .and_then(curl::Error::extra_description)
            .is_some_and(|extra| extra.contains("CONNECT tunnel failed"))
}

/// The transport error for a failure while reading the answer's body; `error` is kept as its
/// source.
///
/// The answer's head came, so the request was sent: the failure is a `Timeout` (curl's
/// transfer timeout, which isahc hands over as an `io::Error` wrapping its own error) or an
/// `Io` error, never `Connect`.
pub(crate) fn body_error(error: io::Error) -> TransportError {
    let curl_timed_out = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<isahc::Error>())
        .is_some_and(isahc::Error::is_timeout);
    let kind = if curl_timed_out || error.kind() == io::ErrorKind::TimedOut {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError::with_source(kind, error).context("reading the body")
}

fn kind_of(error: &isahc::Error) -> TransportErrorKind {
    match error.kind() {
        // isahc counts a failed TLS handshake as a failed connection; it is not worth retrying.
        ErrorKind::ConnectionFailed if is_tls_handshake(error) => TransportErrorKind::Tls,
        ErrorKind::ConnectionFailed | ErrorKind::NameResolution => TransportErrorKind::Connect,
        // curl reports a connect timeout and a transfer timeout alike (code 28, no message);
        // only a transfer that got connected knows its peer's address. Without one, nothing
        // was sent and any verb may be retried.
        ErrorKind::Timeout if error.remote_addr().is_none() => TransportErrorKind::Connect,
        ErrorKind::Timeout => TransportErrorKind::Timeout,
        ErrorKind::BadClientCertificate
        | ErrorKind::BadServerCertificate
        | ErrorKind::TlsEngine
        | ErrorKind::InvalidTlsConfiguration => TransportErrorKind::Tls,
        // A reply cut short, reset, or nothing at all after the request: the connection broke
        // under way, as with hyper.
        ErrorKind::Io | ErrorKind::ProtocolViolation => TransportErrorKind::Io,
        _ => TransportErrorKind::Other,
    }
}

/// Whether curl's own error says the TLS handshake failed.
fn is_tls_handshake(error: &isahc::Error) -> bool {
    error
        .source()
        .and_then(|e| e.downcast_ref::<curl::Error>())
        .is_some_and(curl::Error::is_ssl_connect_error)
}
