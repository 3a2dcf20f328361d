//! Built-in data: the users, groups and custom fields that are always there, the demo
//! CRM data of the quick start (a data file), and loading of user-supplied seed files.

use serde_json::{Value, json};

use crate::error::SandboxError;
use crate::rules::{self, ELEM_TYPES, MODEL_TYPES};
use crate::store::{Obj, Store};
use crate::{DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY};

/// The id of the built-in owner user.
pub(crate) const OWNER_ID: u64 = 1;
/// The id of the built-in admin user.
pub(crate) const ADMIN_ID: u64 = 2;
/// The id of the built-in read-only user.
pub(crate) const READONLY_ID: u64 = 3;

/// Users, groups and custom fields: present with or without demo data.
pub(crate) fn base(store: &mut Store) -> Result<(), SandboxError> {
    let users = json!([
        {"id": OWNER_ID, "user": "Olivia Owner", "email": "owner@sandbox.invalid", "is_owner": true,
         "is_admin": true, "permissions": ["canexport", "canedit", "candelete"], "pending": false},
        {"id": ADMIN_ID, "user": "Adam Admin", "email": "admin@sandbox.invalid", "is_owner": false,
         "is_admin": true, "permissions": ["canexport", "canedit", "candelete"], "pending": false},
        {"id": READONLY_ID, "user": "Rita Reader", "email": "reader@sandbox.invalid", "is_owner": false,
         "is_admin": false, "permissions": ["canexport"], "pending": false},
    ]);
    insert_all(store, "user", users)?;
    store.set_key(OWNER_ID, DEFAULT_API_KEY.to_owned());
    store.set_key(ADMIN_ID, DEFAULT_ADMIN_API_KEY.to_owned());
    store.set_key(READONLY_ID, DEFAULT_READONLY_API_KEY.to_owned());
    insert_all(
        store,
        "group",
        json!([
            {"id": 1, "name": "Sales", "gid": 1, "users": [OWNER_ID, ADMIN_ID]},
            {"id": 2, "name": "Support", "gid": 2, "users": [OWNER_ID, READONLY_ID]},
        ]),
    )?;
    insert_all(store, "customfield", Value::Array(custom_fields()))
}

/// One custom field per `elemType`, single and multiple, each applying to every scope;
/// then two scoped ones as in the API documentation's examples.
fn custom_fields() -> Vec<Value> {
    let mut out = Vec::new();
    let mut id = 0u64;
    for multiple in [false, true] {
        for elem in ELEM_TYPES {
            id += 1;
            let mut chars = elem.chars();
            let mut name: String = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .collect();
            name.push_str(chars.as_str());
            if multiple {
                name.push_str(" (multiple)");
            }
            let mut cf = json!({
                "id": id, "name": name, "fullname": format!("sandbox.{elem}{}", if multiple {"s"} else {""}),
                "elemType": elem, "modelType": MODEL_TYPES, "multiple": multiple, "values": [], "app": null,
            });
            if *elem == "select" {
                cf["values"] = json!(["Gold", "Silver", "Bronze"]);
            }
            out.push(cf);
        }
    }
    out.push(
        json!({"id": id + 1, "name": "Deadline", "fullname": "sandbox.deadline", "elemType": "date",
        "modelType": ["cases", "opportunities"], "multiple": false, "values": [], "app": null}),
    );
    out.push(json!({"id": id + 2, "name": "Tier", "fullname": "sandbox.tier", "elemType": "select",
        "modelType": ["customers", "companies"], "multiple": false, "values": ["X", "Y", "Z"], "app": null}));
    out
}

/// The demo CRM data of the quick start (`data/demo.json`), as seed data.
const DEMO: &str = include_str!("../data/demo.json");

/// Loads the demo CRM data of the quick start.
pub(crate) fn demo(store: &mut Store) -> Result<(), SandboxError> {
    let seed: Value = serde_json::from_str(DEMO)
        .map_err(|e| SandboxError::Seed(format!("the built-in demo data: {e}")))?;
    apply(store, &seed)
}

fn insert_all(store: &mut Store, res: &str, list: Value) -> Result<(), SandboxError> {
    apply(
        store,
        &Value::Object([(res.to_owned(), list)].into_iter().collect()),
    )
}

/// Loads seed data `{"contact": [...], "user": [...], ...}` on top of what is there.
/// A user may carry its API key in `key` (or `api_key`); it is never served back.
pub(crate) fn apply(store: &mut Store, seed: &Value) -> Result<(), SandboxError> {
    let Value::Object(map) = seed else {
        return Err(SandboxError::Seed(
            "expected an object {\"contact\": [...], ...}".into(),
        ));
    };
    for (name, list) in map {
        let Some(res) = rules::resource(name) else {
            return Err(SandboxError::Seed(format!("unknown resource '{name}'")));
        };
        let Value::Array(items) = list else {
            return Err(SandboxError::Seed(format!(
                "'{name}' must be a list of objects"
            )));
        };
        for item in items {
            let Value::Object(obj) = item else {
                return Err(SandboxError::Seed(format!(
                    "'{name}' must be a list of objects"
                )));
            };
            if !crate::validate::depth_within(item, crate::validate::MAX_DEPTH) {
                return Err(SandboxError::Seed(format!(
                    "a '{name}' object is nested more than {} levels deep",
                    crate::validate::MAX_DEPTH
                )));
            }
            let mut obj: Obj = obj.clone();
            let key = if name == "user" {
                let k = obj.remove("key");
                let k2 = obj.remove("api_key");
                k.or(k2)
            } else {
                None
            };
            let id = store.insert_given(res, obj).map_err(SandboxError::Seed)?;
            if name == "user" {
                match key {
                    Some(Value::String(k))
                        if is_valid_key(&k) && store.user_for_key(&k).is_none_or(|u| u == id) =>
                    {
                        store.set_key(id, k);
                    }
                    Some(other) => {
                        return Err(SandboxError::Seed(format!(
                            "user {id}: 'key' must be a non-empty alphanumeric string not used by another user, got {}",
                            crate::error::excerpt(&other)
                        )));
                    }
                    None if store.key_of(id).is_none() => store.set_key(id, generated_key(id)),
                    None => {}
                }
            }
        }
    }
    Ok(())
}

/// Whether a string can serve as an API key (non-empty, alphanumeric).
pub(crate) fn is_valid_key(k: &str) -> bool {
    !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A deterministic key for a seeded user that came without one.
fn generated_key(id: u64) -> String {
    format!("SbxSeedUser{id:08}Key0000000000000000000000")
}
