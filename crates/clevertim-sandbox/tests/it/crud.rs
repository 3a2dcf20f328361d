//! Every verb on every resource, the envelope, partial PUT, ids and timestamps.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use serde_json::{Value, json};

/// A minimal valid body for each writable resource, given a few existing ids.
fn minimal(res: &str, note: u64, folder: &str) -> Value {
    match res {
        "contact" => json!({"fn": "Ada", "ln": "Lovelace"}),
        "company" => json!({"cn": "Analytical Engines Ltd"}),
        "case" | "opportunity" | "task" => json!({"name": format!("a {res}")}),
        "note" => json!({"desc": "a note"}),
        "comment" => json!({"comment": "a comment", "nid": note}),
        "customfield" => json!({"name": "Colour", "elemType": "input", "modelType": ["cases"]}),
        "folder" => json!({"name": "Sub", "parentId": folder}),
        "file" => json!({"name": "a.txt", "parentId": folder}),
        "linkedfile" => json!({"name": "b.docx"}),
        other => panic!("no body for {other}"),
    }
}

/// A writable field of each updatable resource and a new value for it.
fn change(res: &str) -> (&'static str, Value) {
    match res {
        "contact" | "company" | "case" | "opportunity" => ("tags", json!(["x"])),
        "note" => ("desc", json!("edited")),
        _ => ("name", json!("renamed")),
    }
}

#[tokio::test]
async fn every_verb_on_every_writable_resource() {
    let (_sb, api) = empty().await;
    let key = DEFAULT_API_KEY;
    let note = api.create("note", key, json!({"desc": "parent"})).await;
    let folder = api.create("folder", key, json!({"name": "Root"})).await;
    let note_id = note["id"].as_u64().unwrap();
    let folder_id = folder["id"].as_str().unwrap().to_owned();
    assert!(
        folder_id.starts_with('f'),
        "folder ids are strings like f1: {folder_id}"
    );
    for res in [
        "contact",
        "company",
        "case",
        "opportunity",
        "task",
        "note",
        "comment",
        "customfield",
        "folder",
        "file",
        "linkedfile",
    ] {
        let created = api
            .create(res, key, minimal(res, note_id, &folder_id))
            .await;
        let id = created["id"].clone();
        assert!(!id.is_null(), "{res}: id allocated");
        assert!(
            created["ao"].as_str().unwrap().ends_with('Z'),
            "{res}: ao set"
        );
        assert!(created["lm"].is_string(), "{res}: lm set");
        let id_path = match &id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let path = format!("/{res}/{id_path}");
        let fetched = api.one(&path, key).await;
        assert_eq!(fetched["id"], id, "{res}: GET one returns the object");
        let (status, all) = api.get(&format!("/{res}"), key).await;
        assert_eq!(status, 200);
        assert!(
            content(&all).iter().any(|o| o["id"] == id),
            "{res}: GET all lists it"
        );
        if res != "comment" {
            let (field, value) = change(res);
            let (status, updated) = api.put(&path, key, json!({field: value})).await;
            assert_eq!(status, 200, "{res}: PUT {updated}");
            assert_eq!(content(&updated)[0][field], value, "{res}: PUT {field}");
        }
        let (status, deleted) = api.delete(&path, key).await;
        assert_eq!(status, 200, "{res}: DELETE {deleted}");
        assert_eq!(
            deleted,
            json!({"status": "OK"}),
            "{res}: DELETE has no content"
        );
        let (status, gone) = api.get(&path, key).await;
        assert_eq!(status, 404, "{res}: gone after delete");
        assert!(error_text(&gone).contains("not found"));
    }
}

#[tokio::test]
async fn users_and_groups_are_listed_but_not_writable() {
    let (_sb, api) = demo().await;
    let key = DEFAULT_API_KEY;
    let (status, users) = api.get("/user", key).await;
    assert_eq!(status, 200);
    let users = content(&users);
    assert_eq!(users.len(), 3);
    assert!(users.iter().any(|u| u["is_owner"] == true));
    let text = serde_json::to_string(&users).unwrap();
    assert!(!text.contains(DEFAULT_API_KEY), "keys never served");
    assert_eq!(api.one("/user/2", key).await["user"], "Adam Admin");
    let groups = content(&api.get("/group", key).await.1);
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[1]["gid"], 2);
    for (method, path) in [
        ("POST", "/user"),
        ("PUT", "/user/2"),
        ("DELETE", "/user/2"),
        ("POST", "/group"),
        ("PUT", "/group/1"),
        ("DELETE", "/group/1"),
    ] {
        let (status, body) = api
            .send(
                method,
                path,
                Some(key),
                Some(json!({"name": "x", "user": "x"})),
            )
            .await;
        assert_eq!(status, 501, "{method} {path}");
        assert!(
            error_text(&body).contains("read-only through the API"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn comment_update_is_not_supported() {
    let (_sb, api) = demo().await;
    let (status, body) = api
        .put("/comment/1", DEFAULT_API_KEY, json!({"comment": "edited"}))
        .await;
    assert_eq!(status, 501);
    assert!(error_text(&body).contains("cannot be updated"), "{body}");
    assert_eq!(
        api.one("/comment/1", DEFAULT_API_KEY).await["comment"],
        "He was very interested."
    );
}

#[tokio::test]
async fn partial_put_keeps_unsent_fields_and_ignores_read_only_ones() {
    let (_sb, api) = empty().await;
    let key = DEFAULT_API_KEY;
    let c = api
        .create("contact", key, json!({"fn": "Ada", "ln": "Lovelace", "title": "Countess", "email": ["ada@x.example"], "custom": {"kept": 1}}))
        .await;
    let id = c["id"].as_u64().unwrap();
    assert!(
        c.get("custom").is_none(),
        "a field the API does not know is ignored, as the real API does: {c}"
    );
    let (status, body) = api
        .put(&format!("/contact/{id}"), key, json!({"id": id, "fn": "Augusta", "is_company": true, "notes": [99], "ao": "1999-01-01T00:00:00Z"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let now = api.one(&format!("/contact/{id}"), key).await;
    assert_eq!(now["fn"], "Augusta");
    assert_eq!(now["ln"], "Lovelace", "unsent field kept");
    assert_eq!(now["title"], "Countess");
    assert_eq!(now["email"], json!(["ada@x.example"]));
    assert!(now.get("custom").is_none(), "never stored: {now}");
    assert_eq!(now["is_company"], false, "read-only is_company ignored");
    assert_eq!(now["notes"], json!([]), "derived list not writable");
    assert_eq!(now["ao"], c["ao"], "ao not writable");
    // Clearing the only name is refused.
    let (status, body) = api
        .put(
            &format!("/contact/{id}"),
            key,
            json!({"fn": "", "ln": null}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(error_text(&body).contains("'fn' or 'ln'"), "{body}");
}

#[tokio::test]
async fn contacts_and_companies_share_one_id_space() {
    let (_sb, api) = empty().await;
    let key = DEFAULT_API_KEY;
    let a = api.create("contact", key, json!({"fn": "A"})).await;
    let b = api
        .create("company", key, json!({"cn": "B", "is_company": false}))
        .await;
    let c = api
        .create("contact", key, json!({"fn": "C", "is_company": true}))
        .await;
    let (a, b, c) = (
        a["id"].as_u64().unwrap(),
        b["id"].as_u64().unwrap(),
        c["id"].as_u64().unwrap(),
    );
    assert!(a < b && b < c, "one sequence: {a} {b} {c}");
    assert_eq!(
        api.one(&format!("/company/{b}"), key).await["is_company"],
        true
    );
    assert_eq!(
        api.one(&format!("/contact/{c}"), key).await["is_company"],
        false
    );
    let (status, body) = api.get(&format!("/contact/{b}"), key).await;
    assert_eq!(status, 404, "a company is not a contact");
    assert!(error_text(&body).contains(&format!("contact {b} not found")));
}

#[tokio::test]
async fn not_found_and_unsupported_shapes() {
    let (_sb, api) = demo().await;
    let key = DEFAULT_API_KEY;
    for (method, path, status, needle) in [
        ("GET", "/contact/9999", 404, "contact 9999 not found"),
        ("PUT", "/case/9999", 404, "case 9999 not found"),
        ("DELETE", "/task/9999", 404, "task 9999 not found"),
        ("GET", "/contact/abc", 404, "not found"),
        ("GET", "/widget", 404, "Unknown resource"),
        ("GET", "/contact/1/2", 404, "No such path"),
        ("POST", "/contact/3", 501, "not supported"),
        ("PATCH", "/contact/3", 501, "not supported"),
        ("PUT", "/contact", 400, "needs the object's id"),
        ("DELETE", "/contact", 400, "needs the object's id"),
    ] {
        let (got, body) = api
            .send(method, path, Some(key), Some(json!({"fn": "x"})))
            .await;
        assert_eq!(got, status, "{method} {path}: {body}");
        assert!(
            error_text(&body).contains(needle),
            "{method} {path}: {body}"
        );
    }
    let outside = Api::new(format!("http://{}", _sb.addr()));
    let (status, body) = outside.get("/elsewhere", key).await;
    assert_eq!(status, 404);
    assert!(error_text(&body).contains("No such path"));
}

#[tokio::test]
async fn folders_use_string_ids_and_prefix_is_configurable() {
    let sb = Sandbox::builder().prefix("/v2/").start().await.unwrap();
    assert!(sb.endpoint().ends_with("/v2"), "{}", sb.endpoint());
    let api = Api::of(&sb);
    let f = api.one("/folder/f1", DEFAULT_API_KEY).await;
    assert_eq!(f["id"], "f1");
    assert_eq!(f["is_dir"], true);
    let file = api.one("/file/1", DEFAULT_API_KEY).await;
    assert_eq!(file["parentId"], "f1");
    let (status, body) = api
        .post(
            "/file",
            DEFAULT_API_KEY,
            json!({"name": "x", "parentId": "f77"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(error_text(&body).contains("folder \"f77\""), "{body}");
}

#[tokio::test]
async fn server_sets_defaults_and_creator() {
    let (_sb, api) = empty().await;
    let t = api
        .create(
            "task",
            DEFAULT_ADMIN_API_KEY,
            json!({"name": "t", "userId": 1}),
        )
        .await;
    assert_eq!(t["userId"], 2, "creator recorded, client value ignored");
    assert_eq!(t["atype"], "Not set");
    assert_eq!(t["is_completed"], false);
    assert_eq!(t["comments"], json!([]));
    let o = api
        .create(
            "opportunity",
            DEFAULT_API_KEY,
            json!({"name": "o", "value": 12.5}),
        )
        .await;
    assert_eq!(o["status"], "Open");
    assert_eq!(o["value"], "12.5", "value kept as a decimal string");
    let n = api
        .create("note", DEFAULT_API_KEY, json!({"desc": "Headline\nbody"}))
        .await;
    assert_eq!(n["hl"], "Headline");
    assert_eq!(n["type"], "N");
}

#[tokio::test]
async fn objects_come_in_the_full_documented_shape() {
    let (_sb, api) = empty().await;
    let key = DEFAULT_API_KEY;
    let c = api.create("contact", key, json!({"fn": "Ada"})).await;
    for (field, empty) in [
        ("ln", json!(null)),
        ("companyId", json!(null)),
        ("email", json!([])),
        ("phones", json!([])),
        ("smids", json!([])),
        ("cf", json!({})),
        ("tags", json!([])),
        ("notes", json!([])),
        ("files", json!([])),
        ("lc", json!(null)),
        ("is_company", json!(false)),
        ("puser", json!(null)),
        ("gid", json!(0)),
    ] {
        assert_eq!(c.get(field), Some(&empty), "contact.{field}: {c}");
    }
    // A field cleared with null is served empty, in its kind's shape.
    let id = c["id"].as_u64().unwrap();
    let (status, body) = api
        .put(
            &format!("/contact/{id}"),
            key,
            json!({"email": null, "title": null}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now = &content(&body)[0];
    assert_eq!((&now["email"], &now["title"]), (&json!([]), &json!(null)));
    let comment = api
        .create("comment", key, json!({"comment": "c", "nid": api.create("note", key, json!({"desc": "n"})).await["id"]}))
        .await;
    assert_eq!(comment["tid"], json!(null), "as in the documented example");
}

#[tokio::test]
async fn server_side_extras_are_sent_and_kept() {
    let (_sb, api) = demo().await;
    let key = DEFAULT_API_KEY;
    let note = api.create("note", key, json!({"desc": "plain"})).await;
    assert_eq!(note["fmt"], "text", "a note's fmt is sent on purpose");
    let task = api.create("task", key, json!({"name": "t"})).await;
    assert_eq!(task["atypet"], 0, "a task's atypet is sent on purpose");
    // A client that keeps what it does not understand writes it back; it is stored.
    let id = note["id"].as_u64().unwrap();
    let (status, _) = api
        .put(&format!("/note/{id}"), key, json!({"fmt": "html"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(api.one(&format!("/note/{id}"), key).await["fmt"], "html");
    // The demo data carries them too.
    assert_eq!(api.one("/note/1", key).await["fmt"], "html");
    assert_eq!(api.one("/task/1", key).await["atypet"], 0);
    // But an extra belongs to its resource: elsewhere it is unknown, and ignored.
    let c = api
        .create("contact", key, json!({"fn": "A", "fmt": "html"}))
        .await;
    assert!(c.get("fmt").is_none(), "{c}");
}
