//! Redis out of reach: the session goes on without the shared cache (a `tracing` warning,
//! never an error), and uses it again when it comes back, without serving anything cached
//! before the loss.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clevertim_core::{Contact, Session};
use clevertim_hyper::HyperTransport;
use clevertim_redis::RedisStore;
use clevertim_sandbox::Sandbox;
use clevertim_testservers::RedisServer;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A TCP relay to Redis that the test can cut and restore: one process losing Redis while
/// the others keep it.
struct Relay {
    port: u16,
    target: u16,
    task: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(target: u16) -> Self {
        let mut relay = Relay {
            port: clevertim_testservers::free_port(),
            target,
            task: None,
        };
        relay.restore().await;
        relay
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    async fn restore(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        let target = self.target;
        self.task = Some(tokio::spawn(async move {
            let mut pipes = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                pipes.spawn(async move {
                    if let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Closes the listener and every relayed connection (dropping the `JoinSet` aborts them).
    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

/// The log lines written while the test runs.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn store(url: &str) -> RedisStore {
    RedisStore::builder(url)
        .timeout(Duration::from_millis(300))
        .retry_every(Duration::from_millis(50))
        .build()
        .unwrap()
}

fn session(sandbox: &Sandbox, store: RedisStore) -> Session {
    Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .transport(HyperTransport::new().unwrap())
        .store(store)
        .build()
        .unwrap()
}

async fn new_contact(session: &Session, title: &str) -> i64 {
    let mut contact = Contact::new();
    contact.set_first_name("Degrade");
    contact.set_title(title);
    session.save(&mut contact).await.unwrap();
    contact.key().unwrap().id().to_string().parse().unwrap()
}

async fn title(session: &Session, id: i64) -> String {
    let contact = session.load::<Contact>(id).await.unwrap();
    contact.title().unwrap_or_default().to_owned()
}

/// The tests of this file run one at a time: tracing keeps each log line's interest for the
/// whole process, so a test running with no subscriber at the same moment can make the other
/// one's captured log miss the warning it asserts.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_lost_redis_goes_on_and_comes_back_without_a_stale_window() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = Sandbox::builder().empty(true).spawn().unwrap();
    let mut relay = Relay::start(redis.port()).await;
    let a = session(&sandbox, store(&relay.url()));
    let b = session(&sandbox, store(&redis.url()));
    let id = new_contact(&a, "old").await;
    assert_eq!(title(&a, id).await, "old");
    let served = sandbox.requests_served();
    assert_eq!(title(&b, id).await, "old");
    assert_eq!(
        sandbox.requests_served(),
        served,
        "B is served by the shared store"
    );

    relay.cut().await;
    let mut contact = Contact::with_key(id);
    contact.set_title("new");
    a.save(&mut contact).await.expect("no error without Redis");
    assert_eq!(title(&a, id).await, "new", "A asks the server");
    assert!(logs.text().contains("WARN"), "{}", logs.text());
    assert!(
        logs.text().contains("Redis store unusable"),
        "{}",
        logs.text()
    );

    relay.restore().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A's first call after the loss starts a new epoch: what was cached before (B's "old",
    // which A could not evict) is served to nobody.
    assert_eq!(title(&a, id).await, "new");
    assert_eq!(title(&b, id).await, "new");
    // And the store is used again: B's load is now served by it.
    let served = sandbox.requests_served();
    assert_eq!(title(&b, id).await, "new");
    assert_eq!(title(&a, id).await, "new");
    assert_eq!(sandbox.requests_served(), served);
    let _ = std::io::stderr().flush();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_redis_that_lost_its_data_is_used_again() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let port = redis.port();
    let sandbox = Sandbox::builder().empty(true).spawn().unwrap();
    let a = session(&sandbox, store(&redis.url()));
    let id = new_contact(&a, "first").await;
    assert_eq!(title(&a, id).await, "first");

    drop(redis);
    let before = sandbox.requests_served();
    assert_eq!(title(&a, id).await, "first", "served by the server");
    assert_eq!(title(&a, id).await, "first");
    assert_eq!(
        sandbox.requests_served(),
        before + 2,
        "no cache while Redis is down"
    );

    let _redis = RedisServer::start_on(port).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(title(&a, id).await, "first");
    let cached = sandbox.requests_served();
    assert_eq!(title(&a, id).await, "first");
    assert_eq!(sandbox.requests_served(), cached, "cached in Redis again");
}
