//! `Session::set_custom_field_named` against the sandbox over loopback HTTP: what it sets,
//! what it refuses (an unknown name, a value of the wrong type) and the requests it costs.

// A test: a failed expectation is a panic with its reason.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex, PoisonError};

use clevertim::bytes::Bytes;
use clevertim::transports::HyperTransport;
use clevertim::{
    Case, Contact, CustomField, CustomFieldValue, ElemType, Error, Scope, Session, Transport,
    transport_fn,
};
use clevertim_sandbox::Sandbox;

/// The requests a session sent, as `METHOD /path`.
#[derive(Clone, Default)]
struct Sent(Arc<Mutex<Vec<String>>>);

impl Sent {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A session on `sandbox` over hyper whose requests land in the returned [`Sent`].
fn session(sandbox: &Sandbox) -> (Session, Sent) {
    let sent = Sent::default();
    let hyper = Arc::new(HyperTransport::new().unwrap());
    let log = sent.clone();
    let transport = transport_fn(move |request: clevertim::http::Request<Bytes>| {
        let line = format!("{} {}", request.method(), request.uri().path());
        log.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
        let hyper = hyper.clone();
        async move { hyper.send(request).await }
    });
    let session = Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .transport(transport)
        .build()
        .unwrap();
    (session, sent)
}

/// The id of the seeded custom field `name`, as the key's text.
async fn field_id(session: &Session, name: &str) -> String {
    let field = session.custom_field_named(name).await.unwrap();
    field.key().unwrap().to_string()
}

#[tokio::test]
async fn sets_a_value_by_name_for_the_next_save_with_one_definitions_fetch() {
    let sandbox = Sandbox::start().await.unwrap();
    let (session, sent) = session(&sandbox);
    let mut jane: Contact = session.load(4).await.unwrap();
    let mut acme: clevertim::Company = session.load(2).await.unwrap();
    sent.take();

    let core = session.core();
    core.set_custom_field_named(&mut jane, "Tier", "Y")
        .await
        .unwrap();
    core.set_custom_field_named(&mut acme, "tier", "Z")
        .await
        .unwrap();
    assert_eq!(
        sent.take(),
        ["GET /api/customfield"],
        "one fetch of the definitions, then the cache"
    );

    session.save(&mut jane).await.unwrap();
    session.save(&mut acme).await.unwrap();
    assert_eq!(
        sent.take(),
        ["PUT /api/contact/4", "PUT /api/company/2"],
        "the saves check against the cached definitions"
    );

    let tier = field_id(&session, "Tier").await;
    let (fresh, _) = self::session(&sandbox);
    let stored: Contact = fresh.load(4).await.unwrap();
    assert_eq!(
        stored.custom_field(tier.as_str()),
        Some(&CustomFieldValue::from("Y"))
    );
    let stored: clevertim::Company = fresh.load(2).await.unwrap();
    assert_eq!(
        stored.custom_field(tier.as_str()),
        Some(&CustomFieldValue::from("Z"))
    );
}

#[tokio::test]
async fn an_unknown_name_is_not_found_and_names_the_fields_there_are() {
    let sandbox = Sandbox::start().await.unwrap();
    let (session, sent) = session(&sandbox);
    let mut jane = Contact::with_key(4);

    let unknown = session
        .core()
        .set_custom_field_named(&mut jane, "Shoe size", "44")
        .await
        .unwrap_err();
    let Error::NotFound { resource, key, .. } = &unknown else {
        panic!("expected NotFound, got {unknown:?}");
    };
    assert_eq!(*resource, "customfield");
    assert!(key.contains("\"Shoe size\""), "{unknown}");
    assert!(key.contains("\"Tier\""), "lists the known names: {unknown}");
    assert_eq!(jane.custom_field_values(), None, "nothing set");
    assert_eq!(sent.take(), ["GET /api/customfield"]);
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_refused_naming_the_field() {
    let sandbox = Sandbox::start().await.unwrap();
    let (session, sent) = session(&sandbox);
    let core = session.core();
    let tier = field_id(&session, "Tier").await;
    let date = field_id(&session, "Date").await;
    let deadline = field_id(&session, "Deadline").await;
    sent.take();

    let mut jane = Contact::with_key(4);
    let refusals = [
        (
            "Tier",
            CustomFieldValue::from("Platinum"),
            &tier,
            "is not among the values of \"Tier\": X, Y, Z",
        ),
        (
            "Tier",
            CustomFieldValue::from(vec!["X"]),
            &tier,
            "is a list, but \"Tier\" holds one value",
        ),
        (
            "Date",
            CustomFieldValue::from("next Tuesday"),
            &date,
            "is not a YYYY-MM-DD date for \"Date\"",
        ),
        (
            "Deadline",
            CustomFieldValue::from("2026-03-01"),
            &deadline,
            "\"Deadline\", which does not apply to customers",
        ),
    ];
    for (name, value, id, reason) in refusals {
        let refused = core
            .set_custom_field_named(&mut jane, name, value.clone())
            .await
            .unwrap_err();
        let Error::Validation(e) = &refused else {
            panic!("{name} = {value}: expected a validation error, got {refused:?}");
        };
        assert_eq!(e.resource, "contact");
        assert_eq!(e.field, format!("cf.{id}"));
        assert!(e.reason.contains(reason), "{name} = {value}: {refused}");
    }
    assert_eq!(jane.custom_field_values(), None, "nothing set");
    assert!(
        sent.take().iter().all(|r| r == "GET /api/customfield"),
        "a refusal asks for the definitions again, and sends nothing else"
    );

    // The same date suits a case, where "Deadline" applies.
    let mut case = Case::new();
    case.set_name("Renewal");
    core.set_custom_field_named(&mut case, "Deadline", "2026-03-01")
        .await
        .unwrap();
    session.save(&mut case).await.unwrap();
    assert_eq!(
        case.custom_field(deadline.as_str()),
        Some(&CustomFieldValue::from("2026-03-01"))
    );
}

#[tokio::test]
async fn a_field_made_since_the_definitions_were_cached_is_found() {
    let sandbox = Sandbox::start().await.unwrap();
    let (session, sent) = session(&sandbox);
    field_id(&session, "Tier").await; // caches the definitions

    let (other_client, _) = self::session(&sandbox);
    let mut size = CustomField::new();
    size.set_name("Shoe size")
        .set_elem_type(ElemType::Select)
        .set_scopes([Scope::Customers])
        .set_values(["42", "44"]);
    other_client.save(&mut size).await.unwrap();
    sent.take();

    let mut jane = Contact::with_key(4);
    session
        .core()
        .set_custom_field_named(&mut jane, "Shoe size", "44")
        .await
        .unwrap();
    assert_eq!(
        jane.custom_field(size.key().unwrap()),
        Some(&CustomFieldValue::from("44"))
    );
    assert_eq!(
        sent.take(),
        ["GET /api/customfield"],
        "the stale cache is asked again once"
    );
}
