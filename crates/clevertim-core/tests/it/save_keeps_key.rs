//! An update answered with another object is an error: the caller's object keeps its key and
//! its pending changes, and nothing is cached. Found by the `decode_response` fuzz target
//! (input `fuzz/regressions/save_keeps_key.bin`: `PUT /contact/5` answered with contact 7).
#![allow(clippy::unwrap_used)]

use crate::common;

use bytes::Bytes;
use clevertim_core::{Contact, Error, Key, RetryPolicy, Session, transport_fn};

#[test]
fn an_update_answered_with_another_object_is_an_error() {
    let session = Session::builder(common::API_KEY)
        .endpoint("https://fuzz.invalid/api")
        .transport(transport_fn(|_| async {
            Ok(http::Response::new(Bytes::from_static(
                br#"{"status":"OK","content":[{"id":7,"fn":"x"}]}"#,
            )))
        }))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut contact = Contact::with_key(5);
    contact.set_first_name("Five");
    let saved = futures_executor::block_on(session.save(&mut contact));
    assert!(
        matches!(saved, Err(Error::MalformedResponse { status: 200, .. })),
        "{saved:?}"
    );
    // The caller's object is left as it was: still contact 5, its change still pending.
    assert_eq!(contact.key(), Some(Key::new(5)));
    assert!(contact.has_changes());
    // Nothing was cached under either key.
    assert!(
        session
            .cache()
            .get(&clevertim_core::CacheKey::object("contact", 7.into()))
            .is_none()
    );
    assert!(
        session
            .cache()
            .get(&clevertim_core::CacheKey::object("contact", 5.into()))
            .is_none()
    );
}
