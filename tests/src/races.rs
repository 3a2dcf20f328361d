//! Races made deterministic: the fault server holds an answer back ([`Fault::Slow`]) while a
//! write of the same object goes through, and the cache must end up with what the server holds.

use std::time::{Duration, Instant};

use clevertim::{CacheKey, Contact, Error, Key, MemoryCache, RetryPolicy, Task};
use clevertim_sandbox::Sandbox;

use crate::faults::{Fault, FaultServer};
use crate::{Api, Flavour, Options};

/// How long the held answer waits.
const HOLD: Duration = Duration::from_millis(400);

struct Stage {
    sandbox: Sandbox,
    server: FaultServer,
    /// The session under test: cached, through the fault server.
    shared: Api,
    /// Straight to the sandbox, no cache.
    direct: Api,
}

impl Stage {
    async fn new(kind: Flavour, script: Vec<Fault>) -> Stage {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let server = FaultServer::forwarding_to(sandbox.addr())
            .script(script)
            .start()
            .await
            .unwrap();
        let key = sandbox.api_key().to_owned();
        let shared = Api::with_options(
            kind,
            &server.endpoint(),
            &key,
            &Options {
                cache: Some(MemoryCache::default()),
                connect_timeout: Duration::from_secs(1),
                request_timeout: Duration::from_secs(5),
                retry: RetryPolicy::default().min_delay(Duration::from_millis(10)),
                body_limit: None,
            },
        )
        .unwrap();
        let direct = Api::new(Flavour::HyperAsync, &sandbox.endpoint(), &key, false).unwrap();
        Stage {
            sandbox,
            server,
            shared,
            direct,
        }
    }

    async fn contact(&self, title: &str) -> Key<Contact> {
        let mut c = Contact::new();
        c.set_first_name("Racer").set_title(title);
        self.direct.save(&mut c).await.unwrap();
        c.key().unwrap()
    }

    /// Waits (bounded) until the server has read `n` requests.
    async fn requests_reach(&self, n: usize) {
        let until = Instant::now() + Duration::from_secs(3);
        while self.server.requests() < n {
            assert!(Instant::now() < until, "the request never came");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    fn cached(&self, key: &Key<Contact>) -> Option<Contact> {
        self.shared
            .cache()
            .get(&CacheKey::object("contact", key.id().clone()))
            .map(|json| serde_json::from_slice(&json).unwrap())
    }
}

/// A load whose answer was read before a delete, and arrives after it, must not bring the
/// object back into the cache.
pub async fn delete_wins_over_an_in_flight_load(kind: Flavour) {
    let stage = Stage::new(kind, vec![Fault::Slow(HOLD)]).await;
    let key = stage.contact("before").await;
    let load = tokio::spawn({
        let shared = stage.shared.clone();
        let key = key.clone();
        async move { shared.load::<Contact>(key).await }
    });
    stage.requests_reach(1).await;
    stage
        .shared
        .delete_key::<Contact>(key.clone())
        .await
        .unwrap();
    // The held answer predates the delete: the load may return it, or report the object gone.
    match load.await.unwrap() {
        Ok(_) | Err(Error::NotFound { .. }) => {}
        Err(other) => panic!("the held load failed otherwise: {other}"),
    }
    assert_eq!(
        stage.cached(&key),
        None,
        "the held answer of the load brought the deleted contact back into the cache"
    );
    let again = stage.shared.load::<Contact>(key).await.unwrap_err();
    assert!(matches!(again, Error::NotFound { .. }), "{again}");
    drop(stage.sandbox);
}

/// A load whose answer was read before a save, and arrives after it, must not replace the
/// saved object in the cache.
pub async fn save_wins_over_an_older_load(kind: Flavour) {
    let stage = Stage::new(kind, vec![Fault::Slow(HOLD)]).await;
    let key = stage.contact("old").await;
    // Loaded through the sandbox's endpoint, saved through the shared session's (the same
    // account elsewhere): a copy read back from its serialized form carries no origin.
    let mine: Contact = stage.direct.load(key.clone()).await.unwrap();
    let mut mine: Contact = serde_json::from_value(serde_json::to_value(&mine).unwrap()).unwrap();
    let load = tokio::spawn({
        let shared = stage.shared.clone();
        let key = key.clone();
        async move { shared.load::<Contact>(key).await }
    });
    stage.requests_reach(1).await;
    mine.set_title("new");
    stage.shared.save(&mut mine).await.unwrap();
    let late = load.await.unwrap().unwrap();
    assert_eq!(
        late.title(),
        Some("old"),
        "the held answer is the older one"
    );
    let truth: Contact = stage.direct.load(key.clone()).await.unwrap();
    assert_eq!(truth.title(), Some("new"));
    assert_eq!(
        stage.cached(&key),
        Some(truth.clone()),
        "the cache must hold what the save's answer said, not the older load's"
    );
    let served: Contact = stage.shared.load(key).await.unwrap();
    assert_eq!(served, truth);
}

/// Deleting a child by key makes its cached parent, whose derived list changes, stale.
pub async fn delete_key_evicts_the_parents(kind: Flavour) {
    let stage = Stage::new(kind, Vec::new()).await;
    let parent = stage.contact("parent").await;
    let mut task = Task::new();
    task.set_name("Child").set_who(parent.clone());
    stage.direct.save(&mut task).await.unwrap();
    let child = task.key().unwrap();
    let before: Contact = stage.shared.load(parent.clone()).await.unwrap();
    assert_eq!(before.tasks(), std::slice::from_ref(&child));
    stage.shared.delete_key::<Task>(child).await.unwrap();
    let served: Contact = stage.shared.load(parent.clone()).await.unwrap();
    let truth: Contact = stage.direct.load(parent).await.unwrap();
    assert!(truth.tasks().is_empty());
    assert_eq!(
        served, truth,
        "the cached parent still lists the child deleted by key"
    );
}

/// Generates the race tests for a [`Flavour`].
#[macro_export]
macro_rules! race_tests {
    ($kind:expr) => {
        $crate::race_tests!(@cases $kind;
            delete_wins_over_an_in_flight_load,
            save_wins_over_an_older_load,
            delete_key_evicts_the_parents,
        );
    };
    (@cases $kind:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::races::$case($kind).await;
            }
        )*
    };
}
