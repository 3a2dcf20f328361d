//! The session's reading methods: [`load`](Session::load), [`lazy`](Session::lazy),
//! [`all`](Session::all), [`customer`](Session::customer),
//! [`custom_field_named`](Session::custom_field_named) and [`reload`](Session::reload).

use http::StatusCode;

use super::checks::saved_id;
use super::{Lazy, Session, custom_fields};
use crate::cache::CacheKey;
use crate::error::{Error, Result};
use crate::key::{IntoKey, Key};
use crate::model::{Company, Contact, CustomField, Customer, Resource};
use crate::wire::not_found;

impl Session {
    /// Loads one object: from the cache when it is there, else with one GET.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the server has no such object (or the user may not see it);
    /// [`Error::Authentication`], [`Error::Permission`] or [`Error::Api`] when the server
    /// refuses; [`Error::Transport`] when no answer came (after the retries the
    /// [`RetryPolicy`](crate::RetryPolicy) allows); [`Error::MalformedResponse`] when the answer cannot be read.
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
    pub async fn load<R: Resource>(&self, key: impl IntoKey<R>) -> Result<R> {
        let key = key.into_key();
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
    pub fn lazy<R: Resource>(&self, key: impl IntoKey<R>) -> Lazy<R> {
        Lazy::new(self.clone(), key.into_key())
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
    pub async fn customer(&self, key: impl IntoKey<Customer>) -> Result<Customer> {
        let key: Key<Customer> = key.into_key();
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
                    // Neither a contact nor a company: the site is the last request's.
                    Error::NotFound { site, .. } => Error::NotFound {
                        resource: "customer",
                        key: key.to_string(),
                        site,
                    },
                    other => other,
                }),
            Err(other) => Err(other),
        }
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
