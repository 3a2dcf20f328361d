//! A run killed at each phase (while reading; inside the transaction) leaves the previous
//! mirror intact, and the next run gives the same mirror as a fresh sync.
//!
//! The run is a real child process (this test binary again, with `KILL_AT` set) that sends
//! itself SIGKILL at the phase named: no destructor, no rollback, no core dump.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;
use std::process::Command;

use clevertim_sandbox::Sandbox;
use clevertim_sync::{Options, Target};
use common::kill::{PHASES, change_the_account, sync_and_die_at};
use common::*;

const KILL_AT: &str = "CLEVERTIM_SYNC_TEST_KILL_AT";

/// The child: syncs and dies at the phase.
fn child(phase: String) {
    sync_and_die_at(
        phase,
        Target::Sqlite(std::env::var("SYNC_PATH").unwrap().into()),
    );
}

fn integrity(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

fn main() {
    if let Ok(phase) = std::env::var(KILL_AT) {
        return child(phase);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sandbox = Sandbox::start().await.unwrap();
        let session = session(&sandbox);
        let (dir, path) = mirror_file();
        sync_sqlite(&session, &path, &Options::default())
            .await
            .unwrap();

        change_the_account(&session).await;

        let before = dump(&path);
        let runs = scalar(&path, "SELECT COUNT(*) FROM _sync_runs");
        for phase in PHASES {
            let status = Command::new(std::env::current_exe().unwrap())
                .env(KILL_AT, phase)
                .env("SYNC_ENDPOINT", sandbox.endpoint())
                .env("SYNC_KEY", sandbox.api_key())
                .env("SYNC_PATH", &path)
                .status()
                .unwrap();
            assert!(
                !status.success(),
                "{phase}: the child was not killed ({status})"
            );
            assert_eq!(integrity(&path), "ok", "{phase}");
            assert_eq!(
                dump(&path),
                before,
                "{phase}: the killed run changed the mirror"
            );
            assert_eq!(
                scalar(&path, "SELECT COUNT(*) FROM _sync_runs"),
                runs,
                "{phase}"
            );
            eprintln!("killed at {phase}: the mirror is intact");
        }

        sync_sqlite(&session, &path, &Options::default())
            .await
            .unwrap();
        let fresh = dir.path().join("fresh.db");
        sync_sqlite(&session, &fresh, &Options::default())
            .await
            .unwrap();
        assert_eq!(
            dump(&path),
            dump(&fresh),
            "the next run differs from a fresh sync"
        );
        assert_eq!(integrity(&path), "ok");
        eprintln!(
            "after {} killed runs, the next run equals a fresh sync",
            PHASES.len()
        );
    });
}
