//! One run in the browser: the engine's [`Simulation`] plus what the view keeps about it (the
//! particles in flight, smoothed node levels). Not reactive: the driver owns it and copies
//! what the page shows into signals, a few times a second at most.

use super::flights::Flights;
use super::shards::ShardHeat;
use super::{BreakerLive, NodeLive, Snapshot};
use pattern_engine::components::Kind;
use pattern_engine::scenario::{validate, Fault, Scenario, Severity};
use pattern_engine::sim::FaultMarks;
use pattern_engine::time::SimTime;
use pattern_engine::Simulation;

/// Events handled between two looks at the wall clock: small enough to keep a slice within
/// its budget, large enough that reading the clock costs nothing.
pub const EVENTS_PER_CHECK: u64 = 2_048;

/// How quickly a node's utilisation colour follows its busy servers (per update, 0 to 1):
/// enough smoothing that a service flickering between 7 and 8 busy workers reads as "hot".
const SMOOTHING: f64 = 0.3;

/// A run under way.
pub struct Session {
    sim: Simulation,
    kinds: Vec<Kind>,
    /// The scenario as it was started, without layout and faults (see [`model_of`]).
    model: Scenario,
    /// The faults the run is following: the document's when it started, and every fault edit
    /// taken in place since.
    faults: Vec<Fault>,
    requests: Option<u64>,
    duration: Option<SimTime>,
    flights: Flights,
    busy: Vec<f64>,
    /// For each shard router (by node), what its heat strip remembers between updates.
    heat: Vec<Option<ShardHeat>>,
}

impl Session {
    /// Starts a run of `scenario`; an invalid one is refused with the validator's first error.
    pub fn start(scenario: &Scenario) -> Result<Session, String> {
        let sim = Simulation::new(scenario).map_err(|errors| {
            let first = errors.first().map_or(String::new(), |d| d.message.clone());
            format!(
                "The diagram has {} error(s), so it cannot run yet: {first}",
                errors.len()
            )
        })?;
        let kinds: Vec<Kind> = scenario.nodes.iter().map(|n| n.component.kind()).collect();
        let heat = kinds
            .iter()
            .map(|&k| (k == Kind::ShardRouter).then(ShardHeat::default))
            .collect();
        let mut session = Session {
            sim,
            kinds,
            model: model_of(scenario),
            faults: scenario.faults.clone(),
            requests: scenario.run.requests,
            duration: scenario.run.duration_s.map(pattern_engine::time::from_secs),
            flights: Flights::default(),
            busy: vec![0.0; scenario.nodes.len()],
            heat,
        };
        session.sim.record_motions(true);
        Ok(session)
    }

    /// Keeps the run in step with `scenario`, the document as it now stands: true if the run
    /// still is its run (nothing but layout and labels changed, or only faults the simulation
    /// could take in place), false if it must start again.
    pub fn follow(&mut self, scenario: &Scenario) -> bool {
        match follow(&self.model, &self.faults, scenario) {
            Follow::Keep => true,
            Follow::Reset => false,
            Follow::TakeFaults => {
                // The engine takes only what validates (a drag's preview may not: a crash
                // moved into a pause); anything else resets, and the run then says why not.
                let valid = !validate(scenario)
                    .iter()
                    .any(|d| d.severity == Severity::Error);
                let taken = valid && self.sim.take_faults(scenario);
                if taken {
                    self.faults = scenario.faults.clone();
                }
                taken
            }
        }
    }

    /// The simulation.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The particles.
    pub fn flights(&self) -> &Flights {
        &self.flights
    }

    /// Moves the run toward `until`, handling events until done or until `clock()` passes
    /// `deadline`, collecting the new particles as it goes (so the engine's motions never
    /// pile up past one batch, even over a long seek). Returns true if it got there.
    pub fn advance(
        &mut self,
        until: SimTime,
        deadline: f64,
        clock: &dyn Fn() -> f64,
        wall_ms: f64,
    ) -> bool {
        loop {
            let reached = self.sim.advance_toward(until, EVENTS_PER_CHECK);
            self.collect(wall_ms);
            if reached {
                return true;
            }
            if clock() >= deadline {
                return false;
            }
        }
    }

    /// Handles exactly one event (single-step).
    pub fn step(&mut self, wall_ms: f64) {
        self.sim.step();
        self.collect(wall_ms);
    }

    /// Runs without particles until `clock()` passes `deadline` or the run ends.
    pub fn fast_forward(&mut self, deadline: f64, clock: &dyn Fn() -> f64) {
        self.sim.record_motions(false);
        self.flights.clear();
        while !self.sim.is_finished() && clock() < deadline {
            self.sim.advance_events(EVENTS_PER_CHECK);
        }
    }

    /// Turns particles back on after a fast-forward.
    pub fn resume_particles(&mut self) {
        self.sim.record_motions(true);
    }

    fn collect(&mut self, wall_ms: f64) {
        let now = self.sim.now();
        self.flights
            .take(self.sim.drain_motions(), &self.kinds, now, wall_ms);
        self.flights.settle(now, wall_ms);
    }

    /// How far the run is, from 0 to 1: requests ended out of the budget, or simulated time
    /// out of the duration.
    pub fn progress(&self) -> f64 {
        if self.sim.is_finished() {
            return 1.0;
        }
        let c = self.sim.conservation();
        let fraction = match (self.duration, self.requests) {
            (Some(stop), _) if stop > 0 => self.sim.now() as f64 / stop as f64,
            (_, Some(n)) if n > 0 => (c.generated - c.in_flight) as f64 / n as f64,
            _ => 0.0,
        };
        fraction.clamp(0.0, 1.0)
    }

    /// Each node's state for its badge, smoothing utilisation across calls.
    pub fn node_levels(&mut self) -> Vec<NodeLive> {
        let stats = self.sim.node_stats();
        stats
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let utilisation = (s.servers > 0).then(|| {
                    let now = s.busy as f64 / s.servers as f64;
                    self.busy[i] += (now - self.busy[i]) * SMOOTHING;
                    self.busy[i]
                });
                let lookups = s.hits + s.misses;
                NodeLive {
                    utilisation,
                    queued: s.queued,
                    fill: self.sim.gauges(i).fill.map(|(held, room)| {
                        if room == 0 {
                            0.0
                        } else {
                            held as f64 / room as f64
                        }
                    }),
                    hit_ratio: (lookups > 0).then(|| s.hits as f64 / lookups as f64),
                    dropped: s.dropped,
                    failed: s.failed + s.timed_out,
                    fault: fault_words(self.sim.fault_marks(i)),
                    down: self.sim.fault_marks(i).down,
                    standby: self.sim.fault_marks(i).standby,
                    // Only routers are asked: the table is a fresh `Vec` per call.
                    shards: self.heat[i]
                        .as_mut()
                        .and_then(|heat| Some(heat.update(&self.sim.shard_table(i)?))),
                    coalesced: s.coalesced,
                    served_stale: s.served_stale,
                    retries: self.sim.node_retries(i as u32).then_some(s.retries),
                    hedges: self
                        .sim
                        .node_hedges(i as u32)
                        .then_some((s.hedges, s.hedges_won)),
                    wasted: {
                        let (count, time) = s.wasted();
                        (count, time as f64 / 1e9)
                    },
                }
            })
            .collect()
    }

    /// Each edge's circuit breaker now, in scenario order (the run's edges are the
    /// document's: any edit of them starts a new run).
    pub fn breakers(&self) -> Vec<Option<BreakerLive>> {
        (0..self.model.edges.len())
            .map(|i| self.sim.breaker(i))
            .collect()
    }

    /// What the page shows of the run: its summary and where it stands.
    pub fn snapshot(&self) -> Snapshot {
        let summary = self.sim.summary();
        let in_flight = summary.requests.in_flight;
        let queued = self.sim.node_stats().iter().map(|s| s.queued).sum();
        Snapshot::new(summary, self.sim.is_finished(), in_flight, queued)
    }
}

/// What a node's badge says of the faults in force on it: "down", "paused", "slow ×3",
/// "errors 30%", "spike ×5", "standby" (a shard its router places no keys on), joined; empty
/// when none.
pub fn fault_words(marks: FaultMarks) -> String {
    let mut words = Vec::new();
    if marks.down {
        words.push("down".to_string());
    }
    if marks.standby {
        words.push("standby".to_string());
    }
    if marks.paused {
        words.push("paused".to_string());
    }
    if marks.slow != 1.0 {
        words.push(format!("slow ×{}", short(marks.slow)));
    }
    if marks.errors > 0.0 {
        words.push(format!("errors {:.0}%", marks.errors * 100.0));
    }
    if marks.spike != 1.0 {
        words.push(format!("spike ×{}", short(marks.spike)));
    }
    words.join(" · ")
}

/// A factor in at most a decimal: 3, 2.5.
fn short(x: f64) -> String {
    let text = format!("{x:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// What a run does about an edit of its document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Follow {
    /// Nothing the run depends on changed (a move, a label).
    Keep,
    /// Only the faults changed: the simulation may take them in place (an injection, a heal);
    /// if it cannot, the run starts again.
    TakeFaults,
    /// Something else changed: the run starts again.
    Reset,
}

/// What a run of `model` (see [`model_of`]) following `faults` does when its document becomes
/// `scenario`. Documents are compared without their faults, so that a fault edit is told
/// apart from every other edit and offered to the simulation instead of resetting the run.
pub fn follow(model: &Scenario, faults: &[Fault], scenario: &Scenario) -> Follow {
    if model_of(scenario) != *model {
        Follow::Reset
    } else if scenario.faults != faults {
        Follow::TakeFaults
    } else {
        Follow::Keep
    }
}

/// The scenario with its layout, labels, description and faults removed: what a run depends
/// on apart from its fault timeline. Moving or relabelling a node leaves a run going;
/// changing faults is offered to the run ([`follow`]); changing anything else restarts it.
pub fn model_of(scenario: &Scenario) -> Scenario {
    let mut model = scenario.clone();
    model.description.clear();
    model.faults.clear();
    for node in &mut model.nodes {
        node.x = 0.0;
        node.y = 0.0;
        node.label.clear();
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::faults::{heal, inject};
    use pattern_engine::scenario::FaultTarget;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_fault_edit_is_offered_to_the_run_and_any_other_edit_resets_it() {
        let doc = crate::document::default_scenario();
        let (model, faults) = (model_of(&doc), doc.faults.clone());
        let mut moved = doc.clone();
        moved.nodes[0].x += 40.0;
        moved.nodes[0].label = "Someone else".into();
        assert_eq!(follow(&model, &faults, &moved), Follow::Keep);
        let mut injected = moved.clone();
        inject(&mut injected, "crash", FaultTarget::Node("db_a".into()), 0);
        assert_eq!(follow(&model, &faults, &injected), Follow::TakeFaults);
        let mut both = injected.clone();
        both.seed += 1;
        assert_eq!(
            follow(&model, &faults, &both),
            Follow::Reset,
            "a fault and more"
        );
    }

    #[wasm_bindgen_test]
    fn a_session_takes_an_injection_and_a_heal_and_resets_for_a_fault_in_the_past() {
        let mut doc = crate::document::default_scenario();
        let mut session = Session::start(&doc).unwrap();
        session.sim.advance_until(1_000_000_000);
        let db = FaultTarget::Node("db_a".into());
        let i = inject(&mut doc, "crash", db.clone(), session.sim.now());
        assert!(session.follow(&doc), "an injection keeps the run");
        session.sim.advance_until(1_500_000_000);
        heal(&mut doc, i, session.sim.now());
        assert!(session.follow(&doc), "a heal keeps the run");
        assert!(session.follow(&doc), "and nothing new is nothing new");
        let mut earlier = doc.clone();
        earlier.faults[i].at_s = 0.5;
        assert!(
            !session.follow(&earlier),
            "a start moved into the past resets"
        );
    }
}
