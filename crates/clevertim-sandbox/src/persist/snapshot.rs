//! The whole store as one JSON document: the data file of earlier versions (read once, then
//! moved into a database), and the round trip [`crate::InProcess::check_consistency`] checks.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::SandboxError;
use crate::rules::{self, RESOURCES};
use crate::store::Store;

const FORMAT: &str = "clevertim-sandbox/1";

/// The whole store as a JSON document.
pub(crate) fn snapshot(store: &Store) -> Value {
    let mut data = Map::new();
    for res in RESOURCES {
        let list: Vec<Value> = store.table(res.name).cloned().map(Value::Object).collect();
        data.insert(res.name.to_owned(), Value::Array(list));
    }
    let keys: Map<String, Value> = store
        .keys()
        .iter()
        .map(|(id, k)| (id.to_string(), Value::String(k.clone())))
        .collect();
    json!({
        "format": FORMAT,
        "next_ids": store.next_ids(),
        "keys": keys,
        "data": data,
    })
}

/// Rebuilds a store from a snapshot document.
pub(crate) fn restore(doc: &Value) -> Result<Store, String> {
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(format!("missing \"format\": \"{FORMAT}\""));
    }
    let mut store = Store::default();
    let data = doc
        .get("data")
        .and_then(Value::as_object)
        .ok_or("missing \"data\" object")?;
    for (name, list) in data {
        let res = rules::resource(name).ok_or_else(|| format!("unknown resource '{name}'"))?;
        for obj in list.as_array().ok_or("\"data\" values must be lists")? {
            let obj = obj.as_object().ok_or("objects must be JSON objects")?;
            store.insert_given(res, obj.clone())?;
        }
    }
    if let Some(next) = doc.get("next_ids").and_then(Value::as_object) {
        for (space, n) in next {
            store.bump_next_id(space, n.as_u64().unwrap_or(1));
        }
    }
    for (id, key) in doc
        .get("keys")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (Ok(id), Some(key)) = (id.parse::<u64>(), key.as_str()) else {
            return Err("\"keys\" must map user ids to strings".into());
        };
        store.set_key(id, key.to_owned());
    }
    store.take_changes();
    Ok(store)
}

/// Reads the snapshot at `path`, if the file exists.
///
/// # Errors
///
/// The file cannot be read, or holds no snapshot.
pub(crate) fn load(path: &Path) -> Result<Option<Store>, SandboxError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SandboxError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let corrupt = |reason: String| SandboxError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    restore(&doc).map(Some).map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_round_trips() {
        let mut store = Store::default();
        crate::seed::base(&mut store).expect("base data");
        crate::seed::demo(&mut store).expect("demo data");
        let doc = snapshot(&store);
        let back = restore(&doc).expect("restores");
        assert_eq!(snapshot(&back), doc);
        assert_eq!(back.user_for_key(crate::DEFAULT_API_KEY), Some(1));
    }

    #[test]
    fn rejects_foreign_files() {
        assert!(restore(&json!({"data": {}})).is_err());
        assert!(restore(&json!({"format": FORMAT, "data": {"nope": []}})).is_err());
    }
}
