//! The pool's probing of new hosts.
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;

use super::*;

fn pool() -> Pool {
    pool_waiting(Duration::from_secs(10))
}

/// A pool whose requests wait `probe_wait` at most for a probe.
fn pool_waiting(probe_wait: Duration) -> Pool {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(
            crate::tls::client_config(
                crate::trust::root_store(crate::Roots::Webpki, &[], &[]).unwrap(),
            )
            .unwrap(),
        )
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(crate::ProxyConnector::direct(http));
    let keep_alive = KeepAlive {
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(5),
    };
    Pool::new(
        connector,
        probe_wait,
        Duration::from_secs(90),
        8,
        keep_alive,
    )
}

fn key(url: &str) -> Key {
    Key::of(&url.parse().unwrap()).unwrap()
}

#[test]
fn plain_http_and_known_http1_hosts_are_not_probed() {
    let pool = pool();
    assert!(matches!(pool.next(&key("http://h/")), Next::Connect(None)));
    let https = key("https://h/");
    host_of(&mut pool.hosts(), &https).speaks = Some(Speaks::Http1);
    assert!(matches!(pool.next(&https), Next::Connect(None)));
}

#[tokio::test]
async fn a_dropped_probe_lets_the_waiting_requests_go_on() {
    let pool = pool();
    let https = key("https://h/");
    let Next::Connect(Some(probe)) = pool.next(&https) else {
        panic!("the first request to a new https host probes");
    };
    let Next::Wait(done) = pool.next(&https) else {
        panic!("the second one waits");
    };
    let notified = done.notified();
    assert!(pool.is_probing(&https, &done));
    // Abandoned (its request cancelled) as much as finished.
    drop(probe);
    tokio::time::timeout(Duration::from_secs(5), notified)
        .await
        .expect("the waiting request is told");
    assert!(!pool.is_probing(&https, &done));
    assert!(matches!(pool.next(&https), Next::Connect(Some(_))));
}

#[tokio::test]
async fn a_request_waits_for_a_slow_probe_no_longer_than_the_connect_timeout() {
    let pool = pool_waiting(Duration::from_millis(50));
    // Nothing listens there: a connection of its own fails at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri: http::Uri = format!("https://127.0.0.1:{port}/").parse().unwrap();
    let https = Key::of(&uri).unwrap();
    // A probe that never ends while the request waits.
    let Next::Connect(Some(_probe)) = pool.next(&https) else {
        panic!("the first request probes");
    };
    let started = std::time::Instant::now();
    let waited = tokio::time::timeout(Duration::from_secs(5), pool.connect_or_share(&https, &uri))
        .await
        .expect("the request did not wait for the probe to end");
    assert!(waited.is_err(), "nothing listens: a connect error");
    assert!(started.elapsed() >= Duration::from_millis(50));
}
