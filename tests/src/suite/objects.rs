//! What the objects hold and how they relate: the seed walkthrough, custom field values, task
//! dates, notes on several customers, comments, users and groups.

use super::*;

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
