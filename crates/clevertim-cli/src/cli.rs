//! The command line: global options and subcommands (clap derive).

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use clevertim::ApiKey;
use clevertim_sandbox::cli::SandboxArgs;

use crate::flags::KeyArg;
use crate::output::Format;
use crate::resources::ResourceCommand;

/// What the exit codes mean, shown at the end of `--help`.
const EXIT_CODES: &str = "\
Exit codes: 0 ok, 1 other failure, 2 usage (or no account configured), 3 not found, \
4 authentication/permission, 5 refused (invalid value or a write the API does not allow; \
nothing was sent), 6 server error, 7 network, 8 import partly done, 130 interrupted.";

/// The Clevertim CRM from a terminal: every resource, export and import, reports.
///
/// Set CLEVERTIM_ENDPOINT and CLEVERTIM_API_KEY for your account, or try it with
/// `clevertim --sandbox contact list` (a throwaway local sandbox with demo data) or
/// `clevertim sandbox` (a local sandbox to point other commands at).
#[derive(Debug, Parser)]
#[command(name = "clevertim", version, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    /// The API's base URL (with only a key: `https://www.clevertim.com/api`).
    #[arg(long, env = "CLEVERTIM_ENDPOINT", value_name = "URL")]
    pub(crate) endpoint: Option<String>,

    /// The API key; prefer the environment variable (a flag shows in the process list).
    #[arg(
        long,
        env = "CLEVERTIM_API_KEY",
        hide_env_values = true,
        value_name = "KEY",
        value_parser = parse_api_key
    )]
    pub(crate) api_key: Option<ApiKey>,

    /// Run against a throwaway embedded sandbox with demo data, forgotten on exit.
    #[arg(long)]
    pub(crate) sandbox: bool,

    /// The HTTP transport.
    #[arg(long, global = true, value_enum, default_value_t = TransportChoice::Hyper)]
    pub(crate) transport: TransportChoice,

    /// The output format: aligned tables for people, JSON and CSV for scripts.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,

    /// Trace the requests on stderr: -v method, path, status and time; -vv the SDK's details.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,

    #[command(subcommand)]
    pub(crate) command: Command,
}

fn parse_api_key(s: &str) -> Result<ApiKey, std::convert::Infallible> {
    Ok(ApiKey::new(s))
}

/// The HTTP transports this command can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TransportChoice {
    /// hyper 1 with rustls (feature `hyper`).
    Hyper,
    /// isahc over libcurl (feature `isahc`).
    Isahc,
}

/// The subcommands.
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    #[command(flatten)]
    Resource(ResourceCommand),
    /// Write every resource the key can read to DIR, one JSON file per resource.
    Export(ExportArgs),
    /// Recreate the objects of an export in this account, with references remapped.
    Import(ImportArgs),
    /// Reports on the account's data.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Run a local sandbox of the API (with demo data) until Ctrl-C; prints its endpoint and keys.
    Sandbox(SandboxArgs),
    /// Mirror the account into SQLite or PostgreSQL: incremental, atomic, safe from cron.
    Sync(crate::commands::sync::SyncArgs),
}

/// `clevertim export`.
#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The directory to write to (created if missing; files in it are replaced atomically).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

/// `clevertim import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// A directory written by `clevertim export`.
    #[arg(value_name = "DIR")]
    pub(crate) dir: PathBuf,
}

/// `clevertim report …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ReportCommand {
    /// Opportunities by status: counts and totals per currency, as a bar chart.
    Pipeline,
}

/// The flags every create and update takes, beside the resource's typed ones.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct WriteArgs {
    /// Set any field by its SDK or wire name; VALUE is read as JSON when it is JSON
    /// (`--set 'tags=["a","b"]'`), else as text. Repeatable.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_assignment, help_heading = "Any field")]
    pub(crate) set: Vec<(String, String)>,

    /// Set a custom field by its name (a `multiple` one takes a comma-separated list; an
    /// empty VALUE removes it). Repeatable.
    #[arg(long = "custom-field", value_name = "NAME=VALUE", value_parser = parse_assignment, help_heading = "Any field")]
    pub(crate) custom_fields: Vec<(String, String)>,

    /// A whole object as JSON (what `get --format json` prints), from FILE or `-` for stdin;
    /// `create` also takes a list. Flags apply on top.
    #[arg(long, value_name = "FILE|-", help_heading = "Any field")]
    pub(crate) json: Option<PathBuf>,
}

fn parse_assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

/// What to do with a resource.
#[derive(Debug, Subcommand)]
pub(crate) enum Action<F: clap::Args> {
    /// List every object the key can see, sorted by key.
    List,
    /// Show objects by key.
    Get {
        /// The keys.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<KeyArg>,
    },
    /// Create an object from the flags (or from --json).
    Create {
        #[command(flatten)]
        fields: F,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Change an object: only what the flags change is sent.
    Update {
        /// The key.
        #[arg(value_name = "KEY")]
        key: KeyArg,
        #[command(flatten)]
        fields: F,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Delete objects by key.
    Delete {
        /// The keys.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<KeyArg>,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
