//! The randomised history: what each process did, stamped before and after from a shared
//! counter, and the check that no read returned a value older than a write that ended before
//! it began (or a value nobody wrote).

use std::collections::HashMap;

use serde_json::{Value, json};

/// One operation as a process saw it.
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub(crate) write: bool,
    pub(crate) ok: bool,
    pub(crate) id: i64,
    pub(crate) value: String,
    pub(crate) before: i64,
    pub(crate) after: i64,
}

impl Op {
    pub(crate) fn to_json(&self) -> Value {
        json!({"write": self.write, "ok": self.ok, "id": self.id, "value": self.value,
               "before": self.before, "after": self.after})
    }

    pub(crate) fn from_json(v: &Value) -> Self {
        Op {
            write: v["write"].as_bool().unwrap_or_default(),
            ok: v["ok"].as_bool().unwrap_or_default(),
            id: v["id"].as_i64().unwrap_or_default(),
            value: v["value"].as_str().unwrap_or_default().to_owned(),
            before: v["before"].as_i64().unwrap_or_default(),
            after: v["after"].as_i64().unwrap_or_default(),
        }
    }
}

/// The stale reads of `ops` (each described), given each object's first value.
pub(crate) fn stale_reads(ops: &[Op], initial: &HashMap<i64, String>) -> Vec<String> {
    // Every write, by object: (value, start, end, completed).
    let mut writes: HashMap<i64, Vec<(String, i64, i64, bool)>> = HashMap::new();
    for (id, value) in initial {
        writes
            .entry(*id)
            .or_default()
            .push((value.clone(), 0, 0, true));
    }
    for op in ops.iter().filter(|op| op.write) {
        writes
            .entry(op.id)
            .or_default()
            .push((op.value.clone(), op.before, op.after, op.ok));
    }
    let mut failures = Vec::new();
    for read in ops.iter().filter(|op| !op.write && op.ok) {
        let of_object = writes.get(&read.id).map(Vec::as_slice).unwrap_or_default();
        let Some(source) = of_object.iter().find(|w| w.0 == read.value) else {
            failures.push(format!("read {read:?} returned a value nobody wrote"));
            continue;
        };
        if let Some(newer) = of_object
            .iter()
            .find(|w| w.3 && w.1 > source.2 && w.2 < read.before)
        {
            failures.push(format!(
                "read of {} at [{}, {}] returned {:?} (written [{}, {}]) though {:?} was written at [{}, {}]",
                read.id, read.before, read.after, read.value, source.1, source.2, newer.0, newer.1, newer.2
            ));
        }
    }
    failures
}
