//! No cassette in the repository's `fixtures/` (nor a snapshot of the fixture library) holds a
//! credential: neither an HTTP Basic credential nor one of the keys the tests and the sandbox
//! use.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use base64::Engine as _;
use clevertim_fixtures::scan_for_secrets;
use clevertim_sandbox::{DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY};

/// Keys used by the tests and the docs; none may ever be recorded.
const KNOWN_TEST_KEYS: &[&str] = &[
    "ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343",
    // Its Basic credential, base64("KEY:X") without padding.
    "SVRIa0NQYlhkT1dmR05UajVxT3pOSmtjZWZ0ZlJXd0dYdHJVMzlleG1XMFV6VndLVWlaMTM0Mzp",
];

/// The sandbox's built-in keys: the fixture library is recorded with them.
const SANDBOX_KEYS: &[&str] = &[
    DEFAULT_API_KEY,
    DEFAULT_ADMIN_API_KEY,
    DEFAULT_READONLY_API_KEY,
];

/// Every secret to look for: the known test keys, the sandbox's keys, and the sandbox keys'
/// Basic credentials (`base64("KEY:X")`, with and without padding).
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = KNOWN_TEST_KEYS.iter().map(|k| (*k).to_owned()).collect();
    for key in SANDBOX_KEYS {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"));
        all.push((*key).to_owned());
        all.push(basic.trim_end_matches('=').to_owned());
    }
    all
}

/// The files to scan: cassettes (`*.json`) and insta snapshots (`*.snap`).
fn scanned(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json" || e == "snap")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if scanned(&path) {
            out.push(path);
        }
    }
}

/// Every finding in the `*.json` and `*.snap` files under `dir`, as `file: what`.
fn scan_dir(dir: &Path) -> (usize, Vec<String>) {
    let mut files = Vec::new();
    json_files(dir, &mut files);
    let owned = secrets();
    let secrets: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut findings = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for finding in scan_for_secrets(&text, &secrets) {
            findings.push(format!("{}: {finding}", file.display()));
        }
    }
    (files.len(), findings)
}

#[test]
fn the_repository_fixtures_hold_no_credentials() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (files, findings) = scan_dir(&fixtures);
    assert!(
        findings.is_empty(),
        "credentials found in {} cassette(s) under {}:\n{}",
        files,
        fixtures.display(),
        findings.join("\n")
    );
}

#[test]
fn the_fixture_library_exists_and_its_snapshots_hold_no_credentials() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let (cassettes, _) = scan_dir(&fixtures);
    assert!(
        cassettes >= 60,
        "only {cassettes} cassettes under {}",
        fixtures.display()
    );
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/library/snapshots");
    let (files, findings) = scan_dir(&snapshots);
    assert!(files >= cassettes, "only {files} snapshots");
    assert!(
        findings.is_empty(),
        "credentials in snapshots:\n{}",
        findings.join("\n")
    );
}

#[test]
fn the_scanner_finds_the_sandbox_keys_and_their_basic_credentials() {
    let dir = tempfile::tempdir().unwrap();
    for (i, key) in SANDBOX_KEYS.iter().enumerate() {
        std::fs::write(
            dir.path().join(format!("key{i}.json")),
            format!(r#"{{"body": {{"json": {{"key": "{key}"}}}}}}"#),
        )
        .unwrap();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"));
        std::fs::write(
            dir.path().join(format!("basic{i}.snap")),
            format!("x-forwarded-auth: {basic}\n"),
        )
        .unwrap();
    }
    let (files, findings) = scan_dir(dir.path());
    assert_eq!(files, 6);
    for i in 0..SANDBOX_KEYS.len() {
        for name in [format!("key{i}.json"), format!("basic{i}.snap")] {
            assert!(
                findings.iter().any(|f| f.contains(&name)),
                "{name} not flagged: {findings:#?}"
            );
        }
    }
    assert!(
        findings
            .iter()
            .all(|f| SANDBOX_KEYS.iter().all(|k| !f.contains(k)))
    );
}

#[test]
fn the_known_basic_credential_is_the_real_one() {
    let full =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:X", KNOWN_TEST_KEYS[0]));
    assert!(full.starts_with(KNOWN_TEST_KEYS[1]));
}

#[test]
fn the_scanner_finds_planted_secrets_in_nested_cassettes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(
        dir.path().join("clean.json"),
        r#"{"headers": {"authorization": "[REDACTED]"}, "plan": "Basic plan", "key": "[SECRET]"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a/b/basic.json"),
        r#"{"headers": {"x-auth": "Basic dXNlcjpwYXNzd29yZA=="}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a/key.json"),
        format!(r#"{{"query": [["key", "{}"]]}}"#, KNOWN_TEST_KEYS[0]),
    )
    .unwrap();
    std::fs::write(dir.path().join("a/ignored.txt"), KNOWN_TEST_KEYS[0]).unwrap();

    let (files, findings) = scan_dir(dir.path());
    assert_eq!(files, 3);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(
        findings
            .iter()
            .any(|f| f.contains("basic.json") && f.contains("Basic credential"))
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains("key.json") && f.contains("configured secret #1"))
    );
    assert!(findings.iter().all(|f| !f.contains(KNOWN_TEST_KEYS[0])));
}
