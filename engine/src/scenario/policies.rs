//! The policies an edge can carry beyond its timeout, deadline and bulkhead: retries, a circuit
//! breaker and hedged requests. Each is declared once (`settings!`), which gives it its JSON,
//! its link table and its documentation; what each means in a run is in `sim/policies`.
//!
//! They apply in this order from the caller outwards: the breaker (a refused call never
//! leaves), then the retry loop (the breaker sees the loop's final result, once), then each
//! attempt's timeout.

use crate::bounds::Bound;
use crate::components::settings::{choices, settings};
use crate::distributions::valid_ms;
use crate::sim::events::Outcome;

/// Attempts in all, the first included: past a handful, retries are a storm of their own.
pub const ATTEMPTS: Bound = Bound::new(
    1.0,
    20.0,
    "twenty attempts of one call is already a storm; each waits its backoff in memory",
);

/// Calls a breaker remembers (a count window) or seconds (a time window).
pub const WINDOW: Bound = Bound::new(
    1.0,
    10_000.0,
    "the window is held in memory for the run: ten thousand calls or seconds",
);

/// Calls a breaker must have seen before it judges.
pub const MINIMUM_CALLS: Bound = Bound::new(1.0, 10_000.0, "as many as a window can hold");

/// Calls a half-open breaker lets through to test the callee.
pub const HALF_OPEN_CALLS: Bound = Bound::new(
    1.0,
    1_000.0,
    "a thousand trial calls tell as much as ten; the rest wait",
);

/// The smallest number of retries a budget always allows at once.
pub const BUDGET_MIN: Bound = Bound::new(0.0, 10_000.0, "as many as a bulkhead may hold");

/// A token bucket's size.
pub const TOKENS: Bound = Bound::new(1.0, 1e6, "a million retries saved up is no budget");

choices! {
    /// How the wait before a retry grows with each attempt.
    pub enum Backoff as "backoff" {
        /// The same wait, `base_ms`, before every retry.
        Constant = "constant", tag 0;
        /// `base_ms` doubled for each retry so far, never more than `cap_ms`.
        Exponential = "exponential", tag 1;
    }
}

choices! {
    /// How a backoff's wait is randomised, as the AWS Architecture Blog's "Exponential
    /// Backoff and Jitter" defines it (w is the backoff's wait for this retry).
    pub enum Jitter as "jitter" {
        /// Exactly w: callers that failed together retry together.
        None = "none", tag 0;
        /// Uniform in [0, w].
        Full = "full", tag 1;
        /// w/2 plus uniform in [0, w/2].
        Equal = "equal", tag 2;
        /// Uniform in [base, 3 × the previous wait], at most the cap (the first previous
        /// wait is the base); it ignores the backoff's own growth.
        Decorrelated = "decorrelated", tag 3;
    }
}

choices! {
    /// What a circuit breaker's sliding window holds.
    pub enum BreakerWindow as "window" {
        /// The outcomes of the last `window_size` calls.
        Count = "count", tag 0;
        /// The outcomes of the calls of the last `window_size` seconds.
        Time = "time", tag 1;
    }
}

settings! {
    /// Retries of a call that failed, along the edge it left by. A retry is a new arrival at
    /// the callee over the same edge; the caller keeps its worker through the backoff.
    pub struct RetryPolicy as "retry" {
        /// Attempts in all, the first included (1: never retry).
        max_attempts: u32 = 3, tag 1, always, within ATTEMPTS;
        /// How the wait grows: `constant` or `exponential`.
        backoff: Backoff = Backoff::Exponential, tag 2, always;
        /// The wait before the first retry (and before every retry, constant); 0 retries at
        /// once.
        base_ms: f64 = 100.0, tag 3, always;
        /// The longest wait.
        cap_ms: f64 = 10_000.0, tag 4, changed;
        /// How the wait is randomised: `none`, `full`, `equal` or `decorrelated`.
        jitter: Jitter = Jitter::None, tag 5, always;
        /// The outcomes retried, by name (a timed-out attempt is `timed_out`).
        retry_on: Vec<String> = default_retry_on(), tag 6, changed, within RETRY_ON;
        /// A retry budget, as Envoy's: retries in progress along the edge at most this
        /// percentage of its calls in progress. `None`: no such budget.
        budget_percent: Option<f64> = None, tag 7, changed;
        /// The retries in progress a budget always allows, however few calls are.
        budget_min_retries: u32 = 3, tag 8, changed, within BUDGET_MIN;
        /// A token bucket instead: it holds this many tokens and starts full; a retry spends
        /// one, and a call with none left fails. `None`: no bucket.
        token_bucket: Option<f64> = None, tag 9, changed, within TOKENS;
        /// Tokens a call that succeeds puts back (never past the bucket's size).
        token_refill: f64 = 0.1, tag 10, changed;
    }
}

/// At most every outcome once.
pub const RETRY_ON: Bound = Bound::new(0.0, 16.0, "each outcome at most once");

/// Retried unless said otherwise: what a busy or failing callee answers, not what no attempt
/// could change (a deadline passed, no route, a loop) nor a breaker's refusal.
fn default_retry_on() -> Vec<String> {
    [
        Outcome::TimedOut,
        Outcome::DroppedQueueFull,
        Outcome::FailedError,
        Outcome::FailedNodeDown,
    ]
    .iter()
    .map(|o| o.name().to_string())
    .collect()
}

settings! {
    /// A circuit breaker on the calls along an edge, as Resilience4j's (its defaults too):
    /// closed, it lets calls through and watches their outcomes; when too many of them fail
    /// or are slow it opens and refuses calls at once (`circuit_open`); the first call after
    /// `open_ms` finds it half-open (a breaker nobody calls stays open), and it lets
    /// `half_open_calls` through, then closes if they do well or opens again.
    pub struct BreakerPolicy as "breaker" {
        /// `count` (the last `window_size` calls) or `time` (the last `window_size` seconds).
        window: BreakerWindow = BreakerWindow::Count, tag 1, always;
        /// Calls or seconds the window holds.
        window_size: u32 = 100, tag 2, always, within WINDOW;
        /// Calls the window must hold before the breaker judges (at most the window's size,
        /// for a count window).
        minimum_calls: u32 = 100, tag 3, always, within MINIMUM_CALLS;
        /// Opens when at least this percentage of the window's calls failed.
        failure_rate_percent: f64 = 50.0, tag 4, always;
        /// Opens when at least this percentage of them were slow.
        slow_call_rate_percent: f64 = 100.0, tag 5, changed;
        /// A call taking this long or longer is slow.
        slow_call_ms: f64 = 60_000.0, tag 6, changed;
        /// How long it stays open before it lets trial calls through.
        open_ms: f64 = 60_000.0, tag 7, always;
        /// Trial calls it lets through half-open; their outcomes decide.
        half_open_calls: u32 = 10, tag 8, always, within HALF_OPEN_CALLS;
    }
}

settings! {
    /// Hedged requests: when a call's answer has not come within a delay, a second attempt
    /// leaves along the same edge; the first good answer wins, and the other attempt is given
    /// up (its callee is not told: its work is wasted, and counted).
    pub struct HedgePolicy as "hedge" {
        /// How long to wait before hedging.
        delay_ms: f64 = 10.0, tag 1, always;
        /// Hedge at the p95 of the edge's answer times seen so far instead, once a hundred
        /// have come back (`delay_ms` until then).
        at_p95: bool = false, tag 2, changed;
    }
}

/// The calls or seconds all breakers' windows may hold together: each is a cell of 12 bytes
/// kept for the run, and a link may put a breaker with the largest window on each of 2,000
/// edges (240 MB).
pub const BREAKER_CELLS: Bound = Bound::new(
    0.0,
    1_000_000.0,
    "the windows of all breakers are held in memory together: a million calls or seconds",
);

/// The edges that may hedge at their p95: each keeps a histogram of its answer times (30 KB).
pub const P95_HEDGES: Bound = Bound::new(
    0.0,
    100.0,
    "each keeps a histogram of 30 KB of its answer times for the run",
);

/// What all the edges' policies hold together stays within [`BREAKER_CELLS`] and
/// [`P95_HEDGES`]; the first edge past either is named.
pub(crate) fn check_memory(scenario: &super::Scenario, out: &mut super::validate::Findings) {
    let (mut cells, mut p95) = (0.0, 0.0);
    let mut cells_named = false;
    let mut p95_named = false;
    for e in &scenario.edges {
        let target = || super::Target::Edge {
            from: e.from.clone(),
            to: e.to.clone(),
        };
        if let Some(b) = &e.breaker {
            cells += f64::from(b.window_size);
            if !cells_named && !BREAKER_CELLS.holds(cells) {
                cells_named = true;
                let why = BREAKER_CELLS.refusal("the breakers' windows together", cells);
                out.error("out_of_bounds", target(), Some("breaker.window_size"), why);
            }
        }
        if e.hedge.as_ref().is_some_and(|h| h.at_p95) {
            p95 += 1.0;
            if !p95_named && !P95_HEDGES.holds(p95) {
                p95_named = true;
                let why = P95_HEDGES.refusal("edges hedging at their p95", p95);
                out.error("out_of_bounds", target(), Some("hedge.at_p95"), why);
            }
        }
    }
}

/// A problem with a policy: the field (as `retry.base_ms`) and what is wrong.
pub type Problem = (String, String);

impl RetryPolicy {
    /// What is wrong with the policy, each naming its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = named("retry", self.bound_problems());
        let mut refuse = |field: &str, message: &str| {
            out.push((format!("retry.{field}"), message.to_string()));
        };
        if !valid_ms(self.base_ms) {
            refuse(
                "base_ms",
                "the wait must be a number of milliseconds from 0 to a day",
            );
        }
        if !valid_ms(self.cap_ms) || self.cap_ms < self.base_ms {
            refuse(
                "cap_ms",
                "the cap must be a number of milliseconds from the base wait to a day",
            );
        }
        for name in &self.retry_on {
            if !Outcome::ALL.iter().any(|o| o.name() == name) || name == "ok" {
                let known: Vec<&str> = Outcome::ALL[1..].iter().map(|o| o.name()).collect();
                refuse(
                    "retry_on",
                    &format!(
                        "`{name}` is not an outcome; retry one of {}",
                        known.join(", ")
                    ),
                );
            }
        }
        let mut seen = self.retry_on.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.retry_on.len() {
            refuse("retry_on", "each outcome is named at most once");
        }
        if let Some(p) = self.budget_percent {
            if !(p.is_finite() && (0.0..=100.0).contains(&p)) {
                refuse(
                    "budget_percent",
                    "the budget is a percentage from 0 to 100 of the calls in progress",
                );
            }
            if self.token_bucket.is_some() {
                refuse(
                    "token_bucket",
                    "a retry budget or a token bucket, not both: remove one",
                );
            }
        }
        let tokens = self.token_bucket.unwrap_or(TOKENS.most);
        if !(self.token_refill.is_finite() && (0.0..=tokens).contains(&self.token_refill)) {
            refuse(
                "token_refill",
                "a success puts back from 0 tokens to the bucket's size",
            );
        }
        out
    }

    /// True if an attempt that ended with `outcome` is tried again.
    pub fn retries(&self, outcome: Outcome) -> bool {
        self.retry_on.iter().any(|name| name == outcome.name())
    }
}

impl BreakerPolicy {
    /// What is wrong with the policy, each naming its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = named("breaker", self.bound_problems());
        let mut refuse = |field: &str, message: &str| {
            out.push((format!("breaker.{field}"), message.to_string()));
        };
        let percent = |p: f64| p.is_finite() && p > 0.0 && p <= 100.0;
        if !percent(self.failure_rate_percent) {
            refuse(
                "failure_rate_percent",
                "the failure rate that opens it is a percentage above 0, at most 100",
            );
        }
        if !percent(self.slow_call_rate_percent) {
            refuse(
                "slow_call_rate_percent",
                "the slow-call rate that opens it is a percentage above 0, at most 100",
            );
        }
        for (field, value) in [
            ("slow_call_ms", self.slow_call_ms),
            ("open_ms", self.open_ms),
        ] {
            if !(valid_ms(value) && value > 0.0) {
                refuse(field, "a number of milliseconds above 0, at most a day");
            }
        }
        out
    }
}

impl HedgePolicy {
    /// What is wrong with the policy, each naming its field.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = named("hedge", self.bound_problems());
        if !(valid_ms(self.delay_ms) && self.delay_ms > 0.0) {
            out.push((
                "hedge.delay_ms".into(),
                "the delay is a number of milliseconds above 0, at most a day".into(),
            ));
        }
        out
    }
}

fn named(policy: &str, problems: Vec<(&'static str, String)>) -> Vec<Problem> {
    problems
        .into_iter()
        .map(|(field, message)| (format!("{policy}.{field}"), message))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{compact, parse, FromJson, ToJson};

    #[test]
    fn a_policy_reads_back_from_what_it_writes_and_defaults_are_left_out() {
        let retry = RetryPolicy {
            jitter: Jitter::Decorrelated,
            budget_percent: Some(20.0),
            ..RetryPolicy::default()
        };
        let text = compact(&retry.to_tree());
        assert_eq!(
            text,
            r#"{"max_attempts":3,"backoff":"exponential","base_ms":100.0,"jitter":"decorrelated","budget_percent":20.0}"#
        );
        assert_eq!(RetryPolicy::from_tree(&parse(&text).unwrap()), Ok(retry));
        let breaker = BreakerPolicy::from_tree(&parse("{}").unwrap()).unwrap();
        assert_eq!(breaker, BreakerPolicy::default());
        assert_eq!(
            (breaker.window_size, breaker.minimum_calls, breaker.open_ms),
            (100, 100, 60_000.0),
            "Resilience4j's defaults"
        );
    }

    #[test]
    fn an_unknown_choice_is_named_with_the_ones_there_are() {
        let err = RetryPolicy::from_tree(&parse(r#"{"jitter": "wild"}"#).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("wild") && err.contains("decorrelated"),
            "{err}"
        );
    }

    #[test]
    fn every_problem_names_its_field() {
        let retry = RetryPolicy {
            max_attempts: 0,
            base_ms: -1.0,
            retry_on: vec!["ok".into(), "lost".into()],
            budget_percent: Some(120.0),
            token_bucket: Some(5.0),
            token_refill: 9.0,
            ..RetryPolicy::default()
        };
        let fields: Vec<String> = retry.problems().into_iter().map(|(f, _)| f).collect();
        for field in [
            "retry.max_attempts",
            "retry.base_ms",
            "retry.retry_on",
            "retry.budget_percent",
            "retry.token_bucket",
            "retry.token_refill",
        ] {
            assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
        }
        assert!(RetryPolicy::default().problems().is_empty());
        let breaker = BreakerPolicy {
            failure_rate_percent: 0.0,
            open_ms: f64::NAN,
            half_open_calls: 0,
            ..BreakerPolicy::default()
        };
        let fields: Vec<String> = breaker.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "breaker.half_open_calls",
                "breaker.failure_rate_percent",
                "breaker.open_ms"
            ]
        );
        let hedge = HedgePolicy {
            delay_ms: 0.0,
            ..HedgePolicy::default()
        };
        assert_eq!(hedge.problems()[0].0, "hedge.delay_ms");
    }

    #[test]
    fn the_default_retries_what_a_busy_or_failing_callee_answers() {
        let retry = RetryPolicy::default();
        assert!(retry.retries(Outcome::TimedOut));
        assert!(retry.retries(Outcome::FailedError));
        assert!(!retry.retries(Outcome::DeadlineExceeded));
        assert!(!retry.retries(Outcome::Ok));
    }
}
