//! The command line: global options and subcommands (clap derive).

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use clevertim::ApiKey;
use clevertim_sandbox::cli::SandboxArgs;

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
#[command(name = "clevertim", version, after_help = EXIT_CODES, next_help_heading = "Global options")]
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

    /// Allow a plain http:// endpoint on another host (the key then travels in clear text).
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,

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
    /// Recreate the objects of an export in this account, with references remapped; run it
    /// again after a failure or Ctrl-C to go on where it stopped.
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

    /// Where the map from the export's keys to the new ones is recorded as the import goes
    /// (default: DIR/import-keys.jsonl). Running the same command again goes on where it
    /// stopped and never creates an object twice.
    #[arg(long, value_name = "FILE")]
    pub(crate) keys: Option<PathBuf>,

    /// Say what would be created and matched, and create nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Import even though the account already has objects (they are kept; the import adds to
    /// them).
    #[arg(long)]
    pub(crate) allow_non_empty: bool,
}

/// `clevertim report …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ReportCommand {
    /// Opportunities by status: counts and totals per currency, as a bar chart.
    Pipeline(PipelineArgs),
}

/// `clevertim report pipeline`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct PipelineArgs {
    /// What the bars measure: the number of opportunities, or their total value in one
    /// currency.
    #[arg(long, value_enum, default_value_t = BarsBy::Count)]
    pub(crate) by: BarsBy,

    /// The currency of `--by value` (default: the one with the largest total).
    #[arg(long, value_name = "CODE")]
    pub(crate) currency: Option<String>,
}

/// What the pipeline chart's bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BarsBy {
    /// The number of opportunities.
    Count,
    /// Their total value in one currency.
    Value,
}

/// Parses the command line.
///
/// # Errors
///
/// clap's, for a command line that is wrong (or `--help`).
pub(crate) fn parse() -> Result<Cli, clap::Error> {
    use clap::builder::EnumValueParser;
    use clap::{Arg, CommandFactory as _, FromArgMatches as _};
    // `sandbox` has its own (hidden) copies of the global options that do nothing there, so
    // that its help does not list them.
    let command = Cli::command().mut_subcommand("sandbox", |sandbox| {
        sandbox
            .arg(
                Arg::new("transport")
                    .long("transport")
                    .hide(true)
                    .value_parser(EnumValueParser::<TransportChoice>::new())
                    .default_value("hyper"),
            )
            .arg(
                Arg::new("format")
                    .long("format")
                    .hide(true)
                    .value_parser(EnumValueParser::<Format>::new())
                    .default_value("table"),
            )
    });
    Cli::from_arg_matches(&command.try_get_matches()?)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
