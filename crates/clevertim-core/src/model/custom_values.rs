//! Custom field values (`cf`) and their check against the custom field definitions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec::{InvalidValue, Validate};
use super::custom_field::CustomField;
use super::enums::{ElemType, Scope};
use super::resource::Resource;
use crate::error::ValidationError;
use crate::key::Key;

/// One custom field's value: a string, or a list of strings for a `multiple` field.
///
/// ```
/// use clevertim::{Contact, CustomFieldValue};
/// let mut jane = Contact::with_key(4);
/// jane.set_custom_field(26, "Gold");                   // a `&str` is one value
/// jane.set_custom_field(13, vec!["Europe", "US"]);     // a `Vec` is the values of a `multiple` field
/// match jane.custom_field(13) {
///     Some(CustomFieldValue::Many(regions)) => assert_eq!(regions.len(), 2),
///     other => panic!("{other:?}"),
/// }
/// ```
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
    /// use clevertim::{Contact, CustomFieldValue};
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
    ///
    /// ```
    /// use clevertim::CustomFieldValue;
    /// let regions = CustomFieldValue::from(vec!["Europe", "US"]);
    /// assert_eq!(regions.as_many().map(<[String]>::len), Some(2));
    /// assert_eq!(CustomFieldValue::from("Gold").as_many(), None);
    /// ```
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
/// use clevertim::{Contact, CustomFieldValue, Key};
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
    ///
    /// ```
    /// use clevertim::{CustomFieldValue, CustomFieldValues, Key};
    /// let mut values = CustomFieldValues::default();
    /// values.insert(Key::new(26), "Gold");
    /// assert_eq!(values.get(&Key::new(26)), Some(&CustomFieldValue::from("Gold")));
    /// assert_eq!(values.get(&Key::new(27)), None);
    /// ```
    pub fn get(&self, field: &Key<CustomField>) -> Option<&CustomFieldValue> {
        self.0.get(&field.to_string())
    }

    /// Sets the value of the custom field `field`.
    ///
    /// ```
    /// use clevertim::{Contact, CustomFieldValue, Key};
    /// let mut jane = Contact::with_key(4);
    /// jane.custom_field_values_mut().insert(Key::new(26), "Gold"); // the next save sends `cf`
    /// assert_eq!(jane.custom_field(26), Some(&CustomFieldValue::from("Gold")));
    /// ```
    pub fn insert(&mut self, field: Key<CustomField>, value: impl Into<CustomFieldValue>) {
        self.0.insert(field.to_string(), value.into());
    }

    /// Removes the value of the custom field `field`.
    ///
    /// ```
    /// use clevertim::{CustomFieldValue, CustomFieldValues, Key};
    /// let mut values = CustomFieldValues::default();
    /// values.insert(Key::new(26), "Gold");
    /// assert_eq!(values.remove(&Key::new(26)), Some(CustomFieldValue::from("Gold")));
    /// assert!(values.is_empty());
    /// ```
    pub fn remove(&mut self, field: &Key<CustomField>) -> Option<CustomFieldValue> {
        self.0.remove(&field.to_string())
    }

    /// Every value, by custom field key.
    ///
    /// ```
    /// use clevertim::{CustomFieldValues, Key};
    /// let mut values = CustomFieldValues::default();
    /// values.insert(Key::new(26), "Gold");
    /// values.insert(Key::new(3), "2026-01-15");
    /// let keys: Vec<String> = values.iter().map(|(key, _)| key.to_string()).collect();
    /// assert_eq!(keys.len(), 2);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Key<CustomField>, &CustomFieldValue)> + '_ {
        self.0.iter().map(|(k, v)| (Key::from(k.as_str()), v))
    }

    /// How many values are set.
    ///
    /// ```
    /// use clevertim::{CustomFieldValues, Key};
    /// let mut values = CustomFieldValues::default();
    /// values.insert(Key::new(26), "Gold");
    /// values.insert(Key::new(26), "Silver"); // replaces
    /// assert_eq!(values.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no value is set.
    ///
    /// ```
    /// use clevertim::CustomFieldValues;
    /// assert!(CustomFieldValues::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks every value against its definition among `definitions`, for an owner of `scope`;
    /// values equal to those in `original` (the map as loaded) came from the server and are
    /// not checked again. [`Session::save`](crate::Session::save) calls it with the
    /// definitions it holds; call it yourself to check values offline.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] for the first value that names no definition, or does not suit
    /// its definition; its `field` is `cf.{id}`.
    ///
    /// ```
    /// use clevertim::{CustomField, CustomFieldValues, Key, Scope};
    /// let tier: CustomField = serde_json::from_str(
    ///     r#"{"id":26,"name":"Tier","elemType":"select","modelType":["customers"],"values":["Gold"]}"#,
    /// )?;
    /// let mut values = CustomFieldValues::default();
    /// values.insert(Key::new(26), "Gold");
    /// assert!(values.check_against("contact", &Scope::Customers, &[tier.clone()], None).is_ok());
    /// values.insert(Key::new(26), "Platinum");
    /// let refused = values.check_against("contact", &Scope::Customers, &[tier], None).unwrap_err();
    /// assert_eq!(refused.field, "cf.26");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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

/// A resource that carries custom field values: [`Contact`](crate::Contact),
/// [`Company`](crate::Company), [`Case`](crate::Case) and [`Opportunity`](crate::Opportunity).
///
/// Generic code over these four uses it; [`Session::set_custom_field_named`] takes any of
/// them. The types' inherent methods of the same names do the same.
///
/// [`Session::set_custom_field_named`]: crate::Session::set_custom_field_named
///
/// ```
/// use clevertim::{Case, Contact, CustomFieldOwner, CustomFieldValue, Scope};
///
/// fn tag_all<O: CustomFieldOwner>(objects: &mut [O], field: u64, value: &str) {
///     for object in objects {
///         object.set_custom_field(field, value);
///     }
/// }
/// let mut people = vec![Contact::with_key(3), Contact::with_key(4)];
/// tag_all(&mut people, 26, "Gold");
/// assert_eq!(people[1].custom_field(26), Some(&CustomFieldValue::from("Gold")));
/// assert_eq!(Contact::SCOPE, Scope::Customers);
/// assert_eq!(Case::SCOPE, Scope::Cases);
/// ```
pub trait CustomFieldOwner: Resource {
    /// The scope (`modelType`) a custom field must list to apply to this resource.
    const SCOPE: Scope;

    /// Sets one custom field value; the whole `cf` map is sent on the next save and checked
    /// against the custom field definitions first.
    ///
    /// ```
    /// use clevertim::{CustomFieldOwner, CustomFieldValue, Opportunity};
    /// fn mark<O: CustomFieldOwner>(object: &mut O) {
    ///     object.set_custom_field(26, "Gold");
    /// }
    /// let mut deal = Opportunity::new();
    /// mark(&mut deal);
    /// assert_eq!(deal.custom_field(26), Some(&CustomFieldValue::from("Gold")));
    /// ```
    fn set_custom_field(
        &mut self,
        field: impl Into<Key<CustomField>>,
        value: impl Into<CustomFieldValue>,
    ) -> &mut Self;

    /// The value of one custom field, if set.
    ///
    /// ```
    /// use clevertim::{Company, CustomFieldOwner, CustomFieldValue};
    /// fn tier<O: CustomFieldOwner>(object: &O) -> Option<&str> {
    ///     object.custom_field(26).and_then(CustomFieldValue::as_str)
    /// }
    /// let bees: Company = serde_json::from_str(r#"{"id":1,"cf":{"26":"X"}}"#)?;
    /// assert_eq!(tier(&bees), Some("X"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    fn custom_field(&self, field: impl Into<Key<CustomField>>) -> Option<&CustomFieldValue>;
}

impl CustomField {
    /// Checks `value` for this field on an owner of `scope`, as a save would: the error
    /// names the field as `cf.{id}`.
    pub(crate) fn check_value_of(
        &self,
        resource: &'static str,
        scope: &Scope,
        value: &CustomFieldValue,
    ) -> Result<(), ValidationError> {
        let id = self.key().map(|k| k.to_string()).unwrap_or_default();
        check_value(self, scope, value).map_err(|e| e.at(resource, &format!("cf.{id}")))
    }
}

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
            ));
        }
        (CustomFieldValue::One(_), true) => {
            return Err(InvalidValue::new(
                value,
                format!("is one value, but {name:?} holds a list"),
            ));
        }
        (CustomFieldValue::Other(_), _) => {
            return Err(InvalidValue::new(
                value,
                "is neither a string nor a list of strings",
            ));
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
