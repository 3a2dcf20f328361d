//! 400 and 500 answers: required fields, JSON types, enumerations, references and
//! custom field values, each with a useful error text.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;

async fn expect_400(
    api: &Api,
    method: &str,
    path: &str,
    body: serde_json::Value,
    needles: &[&str],
) {
    let (status, reply) = api
        .send(method, path, Some(DEFAULT_API_KEY), Some(body.clone()))
        .await;
    assert_eq!(status, 400, "{method} {path} {body}: {reply}");
    let text = error_text(&reply);
    for needle in needles {
        assert!(
            text.contains(needle),
            "{method} {path} {body}: {text:?} lacks {needle:?}"
        );
    }
}

#[tokio::test]
async fn required_fields() {
    let (_sb, api) = demo().await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"title": "x"}),
        &["'fn' or 'ln'", "required"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/company",
        json!({"cn": "  "}),
        &["'cn'", "required"],
    )
    .await;
    for res in ["case", "opportunity", "task"] {
        expect_400(&api, "POST", &format!("/{res}"), json!({}), &["'name'"]).await;
    }
    expect_400(&api, "POST", "/note", json!({"cust": 3}), &["'desc'"]).await;
    expect_400(
        &api,
        "POST",
        "/comment",
        json!({"comment": "x"}),
        &["exactly one of 'nid' or 'tid'"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/comment",
        json!({"comment": "x", "nid": 1, "tid": 1}),
        &["exactly one", "got 2"],
    )
    .await;
    expect_400(&api, "POST", "/comment", json!({"nid": 1}), &["'comment'"]).await;
    expect_400(
        &api,
        "POST",
        "/customfield",
        json!({"name": "S", "elemType": "select", "modelType": ["cases"]}),
        &["non-empty 'values'"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/customfield",
        json!({"name": "S", "elemType": "input", "modelType": []}),
        &["'modelType'"],
    )
    .await;
    expect_400(&api, "PUT", "/case/1", json!({"name": null}), &["'name'"]).await;
}

#[tokio::test]
async fn wrong_json_types_and_enums() {
    let (_sb, api) = demo().await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": 5}),
        &["'fn'", "must be a string", "5"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "email": "a@b.c"}),
        &["'email'", "list of strings", "a@b.c"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "ctype": "Q"}),
        &["'ctype'", "unknown value \"Q\"", "allowed: C, P"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "phones": [{"no": "1", "type": "Satellite"}]}),
        &["'phones.type'", "Satellite"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "smids": [{"smid": "x", "type": "MySpace"}]}),
        &["'smids.type'", "MySpace"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "gid": -1}),
        &["'gid'", "non-negative integer"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "is_private": "yes"}),
        &["'is_private'", "true or false"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "atype": "Party"}),
        &["'atype'", "Party"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "rec": "Q"}),
        &["'rec'"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "startDate": {"y": "2024"}}),
        &["'startDate.y'"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "recopts": {"type": "sunday"}}),
        &["'recopts'"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/note",
        json!({"desc": "d", "type": "E"}),
        &["'type'", "\"E\""],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/opportunity",
        json!({"name": "o", "value": "lots"}),
        &["'value'", "decimal"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/customfield",
        json!({"name": "c", "elemType": "slider", "modelType": ["cases"]}),
        &["'elemType'", "slider"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/customfield",
        json!({"name": "c", "elemType": "input", "modelType": ["people"]}),
        &["'modelType'", "people"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!(["not", "an", "object"]),
        &["must be a JSON object"],
    )
    .await;
}

#[tokio::test]
async fn references_must_exist() {
    let (_sb, api) = demo().await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "cust": 999}),
        &["'cust'", "customer 999", "does not exist"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "case": 999}),
        &["'case'", "case 999"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "opp": 999}),
        &["'opp'", "opportunity 999"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/task",
        json!({"name": "t", "aUserId": 999}),
        &["'aUserId'", "user 999"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "a", "companyId": 3}),
        &["'companyId'", "company 3"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/note",
        json!({"desc": "d", "cust": [3, 999]}),
        &["'cust'", "999"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/comment",
        json!({"comment": "c", "tid": 999}),
        &["'tid'", "task 999"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cust": "abc"}),
        &["'cust'", "the id of a customer"],
    )
    .await;
    // A note may concern several customers, contacts and companies alike.
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
async fn custom_field_values() {
    let (_sb, api) = demo().await;
    let defs = content(&api.get("/customfield", DEFAULT_API_KEY).await.1);
    let find = |elem: &str, multiple: bool| {
        defs.iter()
            .find(|d| {
                d["elemType"] == elem
                    && d["multiple"] == multiple
                    && d["modelType"].as_array().unwrap().len() == 4
            })
            .unwrap()["id"]
            .as_u64()
            .unwrap()
            .to_string()
    };
    // Every elemType, single and multiple, exists for every scope.
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
    let (sel, date, user, contact, multi_sel, company) = (
        find("select", false),
        find("date", false),
        find("user", false),
        find("contact", false),
        find("select", true),
        find("company", false),
    );
    let good = json!({&sel: "Gold", &date: "2024-02-29", &user: "2", &contact: "3", &multi_sel: ["Gold", "Bronze"], &company: 1});
    let created = api
        .create("case", DEFAULT_API_KEY, json!({"name": "c", "cf": good}))
        .await;
    assert_eq!(
        created["cf"][&company], "1",
        "reference values are stored as id strings"
    );
    assert_eq!(created["cf"][&multi_sel], json!(["Gold", "Bronze"]));
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&sel: "Platinum"}}),
        &["custom field", "Platinum", "Gold, Silver, Bronze"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&date: "2023-02-29"}}),
        &["YYYY-MM-DD", "2023-02-29"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&date: 20230101}}),
        &["expected a string"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&user: "77"}}),
        &["user 77 does not exist"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&contact: "1"}}),
        &["contact 1 does not exist"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&multi_sel: "Gold"}}),
        &["expected a list"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&sel: ["Gold"]}}),
        &["expected a string"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {"4242": "x"}}),
        &["custom field \"4242\" does not exist"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": "x"}),
        &["'cf'"],
    )
    .await;
    // Scope: "Tier" applies to customers and companies only; "Deadline" to cases and opportunities.
    let tier = defs.iter().find(|d| d["name"] == "Tier").unwrap()["id"].to_string();
    let deadline = defs.iter().find(|d| d["name"] == "Deadline").unwrap()["id"].to_string();
    expect_400(
        &api,
        "POST",
        "/case",
        json!({"name": "c", "cf": {&tier: "X"}}),
        &["does not apply to cases"],
    )
    .await;
    expect_400(
        &api,
        "POST",
        "/contact",
        json!({"fn": "c", "cf": {&deadline: "2024-01-01"}}),
        &["does not apply to customers"],
    )
    .await;
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
