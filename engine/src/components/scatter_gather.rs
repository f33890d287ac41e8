//! Scatter-gather: a request takes a worker, does its local work (splitting the query), then
//! calls every dependency at once and answers when enough of them have answered ok: all of
//! them, the first, or a quorum of k. It holds its worker until then, and fails as soon as k
//! is out of reach (answering with the failure that made it so). Calls still out when it
//! answers become orphans: their work goes on downstream, and their answers are dropped.
//!
//! This is the fork-join of search engines and sharded reads: its latency is the k-th fastest
//! answer, so the slowest shard sets the pace when it waits for all (the tail at scale).

use super::settings::settings;
use super::spec::{Finding, KindSpec, Rules};
use super::station::{Admission, Station, QUEUE_PLACES, SERVERS};
use super::wiring::{Around, Wiring, WiringProblem};
use super::{Behaviour, Config, Effects, Group};
use crate::distributions::{Duration, Sampler};
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{ANSWERED, HOLDS_SERVER, WORKING};

/// A scatter-gather's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "scatter_gather",
    title: "Scatter-gather",
    group: Group::Compute,
    link_tag: 9,
    outcomes: &[Outcome::DroppedQueueFull],
    rules: Rules {
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "the scatter-gather has no one to ask: connect the services it fans out to",
        }),
        has_queue: true,
        ..Rules::OPEN
    },
};

settings! {
    /// A scatter-gather's capacity and how many answers it waits for.
    pub struct ScatterGatherConfig as "scatter_gather" {
        /// Requests handled at once; each holds its worker until it answers.
        workers: u32 = 4, tag 1, always, within SERVERS;
        /// Waiting places; a request arriving to a full queue is dropped. `None`: unbounded.
        queue_capacity: Option<u64> = None, tag 2, changed, within QUEUE_PLACES;
        /// Local work per request before the calls go out.
        service_time: Duration = Duration::constant(1.0), tag 3, always;
        /// How many ok answers it needs.
        wait_for: WaitFor = WaitFor::All, tag 4, always;
    }
}

/// How many of its dependencies' answers a scatter-gather waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// Every dependency's.
    All,
    /// The first ok answer.
    First,
    /// A quorum: this many ok answers.
    Quorum {
        /// How many.
        answers: u32,
    },
}

impl WaitFor {
    /// The ok answers needed out of `n` calls.
    pub fn needed(self, n: usize) -> usize {
        match self {
            WaitFor::All => n,
            WaitFor::First => 1.min(n),
            WaitFor::Quorum { answers } => answers as usize,
        }
    }

    /// The name scenario files use.
    pub fn name(self) -> &'static str {
        match self {
            WaitFor::All => "all",
            WaitFor::First => "first",
            WaitFor::Quorum { .. } => "quorum",
        }
    }
}

/// Written as `"all"`, `"first"` or `{"quorum": {"answers": 2}}`.
impl FromJson for WaitFor {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["all", "first"], &["quorum"])?;
        match name {
            "all" => Ok(WaitFor::All),
            "first" => Ok(WaitFor::First),
            _ => variant_fields(name, settings, &["answers"], |f| {
                Ok(WaitFor::Quorum {
                    answers: f.req("answers")?,
                })
            }),
        }
    }
}

impl ToJson for WaitFor {
    fn to_tree(&self) -> Json {
        match *self {
            WaitFor::Quorum { answers } => {
                Json::tagged("quorum", Json::object([("answers", answers.to_tree())]))
            }
            plain => Json::String(plain.name().into()),
        }
    }
}

/// In a version-2 link: a variant tag (constant, append-only), then the quorum's size.
impl LinkValue for WaitFor {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        match *self {
            WaitFor::All => w.byte(0),
            WaitFor::First => w.byte(1),
            WaitFor::Quorum { answers } => {
                w.byte(2);
                w.varint(answers.into());
            }
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => WaitFor::All,
            1 => WaitFor::First,
            2 => WaitFor::Quorum {
                answers: r.u32(field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

impl Config for ScatterGatherConfig {
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.workers == 0 {
            out.push((
                "workers",
                "a scatter-gather needs at least one worker".into(),
            ));
        }
        if let Some(p) = self.service_time.problem() {
            out.push(("service_time", p.into()));
        }
        if self.wait_for == (WaitFor::Quorum { answers: 0 }) {
            out.push(("wait_for", "a quorum needs at least one answer".into()));
        }
        out
    }

    fn servers(&self) -> u32 {
        self.workers
    }

    /// It answers once enough calls are in (or enough have failed): the rest become orphans.
    fn gives_up(&self) -> bool {
        true
    }

    /// A quorum larger than its dependencies could never be met.
    fn wiring_problems(&self, around: &Around) -> Vec<WiringProblem> {
        let n = around.callees.len();
        match self.wait_for {
            WaitFor::Quorum { answers } if n > 0 && answers as usize > n => vec![WiringProblem {
                code: "quorum_too_large",
                stops_run: true,
                field: "wait_for",
                message: format!(
                    "it waits for {answers} answers but calls only {n} dependencies: connect \
                     more or lower the quorum"
                ),
            }],
            _ => Vec::new(),
        }
    }
}

/// The runtime state of a scatter-gather.
pub struct ScatterGather {
    station: Station,
    work: Sampler,
    wait_for: WaitFor,
}

impl Behaviour for ScatterGather {
    type Config = ScatterGatherConfig;

    fn build(config: &ScatterGatherConfig, _wiring: &Wiring) -> Self {
        ScatterGather {
            station: Station::new(config.workers, config.queue_capacity),
            work: config.service_time.sampler(),
            wait_for: config.wait_for,
        }
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        match self.station.admit(ctx, frame) {
            Admission::Full => ctx.refuse(frame, Outcome::DroppedQueueFull),
            Admission::Wait => {}
            Admission::Serve => self.start(ctx, frame),
        }
    }

    fn on_work_done<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if !ctx.unpin(frame, WORKING) {
            return;
        }
        // `step` counts the ok answers; the frame counts the calls still out.
        ctx.frame_mut(frame).step = 0;
        for link in 0..ctx.links().len() {
            ctx.forward(frame, link);
        }
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        let n = ctx.links().len();
        let needed = self.wait_for.needed(n);
        let f = ctx.frame_mut(frame);
        if status.outcome == Outcome::Ok {
            f.step += 1;
        }
        let (ok, still_out) = (usize::from(f.step), usize::from(f.calls_out));
        if ok >= needed {
            let answer = ctx.status(Outcome::Ok);
            self.answer(ctx, frame, answer);
        } else if ok + still_out < needed {
            // Out of reach: the failure that made it so is the answer.
            self.answer(ctx, frame, status);
        }
    }
}

impl ScatterGather {
    fn start<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let duration = self.work.sample(ctx.rng());
        ctx.start_work(frame, duration);
    }

    /// Answers, freeing the worker for the next waiting request; calls still out are orphans.
    fn answer<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        debug_assert!(!ctx.frame(frame).has(ANSWERED));
        if ctx.frame(frame).has(HOLDS_SERVER) {
            if let Some(next) = self.station.release(ctx, frame) {
                self.start(ctx, next);
            }
        }
        ctx.respond(frame, status);
    }
}

#[cfg(test)]
mod tests {
    use super::super::recorder::{Ask, Effect::*, Recorder};
    use super::*;
    use crate::components::wiring::RouteTable;

    fn gather(wait_for: WaitFor, dependencies: usize) -> (ScatterGather, Recorder) {
        let config = ScatterGatherConfig {
            workers: 1,
            queue_capacity: Some(0),
            service_time: Duration::constant(2.0),
            wait_for,
        };
        let wiring = Wiring {
            links: &[],
            peers: Vec::new(),
            routes: &RouteTable::default(),
        };
        (
            ScatterGather::build(&config, &wiring),
            Recorder::new(dependencies as u32),
        )
    }

    /// A request that has done its local work and called every dependency.
    fn fanned_out(sg: &mut ScatterGather, rec: &mut Recorder) -> u32 {
        let frame = rec.arrive(sg, Ask::read(1));
        rec.work_done(sg, frame);
        rec.take();
        frame
    }

    #[test]
    fn after_its_work_it_calls_every_dependency_at_once() {
        let (mut sg, mut rec) = gather(WaitFor::All, 3);
        let a = rec.arrive(&mut sg, Ask::read(1));
        rec.work_done(&mut sg, a);
        let effects = rec.take();
        assert_eq!(
            effects[..2],
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: a,
                    duration: 2_000_000
                }
            ]
        );
        assert_eq!(
            effects[2..],
            [
                Forwarded { frame: a, link: 0 },
                Forwarded { frame: a, link: 1 },
                Forwarded { frame: a, link: 2 },
            ]
        );
        assert_eq!(Effects::frame(&rec, a).calls_out, 3);
    }

    #[test]
    fn waiting_for_all_it_answers_with_the_last_and_frees_its_worker() {
        let (mut sg, mut rec) = gather(WaitFor::All, 2);
        let a = fanned_out(&mut sg, &mut rec);
        rec.answer_link(&mut sg, a, 1, Outcome::Ok);
        assert_eq!(rec.take(), [], "one of two is not enough");
        rec.answer_link(&mut sg, a, 0, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 0, queued: 0 },
                Responded {
                    frame: a,
                    outcome: Outcome::Ok,
                    origin: 0
                },
            ]
        );
    }

    #[test]
    fn the_first_ok_answer_wins_and_the_rest_are_orphans() {
        let (mut sg, mut rec) = gather(WaitFor::First, 3);
        let a = fanned_out(&mut sg, &mut rec);
        rec.answer_link(&mut sg, a, 2, Outcome::Ok);
        assert!(rec.take().contains(&Responded {
            frame: a,
            outcome: Outcome::Ok,
            origin: 0
        }));
        // The two calls still out keep the frame until their answers come, which are dropped.
        rec.answer_link(&mut sg, a, 0, Outcome::Ok);
        rec.answer_link(&mut sg, a, 1, Outcome::TimedOut);
        assert_eq!(rec.take(), []);
    }

    #[test]
    fn a_quorum_fails_as_soon_as_it_is_out_of_reach() {
        let (mut sg, mut rec) = gather(WaitFor::Quorum { answers: 2 }, 3);
        let a = fanned_out(&mut sg, &mut rec);
        rec.answer_link(&mut sg, a, 0, Outcome::DroppedQueueFull);
        assert_eq!(rec.take(), [], "two of the other two can still make it");
        rec.answer_link(&mut sg, a, 1, Outcome::TimedOut);
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 0, queued: 0 },
                Responded {
                    frame: a,
                    outcome: Outcome::TimedOut,
                    origin: 2
                },
            ],
            "answered with the failure that put the quorum out of reach, from its origin"
        );
    }

    #[test]
    fn a_quorum_of_two_answers_with_the_second_ok() {
        let (mut sg, mut rec) = gather(WaitFor::Quorum { answers: 2 }, 3);
        let a = fanned_out(&mut sg, &mut rec);
        rec.answer_link(&mut sg, a, 0, Outcome::Ok);
        rec.answer_link(&mut sg, a, 2, Outcome::FailedNoRoute);
        assert_eq!(rec.take(), []);
        rec.answer_link(&mut sg, a, 1, Outcome::Ok);
        assert!(rec.take().contains(&Responded {
            frame: a,
            outcome: Outcome::Ok,
            origin: 0
        }));
    }

    #[test]
    fn a_busy_scatter_gather_refuses_what_it_has_no_room_for() {
        let (mut sg, mut rec) = gather(WaitFor::All, 1);
        let _a = fanned_out(&mut sg, &mut rec);
        let b = rec.arrive(&mut sg, Ask::read(2));
        assert_eq!(
            rec.take(),
            [
                Counted {
                    outcome: Outcome::DroppedQueueFull
                },
                Responded {
                    frame: b,
                    outcome: Outcome::DroppedQueueFull,
                    origin: 0
                },
            ]
        );
    }

    #[test]
    fn a_quorum_larger_than_the_dependencies_is_refused() {
        let config = ScatterGatherConfig {
            wait_for: WaitFor::Quorum { answers: 3 },
            ..ScatterGatherConfig::default()
        };
        let connected = Default::default();
        let (kinds, routes) = (Default::default(), Default::default());
        let around = Around {
            id: "sg",
            callees: vec!["a", "b"],
            connected: &connected,
            kinds: &kinds,
            routes: &routes,
        };
        let problems = config.wiring_problems(&around);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "quorum_too_large");
    }
}
