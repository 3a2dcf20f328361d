//! The store in an embedded database: one row per object, the id counters and the API keys
//! in tables of their own. A write commits only the rows it changed, durably (redb's
//! default: the commit returns once the data is on disk), so an acknowledged write survives
//! a crash and its cost does not grow with the number of stored objects.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use redb::{ReadableTable as _, TableDefinition};
use serde_json::Value;

use crate::error::SandboxError;
use crate::rules;
use crate::store::{ObjectKey, Store};

/// Every object: (resource, numeric id) → the object as JSON.
const OBJECTS: TableDefinition<'_, (&str, u64), &[u8]> = TableDefinition::new("objects");
/// The next id of each id space.
const NEXT_IDS: TableDefinition<'_, &str, u64> = TableDefinition::new("next_ids");
/// The API key of each user.
const KEYS: TableDefinition<'_, u64, &str> = TableDefinition::new("keys");
/// What the file is: `format` → [`FORMAT`].
const META: TableDefinition<'_, &str, &str> = TableDefinition::new("meta");
/// The format of the rows, so that a later version can tell what it reads.
const FORMAT: &str = "clevertim-sandbox/2";

/// What one write changed, encoded: taken under the store's lock, committed after it.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// The rows to write, `None` to remove.
    objects: Vec<(ObjectKey, Option<Vec<u8>>)>,
    /// Every id counter (a handful).
    next_ids: Vec<(String, u64)>,
    /// Every API key, when they changed.
    keys: Option<Vec<(u64, String)>>,
}

impl Batch {
    /// The rows of the objects in `changed` (removals for those no longer stored), the id
    /// counters, and with `keys` the API keys.
    ///
    /// # Errors
    ///
    /// An object does not encode as JSON.
    pub(crate) fn of(
        store: &Store,
        changed: &BTreeSet<ObjectKey>,
        keys: bool,
    ) -> Result<Batch, serde_json::Error> {
        let objects = changed
            .iter()
            .map(|&(name, id)| {
                let row = store.stored(name, id).map(serde_json::to_vec).transpose()?;
                Ok(((name, id), row))
            })
            .collect::<Result<_, serde_json::Error>>()?;
        Ok(Batch {
            objects,
            next_ids: store
                .next_ids()
                .iter()
                .map(|(space, next)| (space.clone(), *next))
                .collect(),
            keys: keys.then(|| {
                store
                    .keys()
                    .iter()
                    .map(|(uid, key)| (*uid, key.clone()))
                    .collect()
            }),
        })
    }

    /// Whether it changes no object.
    pub(crate) fn is_empty(&self) -> bool {
        self.objects.is_empty() && self.keys.is_none()
    }
}

/// An open database. Only one process (and one sandbox) may hold it at a time.
pub(crate) struct Database {
    db: redb::Database,
    path: PathBuf,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Opens the database at `path`, creating it (readable by its owner only: it holds API
    /// keys) when there is none. Returns it with the store it holds, `None` when new.
    ///
    /// # Errors
    ///
    /// The file cannot be created or read, is not a sandbox database, or is open elsewhere.
    pub(crate) fn open(path: &Path) -> Result<(Database, Option<Store>), SandboxError> {
        let existed = path.is_file() && std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| SandboxError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let file = open_private(path).map_err(|source| SandboxError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let db = redb::Builder::new()
            .create_file(file)
            .map_err(|e| match e {
                redb::DatabaseError::DatabaseAlreadyOpen => SandboxError::InUse {
                    path: path.to_path_buf(),
                },
                redb::DatabaseError::Storage(redb::StorageError::Io(source))
                    if source.kind() != std::io::ErrorKind::InvalidData =>
                {
                    SandboxError::Io {
                        path: path.to_path_buf(),
                        source,
                    }
                }
                other => SandboxError::Corrupt {
                    path: path.to_path_buf(),
                    reason: other.to_string(),
                },
            })?;
        let database = Database {
            db,
            path: path.to_path_buf(),
        };
        let store = if existed { database.load()? } else { None };
        Ok((database, store))
    }

    /// Reads every row into a store; `None` when nothing was ever saved (a start that
    /// stopped between creating the file and its first commit).
    fn load(&self) -> Result<Option<Store>, SandboxError> {
        let corrupt = |reason: String| SandboxError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        let tx = self.db.begin_read().map_err(|e| self.failed(e))?;
        let format = match tx.open_table(META) {
            Ok(meta) => meta
                .get("format")
                .map_err(|e| self.failed(e))?
                .map(|v| v.value().to_owned()),
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(self.failed(e)),
        };
        if format.as_deref() != Some(FORMAT) {
            return Err(corrupt(format!(
                "expected the format {FORMAT}, found {}",
                format.as_deref().unwrap_or("none")
            )));
        }
        let mut store = Store::default();
        let objects = tx.open_table(OBJECTS).map_err(|e| self.failed(e))?;
        for row in objects.iter().map_err(|e| self.failed(e))? {
            let (key, bytes) = row.map_err(|e| self.failed(e))?;
            let (name, id) = key.value();
            let res = rules::resource(name)
                .ok_or_else(|| corrupt(format!("unknown resource '{name}'")))?;
            let obj: Value = serde_json::from_slice(bytes.value())
                .map_err(|e| corrupt(format!("{name} {id}: {e}")))?;
            let Value::Object(obj) = obj else {
                return Err(corrupt(format!("{name} {id} is not a JSON object")));
            };
            store.insert_given(res, obj).map_err(corrupt)?;
        }
        let next_ids = tx.open_table(NEXT_IDS).map_err(|e| self.failed(e))?;
        for row in next_ids.iter().map_err(|e| self.failed(e))? {
            let (space, next) = row.map_err(|e| self.failed(e))?;
            store.bump_next_id(space.value(), next.value());
        }
        let keys = tx.open_table(KEYS).map_err(|e| self.failed(e))?;
        for row in keys.iter().map_err(|e| self.failed(e))? {
            let (uid, key) = row.map_err(|e| self.failed(e))?;
            store.set_key(uid.value(), key.value().to_owned());
        }
        store.take_changes();
        Ok(Some(store))
    }

    /// Writes the whole store: the rows of every object, the id counters and the keys.
    ///
    /// # Errors
    ///
    /// The commit failed; nothing of it is saved.
    pub(crate) fn save_all(&self, store: &Store) -> Result<(), SandboxError> {
        let every: BTreeSet<ObjectKey> = rules::RESOURCES
            .iter()
            .flat_map(|res| store.ids(res.name).map(move |id| (res.name, id)))
            .collect();
        let batch = Batch::of(store, &every, true).map_err(|e| SandboxError::Corrupt {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        self.commit(&batch)
    }

    /// Commits a batch, durably, as one transaction.
    ///
    /// # Errors
    ///
    /// The commit failed; nothing of the batch is saved.
    pub(crate) fn commit(&self, batch: &Batch) -> Result<(), SandboxError> {
        let tx = self.db.begin_write().map_err(|e| self.failed(e))?;
        {
            let mut meta = tx.open_table(META).map_err(|e| self.failed(e))?;
            meta.insert("format", FORMAT).map_err(|e| self.failed(e))?;
            let mut objects = tx.open_table(OBJECTS).map_err(|e| self.failed(e))?;
            for ((name, id), row) in &batch.objects {
                match row {
                    Some(bytes) => objects.insert((*name, *id), bytes.as_slice()).map(drop),
                    None => objects.remove((*name, *id)).map(drop),
                }
                .map_err(|e| self.failed(e))?;
            }
            let mut next_ids = tx.open_table(NEXT_IDS).map_err(|e| self.failed(e))?;
            for (space, next) in &batch.next_ids {
                next_ids
                    .insert(space.as_str(), *next)
                    .map_err(|e| self.failed(e))?;
            }
            if let Some(keys) = &batch.keys {
                let mut table = tx.open_table(KEYS).map_err(|e| self.failed(e))?;
                table.retain(|_, _| false).map_err(|e| self.failed(e))?;
                for (uid, key) in keys {
                    table
                        .insert(*uid, key.as_str())
                        .map_err(|e| self.failed(e))?;
                }
            }
        }
        tx.commit().map_err(|e| self.failed(e))
    }

    fn failed(&self, e: impl Into<redb::Error>) -> SandboxError {
        SandboxError::Database {
            path: self.path.clone(),
            source: Box::new(e.into()),
        }
    }
}

/// Opens (or creates) a file only its owner can read: the database holds API keys.
#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Store {
        let mut store = Store::default();
        crate::seed::base(&mut store).expect("base data");
        crate::seed::demo(&mut store).expect("demo data");
        store.take_changes();
        store
    }

    #[test]
    fn the_store_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.redb");
        let store = demo();
        {
            let (db, loaded) = Database::open(&path).expect("creates");
            assert!(loaded.is_none(), "a new database holds nothing");
            db.save_all(&store).expect("saves");
        }
        let (_db, loaded) = Database::open(&path).expect("opens");
        let loaded = loaded.expect("holds the store");
        assert_eq!(
            crate::persist::snapshot::snapshot(&loaded),
            crate::persist::snapshot::snapshot(&store)
        );
    }

    #[test]
    fn a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.redb");
        std::fs::write(&path, b"{ not a database").expect("write");
        let err = Database::open(&path).expect_err("refused");
        assert!(matches!(err, SandboxError::Corrupt { .. }), "{err}");
    }

    #[test]
    fn one_holder_at_a_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db.redb");
        let _held = Database::open(&path).expect("creates");
        let err = Database::open(&path).expect_err("in use");
        assert!(matches!(err, SandboxError::InUse { .. }), "{err}");
    }
}
