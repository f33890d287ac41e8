//! Service: `workers` parallel workers in front of a FIFO queue (optionally bounded). A request
//! takes a worker, does its local work, then calls the service's dependencies one after another
//! and publishes to its queues, then answers.
//!
//! A worker is held for the whole call, dependency waits included, as thread-per-request servers
//! are: that is how a slow database exhausts the services in front of it. With
//! `release_while_waiting` the worker is freed after local work instead, which turns the diagram
//! into a classic open queueing network.
//!
//! With a timeout, the service answers "timed out" if it has not answered by the deadline
//! (from arrival; a tie at the deadline instant counts as timed out). A
//! request still waiting is never served; one being worked on finishes its local work, then
//! stops; a call still out is abandoned and its answer ignored.

use super::calls::call_next;
use super::settings::settings;
use super::spec::{KindSpec, Rules};
use super::station::{Admission, Slowdown, Station, QUEUE_PLACES, SERVERS};
use super::wiring::{Around, Wiring, WiringProblem};
use super::{Behaviour, Config, Effects, Group, Kind};
use crate::distributions::{Duration, Sampler};
use crate::link::v2::NodeIds;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{ANSWERED, CHILD_OUT, HOLDS_SERVER, QUEUED, WORKING};
use crate::time::{from_ms, SimTime};

/// The tag of a service's one frame timer, its deadline.
const DEADLINE: u16 = 0;

/// A service's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "service",
    title: "Service",
    group: Group::Compute,
    link_tag: 4,
    outcomes: &[Outcome::DroppedQueueFull, Outcome::TimedOut],
    rules: Rules {
        has_queue: true,
        calls_with_probability: true,
        ..Rules::OPEN
    },
};

settings! {
    /// A service's capacity and behaviour.
    pub struct ServiceConfig as "service" {
        /// Requests served in parallel.
        workers: u32 = 4, tag 1, always, within SERVERS;
        /// Waiting places; a request arriving to a full queue is dropped. `None`: unbounded.
        queue_capacity: Option<u64> = None, tag 2, changed, within QUEUE_PLACES;
        /// Local work per request.
        service_time: Duration = Duration::exponential(10.0), tag 3, always;
        /// Deadline from arrival, after which the caller gets "timed out".
        timeout_ms: Option<f64> = None, tag 4, changed;
        /// Free the worker after local work instead of holding it through dependency calls.
        release_while_waiting: bool = false, tag 5, changed;
        /// The order of synchronous calls, by node id; empty means edge order.
        calls: Vec<String> = Vec::new(), tag 6, changed, via NodeIds;
        /// How local work grows with the workers busy at once (none: it does not).
        slowdown: Slowdown = Slowdown::None, tag 7, changed;
    }
}

impl Config for ServiceConfig {
    /// The call order names connected nodes that are not queues (those are published to); a
    /// connected dependency left out of a non-empty order is never called, which is a hint.
    fn wiring_problems(&self, around: &Around) -> Vec<WiringProblem> {
        let problem = |code, stops_run, message| WiringProblem {
            code,
            stops_run,
            field: "calls",
            message,
        };
        let holds_jobs = |id: &str| {
            around
                .kinds
                .get(id)
                .is_some_and(|k| k.spec().rules.holds_jobs)
        };
        let mut out = Vec::new();
        for call in &self.calls {
            if holds_jobs(call) {
                out.push(problem(
                    "call_to_queue",
                    true,
                    format!(
                        "`{call}` is a message queue: a service publishes to it after its calls \
                         succeed, so leave it out of the call order"
                    ),
                ));
            } else if !around.calls(call) {
                out.push(problem(
                    "unknown_call",
                    true,
                    format!("`{call}` is in the call order but not connected to this service"),
                ));
            }
        }
        if !self.calls.is_empty() {
            let ordered: std::collections::HashSet<&str> =
                self.calls.iter().map(String::as_str).collect();
            for &callee in &around.callees {
                if !holds_jobs(callee) && !ordered.contains(callee) {
                    out.push(problem(
                        "uncalled_edge",
                        false,
                        format!(
                            "`{callee}` is connected but missing from the call order, so it is \
                             never called"
                        ),
                    ));
                }
            }
        }
        out
    }

    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.workers == 0 {
            out.push(("workers", "a service needs at least one worker".into()));
        }
        if let Some(p) = self.service_time.problem() {
            out.push(("service_time", p.into()));
        }
        if let Some(t) = self.timeout_ms {
            if !(crate::distributions::valid_ms(t) && t > 0.0) {
                out.push((
                    "timeout_ms",
                    "the timeout must be a number of milliseconds > 0, at most a day".into(),
                ));
            }
        }
        if let Some(p) = self.slowdown.problem() {
            out.push(("slowdown", p.into()));
        }
        out
    }

    fn servers(&self) -> u32 {
        self.workers
    }

    fn gives_up(&self) -> bool {
        self.timeout_ms.is_some()
    }
}

/// The runtime state of a service.
pub struct Service {
    station: Station,
    work: Sampler,
    timeout: Option<SimTime>,
    release_while_waiting: bool,
    slowdown: Slowdown,
    /// Synchronous calls, as link indices, in call order.
    calls: Vec<u16>,
    /// Links to message queues, published to after the calls succeed.
    publishes: Vec<u16>,
}

impl Behaviour for Service {
    type Config = ServiceConfig;

    fn build(config: &ServiceConfig, wiring: &Wiring) -> Self {
        // Queues are published to, never called (validation refuses naming one in the order).
        let callable = wiring.links_where(|k| k != Kind::Queue);
        let calls = if config.calls.is_empty() {
            callable
        } else {
            // The first link to each callable node, looked up once per call: a link can hold
            // thousands of calls, and scanning the links for each was calls × links.
            let mut first: std::collections::HashMap<&str, u16> = Default::default();
            for &link in &callable {
                first
                    .entry(wiring.peers[usize::from(link)].id)
                    .or_insert(link);
            }
            config
                .calls
                .iter()
                .filter_map(|id| first.get(id.as_str()).copied())
                .collect()
        };
        Service::new(config, calls, wiring.links_where(|k| k == Kind::Queue))
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let admission = self.station.admit(ctx, frame);
        if admission == Admission::Full {
            return ctx.refuse(frame, Outcome::DroppedQueueFull);
        }
        // Armed before any work is scheduled, so at the very instant of the deadline the timer
        // goes first: "not answered by the deadline" always means timed out.
        if let Some(timeout) = self.timeout {
            ctx.set_timer(frame, timeout, DEADLINE);
        }
        if admission == Admission::Serve {
            self.start(ctx, frame);
        }
    }

    fn on_work_done<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if ctx.frame(frame).has(ANSWERED) || self.release_while_waiting {
            self.free_worker(ctx, frame);
        }
        if ctx.unpin(frame, WORKING) {
            self.call_or_answer(ctx, frame);
        }
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        if status.outcome == Outcome::Ok {
            self.call_or_answer(ctx, frame);
        } else {
            self.answer(ctx, frame, status);
        }
    }

    fn on_timeout<E: Effects>(&mut self, ctx: &mut E, frame: u32, _tag: u16) {
        let f = *ctx.frame(frame);
        if f.has(QUEUED) {
            self.station.abandon_waiting(ctx);
        } else if f.has(CHILD_OUT) {
            // The thread gives up on the call and returns its error: the worker is free again.
            self.free_worker(ctx, frame);
        }
        // While WORKING, the worker stays busy until the local work ends (on_work_done).
        ctx.refuse(frame, Outcome::TimedOut);
    }
}

impl Service {
    pub(crate) fn new(config: &ServiceConfig, calls: Vec<u16>, publishes: Vec<u16>) -> Self {
        Service {
            station: Station::new(config.workers, config.queue_capacity),
            work: config.service_time.sampler(),
            timeout: config.timeout_ms.map(from_ms),
            release_while_waiting: config.release_while_waiting,
            slowdown: config.slowdown,
            calls,
            publishes,
        }
    }

    fn start<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let duration = self.work.sample(ctx.rng());
        let duration = self.slowdown.apply(duration, self.station.busy());
        ctx.start_work(frame, duration);
    }

    fn call_or_answer<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if !call_next(ctx, frame, &self.calls) {
            for i in 0..self.publishes.len() {
                ctx.publish(frame, self.publishes[i] as usize);
            }
            let status = ctx.status(Outcome::Ok);
            self.answer(ctx, frame, status);
        }
    }

    fn answer<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        self.free_worker(ctx, frame);
        ctx.respond(frame, status);
    }

    /// Frees the worker the frame holds, if it holds one, and starts the next waiting request.
    fn free_worker<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if ctx.frame(frame).has(HOLDS_SERVER) {
            if let Some(next) = self.station.release(ctx, frame) {
                self.start(ctx, next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{link, Ask, Effect::*, Recorder, HERE};
    use crate::sim::topology::Link;

    /// Constant local work, so durations are exact.
    const WORK: SimTime = 10_000_000;

    fn config(workers: u32, queue_capacity: Option<u64>, timeout_ms: Option<f64>) -> ServiceConfig {
        ServiceConfig {
            workers,
            queue_capacity,
            service_time: Duration::constant(10.0),
            timeout_ms,
            ..ServiceConfig::default()
        }
    }

    fn ok(frame: u32) -> crate::components::recorder::Effect {
        Responded {
            frame,
            outcome: Outcome::Ok,
            origin: HERE,
        }
    }

    #[test]
    fn one_worker_serves_one_queues_one_and_refuses_the_third() {
        let mut svc = Service::new(&config(1, Some(1), None), vec![0], vec![]);
        let mut rec = Recorder::new(1);
        let a = rec.arrive(&mut svc, Ask::read(1));
        let b = rec.arrive(&mut svc, Ask::read(2));
        let c = rec.arrive(&mut svc, Ask::read(3));
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: a,
                    duration: WORK
                },
                Levels { busy: 1, queued: 1 },
                Counted {
                    outcome: Outcome::DroppedQueueFull
                },
                Responded {
                    frame: c,
                    outcome: Outcome::DroppedQueueFull,
                    origin: HERE
                },
            ]
        );
        assert!(rec.frame(b).has(QUEUED));
        assert!(rec.is_free(c));
    }

    #[test]
    fn finished_work_calls_the_dependency_and_its_answer_answers_and_starts_the_next() {
        let mut svc = Service::new(&config(1, Some(1), None), vec![0], vec![]);
        let mut rec = Recorder::new(1);
        let a = rec.arrive(&mut svc, Ask::read(1));
        let b = rec.arrive(&mut svc, Ask::read(2));
        rec.take();
        rec.at_ms(10.0);
        rec.work_done(&mut svc, a);
        assert_eq!(rec.take(), [Forwarded { frame: a, link: 0 }]);
        rec.at_ms(15.0);
        rec.answer(&mut svc, a, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: b,
                    duration: WORK
                },
                ok(a),
            ]
        );
        assert!(rec.is_free(a));
    }

    #[test]
    fn calls_go_in_order_skip_the_unmade_then_publish_then_answer() {
        let never = Link {
            probability: 0.0,
            ..link(2)
        };
        let mut rec = Recorder::with_links(vec![link(1), never, link(3)]);
        let mut svc = Service::new(&config(1, None, None), vec![0, 1], vec![2]);
        let a = rec.arrive(&mut svc, Ask::read(1));
        rec.work_done(&mut svc, a);
        rec.answer(&mut svc, a, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: a,
                    duration: WORK
                },
                Forwarded { frame: a, link: 0 },
                Published { frame: a, link: 2 },
                Levels { busy: 0, queued: 0 },
                ok(a),
            ]
        );
    }

    #[test]
    fn a_failed_call_is_answered_with_its_status_without_the_next_call() {
        let mut svc = Service::new(&config(1, None, None), vec![0, 1], vec![]);
        let mut rec = Recorder::new(2);
        let a = rec.arrive(&mut svc, Ask::read(1));
        rec.work_done(&mut svc, a);
        rec.take();
        rec.answer(&mut svc, a, Outcome::DroppedQueueFull);
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
    fn a_request_timed_out_while_waiting_is_skipped_when_the_worker_frees() {
        // Work takes 30 ms against a 20 ms deadline.
        let slow = ServiceConfig {
            service_time: Duration::constant(30.0),
            ..config(1, None, Some(20.0))
        };
        let mut svc = Service::new(&slow, vec![], vec![]);
        let mut rec = Recorder::new(0);
        let a = rec.arrive(&mut svc, Ask::read(1));
        rec.at_ms(1.0);
        let b = rec.arrive(&mut svc, Ask::read(2));
        let deadline = 20_000_000;
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                TimerSet {
                    frame: a,
                    delay: deadline,
                    tag: DEADLINE
                },
                WorkStarted {
                    frame: a,
                    duration: 30_000_000
                },
                Levels { busy: 1, queued: 1 },
                TimerSet {
                    frame: b,
                    delay: deadline,
                    tag: DEADLINE
                },
            ]
        );
        // The one at work answers at once, but its worker stays busy until the work ends.
        rec.at_ms(20.0);
        rec.timeout(&mut svc, a);
        rec.at_ms(21.0);
        rec.timeout(&mut svc, b);
        let timed_out = |frame| Responded {
            frame,
            outcome: Outcome::TimedOut,
            origin: HERE,
        };
        assert_eq!(
            rec.take(),
            [
                Counted {
                    outcome: Outcome::TimedOut
                },
                timed_out(a),
                Levels { busy: 1, queued: 0 },
                Counted {
                    outcome: Outcome::TimedOut
                },
                timed_out(b),
            ]
        );
        assert!(
            !rec.is_free(a) && !rec.is_free(b),
            "work and a queue place still pin them"
        );
        // The orphaned work ends: the worker frees, passes over the one that gave up, idles.
        rec.at_ms(30.0);
        rec.work_done(&mut svc, a);
        assert_eq!(rec.take(), [Levels { busy: 0, queued: 0 }]);
        assert!(rec.is_free(a) && rec.is_free(b));
    }

    #[test]
    fn a_timeout_with_a_call_out_frees_the_worker_and_drops_the_late_answer() {
        let mut svc = Service::new(&config(1, None, Some(20.0)), vec![0], vec![]);
        let mut rec = Recorder::new(1);
        let a = rec.arrive(&mut svc, Ask::read(1));
        let b = rec.arrive(&mut svc, Ask::read(2));
        rec.at_ms(10.0);
        rec.work_done(&mut svc, a);
        rec.take();
        rec.at_ms(20.0);
        rec.timeout(&mut svc, a);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: b,
                    duration: WORK
                },
                Counted {
                    outcome: Outcome::TimedOut
                },
                Responded {
                    frame: a,
                    outcome: Outcome::TimedOut,
                    origin: HERE
                },
            ]
        );
        rec.at_ms(25.0);
        rec.answer(&mut svc, a, Outcome::Ok);
        assert_eq!(rec.take(), []);
        assert!(rec.is_free(a));
    }

    #[test]
    fn release_while_waiting_frees_the_worker_after_local_work() {
        let config = ServiceConfig {
            release_while_waiting: true,
            ..config(1, None, None)
        };
        let mut svc = Service::new(&config, vec![0], vec![]);
        let mut rec = Recorder::new(1);
        let a = rec.arrive(&mut svc, Ask::read(1));
        let b = rec.arrive(&mut svc, Ask::read(2));
        rec.take();
        rec.at_ms(10.0);
        rec.work_done(&mut svc, a);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: b,
                    duration: WORK
                },
                Forwarded { frame: a, link: 0 },
            ]
        );
        rec.answer(&mut svc, a, Outcome::Ok);
        assert_eq!(rec.take(), [ok(a)], "a holds no worker to free");
    }
}
