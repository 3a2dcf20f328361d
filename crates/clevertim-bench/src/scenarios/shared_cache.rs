//! shared-cache: what the cache costs and saves, in memory and on Redis.
//!
//! - `cache-memory`: a cached `load::<Contact>` from the default `MemoryCache`, which keeps
//!   the decoded object (a clone), beside the same load from a cache that keeps JSON only (a
//!   decoding per load: what every cached load cost before the `Store` port).
//! - `cache-redis`: a cached load from `RedisStore` (a real `redis-server` on loopback) beside
//!   one from memory and one from the server (the sandbox, no cache).
//! - `cache-replicas`: the requests 4 replicas send when each loads the same 1,000 contacts,
//!   with one shared `RedisStore` and with a cache each.

use clevertim::bytes::Bytes;
use clevertim::{Cache, CacheKey, Contact, MemoryCache, Session};
use clevertim_redis::RedisStore;
use clevertim_testservers::RedisServer;

use super::{Config, Scenario, user_runtime};
use crate::Result;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, Sample, compare, compare_all};
use crate::servers::round;
use crate::servers::sandbox::{self, Crm};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "shared-cache",
    about: "cached loads: decoded vs JSON in memory; Redis vs memory vs server; 4 replicas' requests",
    run,
};

/// A cache that keeps JSON only (any `Cache` but `MemoryCache` does): every hit decodes.
#[derive(Debug, Clone, Default)]
struct JsonOnly(MemoryCache);

impl Cache for JsonOnly {
    fn get(&self, key: &CacheKey) -> Option<Bytes> {
        self.0.get(key)
    }
    fn insert(&self, key: CacheKey, json: Bytes) {
        self.0.insert(key, json);
    }
    fn remove(&self, key: &CacheKey) {
        self.0.remove(key);
    }
    fn clear(&self) {
        self.0.clear();
    }
}

fn builder(server: &clevertim_sandbox::Sandbox) -> clevertim::SessionBuilder {
    Session::builder(server.api_key()).endpoint(server.endpoint())
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let contacts = config.size(1_000, 50);
    let crm = Crm {
        contacts,
        companies: 1,
        per_contact: 0,
    };
    let server = sandbox::with_crm(crm)?;
    let runtime = user_runtime()?;
    let ids: Vec<u64> = (2..2 + contacts).collect();
    let loads = |session: &Session| -> Result<Sample> {
        round(&server, || {
            runtime.block_on(async {
                for &id in &ids {
                    let contact: Contact = session.load(id).await?;
                    if contact.first_name().is_none() {
                        return Err("a contact without its name".into());
                    }
                }
                Ok(())
            })
        })
    };
    let plan = Plan {
        rounds: config.rounds(8),
        ops_per_round: contacts,
    };

    // Decoded objects vs JSON in memory.
    let decoded = builder(&server).build()?;
    let json_only = builder(&server).cache(JsonOnly::default()).build()?;
    let (d, j) = compare(plan, &mut || loads(&decoded), &mut || loads(&json_only))?;
    let mut out = rows(
        "cache-memory",
        &d,
        &j,
        Speed::Micros("µs/cached load"),
        Target::RatioAtMost(1.0),
        true,
        Target::Info,
    );

    let Some(redis) = RedisServer::start() else {
        return Ok(out);
    };
    // From Redis vs from memory vs from the server.
    let shared = builder(&server)
        .store(RedisStore::new(&redis.url())?)
        .build()?;
    let uncached = builder(&server).no_cache().build()?;
    let measured = compare_all(
        plan,
        &mut [&mut || loads(&shared), &mut || loads(&decoded), &mut || {
            loads(&uncached)
        }],
    )?;
    let micros = |i: usize| measured[i].per_op.median * 1e6;
    out.push(Row::new(
        "cache-redis",
        "µs/load: redis vs memory",
        micros(0),
        micros(1),
        Target::Info,
    ));
    // The sandbox is on loopback: a real Clevertim server is a WAN round trip away, which a
    // Redis beside the service is not. Reported for reading, not judged.
    out.push(Row::new(
        "cache-redis",
        "µs/load: redis vs loopback server",
        micros(0),
        micros(2),
        Target::Info,
    ));

    // 4 replicas, each loading the same contacts: one shared store vs a cache each.
    let replicas = |shared: bool| -> Result<u64> {
        let store = RedisStore::new(&redis.url())?;
        let sessions = (0..4)
            .map(|_| {
                let b = builder(&server);
                Ok(if shared { b.store(store.clone()) } else { b }.build()?)
            })
            .collect::<Result<Vec<Session>>>()?;
        let before = server.requests_served();
        for session in &sessions {
            loads(session)?;
        }
        Ok(server.requests_served() - before)
    };
    flush(&redis)?;
    let with_store = replicas(true)?;
    let without = replicas(false)?;
    out.push(Row::new(
        "cache-replicas",
        "requests: shared store vs a cache each",
        with_store as f64,
        without as f64,
        Target::AtMost(contacts as f64),
    ));
    Ok(out)
}

/// Empties Redis (the store's earlier entries would serve the replicas' first loads).
fn flush(redis: &RedisServer) -> Result<()> {
    let mut connection = redis::Client::open(redis.url())?.get_connection()?;
    redis::cmd("FLUSHALL").query::<()>(&mut connection)?;
    Ok(())
}
