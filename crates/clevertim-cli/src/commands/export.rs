//! `clevertim export --out DIR`: every resource the key can read, one JSON file each.

use std::path::{Path, PathBuf};

use clevertim::Error;
use serde::Serialize;

use crate::atomic;
use crate::commands::crud::sort_by_key;
use crate::connect::Context;
use crate::exit::Failure;
use crate::output::{self, Format, Table};
use crate::resources::{self, CliResource, Visitor};

/// What happened to one resource.
#[derive(Debug, Serialize)]
struct Outcome {
    resource: &'static str,
    /// How many objects were written.
    count: Option<usize>,
    /// The file written.
    file: Option<PathBuf>,
    /// Why nothing was written.
    skipped: Option<String>,
}

struct Exporter<'a> {
    ctx: &'a Context,
    dir: &'a Path,
}

impl Visitor for Exporter<'_> {
    type Output = Result<Outcome, Failure>;

    async fn visit<R: CliResource>(&mut self) -> Self::Output {
        let mut objects = match self.ctx.session.all::<R>().await {
            Ok(objects) => objects,
            // What the key may not read is left out, and said so.
            Err(e @ (Error::Permission { .. } | Error::Unsupported { .. })) => {
                return Ok(Outcome {
                    resource: R::NAME,
                    count: None,
                    file: None,
                    skipped: Some(e.to_string()),
                });
            }
            Err(e) => return Err(e.into()),
        };
        sort_by_key(&mut objects);
        let text = output::json_text(&output::wire_values(&objects)?)?;
        let file = self.dir.join(format!("{}.json", R::NAME));
        atomic::write(&file, text.as_bytes())
            .map_err(|e| Failure::other(format!("cannot write {}: {e}", file.display())))?;
        Ok(Outcome {
            resource: R::NAME,
            count: Some(objects.len()),
            file: Some(file),
            skipped: None,
        })
    }
}

/// Exports every resource to `dir`, with a progress bar on a terminal.
pub(crate) async fn run(ctx: &Context, dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    let bar = output::progress("exporting", resources::NAMES.len());
    let mut exporter = Exporter { ctx, dir };
    let mut outcomes: Vec<Outcome> = Vec::new();
    // The API answers a resource's list in one piece: the objects are counted as they come,
    // and the clock ticks while a long list is read.
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    for name in resources::NAMES {
        let so_far: usize = outcomes.iter().filter_map(|o| o.count).sum();
        bar.set_message(format!("{name} · {so_far} objects so far"));
        let outcome = resources::visit(name, &mut exporter)
            .await
            .ok_or_else(|| Failure::other(format!("unknown resource {name}")))?;
        match outcome {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) => {
                bar.abandon();
                return Err(e);
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    print_outcomes(ctx.format, dir, &outcomes)
}

fn print_outcomes(format: Format, dir: &Path, outcomes: &[Outcome]) -> Result<(), Failure> {
    match format {
        Format::Json => output::print(&output::json_text(&serde_json::json!({
            "dir": dir,
            "resources": outcomes,
        }))?),
        Format::Csv => {
            let mut text = String::from("resource,count,file,skipped\n");
            for o in outcomes {
                let file = o.file.as_ref().map(|f| f.display().to_string());
                text.push_str(&format!(
                    "{},{},{},{}\n",
                    o.resource,
                    o.count.map(|c| c.to_string()).unwrap_or_default(),
                    csv_field(file.as_deref().unwrap_or_default()),
                    csv_field(o.skipped.as_deref().unwrap_or_default()),
                ));
            }
            output::print(&text)
        }
        Format::Table => {
            let mut table = Table::new(["RESOURCE", "OBJECTS", "FILE"]);
            let mut total = 0;
            for o in outcomes {
                total += o.count.unwrap_or(0);
                let file = match (&o.file, &o.skipped) {
                    (Some(file), _) => file.display().to_string(),
                    (None, Some(why)) => format!("skipped: {why}"),
                    (None, None) => String::new(),
                };
                table.row([
                    o.resource.to_owned(),
                    o.count.map(|c| c.to_string()).unwrap_or_default(),
                    file,
                ]);
            }
            output::print(&format!(
                "{table}\n{total} objects exported to {}\n",
                dir.display()
            ))
        }
    }
}

/// A CSV field, quoted when it needs to be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
