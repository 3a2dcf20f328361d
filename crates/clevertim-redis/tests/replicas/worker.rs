//! A child process: one `Session` of its own on the shared Redis and sandbox, doing what its
//! role says and writing the outcome to its output file.

use std::time::Duration;

use clevertim_core::{Contact, Error, Session, Store};
use clevertim_hyper::HyperTransport;
use clevertim_redis::RedisStore;
use redis::Commands as _;

use crate::history::Op;
use crate::hold::Held;
use crate::naive::NaiveStore;

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

async fn session() -> Session {
    let redis_url = var("CT_REDIS");
    let store: Box<dyn StoreBox> = match var("CT_STORE").as_str() {
        "naive" => Box::new(NaiveStore::connect(&redis_url).await),
        "local" => Box::new(clevertim_core::LocalStore::default()),
        _ => Box::new(RedisStore::new(&redis_url).expect("a Redis URL")),
    };
    let hold = std::env::var("CT_HOLD")
        .ok()
        .map(|m| m.parse::<http::Method>().expect("a method"));
    let transport = Held {
        inner: HyperTransport::new().expect("a transport"),
        method: hold,
        name: std::env::var("CT_NAME").unwrap_or_default(),
        redis: redis::Client::open(redis_url.as_str()).expect("a Redis URL"),
        jitter: Duration::from_micros(
            std::env::var("CT_JITTER_US")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        ),
    };
    let mut builder = Session::builder(var("CT_KEY")).endpoint(var("CT_ENDPOINT"));
    if let Ok(rate) = std::env::var("CT_RATE") {
        let (per_second, burst) = rate.split_once(',').expect("RATE,BURST");
        builder = builder.rate_limit(per_second.parse().unwrap(), burst.parse().unwrap());
    }
    store
        .with(builder)
        .transport(transport)
        .retry(clevertim_core::RetryPolicy::none())
        .build()
        .expect("a session")
}

/// Hands a boxed store of either kind to the builder.
trait StoreBox {
    fn with(
        self: Box<Self>,
        builder: clevertim_core::SessionBuilder,
    ) -> clevertim_core::SessionBuilder;
}

impl<S: Store + 'static> StoreBox for S {
    fn with(
        self: Box<Self>,
        builder: clevertim_core::SessionBuilder,
    ) -> clevertim_core::SessionBuilder {
        builder.store(*self)
    }
}

fn describe(outcome: Result<Contact, Error>) -> String {
    match outcome {
        Ok(contact) => format!("value:{}", contact.title().unwrap_or_default()),
        Err(Error::NotFound { .. }) => "notfound".to_owned(),
        Err(e) => format!("error:{e}"),
    }
}

pub(crate) fn run() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let out = runtime.block_on(async {
        let session = session().await;
        let id: i64 = std::env::var("CT_ID")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        match var("CT_ROLE").as_str() {
            "load" => describe(session.load::<Contact>(id).await),
            "save" => {
                let mut contact = Contact::with_key(id);
                contact.set_title(var("CT_VALUE"));
                describe(session.save(&mut contact).await.map(|()| contact))
            }
            "delete" => match session.delete_key::<Contact>(id).await {
                Ok(()) => "deleted".to_owned(),
                Err(e) => format!("error:{e}"),
            },
            "history" => history(&session).await,
            "rate" => rate(&session, var("CT_OPS").parse().expect("a count")).await,
            other => panic!("unknown role {other}"),
        }
    });
    std::fs::write(var("CT_OUT"), out).expect("the output file");
}

async fn history(session: &Session) -> String {
    let redis = redis::Client::open(var("CT_REDIS")).expect("a Redis URL");
    let mut counter = redis.get_connection().expect("Redis reachable");
    let proc_no = var("CT_PROC");
    let ids: Vec<i64> = var("CT_IDS")
        .split(',')
        .filter_map(|v| v.parse().ok())
        .collect();
    let ops: usize = var("CT_OPS").parse().expect("a count");
    let mut stamp = move || -> i64 { counter.incr("test:clock", 1).expect("INCR") };
    let mut done = Vec::with_capacity(ops);
    for i in 0..ops {
        let id = ids[fastrand::usize(..ids.len())];
        let write = fastrand::u8(..10) < 4;
        let value = format!("p{proc_no}-{i}");
        let before = stamp();
        let (ok, value) = if write {
            let mut contact = Contact::with_key(id);
            contact.set_title(value.clone());
            (session.save(&mut contact).await.is_ok(), value)
        } else {
            match session.load::<Contact>(id).await {
                Ok(c) => (true, c.title().unwrap_or_default().to_owned()),
                Err(_) => (false, String::new()),
            }
        };
        let after = stamp();
        done.push(
            Op {
                write,
                ok,
                id,
                value,
                before,
                after,
            }
            .to_json(),
        );
    }
    serde_json::Value::Array(done).to_string()
}

/// `ops` list requests (never cached): how many went, and when the first started and the
/// last ended (ms since the epoch; the processes share the machine's clock).
async fn rate(session: &Session, ops: usize) -> String {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            * 1000.0
    };
    let first = now();
    let mut sent = 0;
    for _ in 0..ops {
        session.all::<Contact>().await.expect("a list");
        sent += 1;
    }
    serde_json::json!({"sent": sent, "first": first, "last": now()}).to_string()
}
