//! `clevertim-sandbox`: a local Clevertim CRM API server.
//!
//! Prints `CLEVERTIM_ENDPOINT=…`, `CLEVERTIM_API_KEY=…` and `CLEVERTIM_READONLY_API_KEY=…`
//! on stdout when ready; logs go to stderr (`RUST_LOG` sets the level).

use clap::Parser;
use clevertim_sandbox::cli::{SandboxArgs, serve};

/// A faithful local emulator of the Clevertim CRM REST API.
#[derive(Debug, Parser)]
#[command(name = "clevertim-sandbox", version, about)]
struct Args {
    #[command(flatten)]
    sandbox: SandboxArgs,
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
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
        .and_then(|runtime| {
            runtime
                .block_on(serve(&args.sandbox))
                .map_err(|e| e.to_string())
        });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
