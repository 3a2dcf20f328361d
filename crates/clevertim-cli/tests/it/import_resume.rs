//! `clevertim import` run again after it was stopped (killed, Ctrl-C, a lost answer) ends
//! with each object of the export exactly once in the account.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use clevertim_sandbox::Sandbox;

use crate::common;

use common::*;

/// The resources an import creates (an empty sandbox has none of them).
const CREATED: &[&str] = &[
    "folder",
    "file",
    "linkedfile",
    "company",
    "contact",
    "case",
    "opportunity",
    "task",
    "note",
    "comment",
];

/// How many objects of each created resource `sandbox` has.
fn counts(sandbox: &Sandbox) -> Vec<(&'static str, usize)> {
    CREATED
        .iter()
        .map(|name| {
            let list = run(sandbox, &[name, "list", "--format", "json"])
                .ok()
                .json();
            (*name, list.as_array().expect("a list").len())
        })
        .collect()
}

/// An export of the demo sandbox in `dir`, and its counts.
fn exported(dir: &Path) -> Vec<(&'static str, usize)> {
    let source = sandbox();
    run(&source, &["export", "--out", dir.to_str().expect("utf8")]).ok();
    counts(&source)
}

/// Starts `clevertim -v import DIR` (traced: one stderr line per request); the receiver gets
/// each stderr line.
fn start_import(target: &Sandbox, dir: &Path) -> (Child, mpsc::Receiver<String>) {
    let mut child = command(
        &target.endpoint(),
        target.api_key(),
        &["-v", "import", dir.to_str().expect("utf8")],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits until the import has sent `posts` creates; false when it ended first.
fn wait_for_posts(rx: &mpsc::Receiver<String>, posts: usize) -> bool {
    let mut seen = 0;
    while seen < posts {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.contains("POST ") => seen += 1,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    true
}

#[test]
fn an_import_killed_at_several_points_then_rerun_has_each_object_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = exported(dir.path());
    let target = empty_sandbox();
    // Killed (SIGKILL: no chance to clean up) after the 1st, 3rd, 5th and 2nd create of
    // successive runs, each run going on where the last one stopped.
    for posts in [1, 3, 5, 2] {
        let (mut child, rx) = start_import(&target, dir.path());
        let reached = wait_for_posts(&rx, posts);
        child.kill().expect("kill");
        let _ = child.wait();
        assert!(reached, "the import ended before {posts} creates");
    }
    let last = run(&target, &["import", dir.path().to_str().expect("utf8")]);
    assert_eq!(last.code, Some(0), "{}\n{}", last.stdout, last.stderr);
    assert!(last.stdout.contains("EARLIER"), "{}", last.stdout);
    assert_eq!(counts(&target), expected);
    // Once done, running it again creates nothing.
    let again = run(
        &target,
        &[
            "import",
            dir.path().to_str().expect("utf8"),
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let created: u64 = again["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["created"].as_u64().expect("created"))
        .sum();
    assert_eq!(created, 0, "{again}");
    assert_eq!(counts(&target), expected);
}

#[test]
fn an_object_created_but_not_recorded_is_found_not_created_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = exported(dir.path());
    let target = empty_sandbox();
    run(&target, &["import", dir.path().to_str().expect("utf8")]).ok();
    // As if the process had been stopped between the API's answer and the key map's line:
    // the last object's `created` line is gone.
    let journal = dir.path().join("import-keys.jsonl");
    let text = std::fs::read_to_string(&journal).expect("journal");
    let mut lines: Vec<&str> = text.lines().collect();
    let last_created = lines
        .iter()
        .rposition(|l| l.contains(r#""event":"created""#) && l.contains(r#""resource":"comment""#))
        .expect("a created comment");
    lines.truncate(last_created);
    std::fs::write(&journal, lines.join("\n") + "\n").expect("write");
    let rerun = run(&target, &["import", dir.path().to_str().expect("utf8")]);
    assert_eq!(rerun.code, Some(0), "{}\n{}", rerun.stdout, rerun.stderr);
    assert_eq!(counts(&target), expected);
}

#[test]
fn ctrl_c_stops_the_import_with_its_report_and_a_rerun_finishes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = exported(dir.path());
    let target = empty_sandbox();
    let (child, rx) = start_import(&target, dir.path());
    assert!(wait_for_posts(&rx, 4), "the import ended before 4 creates");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let rest: Vec<String> = rx.iter().collect();
    let ended = child.wait_with_output().expect("wait");
    let (stdout, stderr) = (String::from_utf8_lossy(&ended.stdout), rest.join("\n"));
    assert_eq!(ended.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("import interrupted"), "{stderr}");
    assert!(
        !stderr.contains("export"),
        "not the export's message: {stderr}"
    );
    assert!(stderr.contains("run the same command again"), "{stderr}");
    assert!(
        stdout.contains("CREATED") && stdout.contains("import-keys.jsonl"),
        "{stdout}"
    );
    run(&target, &["import", dir.path().to_str().expect("utf8")]).ok();
    assert_eq!(counts(&target), expected);
}

#[test]
fn a_non_empty_account_is_refused_unless_allowed_and_dry_run_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = exported(dir.path());
    let target = sandbox();
    let before = counts(&target);
    let path = dir.path().to_str().expect("utf8");
    let refused = run(&target, &["import", path]);
    assert_eq!(refused.code, Some(5), "{}", refused.stderr);
    assert!(refused.stderr.contains("not empty"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("--allow-non-empty"),
        "{}",
        refused.stderr
    );
    let dry = run(&target, &["import", path, "--dry-run", "--format", "json"])
        .ok()
        .json();
    assert_eq!(dry["dry_run"], true);
    let would: u64 = dry["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["created"].as_u64().expect("created"))
        .sum();
    let total: usize = expected.iter().map(|(_, n)| n).sum();
    assert_eq!(would, total as u64, "{dry}");
    assert_eq!(counts(&target), before, "a dry run creates nothing");
    assert!(!dir.path().join("import-keys.jsonl").exists());
    run(&target, &["import", path, "--allow-non-empty"]).ok();
    let after: Vec<_> = counts(&target);
    for ((name, b), ((_, e), (_, a))) in before.iter().zip(expected.iter().zip(after.iter())) {
        assert_eq!(*a, b + e, "{name}");
    }
}

#[test]
fn a_key_map_of_another_account_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    exported(dir.path());
    let (first, second) = (empty_sandbox(), empty_sandbox());
    let path = dir.path().to_str().expect("utf8");
    run(&first, &["import", path]).ok();
    let refused = run(&second, &["import", path]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(refused.stderr.contains("--keys"), "{}", refused.stderr);
    let keys = dir.path().join("second-keys.jsonl");
    run(
        &second,
        &["import", path, "--keys", keys.to_str().expect("utf8")],
    )
    .ok();
    assert_eq!(counts(&first), counts(&second));
}
