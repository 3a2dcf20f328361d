//! The smoke test CI runs: the binary with `--quick --json`. Every scenario must be there,
//! with exactly the keys CI reads and finite figures, and the counts that do not depend on
//! the machine must hold. Timings are not judged: a debug build on a shared machine says
//! nothing about speed.

use std::process::Command;

use serde_json::Value;

const SCENARIOS: &[&str] = &[
    "decode",
    "encode",
    "overhead",
    "concurrency",
    "isahc",
    "blocking-hyper",
    "blocking-isahc",
    "plain-main",
    "relations",
];
const KEYS: &[&str] = &[
    "baseline", "met", "ratio", "scenario", "sdk", "target", "unit",
];

fn run_quick() -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_clevertim-bench"))
        .args(["--quick", "--json"])
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "clevertim-bench failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    rows.as_array().expect("a JSON array").clone()
}

/// The row of `scenario` in `unit`.
fn row<'a>(rows: &'a [Value], scenario: &str, unit: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["scenario"] == scenario && r["unit"] == unit)
        .unwrap_or_else(|| panic!("no row {scenario} / {unit}"))
}

fn figures(row: &Value) -> (f64, f64) {
    (
        row["sdk"].as_f64().expect("sdk is a number"),
        row["baseline"].as_f64().expect("baseline is a number"),
    )
}

#[test]
fn quick_run_reports_every_scenario_and_its_counts() {
    let rows = run_quick();
    for row in &rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, KEYS, "{row}");
        let (sdk, baseline) = figures(row);
        assert!(sdk.is_finite() && sdk >= 0.0, "{row}");
        assert!(baseline.is_finite() && baseline >= 0.0, "{row}");
        assert!(
            row["met"].is_boolean() && row["target"].is_string(),
            "{row}"
        );
        assert!(row["ratio"].is_null() || row["ratio"].as_f64().unwrap().is_finite());
    }
    for scenario in SCENARIOS {
        // Each scenario's first row is its headline figure: a time, a rate or a count.
        let first = rows
            .iter()
            .find(|r| r["scenario"] == *scenario)
            .unwrap_or_else(|| panic!("scenario {scenario} is missing"));
        let (sdk, baseline) = figures(first);
        assert!(sdk > 0.0 && baseline > 0.0, "{first}");
    }
    // Both sides of every networked comparison send the same requests.
    for scenario in &SCENARIOS[2..8] {
        let requests = row(&rows, scenario, "requests/round");
        let (sdk, baseline) = figures(requests);
        assert!(sdk > 0.0 && sdk == baseline, "{requests}");
    }
    // Relations: at most 5 requests, none of them a repeated GET; the baseline's count is
    // the object-by-object one (contacts, then each company once, each task and note).
    let relations = row(&rows, "relations", "requests/pass");
    assert!(relations["met"].as_bool().unwrap(), "{relations}");
    let (sdk, baseline) = figures(relations);
    assert!(sdk <= 5.0 && baseline == 83.0, "{relations}");
    let lists_first = row(&rows, "relations", "requests/pass, lists first");
    assert_eq!(figures(lists_first).0, 4.0, "{lists_first}");
    assert_eq!(figures(row(&rows, "relations", "repeated GETs")).0, 0.0);
    // The shared cache: a cached load is timed, and (where `redis-server` is installed, as in
    // CI) 4 replicas sharing the store send no more requests than one.
    let (memory, _) = figures(row(&rows, "cache-memory", "µs/cached load"));
    assert!(memory > 0.0);
    if let Some(replicas) = rows.iter().find(|r| r["scenario"] == "cache-replicas") {
        assert!(replicas["met"].as_bool().unwrap(), "{replicas}");
    }
    // Decoding into models takes less memory than into `Value`s (deterministic: one thread).
    let heap = row(&rows, "decode", "peak heap KiB");
    assert!(heap["met"].as_bool().unwrap(), "{heap}");
}
