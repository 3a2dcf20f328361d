//! Connections: keep-alive reuse, many loads at once, nothing listening.

use super::*;

/// Many requests, few connections: sequential requests reuse pooled keep-alive connections.
///
/// A client may open a spare connection when it sends the next request before the last one's
/// connection is back in its pool (hyper's pool returns it from a background task), which a
/// loaded machine makes likelier; so the bound is "at least six requests per connection", not
/// "exactly one connection".
pub async fn keep_alive_reuses_connections(kind: Flavour) {
    const REQUESTS: u64 = 60;
    let env = Env::new(kind).await;
    let key: Key<Contact> = env.first().await;
    let fresh = env.uncached();
    let connections = env.sandbox.connections_accepted();
    let requests = env.sandbox.requests_served();
    for _ in 0..REQUESTS {
        let _: Contact = fresh.load(key.clone()).await.unwrap();
    }
    assert_eq!(env.sandbox.requests_served() - requests, REQUESTS);
    let opened = env.sandbox.connections_accepted() - connections;
    assert!(
        opened <= REQUESTS / 6,
        "{REQUESTS} sequential requests opened {opened} connections"
    );
}

/// 64 loads at once from one session.
pub async fn sixty_four_concurrent_loads(kind: Flavour) {
    let env = Env::new(kind).await;
    let contacts: Vec<Contact> = env.api.all().await.unwrap();
    let keys: Vec<Key<Contact>> = contacts
        .iter()
        .filter_map(Contact::key)
        .cycle()
        .take(64)
        .collect();
    let fresh = env.uncached();
    let results = fresh.load_concurrently(keys.clone()).await;
    for (result, key) in results.into_iter().zip(&keys) {
        assert_eq!(result.unwrap().key().as_ref(), Some(key));
    }
    let many: Vec<Contact> = fresh.load_many(keys.clone()).await.unwrap();
    assert_eq!(
        many.iter().filter_map(Contact::key).collect::<Vec<_>>(),
        keys
    );
}

/// A port with nothing listening fails fast with the connect error.
pub async fn nothing_listening_is_a_connect_error(kind: Flavour) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let api = Api::new(
        kind,
        &format!("http://127.0.0.1:{port}/api"),
        "AnyKey",
        true,
    )
    .unwrap();
    let started = Instant::now();
    let failed = api.load::<Contact>(1).await.unwrap_err();
    assert!(
        matches!(&failed, Error::Transport(t) if t.kind() == TransportErrorKind::Connect),
        "{failed}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
