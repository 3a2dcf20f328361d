//! The store's invariants, checked by tests and fuzzing.

use serde_json::Value;

use super::Store;
use super::ids::{id_value, parse_id_value};
use crate::rules;

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
