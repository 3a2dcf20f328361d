//! Every resource through its whole life: create, load, update, list, delete.

use super::*;

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
