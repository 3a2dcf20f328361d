//! The `Session`: loads, saves and deletes objects through a transport and a cache.

mod api_key;
mod builder;
mod lazy;
mod retry;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _};
use http::{Method, StatusCode};
use serde::ser::{Serialize, SerializeMap, Serializer};

pub use api_key::ApiKey;
pub use builder::{SessionBuilder, DEFAULT_ENDPOINT, DEFAULT_MAX_IN_FLIGHT};
pub use lazy::Lazy;
pub use retry::{RetryPolicy, Sleeper, TimerSleeper};

use crate::cache::{Cache, CacheKey};
use crate::error::{Error, Result, ValidationError};
use crate::key::{Id, Key};
use crate::model::slot::{WireFields, WriteMode};
use crate::model::{Company, Contact, CustomField, Customer, Resource};
use crate::transport::Transport;
use crate::wire::Wire;

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
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.inner.wire.endpoint())
            .field("api_key", &"[redacted]")
            .field("transport", &self.inner.transport)
            .field("cache", &self.inner.cache)
            .field("retry", &self.inner.retry)
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
        self.fetch_one(&key).await
    }

    /// A handle that loads the object on its first access, not before.
    pub fn lazy<R: Resource>(&self, key: impl Into<Key<R>>) -> Lazy<R> {
        Lazy::new(self.clone(), key.into())
    }

    /// Every object of a resource the user may see (one GET; users, groups and custom fields
    /// come from the cache once fetched).
    pub async fn all<R: Resource>(&self) -> Result<Vec<R>> {
        let list_key = CacheKey::list(R::PATH);
        if R::LIST_ONLY {
            if let Some(body) = self.inner.cache.get(&list_key) {
                if let Ok(list) = self.decode_list::<R>(StatusCode::OK, &body, None) {
                    return Ok(list);
                }
            }
        }
        let sent = self.send(Method::GET, R::PATH, None, None).await?;
        let list = self.decode_list::<R>(sent.status, &sent.body, None)?;
        if R::LIST_ONLY {
            self.inner.cache.insert(list_key, sent.body);
        }
        Ok(list)
    }

    /// Loads many objects, keeping their order: cached ones come from the cache, the rest are
    /// fetched concurrently, at most [`SessionBuilder::max_in_flight`] at a time.
    pub async fn load_many<R, K>(&self, keys: impl IntoIterator<Item = K>) -> Result<Vec<R>>
    where
        R: Resource,
        K: Into<Key<R>>,
    {
        let keys: Vec<Key<R>> = keys.into_iter().map(Into::into).collect();
        if R::LIST_ONLY {
            // One list fetch serves every key.
            let all = self.all::<R>().await?;
            return keys
                .iter()
                .map(|key| {
                    all.iter()
                        .find(|o| o.wire_id() == Some(key.id()))
                        .cloned()
                        .ok_or_else(|| not_found::<R>(key.id()))
                })
                .collect();
        }
        futures_util::stream::iter(keys)
            .map(|key| self.load(key))
            .buffered(self.inner.max_in_flight)
            .try_collect()
            .await
    }

    /// Loads the customer a `cust` field points to: a contact, else a company (they share one
    /// id space, and the id alone does not say which).
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
        if mode == WriteMode::Update && !object.has_pending_changes() {
            tracing::debug!(resource = R::PATH, key = ?id, "nothing changed: no request");
            return Ok(());
        }
        let body = serde_json::to_vec(&WriteBody(&*object, mode))
            .map_err(|e| Error::Config(format!("cannot encode the {}: {e}", R::PATH)))?;
        let method = match mode {
            WriteMode::Create => Method::POST,
            WriteMode::Update => Method::PUT,
        };
        let sent = self
            .send(method, R::PATH, id.as_ref(), Some(Bytes::from(body)))
            .await?;
        let status = sent.status;
        let json = self
            .single(status, &sent.body, R::PATH, id.as_ref())
            .inspect_err(|e| self.forget_if_gone::<R>(e, id.as_ref()))?;
        let mut saved: R = self.decode_object(status, &json)?;
        if saved.wire_id().is_none() {
            return Err(self.inner.wire.malformed(
                status,
                "the saved object with its id",
                &json,
                None,
            ));
        }
        saved.mark_clean();
        // Parents list their children: forget the old and the new ones, to be loaded afresh
        // (the old ones of a changed reference are in the fields as they were before).
        if let Ok(before) = serde_json::from_value::<R>(object.originals()) {
            self.forget_related(before.related());
        }
        self.forget_related(object.related());
        self.forget_related(saved.related());
        self.remember::<R>(&saved, json);
        *object = saved;
        Ok(())
    }

    /// Deletes an object; its key becomes `None`.
    pub async fn delete<R: Resource>(&self, object: &mut R) -> Result<()> {
        let id = object.wire_id().cloned().ok_or_else(|| {
            ValidationError::new(R::PATH, "id", "", "the object is not saved (it has no key)")
        })?;
        self.delete_key::<R>(Key::new(id)).await?;
        self.forget_related(object.related());
        object.set_wire_id(None);
        Ok(())
    }

    /// Deletes the object with `key`. (Unlike [`Session::delete`], it cannot tell which cached
    /// parents list the object; they keep listing it until they are reloaded.)
    pub async fn delete_key<R: Resource>(&self, key: impl Into<Key<R>>) -> Result<()> {
        refuse_read_only::<R>()?;
        let key = key.into();
        let sent = self
            .send(Method::DELETE, R::PATH, Some(key.id()), None)
            .await?;
        let outcome = if sent.status.is_success() && sent.body.is_empty() {
            Ok(())
        } else {
            self.inner
                .wire
                .decode(sent.status, &sent.body, R::PATH, Some(key.id()))
                .map(drop)
        };
        match outcome {
            Ok(()) => {}
            // A retried DELETE whose first try went through finds nothing the second time.
            Err(Error::NotFound { .. }) if sent.retried => {}
            Err(e) => {
                self.forget_if_gone::<R>(&e, Some(key.id()));
                return Err(e);
            }
        }
        self.inner
            .cache
            .remove(&CacheKey::object(R::PATH, key.id().clone()));
        self.inner.cache.remove(&CacheKey::list(R::PATH));
        Ok(())
    }

    /// Loads an object again from the server, bypassing the cache; pending changes are lost.
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
        let sent = self
            .send(Method::GET, R::PATH, Some(key.id()), None)
            .await?;
        let json = self
            .single(sent.status, &sent.body, R::PATH, Some(key.id()))
            .inspect_err(|e| self.forget_if_gone::<R>(e, Some(key.id())))?;
        let object: R = self.decode_object(sent.status, &json)?;
        // The API may answer with another object than the one asked for: that is a miss.
        if object.wire_id() != Some(key.id()) {
            self.forget_if_gone::<R>(&not_found::<R>(key.id()), Some(key.id()));
            return Err(not_found::<R>(key.id()));
        }
        self.remember::<R>(&object, json);
        Ok(object)
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

    /// Forgets a cached object the server says is gone.
    fn forget_if_gone<R: Resource>(&self, error: &Error, id: Option<&Id>) {
        if let (Error::NotFound { .. }, Some(id)) = (error, id) {
            self.inner
                .cache
                .remove(&CacheKey::object(R::PATH, id.clone()));
        }
    }

    /// Forgets cached objects whose derived lists a write may have changed.
    fn forget_related(&self, keys: Vec<CacheKey>) {
        for key in keys {
            self.inner.cache.remove(&key);
        }
    }

    /// Sends one request, retried as the [`RetryPolicy`] allows, and returns the status and
    /// body of the last answer; a transport failure that is not retried becomes the error.
    async fn send(
        &self,
        method: Method,
        path: &'static str,
        id: Option<&Id>,
        body: Option<Bytes>,
    ) -> Result<Sent> {
        let mut delays = self.inner.retry.delays();
        let mut retried = false;
        loop {
            let request = self
                .inner
                .wire
                .request(method.clone(), path, id, body.clone())?;
            let outcome = self.inner.transport.send(request).await;
            let retryable = match &outcome {
                Ok(response) => retry::retry_status(&method, response.status()),
                Err(error) => retry::retry_transport(&method, error),
            };
            if retryable {
                if let Some(delay) = delays.next() {
                    let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
                    let error = outcome.as_ref().err().map(ToString::to_string);
                    tracing::debug!(%method, resource = path, key = ?id, ?status, ?error, ?delay, "retrying");
                    self.inner.sleeper.sleep(delay).await;
                    retried = true;
                    continue;
                }
            }
            let response = outcome.inspect_err(|e| {
                tracing::debug!(%method, resource = path, key = ?id, error = %e, "transport failure");
            })?;
            let status = response.status();
            tracing::debug!(%method, resource = path, key = ?id, status = status.as_u16(), "request");
            return Ok(Sent {
                status,
                body: response.into_body(),
                retried,
            });
        }
    }

    /// The one object of an answer that must carry exactly one.
    fn single(
        &self,
        status: StatusCode,
        body: &Bytes,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<Bytes> {
        let mut objects = self.inner.wire.decode(status, body, resource, id)?;
        match objects.len() {
            1 => Ok(objects.remove(0)),
            0 if id.is_some() => Err(Error::NotFound {
                resource,
                key: id.map(Id::to_string).unwrap_or_default(),
            }),
            n => Err(self.inner.wire.malformed(
                status,
                &format!("one {resource} object"),
                body,
                Some(format!("content holds {n} objects")),
            )),
        }
    }

    fn decode_list<R: Resource>(
        &self,
        status: StatusCode,
        body: &Bytes,
        id: Option<&Id>,
    ) -> Result<Vec<R>> {
        let objects = self.inner.wire.decode(status, body, R::PATH, id)?;
        let mut list = Vec::with_capacity(objects.len());
        for json in objects {
            let object: R = self.decode_object(status, &json)?;
            if let Some(id) = object.wire_id() {
                self.inner
                    .cache
                    .insert(CacheKey::object(R::PATH, id.clone()), json);
            }
            list.push(object);
        }
        Ok(list)
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

    /// Caches an object just loaded or saved.
    fn remember<R: Resource>(&self, object: &R, json: Bytes) {
        if let Some(id) = object.wire_id() {
            self.inner
                .cache
                .insert(CacheKey::object(R::PATH, id.clone()), json);
        }
        if R::LIST_ONLY {
            self.inner.cache.remove(&CacheKey::list(R::PATH));
        }
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

/// The last answer to a request, and whether it took more than one try.
struct Sent {
    status: StatusCode,
    body: Bytes,
    retried: bool,
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
