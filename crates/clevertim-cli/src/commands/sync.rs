//! `clevertim sync --to sqlite:PATH|postgres://…`: a SQL mirror of the account, through the
//! `clevertim-sync` library (docs/sync.md).
//!
//! Exit codes: 0 mirrored; 2 a bad `--to`; 4 the key was refused; 5 refused by a guard (a
//! mass delete, another account's mirror, another sync running, a newer schema), nothing
//! changed; 6/7 the API failed or could not be reached before anything was written; 8 some
//! resources could not be read (the rest was mirrored, those were left as they were); 1 the
//! database failed (rolled back).

use std::time::Duration;

use clevertim_sync::{Error, Options, Progress, Report, Target};

use crate::connect::Context;
use crate::exit::{Failure, Kind};
use crate::output::{self, Format};

/// `clevertim sync`.
#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    /// The mirror: `sqlite:PATH` (a file, created when missing) or a `postgres://` URL
    /// (prefer PGPASSWORD or ~/.pgpass to a password in the URL).
    // Parsed by the command, not by clap: a bad target is a usage error (exit 2), and its
    // message shows a password as `***` (clap's would repeat the value as given).
    #[arg(long, value_name = "TARGET")]
    pub(crate) to: String,

    /// Refuse a run that would delete more than this share (in percent) of a resource's rows.
    #[arg(long, value_name = "PERCENT", default_value_t = 50, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub(crate) max_delete: u8,

    /// Apply the deletions whatever their share.
    #[arg(long)]
    pub(crate) force: bool,

    /// How long to wait for another sync of the same SQLite file, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub(crate) wait: u64,
}

/// Runs the sync, with a progress bar on a terminal (stderr), and prints the report.
pub(crate) async fn run(ctx: &Context, args: &SyncArgs) -> Result<(), Failure> {
    let target: Target = args.to.parse().map_err(failure)?;
    let steps = clevertim_sync::resources().len() * 2;
    let bar = output::progress("syncing", steps);
    let shown = bar.clone();
    let options = Options::default()
        .max_delete_share(f64::from(args.max_delete) / 100.0)
        .force(args.force)
        .busy_timeout(Duration::from_secs(args.wait))
        .on_progress(move |step| match step {
            Progress::Reading { resource } => shown.set_message(format!("reading {resource}")),
            Progress::Read { .. } | Progress::Unreadable { .. } | Progress::Applied { .. } => {
                shown.inc(1);
            }
            Progress::Writing => shown.set_message("writing"),
            _ => {}
        });
    let outcome = clevertim_sync::sync(ctx.session.core(), &target, &options).await;
    bar.finish_and_clear();
    let report = outcome.map_err(failure)?;
    print_report(ctx.format, &report)?;
    if report.is_complete() {
        Ok(())
    } else {
        let skipped: Vec<&str> = report
            .resources
            .iter()
            .filter(|r| r.skipped.is_some())
            .map(|r| r.resource)
            .collect();
        Err(Failure::new(
            Kind::Partial,
            format!("not mirrored (left as they were): {}", skipped.join(", ")),
        )
        .hint("the key's user may lack the permission; the report says why"))
    }
}

fn failure(error: Error) -> Failure {
    match error {
        Error::Read { source, .. } => source.into(),
        Error::Target(_) => Failure::usage(error.to_string()),
        Error::Busy
        | Error::OtherAccount { .. }
        | Error::MassDelete { .. }
        | Error::NewerSchema { .. } => Failure::refused(error.to_string()),
        _ => Failure::other(error.to_string())
            .hint("the mirror was left as the last run left it; run with -vv for details"),
    }
}

fn print_report(format: Format, report: &Report) -> Result<(), Failure> {
    match format {
        Format::Json => output::print(&output::json_text(report)?),
        Format::Csv => {
            let mut text = String::from("resource,table,read,inserted,updated,deleted,skipped\n");
            for r in &report.resources {
                text.push_str(&format!(
                    "{},{},{},{},{},{},\"{}\"\n",
                    r.resource,
                    r.table,
                    r.read.map(|n| n.to_string()).unwrap_or_default(),
                    r.inserted,
                    r.updated,
                    r.deleted,
                    r.skipped
                        .as_deref()
                        .unwrap_or_default()
                        .replace('"', "\"\"")
                ));
            }
            output::print(&text)
        }
        Format::Table => {
            let mut text = format!(
                "{:<14} {:>8} {:>8} {:>8} {:>8}\n",
                "TABLE", "READ", "INSERTED", "UPDATED", "DELETED"
            );
            for r in &report.resources {
                let read = match (&r.read, &r.skipped) {
                    (Some(n), _) => n.to_string(),
                    (None, _) => "skipped".to_owned(),
                };
                text.push_str(&format!(
                    "{:<14} {:>8} {:>8} {:>8} {:>8}\n",
                    r.table, read, r.inserted, r.updated, r.deleted
                ));
            }
            text.push_str(&format!(
                "run {}: {} objects changed\n",
                report.run_id,
                report.changed()
            ));
            output::print(&text)
        }
    }
}
