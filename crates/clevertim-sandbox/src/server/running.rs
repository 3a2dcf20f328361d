//! [`Sandbox`]: the handle of a running server.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::oneshot;

use super::State;
use super::builder::Access;
use crate::SandboxBuilder;
use crate::error::SandboxError;

/// A running sandbox server. Dropping it stops the server gracefully.
///
/// ```
/// # fn main() -> Result<(), clevertim_sandbox::SandboxError> {
/// use clevertim_sandbox::Sandbox;
/// let sandbox = Sandbox::builder().empty(true).spawn()?; // its own thread and runtime
/// assert!(sandbox.endpoint().starts_with("http://127.0.0.1:"));
/// assert_eq!(sandbox.api_key(), clevertim_sandbox::DEFAULT_API_KEY);
/// assert_eq!(sandbox.requests_served(), 0);
/// sandbox.stop();
/// # Ok(()) }
/// ```
pub struct Sandbox {
    pub(super) access: Access,
    pub(super) state: Arc<State>,
    pub(super) stop: Option<oneshot::Sender<()>>,
    pub(super) done: Option<oneshot::Receiver<()>>,
    pub(super) thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    /// Shows the endpoint and counters, never the API keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("endpoint", &self.endpoint())
            .field("connections_accepted", &self.connections_accepted())
            .field("requests_served", &self.requests_served())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A builder with the defaults: demo data, prefix `/api`, 127.0.0.1, a free port.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// Starts a sandbox with the defaults on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// As [`SandboxBuilder::start`].
    pub async fn start() -> Result<Sandbox, SandboxError> {
        Self::builder().start().await
    }

    /// The base URL of the API, e.g. `http://127.0.0.1:PORT/api`.
    pub fn endpoint(&self) -> String {
        let addr = self.access.addr;
        let host = match addr.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{}{}", addr.port(), self.access.prefix)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.access.addr
    }

    /// The owner's (read-write) API key.
    pub fn api_key(&self) -> &str {
        &self.access.api_key
    }

    /// The admin user's API key.
    pub fn admin_api_key(&self) -> &str {
        &self.access.admin_key
    }

    /// The read-only user's API key.
    pub fn readonly_api_key(&self) -> &str {
        &self.access.readonly_key
    }

    /// TCP connections accepted so far.
    pub fn connections_accepted(&self) -> u64 {
        self.state.stats.connections.load(Ordering::Relaxed)
    }

    /// Requests answered so far.
    pub fn requests_served(&self) -> u64 {
        self.state.stats.requests.load(Ordering::Relaxed)
    }

    /// Stops the server and waits until open connections are closed (at most a few seconds).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.await;
        }
        self.state.close_database();
    }

    /// Stops the server without waiting when it runs on the caller's runtime; waits for
    /// its thread when it was started with [`SandboxBuilder::spawn`].
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // Release the data directory now, for a sandbox started next on the same data:
        // the server's tasks may outlive this handle for a moment.
        self.state.close_database();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop_now();
    }
}
