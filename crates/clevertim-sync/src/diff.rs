//! What changed in one resource: the objects read against the digests the mirror holds.

use std::collections::{HashMap, HashSet};

use crate::spec::Object;

/// One resource's difference with the mirror.
#[derive(Debug, Default)]
pub(crate) struct Difference<'a> {
    /// Read, not in the mirror.
    pub(crate) new: Vec<&'a Object>,
    /// Read, in the mirror with another digest (or none).
    pub(crate) changed: Vec<&'a Object>,
    /// In the mirror, not read: sorted.
    pub(crate) gone: Vec<String>,
    /// How many the mirror held.
    pub(crate) held: usize,
}

/// Compares `read` with `held` (each mirrored key and its `wire_sha256`, `None` where the
/// mirror has none). A key read twice (a list that shifted while it was paged) counts once,
/// as its last reading.
pub(crate) fn difference(
    read: &[Object],
    mut held: HashMap<String, Option<String>>,
) -> Difference<'_> {
    let mut out = Difference {
        held: held.len(),
        ..Difference::default()
    };
    let mut seen = HashSet::with_capacity(read.len());
    for object in read.iter().rev() {
        if !seen.insert(object.id.as_str()) {
            continue;
        }
        match held.remove(&object.id) {
            None => out.new.push(object),
            Some(Some(sha256)) if sha256 == object.sha256 => {}
            Some(_) => out.changed.push(object),
        }
    }
    // In the order read, for the report's and the database's sake.
    out.new.reverse();
    out.changed.reverse();
    out.gone = held.into_keys().collect();
    out.gone.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(id: &str, sha256: &str) -> Object {
        Object {
            id: id.to_owned(),
            wire: format!("{{\"id\":{id}}}"),
            sha256: sha256.to_owned(),
        }
    }

    fn ids(objects: &[&Object]) -> Vec<String> {
        objects
            .iter()
            .map(|o| format!("{}:{}", o.id, o.sha256))
            .collect()
    }

    #[test]
    fn new_changed_gone_and_unchanged() {
        let read = [
            object("1", "a"),
            object("2", "b"),
            object("4", "d"),
            object("5", "e"),
        ];
        let held = HashMap::from([
            ("1".to_owned(), Some("a".to_owned())),
            ("2".to_owned(), Some("B".to_owned())),
            ("3".to_owned(), Some("c".to_owned())),
            ("5".to_owned(), None),
            ("0".to_owned(), Some("z".to_owned())),
        ]);
        let difference = difference(&read, held);
        assert_eq!(ids(&difference.new), ["4:d"]);
        assert_eq!(ids(&difference.changed), ["2:b", "5:e"]);
        assert_eq!(difference.gone, ["0", "3"]);
        assert_eq!(difference.held, 5);
    }

    #[test]
    fn a_key_read_twice_counts_once_as_its_last_reading() {
        let read = [object("1", "old"), object("2", "b"), object("1", "new")];
        let held = HashMap::from([("1".to_owned(), Some("new".to_owned()))]);
        let difference = difference(&read, held);
        assert!(difference.changed.is_empty(), "{:?}", difference.changed);
        assert_eq!(ids(&difference.new), ["2:b"]);
        assert!(difference.gone.is_empty());
    }

    #[test]
    fn an_empty_mirror_takes_everything_as_new() {
        let read = [object("1", "a"), object("2", "b")];
        let difference = difference(&read, HashMap::new());
        assert_eq!(ids(&difference.new), ["1:a", "2:b"]);
        assert_eq!(difference.held, 0);
    }
}
