//! Maps isahc's failures to the core's transport error kinds.

use clevertim_core::{TransportError, TransportErrorKind};
use isahc::error::ErrorKind;

/// The core's kind of an isahc error.
pub(crate) fn classify(error: &isahc::Error) -> TransportError {
    let kind = match error.kind() {
        ErrorKind::ConnectionFailed | ErrorKind::NameResolution => TransportErrorKind::Connect,
        ErrorKind::Timeout => TransportErrorKind::Timeout,
        ErrorKind::BadClientCertificate
        | ErrorKind::BadServerCertificate
        | ErrorKind::TlsEngine => TransportErrorKind::Tls,
        // A reply cut short or garbled: the connection broke under way, as with hyper.
        ErrorKind::Io | ErrorKind::ProtocolViolation => TransportErrorKind::Io,
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, error.to_string())
}
