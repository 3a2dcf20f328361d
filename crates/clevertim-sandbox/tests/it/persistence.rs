//! Persistence across restarts, seed data and the empty start.
#![allow(clippy::unwrap_used)]

use crate::common;

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
    let file = dir.path().join("clevertim-sandbox.redb");
    assert!(file.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the database holds keys: owner-only ({mode:o})"
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
    assert!(
        dir.path().join("crm.redb").is_file(),
        "crm.json names the data: crm.redb beside it"
    );
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
    let contacts = content(&api.get("/contact", "RotatedKey42").await.1);
    assert!(contacts.is_empty(), "empty start has no demo data");
    drop(sb);
    std::fs::write(dir.path().join("crm.redb"), b"{ this is not a database").unwrap();
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
                "note",
                DEFAULT_API_KEY,
                json!({"desc": "Deep", "fmt": nested.clone()}),
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
        Api::of(&sb).one("/note/1", DEFAULT_API_KEY).await["fmt"],
        nested
    );
}

#[tokio::test]
async fn a_json_snapshot_of_an_earlier_version_moves_into_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("clevertim-sandbox.json");
    let old = json!({
        "format": "clevertim-sandbox/1",
        "next_ids": {"customer": 8, "user": 2},
        "keys": {"1": "LegacyOwnerKey1"},
        "data": {
            "user": [{"id": 1, "user": "Old Owner", "is_owner": true, "is_admin": true}],
            "contact": [{"id": 7, "fn": "Old", "fristname": "a typo the old sandbox kept"}],
        },
    });
    std::fs::write(&snapshot, serde_json::to_vec(&old).unwrap()).unwrap();
    {
        let sb = Sandbox::builder()
            .data_dir(dir.path())
            .start()
            .await
            .unwrap();
        assert_eq!(sb.api_key(), "LegacyOwnerKey1");
        let api = Api::of(&sb);
        let old = api.one("/contact/7", "LegacyOwnerKey1").await;
        assert_eq!(old["fn"], "Old");
        assert!(
            old.get("fristname").is_none(),
            "unknown fields are dropped: {old}"
        );
        let next = api
            .create("contact", "LegacyOwnerKey1", json!({"fn": "New"}))
            .await;
        assert_eq!(next["id"], 8, "the id counters come along");
        sb.shutdown().await;
    }
    assert!(!snapshot.exists(), "the snapshot is read once");
    assert!(dir.path().join("clevertim-sandbox.json.migrated").is_file());
    let sb = Sandbox::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let all = content(&Api::of(&sb).get("/contact", "LegacyOwnerKey1").await.1);
    assert_eq!(all.len(), 2, "{all:?}");
}

#[tokio::test]
async fn a_json_file_that_is_no_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crm.json");
    std::fs::write(&file, b"{ this is not a snapshot").unwrap();
    let err = Sandbox::builder()
        .data_dir(&file)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not a sandbox snapshot"), "{err}");
    assert!(file.is_file(), "left as it was");
}

#[tokio::test]
async fn one_sandbox_at_a_time_on_a_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let first = Sandbox::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap();
    let err = Sandbox::builder()
        .data_dir(dir.path())
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("in use"), "{err}");
    drop(first);
    let again = Sandbox::builder().data_dir(dir.path()).start().await;
    assert!(again.is_ok(), "free once the first is dropped: {again:?}");
}
