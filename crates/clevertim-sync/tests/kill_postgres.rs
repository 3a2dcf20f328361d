//! On PostgreSQL, a run killed at each phase (while reading; inside the transaction, holding
//! the advisory lock) leaves the previous mirror intact, its lock is released (the next run is
//! not refused), and the next run gives the same mirror as a fresh sync.
//!
//! The run is a real child process (this test binary again, with `KILL_AT` set) that sends
//! itself SIGKILL at the phase named: no destructor, no `ROLLBACK` sent; the server must see
//! the connection drop and roll back by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use clevertim_sandbox::Sandbox;
use clevertim_sync::{Options, Target};
use clevertim_testservers::PostgresServer;
use common::kill::{PHASES, change_the_account, sync_and_die_at};
use common::*;
use tokio_postgres::{Client, NoTls};

const KILL_AT: &str = "CLEVERTIM_SYNC_TEST_KILL_AT";

/// How long the server may take to notice a killed client and release its lock.
const RELEASE_WITHIN: Duration = Duration::from_secs(20);

/// The child: syncs and dies at the phase.
fn child(phase: String) {
    sync_and_die_at(phase, Target::Postgres(std::env::var("SYNC_URL").unwrap()));
}

async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// Every row of every data table (not the `_` bookkeeping tables), as text, sorted.
async fn dump(client: &Client) -> Vec<String> {
    let tables = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    assert!(tables.len() > 13, "the mirror's tables");
    let mut out = Vec::new();
    for table in tables {
        let table: String = table.get(0);
        let rows = client
            .query(&format!("SELECT t::text FROM \"{table}\" t"), &[])
            .await
            .unwrap();
        out.extend(
            rows.iter()
                .map(|row| format!("{table}: {}", row.get::<_, String>(0))),
        );
    }
    out.sort();
    out
}

async fn scalar(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// The advisory locks held on the sync's key, by any session.
async fn sync_locks(client: &Client) -> i64 {
    // An advisory lock on a bigint key shows as (classid, objid): its high and low 32 bits.
    client
        .query_one(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' \
             AND ((classid::bigint << 32) | objid::bigint) = $1",
            &[&clevertim_sync::POSTGRES_LOCK_KEY],
        )
        .await
        .unwrap()
        .get(0)
}

fn main() {
    if let Ok(phase) = std::env::var(KILL_AT) {
        return child(phase);
    }
    let Some(server) = PostgresServer::start().expect("PostgreSQL starts") else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = server.url("postgres");
        let target = Target::Postgres(url.clone());
        let client = connect(&url).await;
        let sandbox = Sandbox::start().await.unwrap();
        let session = session(&sandbox);
        clevertim_sync::sync(session.core(), &target, &Options::default())
            .await
            .unwrap();

        change_the_account(&session).await;

        // The lock's query sees a held lock (else its zero below would prove nothing).
        client.batch_execute("BEGIN").await.unwrap();
        client
            .query_one(
                "SELECT pg_advisory_xact_lock($1)",
                &[&clevertim_sync::POSTGRES_LOCK_KEY],
            )
            .await
            .unwrap();
        assert_eq!(sync_locks(&client).await, 1, "the lock, seen");
        client.batch_execute("ROLLBACK").await.unwrap();

        let before = dump(&client).await;
        let runs = scalar(&client, "SELECT COUNT(*) FROM _sync_runs").await;
        for phase in PHASES {
            let status = Command::new(std::env::current_exe().unwrap())
                .env(KILL_AT, phase)
                .env("SYNC_ENDPOINT", sandbox.endpoint())
                .env("SYNC_KEY", sandbox.api_key())
                .env("SYNC_URL", &url)
                .status()
                .unwrap();
            assert!(
                !status.success(),
                "{phase}: the child was not killed ({status})"
            );
            // Committed data only: what readers see is the previous mirror.
            assert_eq!(
                dump(&client).await,
                before,
                "{phase}: the killed run changed the mirror\n{}",
                server.log()
            );
            assert_eq!(
                scalar(&client, "SELECT COUNT(*) FROM _sync_runs").await,
                runs,
                "{phase}"
            );
            // The killed run's transaction ends, and its advisory lock with it.
            let started = Instant::now();
            while sync_locks(&client).await > 0 {
                assert!(
                    started.elapsed() < RELEASE_WITHIN,
                    "{phase}: the killed run's lock is still held\n{}",
                    server.log()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            eprintln!("killed at {phase}: the mirror is intact, the lock released");
        }

        // The lock is free: the next run is not refused, and equals a fresh sync.
        assert_eq!(sync_locks(&client).await, 0, "no sync lock is left behind");
        clevertim_sync::sync(session.core(), &target, &Options::default())
            .await
            .expect("the run after the killed ones is not refused");
        client.batch_execute("CREATE DATABASE fresh").await.unwrap();
        let fresh_url = server.url("fresh");
        clevertim_sync::sync(
            session.core(),
            &Target::Postgres(fresh_url.clone()),
            &Options::default(),
        )
        .await
        .unwrap();
        let fresh = connect(&fresh_url).await;
        assert_eq!(
            dump(&client).await,
            dump(&fresh).await,
            "the next run differs from a fresh sync"
        );
        assert_eq!(
            scalar(&client, "SELECT COUNT(*) FROM _sync_runs").await,
            runs + 1
        );
        eprintln!(
            "after {} killed runs, the next run equals a fresh sync",
            PHASES.len()
        );
    });
}
