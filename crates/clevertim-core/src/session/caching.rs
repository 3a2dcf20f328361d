//! The cache bookkeeping of each request: which answers enter the cache, and which entries a
//! write makes stale. The rules for overlapping requests live in [`coherence`](super::coherence);
//! this file says what each kind of request hands to them.

use std::sync::Arc;

use http::{Method, StatusCode};

use super::Session;
use super::checks::refuse_read_only;
use super::coherence;
use crate::cache::CacheKey;
use crate::error::{Error, Result};
use crate::key::{Id, Key};
use crate::model::Resource;
use crate::model::codec::WriteMode;
use crate::store::{Entry, Written};
use crate::wire::not_found;

impl Session {
    /// `GET`s one object, bypassing the cache, and caches the answer.
    pub(super) async fn fetch_one<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        let cache_key = CacheKey::object(R::PATH, key.id().clone());
        let store = &self.inner.store;
        let ticket = store.read().await;
        match self.fetch_answer(key).await {
            Ok((object, json)) => {
                let entry = Entry::with_decoded(json, object.clone());
                store.admit(&ticket, vec![(cache_key, entry)]).await;
                Ok(object)
            }
            Err(e) => {
                if matches!(e, Error::NotFound { .. }) {
                    // The server says it is gone: so is the cached copy (evicting is always
                    // safe, whatever overlaps it).
                    store.forget(&cache_key).await;
                }
                Err(e)
            }
        }
    }

    /// `GET`s a resource's whole list, bypassing the cache, and caches every object in it (and
    /// the list itself, for a list-only resource).
    pub(super) async fn fetch_list<R: Resource>(&self) -> Result<Vec<R>> {
        let protocol = &self.inner.protocol;
        let store = &self.inner.store;
        let ticket = store.read().await;
        let (list, entries) = self
            .exchange(Method::GET, R::PATH, None, None, |answer| {
                let objects = protocol.objects(answer, R::PATH, None)?;
                let mut list = Vec::with_capacity(objects.len());
                let mut entries = Vec::with_capacity(objects.len() + 1);
                for json in objects {
                    let object: R = protocol.object(answer.status, &json)?;
                    if let Some(id) = object.wire_id() {
                        let key = CacheKey::object(R::PATH, id.clone());
                        entries.push((key, Entry::with_decoded(json, object.clone())));
                    }
                    list.push(object);
                }
                if R::LIST_ONLY {
                    // Kept decoded whole: a pick from the list then costs a lookup, not a
                    // decoding.
                    let decoded: Arc<Vec<R>> = Arc::new(list.clone());
                    entries.push((
                        CacheKey::list(R::PATH),
                        Entry::with_decoded(answer.body.clone(), decoded),
                    ));
                }
                Ok((list, entries))
            })
            .await?;
        store.admit(&ticket, entries).await;
        Ok(list)
    }

    /// The cached list of a list-only resource, decoded (once: the in-memory store keeps it
    /// decoded).
    pub(super) async fn cached_list<R: Resource>(&self) -> Option<Arc<Vec<R>>> {
        let entry = self.inner.store.get(&CacheKey::list(R::PATH)).await?;
        if let Some(list) = entry.decoded::<Arc<Vec<R>>>() {
            return Some(list.clone());
        }
        self.inner
            .protocol
            .cached_list::<R>(entry.json())
            .ok()
            .map(Arc::new)
    }

    /// One object of a list-only resource, from its (cached) list.
    pub(super) async fn pick_from_list<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        let find = |list: &[R]| list.iter().find(|o| o.wire_id() == Some(key.id())).cloned();
        if let Some(found) = self.cached_list::<R>().await.and_then(|list| find(&list)) {
            return Ok(found);
        }
        // Not cached, or not in the cached list (it may be new): ask the server.
        let list = self.fetch_list::<R>().await?;
        find(&list).ok_or_else(|| not_found::<R>(key.id()))
    }

    /// Judges the list of `R`, from the cache when it is there. A list the judge refuses may
    /// only be stale (an object or a definition made since it was cached): when it came from
    /// the cache, the server is asked once more and its answer judged instead.
    pub(super) async fn judge_list<R: Resource, T>(
        &self,
        judge: impl Fn(Vec<R>) -> Result<T>,
    ) -> Result<T> {
        let list_key = CacheKey::list(R::PATH);
        let cached = self.cached_list::<R>().await;
        let was_cached = cached.is_some();
        let list = match cached {
            Some(list) => list.as_ref().clone(),
            None => self.fetch_list::<R>().await?,
        };
        match judge(list) {
            Err(_) if was_cached => {
                self.inner.store.forget(&list_key).await;
                judge(self.all::<R>().await?)
            }
            verdict => verdict,
        }
    }

    /// Sends the checked `body` of a save of `object`, fencing what it may change, and makes
    /// `object` what the server stored.
    pub(super) async fn write_through_cache<R: Resource>(
        &self,
        object: &mut R,
        mode: WriteMode,
        body: Vec<u8>,
    ) -> Result<()> {
        let id = object.wire_id().cloned();
        let method = match mode {
            WriteMode::Create => Method::POST,
            WriteMode::Update => Method::PUT,
        };
        // Parents list their children: the old and the new ones may change.
        let mut related = related_before_and_after(object);
        if R::LIST_ONLY {
            related.push(CacheKey::list(R::PATH));
        }
        // An update of an object never loaded may move it away from parents nobody knows.
        let unknown_parents = match &id {
            Some(id) => !self.add_cached_related::<R>(id, &mut related).await,
            None => false,
        };
        let mut fenced = related.clone();
        fenced.extend(id.iter().map(|id| CacheKey::object(R::PATH, id.clone())));
        let ticket = self.inner.store.begin_write(&fenced).await;
        let outcome = self.write_answer::<R>(method, id.as_ref(), body).await;
        let written_key = match &outcome {
            Ok(saved) => saved.0.wire_id().cloned(),
            Err(_) => id.clone(),
        };
        if let Ok((saved, _)) = &outcome {
            related.extend(saved.related());
        }
        let answer = outcome.as_ref().ok().map(|(_, json)| json.clone());
        self.inner
            .store
            .end_write(
                &ticket,
                Written {
                    object: written_key.map(|id| (CacheKey::object(R::PATH, id), answer)),
                    related: &related,
                    resources: if unknown_parents {
                        coherence::parents(R::PATH)
                    } else {
                        &[]
                    },
                },
            )
            .await;
        let (mut saved, _) = outcome?;
        saved.mark_clean();
        *object = saved;
        Ok(())
    }

    /// Deletes object `id`, and forgets what the delete may change: the objects in `related`
    /// (the parents that list it, when known) and every cached object of the resources that
    /// may refer to it.
    pub(super) async fn delete_and_forget<R: Resource>(
        &self,
        id: &Id,
        mut related: Vec<CacheKey>,
    ) -> Result<()> {
        refuse_read_only::<R>()?;
        let key = CacheKey::object(R::PATH, id.clone());
        let known = !related.is_empty() | self.add_cached_related::<R>(id, &mut related).await;
        related.push(CacheKey::list(R::PATH));
        let mut resources = coherence::referrers(R::PATH).to_vec();
        if !known {
            // Which parents list it? Nobody here knows: forget them all.
            resources.extend(coherence::parents(R::PATH));
        }
        let ticket = self
            .inner
            .store
            .begin_write(std::slice::from_ref(&key))
            .await;
        let outcome = self.send_delete::<R>(id).await;
        // Even a failed DELETE may have been applied: forget alike.
        self.inner
            .store
            .end_write(
                &ticket,
                Written {
                    object: Some((key, None)),
                    related: &related,
                    resources: &resources,
                },
            )
            .await;
        outcome
    }

    /// Adds the parents that the cached copy of object `id` lists; false when none is cached.
    async fn add_cached_related<R: Resource>(&self, id: &Id, related: &mut Vec<CacheKey>) -> bool {
        if !has_parents::<R>() {
            // Nothing lists this resource: the parents are known, there are none (and
            // decoding the cached copy to find none would cost as much as a load).
            return true;
        }
        let key = CacheKey::object(R::PATH, id.clone());
        let Some(entry) = self.inner.store.get(&key).await else {
            return false;
        };
        if let Some(object) = entry.decoded::<R>() {
            related.extend(object.related());
            return true;
        }
        match self
            .inner
            .protocol
            .object::<R>(StatusCode::OK, entry.json())
        {
            Ok(object) => {
                related.extend(object.related());
                true
            }
            Err(_) => false,
        }
    }
}

/// The cached objects that list `object` now or listed it before its pending changes (the old
/// parents of a changed reference are in the fields as they were).
pub(super) fn related_before_and_after<R: Resource>(object: &R) -> Vec<CacheKey> {
    let mut related = object.related();
    if !has_parents::<R>() {
        return related;
    }
    if let Ok(before) = serde_json::from_value::<R>(object.originals()) {
        related.extend(before.related());
    }
    related
}

/// Whether objects of other resources list objects of `R` (a task's customer lists it, a
/// contact is listed by nothing). Every key [`Resource::related`] names is of one of those
/// resources (`tests::related_keys_name_parents`), so without them it names none.
fn has_parents<R: Resource>() -> bool {
    !coherence::parents(R::PATH).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Case, Comment, Company, Contact, CustomField, Fields, File, Folder, Group, LinkedFile,
        Note, Opportunity, Task, User,
    };

    /// The parents `R`'s objects name, with each field in turn set to a key (`7`), then to
    /// a list of keys (`[7]`), where the field takes that shape.
    fn named_parents<R: Resource + Fields>() -> Vec<CacheKey> {
        let values = [serde_json::json!(7), serde_json::json!([7])];
        R::FIELDS
            .iter()
            .flat_map(|field| values.iter().map(move |value| (field.wire, value)))
            .filter_map(|(wire, value)| {
                serde_json::from_value::<R>(serde_json::json!({ wire: value })).ok()
            })
            .flat_map(|object| object.related())
            .collect()
    }

    fn assert_names_only_parents<R: Resource + Fields>() {
        for key in named_parents::<R>() {
            assert!(
                coherence::parents(R::PATH).contains(&key.resource),
                "a {} names {key:?}, of a resource `parents` does not list",
                R::PATH
            );
        }
    }

    #[test]
    fn related_keys_name_parents() {
        assert_names_only_parents::<Contact>();
        assert_names_only_parents::<Company>();
        assert_names_only_parents::<Case>();
        assert_names_only_parents::<Opportunity>();
        assert_names_only_parents::<Task>();
        assert_names_only_parents::<Note>();
        assert_names_only_parents::<Comment>();
        assert_names_only_parents::<CustomField>();
        assert_names_only_parents::<User>();
        assert_names_only_parents::<Group>();
        assert_names_only_parents::<Folder>();
        assert_names_only_parents::<File>();
        assert_names_only_parents::<LinkedFile>();
        // The objects above do name parents, so the checks had something to check.
        assert_eq!(
            named_parents::<Task>().len(),
            4,
            "{:?}",
            named_parents::<Task>()
        );
        assert!(!named_parents::<Comment>().is_empty());
    }
}
