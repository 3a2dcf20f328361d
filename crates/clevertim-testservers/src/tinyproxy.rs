//! tinyproxy, a forward proxy (Debian package `tinyproxy`), on a free loopback port.

use std::path::Path;
use std::process::Command;

use crate::{ServerProcess, free_port, require};

/// A running tinyproxy (`-d -c CONF`), listening on `127.0.0.1` only, that logs each request
/// it takes; stopped when dropped.
///
/// ```no_run
/// use clevertim_testservers::Tinyproxy;
///
/// let Some(proxy) = Tinyproxy::start(Some(("alice", "s3cret"))) else { return };
/// let url = proxy.url_with("alice", "s3cret"); // http://alice:s3cret@127.0.0.1:PORT
/// // … requests through `url` …
/// assert!(proxy.requests().iter().all(|line| !line.is_empty()));
/// ```
#[derive(Debug)]
pub struct Tinyproxy {
    server: ServerProcess,
    port: u16,
}

impl Tinyproxy {
    /// Starts tinyproxy, asking for Basic credentials `auth` if given; `None` (after saying
    /// so) where tinyproxy is not installed, outside CI.
    ///
    /// Every port may be tunnelled to (no `ConnectPort` line), so that a test's TLS server on
    /// a free port can be reached by `CONNECT`.
    ///
    /// # Panics
    ///
    /// tinyproxy could not be started or did not listen (its log is in the message); under
    /// `CI=true`, tinyproxy is missing.
    ///
    /// ```no_run
    /// let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// assert!(proxy.url().starts_with("http://127.0.0.1:"));
    /// ```
    pub fn start(auth: Option<(&str, &str)>) -> Option<Tinyproxy> {
        let binary = require("tinyproxy", "tinyproxy")?;
        let port = free_port();
        let dir = ServerProcess::workdir().expect("a directory for tinyproxy");
        let conf = dir.path().join("tinyproxy.conf");
        std::fs::write(&conf, config(port, auth)).expect("tinyproxy's configuration");
        let mut command = Command::new(binary);
        command.arg("-d").arg("-c").arg(Path::new(&conf));
        let mut server =
            ServerProcess::spawn_in("tinyproxy", command, dir).expect("tinyproxy starts");
        server.wait_for_port(port).expect("tinyproxy listens");
        Some(Tinyproxy { server, port })
    }

    /// The proxy's URL, `http://127.0.0.1:PORT`.
    ///
    /// ```no_run
    /// # let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// let url = proxy.url();
    /// ```
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The proxy's URL with credentials, `http://USER:PASSWORD@127.0.0.1:PORT`.
    ///
    /// ```no_run
    /// # let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// assert!(proxy.url_with("a", "b").contains("a:b@"));
    /// ```
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    ///
    /// ```no_run
    /// # let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// assert!(proxy.port() > 0);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The request lines it received so far, in order, as it logs them: `GET http://host/path
    /// HTTP/1.1` for plain http, `CONNECT host:port HTTP/1.1` for a tunnel.
    ///
    /// ```no_run
    /// # let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// assert!(proxy.requests().is_empty());
    /// ```
    pub fn requests(&self) -> Vec<String> {
        self.server
            .log()
            .lines()
            .filter_map(|line| {
                line.split_once("): ")
                    .filter(|_| line.contains("Request (file descriptor"))
            })
            .map(|(_, request)| request.trim().to_owned())
            .collect()
    }

    /// Everything it logged so far (for a failing test's message).
    ///
    /// ```no_run
    /// # let Some(proxy) = clevertim_testservers::Tinyproxy::start(None) else { return };
    /// assert!(proxy.log().contains("tinyproxy"));
    /// ```
    pub fn log(&self) -> String {
        self.server.log()
    }
}

/// tinyproxy's configuration: loopback only, logs at the level that shows each request.
fn config(port: u16, auth: Option<(&str, &str)>) -> String {
    let mut conf = format!(
        "Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 100\n\
         LogLevel Connect\nDisableViaHeader Yes\n"
    );
    if let Some((user, password)) = auth {
        conf.push_str(&format!("BasicAuth {user} {password}\n"));
    }
    conf
}
