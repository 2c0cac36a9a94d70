//! A histogram with fixed bucket bounds, counted with atomics so that the
//! paths it measures (every request, every access-log batch) take no lock to
//! count. Read as a whole for `/metrics` in Prometheus' shape: cumulative
//! counts per upper bound, the total count and the sum.
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds for durations in seconds, from 0.1 ms to 5 s.
pub const SECONDS: &[f64] =
    &[0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

pub struct Histogram {
    bounds: &'static [f64],
    /// Observations per bucket (not cumulative); one more than `bounds`: above the last.
    counts: Box<[AtomicU64]>,
    /// The sum of the values observed, as `f64` bits.
    sum: AtomicU64,
}

/// A histogram as read at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// `(upper bound, observations ≤ it)`, the bounds ascending.
    pub buckets: Vec<(f64, u64)>,
    pub count: u64,
    pub sum: f64,
}

impl Histogram {
    /// `bounds` ascending.
    pub fn new(bounds: &'static [f64]) -> Self {
        debug_assert!(bounds.windows(2).all(|w| w[0] < w[1]), "bounds ascending");
        Histogram { bounds, counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(), sum: AtomicU64::new(0) }
    }

    pub fn observe(&self, value: f64) {
        let bucket = self.bounds.partition_point(|b| *b < value);
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let _ = self
            .sum
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| Some((f64::from_bits(bits) + value).to_bits()));
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut running = 0;
        let buckets = self
            .bounds
            .iter()
            .zip(self.counts.iter())
            .map(|(bound, n)| {
                running += n.load(Ordering::Relaxed);
                (*bound, running)
            })
            .collect();
        let above = self.counts.last().map_or(0, |n| n.load(Ordering::Relaxed));
        Snapshot { buckets, count: running + above, sum: f64::from_bits(self.sum.load(Ordering::Relaxed)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_a_bound_holds_its_own_value() {
        let h = Histogram::new(&[1.0, 2.0, 4.0]);
        for v in [0.5, 1.0, 1.5, 4.0, 9.0] {
            h.observe(v);
        }
        let s = h.snapshot();
        assert_eq!(s.buckets, [(1.0, 2), (2.0, 3), (4.0, 4)]);
        assert_eq!(s.count, 5, "the value above every bound is counted in the total only");
        assert_eq!(s.sum, 16.0);
    }

    #[test]
    fn counts_from_many_threads_add_up() {
        let h = std::sync::Arc::new(Histogram::new(SECONDS));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let h = h.clone();
                std::thread::spawn(move || (0..1000).for_each(|_| h.observe(0.002)))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        let s = h.snapshot();
        assert_eq!(s.count, 4000);
        assert!((s.sum - 8.0).abs() < 1e-9);
    }
}
