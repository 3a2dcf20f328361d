//! The rustls client settings: the `aws-lc-rs` provider (post-quantum key exchange first, as
//! rustls's own default) and the roots [`trust`](crate::trust) gathers.

use std::sync::Arc;

use clevertim_core::{TransportError, TransportErrorKind};
use rustls::{ClientConfig, RootCertStore};

/// A client configuration trusting `roots`, with no ALPN yet (hyper-rustls sets it from the
/// HTTP versions enabled).
pub(crate) fn client_config(roots: RootCertStore) -> Result<ClientConfig, TransportError> {
    // The provider is named explicitly: a build that also links another rustls provider
    // would otherwise panic choosing one (TRAPS 1).
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::with_source(TransportErrorKind::Tls, e))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
