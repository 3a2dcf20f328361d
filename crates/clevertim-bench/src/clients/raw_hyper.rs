//! The ceiling of the hyper transport: a bare hyper-util pooled client over plain TCP with
//! `TCP_NODELAY` (no TLS layer, no timeout, no retry), sending prepared requests; and the
//! same over hyper-rustls's connector (as the transport's, plain http passing through it),
//! to show what that layer costs.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;

use crate::Result;

/// A bare hyper-util client. Its futures need a tokio runtime.
#[derive(Clone)]
pub(crate) struct RawHyper<C = HttpConnector> {
    client: Client<C, Full<Bytes>>,
}

fn tcp() -> HttpConnector {
    let mut connector = HttpConnector::new();
    // TRAPS 11: without it, a keep-alive client stalls on delayed ACKs.
    connector.set_nodelay(true);
    connector
}

impl RawHyper {
    /// A client with hyper-util's default pool.
    pub(crate) fn new() -> RawHyper {
        RawHyper {
            client: Client::builder(TokioExecutor::new()).build(tcp()),
        }
    }
}

impl RawHyper<HttpsConnector<HttpConnector>> {
    /// The same client over hyper-rustls's connector, built as the transport builds it.
    pub(crate) fn over_rustls() -> Result<Self> {
        let mut http = tcp();
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            // TRAPS 1: isahc links another provider; name ours.
            .with_provider_and_webpki_roots(rustls::crypto::aws_lc_rs::default_provider())?
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        Ok(RawHyper {
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }
}

impl<C: Connect + Clone + Send + Sync + 'static> RawHyper<C> {
    /// Sends a copy of `request` and collects the answer's body.
    pub(crate) async fn send(&self, request: &http::Request<Bytes>) -> Result<Bytes> {
        let response = self.client.request(request.clone().map(Full::new)).await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        Ok(response.into_body().collect().await?.to_bytes())
    }
}
