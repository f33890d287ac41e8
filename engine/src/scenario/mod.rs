//! The scenario document: the single source of truth that the editor edits, links and files
//! carry, and the simulator runs. Plain data, read and written as JSON by `parse`; [`validate()`]
//! says what is wrong with it.

pub mod faults;
mod parse;
pub mod policies;
pub mod validate;

use crate::bounds::Bound;
use crate::components::settings::settings;
use crate::components::Component;

pub use faults::{Fault, FaultKind, FaultTarget};
pub use parse::{from_json, ParseError, TooLargeToSave, MAX_TEXT_BYTES};
pub use policies::{Backoff, BreakerPolicy, BreakerWindow, HedgePolicy, Jitter, RetryPolicy};
pub use validate::{validate, Diagnostic, Severity, Target};

/// The format version this engine reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The most nodes a scenario may have (links and files are capped alike).
pub const MAX_NODES: usize = 500;
/// The most edges a scenario may have.
pub const MAX_EDGES: usize = 2_000;

/// A whole architecture plus the run to perform on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Format version; see [`FORMAT_VERSION`].
    pub version: u32,
    /// A short title.
    pub name: String,
    /// What the scenario shows, for the examples menu.
    pub description: String,
    /// The run's seed: the same scenario and seed give the same run everywhere.
    pub seed: u64,
    /// How long to run and what to measure.
    pub run: RunSpec,
    /// The components.
    pub nodes: Vec<Node>,
    /// Who calls whom.
    pub edges: Vec<Edge>,
    /// What breaks, and when (omitted from files and links when empty).
    pub faults: Vec<Fault>,
}

/// One component on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable id, `[a-z0-9_]+`: edges, links and metrics refer to it.
    pub id: String,
    /// What people read on the canvas.
    pub label: String,
    /// Canvas position of the node's top-left corner, in canvas units.
    pub x: f64,
    /// See `x`.
    pub y: f64,
    /// The kind and its configuration.
    pub component: Component,
}

/// A call path from one node to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The calling node's id.
    pub from: String,
    /// The called node's id.
    pub to: String,
    /// One-way network latency; a response comes back at the same cost.
    pub latency_ms: f64,
    /// Share of traffic for a weighted round-robin or weighted random load balancer.
    pub weight: f64,
    /// For a service's or worker's call: the chance that a request makes it (1 = always).
    pub probability: f64,
    /// How long the caller waits for each call's answer, from departure, before it gives up
    /// (`timed_out`); the callee is not told, and the work it goes on doing is wasted.
    pub timeout_ms: Option<f64>,
    /// On a client's edge: how long the request may take in all. It travels with the request:
    /// every hop refuses it once it has passed (`deadline_exceeded`, no work done), and an
    /// answer after it is not goodput. (The client stops waiting only at a `timeout_ms`.)
    pub deadline_ms: Option<f64>,
    /// At most this many calls out along the edge at once; one more fails at once
    /// (`dropped_bulkhead_full`), so a slow callee can hold only these of its caller's workers.
    pub bulkhead: Option<u32>,
    /// Retries of a failed call: attempts, backoff, jitter, what is retried, a budget.
    pub retry: Option<RetryPolicy>,
    /// A circuit breaker on the calls along the edge.
    pub breaker: Option<BreakerPolicy>,
    /// Hedged requests: a second attempt when the first is slow to answer.
    pub hedge: Option<HedgePolicy>,
}

impl Edge {
    /// A plain edge with the given latency.
    pub fn new(from: &str, to: &str, latency_ms: f64) -> Self {
        Edge {
            from: from.into(),
            to: to.into(),
            latency_ms,
            weight: 1.0,
            probability: 1.0,
            timeout_ms: None,
            deadline_ms: None,
            bulkhead: None,
            retry: None,
            breaker: None,
            hedge: None,
        }
    }

    /// True if the edge carries a policy the simulation applies where a call leaves (a
    /// timeout, a deadline, a bulkhead, retries, a breaker, a hedge).
    pub fn has_policy(&self) -> bool {
        self.timeout_ms.is_some()
            || self.deadline_ms.is_some()
            || self.bulkhead.is_some()
            || self.has_answer_policy()
    }

    /// True if the edge has a policy that also acts where an answer returns: retries, a
    /// breaker or a hedge.
    pub fn has_answer_policy(&self) -> bool {
        self.retry.is_some() || self.breaker.is_some() || self.hedge.is_some()
    }
}

/// The longest path a request may take: a request held a thousand hops deep is a loop, and
/// each hop it is held is a frame in memory.
pub const HOPS: Bound = Bound::new(
    1.0,
    1_000.0,
    "a request forwarded a thousand times is looping; every hop is held in memory",
);

/// How rarely a request may be traced (1 in N): any N works, this keeps it a count people type.
pub const TRACE_EVERY: Bound = Bound::new(1.0, 1e9, "one in a billion is as rare as a trace gets");

settings! {
    /// How long a run lasts and how it is measured.
    pub struct RunSpec as "run" {
        /// Stop arrivals after this many client requests, then let the system drain. Always
        /// written, as `null` when absent: left out, it would read back as the default.
        requests: Option<u64> = Some(10_000), tag 1, always;
        /// Or stop the clock at this many simulated seconds.
        duration_s: Option<f64> = None, tag 2, changed;
        /// Requests created before this time are not measured (the system is still filling up).
        warmup_s: f64 = 0.0, tag 3, always;
        /// Width of one time-series window.
        window_s: f64 = 1.0, tag 4, always;
        /// Keep the hop trace of one request in this many.
        trace_every: u64 = 100, tag 5, always, within TRACE_EVERY;
        /// A request forwarded more times than this fails; required when calls can loop.
        hop_limit: Option<u32> = None, tag 6, changed, within HOPS;
    }
}

impl Scenario {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The requests a second its open-loop clients make on average, together (a closed loop's
    /// rate follows the system, so it is left out): what bounds a timed run's work.
    pub fn open_loop_rate_per_s(&self) -> f64 {
        self.nodes
            .iter()
            .filter_map(|n| match &n.component {
                Component::Client(c) if !c.arrival.is_closed_loop() => Some(c.mean_rate_per_s()),
                _ => None,
            })
            .filter(|r| r.is_finite())
            .sum()
    }

    /// The scenario as the JSON text the command-line tool reads, laid out for people (two-space
    /// indents, one field per line).
    pub fn to_json(&self) -> String {
        crate::json::pretty(&crate::json::ToJson::to_tree(self))
    }

    /// The same JSON on one line without spaces: read back exactly as [`Scenario::to_json`]
    /// is, and smaller (a large diagram's indents can be a third of its laid-out text).
    pub fn to_compact_json(&self) -> String {
        crate::json::compact(&crate::json::ToJson::to_tree(self))
    }

    /// The text a save writes (a file, the browser's copy), which [`from_json`] always opens
    /// again: the laid-out JSON when it is within [`MAX_TEXT_BYTES`], else the compact JSON;
    /// refused when even that is over the limit.
    pub fn to_saved_json(&self) -> Result<String, TooLargeToSave> {
        let tree = crate::json::ToJson::to_tree(self);
        let pretty = crate::json::pretty(&tree);
        if pretty.len() <= MAX_TEXT_BYTES {
            return Ok(pretty);
        }
        drop(pretty);
        let compact = crate::json::compact(&tree);
        TooLargeToSave::check(compact.len())?;
        Ok(compact)
    }

    /// Whether the scenario can be saved at all: its compact JSON is within
    /// [`MAX_TEXT_BYTES`]. The editor asks before an edit that makes a large document larger.
    pub fn check_saveable(&self) -> Result<(), TooLargeToSave> {
        TooLargeToSave::check(self.to_compact_json().len())
    }
}
