//! From the global options to a session: the account (or an embedded sandbox), the transport,
//! and the request trace of `-v`.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use clevertim::{ApiKey, BoxFuture, Error, Session, Transport, TransportError};
use clevertim_sandbox::Sandbox;

use crate::cli::{Cli, TransportChoice};
use crate::exit::{Failure, Kind};
use crate::output::Format;
use crate::resources::CliResource;

/// The API's address when only a key is given.
pub(crate) const DEFAULT_ENDPOINT: &str = "https://www.clevertim.com/api";

/// Said when neither an endpoint nor a key is configured.
const NO_ACCOUNT: &str = "no Clevertim account configured: set CLEVERTIM_API_KEY (your API key \
is in Clevertim under Settings > API; keep it secret) and, for another server, CLEVERTIM_ENDPOINT. \
To try the command without an account, add --sandbox (a throwaway local sandbox with demo data: \
`clevertim --sandbox contact list`), or run `clevertim sandbox` in another terminal and set the \
two variables it prints";

/// What every command runs with.
pub(crate) struct Context {
    /// The session to the account.
    pub(crate) session: Session,
    /// How to print results.
    pub(crate) format: Format,
    /// The API's base URL (never the key).
    pub(crate) endpoint: String,
    /// The embedded sandbox of `--sandbox`, served as long as the command runs.
    _sandbox: Option<Sandbox>,
}

impl Context {
    /// Connects as the global options say.
    pub(crate) async fn connect(cli: &Cli) -> Result<Context, Failure> {
        let (endpoint, key, sandbox) = if cli.sandbox {
            let sandbox = Sandbox::builder()
                .start()
                .await
                .map_err(|e| Failure::other(format!("cannot start the embedded sandbox: {e}")))?;
            let key = ApiKey::new(sandbox.api_key());
            (sandbox.endpoint(), key, Some(sandbox))
        } else {
            match (&cli.endpoint, &cli.api_key) {
                (None, None) => return Err(Failure::usage(NO_ACCOUNT)),
                (Some(_), None) => {
                    return Err(Failure::usage(
                        "no API key: set CLEVERTIM_API_KEY (or pass --api-key); a sandbox prints \
                         its keys when it starts",
                    ));
                }
                (endpoint, Some(key)) => (
                    endpoint
                        .clone()
                        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()),
                    key.clone(),
                    None,
                ),
            }
        };
        let transport = make_transport(cli.transport, &endpoint)?;
        let mut builder = Session::builder(key)
            .endpoint(endpoint.clone())
            .transport(Traced(transport));
        if cli.allow_insecure_http {
            builder = builder.allow_insecure_http();
        }
        let session = builder.build().map_err(Failure::from)?;
        Ok(Context {
            session,
            format: cli.format,
            endpoint,
            _sandbox: sandbox,
        })
    }
}

impl Context {
    /// The failure of a list: a 404 there means the endpoint is not the API's address.
    pub(crate) fn failure_of_list<R: CliResource>(&self, error: Error) -> Failure {
        match error {
            Error::NotFound { .. } | Error::Api { status: 404, .. } => self.not_the_api::<R>(),
            other => other.into(),
        }
    }

    /// The failure of a request for one key: when it is "not found", the list is asked for
    /// too, and if that is not found either the endpoint is to blame, not the key.
    pub(crate) async fn failure_of_key<R: CliResource>(&self, error: Error) -> Failure {
        match error {
            error @ Error::NotFound { .. } => match self.session.all::<R>().await {
                Err(Error::NotFound { .. } | Error::Api { status: 404, .. }) => {
                    self.not_the_api::<R>()
                }
                _ => error.into(),
            },
            other => other.into(),
        }
    }

    fn not_the_api<R: CliResource>(&self) -> Failure {
        Failure::new(
            Kind::Usage,
            format!(
                "{} answered 404 (not found) for the list of {}s: it is not the API's address",
                self.endpoint,
                R::NAME
            ),
        )
        .hint("check the path of CLEVERTIM_ENDPOINT (or --endpoint): the API's ends in /api, e.g. https://www.clevertim.com/api")
    }
}

/// Whether the endpoint's host is this machine (proxies must not see it).
fn is_loopback(endpoint: &str) -> bool {
    endpoint
        .parse::<http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_owned))
        .is_some_and(|host| {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            host == "localhost"
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        })
}

/// The failure of a `--transport` this build does not have.
#[cfg_attr(all(feature = "hyper", feature = "isahc"), allow(dead_code))]
fn unavailable(name: &str) -> Failure {
    Failure::usage(format!("this build of clevertim has no {name} transport")).hint(format!(
        "rebuild with `--features {name}`, or pick another --transport"
    ))
}

fn make_transport(choice: TransportChoice, endpoint: &str) -> Result<Arc<dyn Transport>, Failure> {
    let failed = |e: TransportError| Failure::other(format!("cannot set up the transport: {e}"));
    match choice {
        TransportChoice::Hyper => {
            #[cfg(feature = "hyper")]
            {
                let _ = endpoint;
                clevertim::transports::HyperTransport::builder()
                    .build()
                    .map(|t| Arc::new(t) as Arc<dyn Transport>)
                    .map_err(failed)
            }
            #[cfg(not(feature = "hyper"))]
            {
                let _ = (endpoint, failed);
                Err(unavailable("hyper"))
            }
        }
        TransportChoice::Isahc => {
            #[cfg(feature = "isahc")]
            {
                let mut builder = clevertim::transports::IsahcTransport::builder();
                if is_loopback(endpoint) {
                    builder = builder.no_proxy();
                }
                builder
                    .build()
                    .map(|t| Arc::new(t) as Arc<dyn Transport>)
                    .map_err(failed)
            }
            #[cfg(not(feature = "isahc"))]
            {
                let _ = (is_loopback(endpoint), failed);
                Err(unavailable("isahc"))
            }
        }
    }
}

/// A transport that traces each request (method, path, status, time) at `info`, and never
/// its headers, query or body: the key cannot appear.
#[derive(Debug)]
struct Traced(Arc<dyn Transport>);

impl Transport for Traced {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let sent = request.body().len();
        let started = Instant::now();
        let answer = self.0.send(request);
        Box::pin(async move {
            let outcome = answer.await;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            match &outcome {
                Ok(response) => {
                    tracing::info!(
                        target: "clevertim::http",
                        "{method} {path} -> {} in {ms:.1} ms",
                        response.status().as_u16()
                    );
                    tracing::debug!(
                        target: "clevertim::http",
                        "{method} {path}: sent {sent} bytes, received {} bytes",
                        response.body().len()
                    );
                }
                Err(e) => {
                    tracing::info!(target: "clevertim::http", "{method} {path} -> failed in {ms:.1} ms: {e}");
                }
            }
            outcome
        })
    }
}

/// Sends the traces of `-v` (and `-vv`) to stderr; `sandbox` says whether the command serves
/// a sandbox. Only this command's and the SDK's targets are enabled: HTTP libraries' own
/// traces (which may show headers) stay off.
pub(crate) fn init_tracing(verbose: u8, sandbox: bool) {
    let filter = match verbose {
        // `clevertim sandbox` logs each request it serves, as its own binary does.
        0 | 1 if sandbox => "warn,clevertim_sandbox=info",
        0 => "error",
        1 => "warn,clevertim::http=info",
        _ => {
            "warn,clevertim::http=debug,clevertim_core=debug,clevertim=debug,clevertim_cli=debug,clevertim_hyper=debug,clevertim_isahc=debug,clevertim_sandbox=debug,clevertim_sync=debug"
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(verbose > 1)
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .init();
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_endpoints() {
        assert!(super::is_loopback("http://127.0.0.1:8080/api"));
        assert!(super::is_loopback("http://localhost/api"));
        assert!(super::is_loopback("http://[::1]:1/api"));
        assert!(!super::is_loopback("https://www.clevertim.com/api"));
    }
}
