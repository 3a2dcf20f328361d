//! The scenarios: what each cassette of the library does, and what it gives to snapshot.

use super::*;

/// Create Mike Johnson, load him eagerly and lazily (counting requests), add an email and
/// save, delete.
pub(super) async fn seed_walkthrough(ctx: Ctx) -> Value {
    let session = ctx.session();
    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    session.save(&mut mike).await.unwrap();
    let key = mike.key().expect("a saved contact has a key");

    let before = ctx.requests();
    let eager: Contact = session.load(key.clone()).await.unwrap();
    assert_eq!(ctx.requests() - before, 1, "an eager load is one GET");
    assert_eq!(
        (eager.first_name(), eager.last_name()),
        (Some("Mike"), Some("Johnson"))
    );

    let lazy = session.lazy::<Contact>(key.clone());
    let before = ctx.requests();
    assert!(!lazy.is_loaded());
    assert_eq!(ctx.requests(), before, "a lazy handle makes no request");
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Mike"));
    assert_eq!(lazy.get().await.unwrap().last_name(), Some("Johnson"));
    assert_eq!(ctx.requests() - before, 1, "a lazy handle loads once");
    let lazy = lazy.into_inner().await.unwrap();

    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await.unwrap();
    let with_email: Contact = session.load(key.clone()).await.unwrap();
    assert_eq!(with_email.emails(), ["mike@example.com"]);
    assert_eq!(with_email.first_name(), Some("Mike"), "a PUT is partial");

    session.delete(&mut mike).await.unwrap();
    assert_eq!(mike.key(), None);
    let gone = session.load::<Contact>(key).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");

    json!({
        "created": key_of(&eager),
        "eager": eager,
        "lazy": lazy,
        "with_email": with_email,
        "after_delete": gone.to_string(),
    })
}

pub(super) fn key_of<R: Resource>(object: &R) -> Value {
    to_value(&object.key())
}

pub(super) async fn list<R: Resource>(ctx: Ctx) -> Value {
    let all: Vec<R> = ctx.session().all().await.unwrap();
    assert!(!all.is_empty(), "the demo data has a {}", R::PATH);
    assert!(all.iter().all(|o| o.key().is_some()));
    assert_eq!(ctx.requests(), 1);
    to_value(&all)
}

pub(super) async fn get<R: Resource>(ctx: Ctx, key: Key<R>) -> Value {
    let one: R = ctx.session().load(key.clone()).await.unwrap();
    assert_eq!(one.key(), Some(key));
    to_value(&one)
}

pub(super) async fn create<R: Resource + PartialEq>(ctx: Ctx, mut object: R) -> Value {
    assert!(object.key().is_none());
    let session = ctx.session();
    session.save(&mut object).await.unwrap();
    let key = object
        .key()
        .unwrap_or_else(|| panic!("a saved {} has a key", R::PATH));
    let loaded: R = session.load(key).await.unwrap();
    assert_eq!(loaded, object, "{} as loaded is as created", R::PATH);
    json!({ "created": object, "loaded": loaded })
}

pub(super) async fn update<R: Resource>(
    ctx: Ctx,
    key: Key<R>,
    change: fn(&mut R),
    changed: fn(&R) -> bool,
) -> Value {
    let session = ctx.session();
    let mut object: R = session.load(key.clone()).await.unwrap();
    assert!(!changed(&object), "{} is not changed yet", R::PATH);
    change(&mut object);
    session.save(&mut object).await.unwrap();
    assert!(changed(&object));
    let reloaded: R = session.load(key).await.unwrap();
    assert!(changed(&reloaded), "{} reloaded after the update", R::PATH);
    json!({ "saved": object, "reloaded": reloaded })
}

pub(super) async fn delete<R: Resource>(ctx: Ctx, key: Key<R>) -> Value {
    let session = ctx.session();
    let mut object: R = session.load(key.clone()).await.unwrap();
    session.delete(&mut object).await.unwrap();
    assert!(object.key().is_none());
    let gone = session.load::<R>(key.clone()).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
    json!({ "deleted": to_value(&key), "after_delete": gone.to_string() })
}

pub(super) fn new_contact() -> Contact {
    let mut c = Contact::new();
    c.set_first_name("Ann").set_title("CTO");
    c
}

pub(super) fn new_company() -> Company {
    let mut c = Company::new();
    c.set_name("Acme").set_city("Leeds");
    c
}

pub(super) fn new_case() -> Case {
    let mut c = Case::new();
    c.set_name("Printer on fire")
        .set_who(Key::<Contact>::new(3));
    c
}

pub(super) fn new_opportunity() -> Opportunity {
    let mut o = Opportunity::new();
    o.set_name("Big deal")
        .set_value("1000.50")
        .set_currency("EUR")
        .set_status("Open");
    o
}

pub(super) fn new_task() -> Task {
    let mut t = Task::new();
    t.set_name("Call back").set_who(Key::<Contact>::new(3));
    t
}

pub(super) fn new_note() -> Note {
    let mut n = Note::new();
    n.set_description("Met at the fair")
        .set_who(Key::<Contact>::new(3));
    n
}

pub(super) fn new_comment() -> Comment {
    let mut c = Comment::new();
    c.set_comment("First!").set_note(Key::new(1));
    c
}

pub(super) fn new_custom_field() -> CustomField {
    let mut f = CustomField::new();
    f.set_name("Shoe size")
        .set_elem_type(ElemType::Input)
        .set_scopes(vec![Scope::Customers]);
    f
}

pub(super) fn new_folder() -> Folder {
    let mut f = Folder::new();
    f.set_name("Scans");
    f
}

pub(super) fn new_file() -> File {
    let mut f = File::new();
    f.set_name("scan.pdf").set_parent_key(Key::new("f1"));
    f
}

pub(super) fn new_linked_file() -> LinkedFile {
    let mut f = LinkedFile::new();
    f.set_name("plan.xlsx");
    f
}

/// 400: a case whose lead user does not exist (the SDK cannot know; the server refuses).
pub(super) async fn error_400(ctx: Ctx) -> Value {
    let mut case = Case::new();
    case.set_name("Orphan").set_lead_user(Key::new(999));
    let refused = ctx.session().save(&mut case).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Api { status, .. } if *status == 400),
        "{refused}"
    );
    assert_eq!(case.key(), None);
    json!({ "error": refused.to_string() })
}

/// 401: a key the server does not know.
pub(super) async fn error_401(ctx: Ctx) -> Value {
    let refused = ctx
        .session_with_key(BAD_KEY)
        .all::<Contact>()
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Authentication { .. }), "{refused}");
    assert!(!refused.to_string().contains(BAD_KEY));
    json!({ "error": refused.to_string() })
}

/// 403: the read-only user writes.
pub(super) async fn error_403(ctx: Ctx) -> Value {
    let reader = ctx.session_with_key(DEFAULT_READONLY_API_KEY);
    let mut c = Contact::new();
    c.set_first_name("Nope");
    let refused = reader.save(&mut c).await.unwrap_err();
    assert!(matches!(refused, Error::Permission { .. }), "{refused}");
    assert_eq!(c.key(), None);
    json!({ "error": refused.to_string() })
}

/// 404: a contact that does not exist.
pub(super) async fn error_404(ctx: Ctx) -> Value {
    let missing = ctx.session().load::<Contact>(987_654).await.unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { resource: "contact", key, .. } if key == "987654"),
        "{missing}"
    );
    json!({ "error": missing.to_string() })
}

/// 500: a body that is not JSON. The SDK never sends one, so this goes straight through the
/// cassette's `Transport::send`.
pub(super) async fn error_500(ctx: Ctx) -> Value {
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{DEFAULT_API_KEY}:X"));
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("{}/contact", ctx.endpoint))
        .header("authorization", format!("Basic {auth}"))
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{this is not json"))
        .unwrap();
    let response = ctx.cassette.send(request).await.unwrap();
    assert_eq!(response.status(), 500);
    let body: Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["status"], "ERROR", "{body}");
    json!({ "status": response.status().as_u16(), "body": body })
}

/// 501: comments cannot be updated.
pub(super) async fn error_501(ctx: Ctx) -> Value {
    let session = ctx.session();
    let mut comment: Comment = session.load(1).await.unwrap();
    comment.set_comment("Edited");
    let refused = session.save(&mut comment).await.unwrap_err();
    assert!(matches!(refused, Error::Unsupported { .. }), "{refused}");
    json!({ "error": refused.to_string() })
}
