//! The multi-process suite: several real processes (this binary runs itself as children),
//! each with its own `Session`, sharing one `redis-server` and one sandbox.
//!
//! Each scenario runs against [`RedisStore`](clevertim_redis::RedisStore), which must pass
//! it, and against a naive GET/SET cache on the same Redis, which must fail it: proof that
//! the scenarios can see the bug they guard against.
//!
//! `harness = false`: `main` is the parent; with `CT_ROLE` set, it is a child.
#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    missing_docs,
    unreachable_pub
)]

mod history;
mod hold;
mod naive;
mod worker;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use clevertim_core::{Contact, Session};
use clevertim_hyper::HyperTransport;
use clevertim_sandbox::Sandbox;
use clevertim_testservers::RedisServer;
use redis::Commands as _;

struct World {
    redis: RedisServer,
    sandbox: Sandbox,
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    seq: std::cell::Cell<u32>,
}

/// A child about to run: its role and settings.
struct Job<'a> {
    role: &'a str,
    store: &'a str,
    env: Vec<(&'a str, String)>,
}

impl World {
    fn new(redis: RedisServer) -> Self {
        World {
            redis,
            sandbox: Sandbox::builder().empty(true).spawn().expect("the sandbox"),
            dir: tempfile::tempdir().expect("a temp dir"),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            seq: std::cell::Cell::new(0),
        }
    }

    /// A session of the parent's own, without a cache: the server's truth.
    fn direct(&self) -> Session {
        Session::builder(self.sandbox.api_key())
            .endpoint(self.sandbox.endpoint())
            .transport(HyperTransport::new().unwrap())
            .no_cache()
            .build()
            .unwrap()
    }

    fn new_contact(&self, title: &str) -> i64 {
        let session = self.direct();
        self.runtime.block_on(async {
            let mut contact = Contact::new();
            contact.set_first_name("Race");
            contact.set_title(title);
            session.save(&mut contact).await.unwrap();
            contact.key().unwrap().id().to_string().parse().unwrap()
        })
    }

    fn server_title(&self, id: i64) -> Option<String> {
        let session = self.direct();
        self.runtime.block_on(async {
            session
                .load::<Contact>(id)
                .await
                .ok()
                .map(|c| c.title().unwrap_or_default().to_owned())
        })
    }

    fn spawn(&self, job: Job<'_>) -> (Child, PathBuf) {
        let n = self.seq.get() + 1;
        self.seq.set(n);
        let out = self.dir.path().join(format!("out-{n}"));
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .env("CT_ROLE", job.role)
            .env("CT_STORE", job.store)
            .env("CT_REDIS", self.redis.url())
            .env("CT_ENDPOINT", self.sandbox.endpoint())
            .env("CT_KEY", self.sandbox.api_key())
            .env("CT_OUT", &out);
        for (name, value) in job.env {
            command.env(name, value);
        }
        (command.spawn().expect("a child"), out)
    }

    fn finish(&self, (mut child, out): (Child, PathBuf)) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "a child failed: {status}");
                return std::fs::read_to_string(out).unwrap();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("a child did not finish within 120 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn run(&self, job: Job<'_>) -> String {
        let child = self.spawn(job);
        self.finish(child)
    }

    fn redis(&self) -> redis::Connection {
        redis::Client::open(self.redis.url())
            .unwrap()
            .get_connection()
            .unwrap()
    }

    fn wait_key(&self, key: &str) {
        let mut c = self.redis();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !c.exists::<_, bool>(key).unwrap() {
            assert!(Instant::now() < deadline, "{key} never appeared");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn release(&self, name: &str) {
        let _: () = self.redis().set(format!("test:release:{name}"), 1).unwrap();
    }
}

fn job<'a>(role: &'a str, store: &'a str, id: i64) -> Job<'a> {
    Job {
        role,
        store,
        env: vec![("CT_ID", id.to_string())],
    }
}

fn held<'a>(mut job: Job<'a>, method: &str, name: &str) -> Job<'a> {
    job.env.push(("CT_HOLD", method.to_owned()));
    job.env.push(("CT_NAME", name.to_owned()));
    job
}

fn with_value<'a>(mut job: Job<'a>, value: &str) -> Job<'a> {
    job.env.push(("CT_VALUE", value.to_owned()));
    job
}

/// B's GET of a contact is held back while A saves it and returns; then C and D load it.
/// `Err` when C or D is served B's old answer.
fn stale_get(world: &World, store: &str) -> Result<(), String> {
    let id = world.new_contact("old");
    let name = format!("get-{store}-{id}");
    let b = world.spawn(held(job("load", store, id), "GET", &name));
    world.wait_key(&format!("test:held:{name}"));
    // B's answer (the old title) is in its hands; nothing was cached yet: now A saves.
    let saved = world.run(with_value(job("save", store, id), "from A"));
    assert_eq!(saved, "value:from A");
    world.release(&name);
    assert_eq!(
        world.finish(b),
        "value:old",
        "B got the answer it asked for"
    );
    let c = world.run(job("load", store, id));
    let d = world.run(job("load", store, id));
    match (c.as_str(), d.as_str()) {
        ("value:from A", "value:from A") => Ok(()),
        _ => Err(format!(
            "after A's save returned, C read {c:?} and D read {d:?}"
        )),
    }
}

/// B's update of a contact answers, and is held back while A deletes the contact; then C
/// loads it. `Err` when the update's answer resurrected it in the store.
fn delete_races_update(world: &World, store: &str) -> Result<(), String> {
    let id = world.new_contact("alive");
    let name = format!("del-{store}-{id}");
    let b = world.spawn(held(
        with_value(job("save", store, id), "from B"),
        "PUT",
        &name,
    ));
    world.wait_key(&format!("test:held:{name}"));
    assert_eq!(world.run(job("delete", store, id)), "deleted");
    world.release(&name);
    assert_eq!(world.finish(b), "value:from B");
    match world.run(job("load", store, id)).as_str() {
        "notfound" => Ok(()),
        other => Err(format!("after the delete returned, C read {other:?}")),
    }
}

/// A's and B's saves of one contact overlap (each held after its answer); B returns first,
/// then A. `Err` when C then reads anything but what the server holds.
fn overlapping_saves(world: &World, store: &str) -> Result<(), String> {
    let id = world.new_contact("before");
    let (na, nb) = (format!("ova-{store}-{id}"), format!("ovb-{store}-{id}"));
    let a = world.spawn(held(
        with_value(job("save", store, id), "from A"),
        "PUT",
        &na,
    ));
    world.wait_key(&format!("test:held:{na}"));
    let b = world.spawn(held(
        with_value(job("save", store, id), "from B"),
        "PUT",
        &nb,
    ));
    world.wait_key(&format!("test:held:{nb}"));
    world.release(&nb);
    world.finish(b);
    world.release(&na);
    world.finish(a);
    let truth = world.server_title(id).unwrap_or_default();
    let c = world.run(job("load", store, id));
    if c == format!("value:{truth}") {
        Ok(())
    } else {
        Err(format!("the server holds {truth:?}, C read {c:?}"))
    }
}

/// 4 processes × `ops` operations on 3 contacts, stamped from a shared counter. The stale
/// reads found.
fn randomised_history(world: &World, store: &str, ops: usize) -> Vec<String> {
    let ids: Vec<i64> = (0..3).map(|_| world.new_contact("initial")).collect();
    let initial: HashMap<i64, String> = ids.iter().map(|&id| (id, "initial".into())).collect();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let children: Vec<_> = (0..4)
        .map(|p| {
            world.spawn(Job {
                role: "history",
                store,
                env: vec![
                    ("CT_PROC", format!("{store}{p}")),
                    ("CT_IDS", list.clone()),
                    ("CT_OPS", ops.to_string()),
                    ("CT_JITTER_US", "3000".into()),
                ],
            })
        })
        .collect();
    let mut all = Vec::new();
    for child in children {
        let out: serde_json::Value = serde_json::from_str(&world.finish(child)).unwrap();
        all.extend(out.as_array().unwrap().iter().map(history::Op::from_json));
    }
    assert_eq!(all.len(), 4 * ops);
    assert!(
        all.iter().filter(|op| op.ok).count() > 3 * ops,
        "most operations succeed"
    );
    history::stale_reads(&all, &initial)
}

/// 4 processes send 15 requests each with a budget of 20 a second, 4 at once. `Err` when,
/// between the first request and the last, more went than rate × duration + burst.
fn rate_budget(world: &World, store: &str) -> Result<(), String> {
    let (rate, burst, ops) = (20.0, 4.0, 15);
    let children: Vec<_> = (0..4)
        .map(|_| {
            world.spawn(Job {
                role: "rate",
                store,
                env: vec![("CT_RATE", "20,4".into()), ("CT_OPS", ops.to_string())],
            })
        })
        .collect();
    let (mut sent, mut first, mut last) = (0.0, f64::MAX, 0.0_f64);
    for child in children {
        let out: serde_json::Value = serde_json::from_str(&world.finish(child)).unwrap();
        sent += out["sent"].as_f64().unwrap();
        first = first.min(out["first"].as_f64().unwrap());
        last = last.max(out["last"].as_f64().unwrap());
    }
    let seconds = (last - first) / 1000.0;
    let allowed = rate * seconds + burst;
    if sent <= allowed {
        Ok(())
    } else {
        Err(format!(
            "{sent} requests in {seconds:.2} s, more than {allowed:.1} (rate × duration + burst)"
        ))
    }
}

fn check(name: &str, outcome: Result<(), String>, must_fail: bool) {
    match (outcome, must_fail) {
        (Ok(()), false) => println!("test {name} ... ok"),
        (Err(why), true) => println!("test {name} ... ok (fails as it must: {why})"),
        (Ok(()), true) => panic!("{name}: passed: the scenario cannot see the bug"),
        (Err(why), false) => panic!("{name}: {why}"),
    }
}

fn main() {
    if std::env::var_os("CT_ROLE").is_some() {
        worker::run();
        return;
    }
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let world = World::new(redis);
    type Scenario = fn(&World, &str) -> Result<(), String>;
    let scenarios: [(&str, Scenario); 3] = [
        ("stale_get_held_during_a_save", stale_get),
        ("delete_races_an_update_in_flight", delete_races_update),
        ("two_overlapping_saves", overlapping_saves),
    ];
    for (name, scenario) in scenarios {
        check(
            &format!("{name} (redis store)"),
            scenario(&world, "protocol"),
            false,
        );
        check(
            &format!("{name} (naive cache)"),
            scenario(&world, "naive"),
            true,
        );
    }
    let ops = 500;
    let stale = randomised_history(&world, "protocol", ops);
    check(
        "randomised_history (redis store)",
        if stale.is_empty() {
            Ok(())
        } else {
            Err(stale.join("\n"))
        },
        false,
    );
    let stale = randomised_history(&world, "naive", ops);
    check(
        "randomised_history (naive cache)",
        if stale.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} stale reads, the first: {}",
                stale.len(),
                stale[0]
            ))
        },
        true,
    );
    check(
        "rate_budget_across_4_processes (redis store)",
        rate_budget(&world, "protocol"),
        false,
    );
    check(
        "rate_budget_across_4_processes (a budget per process)",
        rate_budget(&world, "local"),
        true,
    );
    println!("\ntest result: ok");
}
