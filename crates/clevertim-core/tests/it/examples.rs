//! Every model reads its documented example and writes it back unchanged.
#![allow(clippy::unwrap_used)]

use crate::common;

use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, CustomerType, ElemType, Key, Note, Opportunity,
    PhoneType, Scope, SocialMediaVenue, Task, TaskDate, TaskTime, TaskType,
};
use common::example;
use pretty_assertions::assert_eq;
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<R: DeserializeOwned + Serialize>(name: &str) -> R {
    let json = example(name);
    let model: R = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&model).unwrap(),
        json,
        "{name} changed in a round trip"
    );
    model
}

#[test]
fn contact() {
    let c: Contact = round_trip("contact");
    assert_eq!(c.key(), Some(4.into()));
    assert_eq!(c.first_name(), Some("PRAVEEN"));
    assert_eq!(c.last_name(), Some("BELLUR"));
    assert_eq!(c.title(), Some("Business Development IT Sales"));
    assert_eq!(c.company(), Some(Key::new(3)));
    assert_eq!(
        c.emails(),
        ["praveen.bellur@gmail.com", "praveen@yahoo.com"]
    );
    assert_eq!(c.websites().len(), 2);
    assert_eq!(c.phone_numbers()[1].kind(), Some(&PhoneType::Home));
    assert_eq!(c.phone_numbers()[1].number(), Some("87450-94545"));
    assert_eq!(
        c.social_media_ids()[0].venue(),
        Some(&SocialMediaVenue::Twitter)
    );
    assert_eq!(c.customer_type(), Some(CustomerType::Customer));
    assert_eq!(c.tags(), ["Europe", "twitter", "important"]);
    assert_eq!(c.cases(), [1.into(), 2.into(), 3.into()]);
    assert_eq!(c.is_company(), Some(false));
    let cf = c.custom_field_values().unwrap();
    assert_eq!(cf.get(&3.into()), Some(&"54334".into()));
}

#[test]
fn company() {
    let c: Company = round_trip("company");
    assert_eq!(c.name(), Some("Busy Bee Ltd."));
    assert_eq!(c.country(), Some("United Kingdom"));
    assert_eq!(c.is_company(), Some(true));
    assert_eq!(c.opportunities(), [1.into()]);
}

#[test]
fn case() {
    let c: Case = round_trip("case");
    assert_eq!(c.name(), Some("Case 1"));
    assert_eq!(c.lead_user(), Some(5.into()));
    assert_eq!(c.who(), Some(34.into()));
    assert_eq!(c.tasks(), [3.into(), 2.into()]);
}

#[test]
fn opportunity() {
    let o: Opportunity = round_trip("opportunity");
    assert_eq!(o.status(), Some("Won"));
    assert_eq!(o.value(), Some("4500"));
    assert_eq!(o.currency(), Some("EUR"));
    assert_eq!(o.who(), Some(4.into()));
}

#[test]
fn task() {
    let t: Task = round_trip("task");
    assert_eq!(t.task_type(), Some(TaskType::ToDo));
    assert_eq!(t.start_date(), Some(TaskDate::new(2013, 12, 29)));
    assert_eq!(t.start_time(), Some(TaskTime::new(4, 4)));
    assert_eq!(t.end_time(), Some(TaskTime::new(7, 5)));
    assert_eq!(t.assigned_to(), Some(2.into()));
    assert_eq!(t.is_completed(), Some(false));
    assert_eq!(t.opportunity(), Some(2.into()));
    assert_eq!(t.case(), Some(1.into()));
}

#[test]
fn note() {
    let n: Note = round_trip("note");
    assert_eq!(n.who(), [2.into()]);
    assert_eq!(n.comments(), [1.into(), 5.into()]);
    assert!(n.description().unwrap().starts_with("One more note"));
}

#[test]
fn comment_keeps_its_null_task() {
    let c: Comment = round_trip("comment");
    assert_eq!(c.note(), Some(3.into()));
    assert_eq!(c.task(), None);
}

#[test]
fn custom_fields() {
    let date: CustomField = round_trip("customfield");
    assert_eq!(date.elem_type(), Some(ElemType::Date));
    assert_eq!(date.scopes(), [Scope::Cases, Scope::Opportunities]);
    let select: CustomField = round_trip("customfield-select");
    assert_eq!(select.values(), ["X", "Y", "Z"]);
    assert_eq!(select.multiple(), Some(false));
}

#[test]
fn unknown_fields_and_values_survive() {
    let json = serde_json::json!({
        "id": 9, "desc": "x", "fmt": "html", "type": "Q", "cust": [1, 2],
        "email": {"f": "a@b", "t": [{"e": "c@d", "s": "b", "t": "mailbox full", "z": 1}]}
    });
    let note: Note = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(note.extra()["fmt"], "html");
    assert_eq!(note.who(), [1.into(), 2.into()]);
    let email = note.email_info().unwrap();
    assert_eq!(email.to()[0].bounce_reason(), Some("mailbox full"));
    assert_eq!(serde_json::to_value(&note).unwrap(), json);
}

#[test]
fn a_field_of_an_unexpected_type_is_kept_as_sent() {
    let json = serde_json::json!({
        "id": 1, "recevery": "2", "is_private": 0, "atype": 5, "name": 42, "location": "Leeds"
    });
    let task: Task = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(task.recurrence_every(), None);
    assert_eq!(task.name(), None);
    assert_eq!(task.location(), Some("Leeds"));
    assert_eq!(task.extra()["recevery"], "2");
    assert_eq!(serde_json::to_value(&task).unwrap(), json, "nothing lost");
    // Setting the field replaces the odd value instead of sending the name twice.
    let mut task = task;
    task.set_recurrence_every(3u32);
    let encoded = serde_json::to_string(&task).unwrap();
    assert_eq!(encoded.matches("recevery").count(), 1, "{encoded}");
    assert!(encoded.contains(r#""recevery":3"#), "{encoded}");
}

#[test]
fn a_list_malformed_inside_is_an_error_naming_the_field() {
    let err = serde_json::from_str::<Contact>(r#"{"id": 1, "email": ["ok", 5]}"#).unwrap_err();
    assert!(err.to_string().contains("field `email`"), "{err}");
}
