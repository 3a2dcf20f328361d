//! Which answers may enter the cache: the cache never serves what the server no longer holds
//! once the last write has returned, however many tasks share the session.
//!
//! # The problem
//!
//! Requests overlap. A `GET` that started before a concurrent `PUT` may come back after it,
//! carrying the object as it was; a `PUT` may come back after a concurrent `DELETE` of the
//! same object. Caching such an answer would serve, forever, an object the server no longer
//! holds.
//!
//! # The design: tickets and fences
//!
//! A logical clock numbers every request as it starts: its **ticket**. Each write also leaves
//! **fences**: for every cache entry the write may change, the number of the latest write that
//! touched it. An answer enters the cache only if no fence on its entry is newer than its own
//! ticket, that is, only if no write of the same object started after its request did:
//!
//! - a read (`Coherence::read`) takes a ticket before it sends; its answer is
//!   admitted only if no write touched the entry since;
//! - a write (`Coherence::begin_write`) takes a ticket, fences the entries it will change and
//!   evicts them before it sends (so nothing stale is served while it is in flight); when it
//!   returns (`Coherence::end_write`), its own answer enters the cache only if no other write
//!   of the object started after it (a save's answer wins over an older load's; of two
//!   overlapping writes of one object, whose order on the server nobody knows, neither is
//!   kept), and every entry it may have changed is fenced again, so that no answer to a request
//!   sent before it returned can enter afterwards (a delete wins over any in-flight answer);
//! - a write that failed after sending may still have been applied: it evicts and fences the
//!   same entries as one that succeeded.
//!
//! A fence may cover a whole resource: a delete changes objects the client cannot name (the
//! server clears every reference to the deleted object and deletes a note's comments), so it
//! evicts every cached object of the resources that may refer to it
//! ([`Cache::remove_resource`](crate::Cache::remove_resource)) and fences them all.
//!
//! The check and the insertion happen under one lock, so no write can slip between them.
//! Fences older than every request in flight can no longer refuse anything and are dropped:
//! memory stays proportional to the writes overlapping the requests in flight.
//!
//! This is the protocol of the in-process [`LocalStore`](crate::LocalStore): the
//! [`Store`](crate::Store) port names its steps, so that a store outside the process (Redis)
//! can keep them with its own clock and fences (`clevertim-redis` does, in server-side
//! scripts). A plain [`Cache`](crate::Cache) of your own gets all of this for free through
//! the local store.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::cache::CacheKey;
use crate::model::{
    Case, Comment, Company, Contact, CustomField, File, Folder, Group, LinkedFile, Note,
    Opportunity, Resource, Task, User,
};
use crate::store::local::Local;
use crate::store::{Entry, Ticket, Written};

/// A map keyed by what the session itself made (no outside key to guard against: a fast
/// hash, not SipHash, which cost more than the rest of the bookkeeping).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Past this many fences, those older than every request in flight are dropped.
const PRUNE_ABOVE: usize = 1024;

/// The clock, the fences and the tickets in flight of one [`LocalStore`](crate::LocalStore).
#[derive(Debug, Default)]
pub(crate) struct Coherence {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    clock: u64,
    /// The latest write (by ticket or end time) that touched each entry.
    fences: FastMap<CacheKey, u64>,
    /// The latest write that may have touched any object of a resource.
    resource_fences: FastMap<&'static str, u64>,
    /// The tickets of the requests in flight, with their counts.
    in_flight: BTreeMap<u64, usize>,
}

impl State {
    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// The newest fence on `key`, 0 when there is none.
    fn fence(&self, key: &CacheKey) -> u64 {
        let own = self.fences.get(key).copied().unwrap_or(0);
        let resource = self.resource_fences.get(key.resource).copied().unwrap_or(0);
        own.max(resource)
    }

    fn fence_key(&mut self, key: &CacheKey, at: u64, local: &Local) {
        self.fences.insert(key.clone(), at);
        local.cache().remove(key);
    }

    /// Drops the fences that no request in flight can be older than.
    fn prune(&mut self) {
        match self.in_flight.keys().next().copied() {
            None => {
                self.fences.clear();
                self.resource_fences.clear();
            }
            Some(oldest) if self.fences.len() > PRUNE_ABOVE => {
                self.fences.retain(|_, at| *at >= oldest);
                self.resource_fences.retain(|_, at| *at >= oldest);
            }
            Some(_) => {}
        }
    }

    /// Marks the request of ticket `number` ended.
    fn release(&mut self, number: u64) {
        if let Some(count) = self.in_flight.get_mut(&number) {
            *count -= 1;
            if *count == 0 {
                self.in_flight.remove(&number);
            }
        }
        self.prune();
    }
}

impl Coherence {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a cache panicked under the lock.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A ticket in flight: dropping it (however the request ended) lets older fences go.
    fn ticket(self: &Arc<Self>, state: &mut State) -> Ticket {
        let number = state.tick();
        *state.in_flight.entry(number).or_insert(0) += 1;
        let coherence: Weak<Coherence> = Arc::downgrade(self);
        Ticket::new(number, 0).on_release(move || {
            if let Some(coherence) = coherence.upgrade() {
                coherence.lock().release(number);
            }
        })
    }

    /// A ticket for a read about to be sent.
    pub(crate) fn read(self: &Arc<Self>) -> Ticket {
        let mut state = self.lock();
        self.ticket(&mut state)
    }

    /// Caches `entries` as the answer of the request of `ticket`, each unless a write touched
    /// its key after that request started.
    pub(crate) fn admit(&self, ticket: &Ticket, local: &Local, entries: Vec<(CacheKey, Entry)>) {
        let state = self.lock();
        for (key, entry) in entries {
            if state.fence(&key) <= ticket.number() {
                local.insert(key, entry);
            }
        }
    }

    /// A ticket for a write about to be sent, which fences and evicts `keys` first.
    pub(crate) fn begin_write(self: &Arc<Self>, local: &Local, keys: &[CacheKey]) -> Ticket {
        let mut state = self.lock();
        let ticket = self.ticket(&mut state);
        for key in keys {
            state.fence_key(key, ticket.number(), local);
        }
        ticket
    }

    /// Records that the write of `ticket` returned (successfully or not): caches its answer if
    /// no other write of the object started since, then fences and evicts what it changed.
    pub(crate) fn end_write(&self, ticket: &Ticket, local: &Local, written: Written<'_>) {
        let mut state = self.lock();
        let now = state.tick();
        if let Some((key, answer)) = written.object {
            match answer {
                Some(json) if state.fence(&key) <= ticket.number() => {
                    state.fences.insert(key.clone(), now);
                    local.insert(key, Entry::new(json));
                }
                _ => state.fence_key(&key, now, local),
            }
        }
        for key in written.related {
            state.fence_key(key, now, local);
        }
        for &resource in written.resources {
            state.resource_fences.insert(resource, now);
            local.cache().remove_resource(resource);
        }
    }

    /// How many fences are kept (for tests of the pruning).
    #[cfg(test)]
    fn fence_count(&self) -> usize {
        let state = self.lock();
        state.fences.len() + state.resource_fences.len()
    }
}

/// The path of resource `R`, spelled once, in its own file.
const fn path<R: Resource>() -> &'static str {
    R::PATH
}

const CONTACT: &str = path::<Contact>();
const COMPANY: &str = path::<Company>();
const CASE: &str = path::<Case>();
const OPPORTUNITY: &str = path::<Opportunity>();
const TASK: &str = path::<Task>();
const NOTE: &str = path::<Note>();
const COMMENT: &str = path::<Comment>();
const FOLDER: &str = path::<Folder>();
const FILE: &str = path::<File>();
const LINKED_FILE: &str = path::<LinkedFile>();

/// Every resource.
const EVERYTHING: &[&str] = &[
    CONTACT,
    COMPANY,
    CASE,
    OPPORTUNITY,
    TASK,
    NOTE,
    COMMENT,
    path::<CustomField>(),
    path::<User>(),
    path::<Group>(),
    FOLDER,
    FILE,
    LINKED_FILE,
];
/// Objects with custom field values, which may point at customers, cases, opportunities.
const CF_OWNERS: &[&str] = &[CONTACT, COMPANY, CASE, OPPORTUNITY];
/// Objects that point at customers, cases and opportunities, by field or custom field.
const CUSTOMER_REFS: &[&str] = &[CONTACT, COMPANY, CASE, OPPORTUNITY, TASK, NOTE];
/// Objects listing attached files in a derived list.
const FILE_HOLDERS: &[&str] = &[CONTACT, COMPANY, CASE, OPPORTUNITY, NOTE];

/// For each resource: the resources whose objects may hold a reference to one of its objects
/// (and so may change on the server when it is deleted: references to it are cleared, custom
/// field values included; a note's or a task's comments go with it), and the resources whose
/// objects may list it in a derived list (a contact's `tasks`, a note's `comments`).
const RELATIONS: &[(&str, &[&str], &[&str])] = &[
    (CONTACT, CUSTOMER_REFS, &[]),
    (COMPANY, CUSTOMER_REFS, &[]),
    (CASE, CUSTOMER_REFS, &[CONTACT, COMPANY]),
    (OPPORTUNITY, CUSTOMER_REFS, &[CONTACT, COMPANY]),
    (TASK, &[COMMENT], CF_OWNERS),
    (NOTE, &[COMMENT], CF_OWNERS),
    (COMMENT, &[], &[NOTE, TASK]),
    (path::<CustomField>(), CF_OWNERS, &[]),
    (FOLDER, &[FOLDER, FILE], &[]),
    (FILE, FILE_HOLDERS, FILE_HOLDERS),
    (LINKED_FILE, FILE_HOLDERS, FILE_HOLDERS),
];

fn relations_of(
    resource: &str,
) -> Option<&'static (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)> {
    RELATIONS.iter().find(|(r, _, _)| *r == resource)
}

/// The resources whose objects may hold a reference to an object of `resource`, and so may
/// change on the server when it is deleted. An unknown resource may be referred to by anything.
pub(crate) fn referrers(resource: &str) -> &'static [&'static str] {
    relations_of(resource).map_or(EVERYTHING, |(_, referrers, _)| referrers)
}

/// The resources whose objects may list an object of `resource` in a derived list: forgotten
/// wholesale when a write cannot tell which of them list it (the object was never loaded).
pub(crate) fn parents(resource: &str) -> &'static [&'static str] {
    relations_of(resource).map_or(&[], |(_, _, parents)| parents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::MemoryCache;
    use crate::key::Id;
    use bytes::Bytes;

    /// The engine beside a local cache, with the calls of the old tests.
    fn engine() -> (Arc<Coherence>, Local) {
        (Arc::default(), Local::Memory(MemoryCache::new(100)))
    }

    trait OneEntry {
        fn admit_one(&self, ticket: &Ticket, local: &Local, key: CacheKey, json: Bytes);
    }

    impl OneEntry for Arc<Coherence> {
        fn admit_one(&self, ticket: &Ticket, local: &Local, key: CacheKey, json: Bytes) {
            self.admit(ticket, local, vec![(key, Entry::new(json))]);
        }
    }

    fn key(id: i64) -> CacheKey {
        CacheKey::object("contact", Id::Int(id))
    }

    /// What a write of `key` returned: its answer, or none (a delete, a failure).
    fn wrote(key: CacheKey, answer: Option<Bytes>) -> Written<'static> {
        Written {
            object: Some((key, answer)),
            ..Written::default()
        }
    }

    fn json(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    #[test]
    fn a_read_older_than_a_write_is_not_admitted() {
        let (coherence, cache) = engine();
        let read = coherence.read();
        let write = coherence.begin_write(&cache, &[key(1)]);
        coherence.end_write(&write, &cache, wrote(key(1), Some(json("new"))));
        coherence.admit_one(&read, &cache, key(1), json("old"));
        assert_eq!(cache.cache().get(&key(1)), Some(json("new")));
        // Another object is not fenced.
        coherence.admit_one(&read, &cache, key(2), json("two"));
        assert_eq!(cache.cache().get(&key(2)), Some(json("two")));
    }

    #[test]
    fn a_read_that_started_during_a_write_is_not_admitted() {
        let (coherence, cache) = engine();
        let write = coherence.begin_write(&cache, &[key(1)]);
        // The read may be answered before the write is applied on the server.
        let read = coherence.read();
        coherence.end_write(&write, &cache, wrote(key(1), Some(json("new"))));
        coherence.admit_one(&read, &cache, key(1), json("maybe old"));
        assert_eq!(cache.cache().get(&key(1)), Some(json("new")));
    }

    #[test]
    fn a_delete_wins_over_a_write_in_flight() {
        let (coherence, cache) = engine();
        let save = coherence.begin_write(&cache, &[key(1)]);
        let delete = coherence.begin_write(&cache, &[key(1)]);
        coherence.end_write(&delete, &cache, wrote(key(1), None));
        coherence.end_write(&save, &cache, wrote(key(1), Some(json("resurrected"))));
        assert_eq!(cache.cache().get(&key(1)), None);
    }

    #[test]
    fn a_resource_fence_refuses_every_object_of_the_resource() {
        let (coherence, cache) = engine();
        let read = coherence.read();
        let delete = coherence.begin_write(&cache, &[]);
        coherence.end_write(
            &delete,
            &cache,
            Written {
                resources: &["contact"],
                ..Written::default()
            },
        );
        coherence.admit_one(&read, &cache, key(7), json("old"));
        assert_eq!(cache.cache().get(&key(7)), None);
        let later = coherence.read();
        coherence.admit_one(&later, &cache, key(7), json("fresh"));
        assert_eq!(cache.cache().get(&key(7)), Some(json("fresh")));
    }

    #[test]
    fn every_resource_is_known_to_the_tables() {
        use crate::model::*;
        let paths = [
            Contact::PATH,
            Company::PATH,
            Case::PATH,
            Opportunity::PATH,
            Task::PATH,
            Note::PATH,
            Comment::PATH,
            CustomField::PATH,
            User::PATH,
            Group::PATH,
            Folder::PATH,
            File::PATH,
            LinkedFile::PATH,
        ];
        let everything = referrers("no such resource");
        for path in paths {
            assert!(everything.contains(&path), "{path}");
            for r in referrers(path).iter().chain(parents(path)) {
                assert!(paths.contains(r), "{path} names {r}");
            }
        }
    }

    #[test]
    fn fences_are_dropped_once_no_older_request_is_in_flight() {
        let (coherence, cache) = engine();
        let oldest = coherence.read();
        for i in 0..(PRUNE_ABOVE as i64 + 10) {
            let write = coherence.begin_write(&cache, &[key(i)]);
            coherence.end_write(&write, &cache, Written::default());
        }
        assert!(
            coherence.fence_count() > PRUNE_ABOVE,
            "the old read pins them"
        );
        drop(oldest);
        assert_eq!(coherence.fence_count(), 0);
    }
}
