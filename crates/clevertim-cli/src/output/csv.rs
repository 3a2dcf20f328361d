//! CSV: a header row of wire field names (`id` first, then the SDK's fields in its order, then
//! unknown fields by name), one row per object.

use serde_json::Value;

use crate::exit::Failure;
use crate::resources::CliResource;

/// The objects as CSV.
pub(crate) fn objects<R: CliResource>(values: &[Value]) -> Result<String, Failure> {
    let present = |name: &str| values.iter().any(|v| v.get(name).is_some());
    let mut header: Vec<String> = std::iter::once("id")
        .chain(R::FIELDS.iter().map(|f| f.wire))
        .filter(|name| present(name))
        .map(str::to_owned)
        .collect();
    let mut extra: Vec<String> = values
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| map.keys())
        .filter(|name| *name != "id" && R::field(name).is_none())
        .cloned()
        .collect();
    extra.sort();
    extra.dedup();
    header.extend(extra);

    let failed = |e: csv::Error| Failure::other(format!("cannot write CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).map_err(failed)?;
    for value in values {
        writer
            .write_record(header.iter().map(|name| match value.get(name) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            }))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Failure::other(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Failure::other(format!("cannot write CSV: {e}")))
}
