//! Aligned tables (comfy-table), and how a JSON value reads in one cell.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table as Comfy};
use serde_json::Value;

/// Narrower terminals get unwrapped lines rather than columns a few letters wide.
const MIN_WIDTH: u16 = 60;

/// A table with a header row.
pub(crate) struct Table(Comfy);

impl Table {
    /// A table with these headers, fitted to the terminal's width when there is one.
    pub(crate) fn new<S: ToString>(headers: impl IntoIterator<Item = S>) -> Self {
        let mut table = Comfy::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_header(headers.into_iter().map(|h| h.to_string()));
        // Wrap to the terminal's width only when there is a real one (a pseudo-terminal may
        // report 0 columns; a pipe reports none and gets whole lines).
        if table.width().is_some_and(|w| w >= MIN_WIDTH) {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        Table(table)
    }

    /// Adds a row.
    pub(crate) fn row<S: ToString>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.0.add_row(cells.into_iter().map(|c| c.to_string()));
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A JSON value as the text of a cell: strings bare, lists of scalars joined with commas,
/// anything else as compact JSON.
pub(crate) fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
            items.iter().map(cell).collect::<Vec<_>>().join(", ")
        }
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}
