//! The seed walkthrough and the session's cache rules, over a mocked transport.
#![allow(clippy::unwrap_used)]

mod common;

use clevertim_core::mock::MockTransport;
use clevertim_core::{Contact, Key, Note, Session, User};
use common::{body, example, is, ok, raw, session};
use mockall::Sequence;
use pretty_assertions::assert_eq;
use serde_json::json;

#[tokio::test]
async fn seed_walkthrough() {
    let mut t = MockTransport::new();
    let mut seq = Sequence::new();
    // Eager load: one GET, and never a second one for the same contact.
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/4"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Box::pin(async { ok(json!([example("contact")])) }));
    // The lazy handle's one GET, on its first access.
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/5"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Box::pin(async { ok(json!([{"id": 5, "fn": "Lazy"}])) }));
    // Save of a new contact: POST of its fields, no id.
    t.expect_send()
        .withf(|r| is(r, "POST", "/api/contact") && body(r) == json!({"fn": "Mike", "ln": "Johnson"}))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 367, "fn": "Mike", "ln": "Johnson", "ao": "2026-11-28T10:00:00Z"}]))
            })
        });
    // Adding an email: PUT of the id and the email only.
    t.expect_send()
        .withf(|r| {
            is(r, "PUT", "/api/contact/367") && body(r) == json!({"id": 367, "email": ["mike@example.com"]})
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 367, "fn": "Mike", "ln": "Johnson", "email": ["mike@example.com"]}]))
            })
        });
    t.expect_send()
        .withf(|r| is(r, "DELETE", "/api/contact/367") && r.body().is_empty())
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Box::pin(async { raw(200, r#"{"status":"OK"}"#) }));
    // The server clears every reference to a deleted contact (custom field values of other
    // contacts included): cached contacts are loaded afresh.
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/4"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Box::pin(async { ok(json!([example("contact")])) }));
    let session = session(t);

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
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact"))
        .times(1)
        .returning(|_| {
            let ten: Vec<_> = (1..=10)
                .map(|id| json!({"id": id, "fn": format!("c{id}")}))
                .collect();
            Box::pin(async move { ok(json!(ten)) })
        });
    t.expect_send()
        .withf(|r| r.method() == "GET" && r.uri().path().starts_with("/api/contact/"))
        .times(40)
        .returning(|r| {
            let id: i64 = r.uri().path().rsplit('/').next().unwrap().parse().unwrap();
            assert!(id > 10, "contact {id} was cached");
            Box::pin(async move { ok(json!([{"id": id, "fn": format!("c{id}")}])) })
        });
    // 40 objects to fetch, below the threshold: one GET each (tests/relations.rs has the list).
    let session = common::builder(t)
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
async fn users_are_fetched_as_a_list_once_and_picked_by_id() {
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/user"))
        .times(2)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 1, "user": "Ann", "is_owner": true}, {"id": 2, "user": "Bob"}]))
            })
        });
    let session = session(t);
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
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/7"))
        .times(1)
        .returning(|_| Box::pin(async { raw(404, r#"{"status":"ERROR","error":"not found"}"#) }));
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/company/7"))
        .times(1)
        .returning(|_| {
            Box::pin(async { ok(json!([{"id": 7, "cn": "Busy Bee", "is_company": true}])) })
        });
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/note/2"))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 2, "desc": "hi", "cust": 7}])) }));
    let session = session(t);
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
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/note/3"))
        .times(1)
        .returning(|_| {
            Box::pin(async { ok(json!([{"id": 3, "desc": "old", "fmt": "html", "cust": [1, 2]}])) })
        });
    t.expect_send()
        .withf(|r| {
            is(r, "PUT", "/api/note/3") && body(r) == json!({"id": 3, "desc": "new", "pin": true})
        })
        .times(1)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 3, "desc": "new", "fmt": "html", "cust": [1, 2], "pin": true}]))
            })
        });
    let session = session(t);
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
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/8"))
        .times(3)
        .returning(|_| Box::pin(async { ok(json!([{"id": 8, "fn": "Eight"}])) }));
    t.expect_send()
        .withf(|r| is(r, "DELETE", "/api/contact/8"))
        .times(1)
        .returning(|_| Box::pin(async { raw(200, r#"{"status":"OK"}"#) }));
    let session = session(t);
    let mut eight: Contact = session.load(8).await.unwrap(); // GET 1
    session.reload(&mut eight).await.unwrap(); // GET 2
    let _cached: Contact = session.load(8).await.unwrap(); // cache
    session.delete_key::<Contact>(8).await.unwrap();
    let _fresh: Contact = session.load(8).await.unwrap(); // GET 3: the delete evicted it
}

#[tokio::test]
async fn requests_carry_sensitive_basic_auth_and_json_headers() {
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| {
            let auth = &r.headers()["authorization"];
            auth.is_sensitive()
                && auth.to_str().unwrap().starts_with("Basic ")
                && r.headers()["accept"] == "application/json"
                && r.headers()["content-type"] == "application/json"
                && r.uri().scheme_str() == Some("https")
        })
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 1, "comment": "hi", "nid": 3}])) }));
    let session = session(t);
    let mut c = clevertim_core::Comment::new();
    c.set_comment("hi").set_note(3);
    session.save(&mut c).await.unwrap();
}

#[tokio::test]
async fn a_session_is_cheap_to_clone_and_shared_across_tasks() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Session>();
    let mut t = MockTransport::new();
    t.expect_send().times(8).returning(|r| {
        let id: i64 = r.uri().path().rsplit('/').next().unwrap().parse().unwrap();
        Box::pin(async move { ok(json!([{"id": id}])) })
    });
    let session = session(t);
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
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/6"))
        .times(1)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 6, "phones": [{"no": "1", "type": "Satellite"}], "cf": {"99": 5}}]))
            })
        });
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/customfield"))
        .times(1)
        .returning(|_| {
            Box::pin(async {
                ok(json!([{"id": 1, "name": "Tier", "elemType": "input", "modelType": ["customers"]}]))
            })
        });
    t.expect_send()
        .withf(|r| {
            is(r, "PUT", "/api/contact/6")
                && body(r)["phones"].as_array().map(Vec::len) == Some(2)
                && body(r)["cf"] == json!({"1": "Gold", "99": 5})
        })
        .times(1)
        .returning(|r| {
            let sent = body(&r);
            Box::pin(async move { ok(json!([sent])) })
        });
    let session = session(t);
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
    let mut t = MockTransport::new();
    let mut seq = Sequence::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/user"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Box::pin(async { ok(json!([{"id": 1, "user": "Ann"}])) }));
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/user"))
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| {
            Box::pin(async { ok(json!([{"id": 1, "user": "Ann"}, {"id": 2, "user": "New"}])) })
        });
    let session = session(t);
    let _ann: User = session.load(1).await.unwrap();
    let new: User = session.load(2).await.unwrap();
    assert_eq!(new.name(), Some("New"));
}

#[tokio::test]
async fn saving_a_note_makes_its_cached_customer_stale() {
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/4"))
        .times(2)
        .returning(|_| Box::pin(async { ok(json!([{"id": 4, "fn": "Four"}])) }));
    t.expect_send()
        .withf(|r| is(r, "POST", "/api/note"))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 9, "desc": "hi", "cust": 4}])) }));
    let session = session(t);
    let _before: Contact = session.load(4).await.unwrap();
    let mut note = Note::new();
    note.set_description("hi").set_who(4);
    session.save(&mut note).await.unwrap();
    // The contact's derived `notes` list changed on the server: loaded again, not cached.
    let _after: Contact = session.load(4).await.unwrap();
}

#[tokio::test]
async fn a_blind_update_sends_only_what_was_set() {
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "PUT", "/api/case/12") && body(r) == json!({"id": 12, "name": "Renamed"}))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 12, "name": "Renamed", "cust": 4}])) }));
    let session = session(t);
    let mut case = clevertim_core::Case::with_key(12);
    case.set_name("Renamed");
    session.save(&mut case).await.unwrap();
    assert_eq!(case.who(), Some(4.into()));
}

#[tokio::test]
async fn moving_a_note_makes_its_old_customer_stale_too() {
    let mut t = MockTransport::new();
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/contact/4"))
        .times(2)
        .returning(|_| Box::pin(async { ok(json!([{"id": 4, "fn": "Four"}])) }));
    t.expect_send()
        .withf(|r| is(r, "GET", "/api/note/9"))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 9, "desc": "hi", "cust": 4}])) }));
    t.expect_send()
        .withf(|r| is(r, "PUT", "/api/note/9") && body(r) == json!({"id": 9, "cust": 5}))
        .times(1)
        .returning(|_| Box::pin(async { ok(json!([{"id": 9, "desc": "hi", "cust": 5}])) }));
    let session = session(t);
    let _four: Contact = session.load(4).await.unwrap();
    let mut note: Note = session.load(9).await.unwrap();
    note.set_who(5);
    session.save(&mut note).await.unwrap();
    // Contact 4 no longer has the note: its cached copy was dropped, so it is loaded again.
    let _four_again: Contact = session.load(4).await.unwrap();
}
