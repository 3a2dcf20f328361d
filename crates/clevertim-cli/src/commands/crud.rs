//! `list`, `get`, `create`, `update` and `delete` of any resource.

use std::io::Read as _;
use std::path::Path;

use clevertim::{CustomField, Id, Key};
use serde_json::{Map, Value};

use crate::cli::{Action, WriteArgs};
use crate::connect::Context;
use crate::exit::Failure;
use crate::output;
use crate::resources::{CliResource, TypedFlags, Writes};

/// Runs one action on the resource `R`.
pub(crate) async fn run<R: CliResource, F: TypedFlags>(
    ctx: &Context,
    action: Action<F>,
) -> Result<(), Failure> {
    match action {
        Action::List => {
            let mut all = ctx.session.all::<R>().await?;
            sort_by_key(&mut all);
            output::list(ctx.format, &all)
        }
        Action::Get { keys } => {
            let keys: Vec<Key<R>> = keys.into_iter().map(|k| Key::new(k.0)).collect();
            let objects = ctx.session.load_many::<R, _>(keys).await?;
            output::detail(ctx.format, &objects)
        }
        Action::Create { fields, write } => {
            refuse_write::<R>("create")?;
            let inputs = match &write.json {
                Some(path) => json_objects(path, true)?,
                None => vec![Map::new()],
            };
            let custom = custom_fields::<R>(ctx, &write).await?;
            let mut created = Vec::new();
            for input in inputs {
                match create::<R, F>(ctx, input, &fields, &write, custom.clone()).await {
                    Ok(object) => created.push(object),
                    Err(e) => {
                        // Those created before the failure are shown: nothing goes unsaid.
                        if !created.is_empty() {
                            output::detail(ctx.format, &created)?;
                        }
                        return Err(e);
                    }
                }
            }
            output::detail(ctx.format, &created)
        }
        Action::Update { key, fields, write } => {
            refuse_write::<R>("update")?;
            let custom = custom_fields::<R>(ctx, &write).await?;
            let current = ctx.session.load::<R>(Key::new(key.0.clone())).await?;
            let before = serde_json::to_value(&current)
                .map_err(|e| Failure::other(format!("cannot encode the {}: {e}", R::NAME)))?;
            let mut object = current;
            let mut changed = 0;
            if let Some(path) = &write.json {
                for input in json_objects(path, false)? {
                    changed += apply_json(&mut object, &before, input, &key.0)?;
                }
            }
            changed += apply(&mut object, Some(&before), &fields, &write, custom)?;
            if changed == 0 {
                eprintln!(
                    "nothing to change: the {} {} already has these values",
                    R::NAME,
                    key.0
                );
            } else {
                ctx.session.save(&mut object).await?;
            }
            output::detail(ctx.format, std::slice::from_ref(&object))
        }
        Action::Delete { keys } => {
            refuse_write::<R>("delete")?;
            let mut deleted = Vec::new();
            for key in keys {
                ctx.session.delete_key::<R>(Key::new(key.0.clone())).await?;
                deleted.push(key.0);
            }
            print_deleted::<R>(ctx, &deleted)
        }
    }
}

/// Creates one object from a `--json` object (or an empty one) and the flags.
async fn create<R: CliResource, F: TypedFlags>(
    ctx: &Context,
    mut input: Map<String, Value>,
    fields: &F,
    write: &WriteArgs,
    custom: Option<Value>,
) -> Result<R, Failure> {
    input.remove("id");
    let mut object: R = serde_json::from_value(Value::Object(input))
        .map_err(|e| Failure::usage(format!("--json is not a {}: {e}", R::NAME)))?;
    apply(&mut object, None, fields, write, custom)?;
    ctx.session.save(&mut object).await?;
    Ok(object)
}

/// Refuses, before anything is sent, a write the API does not allow on `R`.
fn refuse_write<R: CliResource>(verb: &str) -> Result<(), Failure> {
    let reason = match (R::WRITES, verb) {
        (Writes::All, _) | (Writes::NoUpdate, "create" | "delete") => return Ok(()),
        (Writes::NoUpdate, _) => format!(
            "the API cannot {verb} a {} (it answers 501): delete it and create it again",
            R::NAME
        ),
        (Writes::None, _) => format!(
            "the API does not let clients {verb} a {}: {}s are read-only (managed in Clevertim's web app)",
            R::NAME,
            R::NAME
        ),
    };
    Err(Failure::refused(format!(
        "refused before sending: {reason}"
    )))
}

/// Orders objects by key: integer keys by value, then string keys (shorter first).
pub(crate) fn sort_by_key<R: CliResource>(objects: &mut [R]) {
    objects.sort_by_cached_key(|o| key_order(o.key().map(|k| k.id().clone())));
}

/// A sort key for an id.
pub(crate) fn key_order(id: Option<Id>) -> (u8, i64, usize, String) {
    match id {
        None => (2, 0, 0, String::new()),
        Some(id) => match id.as_int() {
            Some(n) => (0, n, 0, String::new()),
            None => {
                let s = id.to_string();
                (1, 0, s.len(), s)
            }
        },
    }
}

/// Reads `--json`: one object, or (when `many`) a list of objects.
fn json_objects(path: &Path, many: bool) -> Result<Vec<Map<String, Value>>, Failure> {
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
fn apply_json<R: CliResource>(
    object: &mut R,
    before: &Value,
    input: Map<String, Value>,
    key: &Id,
) -> Result<usize, Failure> {
    let mut changed = 0;
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
        changed += set(object, Some(before), &name, value)?;
    }
    Ok(changed)
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Sets the typed flags, `--set` and the custom fields; on an update only what differs from
/// `before`. Returns how many fields were set.
fn apply<R: CliResource, F: TypedFlags>(
    object: &mut R,
    before: Option<&Value>,
    flags: &F,
    write: &WriteArgs,
    custom: Option<Value>,
) -> Result<usize, Failure> {
    let mut changed = 0;
    for (name, value) in flags.fields() {
        changed += set(object, before, name, value)?;
    }
    for (name, raw) in &write.set {
        // JSON when it reads as JSON and the field takes it, else the text itself.
        let parsed = serde_json::from_str::<Value>(raw).ok();
        let outcome = match parsed {
            Some(value) => set(object, before, name, value),
            None => set(object, before, name, Value::String(raw.clone())),
        };
        changed += match outcome {
            Err(_) if R::field(name).is_some_and(|f| f.writable) => {
                set(object, before, name, Value::String(raw.clone()))?
            }
            other => other?,
        };
    }
    if let Some(values) = custom {
        changed += set(object, before, "custom_field_values", values)?;
    }
    Ok(changed)
}

/// Sets one field unless `before` has that value already; 1 when set.
fn set<R: CliResource>(
    object: &mut R,
    before: Option<&Value>,
    name: &str,
    value: Value,
) -> Result<usize, Failure> {
    let wire = R::field(name).map_or(name, |f| f.wire);
    if let Some(before) = before {
        if before.get(wire) == Some(&value) {
            return Ok(0);
        }
    }
    object
        .set_field(name, value)
        .map_err(|e| Failure::refused(format!("refused before sending: {e}")))?;
    Ok(1)
}

/// The `--custom-field NAME=VALUE` pairs as a `cf` map, by the definitions' names.
async fn custom_fields<R: CliResource>(
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

fn print_deleted<R: CliResource>(ctx: &Context, keys: &[Id]) -> Result<(), Failure> {
    match ctx.format {
        output::Format::Json => output::print(&output::json_text(&serde_json::json!({
            "resource": R::NAME,
            "deleted": keys,
        }))?),
        output::Format::Csv => {
            let mut text = String::from("resource,deleted\n");
            for key in keys {
                text.push_str(&format!("{},{key}\n", R::NAME));
            }
            output::print(&text)
        }
        output::Format::Table => {
            let mut text = String::new();
            for key in keys {
                text.push_str(&format!("deleted {} {key}\n", R::NAME));
            }
            output::print(&text)
        }
    }
}
