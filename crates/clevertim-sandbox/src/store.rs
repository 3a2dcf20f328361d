//! The data: one table per resource, id allocation, derived lists, and the
//! create/read/update/delete operations with their side effects.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::rules::{self, OnParentDelete, Resource, Target};
use crate::time::now_iso;
use crate::validate;

/// A stored object.
pub(crate) type Obj = Map<String, Value>;

/// Where an object is stored: its resource's name and its numeric id.
pub(crate) type ObjectKey = (&'static str, u64);

/// Every object of the sandbox, plus id counters and API keys.
#[derive(Default, Clone)]
pub(crate) struct Store {
    tables: BTreeMap<&'static str, BTreeMap<u64, Obj>>,
    next_ids: BTreeMap<String, u64>,
    keys: BTreeMap<u64, String>,
    key_index: HashMap<String, u64>,
    /// The objects written or deleted since [`Store::take_changes`] was last called: what
    /// persistence must write, so that a write costs the same at any size.
    changed: BTreeSet<ObjectKey>,
}

impl std::fmt::Debug for Store {
    /// Counts only: never the API keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sizes: BTreeMap<&str, usize> = self.tables.iter().map(|(k, t)| (*k, t.len())).collect();
        f.debug_struct("Store")
            .field("objects", &sizes)
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The object as stored, without derived fields.
    pub(crate) fn stored(&self, res: &str, id: u64) -> Option<&Obj> {
        self.tables.get(res)?.get(&id)
    }

    /// The ids of a resource's objects, in order.
    pub(crate) fn ids(&self, res: &str) -> impl Iterator<Item = u64> + '_ {
        self.tables
            .get(res)
            .into_iter()
            .flat_map(BTreeMap::keys)
            .copied()
    }

    /// All stored objects of a resource, in id order.
    pub(crate) fn table(&self, res: &str) -> impl Iterator<Item = &Obj> {
        self.tables.get(res).into_iter().flat_map(BTreeMap::values)
    }

    /// Whether an object of the target kind with this id exists.
    pub(crate) fn exists(&self, target: Target, id: u64) -> bool {
        target
            .resources()
            .iter()
            .any(|r| self.stored(r, id).is_some())
    }

    /// The user id an API key belongs to.
    pub(crate) fn user_for_key(&self, key: &str) -> Option<u64> {
        self.key_index.get(key).copied()
    }

    /// The API key of a user.
    pub(crate) fn key_of(&self, uid: u64) -> Option<&str> {
        self.keys.get(&uid).map(String::as_str)
    }

    /// Sets (or replaces) the API key of a user.
    pub(crate) fn set_key(&mut self, uid: u64, key: String) {
        if let Some(old) = self.keys.insert(uid, key.clone()) {
            self.key_index.remove(&old);
        }
        self.key_index.insert(key, uid);
    }

    /// All API keys by user id (for snapshots).
    pub(crate) fn keys(&self) -> &BTreeMap<u64, String> {
        &self.keys
    }

    /// The id counters (for snapshots).
    pub(crate) fn next_ids(&self) -> &BTreeMap<String, u64> {
        &self.next_ids
    }

    /// Restores an id counter from a snapshot (never lowers it).
    pub(crate) fn bump_next_id(&mut self, space: &str, next: u64) {
        let slot = self.next_ids.entry(space.to_owned()).or_insert(1);
        *slot = (*slot).max(next);
    }

    /// The objects written or deleted since the last call, each once: `(resource, id)`.
    pub(crate) fn take_changes(&mut self) -> BTreeSet<ObjectKey> {
        std::mem::take(&mut self.changed)
    }

    /// Stores an object under its id.
    fn put(&mut self, res: &'static Resource, id: u64, obj: Obj) {
        self.tables.entry(res.name).or_default().insert(id, obj);
        self.changed.insert((res.name, id));
    }

    fn allocate(&mut self, res: &Resource) -> u64 {
        let slot = self.next_ids.entry(res.id_space().to_owned()).or_insert(1);
        let id = *slot;
        *slot = slot.saturating_add(1);
        id
    }

    /// Inserts an object as given (seed data, persisted data), allocating an id when it has
    /// none; fields of no column are dropped, missing ones filled in. Returns the numeric id.
    pub(crate) fn insert_given(
        &mut self,
        res: &'static Resource,
        mut obj: Obj,
    ) -> Result<u64, String> {
        let id = match obj.get("id") {
            None | Some(Value::Null) => self.allocate(res),
            Some(v) => parse_id_value(res, v)
                .ok_or_else(|| format!("{}: invalid id {}", res.name, crate::error::excerpt(v)))?,
        };
        self.bump_next_id(res.id_space(), id.saturating_add(1));
        obj.insert("id".into(), id_value(res, id));
        let now = now_iso();
        obj.entry("ao").or_insert_with(|| now.clone().into());
        obj.entry("lm").or_insert_with(|| now.into());
        for (k, value) in res.initial.iter().chain(res.extras) {
            obj.entry(*k).or_insert_with(|| value.value());
        }
        // Derived lists are computed when served, never stored.
        obj.retain(|k, _| {
            matches!(k.as_str(), "id" | "ao" | "lm") || res.served_fields().any(|(f, _)| f == k)
        });
        set_fixed_fields(res, &mut obj);
        fill_shape(res, &mut obj);
        self.put(res, id, obj);
        Ok(id)
    }

    /// The objects of a resource the user may see, with their derived lists.
    pub(crate) fn list(&self, res: &'static Resource, who: &Principal) -> Vec<View<'_>> {
        let mut index = self.derived_index(res, who);
        self.tables
            .get(res.name)
            .into_iter()
            .flat_map(|t| t.iter())
            .filter(|(_, o)| who.sees(o))
            .map(|(id, obj)| View {
                obj,
                derived: res
                    .derived
                    .iter()
                    .map(|d| {
                        let ids = index
                            .get_mut(d.field)
                            .and_then(|m| m.remove(id))
                            .unwrap_or_default();
                        (d.field, ids)
                    })
                    .collect(),
            })
            .collect()
    }

    /// One object the user may see, with its derived lists.
    pub(crate) fn get(
        &self,
        res: &'static Resource,
        id: u64,
        who: &Principal,
    ) -> Result<View<'_>, ApiError> {
        let obj = self.visible(res, id, who)?;
        Ok(self.view(res, id, obj, who))
    }

    /// An object with the derived lists of one parent, scanning only for that parent.
    fn view<'a>(&'a self, res: &Resource, id: u64, obj: &'a Obj, who: &Principal) -> View<'a> {
        let derived = res
            .derived
            .iter()
            .map(|d| {
                let ids = self
                    .table(d.child)
                    .filter(|c| points_at(c.get(d.via), id) && who.sees(c))
                    .filter_map(|c| c.get("id").cloned())
                    .collect();
                (d.field, ids)
            })
            .collect();
        View { obj, derived }
    }

    fn visible(&self, res: &Resource, id: u64, who: &Principal) -> Result<&Obj, ApiError> {
        self.stored(res.name, id)
            .filter(|o| who.sees(o))
            .ok_or_else(|| {
                ApiError::not_found(format!("{} {} not found", res.name, show_id(res, id)))
            })
    }

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

    fn remove_cascade(&mut self, res: &'static Resource, id: u64) {
        if let Some(t) = self.tables.get_mut(res.name) {
            t.remove(&id);
            self.changed.insert((res.name, id));
        }
        let now = now_iso();
        for der in res.derived {
            if der.on_delete != OnParentDelete::Delete {
                continue;
            }
            let Some(child) = rules::resource(der.child) else {
                continue;
            };
            let owned: Vec<u64> = self
                .tables
                .get(der.child)
                .into_iter()
                .flatten()
                .filter(|(_, c)| points_at(c.get(der.via), id))
                .map(|(cid, _)| *cid)
                .collect();
            for cid in owned {
                self.remove_cascade(child, cid);
            }
        }
        // Reference fields pointing here become null (or lose the element, for lists).
        let gone = id_value(res, id);
        for (owner, field, target, _) in rules::reference_fields() {
            if !target.resources().contains(&res.name) {
                continue;
            }
            let Some(table) = self.tables.get_mut(owner.name) else {
                continue;
            };
            for (oid, obj) in table.iter_mut() {
                let Some(v) = obj.get_mut(field.name) else {
                    continue;
                };
                let changed = match v {
                    Value::Array(items) => {
                        let before = items.len();
                        items.retain(|x| !same_id(x, &gone));
                        items.len() != before
                    }
                    other if same_id(other, &gone) => {
                        *other = Value::Null;
                        true
                    }
                    _ => false,
                };
                if changed {
                    obj.insert("lm".into(), now.clone().into());
                    self.changed.insert((owner.name, *oid));
                }
            }
        }
        self.clear_custom_field_refs(res, id, &now);
    }

    /// Custom field values that pointed at a deleted object, or belong to a deleted
    /// custom field, are removed.
    fn clear_custom_field_refs(&mut self, res: &Resource, id: u64, now: &str) {
        let defs: HashMap<String, Option<Target>> = self
            .table("customfield")
            .filter_map(|cf| {
                let cid = cf.get("id")?.as_u64()?;
                let et = cf.get("elemType").and_then(Value::as_str).unwrap_or("");
                Some((cid.to_string(), rules::elem_type_target(et)))
            })
            .collect();
        let gone = id.to_string();
        let deleting_field = res.name == "customfield";
        for owner in rules::RESOURCES.iter().filter(|r| r.cf_scope.is_some()) {
            let Some(table) = self.tables.get_mut(owner.name) else {
                continue;
            };
            for (oid, obj) in table.iter_mut() {
                let Some(Value::Object(cf)) = obj.get_mut("cf") else {
                    continue;
                };
                // Whether anything was removed, without copying every map to compare.
                let mut changed = false;
                if deleting_field {
                    changed = cf.remove(&gone).is_some();
                } else {
                    cf.retain(|key, v| {
                        let Some(Some(t)) = defs.get(key) else {
                            return true;
                        };
                        if !t.resources().contains(&res.name) {
                            return true;
                        }
                        match v {
                            Value::Array(items) => {
                                let before = items.len();
                                items.retain(|x| x.as_str() != Some(gone.as_str()));
                                changed |= items.len() != before;
                                true
                            }
                            other => {
                                let keep = other.as_str() != Some(gone.as_str());
                                changed |= !keep;
                                keep
                            }
                        }
                    });
                }
                if changed {
                    obj.insert("lm".into(), now.into());
                    self.changed.insert((owner.name, *oid));
                }
            }
        }
    }

    /// For each derived list of `res`: parent id → the ids of the visible children.
    fn derived_index(
        &self,
        res: &Resource,
        who: &Principal,
    ) -> HashMap<&'static str, HashMap<u64, Vec<Value>>> {
        let mut index: HashMap<&'static str, HashMap<u64, Vec<Value>>> = HashMap::new();
        for der in res.derived {
            let slot = index.entry(der.field).or_default();
            for child in self.table(der.child).filter(|c| who.sees(c)) {
                let Some(cid) = child.get("id").cloned() else {
                    continue;
                };
                match child.get(der.via) {
                    Some(Value::Array(parents)) => {
                        for p in parents.iter().filter_map(Value::as_u64) {
                            slot.entry(p).or_default().push(cid.clone());
                        }
                    }
                    Some(v) => {
                        if let Some(p) = v.as_u64() {
                            slot.entry(p).or_default().push(cid);
                        }
                    }
                    None => {}
                }
            }
        }
        index
    }
}

impl Store {
    /// Checks the store's invariants (for tests and fuzzing): every object is stored under
    /// its own id, with no derived list; the id counters are ahead of every id; reference
    /// fields point at existing objects; custom field values name existing custom fields;
    /// the API keys map both ways.
    pub(crate) fn check_consistency(&self) -> Result<(), String> {
        for (name, table) in &self.tables {
            let res = rules::resource(name).ok_or_else(|| format!("unknown table {name}"))?;
            let next = self.next_ids.get(res.id_space()).copied().unwrap_or(1);
            for (id, obj) in table {
                if obj.get("id") != Some(&id_value(res, *id)) {
                    return Err(format!("{name} {id} is stored with id {:?}", obj.get("id")));
                }
                if *id >= next && *id != u64::MAX {
                    return Err(format!(
                        "{name} {id}: the next id of {} is {next}",
                        res.id_space()
                    ));
                }
                if let Some(der) = res.derived.iter().find(|d| obj.contains_key(d.field)) {
                    return Err(format!("{name} {id} stores its derived list {}", der.field));
                }
                for fld in res.fields {
                    let targets: Vec<&Value> = match (fld.kind, obj.get(fld.name)) {
                        (_, None | Some(Value::Null)) => continue,
                        (rules::Kind::RefOrList(_), Some(Value::Array(items))) => {
                            items.iter().collect()
                        }
                        (rules::Kind::Ref(_) | rules::Kind::RefOrList(_), Some(v)) => vec![v],
                        _ => continue,
                    };
                    let (rules::Kind::Ref(target) | rules::Kind::RefOrList(target)) = fld.kind
                    else {
                        continue;
                    };
                    for v in targets {
                        let table = target.resources().first().and_then(|n| rules::resource(n));
                        let ok = table
                            .and_then(|t| parse_id_value(t, v))
                            .is_some_and(|tid| self.exists(target, tid));
                        if !ok {
                            return Err(format!(
                                "{name} {id}: {} refers to a missing {} {v}",
                                fld.name,
                                target.label()
                            ));
                        }
                    }
                }
                if res.cf_scope.is_some() {
                    if let Some(Value::Object(cf)) = obj.get("cf") {
                        for key in cf.keys() {
                            let known = key
                                .parse::<u64>()
                                .is_ok_and(|cid| self.stored("customfield", cid).is_some());
                            if !known {
                                return Err(format!(
                                    "{name} {id}: cf names a missing custom field {key:?}"
                                ));
                            }
                        }
                    }
                }
            }
        }
        for (uid, key) in &self.keys {
            if self.key_index.get(key) != Some(uid) {
                return Err(format!("the key of user {uid} does not map back to it"));
            }
        }
        if self.key_index.len() != self.keys.len() {
            return Err("the key index and the keys differ in size".into());
        }
        Ok(())
    }
}

/// Fields whose value the endpoint decides, not the client (`is_company`, `is_dir`).
fn set_fixed_fields(res: &Resource, obj: &mut Obj) {
    for (k, value) in res.fixed {
        obj.insert((*k).to_owned(), value.value());
    }
}

/// The documented full shape: every field present, unset ones empty (`null`, `[]`, `{}`).
fn fill_shape(res: &Resource, obj: &mut Obj) {
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

/// Whether a child's link field (one id or a list of ids) points at `parent`.
fn points_at(link: Option<&Value>, parent: u64) -> bool {
    match link {
        Some(Value::Array(items)) => items.iter().any(|x| x.as_u64() == Some(parent)),
        Some(v) => v.as_u64() == Some(parent),
        None => false,
    }
}

/// A stored object as served: its fields plus its derived lists, serialised without
/// copying the object.
#[derive(Debug)]
pub(crate) struct View<'a> {
    obj: &'a Obj,
    derived: Vec<(&'static str, Vec<Value>)>,
}

impl View<'_> {
    /// The view as an owned JSON value.
    pub(crate) fn to_value(&self) -> Value {
        let mut out = self.obj.clone();
        for (k, ids) in &self.derived {
            out.insert((*k).to_owned(), Value::Array(ids.clone()));
        }
        Value::Object(out)
    }
}

impl serde::Serialize for View<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        // Stored objects never hold derived fields (they are read-only and dropped on write).
        let mut map = serializer.serialize_map(Some(self.obj.len() + self.derived.len()))?;
        for (k, v) in self.obj {
            if !self.derived.iter().any(|(d, _)| d == k) {
                map.serialize_entry(k, v)?;
            }
        }
        for (k, ids) in &self.derived {
            map.serialize_entry(k, ids)?;
        }
        map.end()
    }
}

fn same_id(a: &Value, b: &Value) -> bool {
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

fn show_id(res: &Resource, id: u64) -> String {
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
