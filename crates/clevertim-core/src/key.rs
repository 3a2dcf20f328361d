//! Keys: the ids of objects, typed by the resource they point to.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

mod into_key;
mod parse;
pub use into_key::IntoKey;
pub use parse::ParseIdError;

/// An object id as the server sends it: an integer for most resources, a string for folders.
///
/// Two ids are equal when they spell the same text, so `12` and `"12"` are the same id (but
/// `"012"` is another).
///
/// ```
/// use clevertim::Id;
/// assert_eq!(Id::from(12), Id::from("12"));
/// assert_ne!(Id::from(12), Id::from("012"));
/// assert_eq!(Id::from("f111").to_string(), "f111");
/// // Integers sort by value, before the other string ids.
/// let mut ids = vec![Id::from("f1"), Id::from(12), Id::from(3)];
/// ids.sort();
/// assert_eq!(ids, [Id::from(3), Id::from(12), Id::from("f1")]);
/// ```
#[derive(Clone)]
pub enum Id {
    /// An integer id, e.g. `367`.
    Int(i64),
    /// A string id, e.g. `"f111"` for a folder.
    Str(Arc<str>),
}

impl Id {
    /// The id as an integer, when it is one (a string that spells an integer exactly counts:
    /// `"12"`, not `"012"` or `"+12"`).
    ///
    /// ```
    /// use clevertim::Id;
    /// assert_eq!(Id::from(367).as_int(), Some(367));
    /// assert_eq!(Id::from("12").as_int(), Some(12));
    /// assert_eq!(Id::from("012").as_int(), None);
    /// assert_eq!(Id::from("f111").as_int(), None);
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Id::Int(n) => Some(*n),
            Id::Str(s) => canonical_int(s),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(n) => write!(f, "{n}"),
            Id::Str(s) => f.write_str(s),
        }
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(n) => write!(f, "{n}"),
            Id::Str(s) => write!(f, "{s:?}"),
        }
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Id::Int(a), Id::Int(b)) => a == b,
            (Id::Str(a), Id::Str(b)) => a == b,
            (Id::Int(n), Id::Str(s)) | (Id::Str(s), Id::Int(n)) => canonical_int(s) == Some(*n),
        }
    }
}

impl Eq for Id {}

/// The integer `s` spells, when it spells one the way an integer prints.
fn canonical_int(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|n| n.to_string() == s)
}

impl Ord for Id {
    /// Integer ids first, by value (`"12"` counts as `12`, as in `==`), then the other
    /// string ids, by text.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        match (self.as_int(), other.as_int()) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => self.to_string().cmp(&other.to_string()),
        }
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Hash the integer form whenever there is one, so that equal ids hash alike.
        match self.as_int() {
            Some(n) => n.hash(state),
            None => self.to_string().hash(state),
        }
    }
}

macro_rules! id_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Id {
            fn from(n: $t) -> Self {
                Id::Int(i64::from(n))
            }
        }
    )*};
}
id_from_int!(i32, i64, u32, u16, u8);

impl From<u64> for Id {
    fn from(n: u64) -> Self {
        i64::try_from(n).map_or_else(|_| Id::Str(n.to_string().into()), Id::Int)
    }
}

impl From<&Id> for Id {
    fn from(id: &Id) -> Self {
        id.clone()
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::Str(s.into())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id::Str(s.into())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Int(n) => serializer.serialize_i64(*n),
            Id::Str(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (an integer or a string)")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Id, E> {
                Ok(Id::Int(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Id, E> {
                Ok(Id::from(n))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Id, E> {
                Ok(Id::from(s))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

/// The key of an object of resource `R`: `Key<Contact>` can only load a contact.
///
/// ```
/// use clevertim::{Contact, Folder, Key};
/// let contact: Key<Contact> = 1234.into();
/// let folder: Key<Folder> = "f111".into();
/// assert_eq!(contact.to_string(), "1234");
/// assert_eq!(folder.id().as_int(), None);
/// ```
///
/// Keys are cheap to clone (an integer, or a shared string), and they are `Eq`, `Hash` and
/// `Ord`, so they work as keys of a `HashMap`, a `BTreeMap` or a set. An integer id and the
/// string that spells it are the same key:
///
/// ```
/// use std::collections::{BTreeMap, HashSet};
/// use clevertim::{Company, Key};
///
/// let mut revenue: BTreeMap<Key<Company>, u32> = BTreeMap::new();
/// revenue.insert(Key::new(12), 300);
/// revenue.insert(Key::new(3), 100);
/// *revenue.entry(Key::new("12")).or_default() += 50; // "12" is 12
/// let order: Vec<String> = revenue.keys().map(|k| k.to_string()).collect();
/// assert_eq!(order, ["3", "12"]); // integers sort by value, not as text
/// assert_eq!(revenue[&Key::new(12)], 350);
///
/// let seen: HashSet<Key<Company>> = [Key::new(3), Key::new("3")].into_iter().collect();
/// assert_eq!(seen.len(), 1);
/// ```
///
/// `==` compares keys of one resource. A contact's or a company's key and the
/// [`Customer`](crate::Customer) key of a task, a case, a note or an opportunity (they share
/// one id space) compare with [`same_id`](Key::same_id), or by converting one:
///
/// ```
/// use clevertim::{Contact, Customer, Key, Task};
/// let mike: Key<Contact> = Key::new(7);
/// let mut call = Task::new();
/// call.set_who(mike.clone());
/// assert!(call.who().is_some_and(|who| mike.same_id(&who)));
/// assert_eq!(call.who(), Some(mike.into()));
/// ```
///
/// (There is no `==` across resources: with it, `key == Key::new(7)` or `key == 7.into()`
/// could no longer tell which key to make.)
pub struct Key<R> {
    id: Id,
    resource: PhantomData<fn() -> R>,
}

impl<R> Key<R> {
    /// A key from an id: an integer, or a string (a folder's `"f111"`).
    ///
    /// ```
    /// use clevertim::{Contact, Folder, Key};
    /// let jane: Key<Contact> = Key::new(4);
    /// let docs = Key::<Folder>::new("f111");
    /// assert_eq!((jane.to_string(), docs.to_string()), ("4".to_owned(), "f111".to_owned()));
    /// ```
    pub fn new(id: impl Into<Id>) -> Self {
        Key {
            id: id.into(),
            resource: PhantomData,
        }
    }

    /// The untyped id.
    ///
    /// ```
    /// use clevertim::{Contact, Id, Key};
    /// let jane: Key<Contact> = Key::new(4);
    /// assert_eq!(jane.id(), &Id::Int(4));
    /// ```
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The id as an integer, when it is one.
    ///
    /// ```
    /// use clevertim::{Contact, Folder, Key};
    /// assert_eq!(Key::<Contact>::new(4).as_int(), Some(4));
    /// assert_eq!(Key::<Folder>::new("f111").as_int(), None);
    /// ```
    pub fn as_int(&self) -> Option<i64> {
        self.id.as_int()
    }

    /// Whether `other`, a key of any resource, has the same id (`12` and `"12"` are the same),
    /// e.g. a contact's key and a task's [`who`](crate::Task::who).
    ///
    /// ```
    /// use clevertim::{Company, Contact, Customer, Key};
    /// let jane: Key<Contact> = Key::new(4);
    /// let who: Key<Customer> = Key::new("4");
    /// assert!(jane.same_id(&who));
    /// assert!(!jane.same_id(&Key::<Company>::new(5)));
    /// ```
    pub fn same_id<S>(&self, other: &Key<S>) -> bool {
        self.id == other.id
    }

    /// The same id, typed for another resource (e.g. a customer key as a contact key, when
    /// you know the customer is a person).
    ///
    /// ```
    /// use clevertim::{Contact, Customer, Key, Task};
    /// let mut call = Task::new();
    /// call.set_who(Key::<Contact>::new(7));
    /// let who: Option<Key<Customer>> = call.who();
    /// let person: Option<Key<Contact>> = who.map(Key::cast);
    /// assert_eq!(person, Some(Key::new(7)));
    /// ```
    pub fn cast<S>(self) -> Key<S> {
        Key::new(self.id)
    }
}

macro_rules! key_from {
    ($($t:ty),*) => {$(
        impl<R> From<$t> for Key<R> {
            fn from(id: $t) -> Self {
                Key::new(id)
            }
        }
    )*};
}
key_from!(Id, i32, i64, u32, u64, u16, u8, &str, String);

impl<R> From<&Key<R>> for Key<R> {
    /// A copy of a borrowed key, so that a list of keys (`contact.tasks()`) can be passed
    /// where keys are taken by value.
    fn from(key: &Key<R>) -> Self {
        key.clone()
    }
}

impl<R> Clone for Key<R> {
    fn clone(&self) -> Self {
        Key::new(self.id.clone())
    }
}

impl<R> PartialEq for Key<R> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<R> Eq for Key<R> {}

impl<R> Ord for Key<R> {
    /// The order of the [`Id`]s: integer ids by value, then string ids by text.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl<R> PartialOrd for Key<R> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<R> Hash for Key<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<R> fmt::Display for Key<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.id, f)
    }
}

impl<R> fmt::Debug for Key<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({:?})", self.id)
    }
}

impl<R> Serialize for Key<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.id.serialize(serializer)
    }
}

impl<'de, R> Deserialize<'de> for Key<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Id::deserialize(deserializer).map(Key::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_and_digit_string_ids_are_equal_and_hash_alike() {
        use std::collections::HashSet;
        let a = Id::Int(12);
        let b = Id::from("12");
        assert_eq!(a, b);
        let set: HashSet<Id> = [a, b].into_iter().collect();
        assert_eq!(set.len(), 1);
        assert_ne!(Id::from("f12"), Id::Int(12));
        // Equality stays transitive: no two texts equal the same integer.
        assert_ne!(Id::from("012"), Id::Int(12));
        assert_ne!(Id::from("+12"), Id::Int(12));
        assert_ne!(Id::from("012"), Id::from("12"));
    }

    #[test]
    fn the_order_of_ids_agrees_with_their_equality() {
        use std::cmp::Ordering;
        let ids = [
            Id::Int(12),
            Id::from("12"),
            Id::Int(3),
            Id::from("012"),
            Id::from("f1"),
            Id::from("+12"),
            Id::Int(-4),
        ];
        for a in &ids {
            for b in &ids {
                assert_eq!(a == b, a.cmp(b) == Ordering::Equal, "{a:?} vs {b:?}");
                assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{a:?} vs {b:?}");
            }
        }
        let mut sorted = ids.to_vec();
        sorted.sort();
        sorted.dedup();
        let text: Vec<String> = sorted.iter().map(Id::to_string).collect();
        assert_eq!(text, ["-4", "3", "12", "+12", "012", "f1"]);
    }

    #[test]
    fn keys_work_in_ordered_maps() {
        use std::collections::BTreeMap;
        struct Thing;
        let mut map: BTreeMap<Key<Thing>, &str> = BTreeMap::new();
        map.insert(Key::new(12), "a");
        map.insert(Key::new("12"), "b");
        map.insert(Key::new(9), "c");
        assert_eq!(map.len(), 2);
        assert_eq!(map.get(&Key::new(12)), Some(&"b"));
        assert_eq!(map.keys().next(), Some(&Key::new(9)));
    }

    #[test]
    fn ids_keep_their_wire_form() {
        let ids: Vec<Id> = serde_json::from_str(r#"[3, "f111", 18446744073709551615]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&ids).unwrap(),
            r#"[3,"f111","18446744073709551615"]"#
        );
    }
}
