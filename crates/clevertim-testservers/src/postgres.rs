//! A throwaway PostgreSQL cluster (Debian's `postgresql` package) on a free loopback port.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{ServerProcess, free_port, require};

/// The unprivileged user PostgreSQL runs as when the tests run as root (`initdb` refuses
/// root); Debian's package makes it.
const SERVER_USER: &str = "postgres";

/// A PostgreSQL cluster made by `initdb` in a private directory, served on `127.0.0.1` (and a
/// unix socket in that directory) with `fsync=off`; stopped and deleted on drop. The
/// superuser is `postgres`, with `trust` authentication.
///
/// ```no_run
/// let Some(server) = clevertim_testservers::PostgresServer::start().expect("PostgreSQL starts")
/// else { return };
/// assert!(server.url("postgres").starts_with("postgres://postgres@127.0.0.1:"));
/// ```
#[derive(Debug)]
pub struct PostgresServer {
    process: ServerProcess,
    port: u16,
}

impl PostgresServer {
    /// Makes and starts a cluster; `Ok(None)` (after saying so) where PostgreSQL is not
    /// installed, except under `CI=true`, where that panics ([`require`]).
    ///
    /// As root, `initdb` and `postgres` run as the `postgres` user (`setpriv`, which execs,
    /// so that the process the test kills is the server itself).
    ///
    /// # Errors
    ///
    /// `initdb` failed, or the server did not listen within 30 s; the error holds its log.
    ///
    /// ```no_run
    /// let server = clevertim_testservers::PostgresServer::start()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start() -> io::Result<Option<PostgresServer>> {
        let Some(initdb) = require("initdb", "postgresql") else {
            return Ok(None);
        };
        let Some(postgres) = require("postgres", "postgresql") else {
            return Ok(None);
        };
        let Some(pg_isready) = require("pg_isready", "postgresql") else {
            return Ok(None);
        };
        let dir = ServerProcess::workdir()?;
        let as_root = is_root();
        if as_root {
            chown(dir.path())?;
        }
        let data = dir.path().join("data");
        let mut init = as_server_user(as_root, &initdb);
        init.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        let output = init.output()?;
        if !output.status.success() {
            return Err(io::Error::other(format!(
                "initdb failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        let port = free_port();
        let mut serve = as_server_user(as_root, &postgres);
        serve
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
            .args(["-c", "synchronous_commit=off"]);
        let mut process = ServerProcess::spawn_in("postgres", serve, dir)?;
        // Listening is not ready: until recovery ends it refuses with "starting up".
        let port_arg = port.to_string();
        process.wait_until(|| {
            Command::new(&pg_isready)
                .args(["-q", "-h", "127.0.0.1", "-p", &port_arg, "-U", "postgres"])
                .status()
                .is_ok_and(|status| status.success())
        })?;
        Ok(Some(PostgresServer { process, port }))
    }

    /// The port it listens on (on `127.0.0.1`).
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::PostgresServer::start()?.unwrap();
    /// assert_ne!(server.port(), 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL to `database` as the superuser.
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::PostgresServer::start()?.unwrap();
    /// let url = server.url("postgres");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// What the server logged (for a failing test's message).
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::PostgresServer::start()?.unwrap();
    /// eprintln!("{}", server.log());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn log(&self) -> String {
        self.process.log()
    }
}

/// Whether this process runs as root (from `/proc/self/status`; no libc needed).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Gives the server user the private directory.
fn chown(dir: &Path) -> io::Result<()> {
    let status = Command::new("chown")
        .arg(format!("{SERVER_USER}:"))
        .arg(dir)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "chown {SERVER_USER} {} failed: {status}",
            dir.display()
        )))
    }
}

/// `program`, run as the server user when we are root.
fn as_server_user(as_root: bool, program: &PathBuf) -> Command {
    if as_root {
        let mut command = Command::new("setpriv");
        command
            .arg(format!("--reuid={SERVER_USER}"))
            .arg(format!("--regid={SERVER_USER}"))
            .arg("--init-groups")
            .arg("--")
            .arg(program);
        command
    } else {
        Command::new(program)
    }
}
