//! Regression test for a bug in `crates/clevertim-core/src/session/mod.rs` (not fixed here:
//! that file is being changed by someone else). NOT compiled into the suite yet: once the fix
//! below is in, move this file to `crates/clevertim-core/tests/` (it uses `tests/common`).
//!
//! Found by the `decode_response` fuzz target with `FUZZ_SAVE_KEEPS_KEY=1`; input:
//! `fuzz/regressions/save_keeps_key.bin` (resource 0 = contact, op 3 = save existing,
//! status 200, key "5" as an integer, body `{"status":"OK","content":[{"id":7,"fn":"x"}]}`).
//!
//! `Session::save` of an existing object (a `PUT /contact/5`) accepts an answer that carries
//! another object (id 7): the save returns `Ok`, the caller's object silently becomes contact
//! 7 (its key changes), and contact 7 is cached with what was meant for 5. `fetch_one` already
//! treats an answer with another id as a miss; `save` must check it too.
#![allow(clippy::unwrap_used)]

mod common;

use bytes::Bytes;
use clevertim_core::{transport_fn, Contact, Error, Key, RetryPolicy, Session};

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
    assert!(session.cache().get(&clevertim_core::CacheKey::object("contact", 7.into())).is_none());
    assert!(session.cache().get(&clevertim_core::CacheKey::object("contact", 5.into())).is_none());
}
