//! Tables that fit: sized by content, cut with "…" rather than broken, the rightmost columns
//! left out when narrow (at `COLUMNS`, and in a real terminal: tmux); names beside keys.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;

use common::*;

/// The lines of a table printed at `width`: none wider, headers whole, one line per row.
fn assert_fits(text: &str, width: usize, rows: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}\n{text}"
        );
    }
    let header = text.lines().nth(1).expect("a header line");
    for name in ["KEY", "NAME", "COMPANY"] {
        assert!(header.contains(name), "{name} whole in {header:?}\n{text}");
    }
    let body = text.lines().filter(|l| l.starts_with('│')).count();
    assert_eq!(body, rows + 1, "one line per row and the header:\n{text}");
}

#[test]
fn a_list_fits_60_and_100_columns_without_breaking_words() {
    let sandbox = sandbox();
    for width in [60, 100] {
        let out = run_env(
            &sandbox,
            &["contact", "list"],
            &[("COLUMNS", &width.to_string())],
        )
        .ok();
        assert_fits(&out.stdout, width, 3);
        assert!(!out.stdout.contains("Pravee\n"), "{}", out.stdout);
        if width == 60 {
            assert!(out.stdout.contains('…'), "cut, not broken:\n{}", out.stdout);
            assert!(
                out.stdout.contains("hidden at this width: TAGS"),
                "{}",
                out.stdout
            );
        } else {
            assert!(out.stdout.contains("Praveen Bellur"), "{}", out.stdout);
        }
    }
    // A pipe without COLUMNS gets whole lines.
    let whole = run(&sandbox, &["contact", "list"]).ok();
    assert!(
        whole.stdout.contains("Business Development"),
        "{}",
        whole.stdout
    );
}

#[test]
fn list_filters_and_columns() {
    let sandbox = sandbox();
    let picked = run(
        &sandbox,
        &[
            "contact",
            "list",
            "--columns",
            "name,email",
            "--tag",
            "Europe",
        ],
    )
    .ok();
    let header = picked.stdout.lines().nth(1).expect("header");
    assert!(
        header.contains("EMAIL") && !header.contains("PHONE"),
        "{header}"
    );
    assert!(
        picked.stdout.contains("Praveen") && !picked.stdout.contains("Jane"),
        "{}",
        picked.stdout
    );
    let search = run(&sandbox, &["contact", "list", "--search", "acme"]).ok();
    assert!(
        search.stdout.contains("Jane") && !search.stdout.contains("Praveen"),
        "{}",
        search.stdout
    );
    let company = run(
        &sandbox,
        &[
            "contact",
            "list",
            "--company",
            "Busy Bee Ltd.",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(company.as_array().map(Vec::len), Some(1), "{company}");
    let unknown = run(&sandbox, &["contact", "list", "--columns", "nmae"]);
    assert_eq!(unknown.code, Some(2), "{}", unknown.stderr);
}

#[test]
fn references_show_names_beside_keys() {
    let sandbox = sandbox();
    // At the cost of one list request per referenced resource: cases, then contacts,
    // companies and users.
    let traced = run(&sandbox, &["-v", "case", "list"]).ok();
    let gets = traced.stderr.lines().filter(|l| l.contains("GET ")).count();
    assert_eq!(gets, 4, "{}", traced.stderr);
    let contacts = run(&sandbox, &["contact", "list"]).ok();
    assert!(
        contacts.stdout.contains("Busy Bee Ltd. (1)"),
        "{}",
        contacts.stdout
    );
    let cases = run(&sandbox, &["case", "list"]).ok();
    assert!(
        cases.stdout.contains("Praveen Bellur (3)"),
        "{}",
        cases.stdout
    );
    let contact = run(&sandbox, &["contact", "get", "3"]).ok();
    assert!(
        contact.stdout.contains("Mobile +44 7700 900123"),
        "{}",
        contact.stdout
    );
    assert!(!contact.stdout.contains(r#"{"26""#), "{}", contact.stdout);
    assert!(
        contact.stdout.contains("Input: met at the fair"),
        "{}",
        contact.stdout
    );
}

#[test]
fn the_pipeline_chart_fits_60_columns() {
    let sandbox = sandbox();
    let out = run_env(&sandbox, &["report", "pipeline"], &[("COLUMNS", "60")]).ok();
    for line in out.stdout.lines().skip(2) {
        assert!(line.chars().count() <= 60, "{line:?}\n{}", out.stdout);
    }
    assert!(out.stdout.contains('█'), "{}", out.stdout);
}

/// What a 60-column tmux terminal shows once it shows `until` (or after 20 s), running
/// `line` in a shell; `None` when tmux is not installed (skipped locally, a failure under CI).
fn in_tmux(line: &str, until: &str) -> Option<String> {
    let tmux = clevertim_testservers::require("tmux", "tmux")?;
    let dir = tempfile::tempdir().expect("tempdir");
    let socket = dir.path().join("tmux.sock");
    let tmux = |args: &[&str]| {
        Command::new(&tmux)
            .arg("-S")
            .arg(&socket)
            .args(args)
            .env_remove("COLUMNS")
            .output()
            .expect("tmux")
    };
    let started = tmux(&["new-session", "-d", "-x", "60", "-y", "30", line]);
    assert!(started.status.success(), "{started:?}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let screen = loop {
        let shown = String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).into_owned();
        if shown.contains(until) || Instant::now() > deadline {
            break shown;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    tmux(&["kill-server"]);
    assert!(screen.contains(until), "{screen}");
    Some(screen)
}

/// A shell line running `clevertim ARGS` against `endpoint`, then waiting.
fn shell_line(endpoint: &str, key: &str, args: &str) -> String {
    format!(
        "env -u COLUMNS NO_PROXY=127.0.0.1 CLEVERTIM_ENDPOINT={endpoint} CLEVERTIM_API_KEY={key} {BIN} {args}; sleep 30"
    )
}

#[test]
fn in_a_real_terminal_of_60_columns_the_table_fits() {
    let sandbox = sandbox();
    let line = shell_line(&sandbox.endpoint(), sandbox.api_key(), "contact list");
    let Some(screen) = in_tmux(&line, "3 contacts") else {
        return;
    };
    let table: String = screen
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take_while(|l| !l.contains("contacts"))
        .filter(|l| !l.starts_with('('))
        .collect::<Vec<_>>()
        .join("\n");
    assert_fits(&table, 60, 3);
}

#[test]
fn progress_counts_objects_on_one_line_of_a_60_column_terminal() {
    // An empty account whose API never answers a create: the import stops on its first object.
    let api = FakeApi::start(|method, _| {
        (method == "GET").then(|| r#"{"status":"OK","content":[]}"#.to_owned())
    });
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("contact.json"),
        r#"[{"id": 1, "fn": "Ann"}, {"id": 2, "fn": "Bo"}, {"id": 3, "fn": "Cy"}]"#,
    )
    .expect("write");
    let args = format!("import {}", dir.path().display());
    let Some(screen) = in_tmux(&shell_line(&api.endpoint(), "K3y", &args), "1/3") else {
        return;
    };
    let progress: Vec<&str> = screen.lines().filter(|l| l.contains("importing")).collect();
    assert_eq!(progress.len(), 1, "one line:\n{screen}");
    assert!(progress[0].contains("1/3"), "counts objects: {screen}");
    assert!(progress[0].chars().count() <= 60, "{screen}");
    // The export counts objects too, on one line.
    let api = FakeApi::start(|_, path| {
        (!path.contains("/note"))
            .then(|| r#"{"status":"OK","content":[{"id":1,"name":"x"}]}"#.to_owned())
    });
    let args = format!("export --out {}", dir.path().join("out").display());
    let Some(screen) = in_tmux(&shell_line(&api.endpoint(), "K3y", &args), "note · ") else {
        return;
    };
    let progress: Vec<&str> = screen.lines().filter(|l| l.contains("exporting")).collect();
    assert_eq!(progress.len(), 1, "one line:\n{screen}");
    assert!(progress[0].contains("note · 5 objects so far"), "{screen}");
    assert!(progress[0].chars().count() <= 60, "{screen}");
}

/// The length of the bar on the chart's line for `status`.
fn bar_of(chart: &str, status: &str) -> usize {
    chart
        .lines()
        .find(|l| l.starts_with(status))
        .unwrap_or_else(|| panic!("no {status} line in\n{chart}"))
        .chars()
        .filter(|c| "█▉▊▋▌▍▎▏".contains(*c))
        .count()
}

#[test]
fn the_pipeline_chart_shows_value_as_well_as_count() {
    let sandbox = empty_sandbox();
    for (name, status, value) in [
        ("a", "Open", "50"),
        ("b", "Open", "50"),
        ("c", "Won", "1000"),
    ] {
        run(
            &sandbox,
            &[
                "opportunity",
                "create",
                "--name",
                name,
                "--status",
                status,
                "--value",
                value,
                "--currency",
                "EUR",
            ],
        )
        .ok();
    }
    let by_count = run(&sandbox, &["report", "pipeline"]).ok().stdout;
    assert!(
        bar_of(&by_count, "Open") > bar_of(&by_count, "Won"),
        "{by_count}"
    );
    let by_value = run(&sandbox, &["report", "pipeline", "--by", "value"])
        .ok()
        .stdout;
    assert!(
        bar_of(&by_value, "Won") > bar_of(&by_value, "Open"),
        "{by_value}"
    );
    let unknown = run(
        &sandbox,
        &["report", "pipeline", "--by", "value", "--currency", "GBP"],
    );
    assert_eq!(unknown.code, Some(2), "{}", unknown.stderr);
}
