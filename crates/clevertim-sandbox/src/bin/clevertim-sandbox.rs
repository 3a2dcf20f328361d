//! `clevertim-sandbox`: a local Clevertim CRM API server.
//!
//! Prints `CLEVERTIM_ENDPOINT=…`, `CLEVERTIM_API_KEY=…` and `CLEVERTIM_READONLY_API_KEY=…`
//! on stdout when ready; logs go to stderr (`RUST_LOG` sets the level).

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;
use clevertim_sandbox::{Sandbox, SandboxError};

/// A faithful local emulator of the Clevertim CRM REST API.
#[derive(Debug, Parser)]
#[command(name = "clevertim-sandbox", version, about)]
struct Args {
    /// Port to listen on (0 = a free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Preload objects from this JSON file: {"contact": [...], "user": [...], ...}.
    #[arg(long, value_name = "FILE.json")]
    seed: Option<PathBuf>,
    /// Keep the data in this directory (or .json file) across restarts.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The owner's read-write API key (default: the built-in demo key).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// Start without the demo CRM data (users, groups and custom fields stay).
    #[arg(long)]
    empty: bool,
    /// Path prefix of every resource.
    #[arg(long, default_value = "/api")]
    prefix: String,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = clevertim_sandbox::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
    #[error("cannot read the seed file {path}: {source}")]
    SeedRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the seed file {path} is not JSON: {source}")]
    SeedJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    match run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), CliError> {
    let mut builder = Sandbox::builder()
        .host(args.host)
        .port(args.port)
        .empty(args.empty)
        .prefix(args.prefix)
        .body_limit(args.body_limit);
    if let Some(path) = args.seed {
        let bytes = std::fs::read(&path).map_err(|source| CliError::SeedRead {
            path: path.clone(),
            source,
        })?;
        let seed =
            serde_json::from_slice(&bytes).map_err(|source| CliError::SeedJson { path, source })?;
        builder = builder.seed_json(seed);
    }
    if let Some(dir) = args.data {
        builder = builder.data_dir(dir);
    }
    if let Some(key) = args.api_key {
        builder = builder.api_key(key);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(async move {
        let sandbox = builder.start().await?;
        {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "CLEVERTIM_ENDPOINT={}\nCLEVERTIM_API_KEY={}\nCLEVERTIM_READONLY_API_KEY={}",
                sandbox.endpoint(),
                sandbox.api_key(),
                sandbox.readonly_api_key()
            )
            .and_then(|()| out.flush())
            .map_err(CliError::Stdout)?;
        }
        tracing::info!(endpoint = %sandbox.endpoint(), "clevertim-sandbox ready");
        wait_for_signal().await;
        tracing::info!("shutting down");
        sandbox.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
