//! The [`Session`]: loads, saves and deletes objects through a transport and a cache.
//!
//! `mod.rs` holds the session and its public methods; each of the other files has one job:
//!
//! - `builder.rs`: the [`SessionBuilder`] and its defaults;
//! - `retry.rs`: sending one request, retried with backoff as the [`RetryPolicy`] allows;
//! - `exchange.rs`: one request and its decoded answer, held to what was asked (the wire
//!   format itself is in `crate::wire`);
//! - `checks.rs`: the checks before a write;
//! - `caching.rs`: what each request does to the cache, and `coherence.rs`: the rules that keep
//!   overlapping requests from caching stale answers;
//! - `relations.rs`: loading many objects, and those that parents refer to, in few requests;
//! - `lazy.rs`: [`Lazy`], an object loaded on first access;
//! - `api_key.rs`: the [`ApiKey`], kept out of every output.

mod api_key;
mod builder;
mod caching;
mod checks;
pub(crate) mod coherence;
mod custom_fields;
mod exchange;
mod lazy;
mod relations;
mod retry;

use std::fmt;
use std::sync::Arc;

use http::StatusCode;

pub use api_key::ApiKey;
pub use builder::{
    DEFAULT_ENDPOINT, DEFAULT_LIST_THRESHOLD, DEFAULT_MAX_IN_FLIGHT, SessionBuilder,
};
pub use lazy::Lazy;
pub use relations::KeysOf;
pub use retry::{RetryPolicy, Sleeper, TimerSleeper};

use crate::cache::{Cache, CacheKey, NoCache};
use crate::error::{Error, Result};
use crate::key::Key;
use crate::model::codec::WriteMode;
use crate::model::{Company, Contact, CustomField, Customer, Resource};
use crate::store::Store;
use crate::transport::{BodyLimit, Transport};
use crate::wire::{Protocol, not_found, write_body};
use caching::related_before_and_after;
use checks::saved_id;

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`, and safe to use
/// from many tasks at once.
///
/// Made by [`Session::builder`]. It loads objects ([`load`](Self::load), [`all`](Self::all),
/// [`load_many`](Self::load_many), [`lazy`](Self::lazy)), keeps them in its cache so that no
/// `GET` is repeated, and writes them back ([`save`](Self::save) sends only what changed,
/// [`delete`](Self::delete)); every value is checked before anything is sent. See the
/// [crate documentation](crate) for a walkthrough.
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::{transport_fn, Contact, Session};
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// // A canned server: a real session sends over HTTP (the `clevertim` facade picks hyper or isahc).
/// let transport = transport_fn(|request: http::Request<Bytes>| async move {
///     let body = match (request.method().as_str(), request.uri().path()) {
///         ("GET", "/api/contact/4") => r#"[{"id":4,"fn":"Jane","ln":"Doe"}]"#.to_owned(),
///         ("PUT", "/api/contact/4") => format!("[{}]", String::from_utf8_lossy(request.body())),
///         (method, path) => panic!("unexpected {method} {path}"),
///     };
///     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
/// });
/// let session = Session::builder("MY_API_KEY").transport(transport).build()?;
///
/// let mut jane: Contact = session.load(4).await?;   // GET /contact/4
/// jane.set_title("Buyer");
/// session.save(&mut jane).await?;                   // PUT {"id":4,"title":"Buyer"}
/// assert_eq!(jane.title(), Some("Buyer"));
///
/// let twin = session.clone();                        // the same account, cache and transport
/// assert_eq!(twin.load::<Contact>(4).await?.title(), Some("Buyer")); // no request
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    protocol: Protocol,
    transport: Arc<dyn Transport>,
    store: Arc<dyn Store>,
    budget: Option<Arc<dyn crate::rate::RateBudget>>,
    max_in_flight: usize,
    retry: RetryPolicy,
    sleeper: retry::SharedSleeper,
    body_limit: BodyLimit,
    list_threshold: usize,
    list_after_misses: Option<usize>,
    misses: relations::Misses,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.inner.protocol.endpoint())
            .field("api_key", &"[redacted]")
            .field("transport", &self.inner.transport)
            .field("store", &self.inner.store)
            .field("retry", &self.inner.retry)
            .field("body_limit", &self.inner.body_limit)
            .finish()
    }
}

impl Session {
    /// Starts configuring a session for the account of `api_key`; see [`SessionBuilder`].
    ///
    /// ```
    /// use clevertim::Session;
    /// # let transport = clevertim::transport_fn(|_: http::Request<bytes::Bytes>| async { unreachable!() });
    /// let session = Session::builder("MY_API_KEY").transport(transport).build()?;
    /// assert_eq!(session.endpoint(), "https://www.clevertim.com/api");
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn builder(api_key: impl Into<ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The API's base URL, without a trailing slash.
    ///
    /// ```
    /// use clevertim::Session;
    /// # let transport = clevertim::transport_fn(|_: http::Request<bytes::Bytes>| async { unreachable!() });
    /// let session = Session::builder("KEY")
    ///     .endpoint("http://127.0.0.1:8080/api/")
    ///     .transport(transport)
    ///     .build()?;
    /// assert_eq!(session.endpoint(), "http://127.0.0.1:8080/api");
    /// # Ok::<(), clevertim::Error>(())
    /// ```
    pub fn endpoint(&self) -> &str {
        self.inner.protocol.endpoint()
    }

    /// The in-process cache of loaded objects: clear it to make the next loads ask the server
    /// again. A session whose [`Store`] lives outside the process (Redis) has none: this is
    /// then a [`NoCache`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|_r: http::Request<Bytes>| async move {
    /// #     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Jane"}]}"#)))
    /// # })).build()?;
    /// use clevertim::{CacheKey, Id};
    /// session.load::<Contact>(4).await?;                                      // GET /contact/4
    /// assert!(session.cache().get(&CacheKey::object("contact", Id::from(4))).is_some());
    /// session.cache().clear();
    /// session.load::<Contact>(4).await?;                                      // GET again
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn cache(&self) -> &dyn Cache {
        self.inner.store.local_cache().unwrap_or(&NoCache)
    }

    /// Loads one object: from the cache when it is there, else with one GET.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the server has no such object (or the user may not see it);
    /// [`Error::Authentication`], [`Error::Permission`] or [`Error::Api`] when the server
    /// refuses; [`Error::Transport`] when no answer came (after the retries the
    /// [`RetryPolicy`] allows); [`Error::MalformedResponse`] when the answer cannot be read.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let jane: Contact = session.load(4).await?;          // GET /contact/4
    /// let again = session.load::<Contact>(4).await?;      // from the cache: no request
    /// assert_eq!(jane, again);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn load<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<R> {
        let key = key.into();
        let cache_key = CacheKey::object(R::PATH, key.id().clone());
        if let Some(entry) = self.inner.store.get(&cache_key).await {
            if let Some(object) = entry.decoded::<R>() {
                return Ok(object.clone());
            }
            match self
                .inner
                .protocol
                .object::<R>(StatusCode::OK, entry.json())
            {
                Ok(object) => return Ok(object),
                // A cache entry that no longer decodes is dropped and fetched again.
                Err(_) => self.inner.store.forget(&cache_key).await,
            }
        }
        if R::LIST_ONLY {
            return self.pick_from_list(&key).await;
        }
        if let Some(limit) = self.inner.list_after_misses {
            if self.inner.misses.count(R::PATH, limit) {
                // Enough single misses: one list fetch caches the resource whole.
                let found = self.pick_all(std::slice::from_ref(&key)).await?;
                return found
                    .into_iter()
                    .next()
                    .ok_or_else(|| not_found::<R>(key.id()));
            }
        }
        self.fetch_one(&key).await
    }

    /// A handle that loads the object on its first access, not before.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let lazy = session.lazy::<Contact>(4);  // no request
    /// assert!(!lazy.is_loaded());
    /// assert_eq!(lazy.get().await?.first_name(), Some("Jane")); // one GET, on first access
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn lazy<R: Resource>(&self, key: impl Into<Key<R>>) -> Lazy<R> {
        Lazy::new(self.clone(), key.into())
    }

    /// Every object of a resource the user may see (one GET; users, groups and custom fields
    /// come from the cache once fetched).
    ///
    /// # Errors
    ///
    /// As [`Session::load`], but for [`Error::NotFound`]: an empty resource is an empty list.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let everyone: Vec<Contact> = session.all().await?;  // GET /contact
    /// assert_eq!(everyone.len(), 2);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn all<R: Resource>(&self) -> Result<Vec<R>> {
        if R::LIST_ONLY {
            if let Some(list) = self.cached_list::<R>().await {
                return Ok(list.as_ref().clone());
            }
        }
        self.fetch_list().await
    }

    /// The custom field definition named `name` (its `name`, else its `fullname`; else the
    /// one name that matches ignoring case), from the definitions [`Session::all`] keeps in
    /// the cache: one `GET /customfield` the first time, none afterwards. A name the cached
    /// definitions do not know makes the session ask the server once more (the field may be
    /// new) before answering `NotFound`.
    ///
    /// To set a value by the field's name in one call, see
    /// [`Session::set_custom_field_named`].
    ///
    /// # Errors
    ///
    /// A name that matches no definition is [`Error::NotFound`], whose message lists the
    /// names there are; fetching the definitions fails as [`Session::all`] does.
    ///
    /// ```
    /// use clevertim::{transport_fn, Contact, Error, Session};
    /// use clevertim::bytes::Bytes;
    ///
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// let transport = transport_fn(|request: http::Request<Bytes>| async move {
    ///     assert_eq!(request.uri().path(), "/api/customfield");
    ///     let body = r#"{"status":"OK","content":[
    ///         {"id":3,"name":"Tier","elemType":"select","modelType":["customers"],"values":["Gold"]}
    ///     ]}"#;
    ///     Ok(http::Response::new(Bytes::from(body)))
    /// });
    /// let session = Session::builder("KEY").transport(transport).build()?;
    ///
    /// let tier = session.custom_field_named("Tier").await?;
    /// let mut mike = Contact::with_key(7);
    /// if let Some(tier) = tier.key() {
    ///     mike.set_custom_field(tier, "Gold");
    /// }
    ///
    /// let missing = session.custom_field_named("Size").await.unwrap_err();
    /// assert!(matches!(missing, Error::NotFound { .. }));
    /// assert!(missing.to_string().contains("\"Tier\""), "{missing}");
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn custom_field_named(&self, name: &str) -> Result<CustomField> {
        self.judge_list(|definitions| custom_fields::named(definitions, name))
            .await
    }

    /// Loads the customer a `cust` field points to: a contact, else a company (they share one
    /// id space, and the id alone does not say which).
    ///
    /// This is the call for the `who()` of a task, a note, a case or an opportunity:
    /// `session.load::<Contact>(task.who()?)` does not compile, since the key is a
    /// `Key<Customer>`, and a `Customer` is a contact *or* a company. When you know which it
    /// is, say so with [`Key::cast`]: `session.load::<Contact>(who.cast())`.
    ///
    /// Costs: one GET when the customer is a contact (or a company already cached), two
    /// when it is a company met for the first time (`/contact/{id}` answers no such contact).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] (resource `customer`) when the id is neither a contact nor a
    /// company; otherwise as [`Session::load`].
    ///
    /// ```
    /// use clevertim::{transport_fn, Customer, Session, Task};
    /// use clevertim::bytes::Bytes;
    ///
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// let transport = transport_fn(|request: http::Request<Bytes>| async move {
    ///     let body = match request.uri().path() {
    ///         "/api/task/9" => r#"{"status":"OK","content":[{"id":9,"name":"Call","cust":4}]}"#,
    ///         "/api/contact/4" => r#"{"status":"OK","content":[{"id":4,"fn":"Mike","ln":"Johnson"}]}"#,
    ///         other => panic!("unexpected {other}"),
    ///     };
    ///     Ok(http::Response::new(Bytes::from(body)))
    /// });
    /// let session = Session::builder("KEY").transport(transport).build()?;
    ///
    /// let task: Task = session.load(9).await?;
    /// if let Some(who) = task.who() {
    ///     match session.customer(who).await? {
    ///         Customer::Contact(person) => assert_eq!(person.to_string(), "Mike Johnson"),
    ///         Customer::Company(company) => println!("a company: {company}"),
    ///     }
    /// }
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn customer(&self, key: impl Into<Key<Customer>>) -> Result<Customer> {
        let key: Key<Customer> = key.into();
        let company_key = CacheKey::object(Company::PATH, key.id().clone());
        if self.inner.store.get(&company_key).await.is_some() {
            return self
                .load::<Company>(key.cast())
                .await
                .map(Customer::Company);
        }
        let loaded = self.load::<Contact>(key.clone().cast()).await;
        if matches!(&loaded, Ok(c) if c.is_company() == Some(true)) {
            // The contact endpoint answered with a company: do not keep it as a contact.
            let contact_key = CacheKey::object(Contact::PATH, key.id().clone());
            self.inner.store.forget(&contact_key).await;
        }
        match loaded {
            Ok(contact) if contact.is_company() != Some(true) => Ok(Customer::Contact(contact)),
            Ok(_) | Err(Error::NotFound { .. }) => self
                .load::<Company>(key.clone().cast())
                .await
                .map(Customer::Company)
                .map_err(|e| match e {
                    Error::NotFound { .. } => Error::NotFound {
                        resource: "customer",
                        key: key.to_string(),
                    },
                    other => other,
                }),
            Err(other) => Err(other),
        }
    }

    /// Saves an object: a new one is created (`POST`) and gets its key; a loaded one sends
    /// only its `id` and the fields changed since it was loaded (`PUT`). Values are checked
    /// first, and nothing is sent when one is invalid. Afterwards `object` holds what the
    /// server stored.
    ///
    /// An object with custom field values costs one `GET /customfield` too, the first time
    /// (the values are checked against the definitions).
    ///
    /// # Errors
    ///
    /// [`Error::OtherAccount`] when the object was loaded from or saved to another account or
    /// endpoint than this session's (nothing is sent; save its `copy_as_new()` to create it
    /// here); [`Error::Validation`] when a value is invalid (nothing is sent);
    /// [`Error::Unsupported`] for the resources the API only reads (users, groups) or does
    /// not let update (comments); [`Error::Permission`] when the user may not write it;
    /// otherwise as [`Session::load`]. A `POST` that failed after it was sent is not retried
    /// (it might be applied twice): see [`Error::is_retryable`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let mut mike = Contact::new();
    /// mike.set_first_name("Mike");
    /// session.save(&mut mike).await?;                 // POST /contact
    /// assert!(mike.key().is_some());
    /// mike.add_to_emails("mike@example.com");
    /// session.save(&mut mike).await?;                 // PUT {"id":7,"email":[…]}
    /// assert_eq!(mike.emails(), ["mike@example.com"]);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn save<R: Resource>(&self, object: &mut R) -> Result<()> {
        checks::same_origin("save", &*object, self.inner.protocol.origin())?;
        let mode = self.check_before_save(&*object).await?;
        if mode == WriteMode::Update && !object.has_changes() {
            tracing::debug!(resource = R::PATH, key = ?object.wire_id(), "nothing changed: no request");
            return Ok(());
        }
        let body = write_body(&*object, mode)?;
        self.write_through_cache(object, mode, body).await
    }

    /// Deletes an object; its key becomes `None`.
    ///
    /// # Errors
    ///
    /// [`Error::OtherAccount`] when the object came from another account or endpoint than
    /// this session's (nothing is sent); [`Error::Validation`] when the object has no key (it
    /// was never saved); otherwise as [`Session::delete_key`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let mut jane: Contact = session.load(4).await?;
    /// session.delete(&mut jane).await?;               // DELETE /contact/4
    /// assert_eq!(jane.key(), None);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete<R: Resource>(&self, object: &mut R) -> Result<()> {
        checks::same_origin("delete", &*object, self.inner.protocol.origin())?;
        let id = saved_id(object)?;
        self.delete_and_forget::<R>(&id, related_before_and_after(object))
            .await?;
        object.set_wire_id(None);
        Ok(())
    }

    /// Deletes the object with `key`, without loading it first.
    ///
    /// The server also clears every reference to the deleted object (and deletes a note's or
    /// a task's comments), so the cached objects of the resources that may refer to it are
    /// forgotten, as after [`Session::delete`].
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] for the resources the API only reads (users, groups);
    /// [`Error::NotFound`] when there is no such object; otherwise as [`Session::load`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// session.delete_key::<Contact>(4).await?;        // DELETE /contact/4, no GET first
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete_key<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<()> {
        self.delete_and_forget::<R>(key.into().id(), Vec::new())
            .await
    }

    /// Loads an object again from the server, bypassing the cache; pending changes are lost.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] when the object has no key (it was never saved); otherwise as
    /// [`Session::load`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let mut jane: Contact = session.load(4).await?;
    /// jane.set_first_name("Not saved");
    /// session.reload(&mut jane).await?;               // GET /contact/4, cache or not
    /// assert_eq!(jane.first_name(), Some("Jane"));
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn reload<R: Resource>(&self, object: &mut R) -> Result<()> {
        let key = Key::new(saved_id(object)?);
        *object = if R::LIST_ONLY {
            self.inner.store.forget(&CacheKey::list(R::PATH)).await;
            self.pick_from_list(&key).await?
        } else {
            self.fetch_one(&key).await?
        };
        Ok(())
    }
}
