//! Reading: the objects a user may see, each with its derived lists (a note's comments, …).

use std::collections::HashMap;

use serde_json::Value;

use super::ids::show_id;
use super::{Obj, Store};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::rules::Resource;

impl Store {
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
    pub(super) fn view<'a>(
        &'a self,
        res: &Resource,
        id: u64,
        obj: &'a Obj,
        who: &Principal,
    ) -> View<'a> {
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

    pub(super) fn visible(
        &self,
        res: &Resource,
        id: u64,
        who: &Principal,
    ) -> Result<&Obj, ApiError> {
        self.stored(res.name, id)
            .filter(|o| who.sees(o))
            .ok_or_else(|| {
                ApiError::not_found(format!("{} {} not found", res.name, show_id(res, id)))
            })
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

/// Whether a child's link field (one id or a list of ids) points at `parent`.
pub(super) fn points_at(link: Option<&Value>, parent: u64) -> bool {
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
