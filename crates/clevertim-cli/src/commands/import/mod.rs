//! `clevertim import DIR`: recreates the objects of an export in this account, with their
//! references remapped to the new keys, and can be run again until it is done.
//!
//! Resources are imported parents first. Users and groups are read-only in the API: they are
//! matched (users by email, then name; groups by name), not created. Custom fields are matched
//! by name and type, and created when missing. Every object is created with its writable
//! fields; a reference to an object that was not imported is dropped and reported. The map
//! from the export's keys to the new ones is recorded as the import goes ([`journal`]): a
//! rerun after a failure, Ctrl-C or `kill` skips what is done and creates nothing twice.

mod create;
mod journal;
mod matching;
mod references;
mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use serde_json::{Map, Value};

use crate::cli::ImportArgs;
use crate::connect::Context;
use crate::exit::{Failure, Kind};
use crate::output;
use crate::resources::{self, CliResource, Visitor};

use self::create::{Finish, Later};
use self::journal::{Entry, Journal};
use self::references::{Keys, parents_first};
use self::report::{Problem, Tally};

/// Parents before children.
const ORDER: &[&str] = &[
    "user",
    "group",
    "customfield",
    "folder",
    "file",
    "linkedfile",
    "company",
    "contact",
    "case",
    "opportunity",
    "task",
    "note",
    "comment",
];

/// The resources whose objects an import creates (an account with any is not empty): all of
/// [`ORDER`] but users, groups and custom fields, which a fresh account has already and which
/// the import matches to the account's own.
const CREATED: &[&str] = ORDER.split_at(3).1;

/// An export's objects, by resource.
type Files = BTreeMap<&'static str, Vec<Map<String, Value>>>;

/// The key map's file name in the export's directory.
const KEYS_FILE: &str = "import-keys.jsonl";

pub(super) struct Importer<'a> {
    ctx: &'a Context,
    dry_run: bool,
    /// The export's objects, by resource.
    files: Files,
    /// The key map's file (none for a dry run).
    journal: Option<Journal>,
    keys: Keys,
    /// The object an earlier run was creating when it stopped.
    unfinished: Option<(String, String, Map<String, Value>)>,
    /// Custom field values to set once every object is created.
    later: Vec<Later>,
    tallies: Vec<Tally>,
    problems: Vec<Problem>,
    bar: ProgressBar,
}

impl Importer<'_> {
    /// The tally of the resource being imported.
    fn tally(&mut self) -> &mut Tally {
        if self.tallies.is_empty() {
            self.tallies.push(Tally::default());
        }
        let last = self.tallies.len() - 1;
        &mut self.tallies[last]
    }

    fn problem(&mut self, resource: &'static str, key: &str, reason: String, failed: bool) {
        self.problems.push(Problem {
            resource,
            key: key.to_owned(),
            reason,
            failed,
        });
    }

    /// Appends to the key map (nothing for a dry run).
    fn record(&mut self, entry: &Entry) -> Result<(), Failure> {
        match &mut self.journal {
            Some(journal) => journal.record(entry).map_err(|e| {
                Failure::other(format!(
                    "{e}: the import stops, so that nothing is created twice"
                ))
            }),
            None => Ok(()),
        }
    }

    /// Imports every resource in order, then the custom field values that waited.
    async fn import_all(&mut self) -> Result<(), Failure> {
        for name in ORDER {
            self.bar.set_message(*name);
            resources::visit(name, &mut *self)
                .await
                .ok_or_else(|| Failure::other(format!("unknown resource {name}")))??;
        }
        self.bar.set_message("references");
        let mut finish = Finish(self);
        for name in ORDER {
            resources::visit(name, &mut finish).await;
        }
        Ok(())
    }
}

impl Visitor for Importer<'_> {
    type Output = Result<(), Failure>;

    async fn visit<R: CliResource>(&mut self) -> Self::Output {
        let Some(objects) = self.files.remove(R::NAME) else {
            return Ok(());
        };
        self.tallies.push(Tally {
            resource: R::NAME,
            read: objects.len(),
            ..Tally::default()
        });
        match R::NAME {
            "user" => self.match_users(objects).await,
            "group" => self.match_groups(objects).await,
            "customfield" => self.custom_fields(objects).await,
            "folder" => self.create_all::<R>(parents_first(objects)).await,
            _ => self.create_all::<R>(objects).await,
        }
    }
}

/// Counts the objects of the resources it visits.
struct Count<'a>(&'a Context);

impl Visitor for Count<'_> {
    type Output = Result<usize, Failure>;

    async fn visit<R: CliResource>(&mut self) -> Self::Output {
        Ok(self.0.session.all::<R>().await?.len())
    }
}

/// The export's files, by resource.
fn read_files(dir: &Path) -> Result<Files, Failure> {
    let mut files = BTreeMap::new();
    for name in ORDER {
        let path = dir.join(format!("{name}.json"));
        if !path.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))?;
        let objects: Vec<Map<String, Value>> = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!("{} is not a list of objects: {e}", path.display()))
        })?;
        files.insert(*name, objects);
    }
    Ok(files)
}

/// Refuses to import into an account that has objects already, unless told to.
async fn refuse_non_empty(ctx: &Context) -> Result<(), Failure> {
    let mut found = Vec::new();
    for name in CREATED {
        if let Some(count) = resources::visit(name, &mut Count(ctx)).await {
            let count = count?;
            if count > 0 {
                found.push(format!("{count} {name}"));
            }
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    Err(Failure::refused(format!(
        "this account is not empty ({}): importing adds the export's objects beside them; nothing was created",
        found.join(", ")
    ))
    .hint("add --allow-non-empty to import anyway, or --dry-run to see what would be created"))
}

/// Imports the export in `args.dir`.
///
/// # Errors
///
/// Usage for a directory that is no export or a key map of another account; refused for a
/// non-empty account; partly done (8) when objects could not be imported; interrupted (130)
/// on Ctrl-C, after the report.
pub(crate) async fn run(ctx: &Context, args: &ImportArgs) -> Result<(), Failure> {
    let dir = &args.dir;
    if !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} is not a directory written by `clevertim export`",
            dir.display()
        )));
    }
    let keys_path: PathBuf = args.keys.clone().unwrap_or_else(|| dir.join(KEYS_FILE));
    let recorded = journal::read(&keys_path).map_err(Failure::other)?;
    if let Some(endpoint) = recorded.endpoint.as_ref().filter(|e| **e != ctx.endpoint) {
        return Err(Failure::usage(format!(
            "{} records an import into {endpoint}, not {}",
            keys_path.display(),
            ctx.endpoint
        ))
        .hint("to import into another account, pass --keys FILE with a new file"));
    }
    let resuming = recorded.len() > 0 || recorded.creating.is_some();
    if !resuming && !args.allow_non_empty && !args.dry_run {
        refuse_non_empty(ctx).await?;
    }
    let files = read_files(dir)?;
    let total: usize = files.values().map(Vec::len).sum();
    let mut journal = None;
    if !args.dry_run {
        let mut opened = Journal::open(&keys_path).map_err(|e| {
            Failure::other(e).hint("pass --keys FILE to record the key map elsewhere")
        })?;
        if recorded.endpoint.is_none() {
            opened
                .record(&Entry::Start {
                    endpoint: ctx.endpoint.clone(),
                })
                .map_err(Failure::other)?;
        }
        journal = Some(opened);
    }
    let mut keys = Keys::default();
    keys.keys = recorded.keys;
    let mut importer = Importer {
        ctx,
        dry_run: args.dry_run,
        files,
        journal,
        keys,
        unfinished: recorded.creating,
        later: Vec::new(),
        tallies: Vec::new(),
        problems: Vec::new(),
        bar: output::progress("importing", total),
    };
    let outcome = tokio::select! {
        outcome = importer.import_all() => outcome,
        _ = tokio::signal::ctrl_c() => Err(Failure::new(
            Kind::Interrupted,
            "import interrupted",
        )),
    };
    importer.bar.finish_and_clear();
    let keys_file = importer.journal.as_ref().map(|j| j.path().to_owned());
    report::print(
        ctx.format,
        &importer.tallies,
        &importer.problems,
        &importer.keys,
        keys_file.as_deref(),
        args.dry_run,
    )?;
    let again = format!(
        "run the same command again to go on where it stopped: what is done is recorded in {} and is not created twice",
        keys_path.display()
    );
    if let Err(mut failure) = outcome {
        failure.hint = Some(match failure.hint.take() {
            Some(hint) => format!("{hint}; then {again}"),
            None => again,
        });
        return Err(failure);
    }
    let failed: usize = importer.tallies.iter().map(|t| t.failed).sum();
    if failed > 0 {
        return Err(Failure::new(
            Kind::Partial,
            format!("{failed} objects could not be imported (listed above, with the reason)"),
        )
        .hint(format!("fix them in the export's files and {again}")));
    }
    Ok(())
}
