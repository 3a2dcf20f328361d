//! The command-line options of the sandbox, shared by the `clevertim-sandbox` binary and the
//! `clevertim sandbox` command, and the serve loop both run.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;

use crate::{Sandbox, SandboxBuilder, SandboxError};

/// The sandbox's options (`clap` arguments, to flatten into a command).
///
/// ```
/// use clap::Parser as _;
/// use clevertim_sandbox::cli::SandboxArgs;
///
/// #[derive(clap::Parser)]
/// struct Command {
///     #[command(flatten)]
///     sandbox: SandboxArgs,
/// }
///
/// let command = Command::parse_from(["mytool", "--port", "8080", "--empty"]);
/// assert_eq!((command.sandbox.port, command.sandbox.empty), (8080, true));
/// let builder = command.sandbox.builder()?; // a SandboxBuilder with these settings
/// # let _ = builder;
/// # Ok::<(), clevertim_sandbox::cli::ServeError>(())
/// ```
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Port to listen on (0 = a free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Preload objects from this JSON file: {"contact": [...], "user": [...], ...}.
    #[arg(long, value_name = "FILE.json")]
    pub seed: Option<PathBuf>,
    /// Keep the data in this directory (or .json file) across restarts.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The owner's read-write API key (default: the built-in demo key).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Start without the demo CRM data (users, groups and custom fields stay).
    #[arg(long)]
    pub empty: bool,
    /// Path prefix of every resource.
    #[arg(long, default_value = "/api")]
    pub prefix: String,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = crate::DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,
    /// Also write the three lines as `export` lines to this file, for `source FILE` (it
    /// appears whole, once the sandbox is ready).
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

/// Why the sandbox command failed.
///
/// ```
/// use clap::Parser as _;
/// use clevertim_sandbox::cli::{SandboxArgs, ServeError};
///
/// #[derive(clap::Parser)]
/// struct Command {
///     #[command(flatten)]
///     sandbox: SandboxArgs,
/// }
///
/// let command = Command::parse_from(["mytool", "--seed", "/nonexistent/seed.json"]);
/// let err = command.sandbox.builder().unwrap_err();
/// assert!(matches!(err, ServeError::SeedRead { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The sandbox could not start.
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    /// The seed file could not be read.
    #[error("cannot read the seed file {path}: {source}")]
    SeedRead {
        /// The seed file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The seed file is not JSON.
    #[error("the seed file {path} is not JSON: {source}")]
    SeedJson {
        /// The seed file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The ready lines could not be written.
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
    /// The `--env-file` could not be written.
    #[error("cannot write the env file {path}: {source}")]
    EnvFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The ready lines as `export NAME='value'` lines, for a shell's `source`.
///
/// ```
/// let text = clevertim_sandbox::cli::export_lines(&[("CLEVERTIM_API_KEY", "K1")]);
/// assert_eq!(text, "export CLEVERTIM_API_KEY='K1'\n");
/// ```
pub fn export_lines(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .map(|(name, value)| format!("export {name}='{}'\n", value.replace('\'', r"'\''")))
        .collect()
}

/// Writes `text` to `path` whole: to a temporary file beside it, then renamed over it, so
/// that a shell waiting for the file never sources half of it.
fn write_whole(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, path)
}

impl SandboxArgs {
    /// The builder these options describe (reads the seed file, if any).
    ///
    /// # Errors
    ///
    /// The seed file cannot be read ([`ServeError::SeedRead`]) or is not JSON
    /// ([`ServeError::SeedJson`]).
    pub fn builder(&self) -> Result<SandboxBuilder, ServeError> {
        let mut builder = Sandbox::builder()
            .host(self.host)
            .port(self.port)
            .empty(self.empty)
            .prefix(self.prefix.clone())
            .body_limit(self.body_limit);
        if let Some(path) = &self.seed {
            let bytes = std::fs::read(path).map_err(|source| ServeError::SeedRead {
                path: path.clone(),
                source,
            })?;
            let seed = serde_json::from_slice(&bytes).map_err(|source| ServeError::SeedJson {
                path: path.clone(),
                source,
            })?;
            builder = builder.seed_json(seed);
        }
        if let Some(dir) = &self.data {
            builder = builder.data_dir(dir);
        }
        if let Some(key) = &self.api_key {
            builder = builder.api_key(key);
        }
        Ok(builder)
    }
}

/// Starts the sandbox, prints `CLEVERTIM_ENDPOINT=…`, `CLEVERTIM_API_KEY=…` and
/// `CLEVERTIM_READONLY_API_KEY=…` on stdout (and, with `--env-file`, writes them as `export`
/// lines to that file first), and serves until SIGINT or SIGTERM.
///
/// # Errors
///
/// The sandbox cannot start ([`ServeError::Sandbox`], or the seed file's errors), or the
/// ready lines cannot be written ([`ServeError::Stdout`], [`ServeError::EnvFile`]).
pub async fn serve(args: &SandboxArgs) -> Result<(), ServeError> {
    let sandbox = args.builder()?.start().await?;
    // Listen for the signals before saying we are ready: a signal sent right after the ready
    // lines must stop the sandbox gracefully, not kill it.
    let signals = Signals::listen();
    let (endpoint, key, readonly) = (
        sandbox.endpoint(),
        sandbox.api_key().to_owned(),
        sandbox.readonly_api_key().to_owned(),
    );
    if let Some(path) = &args.env_file {
        let text = export_lines(&[
            ("CLEVERTIM_ENDPOINT", &endpoint),
            ("CLEVERTIM_API_KEY", &key),
            ("CLEVERTIM_READONLY_API_KEY", &readonly),
        ]);
        write_whole(path, &text).map_err(|source| ServeError::EnvFile {
            path: path.clone(),
            source,
        })?;
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "CLEVERTIM_ENDPOINT={endpoint}\nCLEVERTIM_API_KEY={key}\nCLEVERTIM_READONLY_API_KEY={readonly}",
        )
        .and_then(|()| out.flush())
        .map_err(ServeError::Stdout)?;
    }
    tracing::info!(endpoint = %sandbox.endpoint(), "clevertim-sandbox ready");
    signals.wait().await;
    tracing::info!("shutting down");
    sandbox.shutdown().await;
    Ok(())
}

/// SIGINT and SIGTERM, listened for from creation on.
struct Signals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn listen() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                unix: signal(SignalKind::interrupt())
                    .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                    .ok(),
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut int, mut term)) = self.unix {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::export_lines;

    #[test]
    fn export_lines_quote_for_the_shell() {
        assert_eq!(
            export_lines(&[("A", "http://h:1/api"), ("B", "it's")]),
            "export A='http://h:1/api'\nexport B='it'\\''s'\n"
        );
    }
}
