//! Real servers that nobody here wrote, started by the workspace's tests on loopback.
//!
//! Each server comes from Debian's packages (`scripts/test` and `.ci/run` install them). A test
//! asks for one with [`require`]: where the binary is missing, a local `cargo test` prints what
//! it skipped and what to install, and the test returns early; under `CI=true` a missing server
//! is a failure, never a skip.
//!
//! [`ServerProcess`] is what every server shares: a private directory for its configuration and
//! logs, readiness by connecting (never by sleeping), and a `Drop` that stops it by PID. The
//! server-specific launchers live in their own modules and build on it.
//!
//! ```no_run
//! use clevertim_testservers::{require, ServerProcess};
//!
//! let Some(redis) = require("redis-server", "redis-server") else { return };
//! let port = clevertim_testservers::free_port();
//! let mut command = std::process::Command::new(redis);
//! command.args(["--port", &port.to_string(), "--save", "", "--appendonly", "no"]);
//! let mut server = ServerProcess::spawn("redis", command).expect("redis-server starts");
//! server.wait_for_port(port).expect("redis-server listens");
//! ```

mod postgres;
mod process;
mod redis;
mod tinyproxy;

pub use postgres::PostgresServer;
pub use process::{ServerProcess, free_port, require};
pub use tinyproxy::Tinyproxy;
mod nginx;
pub use nginx::{NGINX_LOG_FORMAT, Nginx, NginxLogRow};
pub use redis::RedisServer;
