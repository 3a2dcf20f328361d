//! The newcomer's natural guesses: string lists from `&str`, custom fields by name, the
//! customer behind a `who()`, keys in maps.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::collections::BTreeMap;

use clevertim_core::{Company, Contact, Customer, Error, Key, Task};
use common::{Script, ok, session};
use pretty_assertions::assert_eq;
use serde_json::json;

#[tokio::test]
async fn string_lists_take_str_and_an_update_sends_just_them() {
    let script = Script::new().then_sent(
        "PUT /api/contact/7",
        json!({"id": 7, "tags": ["vip", "key account", "renewal"], "email": ["a@b.example"]}),
        ok(json!([{"id": 7, "tags": ["vip", "key account", "renewal"], "email": ["a@b.example"]}])),
    );
    let session = session(script);
    let mut mike = Contact::with_key(7);
    mike.set_tags(["vip", "key account"]).add_to_tags("renewal");
    mike.set_emails(vec!["a@b.example"]);
    assert_eq!(mike.tags(), ["vip", "key account", "renewal"]);
    session.save(&mut mike).await.unwrap();
    assert_eq!(mike.emails(), ["a@b.example"]);
    // Owned strings still work, and so does a Vec<String> as before.
    mike.set_tags(vec![String::from("x")]);
    mike.add_to_emails(String::from("c@d.example"));
    assert_eq!(mike.tags(), ["x"]);
    assert!(mike.has_changes());
}

#[tokio::test]
async fn custom_fields_are_found_by_name_with_one_request() {
    let definitions = json!([
        {"id": 3, "name": "Tier", "fullname": "acme.tier", "elemType": "select", "modelType": ["customers"], "values": ["Gold"]},
        {"id": 4, "name": "Region", "elemType": "input", "modelType": ["customers"]},
    ]);
    // One GET for the three names found; an unknown name asks once more (the field may be
    // new since the definitions were cached) before it is NotFound.
    let script = Script::new()
        .then("GET /api/customfield", ok(definitions.clone()))
        .then("GET /api/customfield", ok(definitions));
    let session = session(script);
    let tier = session.custom_field_named("Tier").await.unwrap();
    assert_eq!(tier.key(), Some(Key::new(3)));
    let by_full_name = session.custom_field_named("acme.tier").await.unwrap();
    assert_eq!(by_full_name.key(), Some(Key::new(3)));
    let ignoring_case = session.custom_field_named("region").await.unwrap();
    assert_eq!(ignoring_case.key(), Some(Key::new(4)));
    match session.custom_field_named("Size").await {
        Err(e @ Error::NotFound { .. }) => {
            let message = e.to_string();
            assert!(message.contains("\"Size\""), "{message}");
            assert!(message.contains("\"Tier\", \"Region\""), "{message}");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn the_customer_behind_a_task_is_one_call() {
    let script = Script::new()
        .then(
            "GET /api/task/9",
            ok(json!([{"id": 9, "name": "Call", "cust": 4}])),
        )
        .then(
            "GET /api/contact/4",
            ok(json!([{"id": 4, "fn": "Mike", "ln": "Johnson"}])),
        );
    let session = session(script);
    let task: Task = session.load(9).await.unwrap();
    let who = task.who().unwrap();
    let mike_key: Key<Contact> = Key::new(4);
    assert!(mike_key.same_id(&who));
    let customer = session.customer(who).await.unwrap();
    assert_eq!(customer.to_string(), "Mike Johnson");
    assert!(matches!(customer, Customer::Contact(_)));
}

#[test]
fn company_keys_index_an_ordered_map() {
    let mut names: BTreeMap<Key<Company>, String> = BTreeMap::new();
    for (id, name) in [(10, "Ten"), (9, "Nine"), (100, "Hundred")] {
        let mut company = Company::with_key(id);
        company.set_name(name);
        names.insert(company.key().unwrap(), company.to_string());
    }
    let ordered: Vec<&str> = names.values().map(String::as_str).collect();
    assert_eq!(ordered, ["Nine", "Ten", "Hundred"]);
}
