//! The cache bookkeeping of each request: which answers enter the cache, and which entries a
//! write makes stale. The rules for overlapping requests live in [`coherence`](super::coherence);
//! this file says what each kind of request hands to them.

use http::Method;

use super::checks::refuse_read_only;
use super::coherence::{self, Written};
use super::Session;
use crate::cache::CacheKey;
use crate::error::{Error, Result};
use crate::key::{Id, Key};
use crate::model::codec::WriteMode;
use crate::model::Resource;
use crate::wire::not_found;

impl Session {
    /// `GET`s one object, bypassing the cache, and caches the answer.
    pub(super) async fn fetch_one<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        let cache_key = CacheKey::object(R::PATH, key.id().clone());
        let ticket = self.inner.coherence.read();
        match self.fetch_answer(key).await {
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

    /// `GET`s a resource's whole list, bypassing the cache, and caches every object in it (and
    /// the list itself, for a list-only resource).
    pub(super) async fn fetch_list<R: Resource>(&self) -> Result<Vec<R>> {
        let protocol = &self.inner.protocol;
        let ticket = self.inner.coherence.read();
        let answer = self.send(Method::GET, R::PATH, None, None).await?;
        let objects = protocol.objects(&answer, R::PATH, None)?;
        let mut list = Vec::with_capacity(objects.len());
        for json in objects {
            let object: R = protocol.object(answer.status, &json)?;
            if let Some(id) = object.wire_id() {
                let key = CacheKey::object(R::PATH, id.clone());
                self.inner
                    .coherence
                    .admit(&ticket, &*self.inner.cache, key, json);
            }
            list.push(object);
        }
        if R::LIST_ONLY {
            let list_key = CacheKey::list(R::PATH);
            self.inner
                .coherence
                .admit(&ticket, &*self.inner.cache, list_key, answer.body);
        }
        Ok(list)
    }

    /// One object of a list-only resource, from its (cached) list.
    pub(super) async fn pick_from_list<R: Resource>(&self, key: &Key<R>) -> Result<R> {
        self.judge_list(|list: Vec<R>| {
            list.into_iter()
                .find(|o| o.wire_id() == Some(key.id()))
                .ok_or_else(|| not_found::<R>(key.id()))
        })
        .await
    }

    /// Judges the list of `R`, from the cache when it is there. A list the judge refuses may
    /// only be stale (an object or a definition made since it was cached): when it came from
    /// the cache, the server is asked once more and its answer judged instead.
    pub(super) async fn judge_list<R: Resource, T>(
        &self,
        judge: impl Fn(Vec<R>) -> Result<T>,
    ) -> Result<T> {
        let list_key = CacheKey::list(R::PATH);
        let was_cached = self.inner.cache.get(&list_key).is_some();
        match judge(self.all::<R>().await?) {
            Err(_) if was_cached => {
                self.inner.cache.remove(&list_key);
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
        if !has_parents::<R>() {
            // Nothing lists this resource: the parents are known, there are none (and
            // decoding the cached copy to find none would cost as much as a load).
            return true;
        }
        let cached = self.inner.cache.get(&CacheKey::object(R::PATH, id.clone()));
        match cached.map(|json| serde_json::from_slice::<R>(&json)) {
            Some(Ok(object)) => {
                related.extend(object.related());
                true
            }
            _ => false,
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
