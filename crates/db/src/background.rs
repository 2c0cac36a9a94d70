//! The access log's housekeeping beside the requests: its checkpoints
//! ([`crate::wal`]) and its index by subject ([`crate::access_index`]).
//!
//! Each runs on a thread of its own rather than in Tokio's blocking pool, so
//! that the index, derived data that may fall behind and catch up, can run
//! below the requests' CPU priority. Measured, that moved neither the
//! look-up's throughput nor its tail (BENCHMARKS.md, "Look-up at 1 M people:
//! what is left of the tail is the two cores"): the index takes 4 % of the
//! server's CPU; it is kept so that a busier host serves requests first.
//! A thread ends within one rest of the end of the Tokio runtime that started
//! it, as a task would, so tests that start and stop runtimes leave none behind.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use crate::error::StoreResult;

/// The CPU priority of a background thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Priority {
    /// As the requests': work that keeps them from waiting later (checkpoints).
    Normal,
    /// Only what the requests leave (niceness 19): work that may fall behind
    /// under load and catch up after it (the index).
    Lowest,
}

/// What one round of the work found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// There is more to do: go again at once.
    More,
    /// Caught up: rest before the next round.
    Rest,
}

/// Runs `work` on a thread named `name` until the current Tokio runtime
/// stops: again at once while it answers [`Pace::More`], else after `rest`.
/// Errors are logged and the work retried; "database unavailable" silently.
pub(crate) fn every(
    name: &'static str,
    rest: Duration,
    priority: Priority,
    mut work: impl FnMut() -> StoreResult<Pace> + Send + 'static,
) {
    // Held by a task of the runtime: dropped, and the thread told, when it stops.
    let alive = Arc::new(());
    let running = Arc::downgrade(&alive);
    tokio::spawn(async move {
        let _alive = alive;
        std::future::pending::<()>().await
    });
    let started = std::thread::Builder::new().name(name.into()).spawn(move || {
        if priority == Priority::Lowest {
            lower_priority(name);
        }
        while running.strong_count() > 0 {
            let pace = match catch_unwind(AssertUnwindSafe(&mut work)) {
                Ok(Ok(pace)) => pace,
                Ok(Err(e)) if e.is_unavailable() => Pace::Rest,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, work = name, "background work failed; it is retried");
                    Pace::Rest
                }
                Err(_) => {
                    tracing::warn!(work = name, "background work panicked; it is restarted");
                    Pace::Rest
                }
            };
            if pace == Pace::Rest {
                std::thread::sleep(rest);
            }
        }
    });
    if let Err(e) = started {
        tracing::error!(error = %e, work = name, "cannot start a background thread");
    }
}

/// Niceness 19 for the calling thread only (on Linux `setpriority` with a
/// thread's id applies to that thread). Lowering one's own priority needs no
/// privilege; where it fails the work still runs, at the normal priority.
fn lower_priority(name: &str) {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        tracing::warn!(error = %e, work = name, "cannot lower a background thread's priority");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = name;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The thread's niceness as the kernel reports it.
    #[cfg(target_os = "linux")]
    fn niceness() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap()
    }

    #[test]
    fn the_work_goes_on_while_there_is_more_and_stops_with_its_runtime() {
        #[cfg(target_os = "linux")]
        let before = niceness();
        let (seen, rounds) = mpsc::channel();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut left = 3;
            every("test-work", Duration::from_millis(10), Priority::Lowest, move || {
                #[cfg(target_os = "linux")]
                let _ = seen.send((left, niceness()));
                #[cfg(not(target_os = "linux"))]
                let _ = seen.send((left, 19));
                left -= 1;
                if left == 1 {
                    return Err(crate::error::StoreError::Corrupt("once".into()));
                }
                Ok(if left > 0 { Pace::More } else { Pace::Rest })
            });
        });
        let first: Vec<(i32, i32)> = rounds.iter().take(4).collect();
        assert_eq!(first.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 2, 1, 0], "a failure is retried");
        assert!(first.iter().all(|r| r.1 == 19), "at the lowest priority: {first:?}");
        #[cfg(target_os = "linux")]
        assert_eq!(niceness(), before, "only the background thread was lowered");
        drop(runtime);
        // The thread sees its runtime gone within a rest and ends, dropping its sender.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut after = 0;
        loop {
            match rounds.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
                Ok(_) => after += 1,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("the thread outlived its runtime"),
            }
        }
        assert!(after <= 3, "{after} more rounds after the runtime stopped");
    }
}
