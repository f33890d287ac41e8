//! Motions: every trip a request makes along an edge, for a viewer that animates the run.
//!
//! Recording is off unless asked for ([`crate::Simulation::record_motions`]): the command line
//! and the benchmarks pay one predictable branch per hop and nothing else. A motion is written
//! when the trip starts, so a viewer knows where every request in flight is at any instant
//! between its `depart` and `arrive` without asking the engine again.

use super::events::Outcome;
use crate::time::SimTime;

/// Which way a trip goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leg {
    /// A call from a caller to its callee.
    Call,
    /// A later attempt of a call: a retry after its backoff, or a hedge.
    Retry,
    /// An answer travelling back to the caller, carrying its outcome.
    Answer,
    /// A background job published to a message queue: nobody waits for it.
    Publish,
}

/// One trip along an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Motion {
    /// Which way it goes.
    pub leg: Leg,
    /// Node index it leaves.
    pub from: u32,
    /// Node index it reaches.
    pub to: u32,
    /// When it leaves.
    pub depart: SimTime,
    /// When it arrives (equal to `depart` on an edge without latency).
    pub arrive: SimTime,
    /// The request's (or job's) sequence number.
    pub request: u64,
    /// A background job rather than a client request.
    pub job: bool,
    /// Index of the request's trace among [`crate::Simulation::traces`], if it is sampled.
    pub trace: Option<u32>,
    /// For an answer, how the request fared; `Ok` for calls and jobs.
    pub outcome: Outcome,
    /// For an answer, the node that decided the outcome (the callee itself when it answered
    /// from its own data, as a cache hit does); `from` otherwise.
    pub origin: u32,
}

impl Motion {
    /// True for an answer whose outcome was decided by the node it leaves: the request was
    /// refused or timed out right there, or answered from there.
    pub fn decided_here(&self) -> bool {
        self.leg == Leg::Answer && self.origin == self.from
    }
}
