//! The ceiling of the hyper transport: a bare hyper-util pooled client over plain TCP with
//! `TCP_NODELAY` (no TLS layer, no timeout, no retry), sending prepared requests.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::Result;

/// A bare hyper-util client. Its futures need a tokio runtime.
#[derive(Clone)]
pub(crate) struct RawHyper {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl RawHyper {
    /// A client with hyper-util's default pool.
    pub(crate) fn new() -> RawHyper {
        let mut connector = HttpConnector::new();
        // TRAPS 11: without it, a keep-alive client stalls on delayed ACKs.
        connector.set_nodelay(true);
        RawHyper {
            client: Client::builder(TokioExecutor::new()).build(connector),
        }
    }

    /// Sends a copy of `request` and collects the answer's body.
    pub(crate) async fn send(&self, request: &http::Request<Bytes>) -> Result<Bytes> {
        let response = self.client.request(request.clone().map(Full::new)).await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        Ok(response.into_body().collect().await?.to_bytes())
    }
}
