//! What the tests of the `clevertim` binary share: running it as a user runs it, against
//! in-process sandboxes or a small fake API on loopback.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clevertim_sandbox::Sandbox;
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_clevertim");

/// What one run printed, and how it ended.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }
}

pub fn command(endpoint: &str, key: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("RUST_LOG")
        .env_remove("COLUMNS")
        .env("CLEVERTIM_ENDPOINT", endpoint)
        .env("CLEVERTIM_API_KEY", key)
        .env("NO_PROXY", "127.0.0.1,localhost");
    cmd
}

pub fn finish(output: Output) -> Run {
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code(),
    }
}

/// Runs `clevertim ARGS` against `endpoint` with `key`.
pub fn run_at(endpoint: &str, key: &str, args: &[&str]) -> Run {
    finish(
        command(endpoint, key, args)
            .output()
            .expect("run clevertim"),
    )
}

/// Runs `clevertim ARGS` against `sandbox` as its owner.
pub fn run(sandbox: &Sandbox, args: &[&str]) -> Run {
    run_at(&sandbox.endpoint(), sandbox.api_key(), args)
}

pub fn sandbox() -> Sandbox {
    Sandbox::builder().spawn().expect("sandbox")
}

pub fn empty_sandbox() -> Sandbox {
    Sandbox::builder().empty(true).spawn().expect("sandbox")
}

/// A fake API on loopback: answers each request with `answer(method, path)` (None: never
/// answers; a text starting with `HTTP/` is the whole answer), and records every request's method, path and body.
pub struct FakeApi {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<(String, String, String)>>>,
}

pub type Answer = dyn Fn(&str, &str) -> Option<String> + Send + Sync;

impl FakeApi {
    pub fn start(answer: impl Fn(&str, &str) -> Option<String> + Send + Sync + 'static) -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let answer: Arc<Answer> = Arc::new(answer);
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (answer, seen) = (answer.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &*answer, &seen));
            }
        });
        FakeApi { addr, requests }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    pub fn requests(&self) -> Vec<(String, String, String)> {
        self.requests.lock().expect("lock").clone()
    }
}

pub fn serve(stream: TcpStream, answer: &Answer, seen: &Mutex<Vec<(String, String, String)>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    seen.lock().expect("lock").push((
        method.clone(),
        path.clone(),
        String::from_utf8_lossy(&body).into_owned(),
    ));
    match answer(&method, &path) {
        // A whole answer (another status) goes as it is.
        Some(text) if text.starts_with("HTTP/") => {
            let mut stream = stream;
            let _ = stream.write_all(text.as_bytes());
        }
        Some(text) => {
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
        None => std::thread::sleep(Duration::from_secs(60)),
    }
}

/// The key of an object printed as JSON.
pub fn key_of(object: &Value) -> String {
    match &object["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Runs `clevertim ARGS` against `sandbox` as its owner, with these environment variables.
pub fn run_env(sandbox: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(&sandbox.endpoint(), sandbox.api_key(), args);
    cmd.envs(env.iter().copied());
    finish(cmd.output().expect("run clevertim"))
}
