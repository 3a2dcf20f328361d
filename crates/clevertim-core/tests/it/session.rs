//! The seed walkthrough and the session's cache rules, over a scripted transport: each test
//! lists the requests it expects, in order, with their answers.
#![allow(clippy::unwrap_used)]

use crate::common;

use clevertim_core::{Contact, Key, Note, Session, User};
use common::{Script, body, example, ok, raw, session};
use pretty_assertions::assert_eq;
use serde_json::json;

#[tokio::test]
async fn seed_walkthrough() {
    let script = Script::new()
        // Eager load: one GET, and never a second one for the same contact.
        .then("GET /api/contact/4", ok(json!([example("contact")])))
        // The lazy handle's one GET, on its first access.
        .then("GET /api/contact/5", ok(json!([{"id": 5, "fn": "Lazy"}])))
        // Save of a new contact: POST of its fields, no id.
        .then_sent(
            "POST /api/contact",
            json!({"fn": "Mike", "ln": "Johnson"}),
            ok(json!([{"id": 367, "fn": "Mike", "ln": "Johnson", "ao": "2026-11-28T10:00:00Z"}])),
        )
        // Adding an email: PUT of the id and the email only.
        .then_sent(
            "PUT /api/contact/367",
            json!({"id": 367, "email": ["mike@example.com"]}),
            ok(json!([{"id": 367, "fn": "Mike", "ln": "Johnson", "email": ["mike@example.com"]}])),
        )
        .then_with("DELETE /api/contact/367", |r| {
            assert!(r.body().is_empty());
            raw(200, r#"{"status":"OK"}"#)
        })
        // The server clears every reference to a deleted contact (custom field values of
        // other contacts included): cached contacts are loaded afresh.
        .then("GET /api/contact/4", ok(json!([example("contact")])));
    let session = session(script);

    let praveen: Contact = session.load(4).await.unwrap();
    assert_eq!(praveen.first_name(), Some("PRAVEEN"));

    // Loaded before: comes from the cache.
    let again: Contact = session.load(4).await.unwrap();
    assert_eq!(again, praveen);

    let lazy = session.lazy::<Contact>(5);
    assert!(!lazy.is_loaded());
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Lazy"));
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Lazy"));
    assert!(lazy.is_loaded());

    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    session.save(&mut mike).await.unwrap();
    assert_eq!(mike.key(), Some(Key::new(367)));
    assert_eq!(mike.added_on(), Some("2026-11-28T10:00:00Z"));
    assert!(!mike.has_changes());

    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await.unwrap();
    assert_eq!(mike.emails(), ["mike@example.com"]);
    // A save with nothing changed sends nothing.
    session.save(&mut mike).await.unwrap();

    session.delete(&mut mike).await.unwrap();
    assert_eq!(mike.key(), None);

    let again: Contact = session.load(4).await.unwrap();
    assert_eq!(again, praveen);
}

#[tokio::test]
async fn load_many_fetches_only_what_is_not_cached_and_keeps_order() {
    let ten: Vec<_> = (1..=10)
        .map(|id| json!({"id": id, "fn": format!("c{id}")}))
        .collect();
    let script = Script::new()
        .then("GET /api/contact", ok(json!(ten)))
        .times(40, "GET /api/contact/*", |r| {
            let id: i64 = r.uri().path().rsplit('/').next().unwrap().parse().unwrap();
            assert!(id > 10, "contact {id} was cached");
            ok(json!([{"id": id, "fn": format!("c{id}")}]))
        });
    let session = common::builder(script)
        .retry(clevertim_core::RetryPolicy::none())
        .list_threshold(41)
        .build()
        .unwrap();
    assert_eq!(session.all::<Contact>().await.unwrap().len(), 10);

    let keys: Vec<i64> = (1..=50).rev().collect();
    let contacts: Vec<Contact> = session.load_many(keys.clone()).await.unwrap();
    let names: Vec<String> = contacts
        .iter()
        .map(|c| c.first_name().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = keys.iter().map(|id| format!("c{id}")).collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn load_many_loads_a_repeated_key_once_and_returns_it_at_each_place() {
    let script = Script::new().times(3, "GET /api/contact/*", |r| {
        let id: i64 = r.uri().path().rsplit('/').next().unwrap().parse().unwrap();
        ok(json!([{"id": id, "fn": format!("c{id}")}]))
    });
    let session = common::builder(script).no_cache().build().unwrap();
    let keys = [7, 3, 7, 9, 3, 7];
    let contacts: Vec<Contact> = session.load_many(keys).await.unwrap();
    let names: Vec<&str> = contacts.iter().map(|c| c.first_name().unwrap()).collect();
    assert_eq!(names, ["c7", "c3", "c7", "c9", "c3", "c7"]);
}

#[tokio::test]
async fn users_are_fetched_as_a_list_once_and_picked_by_id() {
    let script = Script::new().times(2, "GET /api/user", |_| {
        ok(json!([{"id": 1, "user": "Ann", "is_owner": true}, {"id": 2, "user": "Bob"}]))
    });
    let session = session(script);
    let bob: User = session.load(2).await.unwrap();
    assert_eq!(bob.name(), Some("Bob"));
    let both: Vec<User> = session.load_many([1, 2]).await.unwrap();
    assert_eq!(both[0].is_owner(), Some(true));
    // A miss asks for the list once more (the user may be new) before it is not found.
    let missing = session.load::<User>(3).await.unwrap_err();
    assert!(
        matches!(
            missing,
            clevertim_core::Error::NotFound {
                resource: "user",
                ..
            }
        ),
        "{missing}"
    );
}

#[tokio::test]
async fn a_customer_reference_resolves_to_a_contact_or_a_company() {
    let script = Script::new()
        .then(
            "GET /api/note/2",
            ok(json!([{"id": 2, "desc": "hi", "cust": 7}])),
        )
        .then(
            "GET /api/contact/7",
            raw(404, r#"{"status":"ERROR","error":"not found"}"#),
        )
        .then(
            "GET /api/company/7",
            ok(json!([{"id": 7, "cn": "Busy Bee", "is_company": true}])),
        );
    let session = session(script);
    let note: Note = session.load(2).await.unwrap();
    let customer = session.customer(note.who()[0].clone()).await.unwrap();
    assert_eq!(customer.display_name(), "Busy Bee");
    assert!(matches!(customer, clevertim_core::Customer::Company(_)));
    // Known to be a company now: no more requests.
    let again = session.customer(7).await.unwrap();
    assert_eq!(again.display_name(), "Busy Bee");
}

#[tokio::test]
async fn unknown_fields_are_kept_and_only_changes_are_sent() {
    let script = Script::new()
        .then(
            "GET /api/note/3",
            ok(json!([{"id": 3, "desc": "old", "fmt": "html", "cust": [1, 2]}])),
        )
        .then_sent(
            "PUT /api/note/3",
            json!({"id": 3, "desc": "new", "pin": true}),
            ok(json!([{"id": 3, "desc": "new", "fmt": "html", "cust": [1, 2], "pin": true}])),
        );
    let session = session(script);
    let mut note: Note = session.load(3).await.unwrap();
    note.set_description("new");
    note.set_extra("pin", json!(true)).unwrap();
    assert!(note.set_extra("desc", json!("twice")).is_err());
    assert!(note.set_extra("id", json!(99)).is_err());
    session.save(&mut note).await.unwrap();
    assert_eq!(note.extra()["fmt"], "html");
    assert_eq!(note.who().len(), 2);
}

#[tokio::test]
async fn reload_bypasses_the_cache_and_delete_evicts() {
    let eight = || ok(json!([{"id": 8, "fn": "Eight"}]));
    let script = Script::new()
        .then("GET /api/contact/8", eight())
        .then("GET /api/contact/8", eight())
        .then("DELETE /api/contact/8", raw(200, r#"{"status":"OK"}"#))
        .then("GET /api/contact/8", eight());
    let session = session(script);
    let mut eight: Contact = session.load(8).await.unwrap(); // GET 1
    session.reload(&mut eight).await.unwrap(); // GET 2
    let _cached: Contact = session.load(8).await.unwrap(); // cache
    session.delete_key::<Contact>(8).await.unwrap();
    let _fresh: Contact = session.load(8).await.unwrap(); // GET 3: the delete evicted it
}

#[tokio::test]
async fn requests_carry_sensitive_basic_auth_and_json_headers() {
    let script = Script::new().then_with("POST /api/comment", |r| {
        let auth = &r.headers()["authorization"];
        assert!(auth.is_sensitive());
        assert!(auth.to_str().unwrap().starts_with("Basic "));
        assert_eq!(r.headers()["accept"], "application/json");
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(r.uri().scheme_str(), Some("https"));
        ok(json!([{"id": 1, "comment": "hi", "nid": 3}]))
    });
    let session = session(script);
    let mut c = clevertim_core::Comment::new();
    c.set_comment("hi").set_note(3);
    session.save(&mut c).await.unwrap();
}

#[tokio::test]
async fn a_session_is_cheap_to_clone_and_shared_across_tasks() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Session>();
    let script = Script::new().times(8, "GET /api/contact/*", |r| {
        let id: i64 = r.uri().path().rsplit('/').next().unwrap().parse().unwrap();
        ok(json!([{"id": id}]))
    });
    let session = session(script);
    let tasks: Vec<_> = (1..=8)
        .map(|id| {
            let s = session.clone();
            tokio::spawn(async move { s.load::<Contact>(id).await.map(|c| c.key()) })
        })
        .collect();
    for (task, id) in tasks.into_iter().zip(1..) {
        assert_eq!(task.await.unwrap().unwrap(), Some(Key::new(id)));
    }
}

#[tokio::test]
async fn values_the_server_sent_do_not_block_a_save_but_new_bad_ones_do() {
    let script = Script::new()
        .then(
            "GET /api/contact/6",
            ok(json!([{"id": 6, "phones": [{"no": "1", "type": "Satellite"}], "cf": {"99": 5}}])),
        )
        .then(
            "GET /api/customfield",
            ok(json!([{"id": 1, "name": "Tier", "elemType": "input", "modelType": ["customers"]}])),
        )
        .then_with("PUT /api/contact/6", |r| {
            let sent = body(r);
            assert_eq!(sent["phones"].as_array().map(Vec::len), Some(2));
            assert_eq!(sent["cf"], json!({"1": "Gold", "99": 5}));
            ok(json!([sent]))
        });
    let session = session(script);
    let mut c: Contact = session.load(6).await.unwrap();
    c.phone_numbers_mut()
        .push(clevertim_core::PhoneNumber::new("2", "Mobile"));
    c.set_custom_field(1, "Gold");
    session.save(&mut c).await.unwrap();
    assert_eq!(c.phone_numbers().len(), 2);

    // A value the user brings is still checked.
    c.phone_numbers_mut()
        .push(clevertim_core::PhoneNumber::new("3", "Cell"));
    let err = session.save(&mut c).await.unwrap_err();
    assert!(
        matches!(&err, clevertim_core::Error::Validation(v) if v.value == "Cell"),
        "{err}"
    );
}

#[tokio::test]
async fn a_user_made_after_the_list_was_cached_is_found() {
    let script = Script::new()
        .then("GET /api/user", ok(json!([{"id": 1, "user": "Ann"}])))
        .then(
            "GET /api/user",
            ok(json!([{"id": 1, "user": "Ann"}, {"id": 2, "user": "New"}])),
        );
    let session = session(script);
    let _ann: User = session.load(1).await.unwrap();
    let new: User = session.load(2).await.unwrap();
    assert_eq!(new.name(), Some("New"));
}

#[tokio::test]
async fn saving_a_note_makes_its_cached_customer_stale() {
    let four = || ok(json!([{"id": 4, "fn": "Four"}]));
    let script = Script::new()
        .then("GET /api/contact/4", four())
        .then(
            "POST /api/note",
            ok(json!([{"id": 9, "desc": "hi", "cust": 4}])),
        )
        .then("GET /api/contact/4", four());
    let session = session(script);
    let _before: Contact = session.load(4).await.unwrap();
    let mut note = Note::new();
    note.set_description("hi").set_who(4);
    session.save(&mut note).await.unwrap();
    // The contact's derived `notes` list changed on the server: loaded again, not cached.
    let _after: Contact = session.load(4).await.unwrap();
}

#[tokio::test]
async fn a_blind_update_sends_only_what_was_set() {
    let script = Script::new().then_sent(
        "PUT /api/case/12",
        json!({"id": 12, "name": "Renamed"}),
        ok(json!([{"id": 12, "name": "Renamed", "cust": 4}])),
    );
    let session = session(script);
    let mut case = clevertim_core::Case::with_key(12);
    case.set_name("Renamed");
    session.save(&mut case).await.unwrap();
    assert_eq!(case.who(), Some(4.into()));
}

#[tokio::test]
async fn moving_a_note_makes_its_old_customer_stale_too() {
    let four = || ok(json!([{"id": 4, "fn": "Four"}]));
    let script = Script::new()
        .then("GET /api/contact/4", four())
        .then(
            "GET /api/note/9",
            ok(json!([{"id": 9, "desc": "hi", "cust": 4}])),
        )
        .then_sent(
            "PUT /api/note/9",
            json!({"id": 9, "cust": 5}),
            ok(json!([{"id": 9, "desc": "hi", "cust": 5}])),
        )
        .then("GET /api/contact/4", four());
    let session = session(script);
    let _four: Contact = session.load(4).await.unwrap();
    let mut note: Note = session.load(9).await.unwrap();
    note.set_who(5);
    session.save(&mut note).await.unwrap();
    // Contact 4 no longer has the note: its cached copy was dropped, so it is loaded again.
    let _four_again: Contact = session.load(4).await.unwrap();
}
