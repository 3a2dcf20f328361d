//! Every validation rule rejects a bad value before any write is sent.
#![allow(clippy::unwrap_used)]

use crate::common;

use clevertim_core::{
    Case, Comment, Contact, CustomField, ElemType, Error, Folder, Note, NoteType, PhoneNumber,
    Resource, Scope, SocialMediaId, Task, TaskDate, TaskTime, ValidationError,
};
use common::{Script, ok, session};
use serde_json::json;

/// A transport that must never be called.
fn silent() -> Script {
    Script::new()
}

/// Saves `object` through a transport that must stay silent; returns the validation error.
async fn rejected<R: Resource>(mut object: R) -> ValidationError {
    match session(silent()).save(&mut object).await {
        Err(Error::Validation(e)) => e,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn phone_types() {
    let mut c = Contact::new();
    c.set_first_name("A")
        .phone_numbers_mut()
        .push(PhoneNumber::new("1", "Cell"));
    let e = rejected(c).await;
    assert_eq!((e.field.as_str(), e.value.as_str()), ("phones", "Cell"));
    assert!(
        e.to_string().contains("Work, Home, Mobile, Fax, Pager"),
        "{e}"
    );
}

#[tokio::test]
async fn social_media_venues() {
    let mut c = Contact::new();
    c.set_last_name("B")
        .social_media_ids_mut()
        .push(SocialMediaId::new("me", "MySpace"));
    let e = rejected(c).await;
    assert_eq!((e.field.as_str(), e.value.as_str()), ("smids", "MySpace"));
}

#[tokio::test]
async fn empty_phone_numbers_and_social_media_ids() {
    use clevertim_core::{PhoneType, SocialMediaVenue};
    for blank in ["", "   "] {
        let mut c = Contact::new();
        c.set_first_name("A")
            .phone_numbers_mut()
            .push(PhoneNumber::new(blank, PhoneType::Work));
        let e = rejected(c).await;
        assert_eq!(e.field, "phones");
        assert!(e.reason.contains("empty phone number"), "{e}");

        let mut c = Contact::new();
        c.set_first_name("A")
            .social_media_ids_mut()
            .push(SocialMediaId::new(blank, SocialMediaVenue::Github));
        let e = rejected(c).await;
        assert_eq!(e.field, "smids");
        assert!(e.reason.contains("empty social media id"), "{e}");
    }
}

#[tokio::test]
async fn task_types_dates_and_times() {
    let mut t = Task::new();
    t.set_name("x").set_task_type("Chore");
    assert_eq!(rejected(t).await.value, "Chore");

    let mut t = Task::new();
    t.set_name("x").set_start_date(TaskDate::new(2026, 2, 30));
    assert_eq!(rejected(t).await.field, "startDate");

    let mut t = Task::new();
    t.set_name("x").set_end_time(TaskTime::new(9, 60));
    assert_eq!(rejected(t).await.field, "endDate");
}

#[tokio::test]
async fn recurrence_options() {
    let mut t = Task::new();
    t.set_name("x").set_recurrence("Q");
    assert_eq!(rejected(t).await.field, "rec");

    let mut t = Task::new();
    t.set_name("x")
        .set_recurrence_options(serde_json::from_value(json!({"type": "weekend"})).unwrap());
    assert_eq!(rejected(t).await.value, "weekend");

    let mut t = Task::new();
    t.set_name("x").set_recurrence_every(0u32);
    assert_eq!(rejected(t).await.field, "recevery");
}

#[tokio::test]
async fn note_types_that_cannot_be_set() {
    let mut n = Note::new();
    n.set_description("x").set_note_type(NoteType::MailDrop);
    let e = rejected(n).await;
    assert_eq!((e.field.as_str(), e.value.as_str()), ("type", "E"));

    let mut n = Note::new();
    n.set_description("x").set_note_type("Z");
    assert_eq!(rejected(n).await.value, "Z");
}

#[tokio::test]
async fn custom_field_definitions() {
    let mut f = CustomField::new();
    f.set_elem_type(ElemType::Input)
        .set_scopes(vec![Scope::Cases]);
    assert_eq!(rejected(f).await.field, "name");

    let mut f = CustomField::new();
    f.set_name("n").set_scopes(vec![Scope::Cases]);
    assert_eq!(rejected(f).await.field, "elemType");

    let mut f = CustomField::new();
    f.set_name("n").set_elem_type(ElemType::Input);
    assert_eq!(rejected(f).await.field, "modelType");

    let mut f = CustomField::new();
    f.set_name("n")
        .set_elem_type(ElemType::Select)
        .set_scopes(vec![Scope::Cases]);
    assert_eq!(rejected(f).await.field, "values");
}

#[tokio::test]
async fn a_folder_parent_must_be_saved() {
    let unsaved = Folder::new();
    let e = Folder::new().set_parent(&unsaved).map(|_| ()).unwrap_err();
    assert_eq!(e.field, "parentId");
    let saved: Folder = serde_json::from_value(json!({"id": "f1", "name": "Root"})).unwrap();
    let mut child = Folder::new();
    child.set_parent(&saved).unwrap();
    assert_eq!(child.parent_key(), Some("f1".into()));
}

#[tokio::test]
async fn a_comment_needs_exactly_one_of_note_or_task() {
    let mut c = Comment::new();
    c.set_comment("neither");
    assert_eq!(rejected(c).await.field, "nid/tid");
    let mut c = Comment::new();
    c.set_comment("both").set_note(1).set_task(2);
    assert_eq!(rejected(c).await.field, "nid/tid");
}

/// Custom field values are checked against the definitions: one GET of the list, no write.
async fn cf_rejected<R: Resource>(mut object: R) -> ValidationError {
    let script = Script::new().then(
        "GET /api/customfield",
        ok(json!([
            {"id": 1, "name": "Deadline", "elemType": "date", "modelType": ["cases", "customers"]},
            {"id": 2, "name": "Tier", "elemType": "select", "modelType": ["customers"], "values": ["X", "Y"]},
            {"id": 3, "name": "Tags", "elemType": "input", "modelType": ["customers"], "multiple": true},
            {"id": 4, "name": "Owner", "elemType": "user", "modelType": ["customers"]}
        ])),
    );
    match session(script).save(&mut object).await {
        Err(Error::Validation(e)) => e,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn contact_with(field: i64, value: impl Into<clevertim_core::CustomFieldValue>) -> Contact {
    let mut c = Contact::new();
    c.set_first_name("A").set_custom_field(field, value);
    c
}

#[tokio::test]
async fn custom_field_values() {
    let e = cf_rejected(contact_with(1, "22/11/2012")).await;
    assert_eq!((e.field.as_str(), e.value.as_str()), ("cf.1", "22/11/2012"));
    assert!(e.reason.contains("YYYY-MM-DD"));

    let e = cf_rejected(contact_with(2, "W")).await;
    assert!(e.reason.contains("X, Y"), "{e}");

    assert!(
        cf_rejected(contact_with(3, "one"))
            .await
            .reason
            .contains("holds a list")
    );
    assert!(
        cf_rejected(contact_with(2, vec!["X"]))
            .await
            .reason
            .contains("holds one value")
    );
    assert!(
        cf_rejected(contact_with(4, "bob"))
            .await
            .reason
            .contains("user id")
    );
    assert!(
        cf_rejected(contact_with(99, "x"))
            .await
            .reason
            .contains("names no custom field")
    );

    let mut case = Case::new();
    case.set_name("c").set_custom_field(2, "X");
    assert!(
        cf_rejected(case)
            .await
            .reason
            .contains("does not apply to cases")
    );
}
