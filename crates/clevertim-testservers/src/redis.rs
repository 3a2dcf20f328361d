//! `redis-server` from Debian's package, on a free loopback port, with nothing written to
//! disk (`--save '' --appendonly no`).

use std::io;
use std::process::Command;

use crate::process::{ServerProcess, free_port, require};

/// A running `redis-server`, stopped when dropped.
///
/// ```no_run
/// let Some(redis) = clevertim_testservers::RedisServer::start() else { return };
/// assert!(redis.url().starts_with("redis://127.0.0.1:"));
/// ```
#[derive(Debug)]
pub struct RedisServer {
    process: ServerProcess,
    port: u16,
}

impl RedisServer {
    /// Starts one on a free port; `None` (after saying what to install) where `redis-server`
    /// is missing.
    ///
    /// # Panics
    ///
    /// The server is missing under `CI=true`, or it did not start (the message holds its log).
    ///
    /// ```no_run
    /// let redis = clevertim_testservers::RedisServer::start();
    /// # let _ = redis;
    /// ```
    pub fn start() -> Option<Self> {
        Self::start_on(free_port())
    }

    /// Starts one on `port` (to bring a stopped server back where its clients look for it).
    ///
    /// # Panics
    ///
    /// As [`start`](Self::start).
    ///
    /// ```no_run
    /// let Some(redis) = clevertim_testservers::RedisServer::start() else { return };
    /// let port = redis.port();
    /// drop(redis);
    /// let again = clevertim_testservers::RedisServer::start_on(port);
    /// # let _ = again;
    /// ```
    pub fn start_on(port: u16) -> Option<Self> {
        let binary = require("redis-server", "redis-server")?;
        match Self::launch(&binary, port) {
            Ok(server) => Some(server),
            Err(error) => panic!("redis-server did not start: {error}"),
        }
    }

    fn launch(binary: &std::path::Path, port: u16) -> io::Result<Self> {
        let mut command = Command::new(binary);
        command.args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--daemonize",
            "no",
        ]);
        let mut process = ServerProcess::spawn("redis-server", command)?;
        process.wait_for_port(port)?;
        Ok(RedisServer { process, port })
    }

    /// The port it listens on (127.0.0.1 only).
    ///
    /// ```no_run
    /// # let Some(redis) = clevertim_testservers::RedisServer::start() else { return };
    /// assert_ne!(redis.port(), 0);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT/`.
    ///
    /// ```no_run
    /// # let Some(redis) = clevertim_testservers::RedisServer::start() else { return };
    /// let url = redis.url();
    /// # let _ = url;
    /// ```
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// What the server wrote to its log so far.
    ///
    /// ```no_run
    /// # let Some(redis) = clevertim_testservers::RedisServer::start() else { return };
    /// assert!(redis.log().contains("Ready to accept connections"));
    /// ```
    pub fn log(&self) -> String {
        self.process.log()
    }
}
