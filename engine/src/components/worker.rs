//! Worker: consumes jobs from one message queue, `concurrency` at a time. Each job takes its
//! processing time, then the worker calls its dependencies (a database it writes to, say) in
//! order, then acknowledges the job to the queue.

use super::calls::call_next;
use super::settings::settings;
use super::spec::{KindSpec, Limit, Peers, Rules};
use super::station::SERVERS;
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group, Kind};
use crate::distributions::{Duration, Sampler};
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::WORKING;

/// A worker's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "worker",
    title: "Worker",
    group: Group::Compute,
    link_tag: 8,
    outcomes: &[],
    rules: Rules {
        callers: Peers::Only(
            &[Kind::Queue],
            "a worker takes jobs from a message queue; connect the queue to it",
        ),
        max_callers: Some(Limit {
            most: 1,
            code: "worker_fan_in",
            message: "a worker takes jobs from one queue; give each queue its own workers",
        }),
        calls_with_probability: true,
        ..Rules::OPEN
    },
};

settings! {
    /// A worker's capacity and speed.
    pub struct WorkerConfig as "worker" {
        /// Jobs processed in parallel.
        concurrency: u32 = 2, tag 1, always, within SERVERS;
        /// Processing time per job.
        service_time: Duration = Duration::exponential(20.0), tag 2, always;
    }
}

impl Config for WorkerConfig {
    fn problems(&self) -> Vec<(&'static str, String)> {
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

    fn servers(&self) -> u32 {
        self.concurrency
    }
}

/// The runtime state of a worker.
pub struct Worker {
    work: Sampler,
    calls: Vec<u16>,
    busy: u32,
}

impl Behaviour for Worker {
    type Config = WorkerConfig;

    fn build(config: &WorkerConfig, wiring: &Wiring) -> Self {
        Worker::new(config, wiring.links_where(|_| true))
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        // The queue only sends a job when a slot is free, so there is no waiting here.
        self.busy += 1;
        ctx.set_levels(self.busy, 0);
        let duration = self.work.sample(ctx.rng());
        ctx.start_work(frame, duration);
    }

    fn on_work_done<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        ctx.unpin(frame, WORKING);
        self.call_or_ack(ctx, frame);
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        if status.outcome == Outcome::Ok {
            self.call_or_ack(ctx, frame);
        } else {
            self.ack(ctx, frame, status);
        }
    }
}

impl Worker {
    pub(crate) fn new(config: &WorkerConfig, calls: Vec<u16>) -> Self {
        Worker {
            work: config.service_time.sampler(),
            calls,
            busy: 0,
        }
    }

    fn call_or_ack<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if !call_next(ctx, frame, &self.calls) {
            let status = ctx.status(Outcome::Ok);
            self.ack(ctx, frame, status);
        }
    }

    fn ack<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        self.busy -= 1;
        ctx.set_levels(self.busy, 0);
        ctx.respond(frame, status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder, HERE};

    fn worker() -> (Worker, Recorder) {
        let config = WorkerConfig {
            concurrency: 2,
            service_time: Duration::constant(20.0),
        };
        (Worker::new(&config, vec![0, 1]), Recorder::new(2))
    }

    #[test]
    fn a_job_is_worked_then_its_calls_are_made_in_order_then_it_is_acked() {
        let (mut w, mut rec) = worker();
        let a = rec.arrive(&mut w, Ask::write(1));
        rec.at_ms(20.0);
        rec.work_done(&mut w, a);
        rec.answer(&mut w, a, Outcome::Ok);
        rec.answer(&mut w, a, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: a,
                    duration: 20_000_000
                },
                Forwarded { frame: a, link: 0 },
                Forwarded { frame: a, link: 1 },
                Levels { busy: 0, queued: 0 },
                Responded {
                    frame: a,
                    outcome: Outcome::Ok,
                    origin: HERE
                },
            ]
        );
        assert!(rec.is_free(a));
    }

    #[test]
    fn a_failed_call_acks_the_failure_at_once() {
        let (mut w, mut rec) = worker();
        let a = rec.arrive(&mut w, Ask::write(1));
        rec.work_done(&mut w, a);
        rec.take();
        rec.answer(&mut w, a, Outcome::DroppedQueueFull);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 0, queued: 0 },
                Responded {
                    frame: a,
                    outcome: Outcome::DroppedQueueFull,
                    origin: 1
                },
            ]
        );
    }

    #[test]
    fn each_job_in_hand_holds_a_slot() {
        let (mut w, mut rec) = worker();
        let a = rec.arrive(&mut w, Ask::write(1));
        let b = rec.arrive(&mut w, Ask::write(2));
        let work = 20_000_000;
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: a,
                    duration: work
                },
                Levels { busy: 2, queued: 0 },
                WorkStarted {
                    frame: b,
                    duration: work
                },
            ]
        );
    }
}
