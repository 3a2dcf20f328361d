//! Objects know the account they came from: a session of another account refuses to save or
//! delete them before anything is sent (issue 22, item 1).
#![allow(clippy::unwrap_used)]

use clevertim::{Contact, Error, Session};
use clevertim_sandbox::Sandbox;

async fn session_of(sandbox: &Sandbox) -> Session {
    Session::builder(sandbox.api_key())
        .endpoint(sandbox.endpoint())
        .build()
        .unwrap()
}

#[tokio::test]
async fn another_accounts_session_refuses_to_save_or_delete_before_sending() {
    let (a, b) = (
        Sandbox::start().await.unwrap(),
        Sandbox::start().await.unwrap(),
    );
    let (sa, sb) = (session_of(&a).await, session_of(&b).await);

    let mut jane: Contact = sa.load(4).await.unwrap();
    let original_title = jane.title().map(str::to_owned);
    jane.set_title("Moved by mistake");
    let b_before = b.requests_served();

    let refused = sb.save(&mut jane).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::OtherAccount {
                operation: "save",
                resource: "contact",
                ..
            }
        ),
        "{refused:?}"
    );
    let text = refused.to_string();
    let host = |s: &Sandbox| s.endpoint().split('/').nth(2).unwrap().to_owned();
    assert!(text.contains("contact 4"), "{text}");
    assert!(
        text.contains(&host(&a)) && text.contains(&host(&b)),
        "{text}"
    );
    assert!(text.contains("copy_as_new"), "{text}");
    assert!(
        !text.contains(a.api_key()) && !text.contains(b.api_key()),
        "{text}"
    );
    assert!(jane.has_changes(), "the refused change is still pending");

    let refused = sb.delete(&mut jane).await.unwrap_err();
    assert!(
        matches!(
            refused,
            Error::OtherAccount {
                operation: "delete",
                ..
            }
        ),
        "{refused:?}"
    );
    assert_eq!(jane.key().map(|k| k.id().to_string()).as_deref(), Some("4"));
    assert_eq!(
        b.requests_served(),
        b_before,
        "nothing was sent to account B"
    );

    // B's #4 is untouched; A still takes the change.
    let theirs: Contact = sb.load(4).await.unwrap();
    assert_eq!(theirs.title().map(str::to_owned), original_title);
    sa.save(&mut jane).await.unwrap();
    assert!(!jane.has_changes());
    let fresh = session_of(&a).await;
    let mine: Contact = fresh.load(4).await.unwrap();
    assert_eq!(mine.title(), Some("Moved by mistake"));
    // Another session of the same account is the same origin.
    assert_eq!(mine.origin(), jane.origin());
}

#[tokio::test]
async fn a_copy_as_new_is_created_in_the_other_account() {
    let (a, b) = (
        Sandbox::start().await.unwrap(),
        Sandbox::start().await.unwrap(),
    );
    let (sa, sb) = (session_of(&a).await, session_of(&b).await);
    let jane: Contact = sa.load(4).await.unwrap();

    let mut copy = jane.copy_as_new();
    assert_eq!((copy.key(), copy.origin()), (None, None));
    sb.save(&mut copy).await.unwrap();
    let new_key = copy.key().unwrap();
    assert_eq!(copy.first_name(), jane.first_name());
    assert!(copy.origin().is_some() && copy.origin() != jane.origin());
    let in_b: Contact = sb.load(new_key).await.unwrap();
    assert_eq!(in_b.last_name(), jane.last_name());
}

#[tokio::test]
async fn objects_built_by_hand_go_through_any_session() {
    let (a, b) = (
        Sandbox::start().await.unwrap(),
        Sandbox::start().await.unwrap(),
    );
    let (sa, sb) = (session_of(&a).await, session_of(&b).await);

    let mut by_key = Contact::with_key(4);
    by_key.set_title("Set by key");
    sb.save(&mut by_key).await.unwrap();
    assert_eq!(
        by_key.origin(),
        sb.load::<Contact>(4).await.unwrap().origin()
    );

    let mut mike = Contact::new();
    mike.set_first_name("Mike");
    sa.save(&mut mike).await.unwrap();
    assert!(mike.key().is_some());
    // Saved through A, it is A's now.
    assert!(matches!(
        sb.delete(&mut mike).await,
        Err(Error::OtherAccount { .. })
    ));
    sa.delete(&mut mike).await.unwrap();
}

#[tokio::test]
async fn the_origin_does_not_survive_serialization() {
    let a = Sandbox::start().await.unwrap();
    let sa = session_of(&a).await;
    let jane: Contact = sa.load(4).await.unwrap();
    let json = serde_json::to_value(&jane).unwrap();
    assert!(json.get("origin").is_none(), "{json}");
    let back: Contact = serde_json::from_value(json).unwrap();
    assert_eq!(back, jane);
    assert!(
        back.origin().is_none(),
        "a deserialized object is like one built by hand"
    );
}
