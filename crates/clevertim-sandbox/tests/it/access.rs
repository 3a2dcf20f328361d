//! Authentication (401), permissions (403), private objects and group sharing.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn missing_unknown_or_malformed_keys_get_401() {
    let (_sb, api) = demo().await;
    let (status, body) = api.send("GET", "/contact", None, None).await;
    assert_eq!(status, 401);
    assert!(error_text(&body).contains("Missing API key"));
    let (status, body) = api.get("/contact", "NotAKnownKey123").await;
    assert_eq!(status, 401);
    assert_eq!(error_text(&body), "Unknown API key");
    let (status, body) = api
        .send_bytes(
            "GET",
            "/contact",
            None,
            vec![],
            &[("authorization", "Bearer abc")],
        )
        .await;
    assert_eq!(status, 401);
    assert!(error_text(&body).contains("Malformed Authorization header"));
    // Any password is accepted with a known key.
    let (status, _) = api
        .send_bytes(
            "GET",
            "/contact/3",
            None,
            vec![],
            &[(
                "authorization",
                &basic(DEFAULT_API_KEY).replace("Olg=", "Olk="),
            )],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn read_only_user_reads_but_cannot_write() {
    let (_sb, api) = demo().await;
    let ro = DEFAULT_READONLY_API_KEY;
    assert_eq!(api.get("/contact", ro).await.0, 200);
    assert_eq!(api.one("/case/1", ro).await["name"], "Cannot log in");
    for (method, path) in [
        ("POST", "/contact"),
        ("PUT", "/contact/3"),
        ("DELETE", "/contact/3"),
        ("POST", "/note"),
        ("PUT", "/comment/1"),
    ] {
        let (status, body) = api
            .send(
                method,
                path,
                Some(ro),
                Some(json!({"fn": "x", "desc": "x"})),
            )
            .await;
        assert_eq!(status, 403, "{method} {path}");
        assert!(
            error_text(&body).contains("Rita Reader' has read-only access"),
            "{body}"
        );
    }
    assert_eq!(
        api.one("/contact/3", ro).await["fn"],
        "Praveen",
        "nothing changed"
    );
}

#[tokio::test]
async fn private_objects_are_visible_to_their_owner_only() {
    let (_sb, api) = demo().await;
    // Demo contact 5 is private to the admin.
    assert_eq!(
        api.one("/contact/5", DEFAULT_ADMIN_API_KEY).await["ln"],
        "Private"
    );
    let (status, body) = api.get("/contact/5", DEFAULT_API_KEY).await;
    assert_eq!(status, 404);
    assert!(error_text(&body).contains("contact 5 not found"));
    let listed = content(&api.get("/contact", DEFAULT_API_KEY).await.1);
    assert!(listed.iter().all(|c| c["id"] != 5));
    assert_eq!(
        api.put("/contact/5", DEFAULT_API_KEY, json!({"fn": "x"}))
            .await
            .0,
        404
    );
    assert_eq!(api.delete("/contact/5", DEFAULT_API_KEY).await.0, 404);

    // A private note made by the owner: puser defaults to its author; hidden from others,
    // also in derived lists.
    let note = api
        .create(
            "note",
            DEFAULT_API_KEY,
            json!({"desc": "secret", "cust": 3, "is_private": true}),
        )
        .await;
    assert_eq!(note["puser"], 1);
    let id = note["id"].as_u64().unwrap();
    assert_eq!(
        api.get(&format!("/note/{id}"), DEFAULT_ADMIN_API_KEY)
            .await
            .0,
        404
    );
    assert!(!ids(&api.one("/contact/3", DEFAULT_ADMIN_API_KEY).await["notes"]).contains(&id));
    assert!(ids(&api.one("/contact/3", DEFAULT_API_KEY).await["notes"]).contains(&id));
}

#[tokio::test]
async fn group_sharing_by_gid_bits() {
    let (_sb, api) = demo().await;
    // Groups: Sales (gid 1: owner, admin), Support (gid 2: owner, reader).
    // Demo company 2 has gid 1, contact 6 has gid 2.
    let ro = DEFAULT_READONLY_API_KEY;
    assert_eq!(
        api.get("/company/2", ro).await.0,
        404,
        "reader is not in Sales"
    );
    assert_eq!(api.one("/contact/6", ro).await["fn"], "Sam");
    assert_eq!(
        api.get("/contact/6", DEFAULT_ADMIN_API_KEY).await.0,
        404,
        "admin is not in Support"
    );
    assert_eq!(
        api.one("/company/2", DEFAULT_ADMIN_API_KEY).await["cn"],
        "Acme Widgets Inc."
    );
    let both = api
        .create("case", DEFAULT_API_KEY, json!({"name": "both", "gid": 3}))
        .await["id"]
        .as_u64()
        .unwrap();
    assert_eq!(api.get(&format!("/case/{both}"), ro).await.0, 200);
    assert_eq!(
        api.get(&format!("/case/{both}"), DEFAULT_ADMIN_API_KEY)
            .await
            .0,
        200
    );
    let none = api
        .create("case", DEFAULT_API_KEY, json!({"name": "nobody", "gid": 4}))
        .await["id"]
        .as_u64()
        .unwrap();
    assert_eq!(api.get(&format!("/case/{none}"), ro).await.0, 404);
}

#[tokio::test]
async fn custom_keys_and_seeded_users() {
    let sb = Sandbox::builder()
        .empty(true)
        .api_key("MyOwnKey0123456789")
        .seed_json(json!({
            "user": [{"id": 10, "user": "Ed Editor", "permissions": ["canedit"], "key": "EdKey0000000000000000000000000000000000001"}],
            "contact": [{"id": 50, "fn": "Seeded"}]
        }))
        .start()
        .await
        .unwrap();
    let api = Api::of(&sb);
    assert_eq!(sb.api_key(), "MyOwnKey0123456789");
    let shown = format!("{sb:?} {:?}", Sandbox::builder().api_key("SecretKey99"));
    assert!(
        !shown.contains("MyOwnKey") && !shown.contains("SecretKey99"),
        "Debug hides keys: {shown}"
    );
    assert!(shown.contains(&sb.endpoint()));
    assert_eq!(
        api.get("/contact", DEFAULT_API_KEY).await.0,
        401,
        "the default owner key was replaced"
    );
    assert_eq!(api.one("/contact/50", sb.api_key()).await["fn"], "Seeded");
    let ed = "EdKey0000000000000000000000000000000000001";
    let c = api.create("contact", ed, json!({"fn": "by Ed"})).await;
    assert_eq!(c["id"], 51, "ids continue after seeded ones");
    let (status, body) = api.delete("/contact/51", ed).await;
    assert_eq!(status, 403, "an editor without candelete cannot delete");
    assert!(error_text(&body).contains("candelete"));
    let users = serde_json::to_string(&api.get("/user", ed).await.1).unwrap();
    assert!(
        !users.contains(ed) && !users.contains("MyOwnKey"),
        "keys are never served"
    );
    assert!(
        Sandbox::builder()
            .api_key("bad key!")
            .start()
            .await
            .is_err()
    );
    assert!(
        Sandbox::builder()
            .seed_json(json!({"nope": []}))
            .start()
            .await
            .is_err()
    );
}
