//! Fixed-width time windows: what the charts draw.

use super::Histogram;
use crate::sim::events::{Outcome, OutcomeClass};
use crate::time::SimTime;

/// The most windows one run records; a longer run keeps the first ones and says so.
pub const MAX_WINDOWS: usize = 10_000;

/// What happened in one window of simulated time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Window {
    /// When the window ends (it starts one width earlier).
    pub end: SimTime,
    /// Client requests completed in it.
    pub completed: u64,
    /// Of those, the ones that completed after their deadline (not goodput).
    pub late: u64,
    /// Client requests that failed or timed out in it.
    pub errors: u64,
    /// Client requests dropped in it.
    pub dropped: u64,
    /// Latency percentiles of the requests completed in it, in nanoseconds.
    pub p50: u64,
    /// See `p50`.
    pub p95: u64,
    /// See `p50`.
    pub p99: u64,
    /// Cache hits in it.
    pub hits: u64,
    /// Cache misses in it.
    pub misses: u64,
    /// Requests waiting in service and database queues at its end.
    pub queued: u64,
    /// Jobs waiting in message queues at its end.
    pub jobs_queued: u64,
    /// Retries sent in it (when their backoff ended).
    pub retries: u64,
    /// Circuit breakers open or half-open at its end.
    pub breakers_open: u64,
    /// Reads checked for staleness that ended in it (runs with stores).
    pub reads_checked: u64,
    /// Of those, the stale reads.
    pub stale_reads: u64,
}

/// Accumulates the current window and keeps the closed ones.
#[derive(Clone, Debug)]
pub struct Series {
    width: SimTime,
    current: Window,
    latency: Histogram,
    windows: Vec<Window>,
    /// The most windows kept (at most [`MAX_WINDOWS`]).
    max_windows: usize,
    truncated: bool,
}

impl Series {
    /// Windows of `width` nanoseconds starting at time zero, at most [`MAX_WINDOWS`].
    pub fn new(width: SimTime) -> Self {
        Self::keeping(width, MAX_WINDOWS)
    }

    /// Windows of `width`, keeping at most `max_windows` of them (and never more than
    /// [`MAX_WINDOWS`]): a run of many nodes keeps fewer, since each window holds a figure
    /// per node.
    pub fn keeping(width: SimTime, max_windows: usize) -> Self {
        let width = width.max(1);
        Series {
            width,
            current: Window {
                end: width,
                ..Window::default()
            },
            latency: Histogram::default(),
            windows: Vec::new(),
            max_windows: max_windows.clamp(1, MAX_WINDOWS),
            truncated: false,
        }
    }

    /// The window width.
    pub fn width(&self) -> SimTime {
        self.width
    }

    /// When the current window ends.
    #[inline]
    pub fn current_end(&self) -> SimTime {
        self.current.end
    }

    /// Counts a client request's end.
    #[inline]
    pub fn record_end(&mut self, outcome: Outcome, latency: SimTime) {
        match outcome.class() {
            OutcomeClass::Completed => {
                self.current.completed += 1;
                self.latency.record(latency);
            }
            OutcomeClass::Dropped => self.current.dropped += 1,
            OutcomeClass::TimedOut | OutcomeClass::Failed => self.current.errors += 1,
        }
    }

    /// Counts a client request, already counted as completed, as answered after its deadline.
    pub fn record_late(&mut self) {
        self.current.late += 1;
    }

    /// Counts a read checked for staleness as it ends: stale or not.
    pub fn record_read(&mut self, stale: bool) {
        self.current.reads_checked += 1;
        self.current.stale_reads += u64::from(stale);
    }

    /// Counts a retry.
    pub fn record_retry(&mut self) {
        self.current.retries += 1;
    }

    /// Sets how many circuit breakers are open or half-open, as the current window ends.
    pub fn set_breakers_open(&mut self, n: u64) {
        self.current.breakers_open = n;
    }

    /// Counts a cache lookup.
    #[inline]
    pub fn record_lookup(&mut self, hit: bool) {
        if hit {
            self.current.hits += 1;
        } else {
            self.current.misses += 1;
        }
    }

    /// Closes the current window with the queue levels at its end and opens the next.
    /// Once the most windows are kept, the current window never ends: nothing more is recorded
    /// and no time is spent stepping through windows nobody will see.
    pub fn close(&mut self, queued: u64, jobs_queued: u64) {
        if self.is_full() {
            self.truncated = true;
            self.current.end = SimTime::MAX;
            return;
        }
        let end = self.current.end;
        let mut done = std::mem::replace(
            &mut self.current,
            Window {
                end: end.saturating_add(self.width),
                ..Window::default()
            },
        );
        [done.p50, done.p95, done.p99] = self.latency.quantiles([0.50, 0.95, 0.99]);
        done.queued = queued;
        done.jobs_queued = jobs_queued;
        self.latency.clear();
        self.windows.push(done);
    }

    /// The closed windows.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// True once as many windows are kept as will be: later ones are not recorded.
    pub fn is_full(&self) -> bool {
        self.windows.len() >= self.max_windows
    }

    /// True if the run outlasted the windows kept and later ones were not recorded.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_what_ended_in_them() {
        let mut s = Series::new(10);
        s.record_end(Outcome::Ok, 4);
        s.record_end(Outcome::Ok, 6);
        s.record_late();
        s.record_end(Outcome::TimedOut, 0);
        s.record_lookup(true);
        s.close(3, 1);
        s.record_end(Outcome::DroppedQueueFull, 0);
        s.close(0, 0);
        let w = s.windows();
        assert_eq!(w.len(), 2);
        assert_eq!(
            (w[0].end, w[0].completed, w[0].errors, w[0].hits),
            (10, 2, 1, 1)
        );
        assert_eq!((w[0].queued, w[0].jobs_queued), (3, 1));
        assert_eq!(
            w[0].late, 1,
            "one of the two completions came after its deadline"
        );
        assert_eq!((w[0].p50, w[0].p99), (4, 6));
        assert_eq!(
            (w[1].end, w[1].completed, w[1].dropped, w[1].p50),
            (20, 0, 1, 0)
        );
    }
}
