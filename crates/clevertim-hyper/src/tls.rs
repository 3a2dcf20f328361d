//! The rustls client settings: the `ring` provider, the webpki roots and the roots the
//! application adds ([`add_root_certificate`]).
//!
//! [`add_root_certificate`]: crate::HyperTransportBuilder::add_root_certificate

use std::sync::Arc;

use clevertim_core::{TransportError, TransportErrorKind};
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

/// A client configuration trusting the webpki roots and `added`, with no ALPN yet
/// (hyper-rustls sets it from the HTTP versions enabled).
pub(crate) fn client_config(
    added: &[CertificateDer<'static>],
) -> Result<ClientConfig, TransportError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for certificate in added {
        roots.add(certificate.clone()).map_err(|e| {
            TransportError::with_source(TransportErrorKind::Tls, e)
                .context("an added root certificate is not a valid DER X.509 certificate")
        })?;
    }
    // The provider is named explicitly: a build that also links another rustls provider
    // (isahc's) would otherwise panic choosing one (TRAPS 1).
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::with_source(TransportErrorKind::Tls, e))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
