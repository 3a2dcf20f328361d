//! 400 and 500 answers: required fields, JSON types, enumerations, references and
//! custom field values, each with a useful error text. One table of refused writes, run
//! whole (every failing row is reported, not just the first), then the writes that pass.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use serde_json::{Value, json};

/// A write the sandbox refuses with 400, and what its error text must name.
struct Refused {
    method: &'static str,
    path: &'static str,
    body: Value,
    needles: &'static [&'static str],
}

/// `refused!(METHOD PATH, BODY => [NEEDLES])`.
macro_rules! refused {
    ($method:literal $path:literal, $body:tt => [$($needle:expr),* $(,)?]) => {
        Refused {
            method: $method,
            path: $path,
            body: json!($body),
            needles: &[$($needle),*],
        }
    };
}

/// The ids of the built-in custom fields the cases use, found by their kind.
struct CustomFieldIds {
    select: String,
    date: String,
    user: String,
    contact: String,
    multi_select: String,
    company: String,
    /// "Tier": customers and companies only.
    tier: String,
    /// "Deadline": cases and opportunities only.
    deadline: String,
}

/// Every elemType exists single and multiple, for every scope; returns the ids used here.
async fn custom_field_ids(api: &Api) -> CustomFieldIds {
    let defs = content(&api.get("/customfield", DEFAULT_API_KEY).await.1);
    let find = |elem: &str, multiple: bool| {
        defs.iter()
            .find(|d| {
                d["elemType"] == elem
                    && d["multiple"] == multiple
                    && d["modelType"].as_array().unwrap().len() == 4
            })
            .unwrap_or_else(|| panic!("no {elem} custom field (multiple: {multiple})"))["id"]
            .as_u64()
            .unwrap()
            .to_string()
    };
    for elem in [
        "input",
        "select",
        "date",
        "user",
        "country",
        "state",
        "region",
        "contact",
        "company",
        "case",
        "opportunity",
        "currency",
    ] {
        for multiple in [false, true] {
            let _ = find(elem, multiple);
        }
    }
    let named = |name: &str| defs.iter().find(|d| d["name"] == name).unwrap()["id"].to_string();
    CustomFieldIds {
        select: find("select", false),
        date: find("date", false),
        user: find("user", false),
        contact: find("contact", false),
        multi_select: find("select", true),
        company: find("company", false),
        tier: named("Tier"),
        deadline: named("Deadline"),
    }
}

/// Every refused write, by what it gets wrong.
fn refused_writes(cf: &CustomFieldIds) -> Vec<Refused> {
    vec![
        // Required fields.
        refused!("POST" "/contact", {"title": "x"} => ["'fn' or 'ln'", "required"]),
        refused!("POST" "/company", {"cn": "  "} => ["'cn'", "required"]),
        refused!("POST" "/case", {} => ["'name'"]),
        refused!("POST" "/opportunity", {} => ["'name'"]),
        refused!("POST" "/task", {} => ["'name'"]),
        refused!("POST" "/note", {"cust": 3} => ["'desc'"]),
        refused!("POST" "/comment", {"comment": "x"} => ["exactly one of 'nid' or 'tid'"]),
        refused!("POST" "/comment", {"comment": "x", "nid": 1, "tid": 1} => ["exactly one", "got 2"]),
        refused!("POST" "/comment", {"nid": 1} => ["'comment'"]),
        refused!("POST" "/customfield", {"name": "S", "elemType": "select", "modelType": ["cases"]}
            => ["non-empty 'values'"]),
        refused!("POST" "/customfield", {"name": "S", "elemType": "input", "modelType": []}
            => ["'modelType'"]),
        refused!("PUT" "/case/1", {"name": null} => ["'name'"]),
        // JSON types and enumerations.
        refused!("POST" "/contact", {"fn": 5} => ["'fn'", "must be a string", "5"]),
        refused!("POST" "/contact", {"fn": "a", "email": "a@b.c"} => ["'email'", "list of strings", "a@b.c"]),
        refused!("POST" "/contact", {"fn": "a", "ctype": "Q"} => ["'ctype'", "unknown value \"Q\"", "allowed: C, P"]),
        refused!("POST" "/contact", {"fn": "a", "phones": [{"no": "1", "type": "Satellite"}]}
            => ["'phones.type'", "Satellite"]),
        refused!("POST" "/contact", {"fn": "a", "smids": [{"smid": "x", "type": "MySpace"}]}
            => ["'smids.type'", "MySpace"]),
        refused!("POST" "/contact", {"fn": "a", "gid": -1} => ["'gid'", "non-negative integer"]),
        refused!("POST" "/contact", {"fn": "a", "is_private": "yes"} => ["'is_private'", "true or false"]),
        refused!("POST" "/task", {"name": "t", "atype": "Party"} => ["'atype'", "Party"]),
        refused!("POST" "/task", {"name": "t", "rec": "Q"} => ["'rec'"]),
        refused!("POST" "/task", {"name": "t", "startDate": {"y": "2024"}} => ["'startDate.y'"]),
        refused!("POST" "/task", {"name": "t", "recopts": {"type": "sunday"}} => ["'recopts'"]),
        refused!("POST" "/note", {"desc": "d", "type": "E"} => ["'type'", "\"E\""]),
        refused!("POST" "/opportunity", {"name": "o", "value": "lots"} => ["'value'", "decimal"]),
        refused!("POST" "/customfield", {"name": "c", "elemType": "slider", "modelType": ["cases"]}
            => ["'elemType'", "slider"]),
        refused!("POST" "/customfield", {"name": "c", "elemType": "input", "modelType": ["people"]}
            => ["'modelType'", "people"]),
        refused!("POST" "/contact", ["not", "an", "object"] => ["must be a JSON object"]),
        // A phone number or a social media id must say something.
        refused!("POST" "/contact", {"fn": "a", "phones": [{"no": "", "type": "Work"}]}
            => ["'phones.no'", "must not be empty"]),
        refused!("POST" "/contact", {"fn": "a", "phones": [{"no": "   "}]} => ["'phones.no'", "must not be empty"]),
        refused!("POST" "/company", {"cn": "a", "phones": [{"type": "Work"}]} => ["'phones.no'", "must not be empty"]),
        refused!("PUT" "/contact/3", {"phones": [{"no": null, "type": "Work"}]} => ["'phones.no'", "must not be empty"]),
        refused!("POST" "/contact", {"fn": "a", "smids": [{"smid": "", "type": "Skype"}]}
            => ["'smids.smid'", "must not be empty"]),
        refused!("POST" "/contact", {"fn": "a", "phones": [{"no": 5}]} => ["'phones.no'", "a string"]),
        // References must exist.
        refused!("POST" "/task", {"name": "t", "cust": 999} => ["'cust'", "customer 999", "does not exist"]),
        refused!("POST" "/task", {"name": "t", "case": 999} => ["'case'", "case 999"]),
        refused!("POST" "/task", {"name": "t", "opp": 999} => ["'opp'", "opportunity 999"]),
        refused!("POST" "/task", {"name": "t", "aUserId": 999} => ["'aUserId'", "user 999"]),
        refused!("POST" "/contact", {"fn": "a", "companyId": 3} => ["'companyId'", "company 3"]),
        refused!("POST" "/note", {"desc": "d", "cust": [3, 999]} => ["'cust'", "999"]),
        refused!("POST" "/comment", {"comment": "c", "tid": 999} => ["'tid'", "task 999"]),
        refused!("POST" "/case", {"name": "c", "cust": "abc"} => ["'cust'", "the id of a customer"]),
        // Custom field values.
        refused!("POST" "/case", {"name": "c", "cf": {&cf.select: "Platinum"}}
            => ["custom field", "Platinum", "Gold, Silver, Bronze"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.date: "2023-02-29"}} => ["YYYY-MM-DD", "2023-02-29"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.date: 20230101}} => ["expected a string"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.user: "77"}} => ["user 77 does not exist"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.contact: "1"}} => ["contact 1 does not exist"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.multi_select: "Gold"}} => ["expected a list"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.select: ["Gold"]}} => ["expected a string"]),
        refused!("POST" "/case", {"name": "c", "cf": {"4242": "x"}} => ["custom field \"4242\" does not exist"]),
        refused!("POST" "/case", {"name": "c", "cf": "x"} => ["'cf'"]),
        refused!("POST" "/case", {"name": "c", "cf": {&cf.tier: "X"}} => ["does not apply to cases"]),
        refused!("POST" "/contact", {"fn": "c", "cf": {&cf.deadline: "2024-01-01"}} => ["does not apply to customers"]),
    ]
}

#[tokio::test]
async fn every_invalid_write_gets_400_naming_the_problem() {
    let (_sb, api) = demo().await;
    let cf = custom_field_ids(&api).await;
    let cases = refused_writes(&cf);
    let mut failures = Vec::new();
    for Refused {
        method,
        path,
        body,
        needles,
    } in &cases
    {
        let (status, reply) = api
            .send(method, path, Some(DEFAULT_API_KEY), Some(body.clone()))
            .await;
        if status != 400 || reply["status"] != "ERROR" {
            failures.push(format!("{method} {path} {body}: {status} {reply}"));
            continue;
        }
        let text = error_text(&reply);
        for needle in needles.iter().filter(|n| !text.contains(*n)) {
            failures.push(format!("{method} {path} {body}: {text:?} lacks {needle:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(cases.len() > 50);
}

#[tokio::test]
async fn a_note_may_concern_several_customers() {
    let (_sb, api) = demo().await;
    // Contacts and companies alike.
    let note = api
        .create(
            "note",
            DEFAULT_API_KEY,
            json!({"desc": "d", "cust": [3, 1]}),
        )
        .await;
    assert_eq!(note["cust"], json!([3, 1]));
}

#[tokio::test]
async fn valid_custom_field_values_are_stored_and_merged() {
    let (_sb, api) = demo().await;
    let CustomFieldIds {
        select: sel,
        date,
        user,
        contact,
        multi_select: multi_sel,
        company,
        tier,
        ..
    } = custom_field_ids(&api).await;
    let good = json!({&sel: "Gold", &date: "2024-02-29", &user: "2", &contact: "3", &multi_sel: ["Gold", "Bronze"], &company: 1});
    let created = api
        .create("case", DEFAULT_API_KEY, json!({"name": "c", "cf": good}))
        .await;
    assert_eq!(
        created["cf"][&company], "1",
        "reference values are stored as id strings"
    );
    assert_eq!(created["cf"][&multi_sel], json!(["Gold", "Bronze"]));
    // Scope: "Tier" applies to customers and companies.
    let ok = api
        .create(
            "company",
            DEFAULT_API_KEY,
            json!({"cn": "c", "cf": {&tier: "Y"}}),
        )
        .await;
    assert_eq!(ok["cf"][&tier], "Y");
    // PUT merges cf per key; null removes a key.
    let id = created["id"].as_u64().unwrap();
    let (status, body) = api
        .put(
            &format!("/case/{id}"),
            DEFAULT_API_KEY,
            json!({"cf": {&sel: "Silver", &date: null}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let cf = &content(&body)[0]["cf"];
    assert_eq!(cf[&sel], "Silver");
    assert!(cf.get(&date).is_none());
    assert_eq!(cf[&user], "2");
}

#[tokio::test]
async fn bodies_that_are_not_json_get_500() {
    let (_sb, api) = demo().await;
    for body in [
        &b"{not json"[..],
        b"",
        b"{\"fn\": \"a\"",
        b"\xff\xfe{}",
        b"{\"fn\": \"\xc3\x28\"}",
    ] {
        let (status, reply) = api
            .send_bytes(
                "POST",
                "/contact",
                Some(DEFAULT_API_KEY),
                body.to_vec(),
                &[],
            )
            .await;
        assert_eq!(status, 500, "{body:?}: {reply}");
        assert!(
            error_text(&reply).contains("Could not parse the request body as JSON"),
            "{reply}"
        );
    }
}
