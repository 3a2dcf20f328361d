//! What a delete does besides removing the object: its owned children go too, and every
//! reference to it (fields, custom field values) is cleared.

use std::collections::HashMap;

use serde_json::Value;

use super::Store;
use super::ids::{id_value, same_id};
use super::read::points_at;
use crate::rules::{self, OnParentDelete, Resource, Target};
use crate::time::now_iso;

impl Store {
    pub(super) fn remove_cascade(&mut self, res: &'static Resource, id: u64) {
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
}
