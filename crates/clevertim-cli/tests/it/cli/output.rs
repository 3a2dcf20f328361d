//! What the command prints: tables, CSV and JSON (snapshots), the pipeline report.

use super::*;

/// Timestamps vary from run to run; snapshots see a placeholder.
fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let fits = bytes.len() - i >= shape.len()
            && shape.iter().zip(&bytes[i..]).all(|(s, b)| match s {
                b'd' => b.is_ascii_digit(),
                other => other == b,
            });
        if fits {
            out.push_str("<time>");
            i += shape.len();
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[test]
fn formats_table_csv_and_json() {
    let sandbox = sandbox();
    let table = run(&sandbox, &["contact", "list"]).ok().stdout;
    insta::assert_snapshot!("contact_list_table", table);
    let csv = run(&sandbox, &["--format", "csv", "contact", "list"])
        .ok()
        .stdout;
    insta::assert_snapshot!("contact_list_csv", mask_times(&csv));
    let detail = run(&sandbox, &["company", "get", "1"]).ok().stdout;
    insta::assert_snapshot!("company_get_table", mask_times(&detail));
    let chart = run(&sandbox, &["report", "pipeline"]).ok().stdout;
    insta::assert_snapshot!("report_pipeline_chart", chart);

    // What `get --format json` prints, `create --json -` takes.
    let json = run(&sandbox, &["contact", "get", "3", "--format", "json"])
        .ok()
        .stdout;
    let mut cmd = command(
        &sandbox.endpoint(),
        sandbox.api_key(),
        &[
            "contact",
            "create",
            "--json",
            "-",
            "--format",
            "json",
            "--first-name",
            "Copy",
        ],
    );
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json.as_bytes())
        .expect("write");
    let copy = finish(child.wait_with_output().expect("wait")).ok().json();
    assert_ne!(key_of(&copy), "3");
    assert_eq!(copy["fn"], "Copy");
    assert_eq!(copy["ln"], "Bellur");
    assert_eq!(
        copy["cf"],
        json!({"1": "met at the fair", "3": "2026-01-15"})
    );
}

#[test]
fn report_pipeline_json_numbers() {
    let sandbox = sandbox();
    for (status, value, currency) in [
        ("Won", "100.25", "EUR"),
        ("Open", "0.75", "EUR"),
        ("Open", "10", "USD"),
    ] {
        run(
            &sandbox,
            &[
                "opportunity",
                "create",
                "--name",
                "Deal",
                "--status",
                status,
                "--value",
                value,
                "--currency",
                currency,
            ],
        )
        .ok();
    }
    let report = run(&sandbox, &["report", "pipeline", "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        report,
        json!({
            "stages": [
                {"status": "Open", "count": 3, "totals": {"EUR": "4500.75", "USD": "10"}},
                {"status": "Won", "count": 1, "totals": {"EUR": "100.25"}},
            ],
            "count": 4,
            "totals": {"EUR": "4601.00", "USD": "10"},
            "unreadable_values": [],
        })
    );
}
