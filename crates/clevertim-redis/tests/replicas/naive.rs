//! The cache a user following the old docs would build on Redis: plain GET and SET, no
//! tickets, no fences. The suite must catch it serving stale objects.

use std::sync::Arc;

use bytes::Bytes;
use clevertim_core::{BoxFuture, CacheKey, Entry, Namespace, Store, Ticket, Written};
use redis::AsyncCommands as _;
use redis::aio::MultiplexedConnection;

#[derive(Clone)]
pub(crate) struct NaiveStore {
    connection: MultiplexedConnection,
}

impl std::fmt::Debug for NaiveStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NaiveStore")
    }
}

impl NaiveStore {
    pub(crate) async fn connect(url: &str) -> Self {
        let client = redis::Client::open(url).expect("a Redis URL");
        let connection = client
            .get_multiplexed_async_connection()
            .await
            .expect("Redis reachable");
        NaiveStore { connection }
    }
}

fn name(key: &CacheKey) -> String {
    match &key.id {
        Some(id) => format!("naive:{}:{id}", key.resource),
        None => format!("naive:{}:#list", key.resource),
    }
}

impl NaiveStore {
    async fn set(&self, key: &CacheKey, json: &[u8]) {
        let mut c = self.connection.clone();
        let _: redis::RedisResult<()> = c.set(name(key), json).await;
    }
    async fn del(&self, key: &CacheKey) {
        let mut c = self.connection.clone();
        let _: redis::RedisResult<()> = c.del(name(key)).await;
    }
}

impl Store for NaiveStore {
    fn scoped(&self, _namespace: &Namespace) -> Arc<dyn Store> {
        Arc::new(self.clone())
    }
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<Entry>> {
        Box::pin(async move {
            let mut c = self.connection.clone();
            let json: Option<Vec<u8>> = c.get(name(key)).await.ok()?;
            json.map(|j| Entry::new(Bytes::from(j)))
        })
    }
    fn read(&self) -> BoxFuture<'_, Ticket> {
        Box::pin(async { Ticket::new(0, 0) })
    }
    fn admit<'a>(&'a self, _t: &'a Ticket, entries: Vec<(CacheKey, Entry)>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            for (key, entry) in entries {
                self.set(&key, entry.json()).await;
            }
        })
    }
    fn begin_write<'a>(&'a self, keys: &'a [CacheKey]) -> BoxFuture<'a, Ticket> {
        Box::pin(async move {
            for key in keys {
                self.del(key).await;
            }
            Ticket::new(0, 0)
        })
    }
    fn end_write<'a>(&'a self, _t: &'a Ticket, written: Written<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            match written.object {
                Some((key, Some(json))) => self.set(&key, &json).await,
                Some((key, None)) => self.del(&key).await,
                None => {}
            }
            for key in written.related {
                self.del(key).await;
            }
        })
    }
    fn forget<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, ()> {
        Box::pin(async move { self.del(key).await })
    }
}
