//! What one replica cached, every replica is served from Redis without a request.
#![allow(clippy::unwrap_used)]

use clevertim_core::{Contact, Session};
use clevertim_hyper::HyperTransport;
use clevertim_redis::RedisStore;
use clevertim_sandbox::Sandbox;
use clevertim_testservers::RedisServer;

fn session(sandbox: &Sandbox, redis: &RedisServer) -> Session {
    Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .transport(HyperTransport::new().unwrap())
        .store(RedisStore::new(&redis.url()).unwrap())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loads_cached_by_one_replica_are_served_to_the_others() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let contacts: Vec<serde_json::Value> = (1..=300)
        .map(|id| serde_json::json!({"id": id, "fn": format!("First{id}")}))
        .collect();
    let sandbox = Sandbox::builder()
        .empty(true)
        .seed_json(serde_json::json!({ "contact": contacts }))
        .spawn()
        .unwrap();
    let (a, b) = (session(&sandbox, &redis), session(&sandbox, &redis));
    for id in 1..=300 {
        a.load::<Contact>(id).await.unwrap();
    }
    let before = sandbox.requests_served();
    for id in 1..=300 {
        let contact = b.load::<Contact>(id).await.unwrap();
        assert_eq!(contact.first_name(), Some(format!("First{id}").as_str()));
    }
    assert_eq!(sandbox.requests_served(), before, "B sent no request");
}
