//! Persistence (`--data DIR`): the parts.
//!
//! - [`database`]: the store kept in an embedded database (redb), one row per object, so
//!   that a write saves only the objects it changed: its cost does not grow with the data.
//!   Every acknowledged write is committed durably before the answer is sent.
//! - [`snapshot`]: the whole store as one JSON document: the format of earlier versions
//!   (read once and moved into a database), and the check that the store round-trips.
//!
//! Where the files live is decided here.

pub(crate) mod database;
pub(crate) mod snapshot;

use std::path::{Path, PathBuf};

/// The database's file name when `--data` names a directory.
pub(crate) const DATABASE_FILE: &str = "clevertim-sandbox.redb";
/// The JSON snapshot's file name in a data directory of an earlier version.
pub(crate) const SNAPSHOT_FILE: &str = "clevertim-sandbox.json";

/// Where the data of a `--data` path lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataFiles {
    /// The database.
    pub(crate) database: PathBuf,
    /// A JSON snapshot of an earlier version, moved into the database when there is none.
    pub(crate) snapshot: PathBuf,
}

/// `DIR/clevertim-sandbox.redb` for a directory (existing, or a path without a `.json`
/// extension); for `NAME.json` (a snapshot file of an earlier version), `NAME.redb` beside it.
pub(crate) fn resolve(path: &Path) -> DataFiles {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if path.is_dir() || !is_json {
        DataFiles {
            database: path.join(DATABASE_FILE),
            snapshot: path.join(SNAPSHOT_FILE),
        }
    } else {
        DataFiles {
            database: path.with_extension("redb"),
            snapshot: path.to_path_buf(),
        }
    }
}

/// The name a migrated snapshot is kept under: `NAME.json.migrated`.
pub(crate) fn migrated_name(snapshot: &Path) -> PathBuf {
    let mut name = snapshot.as_os_str().to_owned();
    name.push(".migrated");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_or_a_json_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            resolve(dir.path()),
            DataFiles {
                database: dir.path().join(DATABASE_FILE),
                snapshot: dir.path().join(SNAPSHOT_FILE),
            }
        );
        let file = dir.path().join("crm.json");
        assert_eq!(
            resolve(&file),
            DataFiles {
                database: dir.path().join("crm.redb"),
                snapshot: file.clone(),
            }
        );
        assert_eq!(migrated_name(&file), dir.path().join("crm.json.migrated"));
    }
}
