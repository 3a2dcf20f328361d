//! The quick start: the SDK's walkthrough against the embedded sandbox, no account needed.
//!
//! `cargo run -p clevertim --example quickstart`
//!
//! Point it at a real account instead with `CLEVERTIM_ENDPOINT` and `CLEVERTIM_API_KEY`.
#![allow(clippy::print_stdout)]

use clevertim::{
    Company, Contact, CustomField, ElemType, Note, PhoneNumber, PhoneType, Scope, Session, Task,
    TaskDate, TaskTime, TaskType,
};
use clevertim_sandbox::Sandbox;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local Clevertim with demo data on a free loopback port, unless told otherwise.
    let (sandbox, endpoint, key) = match (
        std::env::var("CLEVERTIM_ENDPOINT"),
        std::env::var("CLEVERTIM_API_KEY"),
    ) {
        (Ok(endpoint), Ok(key)) => (None, endpoint, key),
        _ => {
            let sandbox = Sandbox::start().await?;
            let (endpoint, key) = (sandbox.endpoint(), sandbox.api_key().to_owned());
            (Some(sandbox), endpoint, key)
        }
    };
    println!("Clevertim at {endpoint}\n");

    let session = Session::builder(key)
        .endpoint(&endpoint)
        .no_proxy()
        .build()?;

    println!("Companies:");
    for company in session.all::<Company>().await? {
        println!(
            "  #{:<3} {}",
            key_of(company.key()),
            company.name().unwrap_or("?")
        );
    }

    // Create a contact: a POST, and the key appears.
    let mut mike = Contact::new();
    mike.set_first_name("Mike")
        .set_last_name("Johnson")
        .set_title("Head of Sales");
    mike.phone_numbers_mut()
        .push(PhoneNumber::new("+44 20 7946 0000", PhoneType::Work));
    session.save(&mut mike).await?;
    let mike_key = mike.key().ok_or("the server gave no key")?;
    println!("\nSaved Mike Johnson as contact #{mike_key}");

    // Eager and lazy loads; the second comes from the cache, with no request at all.
    let loaded: Contact = session.load(mike_key.clone()).await?;
    let lazy = session.lazy::<Contact>(mike_key.clone());
    println!(
        "Loaded {} {} ({}); lazy handle loaded yet? {}",
        loaded.first_name().unwrap_or(""),
        loaded.last_name().unwrap_or(""),
        loaded.title().unwrap_or(""),
        lazy.is_loaded()
    );
    println!(
        "Lazy handle says: {:?}",
        lazy.get().await?.phone_numbers()[0].number()
    );

    // An update sends only the id and the changed field.
    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await?;
    println!("Added an email: {:?}", mike.emails());

    // Custom fields are checked against their definitions before anything is sent.
    let tier = session.all::<CustomField>().await?.into_iter().find(|f| {
        f.elem_type() == Some(ElemType::Select) && f.scopes().contains(&Scope::Customers)
    });
    if let Some(tier) = tier
        .as_ref()
        .and_then(|t| Some((t.key()?, t.values().first()?.clone())))
    {
        mike.set_custom_field(tier.0.clone(), "Platinum");
        match session.save(&mut mike).await {
            Err(e) => println!("Refused before sending: {e}"),
            Ok(()) => println!("unexpected: an invalid value was saved"),
        }
        mike.set_custom_field(tier.0, tier.1.as_str());
        session.save(&mut mike).await?;
        println!("Custom field set to {:?}", tier.1);
    }

    // A task and a note for Mike.
    let mut call = Task::new();
    call.set_name("Call Mike about the renewal")
        .set_task_type(TaskType::Call)
        .set_who(mike_key.clone())
        .set_start_date(TaskDate::new(2026, 12, 1))
        .set_start_time(TaskTime::new(9, 30));
    session.save(&mut call).await?;
    let mut note = Note::new();
    note.set_description("Met Mike at the trade fair")
        .set_who(mike_key.clone());
    session.save(&mut note).await?;
    session.reload(&mut mike).await?;
    println!(
        "Mike now has {} task(s) and {} note(s); the call is on {} at {}",
        mike.tasks().len(),
        mike.notes().len(),
        call.start_date().map(|d| d.to_string()).unwrap_or_default(),
        call.start_time().map(|t| t.to_string()).unwrap_or_default(),
    );

    // Delete: the key is None again.
    session.delete(&mut note).await?;
    session.delete(&mut call).await?;
    session.delete(&mut mike).await?;
    println!("Deleted Mike; his key is now {:?}", mike.key());

    drop(sandbox);
    Ok(())
}

fn key_of<R>(key: Option<clevertim::Key<R>>) -> String {
    key.map(|k| k.to_string()).unwrap_or_default()
}
