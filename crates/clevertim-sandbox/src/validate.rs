//! Validation of client writes against the rules table: field kinds, enumerations,
//! references to existing objects, custom field values, and required fields.

use serde_json::{Map, Value};

use crate::error::{ApiError, excerpt};
use crate::rules::{self, Field, Kind, PHONE_TYPES, Required, Resource, Target, VENUES};
use crate::store::{Obj, Store, id_value, parse_id_value};
use crate::time::is_valid_date;

/// The deepest nesting accepted in a stored object. Kept well under serde_json's parse
/// recursion limit (128) so that a snapshot, which wraps objects in a few more levels,
/// always loads again.
pub(crate) const MAX_DEPTH: usize = 64;

/// Whether a value nests no deeper than `max` levels (checked without recursion).
pub(crate) fn depth_within(v: &Value, max: usize) -> bool {
    let mut stack = vec![(v, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > max {
            return false;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|x| (x, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|x| (x, depth + 1))),
            _ => {}
        }
    }
    true
}

/// Checks a client body and returns the patch to store: writable fields are checked and
/// normalised, the server-side extras are kept as sent, and everything else (computed
/// fields, fields the API does not know) is ignored, as the real API does.
pub(crate) fn clean(store: &Store, res: &Resource, body: Obj) -> Result<Obj, ApiError> {
    let mut out = Obj::new();
    for (k, v) in body {
        if let Some(field) = res.fields.iter().find(|f| f.name == k) {
            let value = check_field(store, res, field, v)?;
            out.insert(k, value);
        } else if res.extras.iter().any(|(name, _)| *name == k) {
            out.insert(k, v);
        }
    }
    Ok(out)
}

/// Checks the required fields of an object as it would be stored.
pub(crate) fn complete(res: &Resource, obj: &Obj) -> Result<(), ApiError> {
    let present = |k: &str| obj.get(k).is_some_and(non_empty);
    for req in res.required {
        match req {
            Required::All(fields) => {
                if let Some(missing) = fields.iter().find(|f| !present(f)) {
                    return Err(ApiError::bad_request(format!(
                        "{}: field '{missing}' is required and must not be empty",
                        res.name
                    )));
                }
            }
            Required::AnyOf(fields) => {
                if !fields.iter().any(|f| present(f)) {
                    return Err(ApiError::bad_request(format!(
                        "{}: one of {} is required and must not be empty",
                        res.name,
                        quoted(fields)
                    )));
                }
            }
            Required::ExactlyOne(fields) => {
                let n = fields.iter().filter(|f| present(f)).count();
                if n != 1 {
                    return Err(ApiError::bad_request(format!(
                        "{}: exactly one of {} must be set, got {n}",
                        res.name,
                        quoted(fields)
                    )));
                }
            }
            Required::When {
                field,
                equals,
                then,
            } => {
                if obj.get(*field).and_then(Value::as_str) == Some(equals) && !present(then) {
                    return Err(ApiError::bad_request(format!(
                        "{}: a '{equals}' {} needs a non-empty '{then}' list",
                        res.name, res.name
                    )));
                }
            }
        }
    }
    Ok(())
}

fn quoted(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn non_empty(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

fn wrong(res: &Resource, field: &str, expected: &str, got: &Value) -> ApiError {
    ApiError::bad_request(format!(
        "{}: field '{field}' must be {expected}, got {}",
        res.name,
        excerpt(got)
    ))
}

fn check_enum(res: &Resource, field: &str, allowed: &[&str], v: &Value) -> Result<(), ApiError> {
    match v.as_str() {
        Some(s) if allowed.contains(&s) => Ok(()),
        Some(_) => Err(ApiError::bad_request(format!(
            "{}: field '{field}' has unknown value {} (allowed: {})",
            res.name,
            excerpt(v),
            allowed.join(", ")
        ))),
        None => Err(wrong(res, field, "a string", v)),
    }
}

fn check_ref(
    store: &Store,
    res: &Resource,
    field: &str,
    target: Target,
    v: &Value,
) -> Result<Value, ApiError> {
    let table = target.resources().first().and_then(|n| rules::resource(n));
    let id = table.and_then(|t| parse_id_value(t, v));
    let (Some(table), Some(id)) = (table, id) else {
        return Err(wrong(
            res,
            field,
            &format!("the id of a {}", target.label()),
            v,
        ));
    };
    if !store.exists(target, id) {
        return Err(ApiError::bad_request(format!(
            "{}: field '{field}' refers to {} {}, which does not exist",
            res.name,
            target.label(),
            excerpt(v)
        )));
    }
    Ok(id_value(table, id))
}

fn check_field(store: &Store, res: &Resource, field: &Field, v: Value) -> Result<Value, ApiError> {
    let name = field.name;
    if v.is_null() && !matches!(field.kind, Kind::CustomFields) {
        return Ok(v);
    }
    match field.kind {
        Kind::Str => v
            .is_string()
            .then_some(v.clone())
            .ok_or_else(|| wrong(res, name, "a string", &v)),
        Kind::Bool => v
            .is_boolean()
            .then_some(v.clone())
            .ok_or_else(|| wrong(res, name, "true or false", &v)),
        Kind::UInt => v
            .is_u64()
            .then_some(v.clone())
            .ok_or_else(|| wrong(res, name, "a non-negative integer", &v)),
        Kind::StrList => match &v {
            Value::Array(a) if a.iter().all(Value::is_string) => Ok(v),
            _ => Err(wrong(res, name, "a list of strings", &v)),
        },
        Kind::Enum(allowed) => check_enum(res, name, allowed, &v).map(|()| v),
        Kind::EnumList(allowed) => {
            let Value::Array(items) = &v else {
                return Err(wrong(res, name, "a list of strings", &v));
            };
            for item in items {
                check_enum(res, name, allowed, item)?;
            }
            Ok(v)
        }
        Kind::Ref(target) => check_ref(store, res, name, target, &v),
        Kind::RefOrList(target) => match v {
            Value::Array(items) => items
                .iter()
                .map(|x| check_ref(store, res, name, target, x))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            other => check_ref(store, res, name, target, &other),
        },
        Kind::Phones => check_pairs(res, name, "no", PHONE_TYPES, v),
        Kind::Smids => check_pairs(res, name, "smid", VENUES, v),
        Kind::DateParts => {
            let Value::Object(parts) = &v else {
                return Err(wrong(
                    res,
                    name,
                    "an object {\"y\",\"mo\",\"d\",\"h\",\"mi\"}",
                    &v,
                ));
            };
            for key in ["y", "mo", "d", "h", "mi"] {
                if let Some(p) = parts.get(key) {
                    if !(p.is_null() || p.is_u64()) {
                        return Err(wrong(
                            res,
                            &format!("{name}.{key}"),
                            "a non-negative integer",
                            p,
                        ));
                    }
                }
            }
            Ok(v)
        }
        Kind::RecOpts => match &v {
            Value::Object(o) if o.is_empty() => Ok(v),
            Value::Object(o)
                if o.len() == 1 && o.get("type").and_then(Value::as_str) == Some("weekday") =>
            {
                Ok(v)
            }
            _ => Err(wrong(res, name, "{} or {\"type\": \"weekday\"}", &v)),
        },
        Kind::Decimal => match &v {
            Value::String(s) if is_decimal(s) => Ok(v),
            Value::Number(n) => Ok(Value::String(n.to_string())),
            _ => Err(wrong(
                res,
                name,
                "a decimal number as a string (e.g. \"1000.50\")",
                &v,
            )),
        },
        Kind::CustomFields => check_custom_fields(store, res, v),
        // Kinds of computed fields and extras, which no client's value is checked against.
        Kind::Ids | Kind::Object | Kind::Any => Ok(v),
    }
}

fn check_pairs(
    res: &Resource,
    name: &str,
    text_key: &str,
    types: &[&str],
    v: Value,
) -> Result<Value, ApiError> {
    let expected = format!("a list of {{\"{text_key}\": string, \"type\": string}}");
    let Value::Array(items) = &v else {
        return Err(wrong(res, name, &expected, &v));
    };
    for item in items {
        let Value::Object(o) = item else {
            return Err(wrong(res, name, &expected, &v));
        };
        match o.get(text_key) {
            Some(Value::String(t)) if !t.trim().is_empty() => {}
            Some(t) if !t.is_string() && !t.is_null() => {
                return Err(wrong(res, &format!("{name}.{text_key}"), "a string", item));
            }
            got => {
                return Err(ApiError::bad_request(format!(
                    "{}: field '{name}.{text_key}' must not be empty, got {}",
                    res.name,
                    got.map_or_else(|| "nothing".to_owned(), excerpt)
                )));
            }
        }
        if let Some(t) = o.get("type").filter(|t| !t.is_null()) {
            check_enum(res, &format!("{name}.type"), types, t)?;
        }
    }
    Ok(v)
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn check_custom_fields(store: &Store, res: &Resource, v: Value) -> Result<Value, ApiError> {
    let Value::Object(values) = v else {
        return Err(wrong(
            res,
            "cf",
            "an object {\"<custom field id>\": value}",
            &v,
        ));
    };
    let Some(scope) = res.cf_scope else {
        return Ok(Value::Object(values));
    };
    let mut out = Map::new();
    for (key, val) in values {
        let def = key
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|id| store.stored("customfield", id).map(|d| (id, d)));
        let Some((id, def)) = def else {
            return Err(ApiError::bad_request(format!(
                "{}: custom field {} does not exist",
                res.name,
                excerpt(&Value::String(key))
            )));
        };
        let label = format!(
            "{}: custom field {id} ('{}')",
            res.name,
            def.get("name").and_then(Value::as_str).unwrap_or("")
        );
        let in_scope = def
            .get("modelType")
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|s| s.as_str() == Some(scope)));
        if !in_scope {
            return Err(ApiError::bad_request(format!(
                "{label} does not apply to {scope} (its modelType is {})",
                def.get("modelType").map(excerpt).unwrap_or_default()
            )));
        }
        if val.is_null() {
            out.insert(id.to_string(), val);
            continue;
        }
        let multiple = def.get("multiple").and_then(Value::as_bool) == Some(true);
        let checked = if multiple {
            let Value::Array(items) = val else {
                return Err(ApiError::bad_request(format!(
                    "{label} holds several values: expected a list, got {}",
                    excerpt(&val)
                )));
            };
            items
                .iter()
                .map(|x| check_cf_value(store, &label, def, x))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)?
        } else {
            check_cf_value(store, &label, def, &val)?
        };
        out.insert(id.to_string(), checked);
    }
    Ok(Value::Object(out))
}

fn check_cf_value(store: &Store, label: &str, def: &Obj, v: &Value) -> Result<Value, ApiError> {
    let elem = def
        .get("elemType")
        .and_then(Value::as_str)
        .unwrap_or("input");
    let bad = |why: &str| {
        ApiError::bad_request(format!("{label} of type {elem}: {why}, got {}", excerpt(v)))
    };
    if let Some(target) = rules::elem_type_target(elem) {
        let id = match v {
            Value::String(s) => s.trim().parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        };
        let Some(id) = id else {
            return Err(bad(&format!(
                "expected the id of a {} as a string",
                target.label()
            )));
        };
        if !store.exists(target, id) {
            return Err(bad(&format!("{} {id} does not exist", target.label())));
        }
        return Ok(Value::String(id.to_string()));
    }
    let Some(s) = v.as_str() else {
        return Err(bad("expected a string"));
    };
    match elem {
        "select" => {
            let allowed: Vec<&str> = def
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if !allowed.contains(&s) {
                return Err(bad(&format!(
                    "not one of its values ({})",
                    allowed.join(", ")
                )));
            }
        }
        "date" if !is_valid_date(s) => return Err(bad("expected a date YYYY-MM-DD")),
        _ => {}
    }
    Ok(v.clone())
}

#[cfg(test)]
mod tests {
    use super::{depth_within, is_decimal};

    #[test]
    fn depth() {
        let deep = (0..10).fold(serde_json::json!(1), |acc, _| serde_json::json!([acc]));
        assert!(depth_within(&deep, 11));
        assert!(!depth_within(&deep, 10));
    }

    #[test]
    fn decimals() {
        assert!(is_decimal("1000.50"));
        assert!(is_decimal("-3"));
        assert!(!is_decimal("1e3"));
        assert!(!is_decimal("1."));
        assert!(!is_decimal(""));
    }
}
