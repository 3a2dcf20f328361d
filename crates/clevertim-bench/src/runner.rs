//! Runs a scenario's SDK side and its baseline alternately, in rotated rounds, and sums up
//! what each did: time per operation (quartiles over rounds), requests, connections, peak heap.
//!
//! Why rounds and rotation: on a shared 2-core VM the machine's state drifts (other builds,
//! frequency, placement of threads). Short rounds give both sides the same spells of noise;
//! starting each round with the other side removes the advantage of running first.

use std::time::Duration;

use crate::Result;
use crate::heap;

/// What one round of one side did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sample {
    /// Wall time of the round.
    pub(crate) elapsed: Duration,
    /// Requests the server answered during the round.
    pub(crate) requests: u64,
    /// Connections the server accepted during the round.
    pub(crate) connections: u64,
}

/// One side of a comparison: runs one round when called.
pub(crate) type Side<'a> = dyn FnMut() -> Result<Sample> + 'a;

/// How many rounds, and how many operations each round holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// Measured rounds (a warm-up round comes first and is not timed).
    pub(crate) rounds: usize,
    /// Operations per round: times are reported per operation.
    pub(crate) ops_per_round: u64,
}

/// Quartiles of the time per operation over the measured rounds, in seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quartiles {
    pub(crate) p25: f64,
    pub(crate) median: f64,
    pub(crate) p75: f64,
}

/// Everything measured of one side.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measured {
    /// Seconds per operation.
    pub(crate) per_op: Quartiles,
    /// Requests of the largest round (rounds are alike: a count that varies is a finding).
    pub(crate) requests_per_round: u64,
    /// Connections accepted over the whole run, the warm-up included.
    pub(crate) connections: u64,
    /// Peak rise of the live heap during one extra round, in bytes.
    pub(crate) peak_heap: u64,
}

/// Runs `sdk` and `baseline` in `plan.rounds + 1` rotated rounds, then one round of each
/// under the heap counter.
pub(crate) fn compare(
    plan: Plan,
    sdk: &mut Side<'_>,
    baseline: &mut Side<'_>,
) -> Result<(Measured, Measured)> {
    let mut measured = compare_all(plan, &mut [sdk, baseline])?.into_iter();
    match (measured.next(), measured.next()) {
        (Some(s), Some(b)) => Ok((s, b)),
        _ => Err("two sides in, two out".into()),
    }
}

/// Runs every side in `plan.rounds + 1` rounds, each round starting with the next side
/// (round 0 warms connections and caches up and is not timed), then one round of each side
/// under the heap counter. The answer is in the order of `sides`.
pub(crate) fn compare_all(plan: Plan, sides: &mut [&mut Side<'_>]) -> Result<Vec<Measured>> {
    let n = sides.len();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); n];
    for round in 0..=plan.rounds {
        for k in 0..n {
            let i = (k + round) % n;
            let sample = (sides[i])()?;
            samples[i].push(sample);
        }
    }
    let mut peaks = vec![0u64; n];
    for (i, side) in sides.iter_mut().enumerate() {
        let (sample, peak) = heap::peak(&mut **side);
        sample?;
        peaks[i] = peak;
    }
    Ok((0..n)
        .map(|i| Measured {
            per_op: quartiles(&samples[i][1..], plan.ops_per_round),
            requests_per_round: samples[i].iter().map(|s| s.requests).max().unwrap_or(0),
            connections: samples[i].iter().map(|s| s.connections).sum(),
            peak_heap: peaks[i],
        })
        .collect())
}

/// Quartiles of seconds per operation over `rounds` (nearest rank).
fn quartiles(rounds: &[Sample], ops: u64) -> Quartiles {
    let mut per_op: Vec<f64> = rounds
        .iter()
        .map(|s| s.elapsed.as_secs_f64() / ops.max(1) as f64)
        .collect();
    per_op.sort_by(f64::total_cmp);
    let at = |q: usize| {
        per_op
            .get((per_op.len().saturating_sub(1)) * q / 4)
            .copied()
    };
    Quartiles {
        p25: at(1).unwrap_or(f64::NAN),
        median: at(2).unwrap_or(f64::NAN),
        p75: at(3).unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_rotate_and_the_warm_up_is_not_timed() {
        let order = std::cell::RefCell::new(Vec::new());
        let mut sdk = || {
            order.borrow_mut().push('s');
            Ok(Sample {
                elapsed: Duration::from_millis(if order.borrow().len() <= 2 { 999 } else { 2 }),
                requests: 3,
                connections: 1,
            })
        };
        let mut base = || {
            order.borrow_mut().push('b');
            Ok(Sample {
                elapsed: Duration::from_millis(4),
                requests: 3,
                connections: 0,
            })
        };
        let plan = Plan {
            rounds: 3,
            ops_per_round: 2,
        };
        let (s, b) = compare(plan, &mut sdk, &mut base).unwrap();
        let order: String = order.into_inner().into_iter().collect();
        assert_eq!(order, "sbbssbbssb");
        assert!((s.per_op.median - 0.001).abs() < 1e-9);
        assert!((b.per_op.median - 0.002).abs() < 1e-9);
        assert_eq!((s.requests_per_round, s.connections), (3, 4));
    }
}
