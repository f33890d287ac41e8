//! Hop traces for a sample of requests: which nodes a request visited, when it arrived, started
//! and left each, and how each visit ended. Sampling is by sequence number, never by drawing
//! random numbers, so tracing cannot change a run. A job is traced when the request that
//! published it is, so a sampled request reads with the background work it caused.

use crate::sim::budget::MAX_TRACE_HOPS;
use crate::sim::events::Outcome;
use crate::sim::frames::{Frame, Request, NONE};
use crate::time::SimTime;

/// The most traces one run keeps.
pub const MAX_TRACES: usize = 100;

/// One visit of a traced request to a node.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    /// Node index.
    pub node: u32,
    /// Reached the node.
    pub arrive: SimTime,
    /// Local work started (after any queue wait).
    pub start: SimTime,
    /// Answered its caller.
    pub leave: SimTime,
    /// How the visit ended.
    pub outcome: Outcome,
}

/// The path of one traced request or job.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The request's (or job's) sequence number.
    pub id: u64,
    /// A background job rather than a client request.
    pub job: bool,
    /// For a job, the sequence number of the request (or job) that published it.
    pub published_by: Option<u64>,
    /// Created.
    pub created: SimTime,
    /// When and how it ended, once it has.
    pub ended: Option<(SimTime, Outcome)>,
    /// Visits, in the order they answered (innermost first); sort by `arrive` to draw.
    pub hops: Vec<Hop>,
}

/// The traces of a run.
#[derive(Clone, Debug, Default)]
pub struct TraceStore {
    every: u64,
    traces: Vec<Trace>,
    /// Hops kept over all traces, at most [`MAX_TRACE_HOPS`]: a traced request fanning out
    /// through a tree of calls keeps its first hops, and no trace opens after the last.
    hops: usize,
}

impl TraceStore {
    /// Keeps one request (and one job) in `every`.
    pub fn new(every: u64) -> Self {
        TraceStore {
            every: every.max(1),
            traces: Vec::new(),
            hops: 0,
        }
    }

    /// A trace slot for a new client request, or [`NONE`] if it is not sampled.
    #[inline]
    pub fn sample(&mut self, id: u64, created: SimTime) -> u32 {
        if id % self.every != 0 {
            return NONE;
        }
        self.open(id, None, created)
    }

    /// A trace slot for a job published by `parent`: traced exactly when the parent is.
    #[inline]
    pub fn sample_job(&mut self, id: u64, parent: &Request, created: SimTime) -> u32 {
        if parent.trace == NONE {
            return NONE;
        }
        self.open(id, Some(parent.id), created)
    }

    fn open(&mut self, id: u64, published_by: Option<u64>, created: SimTime) -> u32 {
        if self.traces.len() >= MAX_TRACES || self.hops >= MAX_TRACE_HOPS {
            return NONE;
        }
        self.traces.push(Trace {
            id,
            job: published_by.is_some(),
            published_by,
            created,
            ended: None,
            hops: Vec::new(),
        });
        (self.traces.len() - 1) as u32
    }

    /// Records a visit as it answers.
    #[inline]
    pub fn record_hop(&mut self, request: &Request, frame: &Frame, now: SimTime, outcome: Outcome) {
        if request.trace != NONE && self.hops < MAX_TRACE_HOPS {
            self.hops += 1;
            self.traces[request.trace as usize].hops.push(Hop {
                node: frame.node,
                arrive: frame.arrived,
                start: frame.started,
                leave: now,
                outcome,
            });
        }
    }

    /// Records how the request ended.
    #[inline]
    pub fn end(&mut self, request: &Request, now: SimTime, outcome: Outcome) {
        if request.trace != NONE {
            self.traces[request.trace as usize].ended = Some((now, outcome));
        }
    }

    /// The traces kept so far.
    pub fn traces(&self) -> &[Trace] {
        &self.traces
    }
}
