//! The objects the scenarios send and serve: one contact with every field the API has and a
//! field it does not know (kept and written back by the SDK), and the envelopes around it.

use bytes::Bytes;
use serde_json::{Value, json};

/// A contact as the API serves it: every field, plus `fmt`, which the SDK does not know.
pub(crate) fn contact(id: u64) -> Value {
    json!({
        "id": id, "fn": format!("First{id}"), "ln": format!("Last{id}"),
        "title": "Business Development", "description": "basic description",
        "is_company": false, "companyId": 3,
        "email": [format!("person{id}@example.com"), "other@example.com"],
        "phones": [{"type": "Work", "no": "008745849854"}, {"type": "Home", "no": "87450"}],
        "website": ["http://www.example.com"], "address": "200 Marbello Road",
        "city": "London", "postcode": "SW9 2BR", "country": "GB",
        "smids": [{"type": "Twitter", "smid": "clevertim"}], "ctype": "C",
        "cf": {"3": "54334", "2": ["a", "b"]}, "tags": ["Europe", "important"],
        "notes": [2], "opportunities": [1], "tasks": [2, 3], "cases": [1, 2, 3],
        "ao": "2026-11-28T10:00:00Z", "lm": "2026-11-28T10:00:00Z", "gid": 0,
        "is_private": false, "fmt": "unknown field"
    })
}

/// The API's answer carrying `objects`.
pub(crate) fn envelope(objects: Vec<Value>) -> Bytes {
    let body = json!({"status": "OK", "content": objects});
    Bytes::from(body.to_string())
}

/// The answer to `GET /contact`: contacts `1..=n`.
pub(crate) fn contact_list(n: u64) -> Bytes {
    envelope((1..=n).map(contact).collect())
}
