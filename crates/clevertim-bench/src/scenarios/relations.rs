//! relations: for every contact, its company's name, its tasks and its notes.
//!
//! The SDK side is written the way the API teaches it, with the default session: the contact
//! list, then `load_for(&contacts, Contact::company)`, `…Contact::tasks`, `…Contact::notes`
//! (each gathers the keys of all parents and fetches a resource's whole list once enough of
//! them are missing, `list_threshold`). A second SDK way is counted beside it: every list
//! first (`all()` caches each object it returns), then the loads, which the cache serves.
//! The baseline is the object-by-object way the lazy references invite (what the old Python
//! client does): the contact list, then each contact's `company()`,
//! `load_many(contact.tasks())` and `load_many(contact.notes())`: one GET per object.
//! Judged on counts: requests per pass, and GETs of an object the session already had.

use std::cell::Cell;
use std::sync::Arc;

use clevertim::transports::HyperTransport;
use clevertim::{Company, Contact, Note, Session, Task};

use super::{Config, Scenario, user_runtime};
use crate::Result;
use crate::clients::counting::CountingTransport;
use crate::report::{Row, Target};
use crate::runner::{Plan, compare};
use crate::servers::round;
use crate::servers::sandbox::{self, Crm};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "relations",
    about: "200 contacts' company, tasks and notes: lists + cache vs one GET per object",
    run,
};

/// The ways of reading the relations, as indices of their repeat counters.
const LOAD_FOR: usize = 0;
const LISTS_FIRST: usize = 1;
const ONE_BY_ONE: usize = 2;

/// What a pass read: a company name, tasks and notes per contact.
#[derive(Debug, Default, PartialEq)]
struct Read {
    companies: usize,
    tasks: usize,
    notes: usize,
}

/// A fresh session (empty cache, new connections), with its requests watched.
fn session(endpoint: &str, key: &str) -> Result<(Session, CountingTransport)> {
    let counting = CountingTransport::new(Arc::new(HyperTransport::new()?));
    let session = Session::builder(key)
        .endpoint(endpoint)
        .transport(counting.clone())
        .build()?;
    Ok((session, counting))
}

/// `load_for`: the keys of all contacts at once, per related resource.
async fn with_load_for(session: &Session) -> Result<Read> {
    let contacts = session.all::<Contact>().await?;
    let companies: Vec<Vec<Company>> = session.load_for(&contacts, Contact::company).await?;
    let tasks: Vec<Vec<Task>> = session.load_for(&contacts, Contact::tasks).await?;
    let notes: Vec<Vec<Note>> = session.load_for(&contacts, Contact::notes).await?;
    Ok(Read {
        companies: companies
            .iter()
            .flatten()
            .filter(|c| c.name().is_some())
            .count(),
        tasks: tasks.iter().map(Vec::len).sum(),
        notes: notes.iter().map(Vec::len).sum(),
    })
}

/// Every list first, then everything from the cache.
async fn lists_first(session: &Session) -> Result<Read> {
    let contacts = session.all::<Contact>().await?;
    session.all::<Company>().await?;
    session.all::<Task>().await?;
    session.all::<Note>().await?;
    related_of(session, &contacts).await
}

/// The object-by-object way.
async fn one_by_one(session: &Session) -> Result<Read> {
    let contacts = session.all::<Contact>().await?;
    related_of(session, &contacts).await
}

/// Reads each contact's company name, tasks and notes through the session.
async fn related_of(session: &Session, contacts: &[Contact]) -> Result<Read> {
    let mut read = Read::default();
    for contact in contacts {
        if let Some(key) = contact.company() {
            let company: Company = session.load(key).await?;
            read.companies += usize::from(company.name().is_some());
        }
        let tasks: Vec<Task> = session.load_many(contact.tasks().to_vec()).await?;
        let notes: Vec<Note> = session.load_many(contact.notes().to_vec()).await?;
        read.tasks += tasks.len();
        read.notes += notes.len();
    }
    Ok(read)
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let crm = Crm {
        contacts: config.size(200, 20),
        companies: config.size(20, 2),
        per_contact: 2,
    };
    let server = sandbox::with_crm(crm)?;
    let runtime = user_runtime()?;
    let (endpoint, key) = (server.endpoint(), server.api_key().to_owned());
    let contacts = usize::try_from(crm.contacts)?;
    let children = usize::try_from(crm.contacts * crm.per_contact)?;
    let expected = Read {
        companies: contacts,
        tasks: children,
        notes: children,
    };
    let repeats = [Cell::new(0u64), Cell::new(0u64), Cell::new(0u64)];
    let pass = |way: usize| {
        round(&server, || {
            let (session, counting) = session(&endpoint, &key)?;
            let read = runtime.block_on(async {
                match way {
                    LOAD_FOR => with_load_for(&session).await,
                    LISTS_FIRST => lists_first(&session).await,
                    _ => one_by_one(&session).await,
                }
            })?;
            if read != expected {
                return Err(format!("read {read:?}, expected {expected:?}").into());
            }
            repeats[way].set(repeats[way].get().max(counting.counts().repeats));
            Ok(())
        })
    };
    // Lists first is only counted: one pass.
    let lists = pass(LISTS_FIRST)?;
    let (mut sdk, mut baseline) = (|| pass(LOAD_FOR), || pass(ONE_BY_ONE));
    let plan = Plan {
        rounds: config.rounds(6),
        ops_per_round: 1,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    let (s_repeats, b_repeats) = (repeats[LOAD_FOR].get(), repeats[ONE_BY_ONE].get());
    let l_repeats = repeats[LISTS_FIRST].get();
    let judged = |requests: u64, repeats: u64, unit: &str| {
        Row::new(
            SCENARIO.name,
            unit,
            requests as f64,
            b.requests_per_round as f64,
            Target::Info,
        )
        .judged("sdk ≤ 5, 0 repeated GETs", requests <= 5 && repeats == 0)
    };
    if b.requests_per_round != crm.one_by_one_requests() {
        return Err(format!(
            "the object-by-object pass sent {} requests, {} expected",
            b.requests_per_round,
            crm.one_by_one_requests()
        )
        .into());
    }
    Ok(vec![
        judged(s.requests_per_round, s_repeats, "requests/pass"),
        Row::new(
            SCENARIO.name,
            "repeated GETs",
            s_repeats as f64,
            b_repeats as f64,
            Target::AtMost(0.0),
        ),
        judged(lists.requests, l_repeats, "requests/pass, lists first"),
        Row::new(
            SCENARIO.name,
            "ms/pass",
            s.per_op.median * 1e3,
            b.per_op.median * 1e3,
            Target::Info,
        ),
        Row::new(
            SCENARIO.name,
            "connections (run)",
            s.connections as f64,
            b.connections as f64,
            Target::Info,
        ),
        Row::new(
            SCENARIO.name,
            "peak heap KiB",
            s.peak_heap as f64 / 1024.0,
            b.peak_heap as f64 / 1024.0,
            Target::Info,
        ),
    ])
}
