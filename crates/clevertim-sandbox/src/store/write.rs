//! Writing: creates and updates from a client's body, with the server's own rules applied,
//! and deletes.

use serde_json::{Map, Value};

use super::ids::id_value;
use super::{Obj, Store};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::rules::Resource;
use crate::time::now_iso;
use crate::validate;

impl Store {
    /// Creates an object from a client's body; returns it as stored.
    pub(crate) fn create(
        &mut self,
        res: &'static Resource,
        body: Obj,
        who: &Principal,
    ) -> Result<Value, ApiError> {
        let patch = validate::clean(self, res, body)?;
        let mut obj = Obj::new();
        for (k, value) in res.initial.iter().chain(res.extras) {
            obj.insert((*k).to_owned(), value.value());
        }
        merge(&mut obj, patch);
        apply_server_rules(res, &mut obj, who);
        validate::complete(res, &obj)?;
        if res.records_creator {
            obj.insert("userId".into(), who.id.into());
        }
        let now = now_iso();
        obj.insert("ao".into(), now.clone().into());
        obj.insert("lm".into(), now.into());
        fill_shape(res, &mut obj);
        let id = self.allocate(res);
        obj.insert("id".into(), id_value(res, id));
        // A new id has no children yet (references are checked on write): its derived
        // lists are empty, without scanning the children, so a create costs the same at
        // any size.
        let mut served = obj.clone();
        for der in res.derived {
            served.insert(der.field.to_owned(), Value::Array(Vec::new()));
        }
        self.put(res, id, obj);
        Ok(Value::Object(served))
    }

    /// Applies a partial update; returns the object as now stored.
    pub(crate) fn update(
        &mut self,
        res: &'static Resource,
        id: u64,
        body: Obj,
        who: &Principal,
    ) -> Result<Value, ApiError> {
        let mut obj = self.visible(res, id, who)?.clone();
        let patch = validate::clean(self, res, body)?;
        merge(&mut obj, patch);
        apply_server_rules(res, &mut obj, who);
        validate::complete(res, &obj)?;
        obj.insert("lm".into(), now_iso().into());
        fill_shape(res, &mut obj);
        self.put(res, id, obj);
        Ok(self.as_served_to_author(res, id, who))
    }

    /// The object just written, as its author gets it back, even when the write made it
    /// invisible to them (private to someone else, or shared with other groups only).
    fn as_served_to_author(&self, res: &'static Resource, id: u64, who: &Principal) -> Value {
        let empty = Obj::new();
        let obj = self.stored(res.name, id).unwrap_or(&empty);
        self.view(res, id, obj, who).to_value()
    }

    /// Deletes an object, clears references to it, and deletes the children it owns (the
    /// comments of a note or task).
    pub(crate) fn delete(
        &mut self,
        res: &'static Resource,
        id: u64,
        who: &Principal,
    ) -> Result<(), ApiError> {
        self.visible(res, id, who)?;
        self.remove_cascade(res, id);
        Ok(())
    }
}

/// Fields whose value the endpoint decides, not the client (`is_company`, `is_dir`).
pub(super) fn set_fixed_fields(res: &Resource, obj: &mut Obj) {
    for (k, value) in res.fixed {
        obj.insert((*k).to_owned(), value.value());
    }
}

/// The documented full shape: every field present, unset ones empty (`null`, `[]`, `{}`).
pub(super) fn fill_shape(res: &Resource, obj: &mut Obj) {
    for (name, kind) in res.served_fields() {
        let slot = obj.entry(name).or_insert(Value::Null);
        if slot.is_null() {
            *slot = kind.empty();
        }
    }
}

/// Server-side consequences of a write: the endpoint's own values; a private object
/// belongs to its author unless it names a user; a computed first line follows its text.
fn apply_server_rules(res: &Resource, obj: &mut Obj, who: &Principal) {
    set_fixed_fields(res, obj);
    let private = obj.get("is_private").and_then(Value::as_bool) == Some(true);
    let has_owner = obj.get("puser").is_some_and(|v| !v.is_null());
    if private && !has_owner {
        obj.insert("puser".into(), who.id.into());
    }
    if let Some(line) = res.first_line {
        let text: String = obj
            .get(line.from)
            .and_then(Value::as_str)
            .and_then(|d| d.lines().next())
            .unwrap_or("")
            .chars()
            .take(line.max_chars)
            .collect();
        obj.insert(line.field.to_owned(), text.into());
    }
}

/// Merges a cleaned patch into an object: top-level fields replace, `cf` merges per key
/// (a `null` value removes that key).
fn merge(obj: &mut Obj, patch: Obj) {
    for (k, v) in patch {
        if k == "cf" {
            if let Value::Object(new) = v {
                let cf = obj.entry("cf").or_insert_with(|| Value::Object(Map::new()));
                if !cf.is_object() {
                    *cf = Value::Object(Map::new());
                }
                if let Value::Object(cf) = cf {
                    for (ck, cv) in new {
                        if cv.is_null() {
                            cf.remove(&ck);
                        } else {
                            cf.insert(ck, cv);
                        }
                    }
                }
                continue;
            }
        }
        obj.insert(k, v);
    }
}
