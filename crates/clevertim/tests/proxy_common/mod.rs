//! What the proxy tests share: the quick start's operations, the TLS test server of the
//! hyper crate, and both transports built the same way.

use clevertim::{Backend, Contact, Session};

#[allow(dead_code, unreachable_pub)]
#[path = "../../../clevertim-hyper/tests/it/tls_server/mod.rs"]
pub(crate) mod tls_server;

/// Both compiled-in transports.
pub(crate) const BACKENDS: [Backend; 2] = [Backend::Hyper, Backend::Isahc];

/// The quick start's operations: create, load (no cache: a real GET), update, delete.
pub(crate) async fn quick_start(session: &Session) -> clevertim::Result<()> {
    let mut mike = Contact::new();
    mike.set_first_name("Mike");
    mike.set_last_name("Johnson");
    session.save(&mut mike).await?;
    let key = mike.key().expect("the server gave a key");
    let loaded: Contact = session.load(key.clone()).await?;
    assert_eq!(loaded.first_name(), Some("Mike"));
    mike.emails_mut().push("mike@example.com".into());
    session.save(&mut mike).await?;
    session.delete(&mut mike).await?;
    assert!(mike.key().is_none());
    Ok(())
}

#[allow(dead_code)] // not every test binary looks at the proxy's log this way
/// The methods of the requests a proxy logged to `host_port` (absolute form) and how many
/// tunnels it opened there.
pub(crate) fn seen_by_proxy(requests: &[String], host_port: &str) -> (Vec<String>, usize) {
    let absolute = format!("http://{host_port}/");
    let methods = requests
        .iter()
        .filter(|line| line.contains(&absolute))
        .filter_map(|line| line.split(' ').next().map(str::to_owned))
        .collect();
    let tunnels = requests
        .iter()
        .filter(|line| line.starts_with(&format!("CONNECT {host_port} ")))
        .count();
    (methods, tunnels)
}
