//! sync: `clevertim-sync` mirroring a sandbox of 10,000 contacts with their tasks and notes
//! into SQLite.
//!
//! Measured in the same rounds: reading every resource through the SDK (what any mirror must
//! pay: the baseline), a first run into a fresh file, and a second run with no change. The
//! target of the issue: the no-change run writes nothing and costs little more than reading
//! the API. Peak heap (the in-process sandbox's allocations included, on both sides).

use std::time::Instant;

use clevertim::{
    Case, Comment, Company, Contact, CustomField, File, Folder, Group, LinkedFile, Note,
    Opportunity, Session, Task, User,
};
use clevertim_sync::{Options, Target};

use super::{Config, Scenario, user_runtime};
use crate::Result;
use crate::heap;
use crate::report::{Row, Target as Judged};
use crate::servers::sandbox::{self, Crm};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "sync",
    about: "SQL mirror of 10,000 contacts + tasks + notes: first run, no-change run, vs reading",
    run,
};

/// Reads every resource a sync reads, as a sync does (whole lists), and counts the objects.
async fn read_all(session: &Session) -> Result<usize> {
    Ok(session.all::<User>().await?.len()
        + session.all::<Group>().await?.len()
        + session.all::<CustomField>().await?.len()
        + session.all::<Contact>().await?.len()
        + session.all::<Company>().await?.len()
        + session.all::<Case>().await?.len()
        + session.all::<Opportunity>().await?.len()
        + session.all::<Task>().await?.len()
        + session.all::<Note>().await?.len()
        + session.all::<Comment>().await?.len()
        + session.all::<Folder>().await?.len()
        + session.all::<File>().await?.len()
        + session.all::<LinkedFile>().await?.len())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let crm = Crm {
        contacts: config.size(10_000, 50),
        companies: config.size(100, 2),
        per_contact: 1,
    };
    let server = sandbox::with_crm(crm)?;
    let runtime = user_runtime()?;
    let session = Session::builder(server.api_key())
        .endpoint(server.endpoint())
        .no_cache()
        .build()?;
    let dir = tempfile_dir()?;
    let options = Options::default();
    let (mut read_ms, mut first_ms, mut second_ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut read_heap, mut first_heap, mut rewritten) = (0_u64, 0_u64, 0_u64);
    // A warm-up round, then the measured ones; each side in turn within a round.
    for round in 0..=config.rounds(3) {
        let started = Instant::now();
        let (objects, heap_read) = heap::peak(|| runtime.block_on(read_all(&session)));
        let objects = objects?;
        let read = started.elapsed().as_secs_f64() * 1000.0;
        if objects < usize::try_from(crm.contacts * 3)? {
            return Err(format!("the sandbox holds {objects} objects: seeding failed").into());
        }

        let target = Target::Sqlite(dir.join(format!("mirror-{round}.db")));
        let started = Instant::now();
        let (first, heap_first) = heap::peak(|| {
            runtime.block_on(clevertim_sync::sync(session.core(), &target, &options))
        });
        let first = first?;
        let first_time = started.elapsed().as_secs_f64() * 1000.0;
        if first.changed() < u64::try_from(objects)? {
            return Err("the first run did not insert every object".into());
        }

        let started = Instant::now();
        let second = runtime.block_on(clevertim_sync::sync(session.core(), &target, &options))?;
        let second_time = started.elapsed().as_secs_f64() * 1000.0;
        if round > 0 {
            read_ms.push(read);
            first_ms.push(first_time);
            second_ms.push(second_time);
            read_heap = read_heap.max(heap_read);
            first_heap = first_heap.max(heap_first);
            rewritten += second.changed();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (read, first, second) = (median(read_ms), median(first_ms), median(second_ms));
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    Ok(vec![
        Row::new("sync first run vs read", "ms", first, read, Judged::Info),
        Row::new(
            "sync no-change run vs read",
            "ms",
            second,
            read,
            Judged::RatioAtMost(1.5),
        ),
        Row::new(
            "sync no-change vs first run",
            "ms",
            second,
            first,
            Judged::Info,
        ),
        Row::new(
            "sync first run peak heap",
            "MiB",
            mib(first_heap),
            mib(read_heap),
            Judged::Info,
        ),
        Row::new(
            "sync no-change rows written",
            "rows",
            rewritten as f64,
            0.0,
            Judged::AtMost(0.0),
        ),
    ])
}

/// A fresh directory for the mirrors.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("clevertim-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
