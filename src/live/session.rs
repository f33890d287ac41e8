//! One run in the browser: the engine's [`Simulation`] plus what the view keeps about it (the
//! particles in flight, smoothed node levels). Not reactive: the driver owns it and copies
//! what the page shows into signals, a few times a second at most.

use super::flights::Flights;
use super::{NodeLive, Snapshot};
use pattern_engine::components::Kind;
use pattern_engine::scenario::Scenario;
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
    /// The scenario as it was started, without layout (see [`model_of`]).
    model: Scenario,
    requests: Option<u64>,
    duration: Option<SimTime>,
    flights: Flights,
    busy: Vec<f64>,
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
        let mut session = Session {
            sim,
            kinds: scenario.nodes.iter().map(|n| n.component.kind()).collect(),
            model: model_of(scenario),
            requests: scenario.run.requests,
            duration: scenario.run.duration_s.map(pattern_engine::time::from_secs),
            flights: Flights::default(),
            busy: vec![0.0; scenario.nodes.len()],
        };
        session.sim.record_motions(true);
        Ok(session)
    }

    /// True if `scenario` would run differently from the run under way (anything but layout
    /// and labels changed).
    pub fn is_stale(&self, scenario: &Scenario) -> bool {
        model_of(scenario) != self.model
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
                    wasted: {
                        let (count, time) = s.wasted();
                        (count, time as f64 / 1e9)
                    },
                }
            })
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
/// "errors 30%", "spike ×5", joined; empty when none.
pub fn fault_words(marks: FaultMarks) -> String {
    let mut words = Vec::new();
    if marks.down {
        words.push("down".to_string());
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

/// The scenario with its layout, labels and description removed: what a run depends on.
/// Moving or relabelling a node leaves a run going; changing anything else restarts it.
pub fn model_of(scenario: &Scenario) -> Scenario {
    let mut model = scenario.clone();
    model.description.clear();
    for node in &mut model.nodes {
        node.x = 0.0;
        node.y = 0.0;
        node.label.clear();
    }
    model
}
