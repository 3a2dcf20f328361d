//! The rows of the report, how each is judged, and the two ways to print them: a table for
//! people, a JSON array for CI.

use std::io::Write;

use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::runner::{Measured, Quartiles};

/// How a row is judged.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// `sdk / baseline ≤ n` (times, memory).
    RatioAtMost(f64),
    /// `sdk / baseline ≥ n` (throughput).
    RatioAtLeast(f64),
    /// The SDK's figure itself is at most `n` (counts).
    AtMost(f64),
    /// The SDK's figure equals the baseline's (e.g. the same requests sent).
    Same,
    /// Reported for reading, not judged.
    Info,
}

impl Target {
    fn text(&self) -> String {
        match self {
            Target::RatioAtMost(n) => format!("≤ {n:.2}"),
            Target::RatioAtLeast(n) => format!("≥ {n:.2}"),
            Target::AtMost(n) => format!("sdk ≤ {n}"),
            Target::Same => "= baseline".into(),
            Target::Info => "—".into(),
        }
    }

    fn met(&self, sdk: f64, baseline: f64, ratio: Option<f64>) -> bool {
        match self {
            Target::RatioAtMost(n) => ratio.is_some_and(|r| r <= *n),
            Target::RatioAtLeast(n) => ratio.is_some_and(|r| r >= *n),
            Target::AtMost(n) => sdk <= *n,
            Target::Same => sdk == baseline,
            Target::Info => true,
        }
    }
}

/// One line of the report. The serialized keys are exactly those CI reads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub(crate) scenario: String,
    pub(crate) sdk: f64,
    pub(crate) baseline: f64,
    pub(crate) unit: String,
    /// `sdk / baseline`; `null` when the baseline is 0.
    pub(crate) ratio: Option<f64>,
    pub(crate) target: String,
    pub(crate) met: bool,
    /// The interquartile ranges of a timed row, for the table only.
    #[serde(skip)]
    spread: Option<[(f64, f64); 2]>,
}

impl Row {
    /// A row judged by `target`.
    pub(crate) fn new(scenario: &str, unit: &str, sdk: f64, baseline: f64, target: Target) -> Row {
        let ratio = if baseline != 0.0 {
            Some(sdk / baseline)
        } else if sdk == 0.0 {
            Some(1.0)
        } else {
            None
        };
        Row {
            scenario: scenario.into(),
            sdk,
            baseline,
            unit: unit.into(),
            ratio,
            met: target.met(sdk, baseline, ratio),
            target: target.text(),
            spread: None,
        }
    }

    /// A row with a custom judgement (several conditions in one target text).
    pub(crate) fn judged(mut self, target: &str, met: bool) -> Row {
        self.target = target.into();
        self.met = met;
        self
    }

    fn with_spread(mut self, sdk: (f64, f64), baseline: (f64, f64)) -> Row {
        self.spread = Some([sdk, baseline]);
        self
    }
}

/// How a time per operation is shown.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Speed {
    /// Microseconds per operation; lower is better.
    Micros(&'static str),
    /// Milliseconds per operation; lower is better.
    Millis(&'static str),
    /// Operations per second; higher is better.
    PerSecond(&'static str),
}

/// The usual rows of a comparison: its time (judged by `target`), then requests per round
/// (judged equal when `same_requests`), connections and peak heap (judged by `heap` if any).
pub(crate) fn rows(
    scenario: &str,
    sdk: &Measured,
    baseline: &Measured,
    speed: Speed,
    target: Target,
    same_requests: bool,
    heap: Target,
) -> Vec<Row> {
    let (unit, scale): (&str, fn(f64) -> f64) = match speed {
        Speed::Micros(unit) => (unit, |s| s * 1e6),
        Speed::Millis(unit) => (unit, |s| s * 1e3),
        Speed::PerSecond(unit) => (unit, |s| 1.0 / s),
    };
    let range = |q: &Quartiles| {
        let (a, b) = (scale(q.p25), scale(q.p75));
        (a.min(b), a.max(b))
    };
    let time = Row::new(
        scenario,
        unit,
        scale(sdk.per_op.median),
        scale(baseline.per_op.median),
        target,
    )
    .with_spread(range(&sdk.per_op), range(&baseline.per_op));
    let mut rows = vec![time];
    if sdk.requests_per_round > 0 || baseline.requests_per_round > 0 {
        rows.push(Row::new(
            scenario,
            "requests/round",
            sdk.requests_per_round as f64,
            baseline.requests_per_round as f64,
            if same_requests {
                Target::Same
            } else {
                Target::Info
            },
        ));
        rows.push(Row::new(
            scenario,
            "connections (run)",
            sdk.connections as f64,
            baseline.connections as f64,
            Target::Info,
        ));
    }
    rows.push(Row::new(
        scenario,
        "peak heap KiB",
        sdk.peak_heap as f64 / 1024.0,
        baseline.peak_heap as f64 / 1024.0,
        heap,
    ));
    rows
}

/// Writes the rows as a table.
pub(crate) fn print_table(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "scenario", "SDK", "baseline", "unit", "ratio", "target", "met",
    ]);
    for row in rows {
        let figure = |value: f64, spread: Option<(f64, f64)>| match spread {
            Some((lo, hi)) => format!("{} [{}–{}]", number(value), number(lo), number(hi)),
            None => number(value),
        };
        table.add_row(vec![
            Cell::new(&row.scenario),
            Cell::new(figure(row.sdk, row.spread.map(|s| s[0])))
                .set_alignment(CellAlignment::Right),
            Cell::new(figure(row.baseline, row.spread.map(|s| s[1])))
                .set_alignment(CellAlignment::Right),
            Cell::new(&row.unit),
            Cell::new(row.ratio.map_or("—".into(), |r| format!("{r:.3}")))
                .set_alignment(CellAlignment::Right),
            Cell::new(&row.target),
            Cell::new(if row.met { "yes" } else { "NO" }),
        ]);
    }
    writeln!(out, "{table}")
}

/// Writes the rows as one JSON array.
pub(crate) fn print_json(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows)?;
    writeln!(out)
}

/// A figure with as many decimals as its size deserves.
fn number(value: f64) -> String {
    let magnitude = value.abs();
    if (value.fract() == 0.0 && magnitude < 1e15) || magnitude >= 1000.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_have_exactly_the_keys_ci_reads() {
        let row = Row::new(
            "overhead",
            "µs/request",
            10.0,
            8.0,
            Target::RatioAtMost(1.05),
        );
        let json = serde_json::to_value(&row).unwrap();
        let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "baseline", "met", "ratio", "scenario", "sdk", "target", "unit"
            ]
        );
        assert_eq!(json["met"], false);
        assert_eq!(json["ratio"], 1.25);
    }

    #[test]
    fn throughput_is_judged_upwards_and_counts_exactly() {
        assert!(Row::new("c", "loads/s", 96.0, 100.0, Target::RatioAtLeast(0.95)).met);
        assert!(!Row::new("c", "requests", 6.0, 821.0, Target::AtMost(5.0)).met);
        assert!(Row::new("c", "repeats", 0.0, 0.0, Target::Same).met);
        assert_eq!(Row::new("c", "x", 1.0, 0.0, Target::Info).ratio, None);
    }
}
