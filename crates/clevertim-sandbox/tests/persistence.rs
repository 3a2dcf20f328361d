//! Persistence across restarts, seed data and the empty start.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (created, deleted_id) = {
        let sb = Sandbox::builder()
            .data_dir(dir.path())
            .start()
            .await
            .unwrap();
        let api = Api::of(&sb);
        let c = api
            .create(
                "contact",
                DEFAULT_API_KEY,
                json!({"fn": "Persisted", "ln": "Person"}),
            )
            .await;
        let id = c["id"].as_u64().unwrap();
        let (status, _) = api
            .put(
                &format!("/contact/{id}"),
                DEFAULT_API_KEY,
                json!({"title": "Keeper"}),
            )
            .await;
        assert_eq!(status, 200);
        api.create(
            "note",
            DEFAULT_API_KEY,
            json!({"desc": "remember me", "cust": id}),
        )
        .await;
        assert_eq!(api.delete("/task/2", DEFAULT_API_KEY).await.0, 200);
        sb.shutdown().await;
        (c, 2)
    };
    let file = dir.path().join("clevertim-sandbox.json");
    assert!(file.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the snapshot holds keys: owner-only ({mode:o})"
        );
    }
    let sb = Sandbox::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let api = Api::of(&sb);
    let id = created["id"].as_u64().unwrap();
    let c = api.one(&format!("/contact/{id}"), DEFAULT_API_KEY).await;
    assert_eq!(
        (c["fn"].as_str(), c["title"].as_str()),
        (Some("Persisted"), Some("Keeper"))
    );
    assert_eq!(c["ao"], created["ao"]);
    assert_eq!(c["notes"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.get(&format!("/task/{deleted_id}"), DEFAULT_API_KEY)
            .await
            .0,
        404
    );
    let next = api
        .create("contact", DEFAULT_API_KEY, json!({"fn": "Next"}))
        .await;
    assert!(
        next["id"].as_u64().unwrap() > id,
        "ids are not reused after a restart"
    );
    assert_eq!(
        api.get("/contact", DEFAULT_READONLY_API_KEY).await.0,
        200,
        "keys persisted"
    );
}

#[tokio::test]
async fn data_file_path_and_corrupt_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crm.json");
    {
        let sb = Sandbox::builder()
            .empty(true)
            .data_dir(&file)
            .start()
            .await
            .unwrap();
        Api::of(&sb)
            .create("company", sb.api_key(), json!({"cn": "Filed"}))
            .await;
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Filed"));
    assert!(!text.contains("Praveen"), "empty start has no demo data");
    // An explicit --api-key on restart replaces the owner's key.
    let sb = Sandbox::builder()
        .data_dir(&file)
        .api_key("RotatedKey42")
        .start()
        .await
        .unwrap();
    let api = Api::of(&sb);
    assert_eq!(
        content(&api.get("/company", "RotatedKey42").await.1)[0]["cn"],
        "Filed"
    );
    assert_eq!(api.get("/company", DEFAULT_API_KEY).await.0, 401);
    drop(sb);
    std::fs::write(&file, b"{ this is not a snapshot").unwrap();
    let err = Sandbox::builder()
        .data_dir(&file)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a sandbox snapshot"), "{err}");
}

#[tokio::test]
async fn empty_start_keeps_users_groups_and_custom_fields() {
    let (_sb, api) = empty().await;
    for res in [
        "contact",
        "company",
        "case",
        "opportunity",
        "task",
        "note",
        "comment",
        "folder",
        "file",
        "linkedfile",
    ] {
        assert!(
            content(&api.get(&format!("/{res}"), DEFAULT_API_KEY).await.1).is_empty(),
            "{res} empty"
        );
    }
    assert_eq!(content(&api.get("/user", DEFAULT_API_KEY).await.1).len(), 3);
    assert_eq!(
        content(&api.get("/group", DEFAULT_API_KEY).await.1).len(),
        2
    );
    assert!(content(&api.get("/customfield", DEFAULT_API_KEY).await.1).len() >= 24);
    let first = api
        .create("contact", DEFAULT_API_KEY, json!({"fn": "First"}))
        .await;
    assert_eq!(first["id"], 1);
}

#[tokio::test]
async fn deepest_accepted_object_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let nested = (0..60).fold(json!("leaf"), |acc, _| json!({"n": acc}));
    {
        let sb = Sandbox::builder()
            .empty(true)
            .data_dir(dir.path())
            .start()
            .await
            .unwrap();
        let c = Api::of(&sb)
            .create(
                "contact",
                DEFAULT_API_KEY,
                json!({"fn": "Deep", "extra": nested.clone()}),
            )
            .await;
        assert_eq!(c["id"], 1);
    }
    let sb = Sandbox::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    assert_eq!(
        Api::of(&sb).one("/contact/1", DEFAULT_API_KEY).await["extra"],
        nested
    );
}
