//! Worker: consumes jobs from one message queue, `concurrency` at a time. Each job takes its
//! processing time, then the worker calls its dependencies (a database it writes to, say) in
//! order, then acknowledges the job to the queue.

use super::calls::call_next;
use crate::distributions::{Duration, Sampler};
use crate::json::{Fields, FromJson, Json, ReadError, ToJson};
use crate::sim::context::Ctx;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::WORKING;

/// A worker's capacity and speed.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerConfig {
    /// Jobs processed in parallel.
    pub concurrency: u32,
    /// Processing time per job.
    pub service_time: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            concurrency: 2,
            service_time: Duration::exponential(20.0),
        }
    }
}

/// Fields left out take their defaults.
impl FromJson for WorkerConfig {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["concurrency", "service_time"])?;
        let d = WorkerConfig::default();
        Ok(WorkerConfig {
            concurrency: f.or("concurrency", d.concurrency)?,
            service_time: f.or("service_time", d.service_time)?,
        })
    }
}

impl ToJson for WorkerConfig {
    fn to_tree(&self) -> Json {
        Json::object([
            ("concurrency", self.concurrency.to_tree()),
            ("service_time", self.service_time.to_tree()),
        ])
    }
}

impl WorkerConfig {
    /// Problems with the values, as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.concurrency == 0 {
            out.push((
                "concurrency",
                "a worker needs to process at least one job at a time".into(),
            ));
        }
        if let Some(p) = self.service_time.problem() {
            out.push(("service_time", p.into()));
        }
        out
    }
}

/// The runtime state of a worker.
pub struct Worker {
    work: Sampler,
    calls: Vec<u16>,
    busy: u32,
}

impl Worker {
    pub(crate) fn new(config: &WorkerConfig, calls: Vec<u16>) -> Self {
        Worker {
            work: config.service_time.sampler(),
            calls,
            busy: 0,
        }
    }

    pub(crate) fn on_arrive(&mut self, ctx: &mut Ctx, frame: u32) {
        // The queue only sends a job when a slot is free, so there is no waiting here.
        self.busy += 1;
        ctx.set_levels(self.busy, 0);
        let duration = self.work.sample(ctx.rng());
        ctx.start_work(frame, duration);
    }

    pub(crate) fn on_work_done(&mut self, ctx: &mut Ctx, frame: u32) {
        ctx.unpin(frame, WORKING);
        self.call_or_ack(ctx, frame);
    }

    pub(crate) fn on_response(&mut self, ctx: &mut Ctx, frame: u32, status: Status) {
        if status.outcome == Outcome::Ok {
            self.call_or_ack(ctx, frame);
        } else {
            self.ack(ctx, frame, status);
        }
    }

    fn call_or_ack(&mut self, ctx: &mut Ctx, frame: u32) {
        if !call_next(ctx, frame, &self.calls) {
            let status = ctx.status(Outcome::Ok);
            self.ack(ctx, frame, status);
        }
    }

    fn ack(&mut self, ctx: &mut Ctx, frame: u32, status: Status) {
        self.busy -= 1;
        ctx.set_levels(self.busy, 0);
        ctx.respond(frame, status);
    }
}
