//! How the command runs: its traces never show the key, what it says without an account, the
//! `sandbox` subcommand.

use super::*;

#[test]
fn traces_show_requests_and_never_the_key() {
    let sandbox = sandbox();
    let key = sandbox.api_key().to_owned();
    let wrong = "WrongKey0123456789abcdefXYZ";
    let basic = |k: &str| base64::engine::general_purpose::STANDARD.encode(format!("{k}:X"));
    let runs = [
        run(&sandbox, &["-vv", "contact", "list"]).ok(),
        run(
            &sandbox,
            &[
                "-vv",
                "contact",
                "create",
                "--first-name",
                "Vee",
                "--custom-field",
                "Tier=X",
            ],
        )
        .ok(),
        run(
            &sandbox,
            &["-vv", "--format", "json", "contact", "get", "99"],
        ),
        run(
            &sandbox,
            &["-vv", "--transport", "isahc", "contact", "list"],
        )
        .ok(),
        run(&sandbox, &["--help"]).ok(),
        run(&sandbox, &["contact", "create", "--help"]).ok(),
        run_at(&sandbox.endpoint(), wrong, &["-vv", "contact", "list"]),
    ];
    assert!(
        runs[0].stderr.contains("GET /api/contact -> 200 in"),
        "{}",
        runs[0].stderr
    );
    assert!(
        runs[1].stderr.contains("POST /api/contact -> 200 in"),
        "{}",
        runs[1].stderr
    );
    assert_eq!(runs[2].code, Some(3));
    assert_eq!(runs[6].code, Some(4), "a wrong key: {}", runs[6].stderr);
    assert!(runs[6].stderr.contains("401"), "{}", runs[6].stderr);
    for (i, r) in runs.iter().enumerate() {
        for secret in [key.as_str(), &basic(&key), wrong, &basic(wrong)] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "run {i} shows a key"
            );
        }
    }
}

#[test]
fn without_an_account_it_says_how_to_get_one_and_how_to_try_it() {
    let out = finish(
        Command::new(BIN)
            .args(["contact", "list"])
            .env_remove("CLEVERTIM_ENDPOINT")
            .env_remove("CLEVERTIM_API_KEY")
            .output()
            .expect("run"),
    );
    assert_eq!(out.code, Some(2));
    for needed in ["CLEVERTIM_API_KEY", "--sandbox", "clevertim sandbox"] {
        assert!(out.stderr.contains(needed), "{needed}: {}", out.stderr);
    }
    // The advice works: the embedded sandbox answers.
    let tried = finish(
        Command::new(BIN)
            .args(["--sandbox", "--format", "json", "contact", "list"])
            .env_remove("CLEVERTIM_ENDPOINT")
            .env_remove("CLEVERTIM_API_KEY")
            .output()
            .expect("run"),
    )
    .ok()
    .json();
    assert_eq!(tried.as_array().map(Vec::len), Some(3));
}

#[cfg(unix)]
#[test]
fn the_sandbox_subcommand_serves_until_ctrl_c() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--port", "0", "--empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let endpoint = lines.next().expect("a line").expect("utf8");
    let key = lines.next().expect("a line").expect("utf8");
    let endpoint = endpoint
        .strip_prefix("CLEVERTIM_ENDPOINT=")
        .expect("endpoint line")
        .to_owned();
    let key = key
        .strip_prefix("CLEVERTIM_API_KEY=")
        .expect("key line")
        .to_owned();
    let users = run_at(&endpoint, &key, &["--format", "json", "user", "list"])
        .ok()
        .json();
    assert_eq!(users.as_array().map(Vec::len), Some(3));
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(child.wait().expect("wait").success());
}
