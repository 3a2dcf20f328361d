//! Which certificate authorities the transport trusts: the Mozilla roots compiled in
//! (`webpki-roots`), the system's store (`rustls-native-certs`, which honours `SSL_CERT_FILE`
//! and `SSL_CERT_DIR`), and the roots the application adds, one DER or a PEM bundle at a time.

use std::sync::OnceLock;

use clevertim_core::{TransportError, TransportErrorKind};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

/// Which certificate authorities a [`HyperTransport`](crate::HyperTransport) trusts, besides
/// those added with [`add_root_certificate`](crate::HyperTransportBuilder::add_root_certificate)
/// and [`add_root_certificates_pem`](crate::HyperTransportBuilder::add_root_certificates_pem).
///
/// The default trusts both the compiled-in Mozilla roots and the system's store: a company CA
/// or a TLS-inspecting proxy installed in the system is trusted as curl (and so the isahc
/// transport) trusts it, and a container without a system store (`scratch`, distroless)
/// still reaches the service.
///
/// ```
/// use clevertim_hyper::{HyperTransport, Roots};
///
/// // Only what the system trusts (SSL_CERT_FILE / SSL_CERT_DIR where set):
/// let builder = HyperTransport::builder().roots(Roots::System);
/// # let _ = builder;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Roots {
    /// The compiled-in Mozilla roots and the system's store (the default).
    #[default]
    WebpkiAndSystem,
    /// Only the compiled-in Mozilla roots (`webpki-roots`): the same on every machine.
    Webpki,
    /// Only the system's store, as `rustls-native-certs` finds it: `SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` when set, else the platform's store (on Linux, the distribution's
    /// bundle, e.g. `/etc/ssl/certs/ca-certificates.crt`).
    System,
    /// None: only the roots added to the builder.
    AddedOnly,
}

/// The store `roots` says, with the certificates `added` (DER) and `pem` (PEM bundles).
pub(crate) fn root_store(
    roots: Roots,
    added: &[CertificateDer<'static>],
    pem: &[Vec<u8>],
) -> Result<RootCertStore, TransportError> {
    let mut store = RootCertStore::empty();
    if matches!(roots, Roots::WebpkiAndSystem | Roots::Webpki) {
        store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    if matches!(roots, Roots::WebpkiAndSystem | Roots::System) {
        let (valid, invalid) = store.add_parsable_certificates(system().iter().cloned());
        tracing::debug!(valid, invalid, "system certificate store loaded");
        if valid == 0 && roots == Roots::System {
            return Err(TransportError::new(
                TransportErrorKind::Tls,
                "no usable certificate in the system store (see SSL_CERT_FILE, SSL_CERT_DIR)",
            ));
        }
    }
    for certificate in added {
        store.add(certificate.clone()).map_err(|e| {
            TransportError::with_source(TransportErrorKind::Tls, e)
                .context("an added root certificate is not a valid DER X.509 certificate")
        })?;
    }
    for bundle in pem {
        let mut found = 0;
        for certificate in CertificateDer::pem_slice_iter(bundle) {
            let certificate = certificate.map_err(|e| {
                TransportError::with_source(TransportErrorKind::Tls, e)
                    .context("an added PEM bundle cannot be read")
            })?;
            store.add(certificate).map_err(|e| {
                TransportError::with_source(TransportErrorKind::Tls, e)
                    .context("an added PEM bundle holds an invalid certificate")
            })?;
            found += 1;
        }
        if found == 0 {
            return Err(TransportError::new(
                TransportErrorKind::Tls,
                "an added PEM bundle holds no certificate",
            ));
        }
    }
    if store.is_empty() {
        return Err(TransportError::new(
            TransportErrorKind::Tls,
            "no root certificate to trust",
        ));
    }
    Ok(store)
}

/// The system's certificates, read once per process (parsing a distribution's bundle on
/// every transport built would cost milliseconds each time).
fn system() -> &'static [CertificateDer<'static>] {
    static SYSTEM: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!(%error, "reading the system certificate store");
        }
        found.certs
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_pem_bundle_adds_each_of_its_certificates() {
        let bundle = format!("{}\n{}", ca_pem(), ca_pem());
        let store = root_store(Roots::AddedOnly, &[], &[bundle.into_bytes()]).unwrap();
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn nothing_to_trust_is_an_error() {
        let error = root_store(Roots::AddedOnly, &[], &[]).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Tls);
        let error = root_store(Roots::AddedOnly, &[], &[b"not pem".to_vec()]).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Tls);
    }

    #[test]
    fn webpki_roots_are_the_compiled_in_ones() {
        let store = root_store(Roots::Webpki, &[], &[]).unwrap();
        assert_eq!(store.len(), webpki_roots::TLS_SERVER_ROOTS.len());
    }
}
