//! Custom field values (`cf`) and their check against the custom field definitions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec::{InvalidValue, Validate};
use super::custom_field::CustomField;
use super::enums::{ElemType, Scope};
use crate::error::ValidationError;
use crate::key::Key;

/// One custom field's value: a string, or a list of strings for a `multiple` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CustomFieldValue {
    /// A single value (`"2012-11-22"`, `"X"`, a referenced object's id as a string).
    One(String),
    /// The values of a `multiple` field.
    Many(Vec<String>),
    /// A value of another JSON shape, kept as the server sent it.
    Other(Value),
}

impl CustomFieldValue {
    /// The value of a single-valued field (text, a select's choice, a date as `YYYY-MM-DD`).
    ///
    /// ```
    /// use clevertim_core::{Contact, CustomFieldValue};
    /// let mut jane = Contact::with_key(4);
    /// jane.set_custom_field(26, "Gold").set_custom_field(27, vec!["a", "b"]);
    /// assert_eq!(jane.custom_field(26).and_then(CustomFieldValue::as_str), Some("Gold"));
    /// assert_eq!(jane.custom_field(27).and_then(CustomFieldValue::as_many), Some(&["a".to_owned(), "b".to_owned()][..]));
    /// assert_eq!(jane.custom_field(28), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CustomFieldValue::One(s) => Some(s),
            _ => None,
        }
    }

    /// The values of a `multiple` field.
    pub fn as_many(&self) -> Option<&[String]> {
        match self {
            CustomFieldValue::Many(values) => Some(values),
            _ => None,
        }
    }
}

impl From<&str> for CustomFieldValue {
    fn from(s: &str) -> Self {
        CustomFieldValue::One(s.to_owned())
    }
}

impl From<String> for CustomFieldValue {
    fn from(s: String) -> Self {
        CustomFieldValue::One(s)
    }
}

impl<S: Into<String>> From<Vec<S>> for CustomFieldValue {
    fn from(values: Vec<S>) -> Self {
        CustomFieldValue::Many(values.into_iter().map(Into::into).collect())
    }
}

impl std::fmt::Display for CustomFieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CustomFieldValue::One(s) => write!(f, "{s:?}"),
            CustomFieldValue::Many(v) => write!(f, "{v:?}"),
            CustomFieldValue::Other(v) => write!(f, "{v}"),
        }
    }
}

/// The custom field values of a contact, company, case or opportunity, by custom field id.
///
/// ```
/// use clevertim_core::{Contact, CustomFieldValue, Key};
/// let tier = Key::new(26);
/// let mut jane = Contact::with_key(4);
/// jane.set_custom_field(tier.clone(), "Gold");
/// let values = jane.custom_field_values().expect("just set");
/// assert_eq!(values.get(&tier), Some(&CustomFieldValue::from("Gold")));
/// assert_eq!(values.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomFieldValues(BTreeMap<String, CustomFieldValue>);

impl CustomFieldValues {
    /// The value of the custom field `field`, if set.
    pub fn get(&self, field: &Key<CustomField>) -> Option<&CustomFieldValue> {
        self.0.get(&field.to_string())
    }

    /// Sets the value of the custom field `field`.
    pub fn insert(&mut self, field: Key<CustomField>, value: impl Into<CustomFieldValue>) {
        self.0.insert(field.to_string(), value.into());
    }

    /// Removes the value of the custom field `field`.
    pub fn remove(&mut self, field: &Key<CustomField>) -> Option<CustomFieldValue> {
        self.0.remove(&field.to_string())
    }

    /// Every value, by custom field key.
    pub fn iter(&self) -> impl Iterator<Item = (Key<CustomField>, &CustomFieldValue)> + '_ {
        self.0.iter().map(|(k, v)| (Key::from(k.as_str()), v))
    }

    /// How many values are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks every value against its definition among `definitions`, for an owner of `scope`;
    /// values equal to those in `original` (the map as loaded) came from the server and are
    /// not checked again.
    pub fn check_against(
        &self,
        resource: &'static str,
        scope: &Scope,
        definitions: &[CustomField],
        original: Option<&Value>,
    ) -> Result<(), ValidationError> {
        for (id, value) in &self.0 {
            let loaded = original.and_then(|o| o.get(id));
            if loaded.is_some() && loaded == serde_json::to_value(value).ok().as_ref() {
                continue;
            }
            let field = format!("cf.{id}");
            let definition = definitions
                .iter()
                .find(|d| d.key().is_some_and(|k| k.to_string() == *id))
                .ok_or_else(|| {
                    ValidationError::new(
                        resource,
                        &field,
                        value.to_string(),
                        "names no custom field",
                    )
                })?;
            check_value(definition, scope, value).map_err(|e| e.at(resource, &field))?;
        }
        Ok(())
    }
}

impl Validate for CustomFieldValues {}

fn check_value(
    def: &CustomField,
    scope: &Scope,
    value: &CustomFieldValue,
) -> Result<(), InvalidValue> {
    let name = def.name().unwrap_or("?");
    if !def.scopes().contains(scope) {
        return Err(InvalidValue::new(
            value,
            format!("is set for custom field {name:?}, which does not apply to {scope}"),
        ));
    }
    let multiple = def.multiple().unwrap_or(false);
    let items: Vec<&str> = match (value, multiple) {
        (CustomFieldValue::One(s), false) => vec![s.as_str()],
        (CustomFieldValue::Many(v), true) => v.iter().map(String::as_str).collect(),
        (CustomFieldValue::Many(_), false) => {
            return Err(InvalidValue::new(
                value,
                format!("is a list, but {name:?} holds one value"),
            ))
        }
        (CustomFieldValue::One(_), true) => {
            return Err(InvalidValue::new(
                value,
                format!("is one value, but {name:?} holds a list"),
            ))
        }
        (CustomFieldValue::Other(_), _) => {
            return Err(InvalidValue::new(
                value,
                "is neither a string nor a list of strings",
            ))
        }
    };
    let kind = def.elem_type().unwrap_or(ElemType::Input);
    for item in items {
        check_item(def, name, &kind, item)?;
    }
    Ok(())
}

fn check_item(
    def: &CustomField,
    name: &str,
    kind: &ElemType,
    item: &str,
) -> Result<(), InvalidValue> {
    match kind {
        ElemType::Select if !def.values().iter().any(|v| v == item) => Err(InvalidValue::new(
            item,
            format!(
                "is not among the values of {name:?}: {}",
                def.values().join(", ")
            ),
        )),
        ElemType::Date if !is_iso_date(item) => Err(InvalidValue::new(
            item,
            format!("is not a YYYY-MM-DD date for {name:?}"),
        )),
        ElemType::User
        | ElemType::Contact
        | ElemType::Company
        | ElemType::Case
        | ElemType::Opportunity
            if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Err(InvalidValue::new(
                item,
                format!("is not a {kind} id for {name:?}"),
            ))
        }
        ElemType::Other(other) => Err(InvalidValue::new(
            item,
            format!("cannot be checked: {name:?} has the unknown type {other:?}"),
        )),
        _ => Ok(()),
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let Ok(year) = i32::try_from(y) else {
                return false;
            };
            super::values::TaskDate::new(year, m, d).is_valid()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2012-11-22"));
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2012-1-22"));
        assert!(!is_iso_date("22/11/2012"));
        assert!(!is_iso_date("2012-11-2x"));
    }
}
