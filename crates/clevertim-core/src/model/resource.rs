//! The `Resource` trait: what the session needs to know of each kind of object.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::custom_values::CustomFieldValues;
use super::enums::Scope;
use super::slot::{WireFields, WriteMode};
use crate::error::ValidationError;
use crate::key::Key;

/// A kind of object the API serves under its own path (`/contact`, `/case`, …).
///
/// Every model implements it; it is what the [`Session`](crate::Session)'s generic methods
/// take (`session.load::<Contact>(4)`, `session.all::<User>()`), and what generic code of
/// your own can take too.
///
/// ```
/// use clevertim_core::{Contact, Resource, Result, Session, User};
///
/// /// How many objects of `R` the account holds.
/// async fn count<R: Resource>(session: &Session) -> Result<(&'static str, usize)> {
///     Ok((R::PATH, session.all::<R>().await?.len()))
/// }
/// assert_eq!(Contact::PATH, "contact");
/// assert!(User::LIST_ONLY && !User::WRITABLE);
/// # let _ = count::<Contact>;
/// ```
pub trait Resource:
    WireFields + Clone + std::fmt::Debug + Send + Sync + Serialize + DeserializeOwned + 'static
{
    /// The resource's name and path segment, e.g. `contact` or `customfield`.
    const PATH: &'static str;

    /// Whether the API is only ever asked for the whole list (users, groups, custom fields):
    /// the session fetches the list once and picks objects from it by id.
    const LIST_ONLY: bool = false;

    /// Whether clients may create, update and delete these objects (users and groups: no).
    const WRITABLE: bool = true;

    /// The object's key; `None` until it is saved (the models' own `key()` says the same).
    ///
    /// ```
    /// use clevertim_core::{Contact, Key, Resource};
    /// fn keys<R: Resource>(objects: &[R]) -> Vec<Key<R>> {
    ///     objects.iter().filter_map(Resource::resource_key).collect()
    /// }
    /// assert_eq!(keys(&[Contact::with_key(4), Contact::new()]), [Key::new(4)]);
    /// ```
    fn resource_key(&self) -> Option<Key<Self>> {
        self.wire_id().cloned().map(Key::new)
    }

    /// Rules of this resource beyond its fields' own (e.g. a comment needs a note or a task).
    /// [`Session::save`](crate::Session::save) applies them before sending anything.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the rule the object breaks.
    ///
    /// ```
    /// use clevertim_core::model::slot::WriteMode;
    /// use clevertim_core::{Comment, Key, Note, Resource};
    /// let mut comment = Comment::new();
    /// comment.set_comment("Agreed");
    /// assert!(comment.check(WriteMode::Create).is_err(), "on neither a note nor a task");
    /// comment.set_note(Key::<Note>::new(31));
    /// assert!(comment.check(WriteMode::Create).is_ok());
    /// ```
    fn check(&self, _mode: WriteMode) -> Result<(), ValidationError> {
        Ok(())
    }

    /// The cached objects that list this one in a derived list (a note's customers, case and
    /// opportunity, …): a write of this object makes them stale.
    ///
    /// ```
    /// use clevertim_core::{CacheKey, Case, Id, Key, Resource, Task};
    /// let mut call = Task::new();
    /// call.set_case(Key::<Case>::new(8));
    /// assert!(call.related().contains(&CacheKey::object("case", Id::from(8))));
    /// ```
    fn related(&self) -> Vec<crate::cache::CacheKey> {
        Vec::new()
    }

    /// The custom field values a write in `mode` would send, with the scope they must suit and,
    /// for an update, the values as loaded (those are not checked again).
    ///
    /// ```
    /// use clevertim_core::model::slot::WriteMode;
    /// use clevertim_core::{Contact, Resource, Scope, Task};
    /// let mut jane = Contact::new();
    /// jane.set_custom_field(26, "Gold");
    /// let (scope, values, _) = jane.custom_fields_to_check(WriteMode::Create).expect("set");
    /// assert_eq!((scope, values.len()), (Scope::Customers, 1));
    /// assert!(Task::new().custom_fields_to_check(WriteMode::Create).is_none(), "tasks have none");
    /// ```
    fn custom_fields_to_check(
        &self,
        _mode: WriteMode,
    ) -> Option<(Scope, &CustomFieldValues, Option<&serde_json::Value>)> {
        None
    }
}

/// Declares a resource that has custom field values of `scope`.
macro_rules! custom_field_owner {
    ($name:ident, $scope:expr $(, related: |$this:ident| $related:expr)?) => {
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

            /// The value of one custom field, if set (find the field's key by name with
            /// [`Session::custom_field_named`](crate::Session::custom_field_named)).
            pub fn custom_field(
                &self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            ) -> Option<&$crate::model::CustomFieldValue> {
                self.custom_field_values()?.get(&field.into())
            }
        }

        impl $crate::model::CustomFieldOwner for $name {
            const SCOPE: $crate::model::Scope = $scope;

            fn set_custom_field(
                &mut self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
                value: impl Into<$crate::model::CustomFieldValue>,
            ) -> &mut Self {
                $name::set_custom_field(self, field, value)
            }

            fn custom_field(
                &self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            ) -> Option<&$crate::model::CustomFieldValue> {
                $name::custom_field(self, field)
            }
        }

        impl $crate::model::Resource for $name {
            const PATH: &'static str = paste::paste!(stringify!([<$name:lower>]));

            $(
                fn related(&self) -> Vec<$crate::cache::CacheKey> {
                    let $this = self;
                    $related
                }
            )?

            fn custom_fields_to_check(
                &self,
                mode: $crate::model::slot::WriteMode,
            ) -> Option<(
                $crate::model::Scope,
                &$crate::model::CustomFieldValues,
                Option<&serde_json::Value>,
            )> {
                use $crate::model::slot::{WireFields as _, WriteMode};
                let (changed, original) = match mode {
                    WriteMode::Create => (true, None),
                    WriteMode::Update => (
                        self.custom_field_values_changed(),
                        self.original(self.custom_field_values_wire_name()),
                    ),
                };
                if changed {
                    self.custom_field_values().map(|values| ($scope, values, original))
                } else {
                    None
                }
            }
        }
    };
}

/// The cache keys of the objects that `parents` name: a key of another resource per field.
macro_rules! related_keys {
    ($($key:expr),* $(,)?) => {{
        let mut keys: Vec<$crate::cache::CacheKey> = Vec::new();
        $( keys.extend($crate::model::resource::cache_keys_of($key)); )*
        keys
    }};
}

/// What a reference points at, as cache keys (a customer may be a contact or a company).
pub(crate) trait CacheKeysOf {
    /// The cache keys of the referenced object(s).
    fn cache_keys(&self) -> Vec<crate::cache::CacheKey>;
}

impl<R: Resource> CacheKeysOf for Key<R> {
    fn cache_keys(&self) -> Vec<crate::cache::CacheKey> {
        vec![crate::cache::CacheKey::object(R::PATH, self.id().clone())]
    }
}

impl CacheKeysOf for Key<super::Customer> {
    fn cache_keys(&self) -> Vec<crate::cache::CacheKey> {
        [super::Contact::PATH, super::Company::PATH]
            .into_iter()
            .map(|path| crate::cache::CacheKey::object(path, self.id().clone()))
            .collect()
    }
}

/// The cache keys of every reference in `refs` (an `Option`, a slice, …).
pub(crate) fn cache_keys_of<'a, K: CacheKeysOf + 'a>(
    refs: impl IntoIterator<Item = &'a K>,
) -> Vec<crate::cache::CacheKey> {
    refs.into_iter().flat_map(CacheKeysOf::cache_keys).collect()
}
