//! A retry policy compiled for the run: which outcomes it retries, how long it waits before
//! each retry (backoff and jitter), and the budget that caps how many retries may be under
//! way at once.

use crate::random::Stream;
use crate::scenario::{Backoff, Jitter, RetryPolicy};
use crate::sim::events::Outcome;
use crate::time::{from_ms, SimTime};

/// A retry policy as the engine applies it.
#[derive(Clone, Debug)]
pub struct Retry {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    backoff: Backoff,
    jitter: Jitter,
    base: SimTime,
    cap: SimTime,
    /// The outcomes retried, one bit per outcome code.
    retried: u32,
}

impl Retry {
    /// Compiles a validated policy.
    pub fn new(policy: &RetryPolicy) -> Self {
        let retried = Outcome::ALL
            .iter()
            .filter(|&&o| policy.retries(o))
            .fold(0, |bits, &o| bits | 1 << o as u32);
        Retry {
            max_attempts: policy.max_attempts.max(1),
            backoff: policy.backoff,
            jitter: policy.jitter,
            base: from_ms(policy.base_ms),
            cap: from_ms(policy.cap_ms).max(from_ms(policy.base_ms)),
            retried,
        }
    }

    /// True if an attempt that ended with `outcome` is tried again.
    #[inline]
    pub fn retries(&self, outcome: Outcome) -> bool {
        self.retried & (1 << outcome as u32) != 0
    }

    /// The backoff before retry number `retry` (1 for the first) without jitter: the base,
    /// or the base doubled `retry - 1` times, never past the cap.
    pub fn backoff(&self, retry: u32) -> SimTime {
        match self.backoff {
            Backoff::Constant => self.base,
            Backoff::Exponential => {
                let doublings = retry.saturating_sub(1).min(63);
                self.base
                    .checked_mul(1u64 << doublings)
                    .map_or(self.cap, |w| w.min(self.cap))
            }
        }
    }

    /// The wait before retry number `retry`, jittered; `previous` is the wait before the
    /// retry before it (the base for the first), which decorrelated jitter grows from.
    pub fn wait(&self, retry: u32, previous: SimTime, rng: &mut Stream) -> SimTime {
        let w = self.backoff(retry);
        match self.jitter {
            Jitter::None => w,
            Jitter::Full => uniform(rng, 0, w),
            Jitter::Equal => w / 2 + uniform(rng, 0, w - w / 2),
            Jitter::Decorrelated => {
                let high = previous.max(self.base).saturating_mul(3);
                uniform(rng, self.base, high).min(self.cap)
            }
        }
    }

    /// The wait a first retry grows from.
    pub fn base(&self) -> SimTime {
        self.base
    }
}

/// Uniform in [low, high].
fn uniform(rng: &mut Stream, low: SimTime, high: SimTime) -> SimTime {
    if high <= low {
        return low;
    }
    low + ((high - low) as f64 * rng.open01()) as SimTime
}

/// What caps the retries along one edge.
#[derive(Clone, Debug, PartialEq)]
pub enum Budget {
    /// Nothing: every retryable failure is retried, up to the attempts.
    Unlimited,
    /// Envoy's retry budget: the calls retrying at most `share` of the calls in progress,
    /// and always at least `floor` of them.
    Share {
        /// The fraction of the calls in progress.
        share: f64,
        /// Retrying calls always allowed.
        floor: u32,
        /// Calls along the edge in progress now (from their first attempt to their answer).
        active: u32,
        /// Of them, those retrying now (waiting out a backoff, or with a retry out).
        retrying: u32,
    },
    /// A token bucket: a retry spends a token; a success puts some back.
    Tokens {
        /// The bucket's size.
        size: f64,
        /// Put back per success.
        refill: f64,
        /// In the bucket now.
        tokens: f64,
    },
}

impl Budget {
    /// The budget a policy declares, full.
    pub fn new(policy: &RetryPolicy) -> Self {
        if let Some(percent) = policy.budget_percent {
            Budget::Share {
                share: percent / 100.0,
                floor: policy.budget_min_retries,
                active: 0,
                retrying: 0,
            }
        } else if let Some(size) = policy.token_bucket {
            Budget::Tokens {
                size,
                refill: policy.token_refill,
                tokens: size,
            }
        } else {
            Budget::Unlimited
        }
    }

    /// A call along the edge begins.
    pub fn call_begins(&mut self) {
        if let Budget::Share { active, .. } = self {
            *active += 1;
        }
    }

    /// A call along the edge ends (its caller hears), ok or not; `was_retrying` if it had
    /// been let retry.
    pub fn call_ends(&mut self, ok: bool, was_retrying: bool) {
        match self {
            Budget::Unlimited => {}
            Budget::Share {
                active, retrying, ..
            } => {
                *active -= 1;
                *retrying -= u32::from(was_retrying);
            }
            Budget::Tokens {
                size,
                refill,
                tokens,
            } => {
                if ok {
                    *tokens = (*tokens + *refill).min(*size);
                }
            }
        }
    }

    /// Asks to retry a call; `already` if the call is retrying already (its place in a
    /// share is taken). True if the budget allows it, which it then spends.
    pub fn allows(&mut self, already: bool) -> bool {
        match self {
            Budget::Unlimited => true,
            Budget::Share {
                share,
                floor,
                active,
                retrying,
            } => {
                if already {
                    return true;
                }
                let allowed = (*share * f64::from(*active)).max(f64::from(*floor));
                let ok = f64::from(*retrying + 1) <= allowed;
                *retrying += u32::from(ok);
                ok
            }
            Budget::Tokens { tokens, .. } => {
                let ok = *tokens >= 1.0;
                if ok {
                    *tokens -= 1.0;
                }
                ok
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: SimTime = 1_000_000;

    fn retry(backoff: Backoff, jitter: Jitter) -> Retry {
        Retry::new(&RetryPolicy {
            backoff,
            jitter,
            base_ms: 100.0,
            cap_ms: 1_000.0,
            ..RetryPolicy::default()
        })
    }

    #[test]
    fn exponential_backoff_doubles_up_to_its_cap_and_constant_does_not_grow() {
        let r = retry(Backoff::Exponential, Jitter::None);
        let waits: Vec<SimTime> = (1..=6).map(|n| r.backoff(n) / MS).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1_000, 1_000]);
        assert_eq!(r.backoff(200), 1_000 * MS, "no overflow far out");
        let c = retry(Backoff::Constant, Jitter::None);
        assert_eq!(c.backoff(5), 100 * MS);
    }

    /// The share of `n` draws of the wait before retry `retry` that fall at or below each
    /// of `points`, against the formula's CDF at each.
    fn cdf_gap(
        r: &Retry,
        retry: u32,
        previous: SimTime,
        cdf: impl Fn(f64) -> f64,
        points: &[f64],
    ) -> f64 {
        let mut rng = Stream::from_seed(42);
        let n = 40_000;
        let waits: Vec<f64> = (0..n)
            .map(|_| r.wait(retry, previous, &mut rng) as f64 / MS as f64)
            .collect();
        points
            .iter()
            .map(|&x| {
                let seen = waits.iter().filter(|&&w| w <= x).count() as f64 / n as f64;
                (seen - cdf(x)).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn each_jitter_draws_its_waits_from_its_formula() {
        // Retry 3 of an exponential backoff: w = 400 ms.
        let points: Vec<f64> = (0..=12).map(|i| f64::from(i) * 50.0).collect();
        let clamp = |x: f64| x.clamp(0.0, 1.0);
        let full = retry(Backoff::Exponential, Jitter::Full);
        assert!(cdf_gap(&full, 3, 0, |x| clamp(x / 400.0), &points) < 0.01);
        let equal = retry(Backoff::Exponential, Jitter::Equal);
        let equal_cdf = |x: f64| clamp((x - 200.0) / 200.0);
        assert!(cdf_gap(&equal, 3, 0, equal_cdf, &points) < 0.01);
        // Decorrelated after a previous wait of 300 ms: uniform in [100, 900], then capped at
        // 1 s (not reached); after 500 ms: uniform in [100, 1500], capped: P(= 1 s) = 5/14.
        let dec = retry(Backoff::Exponential, Jitter::Decorrelated);
        let dec_cdf = |x: f64| clamp((x - 100.0) / 800.0);
        let points: Vec<f64> = (0..=20).map(|i| f64::from(i) * 50.0).collect();
        assert!(cdf_gap(&dec, 3, 300 * MS, dec_cdf, &points) < 0.01);
        let capped = |x: f64| {
            if x >= 1_000.0 {
                1.0
            } else {
                clamp((x - 100.0) / 1_400.0)
            }
        };
        assert!(cdf_gap(&dec, 3, 500 * MS, capped, &points) < 0.01);
        let none = retry(Backoff::Exponential, Jitter::None);
        assert_eq!(none.wait(3, 0, &mut Stream::from_seed(1)), 400 * MS);
    }

    #[test]
    fn a_share_budget_allows_its_share_of_the_calls_in_progress_and_never_less_than_its_floor() {
        let mut b = Budget::Share {
            share: 0.2,
            floor: 2,
            active: 0,
            retrying: 0,
        };
        for _ in 0..20 {
            b.call_begins();
        }
        // 20% of 20 calls: 4 may retry at once.
        let allowed: Vec<bool> = (0..6).map(|_| b.allows(false)).collect();
        assert_eq!(allowed, [true, true, true, true, false, false]);
        assert!(b.allows(true), "a call retrying already keeps its place");
        // Sixteen calls end, none of them retrying: 4 left, all retrying; the floor is 2.
        for _ in 0..16 {
            b.call_ends(true, false);
        }
        assert!(!b.allows(false));
        for _ in 0..3 {
            b.call_ends(false, true);
        }
        assert!(b.allows(false), "1 retrying, 2 allowed by the floor");
    }

    #[test]
    fn a_token_bucket_spends_a_token_per_retry_and_refills_on_success() {
        let mut b = Budget::Tokens {
            size: 2.0,
            refill: 0.5,
            tokens: 2.0,
        };
        assert!(b.allows(false) && b.allows(true));
        assert!(!b.allows(false), "empty");
        b.call_ends(true, false);
        assert!(!b.allows(false), "half a token");
        b.call_ends(true, false);
        assert!(b.allows(false));
        for _ in 0..10 {
            b.call_ends(true, false);
        }
        assert_eq!(
            b,
            Budget::Tokens {
                size: 2.0,
                refill: 0.5,
                tokens: 2.0
            },
            "never past its size"
        );
    }

    #[test]
    fn it_retries_only_what_it_names() {
        let r = Retry::new(&RetryPolicy {
            retry_on: vec!["failed_error".into()],
            ..RetryPolicy::default()
        });
        assert!(r.retries(Outcome::FailedError));
        assert!(!r.retries(Outcome::TimedOut));
    }
}
