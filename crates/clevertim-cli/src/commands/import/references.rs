//! References between objects, and how the export's keys become the account's.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::resources::CliResource;

/// What a reference field points to.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// An object of this resource.
    Resource(&'static str),
    /// A contact or a company (one id space).
    Customer,
    /// Group bits (`gid`).
    Groups,
}

/// The reference fields, by SDK field name; `*` is every resource that has the field.
const REFERENCES: &[(&str, &str, Target)] = &[
    ("contact", "company", Target::Resource("company")),
    ("case", "who", Target::Customer),
    ("case", "lead_user", Target::Resource("user")),
    ("opportunity", "who", Target::Customer),
    ("opportunity", "lead_user", Target::Resource("user")),
    ("task", "who", Target::Customer),
    ("task", "case", Target::Resource("case")),
    ("task", "opportunity", Target::Resource("opportunity")),
    ("task", "assigned_to", Target::Resource("user")),
    ("note", "customers", Target::Customer),
    ("note", "case", Target::Resource("case")),
    ("note", "opportunity", Target::Resource("opportunity")),
    ("comment", "note", Target::Resource("note")),
    ("comment", "task", Target::Resource("task")),
    ("folder", "parent_key", Target::Resource("folder")),
    ("file", "parent_key", Target::Resource("folder")),
    ("*", "private_user", Target::Resource("user")),
    ("*", "group_mask", Target::Groups),
];

/// The resource a custom field of this `elemType` refers to.
pub(super) fn elem_target(elem_type: &str) -> Option<Target> {
    match elem_type {
        "user" => Some(Target::Resource("user")),
        "contact" => Some(Target::Resource("contact")),
        "company" => Some(Target::Resource("company")),
        "case" => Some(Target::Resource("case")),
        "opportunity" => Some(Target::Resource("opportunity")),
        _ => None,
    }
}

/// A custom field value that names an object not imported yet.
#[derive(Debug)]
pub(super) struct Pending {
    /// The custom field's new id.
    pub(super) field: String,
    /// Its id in the export.
    pub(super) old_field: String,
    /// The value as exported.
    pub(super) value: Value,
    /// What it names.
    pub(super) target: Target,
}

/// The maps from the export's keys to the account's.
#[derive(Debug, Default)]
pub(super) struct Keys {
    /// Old key → new key, per resource.
    pub(super) keys: HashMap<String, BTreeMap<String, Value>>,
    /// Old group bit → new group bit.
    pub(super) bits: HashMap<u64, u64>,
    /// Old custom field id → (new id, what its values refer to).
    pub(super) custom: HashMap<String, (String, Option<Target>)>,
}

impl Keys {
    /// The new key of the object `old` of `resource`, as recorded.
    pub(super) fn get(&self, resource: &str, old: &str) -> Option<&Value> {
        self.keys.get(resource)?.get(old)
    }

    /// Records that `old` of `resource` is `new` here.
    pub(super) fn insert(&mut self, resource: &str, old: String, new: Value) {
        self.keys
            .entry(resource.to_owned())
            .or_default()
            .insert(old, new);
    }

    /// Rewrites the references of `object` to the new keys; a reference that cannot be
    /// rewritten is dropped, and said in the returned reasons. Custom field values that name
    /// an object not imported yet are taken out and returned, to be set once everything is.
    pub(super) fn remap<R: CliResource>(
        &self,
        object: &mut Map<String, Value>,
    ) -> (Vec<Pending>, Vec<String>) {
        let mut pending = Vec::new();
        let mut dropped = Vec::new();
        let fields = REFERENCES
            .iter()
            .filter(|(resource, _, _)| *resource == R::NAME || *resource == "*")
            .filter_map(|(_, field, target)| R::field(field).map(|f| (f, *target)));
        for (field, target) in fields {
            let Some(value) = object.get(field.wire) else {
                continue;
            };
            match self.translate(target, value) {
                Ok(new) => {
                    object.insert(field.wire.to_owned(), new);
                }
                Err(why) => {
                    object.remove(field.wire);
                    dropped.push(format!("{} dropped: {why}", field.name));
                }
            }
        }
        if let Some(cf) = R::field("custom_field_values").map(|f| f.wire) {
            if let Some(Value::Object(values)) = object.remove(cf) {
                let mut new_values = Map::new();
                for (id, value) in values {
                    let Some((new_id, target)) = self.custom.get(&id).cloned() else {
                        dropped.push(format!("custom field {id} dropped: it was not imported"));
                        continue;
                    };
                    match (
                        target,
                        target.map_or(Ok(value.clone()), |t| self.translate(t, &value)),
                    ) {
                        (_, Ok(new)) => {
                            new_values.insert(new_id, new);
                        }
                        (Some(target), Err(_)) => pending.push(Pending {
                            field: new_id,
                            old_field: id,
                            value,
                            target,
                        }),
                        (None, Err(why)) => {
                            dropped.push(format!("custom field {id} dropped: {why}"))
                        }
                    }
                }
                object.insert(cf.to_owned(), Value::Object(new_values));
            }
        }
        (pending, dropped)
    }

    /// The new form of a reference: an id, a list of ids, or group bits.
    pub(super) fn translate(&self, target: Target, value: &Value) -> Result<Value, String> {
        match (target, value) {
            (_, Value::Null) => Ok(Value::Null),
            (_, Value::Array(items)) => items.iter().map(|v| self.translate(target, v)).collect(),
            (Target::Groups, Value::Number(n)) => {
                let mask = n
                    .as_u64()
                    .ok_or_else(|| format!("{n} is not a group mask"))?;
                let mut new = 0;
                for bit in (0..64).map(|i| 1u64 << i).filter(|b| mask & b != 0) {
                    new |= self
                        .bits
                        .get(&bit)
                        .ok_or_else(|| format!("group bit {bit} has no group here"))?;
                }
                Ok(Value::from(new))
            }
            (Target::Groups, other) => Err(format!("{other} is not a group mask")),
            (Target::Customer, old) => self
                .lookup("contact", old)
                .or_else(|| self.lookup("company", old))
                .ok_or_else(|| format!("customer {} was not imported", text_of(old))),
            (Target::Resource(resource), old) => self
                .lookup(resource, old)
                .ok_or_else(|| format!("{resource} {} was not imported", text_of(old))),
        }
    }

    /// The new key of `old` in the form `old` had (a string stays a string).
    fn lookup(&self, resource: &str, old: &Value) -> Option<Value> {
        let new = self.get(resource, &text_of(old))?;
        Some(match old {
            Value::String(_) => Value::String(text_of(new)),
            _ => new.clone(),
        })
    }
}

/// Folders sorted so that every parent comes before its children.
pub(super) fn parents_first(objects: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    let parent_of =
        |o: &Map<String, Value>| o.get("parentId").filter(|p| !p.is_null()).map(text_of);
    let ids: Vec<String> = objects
        .iter()
        .filter_map(|o| o.get("id").map(text_of))
        .collect();
    let mut done: Vec<String> = Vec::new();
    let mut pending = objects;
    let mut sorted = Vec::new();
    while !pending.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|o| parent_of(o).is_none_or(|p| done.contains(&p) || !ids.contains(&p)));
        if ready.is_empty() {
            // A cycle: the rest go as they are (their parents are dropped as not imported).
            sorted.extend(rest);
            break;
        }
        done.extend(ready.iter().filter_map(|o| o.get("id").map(text_of)));
        sorted.extend(ready);
        pending = rest;
    }
    sorted
}

/// A key as text: a string bare, a number as digits.
pub(super) fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A typed key as JSON.
pub(super) fn key_json<R>(key: Option<clevertim::Key<R>>) -> Option<Value> {
    key.and_then(|k| serde_json::to_value(k.id()).ok())
}
