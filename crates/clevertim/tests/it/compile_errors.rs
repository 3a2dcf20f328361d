//! The compiler's messages for the mistakes a newcomer makes with `load` say what to write
//! instead (issue 22, item 4): a missing or wrong model (`Resource`), a key of another
//! resource (`IntoKey`). Each program of `tests/compile_errors/` is checked by cargo in a
//! project of its own (under `target/tmp`, with the workspace's lockfile, offline); the test
//! asserts the lines the SDK writes (`#[diagnostic::on_unimplemented]` on `Resource` and
//! `IntoKey`), not the compiler's own wording, which changes between versions.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The lines every case must show, from `Resource`'s `on_unimplemented`.
const HINTS: [&str; 3] = [
    "is not a Clevertim resource the session can load, list or save",
    "name the model you mean: `let c: Contact = session.load(3).await?;`",
    "load it with `session.customer(key)`, or, knowing which, turn it into a typed key with `key.cast::<Contact>()`",
];

/// Writes the project once: every case as a binary, the facade without transports.
fn project() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-errors");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile_errors");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let mut manifest = format!(
        "[package]\nname = \"compile-errors\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nclevertim = {{ path = {:?}, default-features = false }}\n",
        env!("CARGO_MANIFEST_DIR")
    );
    for entry in std::fs::read_dir(&cases).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        std::fs::copy(&path, dir.join("src").join(format!("{name}.rs"))).unwrap();
        manifest.push_str(&format!(
            "\n[[bin]]\nname = \"{name}\"\npath = \"src/{name}.rs\"\n"
        ));
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
    dir
}

/// What `cargo check` says about `case`, which must fail; stopped after ten minutes.
fn errors_of(dir: &Path, case: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .current_dir(dir)
        .args([
            "check",
            "--offline",
            "--quiet",
            "--color=never",
            "--bin",
            case,
        ])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(600) {
            child.kill().unwrap();
            panic!("cargo check of {case} took more than ten minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        !status.success(),
        "{case} compiled, but must not:\n{stderr}"
    );
    stderr
}

#[test]
fn wrong_types_given_to_load_explain_what_to_write() {
    let dir = project();
    for (case, subject) in [
        ("load_without_a_type", "()"),
        // The compiler may print the path (`clevertim::Customer`).
        ("load_a_customer", "Customer"),
    ] {
        let stderr = errors_of(&dir, case);
        assert!(
            stderr.contains(&format!("{subject}` {}", HINTS[0])),
            "{case}: the message names {subject}:\n{stderr}"
        );
        for hint in &HINTS[1..] {
            assert!(stderr.contains(hint), "{case}: missing {hint:?}:\n{stderr}");
        }
    }
    // A customer key where a contact's is taken: `IntoKey`'s `on_unimplemented` names the
    // two ways out, and the error points at the caller's argument, not into the facade's
    // macro (only the "required by a bound" note shows the method's signature there).
    let case = "load_a_contact_by_customer_key";
    let stderr = errors_of(&dir, case);
    for line in [
        "Customer>` is not a key of a `",
        "expected a `Key<",
        "load it with `session.customer(key)`",
        "turn it into a typed key with `key.cast::<",
    ] {
        assert!(stderr.contains(line), "{case}: missing {line:?}:\n{stderr}");
    }
    assert!(
        stderr.contains("Contact>` or an id (an integer or a string)"),
        "{case}: the message names the resource asked for:\n{stderr}"
    );
    let first_place = stderr
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .unwrap_or_default();
    assert!(
        first_place.starts_with(&format!("src/{case}.rs:5:")),
        "{case}: the error points at {first_place:?}, not at the call:\n{stderr}"
    );
    assert!(
        !stderr.contains("From<Key<"),
        "{case}: the compiler's `From` message instead of ours:\n{stderr}"
    );
}
