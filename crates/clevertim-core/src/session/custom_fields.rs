//! Setting a custom field value by the field's name, checked against its definition.

use super::Session;
use crate::error::{Error, Result};
use crate::key::Key;
use crate::model::{CustomField, CustomFieldOwner, CustomFieldValue};

impl Session {
    /// Sets the value of the custom field named `name` on `object`, so that the next
    /// [`save`](Session::save) sends it: the definition is found as by
    /// [`custom_field_named`](Session::custom_field_named), and the value is checked against
    /// it first (it must apply to the object's kind, be one value or a list as the field
    /// holds, be among a select's values, be a `YYYY-MM-DD` date for a date, an id for a
    /// reference).
    ///
    /// Costs: one `GET /customfield` the first time the session needs the definitions, none
    /// afterwards while they are cached (the save then checks against the same cached
    /// definitions). A name the cached definitions do not know, or a value they refuse,
    /// makes the session ask the server once more, in case the definitions changed, before
    /// failing. Nothing is sent for the object itself until it is saved.
    ///
    /// # Errors
    ///
    /// - [`Error::NotFound`] (resource `customfield`) when no definition has that name; its
    ///   message lists the names there are.
    /// - [`Error::Validation`] when the value does not suit the field; the error's `field`
    ///   is `cf.{id}` and its reason names the field, e.g. `"Platinum" is not among the
    ///   values of "Tier": X, Y, Z`. `object` is left unchanged.
    /// - The errors of [`Session::all`] when the definitions must be fetched and cannot be.
    ///
    /// ```
    /// use clevertim::{transport_fn, Contact, CustomFieldValue, Error, Session};
    /// use clevertim::bytes::Bytes;
    ///
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// let transport = transport_fn(|request: http::Request<Bytes>| async move {
    ///     assert_eq!(request.uri().path(), "/api/customfield", "only the definitions");
    ///     let body = r#"{"status":"OK","content":[
    ///         {"id":26,"name":"Tier","elemType":"select","modelType":["customers"],"values":["Gold","Silver"]}
    ///     ]}"#;
    ///     Ok(http::Response::new(Bytes::from(body)))
    /// });
    /// let session = Session::builder("KEY").transport(transport).build()?;
    ///
    /// let mut jane = Contact::with_key(4);
    /// session.set_custom_field_named(&mut jane, "Tier", "Gold").await?; // GET /customfield, once
    /// assert_eq!(jane.custom_field(26).and_then(CustomFieldValue::as_str), Some("Gold"));
    ///
    /// let refused = session.set_custom_field_named(&mut jane, "Tier", "Platinum").await;
    /// assert!(matches!(refused, Err(Error::Validation(ref e)) if e.field == "cf.26"));
    /// let unknown = session.set_custom_field_named(&mut jane, "Size", "XL").await;
    /// assert!(matches!(unknown, Err(Error::NotFound { resource: "customfield", .. })));
    /// assert_eq!(jane.custom_field(26).and_then(CustomFieldValue::as_str), Some("Gold"));
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn set_custom_field_named<R: CustomFieldOwner>(
        &self,
        object: &mut R,
        name: &str,
        value: impl Into<CustomFieldValue>,
    ) -> Result<()> {
        let value = value.into();
        let field = self
            .judge_list(|definitions| self.checked_field::<R>(definitions, name, &value))
            .await?;
        object.set_custom_field(field, value);
        Ok(())
    }

    /// The key of the custom field named `name`, once `value` is known to suit it on an `R`.
    fn checked_field<R: CustomFieldOwner>(
        &self,
        definitions: Vec<CustomField>,
        name: &str,
        value: &CustomFieldValue,
    ) -> Result<Key<CustomField>> {
        let definition = named(definitions, name)?;
        definition.check_value_of(R::PATH, &R::SCOPE, value)?;
        definition.key().ok_or_else(|| {
            self.inner.protocol.malformed(
                http::StatusCode::OK,
                "a customfield object with its id",
                &serde_json::to_vec(&definition).unwrap_or_default(),
                Some(format!("the definition of {name:?} has no id")),
            )
        })
    }
}

/// The definition named `name`: by its name, else its full name, else its name in any case
/// when only one matches; `NotFound` listing the names there are otherwise.
pub(super) fn named(mut definitions: Vec<CustomField>, name: &str) -> Result<CustomField> {
    let position = definitions
        .iter()
        .position(|d| d.name() == Some(name))
        .or_else(|| definitions.iter().position(|d| d.full_name() == Some(name)))
        .or_else(|| {
            let folded = |d: &CustomField| d.name().is_some_and(|n| n.eq_ignore_ascii_case(name));
            let mut matching = definitions
                .iter()
                .enumerate()
                .filter(|(_, d)| folded(d))
                .map(|(i, _)| i);
            match (matching.next(), matching.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        });
    match position {
        Some(i) => Ok(definitions.swap_remove(i)),
        None => {
            let known: Vec<String> = definitions
                .iter()
                .filter_map(|d| d.name())
                .map(|n| format!("{n:?}"))
                .collect();
            let known = if known.is_empty() {
                "there are no custom fields".to_owned()
            } else {
                format!("known: {}", known.join(", "))
            };
            Err(Error::NotFound {
                resource: "customfield",
                key: format!("named {name:?} ({known})"),
                site: None,
            })
        }
    }
}
