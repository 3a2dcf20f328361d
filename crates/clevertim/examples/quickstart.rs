//! The quick start: the SDK's walkthrough against the embedded sandbox, no account needed.
//!
//! `cargo run -p clevertim --example quickstart`
//!
//! Each step prints the requests it cost: the session's transport is wrapped in a small
//! [`Transport`] that logs what goes through it (your own code can do the same, or count the
//! `request` tracing spans of target `clevertim_core::session`; see the crate docs).
//!
//! Point it at a real account instead with `CLEVERTIM_ENDPOINT` and `CLEVERTIM_API_KEY`.
#![allow(clippy::print_stdout)]

use std::sync::{Arc, Mutex};

use clevertim::bytes::Bytes;
use clevertim::{
    BoxFuture, Company, Contact, Note, PhoneNumber, PhoneType, Session, Task, TaskDate, TaskTime,
    TaskType, Transport, TransportError, http,
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

    let wire = Logged::around(http_transport()?);
    let session = Session::builder(key)
        .endpoint(&endpoint)
        .transport_arc(wire.clone())
        .build()?;

    println!("Companies:");
    for company in session.all::<Company>().await? {
        println!("  #{:<3} {company}", key_of(company.key()));
    }
    wire.report("listing the companies");

    // Create a contact: a POST, and the key appears.
    let mut mike = Contact::new();
    mike.set_first_name("Mike")
        .set_last_name("Johnson")
        .set_title("Head of Sales")
        .add_to_phone_numbers(PhoneNumber::new("+44 20 7946 0000", PhoneType::Work));
    session.save(&mut mike).await?;
    let mike_key = mike.key().ok_or("the server gave no key")?;
    println!("\nSaved {mike} as contact #{mike_key}");
    wire.report("creating Mike");

    // Eager and lazy loads of an object already cached: no request at all.
    let loaded: Contact = session.load(mike_key.clone()).await?;
    println!("Loaded {loaded} ({})", loaded.title().unwrap_or(""));
    let lazy = session.lazy::<Contact>(mike_key.clone());
    println!("A lazy handle sends nothing until it is read; reading it:");
    for phone in lazy.get().await?.phone_numbers() {
        println!("  phone {phone}");
    }
    wire.report("loading Mike eagerly, then lazily (both from the cache)");

    // An update sends only the id and the changed field.
    mike.add_to_emails("mike@example.com");
    session.save(&mut mike).await?;
    println!("Added an email: {}", mike.emails().join(", "));
    wire.report("adding an email (a PUT of `id` and `email` only)");

    // Custom fields by name; values are checked against their definitions before sending.
    match session.custom_field_named("Tier").await {
        Ok(tier) => {
            if let (Some(tier_key), Some(first)) = (tier.key(), tier.values().first()) {
                mike.set_custom_field(tier_key.clone(), "Platinum");
                match session.save(&mut mike).await {
                    Err(e) => println!("Refused before sending: {e}"),
                    Ok(()) => println!("unexpected: an invalid value was saved"),
                }
                mike.set_custom_field(tier_key, first.as_str());
                session.save(&mut mike).await?;
                println!("Custom field Tier set to {first:?}");
            }
        }
        Err(e) => println!("No Tier custom field here: {e}"),
    }
    // The definitions are fetched once and cached; a value they refuse makes the session
    // ask the server once more (the cached ones might be stale) before refusing.
    wire.report(
        "setting the custom field Tier: the first GET /customfield learns the definitions \
         (cached after); the second is asked because \"Platinum\" is not among the cached \
         values, which might be stale, so the session checks afresh before refusing; the \
         refused value itself is never sent",
    );

    // A task and a note for Mike; their `who` is a customer key, Mike's compares with it.
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
    if let Some(who) = call.who() {
        println!("The call is for {}", session.customer(who).await?);
    }
    println!(
        "Mike now has {} task(s) and {} note(s); the call is on {} at {}",
        mike.tasks().len(),
        mike.notes().len(),
        call.start_date().map(|d| d.to_string()).unwrap_or_default(),
        call.start_time().map(|t| t.to_string()).unwrap_or_default(),
    );
    // Saving a task forgets Mike's cached copy (it lists his tasks); `reload` asks the
    // server, and `customer` then finds him in the cache.
    wire.report("a task and a note for Mike, reloading him, and who the call is for");

    // Delete: the key is None again.
    session.delete(&mut note).await?;
    session.delete(&mut call).await?;
    session.delete(&mut mike).await?;
    println!("Deleted Mike; his key is now {:?}", mike.key());
    wire.report("deleting the note, the task and Mike");

    drop(sandbox);
    Ok(())
}

fn key_of<R>(key: Option<clevertim::Key<R>>) -> String {
    key.map(|k| k.to_string()).unwrap_or_default()
}

/// The transport of the compiled-in backend, as `Session::builder(..).build()` would make it.
fn http_transport() -> Result<Arc<dyn Transport>, Box<dyn std::error::Error>> {
    #[cfg(feature = "hyper")]
    return Ok(Arc::new(clevertim::transports::HyperTransport::new()?));
    #[cfg(all(feature = "isahc", not(feature = "hyper")))]
    return Ok(Arc::new(
        clevertim::transports::IsahcTransport::builder()
            .no_proxy()
            .build()?,
    ));
    #[cfg(not(any(feature = "hyper", feature = "isahc")))]
    Err("the quick start needs the `hyper` or the `isahc` feature".into())
}

/// A transport that passes each request on and writes down its method, path and body.
#[derive(Debug)]
struct Logged {
    inner: Arc<dyn Transport>,
    sent: Mutex<Vec<String>>,
}

impl Logged {
    fn around(inner: Arc<dyn Transport>) -> Arc<Self> {
        Arc::new(Logged {
            inner,
            sent: Mutex::new(Vec::new()),
        })
    }

    /// Prints the requests sent since the last report, and how many.
    fn report(&self, step: &str) {
        let sent = match self.sent.lock() {
            Ok(mut sent) => std::mem::take(&mut *sent),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        println!("  [{step}: {} request(s)]", sent.len());
        for line in sent {
            println!("    {line}");
        }
    }
}

impl Transport for Logged {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let mut line = format!("{} {}", request.method(), request.uri().path());
        if !request.body().is_empty() {
            line.push(' ');
            line.push_str(&String::from_utf8_lossy(request.body()));
        }
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(line);
        }
        self.inner.send(request)
    }
}
