//! What an import did: a tally per resource, and each object not (wholly) imported, why.

use std::path::Path;

use serde::Serialize;

use crate::commands::crud::key_order;
use crate::exit::Failure;
use crate::flags::key_id;
use crate::output::{self, Format, Table};

use super::references::Keys;

/// One resource's tally.
#[derive(Debug, Default, Serialize)]
pub(super) struct Tally {
    pub(super) resource: &'static str,
    /// Objects in the export's file.
    pub(super) read: usize,
    /// Objects created by this run (or, with `--dry-run`, that would be).
    pub(super) created: usize,
    /// Objects an earlier run imported (recorded in the key map, or found in the account).
    pub(super) earlier: usize,
    /// Objects matched to one the account has (users, groups, custom fields).
    pub(super) matched: usize,
    /// Objects that could not be imported.
    pub(super) failed: usize,
}

/// Something not imported (or not wholly), and why.
#[derive(Debug, Serialize)]
pub(super) struct Problem {
    pub(super) resource: &'static str,
    /// The key in the export.
    pub(super) key: String,
    /// What happened.
    pub(super) reason: String,
    /// Whether the object itself was not imported (else: imported without a reference).
    pub(super) failed: bool,
}

/// Prints the report.
///
/// # Errors
///
/// When stdout fails.
pub(super) fn print(
    format: Format,
    tallies: &[Tally],
    problems: &[Problem],
    keys: &Keys,
    keys_file: Option<&Path>,
    dry_run: bool,
) -> Result<(), Failure> {
    match format {
        Format::Json => output::print(&output::json_text(&serde_json::json!({
            "dry_run": dry_run,
            "keys_file": keys_file,
            "resources": tallies,
            "keys": keys.keys.iter().collect::<std::collections::BTreeMap<_, _>>(),
            "problems": problems,
        }))?),
        Format::Csv => {
            let mut text = String::from("resource,read,created,earlier,matched,failed\n");
            for t in tallies {
                text.push_str(&format!(
                    "{},{},{},{},{},{}\n",
                    t.resource, t.read, t.created, t.earlier, t.matched, t.failed
                ));
            }
            output::print(&text)
        }
        Format::Table => {
            let created = if dry_run { "TO CREATE" } else { "CREATED" };
            let mut table = Table::new([
                "RESOURCE", "IN FILE", created, "EARLIER", "MATCHED", "FAILED",
            ]);
            for t in tallies {
                table.row([
                    t.resource.to_owned(),
                    t.read.to_string(),
                    t.created.to_string(),
                    t.earlier.to_string(),
                    t.matched.to_string(),
                    t.failed.to_string(),
                ]);
            }
            let mut text = format!("{table}\n");
            let mut sorted: Vec<&Problem> = problems.iter().collect();
            sorted.sort_by_key(|p| (p.resource, key_order(Some(key_id(&p.key)))));
            for p in sorted {
                let what = if p.failed {
                    "not imported"
                } else {
                    "imported without a reference"
                };
                text.push_str(&format!("{} {}: {what}: {}\n", p.resource, p.key, p.reason));
            }
            if dry_run {
                text.push_str("dry run: nothing was created\n");
            } else if let Some(file) = keys_file {
                text.push_str(&format!("keys recorded in {}\n", file.display()));
            }
            output::print(&text)
        }
    }
}
