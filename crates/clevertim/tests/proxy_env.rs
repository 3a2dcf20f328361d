//! Both transports as the environment configures them: the proxy variables as the table
//! "Behind a proxy" in `docs/transports.md` says each transport reads them, the quick start
//! through a proxy set only by `HTTPS_PROXY` / `HTTP_PROXY` (and `http_proxy`, for curl),
//! and `SSL_CERT_FILE` trusted where the system store is used.
//!
//! The environment is a process's: each case runs in a child process (this test binary
//! again, running only [`child`]) with the variables set there, so no test races another
//! over them, and no `unsafe` `set_var` is needed.

mod proxy_common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use clevertim::transports::{HyperTransport, IsahcTransport};
use clevertim::{Backend, Session, Transport};
use clevertim_sandbox::Sandbox;
use clevertim_testservers::Tinyproxy;
use proxy_common::tls_server::{Alpn, TlsServer};
use proxy_common::{BACKENDS, quick_start};

/// Set in a child process: what it does (`send` or `quick_start`).
const CHILD: &str = "CLEVERTIM_PROXY_ENV_CHILD";
const CHILD_BACKEND: &str = "CLEVERTIM_PROXY_ENV_BACKEND";
const CHILD_URL: &str = "CLEVERTIM_PROXY_ENV_URL";
const CHILD_API_KEY: &str = "CLEVERTIM_PROXY_ENV_API_KEY";
/// In a child: `.proxy(this)` (`off`: `.no_proxy()`) instead of the environment's.
const CHILD_OPTION: &str = "CLEVERTIM_PROXY_ENV_OPTION";

/// Every variable that could route a request; cleared in each child before a case sets its
/// own.
const PROXY_VARS: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// The target of a case.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// The sandbox over plain http, by its IP address.
    Http,
    /// The sandbox over plain http, by the name `localhost`.
    HttpLocalhost,
    /// The TLS server.
    Https,
}

/// One line of the table: the variables set, the target, and whether hyper and isahc go
/// through the proxy.
struct Case {
    vars: &'static [(&'static str, &'static str)],
    target: Target,
    hyper_via_proxy: bool,
    isahc_via_proxy: bool,
}

/// `PROXY` in a value stands for the proxy's URL.
const TABLE: &[Case] = &[
    // curl ignores upper-case HTTP_PROXY (a CGI server sets HTTP_PROXY from a request's
    // `Proxy:` header: "httpoxy"); hyper-util reads it, but not under CGI.
    Case {
        vars: &[("HTTP_PROXY", "PROXY")],
        target: Target::Http,
        hyper_via_proxy: true,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("HTTP_PROXY", "PROXY"), ("REQUEST_METHOD", "GET")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("http_proxy", "PROXY")],
        target: Target::Http,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
    Case {
        vars: &[("HTTPS_PROXY", "PROXY")],
        target: Target::Https,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
    Case {
        vars: &[("https_proxy", "PROXY")],
        target: Target::Https,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
    Case {
        vars: &[("HTTPS_PROXY", "PROXY")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("ALL_PROXY", "PROXY")],
        target: Target::Http,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
    Case {
        vars: &[("all_proxy", "PROXY")],
        target: Target::Https,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
    Case {
        vars: &[("http_proxy", "PROXY"), ("NO_PROXY", "127.0.0.1")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("http_proxy", "PROXY"), ("no_proxy", "10.0.0.1, 127.0.0.1")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("http_proxy", "PROXY"), ("NO_PROXY", "127.0.0.0/8")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("http_proxy", "PROXY"), ("NO_PROXY", "localhost")],
        target: Target::HttpLocalhost,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[("http_proxy", "PROXY"), ("NO_PROXY", "*")],
        target: Target::Http,
        hyper_via_proxy: false,
        isahc_via_proxy: false,
    },
    Case {
        vars: &[
            ("http_proxy", "PROXY"),
            ("NO_PROXY", "example.com,10.0.0.0/8"),
        ],
        target: Target::Http,
        hyper_via_proxy: true,
        isahc_via_proxy: true,
    },
];

/// Runs this test binary again, only [`child`], with `vars` set (and every other proxy
/// variable cleared); panics with its output if it fails.
fn run_child(what: &str, backend: Backend, url: &str, api_key: &str, vars: &[(&str, String)]) {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command.args(["--exact", "child", "--nocapture", "--test-threads", "1"]);
    for var in PROXY_VARS
        .iter()
        .chain(&["SSL_CERT_FILE", "SSL_CERT_DIR", CHILD_OPTION])
    {
        command.env_remove(var);
    }
    command
        .env(CHILD, what)
        .env(CHILD_BACKEND, format!("{backend:?}"))
        .env(CHILD_URL, url)
        .env(CHILD_API_KEY, api_key);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("the child runs");
    assert!(
        output.status.success(),
        "{what} {backend:?} {vars:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `der` as a PEM file in `dir`.
fn pem_file(dir: &Path, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    );
    let path = dir.join("server.pem");
    std::fs::write(&path, pem).expect("the PEM file");
    path.to_string_lossy().into_owned()
}

#[test]
fn each_transport_reads_the_proxy_variables_as_the_table_says() {
    let Some(proxy) = Tinyproxy::start(None) else {
        return;
    };
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let server = TlsServer::start(Alpn::Http1Only);
    let dir = tempfile::tempdir().expect("a directory");
    let cert = pem_file(dir.path(), &server.certificate());
    for case in TABLE {
        let url = match case.target {
            Target::Http => format!("{}/contact/4", sandbox.endpoint()),
            Target::HttpLocalhost => {
                format!("http://localhost:{}/api/contact/4", sandbox.addr().port())
            }
            Target::Https => format!("{}/contact/4", server.endpoint()),
        };
        let mut vars: Vec<(&str, String)> = case
            .vars
            .iter()
            .map(|(name, value)| (*name, value.replace("PROXY", &proxy.url())))
            .collect();
        vars.push(("SSL_CERT_FILE", cert.clone()));
        for (backend, via_proxy) in [
            (Backend::Hyper, case.hyper_via_proxy),
            (Backend::Isahc, case.isahc_via_proxy),
        ] {
            let before = proxy.requests().len();
            run_child("send", backend, &url, "", &vars);
            let went_through = proxy.requests().len() > before;
            assert_eq!(
                went_through,
                via_proxy,
                "{backend:?} with {:?} to {:?}: through the proxy? (its requests: {:?})",
                case.vars,
                case.target,
                &proxy.requests()[before..]
            );
        }
    }
}

#[test]
fn the_options_win_over_the_environment() {
    let Some(proxy) = Tinyproxy::start(None) else {
        return;
    };
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let url = format!("{}/contact/4", sandbox.endpoint());
    for backend in BACKENDS {
        // `.proxy(url)`: the environment's NO_PROXY does not apply.
        let before = proxy.requests().len();
        let vars = [("NO_PROXY", "*".to_owned()), (CHILD_OPTION, proxy.url())];
        run_child("send", backend, &url, "", &vars);
        assert!(
            proxy.requests().len() > before,
            "{backend:?}: `.proxy(url)` is used"
        );
        // `.no_proxy()`: the environment's proxy does not apply.
        let before = proxy.requests().len();
        let vars = [
            ("http_proxy", proxy.url()),
            ("HTTP_PROXY", proxy.url()),
            (CHILD_OPTION, "off".to_owned()),
        ];
        run_child("send", backend, &url, "", &vars);
        assert_eq!(
            proxy.requests().len(),
            before,
            "{backend:?}: `.no_proxy()` goes direct"
        );
    }
}

#[test]
fn the_quick_start_completes_through_a_proxy_set_only_by_the_environment() {
    let Some(proxy) = Tinyproxy::start(None) else {
        return;
    };
    let sandbox = Sandbox::builder().spawn().expect("sandbox");
    let server = TlsServer::start(Alpn::H2AndHttp1);
    let dir = tempfile::tempdir().expect("a directory");
    // The server's certificate, trusted through the system store's variable.
    let cert = pem_file(dir.path(), &server.certificate());
    for backend in BACKENDS {
        // https, the usual corporate case: HTTPS_PROXY alone.
        let before = proxy.requests().len();
        let vars = [
            ("HTTPS_PROXY", proxy.url()),
            ("SSL_CERT_FILE", cert.clone()),
        ];
        run_child(
            "quick_start",
            backend,
            &server.endpoint(),
            server.api_key(),
            &vars,
        );
        let tunnels = proxy.requests()[before..]
            .iter()
            .filter(|line| line.starts_with(&format!("CONNECT {} ", server.addr())))
            .count();
        assert!(
            tunnels >= 1,
            "{backend:?}: through a tunnel: {}",
            proxy.log()
        );

        // Plain http: HTTP_PROXY for hyper, http_proxy for curl (see the table).
        let before = proxy.requests().len();
        let name = if backend == Backend::Hyper {
            "HTTP_PROXY"
        } else {
            "http_proxy"
        };
        run_child(
            "quick_start",
            backend,
            &sandbox.endpoint(),
            sandbox.api_key(),
            &[(name, proxy.url())],
        );
        let absolute = format!("http://{}/", sandbox.addr());
        let requests = proxy.requests();
        let methods: Vec<&str> = requests[before..]
            .iter()
            .filter(|line| line.contains(&absolute))
            .filter_map(|line| line.split(' ').next())
            .collect();
        assert_eq!(
            methods,
            ["POST", "GET", "PUT", "DELETE"],
            "{backend:?}: {}",
            proxy.log()
        );
    }
}

/// The child's side: does nothing in a normal run (no `CLEVERTIM_PROXY_ENV_CHILD`); in a
/// child process, sends what [`run_child`] asked, with the transport configured only by
/// the environment.
#[test]
fn child() {
    let Ok(what) = std::env::var(CHILD) else {
        return;
    };
    let backend = match std::env::var(CHILD_BACKEND).as_deref() {
        Ok("Hyper") => Backend::Hyper,
        Ok("Isahc") => Backend::Isahc,
        other => panic!("unknown backend {other:?}"),
    };
    let url = std::env::var(CHILD_URL).expect("a URL");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        match what.as_str() {
            "send" => {
                let option = std::env::var(CHILD_OPTION).ok();
                let transport: Box<dyn Transport> = match backend {
                    Backend::Hyper => {
                        let builder =
                            HyperTransport::builder().request_timeout(Duration::from_secs(10));
                        let builder = match option.as_deref() {
                            None => builder,
                            Some("off") => builder.no_proxy(),
                            Some(url) => builder.proxy(url),
                        };
                        Box::new(builder.build().expect("hyper"))
                    }
                    _ => {
                        let builder =
                            IsahcTransport::builder().request_timeout(Duration::from_secs(10));
                        let builder = match option.as_deref() {
                            None => builder,
                            Some("off") => builder.no_proxy(),
                            Some(url) => builder.proxy(url),
                        };
                        Box::new(builder.build().expect("isahc"))
                    }
                };
                let request = http::Request::get(&url)
                    .body(bytes::Bytes::new())
                    .expect("request");
                let response = transport.send(request).await.expect("an answer");
                // The sandbox's own answer to a request without a key.
                assert_eq!(
                    response.status(),
                    http::StatusCode::UNAUTHORIZED,
                    "{response:?}"
                );
            }
            "quick_start" => {
                let key = std::env::var(CHILD_API_KEY).expect("a key");
                let session = Session::builder(key)
                    .endpoint(url)
                    .backend(backend)
                    .no_cache()
                    .build()
                    .expect("a session");
                quick_start(&session).await.expect("the quick start");
            }
            other => panic!("unknown child task {other}"),
        }
    });
}
