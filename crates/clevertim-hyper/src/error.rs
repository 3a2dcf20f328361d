//! Maps hyper's failures to the core's transport error kinds.
//!
//! | failure | kind |
//! | --- | --- |
//! | a forward proxy refused (`407`, a `CONNECT` it would not open) | `Proxy` |
//! | a proxy from the environment that is not `http://` | `Other` |
//! | a rustls error anywhere in the causes (handshake, certificate) | `Tls` |
//! | the connector's or hyper-util's connect error (refused, DNS, the connect timed out) | `Connect` |
//! | a pooled connection that closed before taking the request (nothing sent) | `Connect` |
//! | an HTTP/2 stream the server refused (`REFUSED_STREAM`) or left above a graceful `GOAWAY`'s last stream id (not processed) | `Connect` |
//! | a timeout after the request went out (hyper's, or an `io::Error` `TimedOut`) | `Timeout` |
//! | the connection closed, reset or cut the answer short after sending | `Io` |
//! | the body grew past the request's `BodyLimit` | `TooLarge` (see [`body_error`]) |
//! | anything else (an invalid request, a garbled answer, …) | `Other` |
//!
//! The error itself is kept as the [`TransportError`]'s source, never flattened into its text,
//! so that a reporter walking the chain shows each cause once.

use std::error::Error as StdError;

use clevertim_core::{BodyLimit, TransportError, TransportErrorKind};
use http_body_util::LengthLimitError;

use crate::proxy::{Refused, Unsupported};

/// What hyper and hyper-util give: their errors, or a boxed one from the body's collection.
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The transport error for `error`, which is kept as its source.
pub(crate) fn classify(error: impl Into<BoxError>) -> TransportError {
    let error = error.into();
    let kind = kind_of(&*error);
    let refused = refused_by(&*error);
    name_proxy(TransportError::with_source(kind, error), refused)
}

/// The proxy (credentials redacted) that refused, if one did.
fn refused_by(error: &(dyn StdError + 'static)) -> Option<String> {
    causes(error)
        .iter()
        .find_map(|e| e.downcast_ref::<Refused>())
        .map(|refused| refused.proxy.clone())
}

/// Says which proxy refused, if one did.
fn name_proxy(error: TransportError, refused: Option<String>) -> TransportError {
    match refused {
        Some(proxy) => error.context(format!("the proxy {proxy} refused the tunnel")),
        None => error,
    }
}

/// The transport error for a failure of the connector (TCP, then TLS) of a new connection:
/// nothing was sent, so it is `Connect`, unless rustls failed (`Tls`: not worth a retry).
pub(crate) fn connect_error(error: impl Into<BoxError>) -> TransportError {
    let error = error.into();
    let causes = causes(&*error);
    let kind = if causes.iter().any(|e| e.is::<Refused>()) {
        TransportErrorKind::Proxy
    } else if causes.iter().any(|e| e.is::<Unsupported>()) {
        TransportErrorKind::Other
    } else if causes.iter().any(|e| e.is::<rustls::Error>()) {
        TransportErrorKind::Tls
    } else {
        TransportErrorKind::Connect
    };
    let refused = refused_by(&*error);
    name_proxy(TransportError::with_source(kind, error), refused)
}

/// The transport error for a failure while the answer's body was read through
/// [`http_body_util::Limited`]: `TooLarge` when the limit stopped it, else as [`classify`].
pub(crate) fn body_error(error: BoxError, limit: BodyLimit) -> TransportError {
    if error.is::<LengthLimitError>() {
        return TransportError::too_large(limit);
    }
    classify(error).context("reading the body")
}

/// The kind of `error`, found by walking its chain of causes.
fn kind_of(error: &(dyn StdError + 'static)) -> TransportErrorKind {
    let causes = causes(error);
    if causes.iter().any(|e| e.is::<Refused>()) {
        return TransportErrorKind::Proxy;
    }
    if causes.iter().any(|e| e.is::<Unsupported>()) {
        return TransportErrorKind::Other;
    }
    // The TLS handshake runs inside hyper-util's connect step: it must win over `Connect`,
    // since a handshake or certificate failure is not worth retrying.
    if causes.iter().any(|e| e.is::<rustls::Error>()) {
        return TransportErrorKind::Tls;
    }
    // Whatever the cause (refused, DNS, or a connect *timeout*), no byte of the request was
    // sent, so every verb may be retried: the `TimedOut` deeper down must not make it a
    // `Timeout`.
    let is_connect = error
        .downcast_ref::<hyper_util::client::legacy::Error>()
        .is_some_and(hyper_util::client::legacy::Error::is_connect);
    if is_connect || causes.iter().any(|e| not_processed(*e)) {
        return TransportErrorKind::Connect;
    }
    let mut kind = TransportErrorKind::Other;
    for e in causes {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return TransportErrorKind::Timeout;
            }
            kind = TransportErrorKind::Io;
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                return TransportErrorKind::Timeout;
            }
            if h.is_incomplete_message() || h.is_closed() || h.is_canceled() {
                kind = TransportErrorKind::Io;
            }
        }
    }
    kind
}

/// Whether `error` is HTTP/2's proof that the server did not process the request: a stream it
/// reset with `REFUSED_STREAM`, or one above the last stream id of its graceful (`NO_ERROR`)
/// `GOAWAY` (h2 fails exactly those with the remote `GOAWAY` itself; a `GOAWAY` with an error
/// code fails every stream alike, processed or not, and proves nothing).
fn not_processed(error: &(dyn StdError + 'static)) -> bool {
    let Some(h2) = error.downcast_ref::<h2::Error>() else {
        return false;
    };
    h2.is_remote()
        && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
            || (h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR)))
}

/// `error` and its causes, outermost first.
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut all = Vec::new();
    let mut cause = Some(error);
    while let Some(e) = cause {
        all.push(e);
        cause = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            // An io::Error's `source()` skips the error it wraps (rustls's, hyper-rustls's):
            // look at that error itself.
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    all
}
