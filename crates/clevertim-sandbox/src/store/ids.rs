//! Ids: their external form (a number, or `"fN"` for folders) and how they are read back.

use serde_json::Value;

use crate::rules::Resource;

pub(super) fn same_id(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_u64().is_some() && x.as_u64() == y.as_u64(),
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// The external form of an id: a number, or `"fN"` for folders.
pub(crate) fn id_value(res: &Resource, id: u64) -> Value {
    match res.id_prefix {
        Some(p) => Value::String(format!("{p}{id}")),
        None => Value::from(id),
    }
}

pub(super) fn show_id(res: &Resource, id: u64) -> String {
    match res.id_prefix {
        Some(p) => format!("{p}{id}"),
        None => id.to_string(),
    }
}

/// Parses an id from a path segment (`12`, or `f12` for folders).
pub(crate) fn parse_id(res: &Resource, s: &str) -> Option<u64> {
    let digits = match res.id_prefix {
        Some(p) => s.strip_prefix(p).unwrap_or(s),
        None => s,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Parses an id given as a JSON value (number or string).
pub(crate) fn parse_id_value(res: &Resource, v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => parse_id(res, s),
        _ => None,
    }
}
