//! The import's key map, recorded as the import goes: one JSON line per event, appended whole,
//! so that a process stopped at any point (Ctrl-C, `kill`, a crash) leaves every line it
//! finished; a torn last line is ignored when the file is read again.
//!
//! Before each object is created a `creating` line records what is sent; after, a `created`
//! line its new key. A `creating` without its `created` is an object the account may or may
//! not have: the next run looks for it there before creating it again.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(super) enum Entry {
    /// The import's target (the endpoint, never the key).
    Start {
        /// The endpoint imported into.
        endpoint: String,
    },
    /// An object is about to be created with these fields.
    Creating {
        /// Its resource.
        resource: String,
        /// Its key in the export.
        key: String,
        /// The fields sent.
        sent: Map<String, Value>,
    },
    /// An object could not be created (the API refused it): it is not in the account.
    Failed {
        /// Its resource.
        resource: String,
        /// Its key in the export.
        key: String,
    },
    /// An object was created (or found) with this key.
    Created {
        /// Its resource.
        resource: String,
        /// Its key in the export.
        key: String,
        /// Its key in the account.
        new: Value,
    },
}

/// What a file recorded.
#[derive(Debug, Default)]
pub(super) struct Recorded {
    /// The endpoint of the first run.
    pub(super) endpoint: Option<String>,
    /// Old key → new key, per resource.
    pub(super) keys: HashMap<String, BTreeMap<String, Value>>,
    /// The object whose creation was not seen to end: (resource, old key, fields sent).
    pub(super) creating: Option<(String, String, Map<String, Value>)>,
}

impl Recorded {
    /// How many objects it maps.
    pub(super) fn len(&self) -> usize {
        self.keys.values().map(BTreeMap::len).sum()
    }
}

/// Reads the file at `path`; an empty record when there is none.
///
/// # Errors
///
/// When the file exists and cannot be read, or a line other than the last is not an entry.
pub(super) fn read(path: &Path) -> Result<Recorded, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Recorded::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut recorded = Recorded::default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, line) in lines.iter().enumerate() {
        let entry = match serde_json::from_str::<Entry>(line) {
            Ok(entry) => entry,
            // The last line may have been cut short by a stop mid-write: it never happened.
            Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => break,
            Err(e) => return Err(format!("{} line {}: {e}", path.display(), i + 1)),
        };
        match entry {
            Entry::Start { endpoint } => {
                recorded.endpoint.get_or_insert(endpoint);
            }
            Entry::Creating {
                resource,
                key,
                sent,
            } => recorded.creating = Some((resource, key, sent)),
            Entry::Failed { resource, key } => {
                if recorded
                    .creating
                    .as_ref()
                    .is_some_and(|(r, k, _)| *r == resource && *k == key)
                {
                    recorded.creating = None;
                }
            }
            Entry::Created { resource, key, new } => {
                if recorded
                    .creating
                    .as_ref()
                    .is_some_and(|(r, k, _)| *r == resource && *k == key)
                {
                    recorded.creating = None;
                }
                recorded.keys.entry(resource).or_default().insert(key, new);
            }
        }
    }
    Ok(recorded)
}

/// The file, open for appending.
#[derive(Debug)]
pub(super) struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the file at `path` for appending.
    ///
    /// # Errors
    ///
    /// When it cannot be opened.
    pub(super) fn open(path: &Path) -> Result<Journal, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Journal {
            file,
            path: path.to_owned(),
        })
    }

    /// Appends `entry` as one whole line (one write).
    ///
    /// # Errors
    ///
    /// When it cannot be written: the import must stop, or it could create objects twice.
    pub(super) fn record(&mut self, entry: &Entry) -> Result<(), String> {
        let mut line = serde_json::to_string(entry).map_err(|e| e.to_string())?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// Where it is.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_ignored_and_an_unfinished_create_is_remembered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.jsonl");
        let mut journal = Journal::open(&path).expect("open");
        let creating = |key: &str| Entry::Creating {
            resource: "contact".into(),
            key: key.into(),
            sent: Map::new(),
        };
        journal
            .record(&Entry::Start {
                endpoint: "http://x/api".into(),
            })
            .expect("start");
        journal.record(&creating("1")).expect("creating 1");
        journal
            .record(&Entry::Created {
                resource: "contact".into(),
                key: "1".into(),
                new: Value::from(11),
            })
            .expect("created 1");
        journal.record(&creating("2")).expect("creating 2");
        drop(journal);
        let mut text = std::fs::read_to_string(&path).expect("read");
        text.push_str(r#"{"event":"created","resource":"contact","ke"#);
        std::fs::write(&path, text).expect("write");
        let recorded = read(&path).expect("recorded");
        assert_eq!(recorded.endpoint.as_deref(), Some("http://x/api"));
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded.keys["contact"]["1"], Value::from(11));
        assert_eq!(
            recorded.creating.map(|(r, k, _)| (r, k)),
            Some(("contact".to_owned(), "2".to_owned()))
        );
    }
}
