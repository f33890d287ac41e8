//! Message queue: publishers hand it jobs and move on at once; it hands each job to one of its
//! workers (its out-edges) when that worker has a free slot, oldest job first. When the workers
//! cannot keep up the depth grows, visibly; with a capacity, a job arriving to a full queue is
//! dropped.
//!
//! A job ends when its worker acknowledges it (the ack travels back over the edge), and the
//! worker's slot is then offered the next job: prefetch of one, as most brokers default to.

use super::settings::settings;
use super::spec::{Finding, KindSpec, Peers, Rules};
use super::station::QUEUE_PLACES;
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group, Kind};
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::QUEUED;
use std::collections::VecDeque;

/// A message queue's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "queue",
    title: "Message queue",
    group: Group::Messaging,
    link_tag: 7,
    outcomes: &[Outcome::DroppedQueueFull],
    rules: Rules {
        callers: Peers::Only(
            &[Kind::Service],
            "only a service publishes to a message queue",
        ),
        callees: Peers::Only(
            &[Kind::Worker],
            "a message queue hands jobs to workers only, not to a {peer}",
        ),
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "no worker drains this queue: jobs would pile up forever; connect a worker",
        }),
        has_queue: true,
        holds_jobs: true,
        ..Rules::OPEN
    },
};

settings! {
    /// A message queue's size.
    pub struct QueueConfig as "queue" {
        /// Jobs held at most; `None`: unbounded.
        capacity: Option<u64> = None, tag 1, changed, within QUEUE_PLACES;
    }
}

impl Config for QueueConfig {}

/// The runtime state of a message queue.
pub struct Queue {
    capacity: Option<u64>,
    waiting: VecDeque<u32>,
    /// Free slots of each worker, by link index.
    credits: Vec<u32>,
    /// Where the search for a free worker starts, so idle workers share jobs.
    cursor: usize,
}

impl Behaviour for Queue {
    type Config = QueueConfig;

    fn build(config: &QueueConfig, wiring: &Wiring) -> Self {
        Queue::new(config, wiring.peers.iter().map(|p| p.servers).collect())
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if let Some(worker) = self.free_worker() {
            return self.dispatch(ctx, frame, worker);
        }
        if self
            .capacity
            .is_some_and(|c| self.waiting.len() as u64 >= c)
        {
            ctx.count(Outcome::DroppedQueueFull);
            let status = ctx.status(Outcome::DroppedQueueFull);
            return ctx.finish(frame, status);
        }
        ctx.frame_mut(frame).flags |= QUEUED;
        self.waiting.push_back(frame);
        ctx.set_levels(0, self.waiting.len() as u64);
    }

    /// The worker acknowledged (or failed) the job.
    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        let worker = ctx.frame(frame).step as usize;
        self.credits[worker] += 1;
        if status.outcome == Outcome::Ok {
            ctx.count(Outcome::Ok);
        }
        ctx.finish(frame, status);
        if let Some(next) = self.waiting.pop_front() {
            ctx.frame_mut(next).flags &= !QUEUED;
            ctx.set_levels(0, self.waiting.len() as u64);
            self.dispatch(ctx, next, worker);
        }
    }
}

impl Queue {
    /// `slots[i]` is the concurrency of the worker on link `i`.
    pub(crate) fn new(config: &QueueConfig, slots: Vec<u32>) -> Self {
        Queue {
            capacity: config.capacity,
            waiting: VecDeque::new(),
            credits: slots,
            cursor: 0,
        }
    }

    fn free_worker(&mut self) -> Option<usize> {
        let n = self.credits.len();
        let found = (0..n)
            .map(|i| (self.cursor + i) % n)
            .find(|&i| self.credits[i] > 0)?;
        self.cursor = (found + 1) % n;
        Some(found)
    }

    fn dispatch<E: Effects>(&mut self, ctx: &mut E, frame: u32, worker: usize) {
        self.credits[worker] -= 1;
        let now = ctx.now();
        let f = ctx.frame_mut(frame);
        f.step = worker as u16;
        f.started = now;
        ctx.forward(frame, worker);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder, HERE};
    use crate::time::from_ms;

    fn queue(capacity: Option<u64>, slots: Vec<u32>) -> (Queue, Recorder) {
        let workers = slots.len() as u32;
        (
            Queue::new(&QueueConfig { capacity }, slots),
            Recorder::new(workers),
        )
    }

    #[test]
    fn a_job_goes_to_a_worker_with_a_free_slot_and_waits_when_there_is_none() {
        let (mut q, mut rec) = queue(None, vec![1, 1]);
        let a = rec.arrive(&mut q, Ask::write(1));
        let b = rec.arrive(&mut q, Ask::write(2));
        let c = rec.arrive(&mut q, Ask::write(3));
        assert_eq!(
            rec.take(),
            [
                Forwarded { frame: a, link: 0 },
                Forwarded { frame: b, link: 1 },
                Levels { busy: 0, queued: 1 },
            ]
        );
        assert!(rec.frame(c).has(QUEUED));
    }

    #[test]
    fn a_job_arriving_to_a_full_queue_is_dropped() {
        let (mut q, mut rec) = queue(Some(1), vec![1]);
        rec.arrive(&mut q, Ask::write(1));
        rec.arrive(&mut q, Ask::write(2));
        rec.take();
        let c = rec.arrive(&mut q, Ask::write(3));
        assert_eq!(
            rec.take(),
            [
                Counted {
                    outcome: Outcome::DroppedQueueFull
                },
                Finished {
                    frame: c,
                    outcome: Outcome::DroppedQueueFull,
                    origin: HERE
                },
            ]
        );
        assert!(rec.is_free(c));
    }

    #[test]
    fn an_ack_ends_the_job_and_hands_its_slot_the_oldest_waiting_job() {
        let (mut q, mut rec) = queue(None, vec![1]);
        let a = rec.arrive(&mut q, Ask::write(1));
        let b = rec.arrive(&mut q, Ask::write(2));
        let c = rec.arrive(&mut q, Ask::write(3));
        rec.take();
        rec.at_ms(5.0);
        rec.answer(&mut q, a, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                Counted {
                    outcome: Outcome::Ok
                },
                Finished {
                    frame: a,
                    outcome: Outcome::Ok,
                    origin: 1
                },
                Levels { busy: 0, queued: 1 },
                Forwarded { frame: b, link: 0 },
            ]
        );
        assert!(rec.is_free(a));
        assert!(!rec.frame(b).has(QUEUED));
        assert_eq!(rec.frame(b).started, from_ms(5.0), "its wait ends here");
        // A failed job ends too, without counting as done here.
        rec.answer(&mut q, b, Outcome::TimedOut);
        assert_eq!(
            rec.take(),
            [
                Finished {
                    frame: b,
                    outcome: Outcome::TimedOut,
                    origin: 1
                },
                Levels { busy: 0, queued: 0 },
                Forwarded { frame: c, link: 0 },
            ]
        );
    }
}
