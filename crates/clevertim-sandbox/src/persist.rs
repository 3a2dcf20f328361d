//! Persistence: snapshots of the whole store in one JSON file, written atomically and
//! durably (temporary file, fsync, rename, fsync of the directory).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::error::SandboxError;
use crate::rules::{self, RESOURCES};
use crate::store::Store;

/// The file name used when `--data` names a directory.
pub(crate) const FILE_NAME: &str = "clevertim-sandbox.json";
const FORMAT: &str = "clevertim-sandbox/1";

/// Where the snapshot lives: `DIR/clevertim-sandbox.json` for a directory (existing, or
/// a path without a `.json` extension), else the file itself.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if path.is_dir() || !is_json {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

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
            store.insert_raw(res, obj.clone())?;
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
    Ok(store)
}

/// Reads the snapshot at `path`, if the file exists.
pub(crate) fn load(path: &Path) -> Result<Option<Store>, SandboxError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SandboxError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let corrupt = |reason: String| SandboxError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    restore(&doc).map(Some).map_err(corrupt)
}

/// Writes `bytes` to `path` atomically and durably: a reader sees the old or the new
/// content, never a mix, and once this returns the new content survives a crash.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SandboxError> {
    let io = |source| SandboxError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| FILE_NAME.to_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Creates a file only its owner can read: the snapshot holds API keys.
#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
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
    fn atomic_write_replaces_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = resolve(dir.path());
        write_atomic(&path, b"{\"a\":1}").expect("first write");
        write_atomic(&path, b"{\"a\":2}").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"{\"a\":2}");
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    #[test]
    fn rejects_foreign_files() {
        assert!(restore(&json!({"data": {}})).is_err());
        assert!(restore(&json!({"format": FORMAT, "data": {"nope": []}})).is_err());
    }
}
