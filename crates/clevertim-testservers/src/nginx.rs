//! nginx (Debian's `nginx-light`) on a loopback port, one process (`master_process off`),
//! everything it writes (temp paths, logs, pid) in its private directory.

use std::io;
use std::path::Path;
use std::process::Command;

use crate::{ServerProcess, free_port, require};

/// The access log's format: the connection's serial number and its request count (how many
/// connections the clients opened, and how many requests each carried), the protocol, the
/// method and the status.
pub const NGINX_LOG_FORMAT: &str =
    "$connection $connection_requests $server_protocol $request_method $status";

/// A running nginx; dropped, it is stopped.
///
/// ```no_run
/// use clevertim_testservers::Nginx;
///
/// let Some(nginx) = Nginx::start(|port, _dir| format!(
///     "server {{ listen 127.0.0.1:{port}; location / {{ return 204; }} }}"
/// ))? else { return Ok(()) };
/// assert!(nginx.port() > 0);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Nginx {
    server: ServerProcess,
    port: u16,
}

/// One row of nginx's access log, as [`NGINX_LOG_FORMAT`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxLogRow {
    /// The connection's serial number.
    pub connection: u64,
    /// The number of this request on its connection (1 for the first).
    pub connection_requests: u64,
    /// `HTTP/1.1`, `HTTP/2.0`…
    pub protocol: String,
    /// The request's method.
    pub method: String,
    /// The answer's status.
    pub status: u16,
}

impl Nginx {
    /// Starts nginx on a free loopback port; `http(port, dir)` gives what goes inside its
    /// `http { }` block (the `server` blocks), `dir` being its private directory (for
    /// certificates). The access log of every server uses [`NGINX_LOG_FORMAT`]. `None`
    /// (after saying so) where nginx is not installed, as [`require`].
    ///
    /// # Errors
    ///
    /// nginx could not be started, or did not listen; the error holds its log.
    ///
    /// # Panics
    ///
    /// As [`require`], under `CI=true` when nginx is not installed.
    ///
    /// ```no_run
    /// let nginx = clevertim_testservers::Nginx::start(|port, _| {
    ///     format!("server {{ listen 127.0.0.1:{port}; return 204; }}")
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start(http: impl FnOnce(u16, &Path) -> String) -> io::Result<Option<Nginx>> {
        let Some(binary) = require("nginx", "nginx-light") else {
            return Ok(None);
        };
        let dir = ServerProcess::workdir()?;
        let port = free_port();
        let root = dir.path().display().to_string();
        let servers = http(port, dir.path());
        let config = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {root}/nginx.pid;\n\
             error_log {root}/error.log info;\nevents {{ worker_connections 512; }}\n\
             http {{\n\
             log_format conn '{NGINX_LOG_FORMAT}';\naccess_log {root}/access.log conn;\n\
             client_body_temp_path {root}/client_body;\nproxy_temp_path {root}/proxy;\n\
             fastcgi_temp_path {root}/fastcgi;\nuwsgi_temp_path {root}/uwsgi;\n\
             scgi_temp_path {root}/scgi;\n{servers}\n}}\n"
        );
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config)?;
        let mut command = Command::new(binary);
        command
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .args(["-e", "stderr"]);
        let mut server = ServerProcess::spawn_in("nginx", command, dir)?;
        server.wait_for_port(port)?;
        Ok(Some(Nginx { server, port }))
    }

    /// The port it listens on, on 127.0.0.1.
    ///
    /// ```no_run
    /// # let nginx = clevertim_testservers::Nginx::start(|port, _| String::new())?.unwrap();
    /// let url = format!("http://127.0.0.1:{}/", nginx.port());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The rows of its access log so far.
    ///
    /// ```no_run
    /// # let nginx = clevertim_testservers::Nginx::start(|port, _| String::new())?.unwrap();
    /// let connections: std::collections::BTreeSet<u64> =
    ///     nginx.access_log().iter().map(|row| row.connection).collect();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn access_log(&self) -> Vec<NginxLogRow> {
        let text =
            std::fs::read_to_string(self.server.dir().join("access.log")).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                Some(NginxLogRow {
                    connection: fields.next()?.parse().ok()?,
                    connection_requests: fields.next()?.parse().ok()?,
                    protocol: fields.next()?.to_owned(),
                    method: fields.next()?.to_owned(),
                    status: fields.next()?.parse().ok()?,
                })
            })
            .collect()
    }

    /// Its error log and output so far, for a failing test's message.
    ///
    /// ```no_run
    /// # let nginx = clevertim_testservers::Nginx::start(|port, _| String::new())?.unwrap();
    /// eprintln!("{}", nginx.log());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn log(&self) -> String {
        let errors =
            std::fs::read_to_string(self.server.dir().join("error.log")).unwrap_or_default();
        format!("{}{errors}", self.server.log())
    }
}
