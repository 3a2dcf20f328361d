//! The servers the scenarios talk to, on loopback in this process: the sandbox (the real
//! API's behaviour) and a canned-answer server (the ceilings: no work beyond a map lookup).

pub(crate) mod canned;
pub(crate) mod sandbox;

use std::time::Instant;

use crate::Result;
use crate::runner::Sample;

/// A server that counts what it did.
pub(crate) trait Counters {
    /// Requests answered so far.
    fn requests(&self) -> u64;
    /// Connections accepted so far.
    fn connections(&self) -> u64;
}

impl Counters for clevertim_sandbox::Sandbox {
    fn requests(&self) -> u64 {
        self.requests_served()
    }

    fn connections(&self) -> u64 {
        self.connections_accepted()
    }
}

/// Runs one round of work against `server`: its wall time and what the server saw.
pub(crate) fn round(server: &dyn Counters, work: impl FnOnce() -> Result<()>) -> Result<Sample> {
    let (requests, connections) = (server.requests(), server.connections());
    let started = Instant::now();
    work()?;
    let elapsed = started.elapsed();
    Ok(Sample {
        elapsed,
        requests: server.requests() - requests,
        connections: server.connections() - connections,
    })
}
