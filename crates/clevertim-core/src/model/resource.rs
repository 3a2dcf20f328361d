//! The `Resource` trait: what the session needs to know of each kind of object.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{WireFields, WriteMode};
use super::custom_values::CustomFieldValues;
use super::enums::Scope;
use crate::error::ValidationError;
use crate::key::Key;

/// A kind of object the API serves under its own path (`/contact`, `/case`, …).
///
/// Every model implements it; it is what the [`Session`](crate::Session)'s generic methods
/// take (`session.load::<Contact>(4)`, `session.all::<User>()`), and what generic code of
/// your own can take too.
///
/// ```
/// use clevertim::{Contact, Resource, Result, Session, User};
///
/// /// How many objects of `R` the account holds.
/// async fn count<R: Resource>(session: &Session) -> Result<(&'static str, usize)> {
///     Ok((R::PATH, session.all::<R>().await?.len()))
/// }
/// assert_eq!(Contact::PATH, "contact");
/// assert!(User::LIST_ONLY && !User::WRITABLE);
/// # let _ = count::<Contact>;
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Clevertim resource the session can load, list or save",
    label = "the session cannot load or save a `{Self}`",
    note = "name the model you mean: `let c: Contact = session.load(3).await?;` or `session.load::<Contact>(3)` (a `()` here means no type was given)",
    note = "a customer key (`task.who()`, `case.who()`, …) names a contact or a company: load it with `session.customer(key)`, or, knowing which, turn it into a typed key with `key.cast::<Contact>()` (see `Key::cast`)"
)]
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

    /// The fields a new object must have before it is created, as the API documents them:
    /// one of each list's (wire) fields, set and not empty. E.g. a contact needs `fn` or
    /// `ln`, a company `cn`. [`Session::save`](crate::Session::save) of a new object without
    /// them fails with a [`ValidationError`] naming them, and sends nothing.
    ///
    /// ```
    /// use clevertim::{transport_fn, Company, Contact, Error, Resource, Session};
    /// use bytes::Bytes;
    /// assert_eq!(Contact::REQUIRED, [&["fn", "ln"][..]]);
    /// assert_eq!(Company::REQUIRED, [&["cn"][..]]);
    ///
    /// let session = Session::builder("KEY")
    ///     .transport(transport_fn(|_: http::Request<Bytes>| async {
    ///         Ok(http::Response::new(Bytes::from_static(br#"{"status":"OK","content":[{"id":7}]}"#)))
    ///     }))
    ///     .build()?;
    /// let mut nameless = Contact::new();
    /// nameless.add_to_emails("jane@example.com");
    /// let err = futures_executor::block_on(session.save(&mut nameless)).unwrap_err();
    /// assert!(matches!(&err, Error::Validation(e) if e.field == "fn"), "{err}");
    /// assert!(err.to_string().contains("a new contact needs `fn` or `ln`"), "{err}");
    /// assert_eq!(nameless.key(), None); // not created
    /// # Ok::<(), Error>(())
    /// ```
    const REQUIRED: &'static [&'static [&'static str]] = &[];

    /// The object's key; `None` until it is saved (each model also has it as a method of its
    /// own, `key()`, usable without this trait in scope).
    ///
    /// ```
    /// use clevertim::{Contact, Key, Resource};
    /// fn keys<R: Resource>(objects: &[R]) -> Vec<Key<R>> {
    ///     objects.iter().filter_map(Resource::key).collect()
    /// }
    /// assert_eq!(keys(&[Contact::with_key(4), Contact::new()]), [Key::new(4)]);
    /// ```
    fn key(&self) -> Option<Key<Self>> {
        self.wire_id().cloned().map(Key::new)
    }

    /// Whether the object has changes a save would send (each model also has it as a method
    /// of its own, `has_changes()`): a new object once a field is set, a loaded one once a
    /// field changed since it was loaded or saved.
    ///
    /// ```
    /// use clevertim::{Company, Contact, Resource};
    /// /// The objects a save would send anything for.
    /// fn unsaved<R: Resource>(objects: &[R]) -> usize {
    ///     objects.iter().filter(|o| o.has_changes()).count()
    /// }
    /// let mut jane = Contact::with_key(4);
    /// assert_eq!(unsaved(&[jane.clone()]), 0);
    /// jane.set_first_name("Jane");
    /// assert_eq!(unsaved(&[jane, Contact::with_key(5)]), 1);
    /// let mut acme = Company::new();
    /// acme.set_name("Acme");
    /// assert_eq!(unsaved(&[acme]), 1);
    /// ```
    fn has_changes(&self) -> bool;

    /// Rules of this resource beyond its fields' own (e.g. a comment needs a note or a task).
    /// [`Session::save`](crate::Session::save) applies them before sending anything.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the rule the object breaks.
    ///
    /// ```
    /// use clevertim::model::codec::WriteMode;
    /// use clevertim::{Comment, Key, Note, Resource};
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
    /// use clevertim::{CacheKey, Case, Id, Key, Resource, Task};
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
    /// use clevertim::model::codec::WriteMode;
    /// use clevertim::{Contact, Resource, Scope, Task};
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

/// What a getter named in a resource's `related(…)` option gives: an `Option` of a key, or a
/// slice of keys.
pub(crate) trait References {
    /// The cache keys of every object named.
    fn cache_keys(self) -> Vec<crate::cache::CacheKey>;
}

impl<K: CacheKeysOf> References for Option<K> {
    fn cache_keys(self) -> Vec<crate::cache::CacheKey> {
        self.iter().flat_map(CacheKeysOf::cache_keys).collect()
    }
}

impl<K: CacheKeysOf> References for &[K] {
    fn cache_keys(self) -> Vec<crate::cache::CacheKey> {
        self.iter().flat_map(CacheKeysOf::cache_keys).collect()
    }
}
