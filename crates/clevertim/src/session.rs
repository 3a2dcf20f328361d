//! The facade's `Session`: the core's, with a builder that knows the compiled-in transports.
//!
//! Its methods, and those of `blocking::Session`, are written from one table,
//! [`facade_methods!`]: adding a method to both facades is one row there.

use std::future::Future;

use clevertim_core::{
    Cache, CustomField, CustomFieldOwner, CustomFieldValue, Customer, IntoKey, Key, KeysOf, Lazy,
    Resource, Result,
};

use crate::SessionBuilder;

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`, and safe to use
/// from many tasks at once.
///
/// It wraps the session of the `clevertim-core` crate (see [`core`](Self::core)) and offers
/// each of its methods, documented here.
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
    ///
    /// ```
    /// let builder = clevertim::Session::builder("API_KEY").endpoint("http://127.0.0.1:8080/api");
    /// # let _ = builder;
    /// ```
    pub fn builder(api_key: impl Into<clevertim_core::ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The core session, for APIs that take one.
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::Session) {
    /// let core = session.core(); // the `clevertim-core` crate's session, which this one wraps
    /// assert_eq!(core.endpoint(), session.endpoint());
    /// # }
    /// ```
    pub fn core(&self) -> &clevertim_core::Session {
        &self.inner
    }
}

/// The one description of the methods both facades forward to the core session: hands the
/// rows to `$emit!`, the macro that writes one facade's methods from them.
///
/// A row is the method's doc, its kind, its signature and an example for each facade (the
/// emitters wrap each in a test that starts a sandbox and a session of their flavour):
///
/// - `async fn`: the core's method is `async`; the blocking facade runs it to completion;
/// - `plain fn`: both facades return what the core returns;
/// - `handle fn`: like `plain`, but the blocking facade wraps the answer with its driver;
/// - `future fn`: the core returns a future without borrowing the arguments; the async
///   facade returns it, the blocking facade runs it.
///
/// An argument written `name: Type => Owned = expression` is handed to the core as
/// `expression` (of type `Owned`): converted first, so that the blocking facade's future
/// holds nothing of the caller's but owned, `Send` values.
macro_rules! facade_methods {
    ($emit:ident) => {
        $emit! {
            /// The API's base URL, without a trailing slash.
            plain fn endpoint() -> &str;
            example async {
                /// assert!(session.endpoint().ends_with("/api"));
            } blocking {
                /// assert!(session.endpoint().ends_with("/api"));
            }

            /// The cache of loaded objects.
            plain fn cache() -> &dyn Cache;
            example async {
                /// let _: Contact = session.load(3).await?;
                /// assert!(session.cache().get(&CacheKey::object("contact", 3u64.into())).is_some());
            } blocking {
                /// let _: Contact = session.load(3)?;
                /// assert!(session.cache().get(&CacheKey::object("contact", 3u64.into())).is_some());
            }

            /// Loads one object: from the cache when it is there, else with one GET.
            ///
            /// # Errors
            ///
            /// [`Error::NotFound`](crate::Error::NotFound) when the server has no such
            /// object (or the user may not see it), or the error of the request.
            async fn load<R>(key: impl IntoKey<R> => Key<R> = key.into_key()) -> Result<R>
                where (R: Resource);
            example async {
                /// let praveen: Contact = session.load(3).await?; // one GET
                /// let again: Contact = session.load(3).await?;   // from the cache
                /// assert_eq!(praveen, again);
                /// assert_eq!(praveen.to_string(), "Praveen Bellur");
            } blocking {
                /// let praveen: Contact = session.load(3)?; // one GET
                /// let again: Contact = session.load(3)?;   // from the cache
                /// assert_eq!(praveen, again);
                /// assert_eq!(praveen.to_string(), "Praveen Bellur");
            }

            /// A handle that loads the object on its first access, not before (and from the
            /// cache when it is there).
            handle fn lazy<R>(key: impl IntoKey<R> => Key<R> = key.into_key()) -> Lazy<R>
                where (R: Resource);
            example async {
                /// let praveen = session.lazy::<Contact>(3); // no request yet
                /// assert!(!praveen.is_loaded());
                /// assert_eq!(praveen.get().await?.first_name(), Some("Praveen")); // one GET
            } blocking {
                /// let praveen = session.lazy::<Contact>(3); // no request yet
                /// assert!(!praveen.is_loaded());
                /// assert_eq!(praveen.get()?.first_name(), Some("Praveen")); // one GET
            }

            /// Every object of a resource the user may see: one GET (users, groups and custom
            /// fields come from the cache once fetched).
            ///
            /// # Errors
            ///
            /// The error of the request, or of an answer that does not decode.
            async fn all<R>() -> Result<Vec<R>> where (R: Resource);
            example async {
                /// let companies: Vec<Company> = session.all().await?;
                /// assert!(companies.iter().any(|c| c.name() == Some("Busy Bee Ltd.")));
            } blocking {
                /// let companies: Vec<Company> = session.all()?;
                /// assert!(companies.iter().any(|c| c.name() == Some("Busy Bee Ltd.")));
            }

            /// Loads many objects, keeping their order: cached ones from the cache, the others
            /// one by one (concurrently) or, past the session's `list_threshold`, with one
            /// fetch of the whole list.
            ///
            /// # Errors
            ///
            /// The first load that fails ([`Error::NotFound`](crate::Error::NotFound)
            /// for a key the server does not know).
            async fn load_many<R, K>(
                keys: impl IntoIterator<Item = K> => Vec<Key<R>> =
                    keys.into_iter().map(IntoKey::into_key).collect()
            ) -> Result<Vec<R>> where (R: Resource, K: IntoKey<R>);
            example async {
                /// let people: Vec<Contact> = session.load_many([4, 3]).await?;
                /// assert_eq!(people[1].to_string(), "Praveen Bellur");
            } blocking {
                /// let people: Vec<Contact> = session.load_many([4, 3])?;
                /// assert_eq!(people[1].to_string(), "Praveen Bellur");
            }

            /// Loads the objects each of `parents` refers to (`Contact::tasks`,
            /// `Contact::company`, or a closure returning keys), with as few requests as
            /// `load_many` needs for all their keys together; one `Vec` per parent, in order.
            ///
            /// # Errors
            ///
            /// As `load_many`: the first load that fails.
            future fn load_for<P, R, F>(parents: &[P], keys: F) -> Result<Vec<Vec<R>>>
                where (R: Resource, F: for<'a> KeysOf<'a, P, R>);
            example async {
                /// let people: Vec<Contact> = session.load_many([3, 4]).await?;
                /// let companies: Vec<Vec<Company>> = session.load_for(&people, Contact::company).await?;
                /// assert_eq!(companies[0][0].name(), Some("Busy Bee Ltd."));
            } blocking {
                /// let people: Vec<Contact> = session.load_many([3, 4])?;
                /// let companies: Vec<Vec<Company>> = session.load_for(&people, Contact::company)?;
                /// assert_eq!(companies[0][0].name(), Some("Busy Bee Ltd."));
            }

            /// Loads the customer a `cust` field points to (the `who()` of a task, a case, a
            /// note or an opportunity): a contact, else a company.
            ///
            /// # Errors
            ///
            /// [`Error::NotFound`](crate::Error::NotFound) when the id is neither a
            /// contact nor a company, or the error of a request.
            async fn customer(
                key: impl IntoKey<Customer> => Key<Customer> = key.into_key()
            ) -> Result<Customer>;
            example async {
                /// // Contact 3 of the demo data: the `who()` of its first task.
                /// match session.customer(3).await? {
                ///     Customer::Contact(person) => assert_eq!(person.to_string(), "Praveen Bellur"),
                ///     Customer::Company(company) => panic!("a company: {company}"),
                /// }
            } blocking {
                /// // Contact 3 of the demo data: the `who()` of its first task.
                /// match session.customer(3)? {
                ///     Customer::Contact(person) => assert_eq!(person.to_string(), "Praveen Bellur"),
                ///     Customer::Company(company) => panic!("a company: {company}"),
                /// }
            }

            /// The custom field definition with this name, from the cached definitions (one
            /// GET the first time).
            ///
            /// # Errors
            ///
            /// [`Error::NotFound`](crate::Error::NotFound), whose message lists the
            /// names there are, or the error of the request.
            async fn custom_field_named(name: &str) -> Result<CustomField>;
            example async {
                /// let tier = session.custom_field_named("Tier").await?;
                /// assert_eq!(tier.name(), Some("Tier"));
            } blocking {
                /// let tier = session.custom_field_named("Tier")?;
                /// assert_eq!(tier.name(), Some("Tier"));
            }

            /// Sets a custom field on `object` by the field's name, checked against its
            /// definition: one `GET /customfield` the first time, none while the definitions
            /// are cached. Nothing is sent for the object until it is saved.
            ///
            /// # Errors
            ///
            /// [`Error::NotFound`](crate::Error::NotFound) when no definition has that
            /// name (its message lists the names there are),
            /// [`Error::Validation`](crate::Error::Validation) when the value does not
            /// suit the field (`object` is left unchanged), or the error of the request.
            async fn set_custom_field_named<R>(
                object: &mut R,
                name: &str,
                value: impl Into<CustomFieldValue> => CustomFieldValue = value.into()
            ) -> Result<()> where (R: CustomFieldOwner);
            example async {
                /// let mut jane: Contact = session.load(4).await?;
                /// session.set_custom_field_named(&mut jane, "Tier", "Y").await?;
                /// session.save(&mut jane).await?; // PUT of `id` and `cf` only
                /// assert!(session.set_custom_field_named(&mut jane, "Tier", "Platinum").await.is_err());
            } blocking {
                /// let mut jane: Contact = session.load(4)?;
                /// session.set_custom_field_named(&mut jane, "Tier", "Y")?;
                /// session.save(&mut jane)?; // PUT of `id` and `cf` only
                /// assert!(session.set_custom_field_named(&mut jane, "Tier", "Platinum").is_err());
            }

            /// Saves an object: a new one is created (`POST`) and gets its key; a loaded one
            /// sends only its `id` and the fields changed since it was loaded (`PUT`). Values
            /// are checked first, and nothing is sent when one is invalid.
            ///
            /// # Errors
            ///
            /// [`Error::Validation`](crate::Error::Validation) before any request, or
            /// the error of the request (the object keeps its pending changes).
            async fn save<R>(object: &mut R) -> Result<()> where (R: Resource);
            example async {
                /// let mut mike = Contact::new();
                /// mike.set_first_name("Mike").set_last_name("Johnson");
                /// session.save(&mut mike).await?; // POST: the key appears
                /// mike.add_to_emails("mike@example.com");
                /// session.save(&mut mike).await?; // PUT of `id` and `email` only
                /// assert!(mike.key().is_some());
            } blocking {
                /// let mut mike = Contact::new();
                /// mike.set_first_name("Mike").set_last_name("Johnson");
                /// session.save(&mut mike)?; // POST: the key appears
                /// mike.add_to_emails("mike@example.com");
                /// session.save(&mut mike)?; // PUT of `id` and `email` only
                /// assert!(mike.key().is_some());
            }

            /// Deletes an object; its key becomes `None`.
            ///
            /// # Errors
            ///
            /// The error of the request; the object keeps its key.
            async fn delete<R>(object: &mut R) -> Result<()> where (R: Resource);
            example async {
                /// let mut sam: Contact = session.load(6).await?;
                /// session.delete(&mut sam).await?;
                /// assert_eq!(sam.key(), None);
            } blocking {
                /// let mut sam: Contact = session.load(6)?;
                /// session.delete(&mut sam)?;
                /// assert_eq!(sam.key(), None);
            }

            /// Deletes the object with `key`, without loading it first.
            ///
            /// # Errors
            ///
            /// The error of the request.
            async fn delete_key<R>(key: impl IntoKey<R> => Key<R> = key.into_key()) -> Result<()>
                where (R: Resource);
            example async {
                /// session.delete_key::<Contact>(6).await?;
                /// assert!(session.load::<Contact>(6).await.is_err());
            } blocking {
                /// session.delete_key::<Contact>(6)?;
                /// assert!(session.load::<Contact>(6).is_err());
            }

            /// Loads an object again from the server, bypassing the cache; pending changes
            /// are lost.
            ///
            /// # Errors
            ///
            /// The error of the request; the object is left as it was.
            async fn reload<R>(object: &mut R) -> Result<()> where (R: Resource);
            example async {
                /// let mut jane: Contact = session.load(4).await?;
                /// jane.set_title("Chief Buyer");
                /// session.reload(&mut jane).await?;
                /// assert_eq!(jane.title(), Some("Buyer"));
            } blocking {
                /// let mut jane: Contact = session.load(4)?;
                /// jane.set_title("Chief Buyer");
                /// session.reload(&mut jane)?;
                /// assert_eq!(jane.title(), Some("Buyer"));
            }
        }
    };
}
#[cfg(feature = "blocking")]
pub(crate) use facade_methods;

/// What the rows' examples may use without saying so.
macro_rules! example_imports {
    () => {
        "# use clevertim::{CacheKey, Company, Contact, Customer, Key};"
    };
}
#[cfg(feature = "blocking")]
pub(crate) use example_imports;

/// Writes the async facade's methods from the rows of [`facade_methods!`].
macro_rules! async_facade {
    ($(
        $(#[$doc:meta])*
        $kind:ident fn $name:ident $(<$($g:ident),*>)?
            ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*) -> $ret:ty
            $(where ($($bound:tt)*))?;
        example async { $(#[$example:meta])* } blocking { $(#[$unused:meta])* }
    )*) => {
        impl Session {$(
            async_facade! {
                @$kind
                #[doc = "\n# Examples\n"]
                #[doc = "```"]
                #[doc = "# #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {"]
                #[doc = "# let sandbox = clevertim_sandbox::Sandbox::start().await?;"]
                #[doc = "# let session = clevertim::Session::builder(sandbox.api_key())"]
                #[doc = "#     .endpoint(sandbox.endpoint()).build()?;"]
                #[doc = example_imports!()]
                $(#[$example])*
                #[doc = "# Ok(()) }"]
                #[doc = "```"]
                #[cfg_attr(feature = "blocking", doc = concat!(
                    "\n# See also\n\nThe same call without `.await`: [`blocking::Session::",
                    stringify!($name),
                    "`](crate::blocking::Session::", stringify!($name), ").",
                ))]
                [$(#[$doc])*]
                fn $name $(<$($g),*>)? ($($arg : $ty $(=> $owned = $conv)?),*) -> $ret
                where ($($($bound)*)?)
            }
        )*}
    };
    (@async $(#[$example:meta])* [$(#[$doc:meta])*]
        fn $name:ident $(<$($g:ident),*>)? ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*)
        -> $ret:ty where ($($bound:tt)*)
    ) => {
        $(#[$doc])*
        $(#[$example])*
        pub async fn $name $(<$($g),*>)? (&self, $($arg: $ty),*) -> $ret where $($bound)* {
            $($(let $arg: $owned = $conv;)?)*
            self.inner.$name($($arg),*).await
        }
    };
    (@future $(#[$example:meta])* [$(#[$doc:meta])*]
        fn $name:ident $(<$($g:ident),*>)? ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*)
        -> $ret:ty where ($($bound:tt)*)
    ) => {
        $(#[$doc])*
        $(#[$example])*
        pub fn $name $(<$($g),*>)? (&self, $($arg: $ty),*)
            -> impl Future<Output = $ret> + Send + '_
        where $($bound)*
        {
            $($(let $arg: $owned = $conv;)?)*
            self.inner.$name($($arg),*)
        }
    };
    (@$plain:ident $(#[$example:meta])* [$(#[$doc:meta])*]
        fn $name:ident $(<$($g:ident),*>)? ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*)
        -> $ret:ty where ($($bound:tt)*)
    ) => {
        $(#[$doc])*
        $(#[$example])*
        pub fn $name $(<$($g),*>)? (&self, $($arg: $ty),*) -> $ret where $($bound)* {
            $($(let $arg: $owned = $conv;)?)*
            self.inner.$name($($arg),*)
        }
    };
}

facade_methods!(async_facade);

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
