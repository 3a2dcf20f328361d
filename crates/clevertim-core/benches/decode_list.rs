//! Decoding a 10,000-contact list through the session (envelope, typed models, no cache)
//! side by side with `serde_json::from_slice::<Value>` of the same body: time, and the peak of
//! bytes allocated (dhat's counting allocator, active only for the memory pass).
//!
//! `cargo bench -p clevertim-core --bench decode_list`
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{transport_fn, Contact, Session};

// Forwards to the system allocator; counts only while a `dhat::Profiler` runs.
#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

const CONTACTS: usize = 10_000;
const ROUNDS: usize = 15;

fn body() -> Bytes {
    let contacts: Vec<serde_json::Value> = (1..=CONTACTS)
        .map(|id| {
            serde_json::json!({
                "id": id, "fn": format!("First{id}"), "ln": format!("Last{id}"),
                "title": "Business Development", "description": "basic description",
                "is_company": false, "companyId": 3,
                "email": [format!("person{id}@example.com"), "other@example.com"],
                "phones": [{"type": "Work", "no": "008745849854"}, {"type": "Home", "no": "87450"}],
                "website": ["http://www.example.com"], "address": "200 Marbello Road",
                "city": "London", "postcode": "SW9 2BR", "country": "GB",
                "smids": [{"type": "Twitter", "smid": "clevertim"}], "ctype": "C",
                "cf": {"3": "54334", "2": ["a", "b"]}, "tags": ["Europe", "important"],
                "notes": [2], "opportunities": [1], "tasks": [2, 3], "cases": [1, 2, 3],
                "ao": "2026-11-28T10:00:00Z", "lm": "2026-11-28T10:00:00Z", "gid": 0,
                "is_private": false, "fmt": "unknown field"
            })
        })
        .collect();
    Bytes::from(
        serde_json::to_vec(&serde_json::json!({"status": "OK", "content": contacts})).unwrap(),
    )
}

/// The peak of bytes allocated while `f` runs, above what was live before.
fn peak_bytes<T>(f: impl FnOnce() -> T) -> usize {
    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let out = f();
    let stats = dhat::HeapStats::get();
    drop(out);
    stats.max_bytes.saturating_sub(before.curr_bytes)
}

/// The time `f` takes.
fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let out = f();
    (started.elapsed(), out)
}

fn main() {
    let body = body();
    let served = body.clone();
    let session = Session::builder("KEY")
        .endpoint("http://127.0.0.1:9/api")
        .transport(transport_fn(move |_| {
            let body = served.clone();
            async move { Ok(http::Response::new(body)) }
        }))
        .no_cache()
        .build()
        .unwrap();

    let decode_values = || serde_json::from_slice::<serde_json::Value>(&body).unwrap();
    let decode_contacts = || futures_executor::block_on(session.all::<Contact>()).unwrap();
    let mut value_times = Vec::new();
    let mut sdk_times = Vec::new();
    for round in 0..=ROUNDS {
        let (t, value) = time(decode_values);
        assert_eq!(value["content"].as_array().map(Vec::len), Some(CONTACTS));
        drop(value);
        let (u, contacts) = time(decode_contacts);
        assert_eq!(contacts.len(), CONTACTS);
        assert_eq!(contacts[9].first_name(), Some("First10"));
        drop(contacts);
        if round > 0 {
            value_times.push(t);
            sdk_times.push(u);
        }
    }
    let value_peak = peak_bytes(decode_values);
    let sdk_peak = peak_bytes(decode_contacts);
    value_times.sort();
    sdk_times.sort();
    let (v, s) = (value_times[ROUNDS / 2], sdk_times[ROUNDS / 2]);
    println!(
        "decode {CONTACTS} contacts ({} KiB body), median of {ROUNDS} rounds",
        body.len() / 1024
    );
    println!("{:<34} {:>10} {:>14}", "decoder", "ms", "peak KiB");
    println!(
        "{:<34} {:>10.2} {:>14}",
        "serde_json::Value (baseline)",
        v.as_secs_f64() * 1e3,
        value_peak / 1024
    );
    println!(
        "{:<34} {:>10.2} {:>14}",
        "Session::all::<Contact>()",
        s.as_secs_f64() * 1e3,
        sdk_peak / 1024
    );
    println!(
        "ratio: time {:.3}, memory {:.3}",
        s.as_secs_f64() / v.as_secs_f64(),
        sdk_peak as f64 / value_peak as f64
    );
}
