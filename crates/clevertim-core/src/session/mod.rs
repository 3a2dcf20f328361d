//! The `Session`: loads, saves and deletes objects through a transport and a cache.

mod api_key;
mod builder;
mod coherence;
mod lazy;
mod relations;
mod retry;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde::ser::{Serialize, SerializeMap, Serializer};

pub use api_key::ApiKey;
pub use builder::{
    SessionBuilder, DEFAULT_ENDPOINT, DEFAULT_LIST_THRESHOLD, DEFAULT_MAX_IN_FLIGHT,
};
pub use lazy::Lazy;
pub use relations::KeysOf;
pub use retry::{RetryPolicy, Sleeper, TimerSleeper};

use crate::cache::{Cache, CacheKey};
use crate::error::{Error, Result, ValidationError};
use crate::key::{Id, Key};
use crate::model::codec::{WireFields, WriteMode};
use crate::model::{Company, Contact, CustomField, Customer, Resource};
use crate::transport::{BodyLimit, Transport};
use crate::wire::Wire;
use coherence::{Coherence, Written};

/// A connection to one Clevertim account: cheap to clone, `Send + Sync`, and safe to use
/// from many tasks at once.
///
/// See the [crate documentation](crate) for a walkthrough.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    wire: Wire,
    transport: Arc<dyn Transport>,
    cache: Arc<dyn Cache>,
    max_in_flight: usize,
    retry: RetryPolicy,
    sleeper: retry::SharedSleeper,
    body_limit: BodyLimit,
    coherence: Coherence,
    list_threshold: usize,
    list_after_misses: Option<usize>,
    misses: relations::Misses,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.inner.wire.endpoint())
            .field("api_key", &"[redacted]")
            .field("transport", &self.inner.transport)
            .field("cache", &self.inner.cache)
            .field("retry", &self.inner.retry)
            .field("body_limit", &self.inner.body_limit)
            .finish()
    }
}

impl Session {
    /// Starts configuring a session for the account of `api_key`.
    pub fn builder(api_key: impl Into<ApiKey>) -> SessionBuilder {
        SessionBuilder::new(api_key.into())
    }

    /// The API's base URL, without a trailing slash.
    pub fn endpoint(&self) -> &str {
        self.inner.wire.endpoint()
    }

    /// The cache of loaded objects.
    pub fn cache(&self) -> &dyn Cache {
        &*self.inner.cache
    }

    /// Loads one object: from the cache when it is there, else with one GET.
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn load<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<R> {
        let key = key.into();
        let cache_key = CacheKey::object(R::PATH, key.id().clone());
        if let Some(json) = self.inner.cache.get(&cache_key) {
            match self.decode_object::<R>(StatusCode::OK, &json) {
                Ok(object) => return Ok(object),
                // A cache entry that no longer decodes is dropped and fetched again.
                Err(_) => self.inner.cache.remove(&cache_key),
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
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn lazy<R: Resource>(&self, key: impl Into<Key<R>>) -> Lazy<R> {
        Lazy::new(self.clone(), key.into())
    }

    /// Every object of a resource the user may see (one GET; users, groups and custom fields
    /// come from the cache once fetched).
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn all<R: Resource>(&self) -> Result<Vec<R>> {
        let list_key = CacheKey::list(R::PATH);
        if R::LIST_ONLY {
            if let Some(body) = self.inner.cache.get(&list_key) {
                if let Ok(list) = self.decode_cached_list::<R>(&body) {
                    return Ok(list);
                }
            }
        }
        let ticket = self.inner.coherence.read();
        let sent = self.send(Method::GET, R::PATH, None, None).await?;
        let objects = self.objects(&sent, R::PATH, None)?;
        let mut list = Vec::with_capacity(objects.len());
        for json in objects {
            let object: R = self.decode_object(sent.status, &json)?;
            if let Some(id) = object.wire_id() {
                let key = CacheKey::object(R::PATH, id.clone());
                self.inner
                    .coherence
                    .admit(&ticket, &*self.inner.cache, key, json);
            }
            list.push(object);
        }
        if R::LIST_ONLY {
            self.inner
                .coherence
                .admit(&ticket, &*self.inner.cache, list_key, sent.body);
        }
        Ok(list)
    }

    /// The custom field definition named `name` (its `name`, else its `fullname`; else the
    /// one name that matches ignoring case), from the definitions [`Session::all`] keeps in
    /// the cache: one `GET /customfield` the first time, none afterwards.
    ///
    /// A name that matches no definition is [`Error::NotFound`], whose message lists the
    /// names there are.
    ///
    /// ```
    /// use clevertim_core::{transport_fn, Contact, Error, Session};
    /// use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn custom_field_named(&self, name: &str) -> Result<CustomField> {
        let mut definitions = self.all::<CustomField>().await?;
        let position = definitions
            .iter()
            .position(|d| d.name() == Some(name))
            .or_else(|| definitions.iter().position(|d| d.full_name() == Some(name)))
            .or_else(|| {
                let folded =
                    |d: &CustomField| d.name().is_some_and(|n| n.eq_ignore_ascii_case(name));
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
                })
            }
        }
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
    /// ```
    /// use clevertim_core::{transport_fn, Customer, Session, Task};
    /// use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn customer(&self, key: impl Into<Key<Customer>>) -> Result<Customer> {
        let key: Key<Customer> = key.into();
        let company_key = CacheKey::object(Company::PATH, key.id().clone());
        if self.inner.cache.get(&company_key).is_some() {
            return self
                .load::<Company>(key.cast())
                .await
                .map(Customer::Company);
        }
        let loaded = self.load::<Contact>(key.clone().cast()).await;
        if matches!(&loaded, Ok(c) if c.is_company() == Some(true)) {
            // The contact endpoint answered with a company: do not keep it as a contact.
            self.inner
                .cache
                .remove(&CacheKey::object(Contact::PATH, key.id().clone()));
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
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn save<R: Resource>(&self, object: &mut R) -> Result<()> {
        refuse_read_only::<R>()?;
        let mode = match object.wire_id() {
            Some(_) => WriteMode::Update,
            None => WriteMode::Create,
        };
        object.check_fields(R::PATH, mode)?;
        object.check(mode)?;
        if let Some((scope, values, original)) = object.custom_fields_to_check(mode) {
            if !values.is_empty() {
                let list_key = CacheKey::list(CustomField::PATH);
                let was_cached = self.inner.cache.get(&list_key).is_some();
                let definitions = self.all::<CustomField>().await?;
                let check =
                    |defs: &[CustomField]| values.check_against(R::PATH, &scope, defs, original);
                match check(&definitions) {
                    // Cached definitions may be stale: ask the server once before refusing.
                    Err(_) if was_cached => {
                        self.inner.cache.remove(&list_key);
                        check(&self.all::<CustomField>().await?)?;
                    }
                    verdict => verdict?,
                }
            }
        }
        let id = object.wire_id().cloned();
        if mode == WriteMode::Update && !object.has_changes() {
            tracing::debug!(resource = R::PATH, key = ?id, "nothing changed: no request");
            return Ok(());
        }
        let body = serde_json::to_vec(&WriteBody(&*object, mode))
            .map_err(|e| Error::Config(format!("cannot encode the {}: {e}", R::PATH)))?;
        let method = match mode {
            WriteMode::Create => Method::POST,
            WriteMode::Update => Method::PUT,
        };
        // Parents list their children: the old and the new ones may change (the old ones of a
        // changed reference are in the fields as they were before).
        let mut related = object.related();
        if let Ok(before) = serde_json::from_value::<R>(object.originals()) {
            related.extend(before.related());
        }
        if R::LIST_ONLY {
            related.push(CacheKey::list(R::PATH));
        }
        // An update of an object never loaded may move it away from parents nobody knows.
        let unknown_parents = match &id {
            Some(id) => !self.add_cached_related::<R>(id, &mut related),
            None => false,
        };
        let mut fenced = related.clone();
        fenced.extend(id.iter().map(|id| CacheKey::object(R::PATH, id.clone())));
        let ticket = self
            .inner
            .coherence
            .begin_write(&*self.inner.cache, &fenced);
        let outcome = self.write_answer::<R>(method, id.as_ref(), body).await;
        let written_key = match &outcome {
            Ok(saved) => saved.0.wire_id().cloned(),
            Err(_) => id.clone(),
        };
        if let Ok((saved, _)) = &outcome {
            related.extend(saved.related());
        }
        let answer = outcome.as_ref().ok().map(|(_, json)| json.clone());
        self.inner.coherence.end_write(
            &ticket,
            &*self.inner.cache,
            Written {
                object: written_key.map(|id| (CacheKey::object(R::PATH, id), answer)),
                related: &related,
                resources: if unknown_parents {
                    coherence::parents(R::PATH)
                } else {
                    &[]
                },
            },
        );
        let (mut saved, _) = outcome?;
        saved.mark_clean();
        *object = saved;
        Ok(())
    }

    /// Sends a `POST` or `PUT` and decodes the object the server answered with.
    async fn write_answer<R: Resource>(
        &self,
        method: Method,
        id: Option<&Id>,
        body: Vec<u8>,
    ) -> Result<(R, Bytes)> {
        let sent = self
            .send(method, R::PATH, id, Some(Bytes::from(body)))
            .await?;
        let status = sent.status;
        let json = self.single(&sent, R::PATH, id)?;
        let saved: R = self.decode_object(status, &json)?;
        if saved.wire_id().is_none() {
            return Err(self.inner.wire.malformed(
                status,
                "the saved object with its id",
                &json,
                None,
            ));
        }
        // An update answered with another object must not turn the caller's object into it.
        if let Some(asked) = id.filter(|asked| saved.wire_id() != Some(asked)) {
            return Err(self.inner.wire.malformed(
                status,
                &format!("the saved {} {asked}", R::PATH),
                &json,
                Some(format!(
                    "the answer holds {} {:?}",
                    R::PATH,
                    saved.wire_id()
                )),
            ));
        }
        Ok((saved, json))
    }

    /// Deletes an object; its key becomes `None`.
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete<R: Resource>(&self, object: &mut R) -> Result<()> {
        let id = object.wire_id().cloned().ok_or_else(|| {
            ValidationError::new(R::PATH, "id", "", "the object is not saved (it has no key)")
        })?;
        let mut related = object.related();
        if let Ok(before) = serde_json::from_value::<R>(object.originals()) {
            related.extend(before.related());
        }
        self.delete_id::<R>(&id, related).await?;
        object.set_wire_id(None);
        Ok(())
    }

    /// Deletes the object with `key`, without loading it first.
    ///
    /// The server also clears every reference to the deleted object (and deletes a note's or
    /// a task's comments), so the cached objects of the resources that may refer to it are
    /// forgotten, as after [`Session::delete`].
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete_key<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<()> {
        self.delete_id::<R>(key.into().id(), Vec::new()).await
    }

    async fn delete_id<R: Resource>(&self, id: &Id, mut related: Vec<CacheKey>) -> Result<()> {
        refuse_read_only::<R>()?;
        let key = CacheKey::object(R::PATH, id.clone());
        let known = !related.is_empty() | self.add_cached_related::<R>(id, &mut related);
        related.push(CacheKey::list(R::PATH));
        let mut resources = coherence::referrers(R::PATH).to_vec();
        if !known {
            // Which parents list it? Nobody here knows: forget them all.
            resources.extend(coherence::parents(R::PATH));
        }
        let ticket = self
            .inner
            .coherence
            .begin_write(&*self.inner.cache, std::slice::from_ref(&key));
        let outcome = self.send_delete::<R>(id).await;
        // Even a failed DELETE may have been applied: forget alike.
        self.inner.coherence.end_write(
            &ticket,
            &*self.inner.cache,
            Written {
                object: Some((key, None)),
                related: &related,
                resources: &resources,
            },
        );
        outcome
    }

    /// Adds the parents that the cached copy of object `id` lists; false when none is cached.
    fn add_cached_related<R: Resource>(&self, id: &Id, related: &mut Vec<CacheKey>) -> bool {
        let cached = self.inner.cache.get(&CacheKey::object(R::PATH, id.clone()));
        match cached.map(|json| serde_json::from_slice::<R>(&json)) {
            Some(Ok(object)) => {
                related.extend(object.related());
                true
            }
            _ => false,
        }
    }

    async fn send_delete<R: Resource>(&self, id: &Id) -> Result<()> {
        let sent = self.send(Method::DELETE, R::PATH, Some(id), None).await?;
        if sent.status.is_success() && sent.body.is_empty() {
            return Ok(());
        }
        match self.objects(&sent, R::PATH, Some(id)) {
            Ok(_) => Ok(()),
            // A retried DELETE whose first try went through finds nothing the second time.
            Err(Error::NotFound { .. }) if sent.retried => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Loads an object again from the server, bypassing the cache; pending changes are lost.
    ///
    /// ```
    /// # use clevertim_core::{transport_fn, Contact, Session};
    /// # use bytes::Bytes;
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
    /// # Ok::<(), clevertim_core::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn reload<R: Resource>(&self, object: &mut R) -> Result<()> {
        let id = object.wire_id().cloned().ok_or_else(|| {
            ValidationError::new(R::PATH, "id", "", "the object is not saved (it has no key)")
        })?;
        *object = if R::LIST_ONLY {
            self.inner.cache.remove(&CacheKey::list(R::PATH));
            self.pick_from_list(&Key::new(id)).await?
        } else {
            self.fetch_one(&Key::new(id)).await?
        };
        Ok(())
    }

    async fn fetch_one<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        let cache_key = CacheKey::object(R::PATH, key.id().clone());
        let ticket = self.inner.coherence.read();
        let fetched = self.fetch_answer(key).await;
        match fetched {
            Ok((object, json)) => {
                self.inner
                    .coherence
                    .admit(&ticket, &*self.inner.cache, cache_key, json);
                Ok(object)
            }
            Err(e) => {
                if matches!(e, Error::NotFound { .. }) {
                    // The server says it is gone: so is the cached copy (evicting is always
                    // safe, whatever overlaps it).
                    self.inner.cache.remove(&cache_key);
                }
                Err(e)
            }
        }
    }

    async fn fetch_answer<R: Resource>(&self, key: &Key<R>) -> Result<(R, Bytes)> {
        let sent = self
            .send(Method::GET, R::PATH, Some(key.id()), None)
            .await?;
        let json = self.single(&sent, R::PATH, Some(key.id()))?;
        let object: R = self.decode_object(sent.status, &json)?;
        // The API may answer with another object than the one asked for: that is a miss.
        if object.wire_id() != Some(key.id()) {
            return Err(not_found::<R>(key.id()));
        }
        Ok((object, json))
    }

    async fn pick_from_list<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        let list_key = CacheKey::list(R::PATH);
        let was_cached = self.inner.cache.get(&list_key).is_some();
        let pick = |list: Vec<R>| list.into_iter().find(|o| o.wire_id() == Some(key.id()));
        if let Some(found) = pick(self.all::<R>().await?) {
            return Ok(found);
        }
        if was_cached {
            // Made since the list was cached? Ask the server once more.
            self.inner.cache.remove(&list_key);
            if let Some(found) = pick(self.all::<R>().await?) {
                return Ok(found);
            }
        }
        Err(not_found::<R>(key.id()))
    }

    /// The objects of an answer, or the error it carries (with the server's `Retry-After`).
    fn objects(&self, sent: &Sent, resource: &'static str, id: Option<&Id>) -> Result<Vec<Bytes>> {
        self.inner
            .wire
            .decode(sent.status, &sent.body, resource, id)
            .map_err(|e| match e {
                Error::Api {
                    status,
                    message,
                    retry_after: None,
                } => Error::Api {
                    status,
                    message,
                    retry_after: sent.retry_after,
                },
                other => other,
            })
    }

    /// The one object of an answer that must carry exactly one.
    fn single(&self, sent: &Sent, resource: &'static str, id: Option<&Id>) -> Result<Bytes> {
        let mut objects = self.objects(sent, resource, id)?;
        match objects.len() {
            1 => Ok(objects.remove(0)),
            0 if id.is_some() => Err(Error::NotFound {
                resource,
                key: id.map(Id::to_string).unwrap_or_default(),
            }),
            n => Err(self.inner.wire.malformed(
                sent.status,
                &format!("one {resource} object"),
                &sent.body,
                Some(format!("content holds {n} objects")),
            )),
        }
    }

    /// A list as the cache holds it (a list-only resource's whole answer).
    fn decode_cached_list<R: Resource>(&self, body: &Bytes) -> Result<Vec<R>> {
        self.inner
            .wire
            .decode(StatusCode::OK, body, R::PATH, None)?
            .iter()
            .map(|json| self.decode_object(StatusCode::OK, json))
            .collect()
    }

    fn decode_object<R: Resource>(&self, status: StatusCode, json: &[u8]) -> Result<R> {
        serde_json::from_slice(json).map_err(|e| {
            self.inner.wire.malformed(
                status,
                &format!("a {} object", R::PATH),
                json,
                Some(e.to_string()),
            )
        })
    }
}

/// Refuses writes to the resources the API only reads (users, groups), before any request.
fn refuse_read_only<R: Resource>() -> Result<()> {
    if R::WRITABLE {
        Ok(())
    } else {
        Err(Error::Unsupported {
            message: format!("the API does not let clients write a {}", R::PATH),
        })
    }
}

/// The last answer to a request, whether it took more than one try, and how long the server
/// asked to wait before another (when the session did not wait that long).
struct Sent {
    status: StatusCode,
    body: Bytes,
    retried: bool,
    retry_after: Option<Duration>,
}

fn not_found<R: Resource>(id: &Id) -> Error {
    Error::NotFound {
        resource: R::PATH,
        key: id.to_string(),
    }
}

/// The body of a `POST` or `PUT`.
struct WriteBody<'a, R>(&'a R, WriteMode);

impl<R: WireFields> Serialize for WriteBody<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.0.write_fields(&mut map, self.1)?;
        map.end()
    }
}
