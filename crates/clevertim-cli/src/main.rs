//! `clevertim`: the Clevertim CRM from a terminal, for people and scripts.
//!
//! Every resource of the API (`clevertim contact list`, `get`, `create`, `update`, `delete`),
//! `export` and `import` of a whole account, `report pipeline`, and `sandbox` to try it all
//! locally. See the crate's README for a tour and [`exit`] for the exit codes.

mod args;
mod atomic;
mod cli;
mod commands;
mod connect;
mod exit;
mod flags;
mod lookup;
mod names;
mod output;
mod resources;

use std::process::ExitCode;

use clap::error::ErrorKind;

use crate::cli::{Cli, Command, ReportCommand};
use crate::commands::crud::Crud;
use crate::connect::Context;
use crate::exit::{Failure, Kind};

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    connect::init_tracing(cli.verbose, matches!(cli.command, Command::Sandbox(_)));
    let secret = cli.api_key.as_ref().map(|k| k.expose_secret().to_owned());
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::other(format!("cannot start the runtime: {e}")))
        .and_then(|runtime| match &cli.command {
            // The sandbox stops gracefully on Ctrl-C by itself.
            Command::Sandbox(args) => runtime
                .block_on(clevertim_sandbox::cli::serve(args))
                .map_err(|e| Failure::other(e.to_string())),
            _ => runtime.block_on(run(cli)),
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", scrub(&failure.line(), secret.as_deref()));
            ExitCode::from(failure.kind.code())
        }
    }
}

/// clap's own failures: help and version are successes, an invalid value is refused (5, as
/// every invalid value is), anything else is usage (2).
fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => ExitCode::from(Kind::Usage.code()),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            ExitCode::from(Kind::Refused.code())
        }
        _ => ExitCode::from(Kind::Usage.code()),
    }
}

/// Runs `work` until it ends or Ctrl-C; on Ctrl-C the work is dropped (temporary files with
/// it) and the command fails with exit code 130 and `said`.
async fn interruptible(
    work: impl std::future::Future<Output = Result<(), Failure>>,
    said: &str,
) -> Result<(), Failure> {
    tokio::select! {
        outcome = work => outcome,
        _ = tokio::signal::ctrl_c() => Err(Failure::new(Kind::Interrupted, said)),
    }
}

/// Runs the command. A new subcommand is one variant of `cli::Command` and one arm here.
async fn run(cli: Cli) -> Result<(), Failure> {
    let ctx = Context::connect(&cli).await?;
    let outcome = match cli.command {
        Command::Resource(command) => {
            interruptible(command.accept(Crud(&ctx)), "interrupted").await
        }
        Command::Export(args) => {
            interruptible(
                commands::export::run(&ctx, &args.out),
                "export interrupted: files already written are whole, none is half written",
            )
            .await
        }
        // The import stops at Ctrl-C by itself, with its report.
        Command::Import(args) => commands::import::run(&ctx, &args).await,
        Command::Report(ReportCommand::Pipeline(args)) => {
            interruptible(commands::report::pipeline(&ctx, &args), "interrupted").await
        }
        Command::Sync(args) => commands::sync::run(&ctx, &args).await,
        Command::Sandbox(_) => Ok(()), // served by `main`
    };
    outcome.map_err(|mut failure| {
        // A session's transport error already says `GET /api/… to HOST`: not twice.
        if failure.kind == Kind::Network && !failure.names_where {
            failure.message = format!("cannot reach {}: {}", ctx.endpoint, failure.message);
        }
        failure
    })
}

/// `text` with the API key, and its HTTP Basic form, replaced (a last guard: the SDK's errors
/// never hold it).
fn scrub(text: &str, secret: Option<&str>) -> String {
    use base64::Engine as _;
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return text.to_owned();
    };
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{secret}:X"));
    text.replace(&basic, "[redacted]")
        .replace(secret, "[redacted]")
}
