//! The `Resource` trait: what the session needs to know of each kind of object.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::custom_values::CustomFieldValues;
use super::enums::Scope;
use super::slot::{WireFields, WriteMode};
use crate::error::ValidationError;
use crate::key::Key;

/// A kind of object the API serves under its own path (`/contact`, `/case`, …).
pub trait Resource:
    WireFields + Clone + std::fmt::Debug + Send + Sync + Serialize + DeserializeOwned + 'static
{
    /// The resource's name and path segment, e.g. `contact` or `customfield`.
    const PATH: &'static str;

    /// Whether the API is only ever asked for the whole list (users, groups, custom fields):
    /// the session fetches the list once and picks objects from it by id.
    const LIST_ONLY: bool = false;

    /// The object's key; `None` until it is saved.
    fn resource_key(&self) -> Option<Key<Self>> {
        self.wire_id().cloned().map(Key::new)
    }

    /// Rules of this resource beyond its fields' own (e.g. a comment needs a note or a task).
    fn check(&self, _mode: WriteMode) -> Result<(), ValidationError> {
        Ok(())
    }

    /// The custom field values a write in `mode` would send, with the scope they must suit.
    fn custom_fields_to_check(&self, _mode: WriteMode) -> Option<(Scope, &CustomFieldValues)> {
        None
    }
}

/// Declares a resource that has custom field values of `scope`.
macro_rules! custom_field_owner {
    ($name:ident, $scope:expr) => {
        impl $name {
            /// Sets one custom field value; the whole `cf` map is sent on the next save and
            /// checked against the custom field definitions first.
            pub fn set_custom_field(
                &mut self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
                value: impl Into<$crate::model::CustomFieldValue>,
            ) -> &mut Self {
                self.custom_field_values_mut().insert(field.into(), value);
                self
            }
        }

        impl $crate::model::Resource for $name {
            const PATH: &'static str = paste::paste!(stringify!([<$name:lower>]));

            fn custom_fields_to_check(
                &self,
                mode: $crate::model::slot::WriteMode,
            ) -> Option<($crate::model::Scope, &$crate::model::CustomFieldValues)> {
                let changed = match mode {
                    $crate::model::slot::WriteMode::Create => true,
                    $crate::model::slot::WriteMode::Update => self.custom_field_values_changed(),
                };
                if changed {
                    self.custom_field_values().map(|values| ($scope, values))
                } else {
                    None
                }
            }
        }
    };
}
