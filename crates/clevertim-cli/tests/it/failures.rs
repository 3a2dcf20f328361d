//! Failures reported honestly: every key of a command tried and reported, with an exit code
//! saying whether all, some or none succeeded; errors that name the request, its host and the
//! cause, each once.

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::Arc;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::common;

use common::*;

/// Creates a contact called `name`; its key.
fn contact(sandbox: &clevertim_sandbox::Sandbox, name: &str) -> String {
    key_of(
        &run(
            sandbox,
            &[
                "contact",
                "create",
                "--first-name",
                name,
                "--format",
                "json",
            ],
        )
        .ok()
        .json(),
    )
}

#[test]
fn a_delete_of_several_keys_tries_and_reports_each() {
    let sandbox = sandbox();
    let (a, b) = (contact(&sandbox, "Ann"), contact(&sandbox, "Bob"));
    let out = run(&sandbox, &["contact", "delete", &a, "999", &b]);
    assert_eq!(out.code, Some(8), "some deleted, some not: {}", out.stderr);
    assert!(
        out.stdout.contains(&format!("deleted contact {a}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("deleted contact {b}")),
        "{}",
        out.stdout
    );
    let host = sandbox.addr().to_string();
    assert!(
        out.stderr.contains(&format!(
            "error: DELETE /api/contact/999 to {host}: contact 999 not found;"
        )),
        "the request, its host and the cause: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 3 contacts not deleted"),
        "{}",
        out.stderr
    );
    for key in [&a, &b] {
        assert_eq!(run(&sandbox, &["contact", "get", key]).code, Some(3));
    }
    // None deleted: the failure's own code, each key reported.
    let none = run(&sandbox, &["contact", "delete", "998", "999"]);
    assert_eq!(none.code, Some(3), "{}", none.stderr);
    assert!(
        none.stderr.contains("998") && none.stderr.contains("999"),
        "{}",
        none.stderr
    );
    // A get of several keys shows what it found and reports the rest.
    let get = run(
        &sandbox,
        &["contact", "get", "3", "999", "--format", "json"],
    );
    assert_eq!(get.code, Some(8), "{}", get.stderr);
    assert_eq!(key_of(&get.json()), "3");
    assert!(
        get.stderr.contains("contact 999 not found"),
        "{}",
        get.stderr
    );
}

#[test]
fn an_endpoint_without_the_api_path_is_named_not_the_data() {
    let sandbox = sandbox();
    let wrong = sandbox.endpoint().trim_end_matches("/api").to_owned();
    for args in [&["contact", "list"][..], &["contact", "get", "3"]] {
        let out = run_at(&wrong, sandbox.api_key(), args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(&wrong), "{}", out.stderr);
        assert!(out.stderr.contains("/api"), "{}", out.stderr);
        assert!(
            !out.stderr.contains("contact 3 not found"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("contact  not found"), "{}", out.stderr);
    }
}

#[test]
fn a_refused_connection_names_the_endpoint_and_the_cause() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/api");
    let out = run_at(&endpoint, "K3y", &["contact", "list"]);
    assert_eq!(out.code, Some(7), "{}", out.stderr);
    // The request and its host, once: not the endpoint again in front of it.
    let request = format!("error: GET /api/contact to 127.0.0.1:{port}: could not connect: ");
    assert!(out.stderr.starts_with(&request), "{}", out.stderr);
    assert_eq!(
        out.stderr.matches(&format!("127.0.0.1:{port}")).count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.to_lowercase().contains("refused"),
        "{}",
        out.stderr
    );
    // The root cause is said once (the SDK's message ends with it in words).
    assert_eq!(
        out.stderr
            .to_lowercase()
            .matches("connection refused")
            .count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn a_host_that_does_not_resolve_is_said_so() {
    let endpoint = "http://no-such-host.invalid/api";
    let out = run_at(
        endpoint,
        "K3y",
        &["--allow-insecure-http", "contact", "list"],
    );
    assert_eq!(out.code, Some(7), "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: GET /api/contact to no-such-host.invalid: could not connect: "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("does not resolve"), "{}", out.stderr);
}

#[test]
fn plain_http_to_a_remote_host_is_advised_in_the_commands_terms() {
    let out = run_at("http://crm.example.com/api", "K3y", &["contact", "list"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("--allow-insecure-http"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains(".allow_insecure_http()"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_untrusted_certificate_is_named() {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
        .expect("a self-signed certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .expect("the certificate and its key");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let endpoint = format!("https://{addr}/api");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(conn, stream);
            let _ = tls.read(&mut [0; 64]); // the handshake, which the client abandons
        }
    });
    let out = run_at(&endpoint, "K3y", &["contact", "list"]);
    assert_eq!(out.code, Some(7), "{}", out.stderr);
    let request = format!("error: GET /api/contact to {addr}: TLS error: ");
    assert!(out.stderr.starts_with(&request), "{}", out.stderr);
    assert!(out.stderr.contains("certificate"), "{}", out.stderr);
    assert!(out.stderr.contains("not trusted"), "{}", out.stderr);
}
