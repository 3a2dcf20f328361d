//! The `clevertim-sandbox` binary: flags, the three stdout lines, logs on stderr only.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};

use common::*;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn launch(args: &[&str]) -> (Running, Vec<String>, std::thread::JoinHandle<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clevertim-sandbox"))
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    let rest = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
        rest
    });
    (Running(child), lines, rest)
}

fn value<'a>(lines: &'a [String], name: &str) -> &'a str {
    lines
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} missing in {lines:?}"))
}

#[tokio::test]
async fn prints_three_lines_and_serves() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(
        &seed,
        br#"{"contact": [{"id": 77, "fn": "From", "ln": "Seed"}]}"#,
    )
    .unwrap();
    let data = dir.path().join("data");
    let (mut child, lines, rest) = launch(&[
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--empty",
        "--seed",
        seed.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--api-key",
        "CliKey1234567890abcdef",
    ]);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("CLEVERTIM_ENDPOINT=http://127.0.0.1:"),
        "{lines:?}"
    );
    assert!(lines[0].ends_with("/api"));
    assert_eq!(lines[1], "CLEVERTIM_API_KEY=CliKey1234567890abcdef");
    assert_eq!(
        lines[2],
        format!("CLEVERTIM_READONLY_API_KEY={DEFAULT_READONLY_API_KEY}")
    );
    let api = Api::new(value(&lines, "CLEVERTIM_ENDPOINT"));
    let key = value(&lines, "CLEVERTIM_API_KEY");
    assert_eq!(api.one("/contact/77", key).await["ln"], "Seed");
    assert_eq!(
        content(&api.get("/contact", key).await.1).len(),
        1,
        "--empty: no demo contacts"
    );
    assert_eq!(
        api.get("/contact", value(&lines, "CLEVERTIM_READONLY_API_KEY"))
            .await
            .0,
        200
    );
    assert!(
        data.join("clevertim-sandbox.redb").is_file(),
        "--data writes the database"
    );
    child.0.kill().unwrap();
    let rest = rest.join().unwrap();
    assert!(rest.is_empty(), "nothing else on stdout: {rest}");
    let mut stderr = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("status=200"),
        "request logs on stderr: {stderr}"
    );
    assert!(stderr.contains("Olivia Owner"), "logs name the user");
    assert!(
        !stderr.contains("CliKey1234567890abcdef"),
        "logs never print the key"
    );
}

#[test]
fn bad_flags_fail_cleanly() {
    let out = Command::new(env!("CARGO_BIN_EXE_clevertim-sandbox"))
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no endpoint line on failure");
    assert!(String::from_utf8_lossy(&out.stderr).contains("seed file"));
    let out = Command::new(env!("CARGO_BIN_EXE_clevertim-sandbox"))
        .arg("--port=notaport")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_gracefully() {
    let (mut child, lines, rest) = launch(&["--empty"]);
    let api = Api::new(value(&lines, "CLEVERTIM_ENDPOINT"));
    assert_eq!(
        api.get("/user", value(&lines, "CLEVERTIM_API_KEY")).await.0,
        200
    );
    let pid = child.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "still running after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "clean exit: {status:?}");
    assert!(rest.join().unwrap().is_empty());
    let mut stderr = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("shutting down"), "{stderr}");
}

#[tokio::test]
async fn env_file_holds_export_lines_and_stdout_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("sandbox.env");
    let (mut child, lines, _rest) = launch(&["--env-file", env.to_str().unwrap()]);
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("CLEVERTIM_ENDPOINT=http://127.0.0.1:"),
        "{lines:?}"
    );
    // The file is written before the stdout lines: it is there, whole.
    let text = std::fs::read_to_string(&env).unwrap();
    let expected: String = lines
        .iter()
        .map(|l| {
            let (name, value) = l.split_once('=').unwrap();
            format!("export {name}='{value}'\n")
        })
        .collect();
    assert_eq!(text, expected);
    assert!(!dir.path().join("sandbox.env.partial").exists());
    let _ = child.0.kill();
}

/// Creates contacts from 8 clients until `acknowledged` holds at least `at_least` ids, then
/// returns (the clients keep writing until the process dies).
async fn write_until(
    api: &Api,
    key: &str,
    acknowledged: &std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
    at_least: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    let clients: Vec<_> = (0..8)
        .map(|client| {
            let (api, key, acknowledged) = (api.clone(), key.to_owned(), acknowledged.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let body = serde_json::json!({"fn": format!("c{client}-{i}")});
                    let request = api.send("POST", "/contact", Some(&key), Some(body));
                    // A request the kill cuts off is not acknowledged: the client's panic
                    // ends this task only.
                    let (status, reply) = request.await;
                    if status != 200 {
                        return;
                    }
                    let id = reply["content"][0]["id"].as_u64().unwrap();
                    acknowledged.lock().unwrap().push(id);
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < at_least {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    clients
}

/// Acknowledged writes survive `kill -9` in the middle of concurrent writes, three times.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    for round in 1..=3 {
        let (mut child, lines, _rest) = launch(&["--empty", "--data", &data]);
        let api = Api::new(value(&lines, "CLEVERTIM_ENDPOINT"));
        let key = value(&lines, "CLEVERTIM_API_KEY").to_owned();
        let clients = write_until(&api, &key, &acknowledged, round * 150).await;
        child.0.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.0.wait().unwrap();
        for client in clients {
            let _ = client.await;
        }
    }
    let (_child, lines, _rest) = launch(&["--empty", "--data", &data]);
    let api = Api::new(value(&lines, "CLEVERTIM_ENDPOINT"));
    let stored: std::collections::BTreeSet<u64> = content(
        &api.get("/contact", value(&lines, "CLEVERTIM_API_KEY"))
            .await
            .1,
    )
    .iter()
    .map(|c| c["id"].as_u64().unwrap())
    .collect();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 450);
    let lost: Vec<&u64> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged creates lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
}
