//! The names of referenced objects, shown beside their keys: a contact's company as
//! `Acme Ltd (2)`, a case's customer by name. Filled by `commands::names`, one list request
//! per referenced resource.

use std::collections::HashMap;
use std::fmt::Display;

/// Labels of objects by resource and key; a key without a label is shown alone.
#[derive(Debug, Default)]
pub(crate) struct Names(HashMap<&'static str, HashMap<String, String>>);

impl Names {
    /// Records what the object `key` of `resource` is called.
    pub(crate) fn insert(&mut self, resource: &'static str, key: String, label: String) {
        self.0.entry(resource).or_default().insert(key, label);
    }

    fn label(&self, resource: &str, key: &str) -> Option<&str> {
        self.0
            .get(resource)
            .and_then(|labels| labels.get(key))
            .map(String::as_str)
            .filter(|label| !label.is_empty())
    }

    /// `Acme Ltd (2)`, or `2` when the name is not known; empty for no key.
    pub(crate) fn one(&self, resource: &str, key: Option<impl Display>) -> String {
        let Some(key) = key.map(|k| k.to_string()) else {
            return String::new();
        };
        match self.label(resource, &key) {
            Some(label) => format!("{label} ({key})"),
            None => key,
        }
    }

    /// A customer: a contact or a company (one key space).
    pub(crate) fn customer(&self, key: Option<impl Display>) -> String {
        let Some(key) = key.map(|k| k.to_string()) else {
            return String::new();
        };
        match self
            .label("contact", &key)
            .or_else(|| self.label("company", &key))
        {
            Some(label) => format!("{label} ({key})"),
            None => key,
        }
    }

    /// Several customers, joined with commas.
    pub(crate) fn customers<K: Display>(&self, keys: &[K]) -> String {
        keys.iter()
            .map(|k| self.customer(Some(k)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn names_go_beside_keys() {
        let mut names = Names::default();
        names.insert("company", "2".into(), "Acme Ltd".into());
        names.insert("contact", "4".into(), "Jane Doe".into());
        assert_eq!(names.one("company", Some(2)), "Acme Ltd (2)");
        assert_eq!(names.one("company", Some(9)), "9");
        assert_eq!(names.one("company", None::<i64>), "");
        assert_eq!(names.customers(&[4, 2, 7]), "Jane Doe (4), Acme Ltd (2), 7");
    }
}
