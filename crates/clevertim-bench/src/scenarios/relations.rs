//! relations: for every contact, its company's name, its tasks and its notes.
//!
//! The SDK side is written the way the guide teaches: fetch each resource's list once
//! (`all()` puts every object it returns in the cache), then read the related objects, which
//! the cache serves. The baseline is the object-by-object way the lazy references invite
//! (what the old Python client does): the contact list, then the contact's `company()`,
//! `load_many(contact.tasks())` and `load_many(contact.notes())` — one GET per object.
//! Judged on counts: requests per pass, and GETs of an object the session already had.

use std::cell::Cell;
use std::sync::Arc;

use clevertim::transports::HyperTransport;
use clevertim::{Company, Contact, Note, Session, Task};

use super::{user_runtime, Config, Scenario};
use crate::clients::counting::CountingTransport;
use crate::report::{Row, Target};
use crate::runner::{compare, Plan};
use crate::servers::round;
use crate::servers::sandbox::{self, Crm};
use crate::Result;

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "relations",
    about: "200 contacts' company, tasks and notes: lists + cache vs one GET per object",
    run,
};

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

/// The guide's way: one list per resource, then everything from the cache.
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
    let repeats = [Cell::new(0u64), Cell::new(0u64)];
    let pass = |side: usize| {
        round(&server, || {
            let (session, counting) = session(&endpoint, &key)?;
            let read = runtime.block_on(async {
                if side == 0 {
                    lists_first(&session).await
                } else {
                    one_by_one(&session).await
                }
            })?;
            if read != expected {
                return Err(format!("read {read:?}, expected {expected:?}").into());
            }
            repeats[side].set(repeats[side].get().max(counting.counts().repeats));
            Ok(())
        })
    };
    let (mut sdk, mut baseline) = (|| pass(0), || pass(1));
    let plan = Plan {
        rounds: config.rounds(6),
        ops_per_round: 1,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    let (s_repeats, b_repeats) = (repeats[0].get(), repeats[1].get());
    let requests = Row::new(
        SCENARIO.name,
        "requests/pass",
        s.requests_per_round as f64,
        b.requests_per_round as f64,
        Target::Info,
    )
    .judged(
        "sdk ≤ 5, 0 repeated GETs",
        s.requests_per_round <= 5 && s_repeats == 0,
    );
    if b.requests_per_round != crm.one_by_one_requests() {
        return Err(format!(
            "the object-by-object pass sent {} requests, {} expected",
            b.requests_per_round,
            crm.one_by_one_requests()
        )
        .into());
    }
    Ok(vec![
        requests,
        Row::new(
            SCENARIO.name,
            "repeated GETs",
            s_repeats as f64,
            b_repeats as f64,
            Target::AtMost(0.0),
        ),
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
