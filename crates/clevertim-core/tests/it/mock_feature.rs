//! The mocks the `mock` feature exports for users' own tests: set up as a user would, they
//! stand in for both ports (the SDK's own tests use the scripted transport in `common`).
#![allow(clippy::unwrap_used)]

use crate::common;

use clevertim_core::mock::{MockCache, MockTransport};
use clevertim_core::{CacheKey, Contact};
use common::{builder, is, ok};
use serde_json::json;

#[tokio::test]
async fn the_exported_mocks_stand_in_for_the_transport_and_the_cache() {
    let mut transport = MockTransport::new();
    transport
        .expect_send()
        .withf(|r| is(r, "GET", "/api/contact/4"))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 4, "fn": "Jane"}])) }));
    let mut cache = MockCache::new();
    cache
        .expect_get()
        .withf(|key| *key == CacheKey::object("contact", 4.into()))
        .times(1)
        .returning(|_| None);
    cache
        .expect_insert()
        .withf(|key, json| {
            *key == CacheKey::object("contact", 4.into())
                && serde_json::from_slice::<serde_json::Value>(json).ok()
                    == Some(json!({"id": 4, "fn": "Jane"}))
        })
        .times(1)
        .return_const(());
    let session = builder(transport)
        .cache(cache)
        .retry(clevertim_core::RetryPolicy::none())
        .build()
        .unwrap();
    let jane: Contact = session.load(4).await.unwrap();
    assert_eq!(jane.first_name(), Some("Jane"));
}
