//! Printing results: aligned tables for people, pretty JSON and CSV for scripts.

mod csv;
mod fields;
mod table;

use std::io::{IsTerminal as _, Write as _};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use serde_json::Value;

use crate::connect::Context;
use crate::exit::Failure;
use crate::names::Names;
use crate::resources::CliResource;

pub(crate) use table::{Table, cell, terminal_width};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned tables (sorted by key).
    Table,
    /// Pretty JSON: the objects as the API has them.
    Json,
    /// CSV with a header row; lists and objects as JSON in their cell.
    Csv,
}

/// Writes `text` to stdout. A closed pipe (`| head`) is not a failure.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::other(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Pretty JSON with a final newline.
pub(crate) fn json_text(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure::other(format!("cannot encode JSON: {e}")))
}

/// The objects as the API has them.
pub(crate) fn wire_values<R: CliResource>(objects: &[R]) -> Result<Vec<Value>, Failure> {
    objects
        .iter()
        .map(|o| {
            serde_json::to_value(o)
                .map_err(|e| Failure::other(format!("cannot encode a {}: {e}", R::NAME)))
        })
        .collect()
}

/// Prints a list of objects: one row each, referenced objects by name beside their key;
/// `columns` picks the table's columns by header (any case).
///
/// # Errors
///
/// Usage for a column the table does not have; a local failure when stdout fails.
pub(crate) fn list<R: CliResource>(
    format: Format,
    objects: &[R],
    names: &Names,
    columns: Option<&[String]>,
) -> Result<(), Failure> {
    match format {
        Format::Json => print(&json_text(&wire_values(objects)?)?),
        Format::Csv => print(&csv::objects::<R>(&wire_values(objects)?)?),
        Format::Table => {
            let mut all = R::columns();
            if let Some(wanted) = columns {
                let known: Vec<&str> = all.iter().map(|c| c.header).collect();
                if let Some(unknown) = wanted.iter().find(|w| {
                    !w.eq_ignore_ascii_case("key")
                        && !known.iter().any(|k| k.eq_ignore_ascii_case(w))
                }) {
                    return Err(Failure::usage(format!(
                        "a {} table has no column {unknown:?}: it has {}",
                        R::NAME,
                        known.join(", ")
                    )));
                }
                let mut picked = Vec::new();
                for w in wanted {
                    if let Some(i) = all.iter().position(|c| c.header.eq_ignore_ascii_case(w)) {
                        picked.push(all.remove(i));
                    }
                }
                all = picked;
            }
            let mut table = Table::new(std::iter::once("KEY").chain(all.iter().map(|c| c.header)));
            for object in objects {
                let key = object.key().map(|k| k.to_string()).unwrap_or_default();
                table.row(std::iter::once(key).chain(all.iter().map(|c| (c.cell)(object, names))));
            }
            let count = objects.len();
            let noun = if count == 1 {
                R::NAME.to_owned()
            } else {
                plural(R::NAME)
            };
            print(&format!("{table}\n{count} {noun}\n"))
        }
    }
}

/// `company` → `companies`, `contact` → `contacts`.
fn plural(noun: &str) -> String {
    match noun.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{noun}s"),
    }
}

/// Prints objects in full: every field (`get`, `create`, `update`). JSON gives one object
/// for one, a list for several; the table shows referenced objects and custom fields by name.
///
/// # Errors
///
/// A local failure when stdout fails or an object cannot be encoded.
pub(crate) async fn detail<R: CliResource>(ctx: &Context, objects: &[R]) -> Result<(), Failure> {
    let values = wire_values(objects)?;
    match ctx.format {
        Format::Json => match values.as_slice() {
            [one] => print(&json_text(one)?),
            _ => print(&json_text(&values)?),
        },
        Format::Csv => print(&csv::objects::<R>(&values)?),
        Format::Table => {
            let shown = fields::Shown::load::<R>(ctx, &values).await;
            let mut text = String::new();
            for value in &values {
                let mut table = Table::wrapping(["FIELD", "VALUE"]);
                if let Value::Object(map) = value {
                    if let Some(id) = map.get("id") {
                        table.row(["key".to_owned(), cell(id)]);
                    }
                    for field in R::FIELDS {
                        if let Some(v) = map.get(field.wire) {
                            table.row([field.name.to_owned(), shown.cell(field.name, v)]);
                        }
                    }
                    for (name, v) in map {
                        if name != "id" && R::field(name).is_none() {
                            table.row([name.clone(), cell(v)]);
                        }
                    }
                }
                text.push_str(&format!("{table}\n"));
            }
            print(&text)
        }
    }
}

/// A progress bar of `len` objects on stderr when it is a terminal (hidden when it is piped or
/// redirected), one line at any width: the bar takes what the text leaves.
pub(crate) fn progress(verb: &str, len: usize) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    let template = format!("{verb} {{pos}}/{{len}} {{msg}} {{elapsed}} {{wide_bar:.cyan/blue}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}
