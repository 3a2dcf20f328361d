//! Maps hyper's failures to the core's transport error kinds.

use std::error::Error as StdError;

use clevertim_core::{TransportError, TransportErrorKind};

/// The kind of `error`, found by walking its chain of causes.
pub(crate) fn classify(error: &(dyn StdError + 'static)) -> TransportError {
    let is_connect = error
        .downcast_ref::<hyper_util::client::legacy::Error>()
        .is_some_and(hyper_util::client::legacy::Error::is_connect);
    let mut kind = if is_connect {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let mut cause: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.downcast_ref::<rustls::Error>().is_some() {
            kind = TransportErrorKind::Tls;
            break;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                kind = TransportErrorKind::Timeout;
                break;
            }
            if kind == TransportErrorKind::Other {
                kind = TransportErrorKind::Io;
            }
            // An io::Error's `source()` skips the error it wraps; look at that error itself.
            if let Some(inner) = io.get_ref() {
                cause = Some(inner as &(dyn StdError + 'static));
                continue;
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                kind = TransportErrorKind::Timeout;
                break;
            }
            if kind == TransportErrorKind::Other
                && (h.is_incomplete_message() || h.is_closed() || h.is_canceled())
            {
                kind = TransportErrorKind::Io;
            }
        }
        cause = e.source();
    }
    TransportError::new(kind, describe(error))
}

/// The error and its causes on one line.
fn describe(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
