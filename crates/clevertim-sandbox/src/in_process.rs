//! The sandbox without a socket: one request in, one response out, for fuzzing and
//! property tests ([`InProcess`]).

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};

use crate::error::SandboxError;
use crate::handlers;
use crate::persist::snapshot;
use crate::server::{SandboxBuilder, State};

/// A sandbox that handles requests in process, without a socket or a runtime: the same
/// routing, authentication, validation and store as the server, driven one
/// [`handle`](InProcess::handle) at a time.
///
/// Made by [`SandboxBuilder::in_process`]. Meant for fuzzing and property tests, not for
/// applications (use [`Sandbox`](crate::Sandbox)): it is not part of the stable API.
///
/// ```
/// use bytes::Bytes;
/// let sandbox = clevertim_sandbox::Sandbox::builder().in_process().unwrap();
/// let request = http::Request::builder()
///     .uri("/api/contact")
///     .header("authorization", sandbox.basic_auth(clevertim_sandbox::DEFAULT_API_KEY))
///     .body(Bytes::new())
///     .unwrap();
/// let response = futures_executor::block_on(sandbox.handle(request));
/// assert_eq!(response.status(), 200);
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct InProcess {
    state: Arc<State>,
    prefix: String,
    api_key: String,
    admin_key: String,
    readonly_key: String,
}

impl SandboxBuilder {
    /// Builds the sandbox's store and answers requests in process ([`InProcess`]), without
    /// binding a socket. A data directory is neither read nor written; the host, port and
    /// persistence settings are ignored.
    ///
    /// # Errors
    ///
    /// The seed data is invalid ([`SandboxError::Seed`]) or the API key is
    /// ([`SandboxError::InvalidApiKey`]).
    #[doc(hidden)]
    pub fn in_process(self) -> Result<InProcess, SandboxError> {
        let (state, access) = self.build_state(false)?;
        Ok(InProcess {
            state,
            prefix: access.prefix,
            api_key: access.api_key,
            admin_key: access.admin_key,
            readonly_key: access.readonly_key,
        })
    }
}

impl InProcess {
    /// Handles one request as the server would and returns its whole answer.
    ///
    /// The future never waits on anything (there is no persistence in process): any
    /// executor, e.g. `futures_executor::block_on`, completes it at once.
    pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let request = request.map(Full::new);
        let response = handlers::handle(self.state.clone(), request).await;
        let (parts, body) = response.into_parts();
        let body = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(never) => match never {},
        };
        http::Response::from_parts(parts, body)
    }

    /// An independent copy with the same data: requests to one do not change the other.
    /// (Cheaper than building a new one from the seed data.)
    pub fn fork(&self) -> InProcess {
        InProcess {
            state: Arc::new(self.state.fork()),
            prefix: self.prefix.clone(),
            api_key: self.api_key.clone(),
            admin_key: self.admin_key.clone(),
            readonly_key: self.readonly_key.clone(),
        }
    }

    /// The path prefix of every resource, e.g. `/api`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The owner's (read-write) API key.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The admin user's API key.
    pub fn admin_api_key(&self) -> &str {
        &self.admin_key
    }

    /// The read-only user's API key.
    pub fn readonly_api_key(&self) -> &str {
        &self.readonly_key
    }

    /// The `Authorization` header value for `key` (`Basic base64(key:X)`).
    pub fn basic_auth(&self, key: &str) -> String {
        use base64::Engine as _;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"))
        )
    }

    /// Checks the invariants of the store, for tests: every object is stored under its own
    /// id, id counters are ahead of every id, no stored object holds a derived list,
    /// reference fields point at existing objects, custom field values name existing
    /// custom fields, API keys map both ways, and a snapshot of the whole store loads
    /// again into the same store.
    ///
    /// # Errors
    ///
    /// A description of the first broken invariant.
    pub fn check_consistency(&self) -> Result<(), String> {
        let store = self.state.read();
        store.check_consistency()?;
        let snapshot = snapshot::snapshot(&store);
        let bytes = serde_json::to_vec(&snapshot).map_err(|e| format!("snapshot: {e}"))?;
        let parsed: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("snapshot does not parse: {e}"))?;
        let restored =
            snapshot::restore(&parsed).map_err(|e| format!("snapshot does not load: {e}"))?;
        if snapshot::snapshot(&restored) != snapshot {
            return Err("a snapshot loads into a different store".into());
        }
        Ok(())
    }
}
