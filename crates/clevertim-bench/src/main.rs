//! `clevertim-bench`: every scenario of the Clevertim SDK beside its ceiling, in one run.
//!
//! ```text
//! cargo run --release -p clevertim-bench -- [SCENARIO…] [--quick] [--json]
//! ```
//!
//! Each scenario runs its SDK side and its baseline alternately, in rotated rounds, against
//! servers this process starts on loopback, and reports time, requests, connections and
//! peak heap side by side. See `docs/PERFORMANCE.md`.

mod clients;
mod data;
mod heap;
mod report;
mod runner;
mod scenarios;
mod servers;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Every error of the binary: it only reports them.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

/// Benchmarks the Clevertim SDK against its ceilings, side by side.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Scenarios to run (all when none); `blocking` selects `blocking-hyper` and `blocking-isahc`.
    scenarios: Vec<String>,
    /// Tiny sizes and 2 rounds: checks every path and every count, judges no timing.
    #[arg(long)]
    quick: bool,
    /// Prints the rows as a JSON array (keys: scenario, sdk, baseline, unit, ratio, target, met).
    #[arg(long)]
    json: bool,
    /// Also writes the rows as JSON to this file (the table, or `--json`, still goes to
    /// stdout): one run gives both the table to read and the rows to keep.
    #[arg(long, value_name = "FILE")]
    save_json: Option<std::path::PathBuf>,
    /// Lists the scenarios and exits.
    #[arg(long)]
    list: bool,
    /// Runs plain-main's loop LOOPS times on one side (`sdk` or `socket`) and nothing else:
    /// the harness of the instruction counts in `docs/PERFORMANCE.md`.
    #[arg(long, hide = true, num_args = 2, value_names = ["SIDE", "LOOPS"])]
    crud_loop: Option<Vec<String>>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // `RUST_LOG=clevertim_sync=debug` shows the phases a scenario's library logs (to stderr).
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clevertim-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    if let Some([side, loops]) = args.crud_loop.as_deref() {
        return scenarios::plain_main::crud_loop(side, loops.parse()?);
    }
    let mut out = std::io::stdout().lock();
    let chosen = scenarios::select(&args.scenarios)?;
    if args.list {
        for s in &chosen {
            writeln!(out, "{:<16} {}", s.name, s.about)?;
        }
        return Ok(());
    }
    let config = scenarios::Config { quick: args.quick };
    let mut rows = Vec::new();
    for scenario in chosen {
        // Progress goes to stderr, so that stdout holds only the report.
        eprint!("{:<16} ", scenario.name);
        let started = Instant::now();
        let mut got =
            (scenario.run)(&config).map_err(|e| format!("scenario {}: {e}", scenario.name))?;
        eprintln!("{:.1} s", started.elapsed().as_secs_f64());
        rows.append(&mut got);
    }
    if let Some(path) = &args.save_json {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        report::print_json(&mut file, &rows)?;
        file.flush()?;
    }
    if args.json {
        report::print_json(&mut out, &rows)?;
    } else {
        report::print_table(&mut out, &rows)?;
    }
    Ok(())
}
