//! Which compiled-in transport a session uses.

use std::sync::Arc;
use std::time::Duration;

use clevertim_core::{ProxyChoice, Result, Transport};

/// A transport compiled into this build (see the crate's features).
///
/// ```
/// use clevertim::{Backend, Session};
/// # fn main() -> clevertim::Result<()> {
/// let mut builder = Session::builder("API_KEY");
/// if let Some(backend) = Backend::default_for_build() {
///     builder = builder.backend(backend); // what `build()` would pick anyway
/// }
/// let session = builder.build()?;
/// # let _ = session; Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// hyper 1 with hyper-util's pooled client and rustls (feature `hyper`).
    #[cfg(feature = "hyper")]
    Hyper,
    /// isahc over libcurl (feature `isahc`).
    #[cfg(feature = "isahc")]
    Isahc,
}

impl Backend {
    /// The backend `build()` uses when none is chosen: hyper when compiled in, else isahc;
    /// `None` when no transport feature is enabled.
    ///
    /// ```
    /// assert_eq!(clevertim::Backend::default_for_build(), Some(clevertim::Backend::Hyper));
    /// ```
    pub fn default_for_build() -> Option<Backend> {
        #[cfg(feature = "hyper")]
        return Some(Backend::Hyper);
        #[cfg(all(feature = "isahc", not(feature = "hyper")))]
        return Some(Backend::Isahc);
        #[cfg(not(any(feature = "hyper", feature = "isahc")))]
        return None;
    }
}

/// Settings every backend honours.
#[derive(Debug, Clone, Default)]
pub(crate) struct TransportOptions {
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) proxy: ProxyChoice,
}

/// The transport of `backend`, configured by `options`.
pub(crate) fn make(backend: Backend, options: &TransportOptions) -> Result<Arc<dyn Transport>> {
    #[cfg(not(any(feature = "hyper", feature = "isahc")))]
    {
        let _ = options;
        match backend {}
    }
    // Both builders have the same three settings: one description of them, for either.
    #[cfg(any(feature = "hyper", feature = "isahc"))]
    macro_rules! configured {
        ($builder:expr) => {{
            let mut b = $builder.proxy_choice(options.proxy.clone());
            if let Some(t) = options.connect_timeout {
                b = b.connect_timeout(t);
            }
            if let Some(t) = options.request_timeout {
                b = b.request_timeout(t);
            }
            let transport: Arc<dyn Transport> =
                Arc::new(b.build().map_err(clevertim_core::Error::Transport)?);
            Ok(transport)
        }};
    }
    #[cfg(any(feature = "hyper", feature = "isahc"))]
    match backend {
        #[cfg(feature = "hyper")]
        Backend::Hyper => configured!(clevertim_hyper::HyperTransport::builder()),
        #[cfg(feature = "isahc")]
        Backend::Isahc => configured!(clevertim_isahc::IsahcTransport::builder()),
    }
}
