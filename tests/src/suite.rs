//! The cases of the conformance suite, each run once per [`Flavour`].

use std::time::{Duration, Instant};

use clevertim::{
    Case, Comment, Company, Contact, CustomField, CustomFieldValue, Customer, ElemType, Error,
    File, Folder, Group, Key, LinkedFile, Note, Opportunity, Resource, Scope, Task, TaskDate,
    TaskTime, TransportErrorKind, User,
};
use clevertim_sandbox::Sandbox;

use crate::{Api, Flavour};

/// A sandbox of its own for one case, and a cached session on it.
struct Env {
    sandbox: Sandbox,
    kind: Flavour,
    api: Api,
}

impl Env {
    async fn new(kind: Flavour) -> Env {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let api = Api::new(kind, &sandbox.endpoint(), sandbox.api_key(), true).unwrap();
        Env { sandbox, kind, api }
    }

    /// Another session for the owner, without a cache: every load is a request.
    fn uncached(&self) -> Api {
        Api::new(
            self.kind,
            &self.sandbox.endpoint(),
            self.sandbox.api_key(),
            false,
        )
        .unwrap()
    }

    /// A session for another API key.
    fn with_key(&self, key: &str) -> Api {
        Api::new(self.kind, &self.sandbox.endpoint(), key, true).unwrap()
    }

    async fn first<R: Resource>(&self) -> Key<R> {
        let all: Vec<R> = self.api.all().await.unwrap();
        all.first()
            .and_then(Resource::key)
            .expect("the demo data has one")
    }
}

/// Create Mike Johnson, load him eagerly and lazily (counting requests), add an email, delete.
pub async fn seed_walkthrough(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut mike = Contact::new();
    mike.set_first_name("Mike").set_last_name("Johnson");
    env.api.save(&mut mike).await.unwrap();
    let key = mike.key().expect("a saved contact has a key");

    let fresh = env.uncached();
    let before = env.sandbox.requests_served();
    let loaded: Contact = fresh.load(key.clone()).await.unwrap();
    assert_eq!(
        env.sandbox.requests_served() - before,
        1,
        "an eager load is one GET"
    );
    assert_eq!(
        (loaded.first_name(), loaded.last_name()),
        (Some("Mike"), Some("Johnson"))
    );

    let lazy = env.uncached().lazy::<Contact>(key.clone());
    let before = env.sandbox.requests_served();
    assert!(!lazy.is_loaded());
    assert_eq!(
        env.sandbox.requests_served(),
        before,
        "a lazy handle makes no request"
    );
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Mike"));
    assert_eq!(
        env.sandbox.requests_served() - before,
        1,
        "the first access loads once"
    );
    assert_eq!(lazy.get().await.unwrap().last_name(), Some("Johnson"));
    assert_eq!(
        env.sandbox.requests_served() - before,
        1,
        "later accesses load nothing"
    );

    mike.emails_mut().push("mike@example.com".into());
    env.api.save(&mut mike).await.unwrap();
    let reloaded: Contact = fresh.load(key.clone()).await.unwrap();
    assert_eq!(reloaded.emails(), ["mike@example.com"]);
    assert_eq!(
        reloaded.first_name(),
        Some("Mike"),
        "a partial PUT keeps the other fields"
    );

    env.api.delete(&mut mike).await.unwrap();
    assert_eq!(mike.key(), None);
    let gone = fresh.load::<Contact>(key).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
}

/// Create, load, update, list and delete one object of `R`.
async fn crud<R: Resource + PartialEq>(
    env: &Env,
    mut object: R,
    change: impl Fn(&mut R),
    changed: impl Fn(&R) -> bool,
) {
    let what = R::PATH;
    env.api
        .save(&mut object)
        .await
        .unwrap_or_else(|e| panic!("create {what}: {e}"));
    let key = object
        .key()
        .unwrap_or_else(|| panic!("a saved {what} has a key"));
    let fresh = env.uncached();
    let loaded: R = fresh.load(key.clone()).await.unwrap();
    assert_eq!(loaded, object, "{what} as loaded is {what} as created");

    change(&mut object);
    env.api
        .save(&mut object)
        .await
        .unwrap_or_else(|e| panic!("update {what}: {e}"));
    assert!(changed(&object), "{what} after the update");
    let reloaded: R = fresh.load(key.clone()).await.unwrap();
    assert!(changed(&reloaded), "{what} reloaded after the update");

    let all: Vec<R> = fresh.all().await.unwrap();
    assert!(
        all.iter().any(|o| o.key() == Some(key.clone())),
        "{what} listed"
    );

    env.api
        .delete(&mut object)
        .await
        .unwrap_or_else(|e| panic!("delete {what}: {e}"));
    assert!(object.key().is_none());
    let gone = fresh.load::<R>(key).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{what}: {gone}");
}

/// A contact goes through its whole life.
pub async fn crud_of_contacts(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut c = Contact::new();
    c.set_first_name("Ann").set_title("CTO");
    crud(
        &env,
        c,
        |c| {
            c.set_title("CEO");
        },
        |c| c.title() == Some("CEO"),
    )
    .await;
}

/// A company goes through its whole life.
pub async fn crud_of_companies(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut co = Company::new();
    co.set_name("Acme").set_city("Leeds");
    crud(
        &env,
        co,
        |c| {
            c.tags_mut().push("vip".into());
        },
        |c| c.tags() == ["vip"],
    )
    .await;
}

/// A case goes through its whole life.
pub async fn crud_of_cases(kind: Flavour) {
    let env = Env::new(kind).await;
    let contact: Key<Contact> = env.first().await;
    let mut case = Case::new();
    case.set_name("Printer on fire").set_who(contact);
    crud(
        &env,
        case,
        |c| {
            c.set_description("Still burning");
        },
        |c| c.description() == Some("Still burning") && c.name() == Some("Printer on fire"),
    )
    .await;
}

/// An opportunity goes through its whole life.
pub async fn crud_of_opportunities(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut opp = Opportunity::new();
    opp.set_name("Big deal")
        .set_value("1000.50")
        .set_currency("EUR")
        .set_status("Open");
    crud(
        &env,
        opp,
        |o| {
            o.set_status("Won");
        },
        |o| o.status() == Some("Won") && o.value() == Some("1000.50"),
    )
    .await;
}

/// A task goes through its whole life.
pub async fn crud_of_tasks(kind: Flavour) {
    let env = Env::new(kind).await;
    let contact: Key<Contact> = env.first().await;
    let mut task = Task::new();
    task.set_name("Call back").set_who(contact);
    crud(
        &env,
        task,
        |t| {
            t.set_is_completed(true);
        },
        |t| t.is_completed() == Some(true),
    )
    .await;
}

/// A note goes through its whole life.
pub async fn crud_of_notes(kind: Flavour) {
    let env = Env::new(kind).await;
    let contact: Key<Contact> = env.first().await;
    let mut note = Note::new();
    note.set_description("Met at the fair").set_who(contact);
    crud(
        &env,
        note,
        |n| {
            n.set_description("Met twice");
        },
        |n| n.description() == Some("Met twice"),
    )
    .await;
}

/// A custom field goes through its whole life.
pub async fn crud_of_custom_fields(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut field = CustomField::new();
    field
        .set_name("Shoe size")
        .set_elem_type(ElemType::Input)
        .set_scopes(vec![Scope::Customers]);
    crud(
        &env,
        field,
        |f| {
            f.set_name("Shoe size (EU)");
        },
        |f| f.name() == Some("Shoe size (EU)"),
    )
    .await;
}

/// A folder goes through its whole life.
pub async fn crud_of_folders(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut folder = Folder::new();
    folder.set_name("Contracts");
    crud(
        &env,
        folder,
        |f| {
            f.set_name("Signed");
        },
        |f| f.name() == Some("Signed"),
    )
    .await;
}

/// A file in a folder of its own goes through its whole life.
pub async fn crud_of_files(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut parent = Folder::new();
    parent.set_name("Scans");
    env.api.save(&mut parent).await.unwrap();
    assert!(
        parent.key().is_some_and(|k| k.as_int().is_none()),
        "folder ids are strings"
    );
    let mut file = File::new();
    file.set_name("scan.pdf").set_parent(&parent).unwrap();
    crud(
        &env,
        file,
        |f| {
            f.set_name("scan-1.pdf");
        },
        |f| f.name() == Some("scan-1.pdf") && f.parent_key() == parent.key(),
    )
    .await;
}

/// A linked file goes through its whole life.
pub async fn crud_of_linked_files(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut linked = LinkedFile::new();
    linked.set_name("plan.xlsx");
    crud(
        &env,
        linked,
        |f| {
            f.set_name("plan-v2.xlsx");
        },
        |f| f.name() == Some("plan-v2.xlsx"),
    )
    .await;
}

/// A value of the right form for each kind of custom field, round-tripped through a contact.
pub async fn custom_field_values_of_each_type(kind: Flavour) {
    let env = Env::new(kind).await;
    let owner = env
        .api
        .all::<User>()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.is_owner() == Some(true));
    let owner = owner.and_then(|u| u.key()).expect("an owner").to_string();
    let contact = env.first::<Contact>().await.to_string();
    let company = env.first::<Company>().await.to_string();
    let case = env.first::<Case>().await.to_string();
    let opportunity = env.first::<Opportunity>().await.to_string();

    let definitions: Vec<CustomField> = env.api.all().await.unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut mike = Contact::new();
    mike.set_first_name("Mike");
    for def in definitions
        .iter()
        .filter(|d| d.scopes().contains(&Scope::Customers))
    {
        let kind = def.elem_type().expect("every definition has a type");
        let one = match &kind {
            ElemType::Input => "free text".to_owned(),
            ElemType::Select => def.values()[0].clone(),
            ElemType::Date => "2026-11-28".to_owned(),
            ElemType::User => owner.clone(),
            ElemType::Country => "GB".to_owned(),
            ElemType::State => "US-FL".to_owned(),
            ElemType::Region => "GB-WRL".to_owned(),
            ElemType::Contact => contact.clone(),
            ElemType::Company => company.clone(),
            ElemType::Case => case.clone(),
            ElemType::Opportunity => opportunity.clone(),
            ElemType::Currency => "EUR".to_owned(),
            other => panic!("the sandbox has a custom field of unknown type {other}"),
        };
        let multiple = def.multiple() == Some(true);
        seen.insert((kind.to_string(), multiple));
        let value = if multiple {
            CustomFieldValue::Many(vec![one])
        } else {
            CustomFieldValue::One(one)
        };
        mike.set_custom_field(def.key().unwrap(), value);
    }
    assert_eq!(
        seen.len(),
        24,
        "every elemType, single and multiple: {seen:?}"
    );
    env.api.save(&mut mike).await.unwrap();
    let reloaded: Contact = env.uncached().load(mike.key().unwrap()).await.unwrap();
    assert_eq!(reloaded.custom_field_values(), mike.custom_field_values());
    assert_eq!(
        reloaded.custom_field_values().map(|v| v.len()),
        Some(definitions.len() - 1)
    );
}

/// Date and time parts are stored and changed independently.
pub async fn task_dates_and_times(kind: Flavour) {
    let env = Env::new(kind).await;
    let mut task = Task::new();
    task.set_name("Workshop")
        .set_start_date(TaskDate::new(2026, 12, 1))
        .set_start_time(TaskTime::new(9, 30))
        .set_end_date(TaskDate::new(2026, 12, 2));
    env.api.save(&mut task).await.unwrap();
    let fresh = env.uncached();
    let loaded: Task = fresh.load(task.key().unwrap()).await.unwrap();
    assert_eq!(loaded.start_date(), Some(TaskDate::new(2026, 12, 1)));
    assert_eq!(loaded.start_time(), Some(TaskTime::new(9, 30)));
    assert_eq!(loaded.end_date(), Some(TaskDate::new(2026, 12, 2)));

    task.set_start_time(TaskTime::new(11, 15));
    env.api.save(&mut task).await.unwrap();
    let loaded: Task = fresh.load(task.key().unwrap()).await.unwrap();
    assert_eq!(
        loaded.start_date(),
        Some(TaskDate::new(2026, 12, 1)),
        "the date stays"
    );
    assert_eq!(loaded.start_time(), Some(TaskTime::new(11, 15)));
}

/// A note may concern a contact and a company at once; both see it.
pub async fn notes_with_several_customers(kind: Flavour) {
    let env = Env::new(kind).await;
    let contact: Key<Contact> = env.first().await;
    let company: Key<Company> = env.first().await;
    let mut note = Note::new();
    note.set_description("Joint call")
        .set_who(contact.clone())
        .add_who(company.clone());
    env.api.save(&mut note).await.unwrap();
    let fresh = env.uncached();
    let loaded: Note = fresh.load(note.key().unwrap()).await.unwrap();
    assert_eq!(
        loaded.who(),
        [contact.clone().into(), company.clone().into()]
    );
    let person: Contact = fresh.load(contact).await.unwrap();
    assert!(
        person.notes().contains(&note.key().unwrap()),
        "derived list of the contact"
    );
    match fresh.customer(company.into()).await.unwrap() {
        Customer::Company(c) => assert!(c.notes().contains(&note.key().unwrap())),
        other => panic!("expected the company, got {other:?}"),
    }
}

/// Comments are created and deleted; an update is the API's 501.
pub async fn comments_cannot_be_updated(kind: Flavour) {
    let env = Env::new(kind).await;
    let note: Key<Note> = env.first().await;
    let mut comment = Comment::new();
    comment.set_comment("First!").set_note(note.clone());
    env.api.save(&mut comment).await.unwrap();
    let loaded: Note = env.uncached().load(note).await.unwrap();
    assert!(loaded.comments().contains(&comment.key().unwrap()));
    comment.set_comment("Edited");
    let refused = env.api.save(&mut comment).await.unwrap_err();
    assert!(matches!(refused, Error::Unsupported { .. }), "{refused}");
    env.api.delete(&mut comment).await.unwrap();
    assert_eq!(comment.key(), None);
}

/// Users and groups are read as whole lists and picked by id.
pub async fn users_and_groups(kind: Flavour) {
    let env = Env::new(kind).await;
    let users: Vec<User> = env.api.all().await.unwrap();
    assert!(users.len() >= 3, "owner, admin, read-only");
    assert_eq!(
        users.iter().filter(|u| u.is_owner() == Some(true)).count(),
        1
    );
    assert!(users.iter().any(|u| u.is_admin() == Some(true)));
    let admin = users.iter().find(|u| u.is_admin() == Some(true)).unwrap();
    let picked: User = env.uncached().load(admin.key().unwrap()).await.unwrap();
    assert_eq!(&picked, admin);
    let groups: Vec<Group> = env.api.all().await.unwrap();
    assert_eq!(groups.len(), 2);
    for group in &groups {
        assert!(group.bit().is_some_and(u64::is_power_of_two), "{group:?}");
    }
}

/// A read-only user reads, and every write is the permission error.
pub async fn read_only_key_cannot_write(kind: Flavour) {
    let env = Env::new(kind).await;
    let reader = env.with_key(env.sandbox.readonly_api_key());
    assert!(!reader.all::<Contact>().await.unwrap().is_empty());
    let mut c = Contact::new();
    c.set_first_name("Nope");
    let refused = reader.save(&mut c).await.unwrap_err();
    assert!(matches!(refused, Error::Permission { .. }), "{refused}");
    assert_eq!(c.key(), None);
    // Where, and the cause in words (issue 22).
    let host = env.sandbox.addr();
    let said = format!("POST /api/contact to {host}: permission denied (HTTP 403): ");
    assert!(refused.to_string().starts_with(&said), "{refused}");
    assert_eq!(refused.site().map(|s| s.attempts()), Some(1));
}

/// An unknown key is the authentication error.
pub async fn bad_key_is_an_authentication_error(kind: Flavour) {
    let env = Env::new(kind).await;
    let stranger = env.with_key("NotAKeyOfThisSandbox0000000000000000000000");
    let refused = stranger.all::<Contact>().await.unwrap_err();
    assert!(matches!(refused, Error::Authentication { .. }), "{refused}");
    assert!(!refused.to_string().contains("NotAKeyOfThisSandbox"));
    let host = env.sandbox.addr();
    let said = format!("GET /api/contact to {host}: authentication failed (HTTP 401): ");
    assert!(refused.to_string().starts_with(&said), "{refused}");
}

/// A key that names nothing is not found.
pub async fn missing_object_is_not_found(kind: Flavour) {
    let env = Env::new(kind).await;
    let missing = env.api.load::<Contact>(987_654).await.unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { resource: "contact", key, .. } if key == "987654"),
        "{missing}"
    );
    let host = env.sandbox.addr();
    assert_eq!(
        missing.to_string(),
        format!("GET /api/contact/987654 to {host}: contact 987654 not found")
    );
}

/// Many requests, few connections: sequential requests reuse pooled keep-alive connections.
///
/// A client may open a spare connection when it sends the next request before the last one's
/// connection is back in its pool (hyper's pool returns it from a background task), which a
/// loaded machine makes likelier; so the bound is "at least six requests per connection", not
/// "exactly one connection".
pub async fn keep_alive_reuses_connections(kind: Flavour) {
    const REQUESTS: u64 = 60;
    let env = Env::new(kind).await;
    let key: Key<Contact> = env.first().await;
    let fresh = env.uncached();
    let connections = env.sandbox.connections_accepted();
    let requests = env.sandbox.requests_served();
    for _ in 0..REQUESTS {
        let _: Contact = fresh.load(key.clone()).await.unwrap();
    }
    assert_eq!(env.sandbox.requests_served() - requests, REQUESTS);
    let opened = env.sandbox.connections_accepted() - connections;
    assert!(
        opened <= REQUESTS / 6,
        "{REQUESTS} sequential requests opened {opened} connections"
    );
}

/// 64 loads at once from one session.
pub async fn sixty_four_concurrent_loads(kind: Flavour) {
    let env = Env::new(kind).await;
    let contacts: Vec<Contact> = env.api.all().await.unwrap();
    let keys: Vec<Key<Contact>> = contacts
        .iter()
        .filter_map(Contact::key)
        .cycle()
        .take(64)
        .collect();
    let fresh = env.uncached();
    let results = fresh.load_concurrently(keys.clone()).await;
    for (result, key) in results.into_iter().zip(&keys) {
        assert_eq!(result.unwrap().key().as_ref(), Some(key));
    }
    let many: Vec<Contact> = fresh.load_many(keys.clone()).await.unwrap();
    assert_eq!(
        many.iter().filter_map(Contact::key).collect::<Vec<_>>(),
        keys
    );
}

/// A port with nothing listening fails fast with the connect error.
pub async fn nothing_listening_is_a_connect_error(kind: Flavour) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let api = Api::new(
        kind,
        &format!("http://127.0.0.1:{port}/api"),
        "AnyKey",
        true,
    )
    .unwrap();
    let started = Instant::now();
    let failed = api.load::<Contact>(1).await.unwrap_err();
    assert!(
        matches!(&failed, Error::Transport(t) if t.kind() == TransportErrorKind::Connect),
        "{failed}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
