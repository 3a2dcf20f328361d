//! Loading many objects at once, and the objects that many parents refer to, at the cost of
//! one list fetch rather than one `GET` per object.
//!
//! The API has no filters and no batch `GET`: its only way to send many objects in one answer
//! is the whole list of a resource (`GET /task`). So when enough of the wanted objects are not
//! cached yet ([`SessionBuilder::list_threshold`](super::SessionBuilder::list_threshold)), one
//! list fetch replaces the single loads, and caches every object it brings.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use futures_util::{StreamExt as _, TryStreamExt as _};

use super::Session;
use crate::cache::CacheKey;
use crate::error::Result;
use crate::key::{Id, IntoKey, Key};
use crate::model::Resource;
use crate::wire::not_found;

/// The keys a parent refers to: implemented for getters (`Contact::tasks`, `Contact::company`)
/// and closures that return keys, an `Option` of a key, or a slice or `Vec` of them.
///
/// It is what [`Session::load_for`] takes; you rarely call it yourself.
///
/// ```
/// use clevertim::{Case, Contact, Key, KeysOf, Task};
///
/// let mut call = Task::new();
/// call.set_who(Key::<Contact>::new(4)).set_case(Key::<Case>::new(8));
/// // A getter …
/// let case: Vec<Key<Case>> = Task::case.keys_of(&call);
/// assert_eq!(case, [Key::new(8)]);
/// // … or a closure, e.g. to load the contact behind a customer key.
/// let who = |task: &Task| task.who().map(|who| who.cast::<Contact>());
/// let people: Vec<Key<Contact>> = who.keys_of(&call);
/// assert_eq!(people, [Key::new(4)]);
/// ```
pub trait KeysOf<'a, P: 'a, R> {
    /// The keys `parent` refers to.
    ///
    /// ```
    /// use clevertim::{Contact, Key, KeysOf, Task};
    /// let jane: Contact = serde_json::from_str(r#"{"id":4,"tasks":[5,6]}"#)?;
    /// let tasks: Vec<Key<Task>> = Contact::tasks.keys_of(&jane);
    /// assert_eq!(tasks, [Key::new(5), Key::new(6)]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    fn keys_of(&self, parent: &'a P) -> Vec<Key<R>>;
}

impl<'a, P: 'a, R, F, I> KeysOf<'a, P, R> for F
where
    F: Fn(&'a P) -> I,
    I: IntoIterator,
    I::Item: Into<Key<R>>,
{
    fn keys_of(&self, parent: &'a P) -> Vec<Key<R>> {
        self(parent).into_iter().map(Into::into).collect()
    }
}

/// Single misses per resource, for [`SessionBuilder::list_after_misses`](super::SessionBuilder::list_after_misses).
#[derive(Debug, Default)]
pub(crate) struct Misses(Mutex<HashMap<&'static str, usize>>);

impl Misses {
    /// Counts a miss of `resource`; true when it is the `limit`th (and the count starts again).
    pub(crate) fn count(&self, resource: &'static str, limit: usize) -> bool {
        let mut misses = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = misses.entry(resource).or_insert(0);
        *count += 1;
        if *count >= limit {
            *count = 0;
            true
        } else {
            false
        }
    }
}

impl Session {
    /// Loads many objects, keeping their order (a key given twice is loaded once).
    ///
    /// Cached objects come from the cache. When at least
    /// [`list_threshold`](super::SessionBuilder::list_threshold) of the others are missing
    /// (default [`DEFAULT_LIST_THRESHOLD`](super::DEFAULT_LIST_THRESHOLD)), one fetch of the
    /// resource's whole list serves them all and caches every object it holds; otherwise they
    /// are fetched one by one, concurrently, at most
    /// [`max_in_flight`](super::SessionBuilder::max_in_flight) at a time.
    ///
    /// # Errors
    ///
    /// The first error of any load ([`Error::NotFound`](crate::Error::NotFound) for a key the
    /// server does not know).
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let transport = transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let id = r.uri().path().rsplit('/').next().unwrap_or_default().to_owned();
    /// #     let body = format!(r#"{{"status":"OK","content":[{{"id":{id}}}]}}"#);
    /// #     Ok(http::Response::new(Bytes::from(body)))
    /// # });
    /// # let session = Session::builder("KEY").transport(transport).build()?;
    /// let three: Vec<Contact> = session.load_many([3, 1, 2]).await?;
    /// assert_eq!(three[0].key(), Some(3.into()));
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn load_many<R, K>(&self, keys: impl IntoIterator<Item = K>) -> Result<Vec<R>>
    where
        R: Resource,
        K: IntoKey<R>,
    {
        let keys: Vec<Key<R>> = keys.into_iter().map(IntoKey::into_key).collect();
        let mut unique: Vec<Key<R>> = Vec::with_capacity(keys.len());
        // Each key's place in `unique`.
        let mut place: HashMap<&Id, usize> = HashMap::with_capacity(keys.len());
        for key in &keys {
            place.entry(key.id()).or_insert_with(|| {
                unique.push(key.clone());
                unique.len() - 1
            });
        }
        let mut missing = 0;
        for k in &unique {
            let key = CacheKey::object(R::PATH, k.id().clone());
            missing += usize::from(self.inner.store.get(&key).await.is_none());
        }
        // One object per unique key, in their order.
        let loaded: Vec<R> = if R::LIST_ONLY || missing >= self.inner.list_threshold {
            self.pick_all(&unique).await?
        } else {
            futures_util::stream::iter(unique.clone())
                .map(|key| self.load(key))
                .buffered(self.inner.max_in_flight)
                .try_collect()
                .await?
        };
        if let Some(key) = unique
            .iter()
            .zip(&loaded)
            .find_map(|(key, object)| (object.wire_id() != Some(key.id())).then_some(key))
        {
            return Err(not_found::<R>(key.id()));
        }
        if unique.len() == keys.len() {
            return Ok(loaded);
        }
        // A key given more than once: its object is cloned for all but its last place.
        let mut uses = vec![0usize; unique.len()];
        for key in &keys {
            uses[place[key.id()]] += 1;
        }
        let mut objects: Vec<Option<R>> = loaded.into_iter().map(Some).collect();
        keys.iter()
            .map(|key| {
                let at = place[key.id()];
                uses[at] -= 1;
                let object = if uses[at] == 0 {
                    objects[at].take()
                } else {
                    objects[at].clone()
                };
                object.ok_or_else(|| not_found::<R>(key.id()))
            })
            .collect()
    }

    /// Loads the objects that each of `parents` refers to, with as few requests as
    /// [`load_many`](Self::load_many) needs for all their keys together: one list per call
    /// beyond the threshold, never one `GET` per object, never the same object twice.
    ///
    /// Pass a getter (`Contact::tasks`, `Contact::company`, `Note::comments`) or a closure that
    /// returns keys; the answer holds one `Vec` per parent, in order.
    ///
    /// # Errors
    ///
    /// As [`load_many`](Self::load_many): the first load that fails.
    ///
    /// ```
    /// # use clevertim::{transport_fn, Company, Contact, Session, Task};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let transport = transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match r.uri().path() {
    /// #         "/api/contact" => r#"[{"id":1,"companyId":9,"tasks":[5,6]},{"id":2,"tasks":[6]}]"#,
    /// #         "/api/company/9" => r#"[{"id":9,"cn":"Acme"}]"#,
    /// #         "/api/task/5" => r#"[{"id":5,"name":"Call"}]"#,
    /// #         _ => r#"[{"id":6,"name":"Mail"}]"#,
    /// #     };
    /// #     let body = format!(r#"{{"status":"OK","content":{body}}}"#);
    /// #     Ok(http::Response::new(Bytes::from(body)))
    /// # });
    /// # let session = Session::builder("KEY").transport(transport).build()?;
    /// let contacts: Vec<Contact> = session.all().await?;
    /// let companies: Vec<Vec<Company>> = session.load_for(&contacts, Contact::company).await?;
    /// let tasks: Vec<Vec<Task>> = session.load_for(&contacts, Contact::tasks).await?;
    /// assert_eq!(companies[0][0].name(), Some("Acme"));
    /// assert!(companies[1].is_empty());
    /// assert_eq!(tasks[0].len(), 2);
    /// assert_eq!(tasks[1][0].name(), Some("Mail")); // task 6, loaded once for both
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub fn load_for<P, R, F>(
        &self,
        parents: &[P],
        keys: F,
    ) -> impl Future<Output = Result<Vec<Vec<R>>>> + Send + '_
    where
        R: Resource,
        F: for<'a> KeysOf<'a, P, R>,
    {
        // The keys are read now, so the future holds neither the parents nor the getter.
        let per_parent: Vec<Vec<Key<R>>> = parents.iter().map(|p| keys.keys_of(p)).collect();
        async move {
            let loaded: Vec<R> = self.load_many(per_parent.iter().flatten()).await?;
            let mut loaded = loaded.into_iter();
            Ok(per_parent
                .iter()
                .map(|keys| loaded.by_ref().take(keys.len()).collect())
                .collect())
        }
    }

    /// The objects of `keys` out of one fetch of the resource's whole list; those the list
    /// lacks are loaded one by one (the server says whether they exist).
    pub(super) async fn pick_all<R: Resource>(&self, keys: &[Key<R>]) -> Result<Vec<R>> {
        let all = self.all::<R>().await?;
        let by_id: HashMap<&Id, &R> = all
            .iter()
            .filter_map(|o| o.wire_id().map(|id| (id, o)))
            .collect();
        let mut found = Vec::with_capacity(keys.len());
        for key in keys {
            match by_id.get(key.id()) {
                Some(object) => found.push((*object).clone()),
                None if R::LIST_ONLY => return Err(not_found::<R>(key.id())),
                None => found.push(self.fetch_one(key).await?),
            }
        }
        Ok(found)
    }
}
