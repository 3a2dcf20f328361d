//! How an object's fields read in `get`'s table: references by name beside their key,
//! custom fields by their definition's name, phone numbers as `list` shows them.

use std::collections::HashMap;

use clevertim::CustomField;
use serde_json::Value;

use crate::connect::Context;
use crate::lookup;
use crate::names::Names;
use crate::output::cell;
use crate::resources::CliResource;

/// The resource a reference field (by SDK name) points to; `customer` is a contact or a
/// company.
const REFERENCES: &[(&str, &str)] = &[
    ("company", "company"),
    ("who", "customer"),
    ("customers", "customer"),
    ("lead_user", "user"),
    ("assigned_to", "user"),
    ("case", "case"),
    ("opportunity", "opportunity"),
    ("parent_key", "folder"),
];

/// What `get`'s table needs to show names.
pub(crate) struct Shown {
    names: Names,
    /// Custom field id → its name.
    custom: HashMap<String, String>,
}

impl Shown {
    /// Loads the names the objects' table shows: one list request per referenced resource,
    /// and the custom fields' definitions when an object has values.
    pub(crate) async fn load<R: CliResource>(ctx: &Context, values: &[Value]) -> Shown {
        let names = lookup::load(ctx, R::REFERS).await;
        let wire = R::field("custom_field_values").map(|f| f.wire);
        let has_custom = wire.is_some_and(|w| {
            values.iter().any(|v| {
                v.get(w)
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
            })
        });
        let mut custom = HashMap::new();
        if has_custom {
            match ctx.session.all::<CustomField>().await {
                Ok(definitions) => {
                    for d in definitions {
                        if let (Some(key), Some(name)) = (d.key(), d.name()) {
                            custom.insert(key.to_string(), name.to_owned());
                        }
                    }
                }
                Err(e) => tracing::debug!("custom fields shown by id: {e}"),
            }
        }
        Shown { names, custom }
    }

    /// The cell of the field `name` (SDK name) holding `value`.
    pub(crate) fn cell(&self, name: &str, value: &Value) -> String {
        if name == "custom_field_values" {
            if let Value::Object(map) = value {
                return map
                    .iter()
                    .map(|(id, v)| {
                        let label = self.custom.get(id).map_or(id.as_str(), String::as_str);
                        format!("{label}: {}", cell(v))
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
            }
        }
        let Some((_, target)) = REFERENCES.iter().find(|(field, _)| *field == name) else {
            return cell(value);
        };
        let one = |v: &Value| {
            let key = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if *target == "customer" {
                self.names.customer(Some(key))
            } else {
                self.names.one(target, Some(key))
            }
        };
        match value {
            Value::Null => String::new(),
            Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(", "),
            other => one(other),
        }
    }
}
