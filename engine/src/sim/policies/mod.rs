//! The policies that act where a call's answer returns: retries, circuit breakers and hedged
//! requests (scenario/policies.rs declares them). Like the timeout and the bulkhead they sit on
//! the edge and no kind knows of them: `Ctx::forward` asks [`Core::admit_call`] as a call
//! leaves, the dispatcher asks [`Core::settle`] before an answer (or a timeout) reaches its
//! caller, and two events of their own carry the rest (`Retry`, a backoff's end; `Hedge`, a
//! hedging delay's end).
//!
//! A call keeps its slot (sim/calls.rs) through all its attempts, so its caller sees one call
//! and one answer whatever happens on the way: each retry renews the slot's generation, so the
//! answer of an attempt given up is recognised as late and ignored, and its work as wasted. A
//! hedge takes a second slot for the same caller, twinned with the first; the first good
//! answer wins and the other attempt is given up.

pub mod breaker;
pub mod retry;

use self::breaker::Breaker;
use self::retry::{Budget, Retry};
use super::calls::{CallId, NO_CALL};
use super::core::Core;
use super::events::{Event, Outcome, Status};
use crate::metrics::Histogram;
use crate::random::Stream;
use crate::scenario::{HedgePolicy, Scenario};
use crate::time::{from_ms, SimTime};

/// The answers an edge must have seen before a p95 hedge trusts their p95.
const P95_SAMPLES: u64 = 100;

/// One edge's answer policies, compiled.
#[derive(Debug)]
pub(crate) struct EdgePolicies {
    pub(crate) retry: Option<Retry>,
    pub(crate) budget: Budget,
    pub(crate) breaker: Option<Breaker>,
    hedge: Option<Hedge>,
    /// The edge's own stream for jitter, from (seed, edge, purpose): adding a policy
    /// elsewhere reshuffles nothing here.
    jitter: Stream,
}

#[derive(Debug)]
struct Hedge {
    delay: SimTime,
    /// The times ok answers took, for a p95 hedge.
    times: Option<Histogram>,
}

impl Hedge {
    fn new(policy: &HedgePolicy) -> Self {
        Hedge {
            delay: from_ms(policy.delay_ms),
            times: policy.at_p95.then(Histogram::default),
        }
    }

    fn delay(&self) -> SimTime {
        match &self.times {
            Some(times) if times.count() >= P95_SAMPLES => times.quantile(0.95).max(1),
            _ => self.delay,
        }
    }
}

/// What the policies keep about the call out in one slot.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    /// The call (slot and generation) this is about: an entry naming an older generation is
    /// stale, left by a call before.
    call: CallId,
    edge: u32,
    /// Attempts made so far (a hedge's counts with its twin's).
    made: u32,
    /// Let retry by the budget.
    retrying: bool,
    /// This slot is a hedge's second attempt.
    hedge: bool,
    /// The other attempt of a hedged call, or `NO_CALL`.
    twin: CallId,
    /// The breaker's epoch when it let the call through, if the edge has a breaker.
    epoch: Option<u32>,
    /// When the call's first attempt left (what its breaker times).
    began: SimTime,
    /// When this attempt left (what a p95 hedge times).
    sent: SimTime,
    /// The wait before the latest retry (decorrelated jitter grows from it).
    wait: SimTime,
    /// The latest attempt's failure.
    last: Status,
}

/// What the dispatcher does with an answer the policies have seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Settled {
    /// It goes to the caller.
    Deliver,
    /// It stops here: a retry is under way, or the hedged twin is still out.
    Kept,
}

/// The run's answer policies and what they keep per call.
#[derive(Debug, Default)]
pub(crate) struct Policies {
    /// True if any edge has one: the one check where an answer returns.
    pub(crate) any: bool,
    /// Per edge (topology order); `None` for an edge without any.
    pub(crate) edges: Vec<Option<EdgePolicies>>,
    /// Per call slot.
    attempts: Vec<Attempt>,
}

impl Policies {
    /// Compiles the answer policies of `scenario`'s edges, `order[i]` being the topology
    /// index of its `i`-th edge.
    pub(crate) fn compile(scenario: &Scenario, order: &[u32]) -> Self {
        let mut edges: Vec<Option<EdgePolicies>> =
            (0..scenario.edges.len()).map(|_| None).collect();
        for (e, &at) in scenario.edges.iter().zip(order) {
            if !e.has_answer_policy() {
                continue;
            }
            let id = format!("{}->{}", e.from, e.to);
            edges[at as usize] = Some(EdgePolicies {
                retry: e.retry.as_ref().map(Retry::new),
                budget: e.retry.as_ref().map_or(Budget::Unlimited, Budget::new),
                breaker: e.breaker.as_ref().map(Breaker::new),
                hedge: e.hedge.as_ref().map(Hedge::new),
                jitter: Stream::for_purpose(scenario.seed, &id, "retry jitter"),
            });
        }
        Policies {
            any: edges.iter().any(Option::is_some),
            edges,
            attempts: Vec::new(),
        }
    }

    /// The breaker on topology edge `edge`, if it has one.
    pub(crate) fn breaker(&self, edge: u32) -> Option<&Breaker> {
        self.edges.get(edge as usize)?.as_ref()?.breaker.as_ref()
    }

    /// True if any edge retries.
    pub(crate) fn retries_anywhere(&self) -> bool {
        self.edges.iter().flatten().any(|p| p.retry.is_some())
    }

    /// True if any edge has a breaker.
    pub(crate) fn breakers_anywhere(&self) -> bool {
        self.edges.iter().flatten().any(|p| p.breaker.is_some())
    }

    /// True if topology edge `edge` retries (`hedges`: hedges).
    pub(crate) fn edge_has(&self, edge: u32, hedges: bool) -> bool {
        self.edges
            .get(edge as usize)
            .and_then(Option::as_ref)
            .is_some_and(|p| {
                if hedges {
                    p.hedge.is_some()
                } else {
                    p.retry.is_some()
                }
            })
    }

    /// How many breakers are not closed now.
    pub(crate) fn breakers_open(&self) -> u64 {
        let open = |p: &EdgePolicies| {
            p.breaker
                .as_ref()
                .is_some_and(|b| b.state() != breaker::BreakerState::Closed)
        };
        self.edges.iter().flatten().filter(|p| open(p)).count() as u64
    }

    /// The edge whose policies `call` is under, if any.
    pub(crate) fn edge_of(&self, call: CallId) -> Option<u32> {
        self.attempt(call).map(|a| a.edge)
    }

    fn attempt(&self, call: CallId) -> Option<&Attempt> {
        self.attempts
            .get(call.slot as usize)
            .filter(|a| a.call == call)
    }

    fn keep(&mut self, attempt: Attempt) {
        let slot = attempt.call.slot as usize;
        if self.attempts.len() <= slot {
            let blank = Attempt {
                call: NO_CALL,
                ..attempt
            };
            self.attempts.resize(slot + 1, blank);
        }
        self.attempts[slot] = attempt;
    }

    fn forget(&mut self, call: CallId) {
        if let Some(a) = self.attempts.get_mut(call.slot as usize) {
            if a.call == call {
                a.call = NO_CALL;
            }
        }
    }
}

impl Core {
    /// A call leaves along `edge`, which has answer policies, from `node`: its breaker lets
    /// it through or refuses it (`Some(CircuitOpen)`, and it goes no further); let through,
    /// the call is remembered for its retries, its breaker and its hedge.
    #[cold]
    #[inline(never)]
    pub(crate) fn admit_call(&mut self, edge: u32, call: CallId) -> Option<Outcome> {
        let now = self.now;
        // An edge without answer policies refuses nothing.
        let p = self.policy.edges[edge as usize].as_mut()?;
        let epoch = match p.breaker.as_mut().map(|b| b.admit(now)) {
            Some(None) => return Some(Outcome::CircuitOpen),
            Some(Some(epoch)) => Some(epoch),
            None => None,
        };
        p.budget.call_begins();
        if let Some(h) = &p.hedge {
            self.queue
                .push(now.saturating_add(h.delay()), Event::Hedge { call });
        }
        let base = p.retry.as_ref().map_or(0, Retry::base);
        self.policy.keep(Attempt {
            call,
            edge,
            made: 1,
            retrying: false,
            hedge: false,
            twin: NO_CALL,
            epoch,
            began: now,
            sent: now,
            wait: base,
            last: Status {
                outcome: Outcome::Ok,
                origin: u32::MAX,
            },
        });
        None
    }

    /// An attempt of `call` ended with `status` (an answer, or its timeout): decides whether
    /// the caller hears of it now. A failure the edge retries (attempts and budget
    /// permitting, the request's deadline not passed) starts a backoff and is kept; a failed
    /// attempt of a hedged call whose twin is still out is dropped; the first good answer of
    /// a hedged call gives its twin up. What the caller hears is recorded by the breaker.
    /// The call's slot is still out; a kept attempt's slot has been renewed or freed.
    #[cold]
    #[inline(never)]
    pub(crate) fn settle(&mut self, call: CallId, status: Status, caller_node: u32) -> Settled {
        let Some(&attempt) = self.policy.attempt(call) else {
            return Settled::Deliver;
        };
        if attempt.twin != NO_CALL && self.calls.caller(attempt.twin).is_some() {
            if status.outcome != Outcome::Ok {
                // The other attempt may still answer well: this one is dropped.
                self.policy.forget(call);
                self.leave_bulkhead(call);
                self.calls.give_up(call);
                self.untwin(attempt.twin);
                return Settled::Kept;
            }
            // The first good answer: the other attempt is given up, its work wasted.
            self.note_give_up();
            self.leave_bulkhead(attempt.twin);
            self.calls.give_up(attempt.twin);
            self.policy.forget(attempt.twin);
            if attempt.hedge && self.measured(call) {
                self.stats[caller_node as usize].hedges_won += 1;
            }
        }
        if status.outcome != Outcome::Ok && self.retry_after(attempt, status) {
            return Settled::Kept;
        }
        self.conclude(call, status);
        Settled::Deliver
    }

    /// The caller of `call` hears `status` now: the call ends for its budget, its breaker
    /// and its hedge's answer times.
    pub(crate) fn conclude(&mut self, call: CallId, status: Status) {
        let Some(&attempt) = self.policy.attempt(call) else {
            return;
        };
        self.policy.forget(call);
        let now = self.now;
        let Some(p) = self.policy.edges[attempt.edge as usize].as_mut() else {
            return;
        };
        let ok = status.outcome == Outcome::Ok;
        p.budget.call_ends(ok, attempt.retrying);
        if let (Some(b), Some(epoch)) = (p.breaker.as_mut(), attempt.epoch) {
            b.record(epoch, now, !ok, now - attempt.began);
        }
        if let Some(times) = p.hedge.as_mut().and_then(|h| h.times.as_mut()) {
            if ok {
                times.record(now - attempt.sent);
            }
        }
    }

    /// True if `call`, still out, is on behalf of a measured request.
    fn measured(&self, call: CallId) -> bool {
        self.calls
            .caller(call)
            .is_some_and(|frame| self.requests[self.frames[frame].request].measured)
    }

    /// Starts the backoff before the next attempt of a call whose attempt failed with
    /// `status`, if its edge retries that and may: true then.
    fn retry_after(&mut self, attempt: Attempt, status: Status) -> bool {
        let now = self.now;
        let Some(p) = self.policy.edges[attempt.edge as usize].as_mut() else {
            return false;
        };
        let Some(retry) = &p.retry else {
            return false;
        };
        if !retry.retries(status.outcome) || attempt.made >= retry.max_attempts {
            return false;
        }
        let request = self
            .calls
            .caller(attempt.call)
            .map(|frame| self.frames[frame].request);
        if request.is_some_and(|r| self.requests[r].deadline <= now) {
            return false; // no attempt can make a deadline that has passed
        }
        if !p.budget.allows(attempt.retrying) {
            self.totals.retries_refused += 1;
            return false;
        }
        let wait = retry.wait(attempt.made, attempt.wait, &mut p.jitter);
        self.leave_bulkhead(attempt.call);
        let next = self.calls.renew(attempt.call);
        self.policy.keep(Attempt {
            call: next,
            made: attempt.made + 1,
            retrying: true,
            wait,
            last: status,
            ..attempt
        });
        self.queue
            .push(now.saturating_add(wait), Event::Retry { call: next });
        true
    }

    /// Counts a retry of `request` leaving `node` now: per node and in all for measured
    /// requests, and in the current window (where the charts show when attempts left).
    pub(crate) fn count_retry(&mut self, node: u32, request: u32) {
        if self.requests[request].measured {
            self.stats[node as usize].retries += 1;
            self.totals.retries += 1;
        }
        self.series.record_retry();
    }

    /// The status the caller of `call`, kept through a backoff, hears if the retry cannot
    /// go (its caller has answered meanwhile): the latest attempt's failure.
    pub(crate) fn last_failure(&self, call: CallId) -> Status {
        self.policy.attempt(call).map_or(
            Status {
                outcome: Outcome::FailedError,
                origin: u32::MAX,
            },
            |a| a.last,
        )
    }

    /// The twin of a hedged call no longer has a twin.
    fn untwin(&mut self, call: CallId) {
        if let Some(a) = self.policy.attempt(call).copied() {
            self.policy.keep(Attempt { twin: NO_CALL, ..a });
        }
    }

    /// The hedge of `call` (its delay passed without an answer) leaves: a second slot for
    /// the same caller, twinned with the first. Returns it, or `None` if the call was hedged
    /// already.
    pub(crate) fn open_hedge(&mut self, call: CallId, caller: u32) -> Option<CallId> {
        let first = *self.policy.attempt(call)?;
        if first.twin != NO_CALL {
            return None;
        }
        let hedge = self.calls.open(caller);
        let now = self.now;
        self.policy.keep(Attempt {
            twin: hedge,
            ..first
        });
        self.policy.keep(Attempt {
            call: hedge,
            hedge: true,
            twin: call,
            made: first.made + 1,
            sent: now,
            ..first
        });
        Some(hedge)
    }
}
