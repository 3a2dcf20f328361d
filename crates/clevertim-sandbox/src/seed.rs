//! Built-in data: the users, groups and custom fields that are always there, the demo
//! CRM data of the quick start, and loading of user-supplied seed files.

use serde_json::{json, Value};

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

/// The demo CRM data of the quick start.
pub(crate) fn demo(store: &mut Store) -> Result<(), SandboxError> {
    insert_all(
        store,
        "company",
        json!([
            {"id": 1, "cn": "Busy Bee Ltd.", "description": "Honey and hive supplies",
             "email": ["hello@busybee.example"], "phones": [{"type": "Work", "no": "+44 20 7946 0001"}],
             "website": ["https://busybee.example"], "address": "200 Marbello Road", "city": "London",
             "postcode": "SW9 2BR", "region": "GB-LND", "country": "GB", "ctype": "C",
             "smids": [{"type": "Twitter", "smid": "busybee"}], "cf": {"26": "X"}, "tags": ["Europe", "important"]},
            {"id": 2, "cn": "Acme Widgets Inc.", "description": "Widgets of every kind",
             "email": ["sales@acme.example"], "city": "Miami", "region": "US-FL", "country": "US",
             "ctype": "P", "tags": ["US"], "gid": 1},
        ]),
    )?;
    insert_all(
        store,
        "contact",
        json!([
            {"id": 3, "fn": "Praveen", "ln": "Bellur", "title": "Business Development", "companyId": 1,
             "email": ["praveen@busybee.example"], "phones": [{"type": "Mobile", "no": "+44 7700 900123"}],
             "city": "London", "country": "GB", "ctype": "C", "cf": {"1": "met at the fair", "3": "2026-01-15"},
             "tags": ["Europe"]},
            {"id": 4, "fn": "Jane", "ln": "Doe", "title": "Buyer", "companyId": 2,
             "email": ["jane@acme.example"], "city": "Miami", "region": "US-FL", "country": "US", "ctype": "L"},
            {"id": 5, "fn": "John", "ln": "Private", "description": "Only the admin sees this contact",
             "is_private": true, "puser": ADMIN_ID},
            {"id": 6, "fn": "Sam", "ln": "Support", "description": "Shared with the Support group", "gid": 2},
        ]),
    )?;
    insert_all(
        store,
        "case",
        json!([
            {"id": 1, "name": "Cannot log in", "description": "The customer's password reset mail never arrives",
             "leadUser": OWNER_ID, "cust": 3, "tags": ["support", "open"], "cf": {"25": "2026-12-31"}},
        ]),
    )?;
    insert_all(
        store,
        "opportunity",
        json!([
            {"id": 1, "name": "Widget order", "description": "10,000 blue widgets", "status": "Open",
             "value": "4500.00", "currency": "EUR", "leadUser": ADMIN_ID, "cust": 2, "tags": ["sale"],
             "userId": OWNER_ID},
        ]),
    )?;
    insert_all(
        store,
        "task",
        json!([
            {"id": 1, "name": "Call back about the login problem", "atype": "Call", "cust": 3, "case": 1,
             "startDate": {"y": 2026, "mo": 12, "d": 1, "h": 9, "mi": 30}, "aUserId": OWNER_ID, "userId": OWNER_ID},
            {"id": 2, "name": "Send the quote", "atype": "Email", "cust": 4, "opp": 1, "aUserId": ADMIN_ID,
             "userId": OWNER_ID},
        ]),
    )?;
    insert_all(
        store,
        "note",
        json!([
            {"id": 1, "desc": "Met Praveen and Busy Bee at the fair.\nFollow up next week.", "cust": [3, 1],
             "userId": OWNER_ID},
            {"id": 2, "desc": "Jane asked for a quote for 10,000 widgets.", "cust": 4, "opportunity": 1,
             "userId": ADMIN_ID},
            {"id": 3, "desc": "Reset link resent by hand.", "cust": 3, "case": 1, "userId": OWNER_ID},
        ]),
    )?;
    insert_all(
        store,
        "comment",
        json!([
            {"id": 1, "comment": "He was very interested.", "nid": 1, "userId": OWNER_ID},
            {"id": 2, "comment": "Left a voicemail.", "tid": 1, "userId": OWNER_ID},
        ]),
    )?;
    insert_all(store, "folder", json!([{"id": "f1", "name": "Contracts"}]))?;
    insert_all(
        store,
        "file",
        json!([{"id": 1, "name": "busybee-contract.pdf", "parentId": "f1", "size": 48213}]),
    )?;
    insert_all(
        store,
        "linkedfile",
        json!([
            {"id": 1, "name": "Widget spec.docx", "sys": "G", "size": 10240,
             "link": "https://drive.example/widget-spec", "icon": "doc"},
        ]),
    )
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
            let id = store.insert_raw(res, obj).map_err(SandboxError::Seed)?;
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
                            crate::error::show(&other)
                        )))
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
