//! The cache under concurrency: many tasks share one cached session and load, save, delete
//! and recreate overlapping objects through a proxy that delays answers at random, so that
//! slow answers cross writes. Afterwards every object the shared session serves must be what a
//! fresh, uncached session reads from the server.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clevertim::{Contact, Error, Key, MemoryCache, Note, Resource, RetryPolicy, Task};
use clevertim_sandbox::Sandbox;

use crate::faults::FaultServer;
use crate::{Api, Flavour, Options};

/// Concurrent tasks.
const TASKS: usize = 32;
/// Operations in all, at most.
const OPERATIONS: usize = 3_000;
/// The time the operations may take, at most.
const MAX_TIME: Duration = Duration::from_secs(8);
/// Contacts the tasks share.
const CONTACTS: usize = 20;
/// The most the proxy delays an answer.
const MAX_DELAY: Duration = Duration::from_millis(5);
/// The seed unless `CLEVERTIM_STRESS_SEED` gives another.
const DEFAULT_SEED: u64 = 0x5eed_2026_1128;

/// What the tasks share.
struct World {
    shared: Api,
    /// The current key of each contact slot.
    slots: Vec<Mutex<Key<Contact>>>,
    /// Every contact, task and note ever made, by id.
    contacts: Mutex<BTreeSet<i64>>,
    tasks: Mutex<BTreeSet<i64>>,
    notes: Mutex<BTreeSet<i64>>,
    /// Tasks and notes not deleted yet (as far as the tasks know).
    live_tasks: Mutex<Vec<i64>>,
    live_notes: Mutex<Vec<i64>>,
    done: AtomicUsize,
    tally: Mutex<BTreeMap<String, usize>>,
}

impl World {
    fn slot(&self, i: usize) -> Key<Contact> {
        self.slots[i].lock().unwrap().clone()
    }

    fn count(&self, what: impl Into<String>) {
        *self.tally.lock().unwrap().entry(what.into()).or_default() += 1;
    }

    /// Tallies an operation's result: a miss or a refusal is what races produce; anything
    /// else is unexpected.
    fn record(&self, op: &str, result: clevertim::Result<()>) {
        match result {
            Ok(()) => self.count(format!("{op}: ok")),
            Err(Error::NotFound { .. }) => self.count(format!("{op}: not found")),
            Err(Error::Api { status, .. }) if (400..500).contains(&status) => {
                self.count(format!("{op}: refused {status}"));
            }
            Err(e) => self.count(format!("{op}: UNEXPECTED {e}")),
        }
    }
}

fn id_of<R: Resource>(object: &R) -> i64 {
    object
        .key()
        .and_then(|k| k.as_int())
        .expect("an integer key")
}

/// Runs the stress over `kind` and asserts zero differences.
pub async fn stress(kind: Flavour) {
    let seed = std::env::var("CLEVERTIM_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    eprintln!("stress {kind:?}: seed {seed} (replay with CLEVERTIM_STRESS_SEED={seed})");
    let sandbox = Sandbox::builder().start().await.unwrap();
    let key = sandbox.api_key().to_owned();
    let proxy = FaultServer::forwarding_to(sandbox.addr())
        .jitter(MAX_DELAY, seed)
        .start()
        .await
        .unwrap();
    let shared = Api::with_options(
        kind,
        &proxy.endpoint(),
        &key,
        &Options {
            cache: Some(MemoryCache::default()),
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default().min_delay(Duration::from_millis(10)),
            body_limit: None,
        },
    )
    .unwrap();
    let fresh = Api::new(kind, &sandbox.endpoint(), &key, false).unwrap();

    let mut slots = Vec::new();
    let mut contacts = BTreeSet::new();
    for i in 0..CONTACTS {
        let mut c = Contact::new();
        c.set_first_name(format!("slot{i}")).set_last_name("Stress");
        fresh.save(&mut c).await.unwrap();
        contacts.insert(id_of(&c));
        slots.push(Mutex::new(c.key().unwrap()));
    }
    let world = Arc::new(World {
        shared,
        slots,
        contacts: Mutex::new(contacts),
        tasks: Mutex::new(BTreeSet::new()),
        notes: Mutex::new(BTreeSet::new()),
        live_tasks: Mutex::new(Vec::new()),
        live_notes: Mutex::new(Vec::new()),
        done: AtomicUsize::new(0),
        tally: Mutex::new(BTreeMap::new()),
    });

    let started = Instant::now();
    let deadline = started + MAX_TIME;
    let workers: Vec<_> = (0..TASKS)
        .map(|i| {
            let world = world.clone();
            let rng = fastrand::Rng::with_seed(
                seed.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            );
            tokio::spawn(worker(world, rng, deadline))
        })
        .collect();
    for w in workers {
        tokio::time::timeout(MAX_TIME + Duration::from_secs(30), w)
            .await
            .expect("a worker is stuck")
            .unwrap();
    }
    let elapsed = started.elapsed();
    let operations = world.done.load(Ordering::Relaxed).min(OPERATIONS);

    // Quiescent: compare every object, shared session against the server, before any `all()`
    // (which would refresh the cache).
    let shared = &world.shared;
    let mut differences = Vec::new();
    let contacts: Vec<i64> = world.contacts.lock().unwrap().iter().copied().collect();
    let tasks: Vec<i64> = world.tasks.lock().unwrap().iter().copied().collect();
    let notes: Vec<i64> = world.notes.lock().unwrap().iter().copied().collect();
    let listed: Vec<Contact> = fresh.all().await.unwrap();
    let mut all_contacts: BTreeSet<i64> = listed.iter().map(id_of).collect();
    all_contacts.extend(&contacts);
    let compared = all_contacts.len() + tasks.len() + notes.len();
    let all_contacts: Vec<i64> = all_contacts.into_iter().collect();
    compare::<Contact>(shared, &fresh, &all_contacts, &mut differences).await;
    compare::<Task>(shared, &fresh, &tasks, &mut differences).await;
    compare::<Note>(shared, &fresh, &notes, &mut differences).await;
    // And the lists.
    let mut via_shared: Vec<Contact> = shared.all().await.unwrap();
    let mut via_fresh = listed;
    via_shared.sort_by_key(id_of);
    via_fresh.sort_by_key(id_of);
    if via_shared != via_fresh {
        differences.push(format!(
            "all(): {} contacts through the shared session, {} on the server",
            via_shared.len(),
            via_fresh.len()
        ));
    }

    let tally = world.tally.lock().unwrap().clone();
    eprintln!(
        "stress {kind:?}: {operations} operations by {TASKS} tasks in {elapsed:?} \
         ({} requests through the proxy); {compared} objects compared; {} differences",
        proxy.requests(),
        differences.len()
    );
    for (what, n) in &tally {
        eprintln!("stress {kind:?}:   {what}: {n}");
    }
    for d in differences.iter().take(10) {
        eprintln!("stress {kind:?}: DIFFERENCE {d}");
    }
    let unexpected: Vec<_> = tally.keys().filter(|k| k.contains("UNEXPECTED")).collect();
    assert!(operations >= 500, "only {operations} operations ran");
    assert!(
        differences.is_empty(),
        "{} differences (seed {seed}); first: {}",
        differences.len(),
        differences
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        unexpected.is_empty(),
        "unexpected errors (seed {seed}): {unexpected:?}"
    );
}

/// One task's loop of random operations.
async fn worker(world: Arc<World>, mut rng: fastrand::Rng, deadline: Instant) {
    let api = world.shared.clone();
    loop {
        let n = world.done.fetch_add(1, Ordering::Relaxed);
        if n >= OPERATIONS || Instant::now() > deadline {
            return;
        }
        let slot = rng.usize(0..CONTACTS);
        let key = world.slot(slot);
        match rng.u32(0..100) {
            0..=29 => {
                let r = api.load::<Contact>(key).await.map(drop);
                world.record("load contact", r);
            }
            30..=47 => {
                let r = async {
                    let mut c: Contact = api.load(key).await?;
                    c.set_title(format!("t{n}"));
                    api.save(&mut c).await
                }
                .await;
                world.record("save contact", r);
            }
            48..=53 => {
                let r = async {
                    let mut c: Contact = api.load(key.clone()).await?;
                    api.delete(&mut c).await?;
                    let mut again = Contact::new();
                    again
                        .set_first_name(format!("slot{slot}"))
                        .set_last_name("Stress");
                    api.save(&mut again).await?;
                    world.contacts.lock().unwrap().insert(id_of(&again));
                    let mut current = world.slots[slot].lock().unwrap();
                    if *current == key {
                        *current = again.key().unwrap();
                    }
                    Ok(())
                }
                .await;
                world.record("delete and recreate contact", r);
            }
            54..=63 => {
                let r = async {
                    let mut t = Task::new();
                    t.set_name(format!("task{n}")).set_who(key);
                    api.save(&mut t).await?;
                    world.tasks.lock().unwrap().insert(id_of(&t));
                    world.live_tasks.lock().unwrap().push(id_of(&t));
                    Ok(())
                }
                .await;
                world.record("create task", r);
            }
            64..=71 => {
                let r = async {
                    let mut note = Note::new();
                    note.set_description(format!("note{n}")).set_who(key);
                    api.save(&mut note).await?;
                    world.notes.lock().unwrap().insert(id_of(&note));
                    world.live_notes.lock().unwrap().push(id_of(&note));
                    Ok(())
                }
                .await;
                world.record("create note", r);
            }
            72..=77 => {
                // Move a task to another contact.
                let Some(id) = pick(&world.live_tasks, &mut rng, false) else {
                    continue;
                };
                let r = async {
                    let mut t: Task = api.load(id).await?;
                    t.set_who(key);
                    api.save(&mut t).await
                }
                .await;
                world.record("move task", r);
            }
            78..=85 => {
                let tasks = rng.bool();
                let list = if tasks {
                    &world.live_tasks
                } else {
                    &world.live_notes
                };
                let Some(id) = pick(list, &mut rng, true) else {
                    continue;
                };
                let by_key = rng.bool();
                let r = match (tasks, by_key) {
                    (true, true) => api.delete_key::<Task>(id).await,
                    (false, true) => api.delete_key::<Note>(id).await,
                    (true, false) => delete_loaded::<Task>(&api, id).await,
                    (false, false) => delete_loaded::<Note>(&api, id).await,
                };
                world.record(
                    if by_key {
                        "delete_key child"
                    } else {
                        "delete child"
                    },
                    r,
                );
            }
            86..=94 => {
                let r = if rng.bool() {
                    match pick(&world.live_tasks, &mut rng, false) {
                        Some(id) => api.load::<Task>(id).await.map(drop),
                        None => continue,
                    }
                } else {
                    match pick(&world.live_notes, &mut rng, false) {
                        Some(id) => api.load::<Note>(id).await.map(drop),
                        None => continue,
                    }
                };
                world.record("load child", r);
            }
            _ => {
                let r = api.all::<Contact>().await.map(drop);
                world.record("all contacts", r);
            }
        }
    }
}

async fn delete_loaded<R: Resource>(api: &Api, id: i64) -> clevertim::Result<()> {
    let mut object: R = api.load(id).await?;
    api.delete(&mut object).await
}

/// A random id of `list`, taken out of it when `remove`.
fn pick(list: &Mutex<Vec<i64>>, rng: &mut fastrand::Rng, remove: bool) -> Option<i64> {
    let mut list = list.lock().unwrap();
    if list.is_empty() {
        return None;
    }
    let i = rng.usize(0..list.len());
    Some(if remove { list.swap_remove(i) } else { list[i] })
}

/// Loads each of `ids` through both sessions; a difference is any disagreement.
async fn compare<R: Resource + PartialEq + Debug>(
    shared: &Api,
    fresh: &Api,
    ids: &[i64],
    differences: &mut Vec<String>,
) {
    for &id in ids {
        let cached = shared.load::<R>(id).await;
        let truth = fresh.load::<R>(id).await;
        match (&cached, &truth) {
            (Ok(a), Ok(b)) if a == b => {}
            (Err(Error::NotFound { .. }), Err(Error::NotFound { .. })) => {}
            _ => differences.push(format!(
                "{} {id}: the shared session serves {}, the server holds {}",
                R::PATH,
                brief(&cached),
                brief(&truth)
            )),
        }
    }
}

fn brief<R: Debug>(result: &clevertim::Result<R>) -> String {
    match result {
        Ok(object) => format!("{object:?}"),
        Err(e) => format!("error: {e}"),
    }
}
