//! The facade's `Session`: the core's, with a builder that knows the compiled-in transports.

use std::future::Future;

use clevertim_core::{Cache, CustomField, Customer, Key, KeysOf, Lazy, Resource, Result};

use crate::SessionBuilder;

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`, and safe to use
/// from many tasks at once.
///
/// It wraps a [`clevertim_core::Session`] (see [`core`](Self::core)) and offers each of its
/// methods, documented here.
///
/// ```no_run
/// use clevertim::{Contact, Session};
/// # async fn demo() -> clevertim::Result<()> {
/// let session = Session::builder("API_KEY").build()?;
/// let mut mike: Contact = session.load(367).await?; // one GET, then cached
/// mike.add_to_tags("vip");
/// session.save(&mut mike).await?; // PUT of `id` and `tags` only
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Session {
    inner: clevertim_core::Session,
}

impl Session {
    /// Starts configuring a session for the account of `api_key`.
    pub fn builder(api_key: impl Into<clevertim_core::ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The core session, for APIs that take one.
    pub fn core(&self) -> &clevertim_core::Session {
        &self.inner
    }
}

/// Writes the methods that forward to the core session, from one description of each: its
/// doc, its name, its generic parameters, its arguments, its answer and its bounds.
///
/// `async fn` rows await the core's method; `fn` rows return what it returns.
macro_rules! forward {
    (
        async { $(
            $(#[$meta:meta])*
            fn $name:ident $(<$($g:ident),*>)? ($($arg:ident : $ty:ty),*) -> $ret:ty
                $(where ($($bound:tt)*))?;
        )* }
        sync { $(
            $(#[$smeta:meta])*
            fn $sname:ident $(<$($sg:ident),*>)? ($($sarg:ident : $sty:ty),*) -> $sret:ty
                $(where ($($sbound:tt)*))?;
        )* }
    ) => {
        impl Session {
            $(
                $(#[$meta])*
                #[doc = ""]
                #[doc = concat!("See [`clevertim_core::Session::", stringify!($name), "`].")]
                pub async fn $name $(<$($g),*>)? (&self, $($arg: $ty),*) -> $ret
                $(where $($bound)*)?
                {
                    self.inner.$name $(::<$($g),*>)? ($($arg),*).await
                }
            )*
            $(
                $(#[$smeta])*
                #[doc = ""]
                #[doc = concat!("See [`clevertim_core::Session::", stringify!($sname), "`].")]
                pub fn $sname $(<$($sg),*>)? (&self, $($sarg: $sty),*) -> $sret
                $(where $($sbound)*)?
                {
                    self.inner.$sname $(::<$($sg),*>)? ($($sarg),*)
                }
            )*
        }
    };
}

forward! {
    async {
        /// Loads one object: from the cache when it is there, else with one GET.
        fn load<R>(key: impl Into<Key<R>>) -> Result<R> where (R: Resource);
        /// Every object of a resource the user may see: one GET (users, groups and custom
        /// fields come from the cache once fetched).
        fn all<R>() -> Result<Vec<R>> where (R: Resource);
        /// Loads many objects, keeping their order: cached ones from the cache, the others one
        /// by one (concurrently) or, past the session's `list_threshold`, with one fetch of the
        /// whole list.
        fn load_many<R, K>(keys: impl IntoIterator<Item = K>) -> Result<Vec<R>>
            where (R: Resource, K: Into<Key<R>>);
        /// Loads the customer a `cust` field points to (the `who()` of a task, a case, a note
        /// or an opportunity): a contact, else a company.
        fn customer(key: impl Into<Key<Customer>>) -> Result<Customer>;
        /// The custom field definition with this name, from the cached definitions (one GET
        /// the first time); an error lists the names there are.
        fn custom_field_named(name: &str) -> Result<CustomField>;
        /// Saves an object: a new one is created (`POST`) and gets its key; a loaded one sends
        /// only its `id` and the fields changed since it was loaded (`PUT`). Values are checked
        /// first, and nothing is sent when one is invalid.
        fn save<R>(object: &mut R) -> Result<()> where (R: Resource);
        /// Deletes an object; its key becomes `None`.
        fn delete<R>(object: &mut R) -> Result<()> where (R: Resource);
        /// Deletes the object with `key`, without loading it first.
        fn delete_key<R>(key: impl Into<Key<R>>) -> Result<()> where (R: Resource);
        /// Loads an object again from the server, bypassing the cache; pending changes are
        /// lost.
        fn reload<R>(object: &mut R) -> Result<()> where (R: Resource);
    }
    sync {
        /// The API's base URL, without a trailing slash.
        fn endpoint() -> &str;
        /// The cache of loaded objects.
        fn cache() -> &dyn Cache;
        /// A handle that loads the object on its first access, not before (and from the cache
        /// when it is there).
        fn lazy<R>(key: impl Into<Key<R>>) -> Lazy<R> where (R: Resource);
        /// Loads the objects each of `parents` refers to (`Contact::tasks`,
        /// `Contact::company`, or a closure returning keys), with as few requests as
        /// `load_many` needs for all their keys together; one `Vec` per parent, in order.
        fn load_for<P, R, F>(parents: &[P], keys: F)
            -> impl Future<Output = Result<Vec<Vec<R>>>> + Send + '_
            where (R: Resource, F: for<'a> KeysOf<'a, P, R>);
    }
}

impl From<clevertim_core::Session> for Session {
    fn from(inner: clevertim_core::Session) -> Self {
        Session { inner }
    }
}

impl From<Session> for clevertim_core::Session {
    fn from(session: Session) -> Self {
        session.inner
    }
}

impl AsRef<clevertim_core::Session> for Session {
    fn as_ref(&self) -> &clevertim_core::Session {
        &self.inner
    }
}
