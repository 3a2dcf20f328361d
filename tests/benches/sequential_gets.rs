//! 1,000 sequential GETs of one contact through each transport, against an in-process
//! sandbox, side by side with a raw hyper client sending identical requests (the baseline).
//!
//! `cargo bench -p clevertim-conformance --bench sequential_gets`
//!
//! Rounds alternate between the clients so that they share the machine's state, each round
//! starting with the next client (a client run first in a round was seen 10% faster); the
//! median round of each is reported, with its ratio to the raw client's. The `+ timeout` and
//! `rustls connector` rows are raw hyper with one of the transport's layers added, to show
//! what each costs; `+ decode a Contact` is raw hyper doing what any client must do with
//! the answer (read the envelope and the object into a model), the fair baseline for the SDK.
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim::{Contact, Key, Transport as _};
use clevertim_conformance::{Api, Kind};
use clevertim_sandbox::Sandbox;
use http_body_util::{BodyExt as _, Full};

/// Requests per round: rounds are short so that every client sees the same spells of noise.
const PER_ROUND: usize = 200;
const ROUNDS: usize = 25;

fn main() {
    let sandbox = Sandbox::builder().spawn().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let endpoint = sandbox.endpoint();
    let key = sandbox.api_key().to_owned();

    let clients: Vec<(&str, Option<Api>)> = vec![
        ("raw hyper (baseline)", None),
        ("raw hyper + timeout", None),
        ("raw hyper over rustls conn.", None),
        ("raw hyper + decode a Contact", None),
        ("HyperTransport::send", None),
        (
            "hyper async, no retries",
            Some(Api::Async(clevertim::Session::from(
                clevertim::Session::builder(key.as_str())
                    .endpoint(&endpoint)
                    .no_cache()
                    .retry(clevertim::RetryPolicy::none())
                    .build()
                    .unwrap()
                    .core()
                    .clone(),
            ))),
        ),
        (
            "hyper async",
            Some(Api::new(Kind::HyperAsync, &endpoint, &key, false).unwrap()),
        ),
        (
            "isahc async",
            Some(Api::new(Kind::IsahcAsync, &endpoint, &key, false).unwrap()),
        ),
        (
            "hyper blocking",
            Some(Api::new(Kind::HyperBlocking, &endpoint, &key, false).unwrap()),
        ),
        (
            "isahc blocking",
            Some(Api::new(Kind::IsahcBlocking, &endpoint, &key, false).unwrap()),
        ),
    ];
    // `SEQUENTIAL_GETS_ONLY=<part of a client's name>` runs that client alone (for profiling).
    let only = std::env::var("SEQUENTIAL_GETS_ONLY").ok();
    let contact: Key<Contact> = runtime.block_on(async {
        let api = clients[6].1.as_ref().unwrap();
        api.all::<Contact>().await.unwrap()[0].key().unwrap()
    });
    let raw = RawClient::new(&endpoint, &key, &contact);
    let tls_raw = TlsRawClient::new(&raw);
    let transport = clevertim_hyper::HyperTransport::new().unwrap();

    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); clients.len()];
    let mut connections = vec![0u64; clients.len()];
    for round in 0..=ROUNDS {
        // Each round starts with another client, so that no client always runs first.
        for i in (0..clients.len()).map(|k| (k + round) % clients.len()) {
            if !only
                .as_ref()
                .is_none_or(|o| clients[i].0.contains(o.as_str()))
            {
                continue;
            }
            let api = &clients[i].1;
            let opened = sandbox.connections_accepted();
            let started = Instant::now();
            runtime.block_on(async {
                for _ in 0..PER_ROUND {
                    match api {
                        None if i == 0 => raw.get().await,
                        None if i == 1 => {
                            tokio::time::timeout(Duration::from_secs(30), raw.get())
                                .await
                                .unwrap();
                        }
                        None if i == 2 => tls_raw.get().await,
                        None if i == 3 => {
                            // What any client must do with the answer: read the envelope and
                            // the object into a model.
                            let body = raw.body().await;
                            let envelope: serde_json::Value =
                                serde_json::from_slice(&body).unwrap();
                            let c: Contact =
                                serde_json::from_value(envelope["content"][0].clone()).unwrap();
                            assert!(c.key().is_some());
                        }
                        None => {
                            let response = transport.send(raw.request.clone()).await.unwrap();
                            assert!(!response.body().is_empty());
                        }
                        Some(api) => {
                            let c: Contact = api.load(contact.clone()).await.unwrap();
                            assert!(c.key().is_some());
                        }
                    }
                }
            });
            // Round 0 warms connections and caches up; it is not counted.
            if round > 0 {
                times[i].push(started.elapsed());
                connections[i] += sandbox.connections_accepted() - opened;
            }
        }
    }

    // Per-request times of each round, sorted: median and quartiles.
    let per_request = |t: &Vec<Duration>| {
        let mut us: Vec<f64> = t
            .iter()
            .map(|d| d.as_secs_f64() * 1e6 / PER_ROUND as f64)
            .collect();
        us.sort_by(f64::total_cmp);
        (us[us.len() / 4], us[us.len() / 2], us[us.len() * 3 / 4])
    };
    if only.is_some() {
        return;
    }
    let (_, baseline, _) = per_request(&times[0]);
    println!(
        "sequential GET /api/contact/{contact}: {ROUNDS} rounds of {PER_ROUND} per client, rotated"
    );
    println!(
        "{:<28} {:>12} {:>16} {:>14} {:>8} {:>6}",
        "client", "µs/request", "p25–p75 µs", "1,000 GETs ms", "ratio", "conns"
    );
    for (((name, _), t), conns) in clients.iter().zip(&times).zip(&connections) {
        let (p25, median, p75) = per_request(t);
        println!(
            "{name:<28} {median:>12.1} {:>16} {:>14.1} {:>8.3} {conns:>6}",
            format!("{p25:.1}–{p75:.1}"),
            median,
            median / baseline
        );
    }
}

/// A bare hyper client sending the same request the SDK sends.
struct RawClient {
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Full<Bytes>,
    >,
    request: http::Request<Bytes>,
}

impl RawClient {
    fn new(endpoint: &str, key: &str, contact: &Key<Contact>) -> RawClient {
        use base64::Engine as _;
        let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
        connector.set_nodelay(true);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"));
        let request = http::Request::get(format!("{endpoint}/contact/{contact}"))
            .header("authorization", format!("Basic {auth}"))
            .header("accept", "application/json")
            .header("user-agent", "clevertim-rust/0.1.0")
            .body(Bytes::new())
            .unwrap();
        RawClient { client, request }
    }

    async fn get(&self) {
        assert!(!self.body().await.is_empty());
    }

    async fn body(&self) -> Bytes {
        let mut request = http::Request::new(Full::new(self.request.body().clone()));
        *request.method_mut() = self.request.method().clone();
        *request.uri_mut() = self.request.uri().clone();
        *request.headers_mut() = self.request.headers().clone();
        let response = self.client.request(request).await.unwrap();
        assert!(response.status().is_success());
        response.into_body().collect().await.unwrap().to_bytes()
    }
}

/// The raw client's requests over hyper-rustls's connector (plain http passes through it).
struct TlsRawClient {
    client: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    >,
    request: http::Request<Bytes>,
}

impl TlsRawClient {
    fn new(raw: &RawClient) -> TlsRawClient {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.set_nodelay(true);
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .unwrap()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        TlsRawClient {
            client,
            request: raw.request.clone(),
        }
    }

    async fn get(&self) {
        let response = self
            .client
            .request(self.request.clone().map(Full::new))
            .await
            .unwrap();
        assert!(response.status().is_success());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(!body.is_empty());
    }
}
