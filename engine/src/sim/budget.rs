//! The run budget: what one run may hold at once, counted in engine units (frames, pending
//! events, events at one instant), never in bytes, so a run stops at the same event natively
//! and in the browser. Bounds on the scenario's fields keep every accepted scenario finite;
//! the budget keeps it small: an overloaded service fed without limit, a zero-latency loop, a
//! fan-out that multiplies calls would otherwise grow until the tab dies. A run over budget
//! stops cleanly, says why, and keeps everything it measured up to then.
//!
//! What is kept rather than stopped (a chart or a trace is a view, not the run): at most
//! [`MAX_SERIES_CELLS`] windows times nodes of time series, and [`MAX_TRACE_HOPS`] hops over
//! all traces.

use crate::time::SimTime;

/// Frames alive at once: every request in flight holds one per node it is at (a client's
/// request waiting at a service holds two). With its request, events and queue place, a
/// frame costs under 100 bytes: a million is below 100 MB (tests/hostile.rs measures it).
pub const MAX_FRAMES: usize = 1_000_000;
/// Events pending at once: timers of requests long gone (a day-long timeout on a busy service)
/// pile up here even when few requests are in flight. At 32 bytes an event, 32 MB.
pub const MAX_PENDING_EVENTS: usize = 1_000_000;
/// Events handled at one instant of simulated time: only a loop without latency or work gets
/// anywhere near it (a fan-out to every one of 2,000 edges at once is 4,000).
pub const MAX_EVENTS_AT_ONE_INSTANT: u64 = 1_000_000;
/// Data versions held at once (sim/data.rs): per store and key written, per key acknowledged,
/// per session and key. Under 64 bytes each in their hash maps: 2 million are about 128 MB at
/// most, reached only by writes spread over millions of keys.
pub const MAX_VERSIONS: usize = 2_000_000;
/// The budget is checked once every this many events: between two checks a run can outgrow
/// it by at most this many events' worth of frames, a few megabytes.
pub const CHECK_EVERY: u64 = 1024;
/// Time-series cells kept: windows times nodes. A 500-node run keeps 1,000 windows, a 50-node
/// one the full 10,000; the summary stays a few megabytes.
pub const MAX_SERIES_CELLS: usize = 500_000;
/// Hops kept over all traces: a traced request that fans out through a tree of calls would
/// otherwise make the summary as large as the tree.
pub const MAX_TRACE_HOPS: usize = 20_000;

/// Why a run stopped before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// [`MAX_FRAMES`] frames were alive: requests arrive faster than they finish.
    InFlight {
        /// Client requests and jobs in flight then.
        requests: u64,
    },
    /// [`MAX_PENDING_EVENTS`] events were pending.
    PendingEvents,
    /// [`MAX_EVENTS_AT_ONE_INSTANT`] events happened without the clock moving.
    ClockStill,
    /// [`MAX_VERSIONS`] data versions were held.
    Versions,
}

/// A run stopped by its budget: why, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// Why.
    pub reason: StopReason,
    /// The simulated time it stopped at.
    pub at: SimTime,
}

impl StopReason {
    /// What happened, in words a learner understands, with what to change.
    pub fn message(&self) -> String {
        use crate::bounds::plain;
        match *self {
            StopReason::InFlight { requests } => format!(
                "{} requests in flight ({} calls and visits at once); the system is overloaded: \
                 requests arrive faster than they finish",
                plain(requests as f64),
                plain(MAX_FRAMES as f64)
            ),
            StopReason::PendingEvents => format!(
                "{} events pending at once; timers are piling up (is a timeout far longer than \
                 the requests it guards?)",
                plain(MAX_PENDING_EVENTS as f64)
            ),
            StopReason::Versions => format!(
                "{} data versions held at once; writes are spread over more keys than a run \
                 can remember: use fewer keys or a shorter run",
                plain(MAX_VERSIONS as f64)
            ),
            StopReason::ClockStill => format!(
                "{} events happened without the clock moving; requests are looping with no \
                 latency and no work: give an edge some latency or lower the hop limit",
                plain(MAX_EVENTS_AT_ONE_INSTANT as f64)
            ),
        }
    }

    /// A stable code for the reason, for tests and tools.
    pub fn code(&self) -> &'static str {
        match self {
            StopReason::InFlight { .. } => "in_flight",
            StopReason::PendingEvents => "pending_events",
            StopReason::ClockStill => "clock_still",
            StopReason::Versions => "versions",
        }
    }
}

/// Notices a clock standing still: how many budget checks in a row found it at one instant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stillness {
    at: SimTime,
    checks: u64,
}

impl Stillness {
    /// A budget check finds the clock at `now`: true once it has stood there for
    /// [`MAX_EVENTS_AT_ONE_INSTANT`] events (every check is [`CHECK_EVERY`] events on).
    pub fn too_still(&mut self, now: SimTime) -> bool {
        if now != self.at {
            (self.at, self.checks) = (now, 0);
        }
        self.checks += 1;
        self.checks * CHECK_EVERY > MAX_EVENTS_AT_ONE_INSTANT
    }
}

/// True if frames or pending events are over budget (checked after every event: two
/// comparisons).
#[inline]
pub fn over(frames: usize, pending: usize) -> bool {
    frames >= MAX_FRAMES || pending >= MAX_PENDING_EVENTS
}

/// Why a run that is [`over`] budget stops; `requests` are those in flight.
#[cold]
pub fn reason(frames: usize, requests: u64) -> StopReason {
    if frames >= MAX_FRAMES {
        StopReason::InFlight { requests }
    } else {
        StopReason::PendingEvents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_still_only_after_a_million_events_at_one_instant() {
        let mut s = Stillness::default();
        let checks = MAX_EVENTS_AT_ONE_INSTANT / CHECK_EVERY;
        for _ in 0..checks {
            assert!(!s.too_still(5));
        }
        assert!(s.too_still(5));
        assert!(!s.too_still(6), "a moving clock starts the count again");
    }

    #[test]
    fn over_budget_names_what_ran_out() {
        assert!(!over(10, 10));
        assert!(over(MAX_FRAMES, 0));
        assert!(over(0, MAX_PENDING_EVENTS));
        assert_eq!(reason(MAX_FRAMES, 7), StopReason::InFlight { requests: 7 });
        assert_eq!(reason(10, 7), StopReason::PendingEvents);
        let words = StopReason::InFlight {
            requests: 1_000_000,
        }
        .message();
        assert!(words.starts_with("1,000,000 requests in flight"), "{words}");
    }
}
