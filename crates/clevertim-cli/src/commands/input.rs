//! From the command line to an object's fields: typed flags, `--set`, `--custom-field` and
//! `--json`. Nothing is dropped in silence: an unknown field is refused with the closest
//! known names, and messages name the flags, not the wire's fields.

use std::io::Read as _;
use std::path::Path;

use clevertim::{CustomField, Id};
use serde_json::{Map, Value};

use crate::args::WriteArgs;
use crate::connect::Context;
use crate::exit::Failure;
use crate::resources::{CliResource, TypedFlags};

/// The fields a create needs, one of each group (by SDK name), as the API requires them.
const REQUIRED: &[(&str, &[&str])] = &[
    ("contact", &["first_name", "last_name"]),
    ("company", &["name"]),
    ("case", &["name"]),
    ("opportunity", &["name"]),
    ("task", &["name"]),
    ("note", &["description"]),
    ("comment", &["comment"]),
];

/// How a field is set on this command line: its typed flag, else `--set NAME`.
pub(crate) fn flag_of<F: TypedFlags>(field: &str) -> String {
    F::FLAGS
        .iter()
        .find(|(_, target)| *target == field)
        .map_or_else(|| format!("--set {field}"), |(flag, _)| format!("--{flag}"))
}

/// A new object from a `--json` object (or an empty one) and the flags, checked for the
/// fields the API requires.
///
/// # Errors
///
/// Usage (2) for `--json` that is not a `R`; refused (5) for an invalid value or a missing
/// required field.
pub(crate) fn new_object<R: CliResource, F: TypedFlags>(
    mut input: Map<String, Value>,
    fields: &F,
    write: &WriteArgs,
    custom: Option<Value>,
) -> Result<R, Failure> {
    input.remove("id");
    warn_unknown::<R>(input.keys(), None);
    let mut object: R = serde_json::from_value(Value::Object(input))
        .map_err(|e| Failure::usage(format!("--json is not a {}: {e}", R::NAME)))?;
    apply(&mut object, None, fields, write, custom)?;
    let now = serde_json::to_value(&object).unwrap_or(Value::Null);
    for (resource, group) in REQUIRED.iter().filter(|(r, _)| *r == R::NAME) {
        let set = group.iter().any(|name| {
            R::field(name)
                .and_then(|f| now.get(f.wire))
                .is_some_and(|v| !v.is_null() && v != "")
        });
        if !set {
            let flags: Vec<String> = group.iter().map(|f| flag_of::<F>(f)).collect();
            return Err(Failure::refused(format!(
                "a {resource} needs {}; nothing was sent",
                flags.join(" or ")
            )));
        }
    }
    Ok(object)
}

/// Reads `--json`: one object, or (when `many`) a list of objects.
///
/// # Errors
///
/// A local failure when the file cannot be read; usage when it is not an object (or list).
pub(crate) fn json_objects(path: &Path, many: bool) -> Result<Vec<Map<String, Value>>, Failure> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::other(format!("cannot read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))?
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("--json {} is not JSON: {e}", path.display())))?;
    let not_object = || Failure::usage(format!("--json {} must hold an object", path.display()));
    match value {
        Value::Object(map) => Ok(vec![map]),
        Value::Array(items) if many => items
            .into_iter()
            .map(|v| match v {
                Value::Object(map) => Ok(map),
                _ => Err(not_object()),
            })
            .collect(),
        _ => Err(not_object()),
    }
}

/// Sets the fields of a `--json` object that differ from `before`; the id and the fields the
/// server computes are skipped. Returns how many were set.
///
/// # Errors
///
/// Usage when the object is another one; refused for an invalid value.
pub(crate) fn apply_json<R: CliResource>(
    object: &mut R,
    before: &Value,
    input: Map<String, Value>,
    key: &Id,
) -> Result<usize, Failure> {
    let mut changed = 0;
    warn_unknown::<R>(input.keys(), Some(before));
    for (name, value) in input {
        if name == "id" {
            if Id::from(value_text(&value).as_str()) != *key {
                return Err(Failure::usage(format!(
                    "--json holds the {} {}, not {key}",
                    R::NAME,
                    value_text(&value)
                )));
            }
            continue;
        }
        if R::field(&name).is_some_and(|f| !f.writable) {
            continue;
        }
        changed += set(
            object,
            Some(before),
            &name,
            value,
            &format!("--json's {name}"),
        )?;
    }
    Ok(changed)
}

/// Says on stderr which `--json` fields `R` does not know (nor the object had): they are sent
/// as they are, and the API may drop them.
fn warn_unknown<'a, R: CliResource>(
    names: impl Iterator<Item = &'a String>,
    before: Option<&Value>,
) {
    let unknown: Vec<&str> = names
        .filter(|n| *n != "id" && R::field(n).is_none())
        .filter(|n| before.is_none_or(|b| b.get(n.as_str()).is_none()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        eprintln!(
            "warning: --json has fields a {} does not have: {}; they are sent as they are, and the API drops fields it does not know",
            R::NAME,
            unknown.join(", ")
        );
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Sets the typed flags, `--set` and the custom fields; on an update only what differs from
/// `before`. Returns how many fields were set.
///
/// # Errors
///
/// Usage (2) for a field `R` does not have (with the closest names); refused (5) for a value
/// the field does not take or a field the server computes.
pub(crate) fn apply<R: CliResource, F: TypedFlags>(
    object: &mut R,
    before: Option<&Value>,
    flags: &F,
    write: &WriteArgs,
    custom: Option<Value>,
) -> Result<usize, Failure> {
    let mut changed = 0;
    for (name, value) in flags.fields() {
        let flag = flag_of::<F>(name);
        let (name, value) = match name.strip_prefix('+') {
            Some(list) => (list, appended(object, list, value)),
            None => (name, value),
        };
        changed += set(object, before, name, value, &flag)?;
    }
    for (name, raw) in &write.set {
        let (field, value) = set_value::<R, F>(object, before, name, raw)?;
        let flag = format!("--set {name}");
        // JSON when it reads as JSON and the field takes it, else the text itself.
        changed += match set(object, before, field, value.clone(), &flag) {
            Err(_) if !value.is_string() => {
                set(object, before, field, Value::String(raw.clone()), &flag)?
            }
            other => other?,
        };
    }
    if let Some(values) = custom {
        changed += set(
            object,
            before,
            "custom_field_values",
            values,
            "--custom-field",
        )?;
    }
    Ok(changed)
}

/// The list `field` of `object` with the items of `more` it does not have yet appended.
fn appended<R: CliResource>(object: &R, field: &str, more: Value) -> Value {
    let wire = R::field(field).map_or(field, |f| f.wire);
    let mut items = match serde_json::to_value(object)
        .ok()
        .and_then(|v| v.get(wire).cloned())
    {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    if let Value::Array(more) = more {
        for item in more {
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    Value::Array(items)
}

/// What `--set NAME=RAW` sets: the field's SDK name and its value, read the way its typed flag
/// reads it (`--set start=2026-12-01` as `--due 2026-12-01`), else as JSON, else as text.
fn set_value<'n, R: CliResource, F: TypedFlags>(
    object: &R,
    before: Option<&Value>,
    name: &'n str,
    raw: &str,
) -> Result<(&'n str, Value), Failure> {
    if name == "id" {
        return Err(Failure::refused(
            "--set id: the key cannot be set (the API gives a new object its key; \
             `update KEY` picks the object); nothing was sent",
        ));
    }
    let json = serde_json::from_str::<Value>(raw).ok();
    let Some(field) = R::field(name) else {
        // A field the server sent that the SDK does not know is kept, and may be changed.
        let known_extra = before.and_then(|b| b.get(name)).is_some()
            || serde_json::to_value(object)
                .ok()
                .is_some_and(|v| v.get(name).is_some());
        if known_extra {
            return Ok((name, json.unwrap_or_else(|| Value::String(raw.to_owned()))));
        }
        return Err(unknown_field::<R>(name));
    };
    if !field.writable {
        return Err(Failure::refused(format!(
            "--set {name}: the server computes a {}'s {}; it cannot be set (nothing was sent)",
            R::NAME,
            field.name
        )));
    }
    if let Some((flag, _)) = F::FLAGS.iter().find(|(_, target)| *target == field.name) {
        match typed::<F>(flag, raw, json.as_ref()) {
            Ok(Some(value)) => return Ok((field.name, value)),
            Ok(None) => {}
            Err(why) => {
                // JSON the field takes as it is (e.g. phone objects) is taken as it is.
                if let Some(value) = json.filter(|v| v.is_object() || v.is_array()) {
                    return Ok((field.name, value));
                }
                return Err(Failure::refused(format!(
                    "--set {name}: {why} (as --{flag} takes it); nothing was sent"
                )));
            }
        }
    }
    Ok((
        field.name,
        json.unwrap_or_else(|| Value::String(raw.to_owned())),
    ))
}

/// `RAW` read by the typed flag `--FLAG` (a JSON list as the flag repeated).
fn typed<F: TypedFlags>(
    flag: &str,
    raw: &str,
    json: Option<&Value>,
) -> Result<Option<Value>, String> {
    let mut args = vec!["set".to_owned()];
    match json {
        Some(Value::Array(items)) => {
            for item in items {
                args.push(format!("--{flag}={}", value_text(item)));
            }
        }
        _ => args.push(format!("--{flag}={raw}")),
    }
    let command = F::augment_args(clap::Command::new("set").no_binary_name(false));
    let matches = command
        .try_get_matches_from(args)
        .map_err(|e| clap_reason(&e))?;
    let flags = F::from_arg_matches(&matches).map_err(|e| clap_reason(&e))?;
    Ok(flags.fields().into_iter().next().map(|(_, v)| v))
}

/// The reason in a clap error, without its `error:` prefix and usage lines.
fn clap_reason(error: &clap::Error) -> String {
    let text = error.to_string();
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_owned()
}

/// An unknown field, with the closest names `R` has.
fn unknown_field<R: CliResource>(name: &str) -> Failure {
    let mut close: Vec<(f64, &str)> = R::FIELDS
        .iter()
        .filter(|f| f.writable)
        .flat_map(|f| [f.name, f.wire])
        .map(|known| (strsim::jaro_winkler(&name.to_lowercase(), known), known))
        .filter(|(score, _)| *score > 0.75)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut names: Vec<&str> = close.into_iter().map(|(_, n)| n).collect();
    names.dedup();
    names.truncate(3);
    let failure = Failure::usage(format!(
        "--set {name}: a {} has no field {name:?}{}; nothing was sent (the API drops fields it does not know)",
        R::NAME,
        if names.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", names.join(", "))
        }
    ));
    failure.hint(format!(
        "`clevertim {} create --help` lists its flags; `get KEY` shows its fields",
        R::NAME
    ))
}

/// Sets one field unless `before` has that value already; 1 when set. `flag` names it in a
/// refusal.
fn set<R: CliResource>(
    object: &mut R,
    before: Option<&Value>,
    name: &str,
    value: Value,
    flag: &str,
) -> Result<usize, Failure> {
    let wire = R::field(name).map_or(name, |f| f.wire);
    if let Some(before) = before {
        if before.get(wire) == Some(&value) {
            return Ok(0);
        }
    }
    object.set_field(name, value).map_err(|e| {
        Failure::refused(format!(
            "{flag}: {} is not a valid value: {}; nothing was sent",
            e.value, e.reason
        ))
    })?;
    Ok(1)
}

/// The `--custom-field NAME=VALUE` pairs as a `cf` map, by the definitions' names.
///
/// # Errors
///
/// Usage for a resource without custom fields or an unknown custom field; the SDK's failure
/// when the definitions cannot be listed.
pub(crate) async fn custom_fields<R: CliResource>(
    ctx: &Context,
    write: &WriteArgs,
) -> Result<Option<Value>, Failure> {
    if write.custom_fields.is_empty() {
        return Ok(None);
    }
    if R::field("custom_field_values").is_none() {
        return Err(Failure::usage(format!(
            "a {} has no custom fields",
            R::NAME
        )));
    }
    let definitions = ctx.session.all::<CustomField>().await?;
    let mut map = Map::new();
    for (name, raw) in &write.custom_fields {
        let definition = definitions
            .iter()
            .find(|d| d.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .or_else(|| {
                definitions
                    .iter()
                    .find(|d| d.full_name() == Some(name.as_str()))
            })
            .or_else(|| {
                definitions
                    .iter()
                    .find(|d| d.key().is_some_and(|k| k.to_string() == *name))
            })
            .ok_or_else(|| {
                let known: Vec<&str> = definitions.iter().filter_map(|d| d.name()).collect();
                Failure::usage(format!(
                    "no custom field is called {name:?} (there are: {})",
                    known.join(", ")
                ))
                .hint("`clevertim customfield list` shows them")
            })?;
        let Some(key) = definition.key() else {
            continue;
        };
        let value = if raw.is_empty() {
            Value::Null
        } else if definition.multiple() == Some(true) {
            Value::from(
                raw.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>(),
            )
        } else {
            Value::String(raw.clone())
        };
        map.insert(key.to_string(), value);
    }
    Ok(Some(Value::Object(map)))
}
