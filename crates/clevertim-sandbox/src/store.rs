//! The data: one table per resource, id allocation and API keys. What reads and writes
//! do is in the submodules: `read` (views with derived lists), `write` (create, update,
//! delete), `cascade` (a delete's side effects), `ids`, `consistency`.

mod cascade;
mod consistency;
mod ids;
mod read;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::rules::{Resource, Target};
use crate::time::now_iso;

pub(crate) use ids::{id_value, parse_id, parse_id_value};
use write::{fill_shape, set_fixed_fields};

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
}
