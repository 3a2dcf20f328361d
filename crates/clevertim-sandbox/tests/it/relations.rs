//! Derived relationship lists, and what a delete does to the objects that point at it.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn customer_lists_follow_children() {
    let (_sb, api) = empty().await;
    let k = DEFAULT_API_KEY;
    let company = api.create("company", k, json!({"cn": "Co"})).await["id"]
        .as_u64()
        .unwrap();
    let person = api
        .create("contact", k, json!({"fn": "P", "companyId": company}))
        .await["id"]
        .as_u64()
        .unwrap();
    let case = api
        .create("case", k, json!({"name": "c", "cust": person}))
        .await["id"]
        .as_u64()
        .unwrap();
    let opp = api
        .create("opportunity", k, json!({"name": "o", "cust": company}))
        .await["id"]
        .as_u64()
        .unwrap();
    let task = api
        .create(
            "task",
            k,
            json!({"name": "t", "cust": person, "case": case, "opp": opp}),
        )
        .await["id"]
        .as_u64()
        .unwrap();
    let note = api
        .create(
            "note",
            k,
            json!({"desc": "n", "cust": [person, company], "case": case, "opportunity": opp}),
        )
        .await["id"]
        .as_u64()
        .unwrap();
    let note2 = api
        .create("note", k, json!({"desc": "n2", "cust": person}))
        .await["id"]
        .as_u64()
        .unwrap();
    let c1 = api
        .create("comment", k, json!({"comment": "on note", "nid": note}))
        .await["id"]
        .as_u64()
        .unwrap();
    let c2 = api
        .create("comment", k, json!({"comment": "on task", "tid": task}))
        .await["id"]
        .as_u64()
        .unwrap();

    let p = api.one(&format!("/contact/{person}"), k).await;
    assert_eq!(ids(&p["notes"]), vec![note, note2]);
    assert_eq!(ids(&p["tasks"]), vec![task]);
    assert_eq!(ids(&p["cases"]), vec![case]);
    assert_eq!(ids(&p["opportunities"]), Vec::<u64>::new());
    let co = api.one(&format!("/company/{company}"), k).await;
    assert_eq!(
        ids(&co["notes"]),
        vec![note],
        "a note with a list of customers counts for each"
    );
    assert_eq!(ids(&co["opportunities"]), vec![opp]);
    let cs = api.one(&format!("/case/{case}"), k).await;
    assert_eq!(
        (ids(&cs["tasks"]), ids(&cs["notes"])),
        (vec![task], vec![note])
    );
    let op = api.one(&format!("/opportunity/{opp}"), k).await;
    assert_eq!(
        (ids(&op["tasks"]), ids(&op["notes"])),
        (vec![task], vec![note])
    );
    assert_eq!(
        ids(&api.one(&format!("/note/{note}"), k).await["comments"]),
        vec![c1]
    );
    assert_eq!(
        ids(&api.one(&format!("/task/{task}"), k).await["comments"]),
        vec![c2]
    );
    // GET all renders the same derived lists.
    let all = content(&api.get("/contact", k).await.1);
    assert_eq!(
        ids(&all.iter().find(|c| c["id"] == person).unwrap()["notes"]),
        vec![note, note2]
    );

    // Moving a child moves it between lists.
    api.put(&format!("/note/{note2}"), k, json!({"cust": company}))
        .await;
    assert_eq!(
        ids(&api.one(&format!("/contact/{person}"), k).await["notes"]),
        vec![note]
    );
    assert_eq!(
        ids(&api.one(&format!("/company/{company}"), k).await["notes"]),
        vec![note, note2]
    );

    // Deleting a note removes it from every list and takes its comments with it.
    assert_eq!(api.delete(&format!("/note/{note}"), k).await.0, 200);
    assert_eq!(
        ids(&api.one(&format!("/contact/{person}"), k).await["notes"]),
        Vec::<u64>::new()
    );
    assert_eq!(
        ids(&api.one(&format!("/case/{case}"), k).await["notes"]),
        Vec::<u64>::new()
    );
    assert_eq!(
        api.get(&format!("/comment/{c1}"), k).await.0,
        404,
        "comment deleted with its note"
    );
    // Deleting a task takes its comments too.
    assert_eq!(api.delete(&format!("/task/{task}"), k).await.0, 200);
    assert_eq!(
        api.get(&format!("/comment/{c2}"), k).await.0,
        404,
        "comment deleted with its task"
    );
    assert_eq!(
        ids(&api.one(&format!("/opportunity/{opp}"), k).await["tasks"]),
        Vec::<u64>::new()
    );
}

#[tokio::test]
async fn delete_clears_references() {
    let (_sb, api) = empty().await;
    let k = DEFAULT_API_KEY;
    let company = api.create("company", k, json!({"cn": "Co"})).await["id"]
        .as_u64()
        .unwrap();
    let person = api
        .create("contact", k, json!({"fn": "P", "companyId": company}))
        .await["id"]
        .as_u64()
        .unwrap();
    let case = api
        .create("case", k, json!({"name": "c", "cust": person}))
        .await["id"]
        .as_u64()
        .unwrap();
    let task = api
        .create(
            "task",
            k,
            json!({"name": "t", "cust": person, "case": case}),
        )
        .await["id"]
        .as_u64()
        .unwrap();
    let note = api
        .create("note", k, json!({"desc": "n", "cust": [person, company]}))
        .await["id"]
        .as_u64()
        .unwrap();
    let defs = content(&api.get("/customfield", k).await.1);
    let cf_contact = defs
        .iter()
        .find(|d| d["elemType"] == "contact" && d["multiple"] == false)
        .unwrap()["id"]
        .to_string();
    let cf_contacts = defs
        .iter()
        .find(|d| d["elemType"] == "contact" && d["multiple"] == true)
        .unwrap()["id"]
        .to_string();
    let other = api.create("contact", k, json!({"fn": "O"})).await["id"]
        .as_u64()
        .unwrap();
    let opp = api
        .create("opportunity", k, json!({"name": "o", "cf": {&cf_contact: person.to_string(), &cf_contacts: [person.to_string(), other.to_string()]}}))
        .await["id"]
        .as_u64()
        .unwrap();

    assert_eq!(api.delete(&format!("/contact/{person}"), k).await.0, 200);
    assert!(api.one(&format!("/case/{case}"), k).await["cust"].is_null());
    assert!(api.one(&format!("/task/{task}"), k).await["cust"].is_null());
    assert_eq!(
        api.one(&format!("/note/{note}"), k).await["cust"],
        json!([company])
    );
    let o = api.one(&format!("/opportunity/{opp}"), k).await;
    assert!(o["cf"].get(&cf_contact).is_none(), "{o}");
    assert_eq!(o["cf"][&cf_contacts], json!([other.to_string()]));

    assert_eq!(api.delete(&format!("/company/{company}"), k).await.0, 200);
    assert_eq!(
        api.one(&format!("/note/{note}"), k).await["cust"],
        json!([])
    );
    assert_eq!(api.delete(&format!("/case/{case}"), k).await.0, 200);
    assert!(api.one(&format!("/task/{task}"), k).await["case"].is_null());

    // Deleting a custom field removes its values.
    let cf_id: u64 = cf_contacts.parse().unwrap();
    assert_eq!(api.delete(&format!("/customfield/{cf_id}"), k).await.0, 200);
    assert!(
        api.one(&format!("/opportunity/{opp}"), k).await["cf"]
            .get(&cf_contacts)
            .is_none()
    );

    // Deleting a folder clears its files' parentId.
    let folder = api.create("folder", k, json!({"name": "F"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = api
        .create("file", k, json!({"name": "x", "parentId": folder}))
        .await["id"]
        .as_u64()
        .unwrap();
    assert_eq!(api.delete(&format!("/folder/{folder}"), k).await.0, 200);
    assert!(api.one(&format!("/file/{file}"), k).await["parentId"].is_null());
}

#[tokio::test]
async fn demo_data_is_linked() {
    let (_sb, api) = demo().await;
    let k = DEFAULT_API_KEY;
    let c = api.one("/contact/3", k).await;
    assert_eq!(ids(&c["notes"]), vec![1, 3]);
    assert_eq!(ids(&c["tasks"]), vec![1]);
    assert_eq!(ids(&c["cases"]), vec![1]);
    for res in [
        "company",
        "contact",
        "case",
        "opportunity",
        "task",
        "note",
        "comment",
    ] {
        assert!(
            !content(&api.get(&format!("/{res}"), k).await.1).is_empty(),
            "demo has {res}"
        );
    }
}
