//! No cassette in the repository's `fixtures/` holds a credential: neither an HTTP Basic
//! credential nor one of the keys the tests use.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use clevertim_fixtures::scan_for_secrets;

/// Keys used by the tests and the docs; none may ever be recorded.
const KNOWN_TEST_KEYS: &[&str] = &[
    "ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343",
    // Its Basic credential, base64("KEY:X") without padding.
    "SVRIa0NQYlhkT1dmR05UajVxT3pOSmtjZWZ0ZlJXd0dYdHJVMzlleG1XMFV6VndLVWlaMTM0Mzp",
];

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every finding in the `*.json` files under `dir`, as `file: what`.
fn scan_dir(dir: &Path) -> (usize, Vec<String>) {
    let mut files = Vec::new();
    json_files(dir, &mut files);
    let mut findings = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for finding in scan_for_secrets(&text, KNOWN_TEST_KEYS) {
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
fn the_known_basic_credential_is_the_real_one() {
    use base64::Engine as _;
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
    assert!(findings
        .iter()
        .any(|f| f.contains("basic.json") && f.contains("Basic credential")));
    assert!(findings
        .iter()
        .any(|f| f.contains("key.json") && f.contains("configured secret #1")));
    assert!(findings.iter().all(|f| !f.contains(KNOWN_TEST_KEYS[0])));
}
