//! A circuit breaker's state machine, as Resilience4j's: closed, it records each call's
//! outcome in a sliding window and opens when, with at least `minimum_calls` recorded, the
//! failure rate or the slow-call rate reaches its threshold; open, it refuses every call until
//! `open_ms` has passed; then the next call finds it half-open, and it lets `half_open_calls`
//! through, whose outcomes alone decide: open again, or closed with an empty window.
//!
//! Like Resilience4j without its automatic transition, the move from open to half-open
//! happens when a call asks after the open time, not on a timer: a breaker nobody calls stays
//! open. An outcome is recorded only in the state the call was let through in (its epoch): a
//! call admitted while closed that answers after the breaker opened changes nothing.

use crate::scenario::{BreakerPolicy, BreakerWindow};
use crate::time::{from_ms, SimTime};

/// A second in simulated nanoseconds: a time window's cell.
const SECOND: SimTime = 1_000_000_000;

/// Where a breaker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go through and are watched.
    Closed,
    /// Calls are refused until the open time is over.
    Open,
    /// Trial calls go through; their outcomes decide.
    HalfOpen,
}

impl BreakerState {
    /// The name the summary and the view use.
    pub fn name(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half_open",
        }
    }
}

/// How many times a breaker has moved into each state, and the calls it refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BreakerCounts {
    /// Closed or half-open to open.
    pub opened: u64,
    /// Open to half-open.
    pub half_opened: u64,
    /// Half-open to closed.
    pub closed: u64,
    /// Calls refused (`circuit_open`).
    pub refused: u64,
}

/// One call's outcome as a breaker sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    calls: u32,
    failures: u32,
    slow: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.calls += other.calls;
        self.failures += other.failures;
        self.slow += other.slow;
    }

    fn remove(&mut self, other: Tally) {
        self.calls -= other.calls;
        self.failures -= other.failures;
        self.slow -= other.slow;
    }
}

/// The closed state's memory: the last calls (a ring of single outcomes) or the last seconds
/// (a ring of per-second tallies), with the running sum of what it holds. Sized once, when
/// the breaker is built: recording allocates nothing.
#[derive(Clone, Debug)]
struct Window {
    kind: BreakerWindow,
    cells: Vec<Tally>,
    /// A count window's next cell to overwrite; a time window's latest second (its cells
    /// hold that second and the ones before it, round the ring), or `u64::MAX` before any.
    at: u64,
    sum: Tally,
}

impl Window {
    fn new(kind: BreakerWindow, size: u32) -> Self {
        let mut window = Window {
            kind,
            cells: vec![Tally::default(); size.max(1) as usize],
            at: 0,
            sum: Tally::default(),
        };
        window.clear();
        window
    }

    fn record(&mut self, now: SimTime, outcome: Tally) {
        let size = self.cells.len() as u64;
        let cell = match self.kind {
            BreakerWindow::Count => {
                let cell = self.at as usize;
                self.sum.remove(self.cells[cell]);
                self.cells[cell] = Tally::default();
                self.at = (self.at + 1) % size;
                cell
            }
            BreakerWindow::Time => {
                let second = now / SECOND;
                if self.at == u64::MAX {
                    self.at = second;
                }
                // The seconds since the latest one leave the window: at most its size of
                // cells emptied, once per second that passes.
                for passed in (self.at + 1..=second).take(size as usize) {
                    let cell = (passed % size) as usize;
                    self.sum.remove(self.cells[cell]);
                    self.cells[cell] = Tally::default();
                }
                self.at = self.at.max(second);
                (second % size) as usize
            }
        };
        self.cells[cell].add(outcome);
        self.sum.add(outcome);
    }

    fn clear(&mut self) {
        self.cells.fill(Tally::default());
        self.at = match self.kind {
            BreakerWindow::Count => 0,
            BreakerWindow::Time => u64::MAX,
        };
        self.sum = Tally::default();
    }
}

/// A breaker on one edge.
#[derive(Clone, Debug)]
pub struct Breaker {
    state: BreakerState,
    /// When an open breaker lets trial calls through.
    open_until: SimTime,
    /// Moves on with every change of state: a call's outcome counts only in the state it was
    /// admitted in.
    epoch: u32,
    window: Window,
    /// Half-open: trial calls let through, and the tally of those answered.
    trials: u32,
    trial: Tally,
    minimum_calls: u32,
    failure_rate: f64,
    slow_rate: f64,
    slow_after: SimTime,
    open_for: SimTime,
    half_open_calls: u32,
    counts: BreakerCounts,
}

impl Breaker {
    /// A closed breaker with an empty window.
    pub fn new(policy: &BreakerPolicy) -> Self {
        let minimum_calls = match policy.window {
            // A count window never holds more calls than its size (as Resilience4j caps it).
            BreakerWindow::Count => policy.minimum_calls.min(policy.window_size),
            BreakerWindow::Time => policy.minimum_calls,
        };
        Breaker {
            state: BreakerState::Closed,
            open_until: 0,
            epoch: 0,
            window: Window::new(policy.window, policy.window_size),
            trials: 0,
            trial: Tally::default(),
            minimum_calls: minimum_calls.max(1),
            failure_rate: policy.failure_rate_percent / 100.0,
            slow_rate: policy.slow_call_rate_percent / 100.0,
            slow_after: from_ms(policy.slow_call_ms),
            open_for: from_ms(policy.open_ms),
            half_open_calls: policy.half_open_calls.max(1),
            counts: BreakerCounts::default(),
        }
    }

    /// Asks to let a call through now: its epoch (to hand back with its outcome), or `None`
    /// if the breaker refuses it (counted). An open breaker past its open time turns
    /// half-open here.
    pub fn admit(&mut self, now: SimTime) -> Option<u32> {
        if self.state == BreakerState::Open && now >= self.open_until {
            self.enter(BreakerState::HalfOpen);
        }
        let admitted = match self.state {
            BreakerState::Closed => true,
            BreakerState::Open => false,
            BreakerState::HalfOpen if self.trials < self.half_open_calls => {
                self.trials += 1;
                true
            }
            BreakerState::HalfOpen => false,
        };
        if !admitted {
            self.counts.refused += 1;
        }
        admitted.then_some(self.epoch)
    }

    /// True if a call asking now would be refused; changes nothing (a load balancer asks
    /// before it chooses, and the call it then sends is admitted by [`Breaker::admit`]).
    pub fn refuses(&self, now: SimTime) -> bool {
        match self.state {
            BreakerState::Closed => false,
            BreakerState::Open => now < self.open_until,
            BreakerState::HalfOpen => self.trials >= self.half_open_calls,
        }
    }

    /// The outcome of a call admitted in `epoch`, which took `took`, answered now.
    pub fn record(&mut self, epoch: u32, now: SimTime, failed: bool, took: SimTime) {
        if epoch != self.epoch {
            return;
        }
        let outcome = Tally {
            calls: 1,
            failures: u32::from(failed),
            slow: u32::from(took >= self.slow_after),
        };
        match self.state {
            BreakerState::Closed => {
                self.window.record(now, outcome);
                if self.too_bad(self.window.sum, self.minimum_calls) {
                    self.open(now);
                }
            }
            BreakerState::HalfOpen => {
                self.trial.add(outcome);
                if self.trial.calls >= self.half_open_calls {
                    if self.too_bad(self.trial, self.half_open_calls) {
                        self.open(now);
                    } else {
                        self.enter(BreakerState::Closed);
                    }
                }
            }
            BreakerState::Open => {}
        }
    }

    /// The state now, as a call asking now would find it (open past its open time reads as
    /// half-open only once a call has asked).
    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Its transitions and refusals so far.
    pub fn counts(&self) -> BreakerCounts {
        self.counts
    }

    fn too_bad(&self, tally: Tally, minimum: u32) -> bool {
        if tally.calls < minimum || tally.calls == 0 {
            return false;
        }
        let calls = f64::from(tally.calls);
        f64::from(tally.failures) / calls >= self.failure_rate
            || f64::from(tally.slow) / calls >= self.slow_rate
    }

    fn open(&mut self, now: SimTime) {
        self.open_until = now.saturating_add(self.open_for);
        self.enter(BreakerState::Open);
    }

    fn enter(&mut self, state: BreakerState) {
        self.state = state;
        self.epoch = self.epoch.wrapping_add(1);
        (self.trials, self.trial) = (0, Tally::default());
        match state {
            BreakerState::Open => self.counts.opened += 1,
            BreakerState::HalfOpen => self.counts.half_opened += 1,
            BreakerState::Closed => {
                self.counts.closed += 1;
                self.window.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: SimTime = 1_000_000;

    fn breaker(window: BreakerWindow, size: u32, minimum: u32) -> Breaker {
        Breaker::new(&BreakerPolicy {
            window,
            window_size: size,
            minimum_calls: minimum,
            failure_rate_percent: 50.0,
            slow_call_rate_percent: 100.0,
            slow_call_ms: 100.0,
            open_ms: 1_000.0,
            half_open_calls: 3,
        })
    }

    /// Admits and records one call at `at`.
    fn call(b: &mut Breaker, at: SimTime, failed: bool) -> bool {
        match b.admit(at) {
            Some(epoch) => {
                b.record(epoch, at, failed, MS);
                true
            }
            None => false,
        }
    }

    #[test]
    fn it_opens_at_its_failure_rate_once_it_has_its_minimum_calls() {
        let mut b = breaker(BreakerWindow::Count, 10, 4);
        // Three failures in a row: not judged before the fourth call.
        for _ in 0..3 {
            assert!(call(&mut b, 0, true));
        }
        assert_eq!(b.state(), BreakerState::Closed);
        assert!(call(&mut b, 0, false));
        // 3 of 4 failed: 75% >= 50%.
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(b.counts().opened, 1);
        assert!(!call(&mut b, 500 * MS, false), "refused while open");
        assert_eq!(b.counts().refused, 1);
    }

    #[test]
    fn a_count_window_forgets_its_oldest_call() {
        let mut b = breaker(BreakerWindow::Count, 4, 4);
        // fail ok ok ok: 25%. Then ok pushes the failure out, then fail fail: 2 of 4.
        for failed in [true, false, false, false, false, true] {
            call(&mut b, 0, failed);
            assert_eq!(b.state(), BreakerState::Closed);
        }
        call(&mut b, 0, true);
        assert_eq!(
            b.state(),
            BreakerState::Open,
            "ok ok fail fail... 3 of the last 4"
        );
    }

    #[test]
    fn a_time_window_forgets_the_seconds_that_left_it() {
        let mut b = breaker(BreakerWindow::Time, 2, 4);
        // Three failures at 0 s, then at 2.5 s they have left the 2-second window.
        for _ in 0..3 {
            call(&mut b, 0, true);
        }
        for _ in 0..3 {
            call(&mut b, 2_500 * MS, false);
        }
        assert_eq!(b.state(), BreakerState::Closed, "0 of 3 in the window");
        call(&mut b, 2_600 * MS, true);
        call(&mut b, 2_700 * MS, true);
        call(&mut b, 2_800 * MS, true);
        assert_eq!(
            b.state(),
            BreakerState::Open,
            "3 of 6 within the last two seconds"
        );
    }

    #[test]
    fn after_its_open_time_it_lets_its_trial_calls_through_and_closes_if_they_succeed() {
        let mut b = breaker(BreakerWindow::Count, 4, 4);
        for _ in 0..4 {
            call(&mut b, 0, true);
        }
        assert!(b.refuses(999 * MS));
        assert!(!b.refuses(1_000 * MS), "the open time is over");
        let trials: Vec<u32> = (0..3).map(|_| b.admit(1_000 * MS).unwrap()).collect();
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert_eq!(b.admit(1_000 * MS), None, "only three trial calls");
        for epoch in trials {
            b.record(epoch, 1_010 * MS, false, MS);
        }
        assert_eq!(b.state(), BreakerState::Closed);
        assert_eq!(
            b.counts(),
            BreakerCounts {
                opened: 1,
                half_opened: 1,
                closed: 1,
                refused: 1
            }
        );
        // The window starts empty: three failures are not yet judged.
        for _ in 0..3 {
            call(&mut b, 2_000 * MS, true);
        }
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[test]
    fn a_failed_trial_opens_it_again_for_another_open_time() {
        let mut b = breaker(BreakerWindow::Count, 4, 4);
        for _ in 0..4 {
            call(&mut b, 0, true);
        }
        for failed in [false, true, true] {
            assert!(call(&mut b, 1_000 * MS, failed));
        }
        assert_eq!(b.state(), BreakerState::Open, "2 of 3 trials failed");
        assert!(b.refuses(1_999 * MS));
        assert!(!b.refuses(2_000 * MS));
    }

    #[test]
    fn slow_calls_open_it_too_and_old_epochs_are_ignored() {
        let mut b = breaker(BreakerWindow::Count, 2, 2);
        let early = b.admit(0).unwrap();
        for _ in 0..2 {
            let epoch = b.admit(0).unwrap();
            b.record(epoch, 0, false, 100 * MS);
        }
        assert_eq!(
            b.state(),
            BreakerState::Open,
            "every call slow: 100% >= 100%"
        );
        b.record(early, 0, true, MS);
        assert_eq!(b.counts().opened, 1);
        assert!(b.refuses(10 * MS), "the late outcome changed nothing");
    }
}
