//! Aligned tables (comfy-table) fitted to the terminal, and how a JSON value reads in a cell.
//!
//! Columns are sized by their content; headers are never broken; a cell too long for its
//! column is cut with "…" (a list's rows stay one line each); when even the headers do not
//! fit, the rightmost (least important) columns are left out. The width is `COLUMNS` when set,
//! else the terminal's; a pipe without `COLUMNS` gets whole lines.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ColumnConstraint, ContentArrangement, Row, Table as Comfy, Width};
use serde_json::Value;

/// Narrower than this, a table gets whole lines rather than columns a few letters wide.
const MIN_WIDTH: u16 = 30;

/// The narrowest a column is made before it is left out (or its header, if shorter).
const MIN_COLUMN: usize = 6;

/// A table with a header row.
pub(crate) struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// One line per row, cut with "…" (lists); else long values wrap (an object's fields).
    one_line: bool,
}

impl Table {
    /// A table whose rows are one line each (a list).
    pub(crate) fn new<S: ToString>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            one_line: true,
        }
    }

    /// A table whose long values wrap (an object's fields).
    pub(crate) fn wrapping<S: ToString>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            one_line: false,
            ..Table::new(headers)
        }
    }

    /// Adds a row.
    pub(crate) fn row<S: ToString>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
    }

    /// The columns shown at `width`: as many as fit from the left, at least two.
    fn shown(&self, width: Option<u16>) -> usize {
        let Some(width) = width else {
            return self.headers.len();
        };
        let chars = |s: &String| s.chars().count();
        let mut used = 1; // the left border
        for (i, header) in self.headers.iter().enumerate() {
            let longest = self
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(chars)
                .max()
                .unwrap_or(0);
            let need = chars(header).max(longest.min(MIN_COLUMN)) + 3;
            if i >= 2 && used + need > usize::from(width) {
                return i;
            }
            used += need;
        }
        self.headers.len()
    }
}

/// The width to fit: `COLUMNS`, else the terminal's (none for a pipe).
pub(crate) fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .or_else(|| Comfy::new().width())
        .filter(|w| *w >= MIN_WIDTH)
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = terminal_width();
        let shown = self.shown(width);
        let mut table = Comfy::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_truncation_indicator("…")
            .set_header(self.headers.iter().take(shown));
        if let Some(width) = width {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        for cells in &self.rows {
            let mut row = Row::from(cells.iter().take(shown));
            if self.one_line {
                row.max_height(1);
            }
            table.add_row(row);
        }
        for (i, header) in self.headers.iter().take(shown).enumerate() {
            let header = u16::try_from(header.chars().count() + 2).unwrap_or(u16::MAX);
            if let Some(column) = table.column_mut(i) {
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(header)));
            }
        }
        table.fmt(f)?;
        if shown < self.headers.len() {
            let hidden = self.headers[shown..].join(", ");
            let note = format!("(hidden at this width: {hidden}; --columns picks them)");
            let fits = width.is_none_or(|w| note.chars().count() <= usize::from(w));
            write!(
                f,
                "\n{}",
                if fits {
                    note.as_str()
                } else {
                    "(columns hidden: --columns picks them)"
                }
            )?;
        }
        Ok(())
    }
}

/// A JSON value as the text of a cell: strings bare, lists of scalars joined with commas,
/// phone numbers and the like as `TYPE NUMBER`, anything else as compact JSON.
pub(crate) fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) if items.iter().all(|v| !v.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join(", ")
        }
        Value::Object(map) if map.contains_key("y") && map.contains_key("mo") => {
            // A task's date and time, as `--due` takes it.
            let n = |k: &str| map.get(k).and_then(Value::as_u64);
            let mut text = format!(
                "{:04}-{:02}-{:02}",
                n("y").unwrap_or(0),
                n("mo").unwrap_or(0),
                n("d").unwrap_or(0)
            );
            if let (Some(h), Some(mi)) = (n("h"), n("mi")) {
                text.push_str(&format!("T{h:02}:{mi:02}"));
            }
            text
        }
        Value::Object(map) => {
            // A phone number or a social media id reads TYPE first, as `list` shows them.
            let kind = map.get("type").into_iter();
            let rest = map.iter().filter(|(k, _)| *k != "type").map(|(_, v)| v);
            let scalars: Vec<String> = kind
                .chain(rest)
                .filter(|v| !v.is_array() && !v.is_object() && !v.is_null())
                .map(cell)
                .filter(|s| !s.is_empty())
                .collect();
            if scalars.is_empty() {
                value.to_string()
            } else {
                scalars.join(" ")
            }
        }
        Value::Array(_) => value.to_string(),
    }
}
