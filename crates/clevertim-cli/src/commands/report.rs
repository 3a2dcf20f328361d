//! `clevertim report pipeline`: opportunities by status, counts and totals per currency.

use std::collections::BTreeMap;

use clevertim::Opportunity;
use serde::Serialize;

use crate::cli::{BarsBy, PipelineArgs};
use crate::connect::Context;
use crate::exit::Failure;
use crate::output::{self, Format};

/// The default pipeline states, in pipeline order; the account's own follow by name.
const STATES: &[&str] = &["Open", "Won", "Lost", "Closed"];

/// The widest bar, in characters.
const BAR_WIDTH: usize = 40;

/// The narrowest bar, however narrow the terminal.
const MIN_BAR_WIDTH: usize = 8;

/// An exact decimal amount: `units / 10^scale`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Amount {
    units: i128,
    scale: u32,
}

impl Amount {
    /// Reads `"1000.50"`, `"-3"`, `"12.345"`; `None` for anything else.
    fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
            || fraction.len() > 12
            || whole.len() > 24
        {
            return None;
        }
        let units: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Amount {
            units: if negative { -units } else { units },
            scale: u32::try_from(fraction.len()).ok()?,
        })
    }

    fn rescaled(self, scale: u32) -> i128 {
        self.units * 10i128.pow(scale - self.scale)
    }

    fn add(self, other: Amount) -> Amount {
        let scale = self.scale.max(other.scale);
        Amount {
            units: self.rescaled(scale) + other.rescaled(scale),
            scale,
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let digits = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        if scale == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{fraction}")
        }
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One pipeline state.
#[derive(Debug, Serialize)]
struct Stage {
    status: String,
    count: usize,
    /// Totals per currency code, as exact decimal strings.
    totals: BTreeMap<String, Amount>,
}

/// The whole report.
#[derive(Debug, Serialize)]
struct Pipeline {
    stages: Vec<Stage>,
    count: usize,
    totals: BTreeMap<String, Amount>,
    /// Keys of opportunities whose value is not a decimal number (counted, not summed).
    unreadable_values: Vec<String>,
}

fn build(opportunities: &[Opportunity]) -> Pipeline {
    let mut stages: BTreeMap<String, Stage> = BTreeMap::new();
    let mut totals: BTreeMap<String, Amount> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for o in opportunities {
        let status = o.status().filter(|s| !s.is_empty()).unwrap_or("(none)");
        let stage = stages.entry(status.to_owned()).or_insert_with(|| Stage {
            status: status.to_owned(),
            count: 0,
            totals: BTreeMap::new(),
        });
        stage.count += 1;
        let Some(value) = o.value().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let Some(amount) = Amount::parse(value) else {
            unreadable.push(o.key().map(|k| k.to_string()).unwrap_or_default());
            continue;
        };
        let currency = o.currency().filter(|c| !c.is_empty()).unwrap_or("(none)");
        for sums in [&mut stage.totals, &mut totals] {
            let sum = sums.entry(currency.to_owned()).or_default();
            *sum = sum.add(amount);
        }
    }
    let mut stages: Vec<Stage> = stages.into_values().collect();
    stages.sort_by_key(|s| {
        (
            STATES
                .iter()
                .position(|k| *k == s.status)
                .unwrap_or(STATES.len()),
            s.status.clone(),
        )
    });
    Pipeline {
        count: opportunities.len(),
        stages,
        totals,
        unreadable_values: unreadable,
    }
}

fn money(totals: &BTreeMap<String, Amount>) -> String {
    totals
        .iter()
        .map(|(currency, amount)| format!("{currency} {}", grouped(*amount)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `4500.00` as `4,500.00`.
fn grouped(amount: Amount) -> String {
    let text = amount.to_string();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, format!(".{f}")),
        None => (rest, String::new()),
    };
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{fraction}")
}

/// A horizontal bar of `count / max` of the full width, in eighths of a character.
fn bar(count: u128, max: u128, width: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max == 0 {
        return String::new();
    }
    let eighths = usize::try_from(count.min(max) * (width as u128) * 8 / max).unwrap_or(0);
    let eighths = if count > 0 { eighths.max(1) } else { 0 };
    format!("{}{}", "█".repeat(eighths / 8), PARTS[eighths % 8])
}

/// What each stage's bar measures: its count, or its total in `currency` (as integer units at
/// one scale, so that they compare; a negative total is no bar).
fn magnitudes(report: &Pipeline, args: &PipelineArgs) -> Result<Vec<u128>, Failure> {
    if args.by == BarsBy::Count {
        return Ok(report.stages.iter().map(|s| s.count as u128).collect());
    }
    let currency = match &args.currency {
        Some(code) => code.to_uppercase(),
        None => report
            .totals
            .iter()
            .max_by_key(|(_, a)| a.rescaled(12))
            .map(|(c, _)| c.clone())
            .unwrap_or_default(),
    };
    if !report.totals.contains_key(&currency) {
        let known: Vec<&str> = report.totals.keys().map(String::as_str).collect();
        return Err(Failure::usage(format!(
            "no opportunity has a value in {currency:?} (there are: {})",
            known.join(", ")
        )));
    }
    Ok(report
        .stages
        .iter()
        .map(|s| {
            s.totals
                .get(&currency)
                .map_or(0, |a| u128::try_from(a.rescaled(12)).unwrap_or(0))
        })
        .collect())
}

fn chart(report: &Pipeline, args: &PipelineArgs) -> Result<String, Failure> {
    let sizes = magnitudes(report, args)?;
    let noun = if report.count == 1 {
        "opportunity"
    } else {
        "opportunities"
    };
    let mut text = format!("Pipeline: {} {noun}", report.count);
    if !report.totals.is_empty() {
        text.push_str(&format!(", {}", money(&report.totals)));
    }
    text.push_str("\n\n");
    let label = report
        .stages
        .iter()
        .map(|s| s.status.chars().count())
        .max()
        .unwrap_or(0);
    let max = sizes.iter().copied().max().unwrap_or(0);
    let digits = report
        .stages
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    let money_width = report
        .stages
        .iter()
        .map(|s| money(&s.totals).chars().count())
        .max()
        .unwrap_or(0);
    // The bars take what the terminal leaves beside the labels, counts and amounts.
    let width = output::terminal_width().map_or(BAR_WIDTH, |w| {
        usize::from(w)
            .saturating_sub(label + digits + money_width + 6)
            .clamp(MIN_BAR_WIDTH, BAR_WIDTH)
    });
    for (stage, size) in report.stages.iter().zip(sizes) {
        text.push_str(
            format!(
                "{:<label$}  {:<width$}  {:>digits$}  {}",
                stage.status,
                bar(size, max, width),
                stage.count,
                money(&stage.totals),
            )
            .trim_end(),
        );
        text.push('\n');
    }
    if !report.unreadable_values.is_empty() {
        text.push_str(&format!(
            "\nnot summed (value is not a decimal number): opportunity {}\n",
            report.unreadable_values.join(", ")
        ));
    }
    Ok(text)
}

/// The pipeline report.
pub(crate) async fn pipeline(ctx: &Context, args: &PipelineArgs) -> Result<(), Failure> {
    let opportunities = ctx.session.all::<Opportunity>().await?;
    let report = build(&opportunities);
    match ctx.format {
        Format::Json => output::print(&output::json_text(&report)?),
        Format::Table => output::print(&chart(&report, args)?),
        Format::Csv => {
            let mut text = String::from("status,count,currency,total\n");
            for stage in &report.stages {
                if stage.totals.is_empty() {
                    text.push_str(&format!("{},{},,\n", csv_text(&stage.status), stage.count));
                }
                for (currency, amount) in &stage.totals {
                    text.push_str(&format!(
                        "{},{},{},{amount}\n",
                        csv_text(&stage.status),
                        stage.count,
                        csv_text(currency)
                    ));
                }
            }
            output::print(&text)
        }
    }
}

fn csv_text(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_exactly() {
        let a = Amount::parse("1000.50").expect("a");
        let b = Amount::parse("0.125").expect("b");
        assert_eq!(a.add(b).to_string(), "1000.625");
        assert_eq!(Amount::parse("-3").expect("c").add(a).to_string(), "997.50");
        assert_eq!(Amount::parse("0.05").expect("d").to_string(), "0.05");
        assert_eq!(
            grouped(Amount::parse("1234567.5").expect("e")),
            "1,234,567.5"
        );
        for bad in ["", "1.2.3", "abc", "1e5", "."] {
            assert_eq!(Amount::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar(2, 2, BAR_WIDTH).chars().count(), BAR_WIDTH);
        assert_eq!(bar(1, 2, BAR_WIDTH).chars().count(), BAR_WIDTH / 2);
        assert_eq!(bar(2, 2, 10).chars().count(), 10);
        assert_eq!(bar(0, 2, BAR_WIDTH), "");
        assert_eq!(bar(1, 1000, BAR_WIDTH), "▏");
    }
}
