//! Requests in flight, as the view draws them: each engine [`Motion`] becomes a [`Flight`]
//! that knows where along its edge it is at any simulated instant, and how it looks (a call, a
//! job, an answer, a cache hit turning back, a failure in red). A request refused at a node
//! also *falls off* that node for a moment of wall-clock time.
//!
//! Everything here is plain arithmetic on plain data, so it is tested without a browser
//! canvas; `painter.rs` only turns the results into pixels.

use crate::diagram::geometry::{edge_ends, NODE_H, NODE_W};
use pattern_engine::components::Kind;
use pattern_engine::sim::events::{Outcome, OutcomeClass};
use pattern_engine::sim::motion::{Leg, Motion};
use pattern_engine::time::SimTime;

/// How far (canvas units) a particle keeps to the right of its edge, so that calls and answers
/// on the same edge pass each other in two lanes instead of overlapping.
pub const LANE: f64 = 4.0;

/// How long a refused request takes to fall off its node, in wall-clock milliseconds.
pub const FALL_MS: f64 = 900.0;

/// How far it falls, canvas units.
const FALL_DISTANCE: f64 = 60.0;

/// At most this many falls are drawn at once: at fast-forward a saturated node refuses
/// thousands of requests per frame, and a few dozen falling already say "dropping".
const MAX_FALLS: usize = 120;

/// At most this many trips are kept in flight. Painting 5,000 particles takes about 4 ms of a
/// frame (docs/benchmarks.md), so twice that still paints at 60 fps, and more dots than that
/// would say nothing new. Without a cap a loop of edges without latency would pile up a million
/// particles at one instant, each frame painting them all, and playing it would freeze the tab.
pub const MAX_FLIGHTS: usize = 10_000;

/// How a particle looks: its colour and shape in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// A request on its way to a callee.
    Call,
    /// A background job, published to a queue or on its way to a worker.
    Job,
    /// A successful answer on its way back.
    Answer,
    /// An answer a cache gave from its own data: the request turned back at the cache.
    Hit,
    /// A later attempt of a call: a retry after its backoff, or a hedge.
    Retry,
    /// An answer that is not ok, in its outcome's colour: a dropped request falls off the node
    /// that refused it; timeouts and failures travel back.
    Ended(Outcome),
}

/// The outcomes that end a request without an ok answer, in report order.
const ENDINGS: usize = Outcome::ALL.len() - 1;

impl Look {
    /// The looks that do not depend on how a request ended, in legend order.
    pub const ALWAYS: [Look; 5] = [Look::Call, Look::Job, Look::Answer, Look::Hit, Look::Retry];

    /// How many looks there are: the painter keeps a bucket for each.
    pub const COUNT: usize = Look::ALWAYS.len() + ENDINGS;

    /// Every look, in [`Look::index`] order.
    pub fn all() -> impl Iterator<Item = Look> {
        let endings = Outcome::ALL.into_iter().skip(1).map(Look::Ended);
        Look::ALWAYS.into_iter().chain(endings)
    }

    /// How the particle of `motion` looks; `kinds` are the nodes' kinds, in scenario order.
    /// An answer decided by a kind that answers early (a cache hit) has a look of its own.
    pub fn of(motion: &Motion, kinds: &[Kind]) -> Look {
        match motion.leg {
            Leg::Publish => Look::Job,
            Leg::Call if motion.job => Look::Job,
            Leg::Call => Look::Call,
            Leg::Retry => Look::Retry,
            Leg::Answer => match motion.outcome {
                Outcome::Ok if answered_early(kinds, motion.origin) => Look::Hit,
                Outcome::Ok => Look::Answer,
                other => Look::Ended(other),
            },
        }
    }

    /// Its bucket in the painter: the fixed looks first, then one per ending outcome.
    pub fn index(self) -> usize {
        match self {
            Look::Call => 0,
            Look::Job => 1,
            Look::Answer => 2,
            Look::Hit => 3,
            Look::Retry => 4,
            Look::Ended(outcome) => Look::ALWAYS.len() + (outcome as usize).saturating_sub(1),
        }
    }

    /// Its colour (also used by the legend, so the two cannot disagree); an ending's is its
    /// outcome's, a shade of its class's family.
    pub fn colour(self) -> &'static str {
        match self {
            Look::Call => "#3b82f6",
            Look::Job => "#a855f7",
            Look::Answer => Outcome::Ok.colour(),
            Look::Hit => "#06b6d4",
            Look::Retry => "#eab308",
            Look::Ended(outcome) => outcome.colour(),
        }
    }

    /// What the legend says about it.
    pub fn meaning(self) -> &'static str {
        match self {
            Look::Call => "request on its way",
            Look::Job => "background job",
            Look::Answer => "answer on its way back",
            Look::Hit => "cache hit, turning back at the cache",
            Look::Retry => "retry or hedge: another attempt of a call",
            Look::Ended(outcome) => outcome.meaning(),
        }
    }

    /// Square particles for jobs, round ones for everything else.
    pub fn is_square(self) -> bool {
        self == Look::Job
    }

    /// True for a request refused for lack of room: it falls off the node that refused it.
    pub fn falls(self) -> bool {
        matches!(self, Look::Ended(o) if o.class() == OutcomeClass::Dropped)
    }

    /// Stable name, for test ids and CSS: the outcome's name for an ending.
    pub fn name(self) -> &'static str {
        match self {
            Look::Call => "call",
            Look::Job => "job",
            Look::Answer => "answer",
            Look::Hit => "hit",
            Look::Retry => "retry",
            Look::Ended(outcome) => outcome.name(),
        }
    }
}

/// One trip of one request along one edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flight {
    /// Node index it leaves.
    pub from: u32,
    /// Node index it reaches.
    pub to: u32,
    /// When it leaves.
    pub depart: SimTime,
    /// When it arrives.
    pub arrive: SimTime,
    /// How it looks.
    pub look: Look,
    /// Its request's trace, if the request is sampled (such particles can be clicked).
    pub trace: Option<u32>,
}

impl Flight {
    /// The flight of an engine motion.
    pub fn of(motion: &Motion, kinds: &[Kind]) -> Flight {
        Flight {
            from: motion.from,
            to: motion.to,
            depart: motion.depart,
            arrive: motion.arrive,
            look: Look::of(motion, kinds),
            trace: motion.trace,
        }
    }

    /// How much of the trip is done at `now`, from 0 to 1; None before it leaves or after it
    /// arrives. A trip over an edge without latency shows at its end for its one instant.
    pub fn progress(&self, now: SimTime) -> Option<f64> {
        if now < self.depart || now > self.arrive {
            return None;
        }
        if self.arrive == self.depart {
            return Some(1.0);
        }
        Some((now - self.depart) as f64 / (self.arrive - self.depart) as f64)
    }

    /// Where it is at `now` (canvas units), given every node's top-left corner.
    pub fn position(&self, corners: &[(f64, f64)], now: SimTime) -> Option<(f64, f64)> {
        let t = self.progress(now)?;
        let from = *corners.get(self.from as usize)?;
        let to = *corners.get(self.to as usize)?;
        let (start, end) = edge_ends(from, to);
        Some(along(start, end, t))
    }
}

/// The point a fraction `t` of the way from `start` to `end`, kept [`LANE`] to the right of
/// the direction of travel.
pub fn along(start: (f64, f64), end: (f64, f64), t: f64) -> (f64, f64) {
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let length = (dx * dx + dy * dy).sqrt();
    // Right of travel, in screen coordinates (y grows downwards).
    let (nx, ny) = if length > 0.0 {
        (-dy / length, dx / length)
    } else {
        (0.0, 0.0)
    };
    (start.0 + dx * t + nx * LANE, start.1 + dy * t + ny * LANE)
}

/// A refused request falling off the node that refused it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fall {
    /// The node it falls from.
    pub node: u32,
    /// When it started falling, wall-clock milliseconds.
    pub since_ms: f64,
    /// Sideways spread, so simultaneous falls do not overlap: -1 to 1.
    pub spread: f64,
    /// How it looks.
    pub look: Look,
}

impl Fall {
    /// Where it is at wall-clock `now_ms` and how opaque (1 to 0), or None once it is gone.
    pub fn position(&self, corners: &[(f64, f64)], now_ms: f64) -> Option<(f64, f64, f64)> {
        let t = (now_ms - self.since_ms) / FALL_MS;
        if !(0.0..1.0).contains(&t) {
            return None;
        }
        let (x, y) = *corners.get(self.node as usize)?;
        // Falling under gravity: slow at first, then fast, fading out.
        let drop = FALL_DISTANCE * t * t;
        let x = x + NODE_W / 2.0 + self.spread * NODE_W * 0.4;
        Some((x, y + NODE_H + 6.0 + drop, 1.0 - t))
    }
}

/// Everything in flight, and the falls under way.
#[derive(Default)]
pub struct Flights {
    flights: Vec<Flight>,
    falls: Vec<Fall>,
}

impl Flights {
    /// Takes the engine's new motions at simulated time `now` (wall-clock `wall_ms`). Trips
    /// that are already over are never stored: at fast-forward most are. Past
    /// [`MAX_FLIGHTS`] new trips are not drawn (the view says so), until earlier ones land.
    pub fn take(
        &mut self,
        motions: impl Iterator<Item = Motion>,
        kinds: &[Kind],
        now: SimTime,
        wall_ms: f64,
    ) {
        for motion in motions {
            let flight = Flight::of(&motion, kinds);
            let refused = motion.decided_here() && flight.look.falls();
            if refused && self.falls.len() < MAX_FALLS {
                self.falls.push(Fall {
                    node: motion.from,
                    since_ms: wall_ms,
                    spread: spread_of(motion.request),
                    look: flight.look,
                });
            }
            if flight.arrive >= now && self.flights.len() < MAX_FLIGHTS {
                self.flights.push(flight);
            }
        }
    }

    /// Forgets trips that have arrived by `now` and falls that are over by `wall_ms`.
    pub fn settle(&mut self, now: SimTime, wall_ms: f64) {
        self.flights.retain(|f| f.arrive >= now);
        self.falls.retain(|f| wall_ms - f.since_ms < FALL_MS);
    }

    /// Forgets everything (a reset).
    pub fn clear(&mut self) {
        self.flights.clear();
        self.falls.clear();
    }

    /// The trips in flight.
    pub fn flights(&self) -> &[Flight] {
        &self.flights
    }

    /// True if there are more trips than [`MAX_FLIGHTS`] can show: some are not drawn.
    pub fn is_crowded(&self) -> bool {
        self.flights.len() >= MAX_FLIGHTS
    }

    /// The falls under way.
    pub fn falls(&self) -> &[Fall] {
        &self.falls
    }

    /// The traced request whose particle is nearest `point` within `radius`, if any.
    pub fn traced_near(
        &self,
        corners: &[(f64, f64)],
        now: SimTime,
        point: (f64, f64),
        radius: f64,
    ) -> Option<u32> {
        self.flights
            .iter()
            .filter_map(|f| {
                let trace = f.trace?;
                let (x, y) = f.position(corners, now)?;
                let d2 = (x - point.0).powi(2) + (y - point.1).powi(2);
                (d2 <= radius * radius).then_some((d2, trace))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, trace)| trace)
    }
}

/// A spread in -1..1 from a request's number (deterministic, no random numbers needed).
/// True if the node at `origin` is of a kind that answers some requests itself, early.
fn answered_early(kinds: &[Kind], origin: u32) -> bool {
    kinds
        .get(origin as usize)
        .is_some_and(|k| k.spec().rules.answers_early)
}

fn spread_of(request: u64) -> f64 {
    let hashed = request.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    (hashed as f64 / (1u64 << 24) as f64) * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const KINDS: [Kind; 3] = [Kind::Service, Kind::Cache, Kind::Database];

    fn motion(leg: Leg, from: u32, to: u32, outcome: Outcome, origin: u32) -> Motion {
        Motion {
            leg,
            from,
            to,
            depart: 1_000,
            arrive: 3_000,
            request: 7,
            job: false,
            trace: Some(2),
            outcome,
            origin,
        }
    }

    #[wasm_bindgen_test]
    fn a_particle_moves_along_its_edge_at_the_edge_latency() {
        // Two boxes side by side on one row: the edge runs from the first's right border to
        // the second's left border, horizontally.
        let corners = [(0.0, 0.0), (340.0, 0.0)];
        let flight = Flight::of(&motion(Leg::Call, 0, 1, Outcome::Ok, 0), &KINDS);
        let y = NODE_H / 2.0 + LANE; // kept right of travel: below, going right
        assert_eq!(flight.position(&corners, 999), None, "not left yet");
        assert_eq!(flight.position(&corners, 1_000), Some((NODE_W, y)));
        assert_eq!(
            flight.position(&corners, 2_000),
            Some((240.0, y)),
            "half way"
        );
        assert_eq!(flight.position(&corners, 3_000), Some((340.0, y)));
        assert_eq!(flight.position(&corners, 3_001), None, "arrived");
    }

    #[wasm_bindgen_test]
    fn an_answer_travels_back_in_the_other_lane() {
        let corners = [(0.0, 0.0), (340.0, 0.0)];
        let back = Flight::of(&motion(Leg::Answer, 1, 0, Outcome::Ok, 1), &KINDS);
        let (x, y) = back.position(&corners, 2_000).unwrap();
        assert_eq!(x, 240.0);
        assert_eq!(y, NODE_H / 2.0 - LANE, "going left, its right is above");
    }

    #[wasm_bindgen_test]
    fn particles_are_coloured_by_what_happened() {
        let look = |leg, outcome, origin| Look::of(&motion(leg, 1, 0, outcome, origin), &KINDS);
        assert_eq!(look(Leg::Call, Outcome::Ok, 0), Look::Call);
        assert_eq!(look(Leg::Publish, Outcome::Ok, 0), Look::Job);
        assert_eq!(
            look(Leg::Answer, Outcome::Ok, 2),
            Look::Answer,
            "the database answered"
        );
        assert_eq!(
            look(Leg::Answer, Outcome::Ok, 1),
            Look::Hit,
            "the cache answered"
        );
        let dropped = look(Leg::Answer, Outcome::DroppedQueueFull, 1);
        assert_eq!(dropped, Look::Ended(Outcome::DroppedQueueFull));
        assert!(dropped.falls());
        let timed_out = look(Leg::Answer, Outcome::TimedOut, 0);
        assert_eq!(timed_out.colour(), Outcome::TimedOut.colour());
        assert!(!timed_out.falls());
        assert_eq!(
            look(Leg::Answer, Outcome::FailedNoRoute, 0).colour(),
            Outcome::FailedNoRoute.colour(),
            "each outcome in its own shade"
        );
        // Every look has its own bucket.
        let indices: Vec<usize> = Look::all().map(Look::index).collect();
        assert_eq!(indices, (0..Look::COUNT).collect::<Vec<_>>());
        let mut job = motion(Leg::Call, 0, 1, Outcome::Ok, 0);
        job.job = true;
        assert_eq!(Look::of(&job, &KINDS), Look::Job);
    }

    #[wasm_bindgen_test]
    fn a_dropped_request_falls_off_where_it_was_refused_and_is_forgotten() {
        let corners = [(0.0, 0.0), (340.0, 0.0)];
        let mut flights = Flights::default();
        let drop = motion(Leg::Answer, 1, 0, Outcome::DroppedQueueFull, 1);
        let relayed = motion(Leg::Answer, 0, 2, Outcome::DroppedQueueFull, 1);
        flights.take([drop, relayed].into_iter(), &KINDS, 1_000, 50.0);
        assert_eq!(
            flights.falls().len(),
            1,
            "it falls where it was refused, once"
        );
        let fall = flights.falls()[0];
        assert_eq!(fall.node, 1);
        let (_, y0, a0) = fall.position(&corners, 50.0).unwrap();
        let (_, y1, a1) = fall.position(&corners, 50.0 + FALL_MS / 2.0).unwrap();
        assert!(y1 > y0 && a1 < a0, "it falls and fades");
        assert_eq!(fall.position(&corners, 50.0 + FALL_MS), None);
        flights.settle(3_001, 50.0 + FALL_MS);
        assert!(flights.flights().is_empty() && flights.falls().is_empty());
    }

    #[wasm_bindgen_test]
    fn a_crowd_at_one_instant_is_drawn_up_to_the_cap_and_forgotten_when_time_moves() {
        // A loop of edges without latency: every trip departs and arrives at the same instant.
        let mut at_once = motion(Leg::Call, 0, 1, Outcome::Ok, 0);
        (at_once.depart, at_once.arrive) = (2_000, 2_000);
        let mut flights = Flights::default();
        let crowd = std::iter::repeat_n(at_once, 3 * MAX_FLIGHTS);
        flights.take(crowd, &KINDS, 2_000, 0.0);
        assert_eq!(flights.flights().len(), MAX_FLIGHTS);
        assert!(flights.is_crowded());
        flights.take(std::iter::repeat_n(at_once, 10), &KINDS, 2_000, 0.0);
        assert_eq!(flights.flights().len(), MAX_FLIGHTS, "still capped");
        flights.settle(2_001, 0.0);
        assert!(flights.flights().is_empty() && !flights.is_crowded());
    }

    #[wasm_bindgen_test]
    fn trips_already_over_are_not_kept_and_traced_particles_can_be_picked() {
        let corners = [(0.0, 0.0), (340.0, 0.0)];
        let mut flights = Flights::default();
        let mut untraced = motion(Leg::Call, 0, 1, Outcome::Ok, 0);
        untraced.trace = None;
        let traced = motion(Leg::Call, 0, 1, Outcome::Ok, 0);
        let mut over = traced;
        over.arrive = 1_500;
        flights.take([untraced, traced, over].into_iter(), &KINDS, 2_000, 0.0);
        assert_eq!(flights.flights().len(), 2);
        let at = (240.0, NODE_H / 2.0 + LANE);
        assert_eq!(flights.traced_near(&corners, 2_000, at, 5.0), Some(2));
        assert_eq!(
            flights.traced_near(&corners, 2_000, (240.0, 200.0), 5.0),
            None
        );
    }
}
