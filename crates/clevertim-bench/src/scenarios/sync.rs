//! sync: `clevertim-sync` mirroring a sandbox of 10,000 contacts with their tasks and notes
//! into SQLite and into PostgreSQL.
//!
//! Measured in the same rounds: reading every resource through the SDK (what any mirror must
//! pay: the baseline), then for each database a first run into a fresh mirror and a second
//! run with no change. The target of the issue: the no-change run writes nothing and costs
//! little more than reading the API. Peak heap (the in-process sandbox's allocations
//! included, on both sides). PostgreSQL is Debian's (`postgresql`), a cluster of its own;
//! where it is missing only SQLite is measured.

use std::time::Instant;

use clevertim::{
    Case, Comment, Company, Contact, CustomField, File, Folder, Group, LinkedFile, Note,
    Opportunity, Session, Task, User,
};
use clevertim_sync::{Options, Target};
use clevertim_testservers::PostgresServer;

use super::{Config, Scenario, user_runtime};
use crate::Result;
use crate::heap;
use crate::report::{Row, Target as Judged};
use crate::servers::sandbox::{self, Crm};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "sync",
    about: "SQL mirror (SQLite, PostgreSQL) of 10,000 contacts + tasks + notes: first run, no-change run, vs reading",
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

/// One database's measures over the rounds.
#[derive(Default)]
struct Measures {
    first_ms: Vec<f64>,
    second_ms: Vec<f64>,
    first_heap: u64,
    rewritten: u64,
}

impl Measures {
    /// A first run into `target` (fresh), then a second one with no change.
    fn round(
        &mut self,
        runtime: &tokio::runtime::Runtime,
        session: &Session,
        target: &Target,
        objects: usize,
        measured: bool,
    ) -> Result<()> {
        let options = Options::default();
        let started = Instant::now();
        let (first, heap_first) =
            heap::peak(|| runtime.block_on(clevertim_sync::sync(session.core(), target, &options)));
        let first = first?;
        let first_time = started.elapsed().as_secs_f64() * 1000.0;
        if first.changed() < u64::try_from(objects)? {
            return Err("the first run did not insert every object".into());
        }
        let started = Instant::now();
        let second = runtime.block_on(clevertim_sync::sync(session.core(), target, &options))?;
        let second_time = started.elapsed().as_secs_f64() * 1000.0;
        if measured {
            self.first_ms.push(first_time);
            self.second_ms.push(second_time);
            self.first_heap = self.first_heap.max(heap_first);
            self.rewritten += second.changed();
        }
        Ok(())
    }

    fn rows(self, db: &str, read: f64, read_heap: u64) -> Vec<Row> {
        let (first, second) = (median(self.first_ms), median(self.second_ms));
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        vec![
            Row::new(
                &format!("sync {db} first run vs read"),
                "ms",
                first,
                read,
                Judged::Info,
            ),
            Row::new(
                &format!("sync {db} no-change run vs read"),
                "ms",
                second,
                read,
                Judged::RatioAtMost(1.5),
            ),
            Row::new(
                &format!("sync {db} no-change vs first run"),
                "ms",
                second,
                first,
                Judged::Info,
            ),
            Row::new(
                &format!("sync {db} first run peak heap"),
                "MiB",
                mib(self.first_heap),
                mib(read_heap),
                Judged::Info,
            ),
            Row::new(
                &format!("sync {db} no-change rows written"),
                "rows",
                self.rewritten as f64,
                0.0,
                Judged::AtMost(0.0),
            ),
        ]
    }
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
    let postgres = PostgresServer::start()?;
    let (mut read_ms, mut read_heap) = (Vec::new(), 0_u64);
    let (mut sqlite, mut pg) = (Measures::default(), Measures::default());
    // A warm-up round, then the measured ones; each side in turn within a round.
    for round in 0..=config.rounds(3) {
        let measured = round > 0;
        let started = Instant::now();
        let (objects, heap_read) = heap::peak(|| runtime.block_on(read_all(&session)));
        let objects = objects?;
        let read = started.elapsed().as_secs_f64() * 1000.0;
        if objects < usize::try_from(crm.contacts * 3)? {
            return Err(format!("the sandbox holds {objects} objects: seeding failed").into());
        }
        if measured {
            read_ms.push(read);
            read_heap = read_heap.max(heap_read);
        }
        let target = Target::Sqlite(dir.join(format!("mirror-{round}.db")));
        sqlite.round(&runtime, &session, &target, objects, measured)?;
        if let Some(postgres) = &postgres {
            let database = format!("mirror_{round}");
            runtime.block_on(create_database(&postgres.url("postgres"), &database))?;
            let target = Target::Postgres(postgres.url(&database));
            pg.round(&runtime, &session, &target, objects, measured)?;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let read = median(read_ms);
    let mut rows = sqlite.rows("sqlite", read, read_heap);
    if postgres.is_some() {
        rows.extend(pg.rows("postgres", read, read_heap));
    }
    Ok(rows)
}

/// Creates an empty database for one round's mirror.
async fn create_database(url: &str, name: &str) -> Result<()> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let connection = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    drop(client);
    connection.await??;
    Ok(())
}

/// A fresh directory for the mirrors.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("clevertim-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
