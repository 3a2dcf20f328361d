//! The ceiling of the isahc transport: a bare isahc client configured as the transport is
//! (`TCP_NODELAY`, no proxy, the same timeouts), sending prepared requests.

use std::time::Duration;

use bytes::Bytes;
use isahc::config::Configurable as _;
use isahc::{AsyncReadResponseExt as _, HttpClient};

use crate::Result;

/// A bare isahc client: curl's agent thread does the I/O, any executor drives the futures.
pub(crate) struct RawIsahc {
    client: HttpClient,
}

impl RawIsahc {
    /// A client configured like `IsahcTransport`'s.
    pub(crate) fn new() -> Result<RawIsahc> {
        let client = HttpClient::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .tcp_nodelay()
            // TRAPS 3: proxy variables would divert loopback requests.
            .proxy(None)
            .build()?;
        Ok(RawIsahc { client })
    }

    /// Sends a copy of `request` and collects the answer's body.
    pub(crate) async fn send(&self, request: &http::Request<Bytes>) -> Result<Bytes> {
        let request = request.clone().map(|body| body.to_vec());
        let mut response = self.client.send_async(request).await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        let mut body = Vec::new();
        response.copy_to(&mut body).await?;
        Ok(Bytes::from(body))
    }
}
