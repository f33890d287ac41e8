//! The simulation: a scenario compiled into node state machines around one event queue.
//!
//! `advance_until` and `advance_events` run it in slices of any size; many small slices give
//! exactly the result of one big one, so the browser can animate a run that the command line
//! computes in one go and both end with the same summary.

pub mod budget;
pub mod calls;
pub mod context;
pub(crate) mod core;
pub mod data;
pub mod events;
mod faults;
pub mod frames;
pub mod motion;
pub mod policies;
pub mod timers;
pub mod topology;

pub use self::faults::FaultMarks;
pub use self::policies::breaker::{BreakerCounts, BreakerState};

use self::calls::{CallId, CallSlots};
use self::context::Ctx;
use self::core::Core;
use self::events::{Event, Outcome, Status};
use self::frames::{Arena, Fate, Frame, ANSWERED, CRASHED, HOLDS_SERVER, QUEUED, WORKING};
use self::motion::Leg;
use self::motion::Motion;
use self::policies::Settled;
use self::timers::{NodeTimers, TimerId};
use self::topology::Topology;
use crate::components::shard_router::ShardTable;
use crate::components::wiring::{Peer, RouteTable, Wiring};
use crate::components::{Effects, Gauges, NodeState};
use crate::json::{Fields, FromJson, Json, ReadError, ToJson};
use crate::metrics::trace::{Trace, TraceStore};
use crate::metrics::{Conservation, NodeStats, Series, Summary};
use crate::random::{mix, stable_hash, Stream};
use crate::scenario::{validate, Diagnostic, Scenario, Severity};
use crate::time::{from_secs, SimTime};
use budget::{Stillness, StopReason, Stopped};
use std::collections::HashMap;

/// The identity of a finished run (see [`Simulation::fingerprint`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Events handled.
    pub events: u64,
    /// Hash of every event's time, kind and target, in order.
    pub event_hash: String,
    /// Hash of the summary's JSON text.
    pub summary_hash: String,
}

/// Written as `{"events": 80000, "event_hash": "9b00…", "summary_hash": "9660…"}`, as the
/// pinned runs in engine/tests/expected/fingerprints.json are, which the native and the
/// browser tests both read.
impl ToJson for Fingerprint {
    fn to_tree(&self) -> Json {
        Json::object([
            ("events", self.events.to_tree()),
            ("event_hash", self.event_hash.to_tree()),
            ("summary_hash", self.summary_hash.to_tree()),
        ])
    }
}

impl FromJson for Fingerprint {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["events", "event_hash", "summary_hash"])?;
        Ok(Fingerprint {
            events: f.req("events")?,
            event_hash: f.req("event_hash")?,
            summary_hash: f.req("summary_hash")?,
        })
    }
}

/// A runnable model of one scenario and seed.
pub struct Simulation {
    core: Core,
    nodes: Vec<NodeState>,
    ids: Vec<String>,
    name: String,
    seed: u64,
    stop_at: Option<SimTime>,
    events: u64,
    finished: bool,
    /// Why the run stopped early, if its budget ran out.
    stopped: Option<Stopped>,
    stillness: Stillness,
    event_hash: Option<u64>,
    /// The scenario, kept only when it has crash faults: a crashed node restarts from the
    /// state it was built with.
    rebuild: Option<Box<Scenario>>,
}

impl Simulation {
    /// Compiles a scenario. Fails with the validator's diagnostics if it has any error.
    pub fn new(scenario: &Scenario) -> Result<Self, Vec<Diagnostic>> {
        let diagnostics = validate(scenario);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect());
        }
        Ok(Self::compile(scenario))
    }

    fn compile(scenario: &Scenario) -> Self {
        let index: HashMap<&str, u32> = scenario
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i as u32))
            .collect();
        let topology = Topology::build(scenario, &index);
        let route_names = route_table(scenario);
        let mut nodes: Vec<NodeState> = (0..scenario.nodes.len())
            .map(|i| compile_node(scenario, i as u32, &topology, &route_names))
            .collect();
        let run = &scenario.run;
        let rngs: Vec<Stream> = scenario
            .nodes
            .iter()
            .map(|n| Stream::for_node(scenario.seed, &n.id))
            .collect();
        let stats = scenario
            .nodes
            .iter()
            .map(|n| NodeStats::with_servers(n.component.servers()))
            .collect();
        let kinds = scenario.nodes.iter().map(|n| n.component.kind()).collect();
        let arrivals_left = if run.duration_s.is_some() {
            None
        } else {
            run.requests
        };
        let mut core = Core::new(
            rngs,
            stats,
            kinds,
            topology,
            from_secs(run.warmup_s),
            run.hop_limit
                .map_or(u16::MAX, |limit| limit.min(u16::MAX.into()) as u16),
            arrivals_left,
            Series::keeping(
                from_secs(run.window_s),
                budget::MAX_SERIES_CELLS / scenario.nodes.len().max(1),
            ),
            TraceStore::new(run.trace_every),
        );
        core.faults = faults::FaultState::compile(scenario, &index, &core.topology);
        core.policies = scenario.edges.iter().any(|e| e.has_policy());
        core.policy = policies::Policies::compile(scenario, core.topology.edge_order());
        core.deadlines = scenario.edges.iter().any(|e| e.deadline_ms.is_some());
        core.data = data_of(scenario, &core.topology);
        // Work can be done for nobody only where a caller can stop waiting.
        core.can_waste = core.faults.any
            || core.policy.any
            || scenario.edges.iter().any(|e| e.timeout_ms.is_some())
            || scenario.nodes.iter().any(|n| n.component.gives_up());
        let bulkheads = scenario.edges.iter().any(|e| e.bulkhead.is_some());
        if bulkheads {
            core.edge_calls = vec![0; core.topology.edge_count()];
        }
        core.guarded = core.faults.any || core.deadlines || bulkheads || core.policy.any;
        let core_has_crashes = core.faults.has_crashes();
        // First at their instants, so a fault runs before anything else that happens then.
        core.faults.schedule(&mut core.queue);
        if arrivals_left != Some(0) {
            for (i, node) in nodes.iter_mut().enumerate() {
                if let NodeState::Client(c) = node {
                    for first in c.first_arrivals(&mut core.rngs[i]) {
                        core.pending_generates += 1;
                        let event = Event::Generate {
                            node: i as u32,
                            epoch: 0,
                        };
                        core.queue.push(first, event);
                    }
                }
            }
        }
        let mut sim = Simulation {
            core,
            nodes,
            ids: scenario.nodes.iter().map(|n| n.id.clone()).collect(),
            name: scenario.name.clone(),
            seed: scenario.seed,
            stop_at: run.duration_s.map(from_secs),
            events: 0,
            finished: false,
            stopped: None,
            stillness: Stillness::default(),
            event_hash: None,
            rebuild: core_has_crashes.then(|| Box::new(scenario.clone())),
        };
        // Shards that an `add_shard` fault adds stand by until it: routers place keys
        // without them from the start.
        if sim.core.faults.any {
            sim.reshard_all();
        }
        sim
    }

    /// Every shard router places its keys again on the shards serving now.
    #[cold]
    fn reshard_all(&mut self) {
        let core = &mut self.core;
        for (node, state) in self.nodes.iter_mut().enumerate() {
            if matches!(state, NodeState::ShardRouter(_)) {
                let mut ctx = Ctx {
                    core,
                    node: node as u32,
                };
                state.on_reshard(&mut ctx);
            }
        }
    }

    /// Takes the faults of `scenario`, the document this run was compiled from with its
    /// fault timeline edited, into the run without starting over, when a fresh run of that
    /// document would not tell the difference: faults appended that start after now (an
    /// injection), ends moved while both the old and the new one lie ahead (a heal). Returns
    /// false, changing nothing, for any other edit: then the run must start again. The caller
    /// has validated `scenario`, and nothing but its faults differs.
    pub fn take_faults(&mut self, scenario: &Scenario) -> bool {
        let core = &mut self.core;
        if !core.faults.fits(&scenario.faults, core.now) {
            return false;
        }
        if self.finished {
            return true; // what happens after the end changes nothing, here as in a fresh run
        }
        let index: HashMap<&str, u32> = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u32))
            .collect();
        let faults = &scenario.faults;
        core.faults
            .take(faults, &mut core.queue, &index, &core.topology);
        core.can_waste |= core.faults.any;
        core.guarded |= core.faults.any;
        if self.rebuild.is_none() && core.faults.has_crashes() {
            self.rebuild = Some(Box::new(scenario.clone()));
        }
        true
    }

    /// Keeps a running hash of every event handled (time, kind, node), to compare runs.
    pub fn enable_event_hash(&mut self) {
        self.event_hash.get_or_insert(0);
    }

    /// The event hash, if enabled.
    pub fn event_hash(&self) -> Option<u64> {
        self.event_hash
    }

    /// Runs `scenario` to its end with the event hash on and returns the run's identity: two
    /// runs with equal fingerprints handled the same events in the same order and printed the
    /// same summary. Tests compare it natively and in the browser.
    pub fn fingerprint(scenario: &Scenario) -> Result<Fingerprint, Vec<Diagnostic>> {
        let mut sim = Simulation::new(scenario)?;
        sim.enable_event_hash();
        sim.run_to_end();
        Ok(Fingerprint {
            events: sim.events,
            event_hash: format!("{:016x}", sim.event_hash.unwrap_or_default()),
            summary_hash: format!("{:016x}", stable_hash(sim.summary().to_json().as_bytes())),
        })
    }

    /// Handles the next event. Returns false when the run is over.
    pub fn step(&mut self) -> bool {
        self.step_within(SimTime::MAX)
    }

    /// Handles the next live event if it is due at or before `limit`. Events that no longer
    /// apply (a timer whose frame has gone, a client's arrival after the request budget is
    /// spent) are dropped on the way without moving the clock: a run's time is the time of
    /// what happened in it. Returns false if nothing was handled.
    fn step_within(&mut self, limit: SimTime) -> bool {
        loop {
            // A drained `requests` run is over, whatever is left in the queue: only node
            // timers (background) and dead events can be, and neither may move the clock.
            // (`is_drained` asks `frames.live() == 0` first: one comparison per event.)
            if self.core.is_drained() && self.stop_at.is_none() {
                self.finished = true;
                return false;
            }
            let stop_at = self.stop_at;
            let core = &mut self.core;
            let (frames, timers, calls, faults) =
                (&core.frames, &core.timers, &core.calls, &core.faults);
            let arrivals_left = core.arrivals_left;
            // Dead events are dropped as soon as they reach the front, whatever the limit, so
            // a run whose only pending events are dead is seen to be over at the same moment
            // however it is sliced. The clock stops at the run's duration: what is due at that
            // instant or later does not happen.
            let next = core.queue.pop_if(|time, event| {
                if !applies(frames, timers, calls, faults, arrivals_left, time, event) {
                    (Next::Dead, true)
                } else if time > limit && stop_at.is_none_or(|stop| limit < stop) {
                    // Not due yet, and the stop is not either: a paused run at `limit` stays
                    // where it is even when its next event lies past the end.
                    (Next::Live, false)
                } else if stop_at.is_some_and(|stop| time >= stop) {
                    (Next::Stop, false)
                } else {
                    (Next::Live, true)
                }
            });
            let (time, event) = match next {
                // Nothing will ever happen again: a timed run still lasts its duration, unless
                // its budget stopped it (and emptied the queue) where it was.
                None => {
                    if self.stopped.is_none() {
                        self.stop_clock();
                    }
                    self.finished = true;
                    return false;
                }
                Some((Next::Dead, dead)) => {
                    match dead {
                        Some((_, Event::Generate { .. })) => core.pending_generates -= 1,
                        // An answer to a call given up since: ignored, and counted as late.
                        Some((_, Event::Response { call, .. })) => {
                            core.calls.close(call);
                        }
                        _ => {}
                    }
                    continue;
                }
                Some((Next::Stop, _)) => {
                    self.stop_clock();
                    return false;
                }
                Some((Next::Live, None)) => return false,
                Some((Next::Live, Some(taken))) => taken,
            };
            if time >= self.core.series.current_end() {
                self.core.close_windows_until(time);
            }
            self.core.now = time;
            // Taken before the handler runs: an answer's code names its caller, whose call slot
            // the handler frees.
            let code = self
                .event_hash
                .is_some()
                .then(|| event_code(&event, &self.core.calls));
            self.dispatch(event);
            self.events += 1;
            if let (Some(h), Some(code)) = (self.event_hash.as_mut(), code) {
                *h = mix(*h ^ mix(time ^ code));
            }
            if self.events % budget::CHECK_EVERY == 0 {
                self.check_budget();
            }
            return true;
        }
    }

    /// Handles up to `max` events; returns how many it handled.
    pub fn advance_events(&mut self, max: u64) -> u64 {
        let mut n = 0;
        while n < max && self.step() {
            n += 1;
        }
        n
    }

    /// Handles every event up to and including simulated time `until`, then moves the clock
    /// there (not past the run's end).
    pub fn advance_until(&mut self, until: SimTime) {
        while !self.finished && self.step_within(until) {}
        if !self.finished && until > self.core.now {
            // Windows that ended before `until` with no event since are complete; one ending
            // exactly at `until` waits, since an event at `until` still belongs after it.
            self.core.now = until;
            if until > self.core.series.current_end() {
                self.core.close_windows_until(until - 1);
            }
        }
    }

    /// [`Simulation::advance_until`] in bounded pieces: handles at most `max` events due by
    /// `until`. Returns true once it has reached `until` (or the run's end), having done exactly
    /// what `advance_until(until)` would; false if events due by then remain. A viewer calls it
    /// in a loop with a time budget per frame.
    pub fn advance_toward(&mut self, until: SimTime, max: u64) -> bool {
        for _ in 0..max {
            if self.finished || !self.step_within(until) {
                self.advance_until(until);
                return true;
            }
        }
        false
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// True once the run is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.core.now
    }

    /// Events handled so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The conservation counts right now. `in_flight` is read from the request arena, not
    /// derived from the other counts, so the identity is a real check.
    pub fn conservation(&self) -> Conservation {
        use events::OutcomeClass as C;
        let ended = &self.core.totals.ended;
        Conservation {
            generated: self.core.totals.generated,
            completed: ended.class(C::Completed),
            failed: ended.class(C::Failed),
            dropped: ended.class(C::Dropped),
            timed_out: ended.class(C::TimedOut),
            in_flight: self.core.requests_open,
        }
    }

    /// Frames alive right now (zero once a run has drained: nothing leaks).
    pub fn live_frames(&self) -> usize {
        self.core.frames.live()
    }

    /// The node ids, in scenario order (metrics and traces refer to nodes by this index).
    pub fn node_ids(&self) -> &[String] {
        &self.ids
    }

    /// True if a call out of `node` may be retried: some edge leaving it retries.
    pub fn node_retries(&self, node: u32) -> bool {
        self.node_edge_has(node, false)
    }

    /// True if some edge leaving `node` hedges.
    pub fn node_hedges(&self, node: u32) -> bool {
        self.node_edge_has(node, true)
    }

    fn node_edge_has(&self, node: u32, hedges: bool) -> bool {
        let core = &self.core;
        let links = core.topology.links_of(node).len();
        (0..links).any(|l| {
            let edge = core.topology.edge_index(node, l);
            core.policy.edge_has(edge, hedges)
        })
    }

    /// The circuit breaker of the scenario's `i`-th edge, if it has one: its state now and
    /// its counts.
    pub fn breaker(&self, i: usize) -> Option<(BreakerState, BreakerCounts)> {
        let edge = self.core.topology.link_of_edge(i)?;
        let b = self.core.policy.breaker(edge)?;
        Some((b.state(), b.counts()))
    }

    /// The retry budget of the scenario's `i`-th edge, if it is a share of the calls in
    /// progress: (calls in progress, of them retrying) now.
    pub fn retry_budget(&self, i: usize) -> Option<(u32, u32)> {
        let edge = self.core.topology.link_of_edge(i)?;
        match self.core.policy.edges.get(edge as usize)?.as_ref()?.budget {
            policies::retry::Budget::Share {
                active, retrying, ..
            } => Some((active, retrying)),
            _ => None,
        }
    }

    /// What the faults in force do to node `node` now (nothing in a run without faults).
    pub fn fault_marks(&self, node: usize) -> FaultMarks {
        self.core.faults.marks(node)
    }

    /// Starts (or stops) keeping a [`Motion`] for every trip along an edge, for a viewer to
    /// collect with [`Simulation::drain_motions`]. Recording changes nothing about the run.
    pub fn record_motions(&mut self, on: bool) {
        self.core.motions = on.then(Vec::new);
    }

    /// The trips started since the last call, oldest first (none unless recording).
    pub fn drain_motions(&mut self) -> std::vec::Drain<'_, Motion> {
        match self.core.motions.as_mut() {
            Some(motions) => motions.drain(..),
            None => self.core.no_motions.drain(..),
        }
    }

    /// Each node's statistics right now, in scenario order: counts, busy servers, queue.
    pub fn node_stats(&self) -> &[NodeStats] {
        &self.core.stats
    }

    /// A shard router's shards and moves now; `None` for any other node.
    pub fn shard_table(&self, node: usize) -> Option<ShardTable> {
        self.nodes.get(node).and_then(NodeState::shard_table)
    }

    /// What node `node` reports about itself (a cache its fill); empty for a node out of range.
    pub fn gauges(&self, node: usize) -> Gauges {
        self.nodes
            .get(node)
            .map(NodeState::gauges)
            .unwrap_or_default()
    }

    /// The run-wide time series so far (closed windows only).
    pub fn series(&self) -> &Series {
        &self.core.series
    }

    /// The hop traces of the sampled requests so far; a trace in progress has the visits that
    /// have answered.
    pub fn traces(&self) -> &[Trace] {
        self.core.traces.traces()
    }

    /// The measurements so far, as the command-line tool prints them.
    pub fn summary(&self) -> Summary {
        Summary::build(self)
    }

    /// The measured span for rates: after the warm-up, up to now, or, for a drained run that
    /// stopped creating requests, up to the last request's end.
    pub(crate) fn throughput_span(&self) -> SimTime {
        let end = if self.finished && self.stop_at.is_none() {
            self.core.last_request_end
        } else {
            self.core.now
        };
        end.saturating_sub(self.core.warmup)
    }

    pub(crate) fn core(&self) -> &Core {
        &self.core
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// Checked every [`budget::CHECK_EVERY`] events rather than after each, which would cost
    /// the event loop 3% (measured).
    #[cold]
    #[inline(never)]
    fn check_budget(&mut self) {
        // Events held at a paused node are pending too.
        let pending = self.core.queue.len() + self.core.faults.held_events();
        let frames = self.core.frames.live();
        let reason = if budget::over(frames, pending) {
            budget::reason(frames, self.core.requests.live() as u64)
        } else if self.core.data.held() >= budget::MAX_VERSIONS {
            StopReason::Versions
        } else if self.stillness.too_still(self.core.now) {
            StopReason::ClockStill
        } else {
            return;
        };
        self.stopped = Some(Stopped {
            reason,
            at: self.core.now,
        });
        self.finished = true;
        // Nothing more happens: with the queue empty every later step returns at once, and
        // the memory the run was running out of is given back. The measurements stay.
        self.core.queue.clear();
    }

    /// Why the run stopped before its end, if its budget ran out (see [`budget`]).
    pub fn stopped(&self) -> Option<Stopped> {
        self.stopped
    }

    fn stop_clock(&mut self) {
        if let Some(stop) = self.stop_at {
            self.core.close_windows_until(stop);
            self.core.now = self.core.now.max(stop);
        }
        self.finished = true;
    }

    /// Routes an event to its node. Always inlined into the event loop: it is the loop's
    /// body, and left to itself the compiler stops inlining it as kinds are added (measured:
    /// +6% instructions per event with the ninth kind).
    #[inline(always)]
    fn dispatch(&mut self, event: Event) {
        if self.core.guarded && self.intercept(event) {
            return;
        }
        let core = &mut self.core;
        match event {
            Event::Generate { node, .. } => {
                core.pending_generates -= 1;
                let mut ctx = Ctx { core, node };
                self.nodes[node as usize].on_generate(&mut ctx);
            }
            Event::Arrive { frame } => {
                let node = core.frames[frame].node;
                core.stats[node as usize].arrivals += 1;
                if core.data.on {
                    core.capture(frame, node);
                }
                let mut ctx = Ctx { core, node };
                self.nodes[node as usize].on_arrive(&mut ctx, frame);
            }
            Event::WorkDone { frame } => {
                let node = core.frames[frame].node;
                if core.can_waste {
                    core.count_if_wasted(frame);
                }
                let mut ctx = Ctx { core, node };
                self.nodes[node as usize].on_work_done(&mut ctx, frame);
            }
            Event::Response { call, status } => {
                // Live, so still out (`applies`): the slot gives the calling frame back.
                let frame = if core.data.on {
                    core.close_carrying_value(call)
                } else {
                    core.calls.close_out(call)
                };
                let node = core.frames[frame].node;
                let mut ctx = Ctx { core, node };
                // An answer to a frame that already gave up is an orphan: `receive` drops it.
                self.nodes[node as usize].receive(&mut ctx, frame, status);
            }
            Event::Timeout { frame, tag, .. } => {
                let node = core.frames[frame].node;
                let mut ctx = Ctx { core, node };
                self.nodes[node as usize].on_timeout(&mut ctx, frame, tag);
            }
            Event::Timer { slot, generation } => {
                // Live, so armed (`applies`): fire it at its node.
                if let Some((node, tag)) = core.timers.fire(TimerId { slot, generation }) {
                    let mut ctx = Ctx { core, node };
                    self.nodes[node as usize].on_timer(&mut ctx, tag);
                }
            }
            Event::CallTimeout { call } => self.give_up(call),
            Event::Retry { call } => self.retry(call),
            Event::Hedge { call } => self.hedge(call),
            Event::Fault { index, begins } => {
                for node in core.faults.crashing(index, begins) {
                    self.crash(node);
                }
                let core = &mut self.core;
                for &node in core.faults.flushed(index, begins) {
                    self.nodes[node as usize].forget();
                }
                // Events held at a node whose pause is over are handled again now, in order.
                for held in core.faults.switch(index, begins) {
                    core.queue.push_first(core.now, held);
                }
                // A spike's clients draw their next arrival again, at the new rate.
                for node in core.faults.respiked(index) {
                    if let NodeState::Client(client) = &mut self.nodes[node as usize] {
                        let mut ctx = Ctx { core, node };
                        client.redraw(&mut ctx);
                    }
                }
                if core.faults.reshards(index) {
                    self.reshard_all();
                }
            }
        }
    }

    /// What the faults in force and the policies of the run do to `event` before its node
    /// sees it; true if that is all that happens to it now. Kept out of line: a run without
    /// faults, deadlines or bulkheads never calls it.
    #[cold]
    #[inline(never)]
    fn intercept(&mut self, event: Event) -> bool {
        // A fault first: an event held by a pause is seen again, whole, when it resumes.
        if self.core.faults.any && self.faulted(event) {
            return true;
        }
        let core = &mut self.core;
        match event {
            Event::Arrive { frame } if core.deadlines && core.expired(frame) => {
                // Its deadline passed on the way: refused before its node does anything.
                let node = core.frames[frame].node;
                core.stats[node as usize].arrivals += 1;
                Ctx { core, node }.refuse(frame, Outcome::DeadlineExceeded);
                true
            }
            Event::Response { call, status } => {
                core.leave_bulkhead(call);
                core.policy.any && {
                    let caller = core
                        .calls
                        .caller(call)
                        .expect("a live answer's call is out");
                    let node = core.frames[caller].node;
                    core.settle(call, status, node) == Settled::Kept
                }
            }
            _ => false,
        }
    }

    /// What the faults in force do to `event` before its node sees it; true if that is all
    /// that happens to it now.
    fn faulted(&mut self, event: Event) -> bool {
        let core = &mut self.core;
        let node = match event {
            Event::Generate { node, .. } => node,
            Event::Arrive { frame } | Event::WorkDone { frame } | Event::Timeout { frame, .. } => {
                core.frames[frame].node
            }
            Event::Response { call, .. }
            | Event::CallTimeout { call, .. }
            | Event::Retry { call }
            | Event::Hedge { call } => match core.calls.caller(call) {
                Some(frame) => core.frames[frame].node,
                None => return false,
            },
            Event::Timer { slot, generation } => {
                match core.timers.node_of(TimerId { slot, generation }) {
                    Some(node) => node,
                    None => return false,
                }
            }
            Event::Fault { .. } => return false,
        };
        if core.faults.hold(node, event) {
            return true;
        }
        match event {
            Event::Arrive { frame } if core.faults.down[node as usize] => {
                // A crashed node refuses what reaches it, at once.
                core.stats[node as usize].arrivals += 1;
                Ctx { core, node }.refuse(frame, Outcome::FailedNodeDown);
                return true;
            }
            Event::WorkDone { frame } if core.frames[frame].has(CRASHED) => {
                // Work its node was doing when it crashed: wasted, and no longer its node's.
                let f = &mut core.frames[frame];
                f.flags &= !CRASHED;
                if f.unpin(WORKING) == Fate::Free {
                    core.free_frame(frame);
                }
                return true;
            }
            _ => {}
        }
        if let Event::Arrive { frame } = event {
            if core.faults.fails(node, false) {
                // An errors fault at arrival: refused at once, without work.
                core.stats[node as usize].arrivals += 1;
                Ctx { core, node }.refuse(frame, Outcome::FailedError);
                return true;
            }
        }
        false
    }
}

/// The run's data sets: each node's role and who it calls and is called by.
fn data_of(scenario: &Scenario, topology: &Topology) -> data::Data {
    let n = scenario.nodes.len();
    let roles: Vec<_> = scenario
        .nodes
        .iter()
        .map(|node| node.component.kind().spec().rules.data)
        .collect();
    let callees: Vec<Vec<u32>> = (0..n as u32)
        .map(|node| topology.links_of(node).iter().map(|l| l.to).collect())
        .collect();
    let mut callers = vec![Vec::new(); n];
    for (from, to) in callees.iter().enumerate() {
        for &t in to {
            callers[t as usize].push(from as u32);
        }
    }
    data::Data::new(&roles, &callees, &callers)
}

impl Simulation {
    /// The caller of `call`, still out (`applies`), stops waiting: its edge's timeout has
    /// passed. The callee is not told; its answer, when it comes, finds the call given up.
    /// Out of line: most runs never time a call out.
    #[cold]
    #[inline(never)]
    fn give_up(&mut self, call: CallId) {
        let core = &mut self.core;
        core.note_give_up();
        core.leave_bulkhead(call);
        if core.policy.any {
            let node = core.frames[core.calls.caller(call).expect("out")].node;
            let status = Status {
                outcome: Outcome::TimedOut,
                origin: node,
            };
            if core.settle(call, status, node) == Settled::Kept {
                return;
            }
        }
        let frame = core.calls.close_out(call);
        let node = core.frames[frame].node;
        let mut ctx = Ctx { core, node };
        ctx.count(Outcome::TimedOut);
        let status = ctx.status(Outcome::TimedOut);
        self.deliver(frame, status);
    }

    /// Hands `status` to `frame`'s node as the answer to its call, out of line: the cold
    /// paths (a call timed out, a retry that cannot go) share this one copy of every kind's
    /// answer handling, which the answer arm of the event loop inlines for itself (each
    /// inlined copy costs the browser bundle kilobytes).
    #[cold]
    #[inline(never)]
    fn deliver(&mut self, frame: u32, status: Status) {
        let core = &mut self.core;
        let node = core.frames[frame].node;
        let mut ctx = Ctx { core, node };
        self.nodes[node as usize].receive(&mut ctx, frame, status);
    }

    /// The calling frame of `call` (still out, `applies`), a copy of it, and the edge whose
    /// policies the call is under.
    fn policy_call(&self, call: CallId) -> (u32, frames::Frame, Option<u32>) {
        let frame = self
            .core
            .calls
            .caller(call)
            .expect("a live event's call is out");
        (
            frame,
            self.core.frames[frame],
            self.core.policy.edge_of(call),
        )
    }

    /// The backoff of `call` (still out, `applies`) is over: its next attempt leaves along
    /// the same edge, unless its caller has answered meanwhile (it timed out itself, or its
    /// node crashed), when the latest failure is what it hears.
    #[cold]
    #[inline(never)]
    fn retry(&mut self, call: CallId) {
        let (frame, f, edge) = self.policy_call(call);
        let core = &mut self.core;
        if f.has(ANSWERED) || edge.is_none() {
            let status = core.last_failure(call);
            core.conclude(call, status);
            core.calls.close_out(call);
            self.deliver(frame, status);
            return;
        }
        let edge = edge.expect("checked above");
        core.count_retry(f.node, f.request);
        if core.attempt_leaves(edge, call, f.node) {
            return;
        }
        core.send_attempt(f.node, edge, call, f.request, f.depth, Leg::Retry);
    }

    /// The hedging delay of `call` (still out) is over without an answer: a second attempt
    /// leaves along the same edge, unless one has already, its caller has answered, or the
    /// edge's bulkhead has no place for it.
    #[cold]
    #[inline(never)]
    fn hedge(&mut self, call: CallId) {
        let (frame, f, edge) = self.policy_call(call);
        let core = &mut self.core;
        let Some(edge) = edge else {
            return;
        };
        if f.has(ANSWERED) || core.bulkhead_full(edge) {
            return;
        }
        let Some(hedge) = core.open_hedge(call, frame) else {
            return;
        };
        if core.requests[f.request].measured {
            core.stats[f.node as usize].hedges += 1;
        }
        if !core.attempt_leaves(edge, hedge, f.node) {
            core.send_attempt(f.node, edge, hedge, f.request, f.depth, Leg::Retry);
        }
    }

    /// A crash fault strikes `node`: everything it held is answered `failed_node_down` (its
    /// callers hear at once, over the edge's latency), its work in progress is wasted, its
    /// timers go, and it starts again from the state it was built with (what a kind keeps in
    /// memory, a cache's keys, is gone; nothing modelled here is durable beyond that).
    #[cold]
    #[inline(never)]
    fn crash(&mut self, node: u32) {
        let core = &mut self.core;
        core.note_give_up();
        core.timers.cancel_node(node);
        let now = core.now;
        for frame in core.frames.live_indices() {
            let f = &mut core.frames[frame];
            // Calls still on their way are refused when they arrive, like any other.
            if f.node != node || f.arrived >= now {
                continue;
            }
            // Its queue place and its server were the old state's.
            f.flags &= !(QUEUED | HOLDS_SERVER);
            if f.has(WORKING) {
                f.flags |= CRASHED;
                // Cut short: what it did so far is lost.
                let work = now - f.started;
                if core.requests[f.request].measured {
                    core.stats[node as usize].record_waste(work);
                }
            }
            if f.has(ANSWERED) {
                if !f.is_pinned() {
                    core.free_frame(frame);
                }
                continue;
            }
            Ctx { core, node }.refuse(frame, Outcome::FailedNodeDown);
        }
        if let Some(scenario) = &self.rebuild {
            let routes = route_table(scenario);
            self.nodes[node as usize] = compile_node(scenario, node, &core.topology, &routes);
            // A shard router rebuilt knows nothing of the keys written before: it places
            // keys again on the shards serving now.
            let mut ctx = Ctx { core, node };
            self.nodes[node as usize].on_reshard(&mut ctx);
        }
        let from = core.warmup;
        core.stats[node as usize].set_levels(now, from, 0, 0);
    }
}

/// What the event at the front of the queue is, for the loop.
enum Next {
    Dead,
    Stop,
    Live,
}

/// True unless the event no longer applies: a timer whose frame has answered or gone, a node
/// timer cancelled, an answer to a call given up, a client's next arrival once the request
/// budget is spent or once a spike has redrawn it, or a fault's end moved by a heal.
#[inline]
fn applies(
    frames: &Arena<Frame>,
    timers: &NodeTimers,
    calls: &CallSlots,
    faults: &faults::FaultState,
    arrivals_left: Option<u64>,
    time: SimTime,
    event: &Event,
) -> bool {
    match *event {
        Event::Timeout {
            frame, generation, ..
        } => {
            let f = &frames[frame];
            f.generation == generation && !f.has(ANSWERED)
        }
        Event::Generate { node, epoch } => {
            arrivals_left != Some(0) && faults.arrival_stands(node, epoch)
        }
        Event::Timer { slot, generation } => timers.is_armed(TimerId { slot, generation }),
        Event::Response { call, .. }
        | Event::CallTimeout { call, .. }
        | Event::Retry { call }
        | Event::Hedge { call } => calls.caller(call).is_some(),
        Event::Fault {
            index,
            begins: false,
        } => faults.ends_at(index, time),
        _ => true,
    }
}

/// The event's identity in the event hash: its kind and the arena index it concerns (an
/// answer by its calling frame, as before calls had slots, so pinned hashes still hold).
fn event_code(event: &Event, calls: &CallSlots) -> u64 {
    match *event {
        Event::Generate { node, .. } => (1 << 60) | node as u64,
        Event::Arrive { frame } => (2 << 60) | frame as u64,
        Event::WorkDone { frame } => (3 << 60) | frame as u64,
        Event::Response { call, status } => {
            let frame = calls.caller(call).unwrap_or(u32::MAX);
            (4 << 60)
                | ((status.outcome as u64) << 40)
                | ((status.origin as u64) << 20)
                | frame as u64
        }
        // A deadline (tag 0) hashes as it always has.
        Event::Timeout { frame, tag, .. } => (5 << 60) | (u64::from(tag) << 40) | frame as u64,
        Event::Timer { slot, .. } => (6 << 60) | u64::from(slot),
        Event::Fault { index, begins } => (7 << 60) | (u64::from(index) << 1) | u64::from(begins),
        Event::CallTimeout { call } => {
            (8 << 60) | u64::from(calls.caller(call).unwrap_or(u32::MAX))
        }
        Event::Retry { call } => (9 << 60) | u64::from(calls.caller(call).unwrap_or(u32::MAX)),
        Event::Hedge { call } => (10 << 60) | u64::from(calls.caller(call).unwrap_or(u32::MAX)),
    }
}

/// Every named route any node sends on, in order of first appearance.
fn route_table(scenario: &Scenario) -> RouteTable {
    RouteTable::new(
        scenario
            .nodes
            .iter()
            .flat_map(|node| node.component.route_names()),
    )
}

fn compile_node(
    scenario: &Scenario,
    i: u32,
    topology: &Topology,
    routes: &RouteTable,
) -> NodeState {
    let links = topology.links_of(i);
    let peers = links
        .iter()
        .map(|l| {
            let node = &scenario.nodes[l.to as usize];
            Peer {
                id: &node.id,
                kind: node.component.kind(),
                servers: node.component.servers(),
            }
        })
        .collect();
    let wiring = Wiring {
        links,
        peers,
        routes,
    };
    NodeState::build(&scenario.nodes[i as usize].component, &wiring)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{compact, parse};
    /// A millisecond in simulated nanoseconds.
    const MS: SimTime = 1_000_000;

    const QUEUE: &str = r#"{"version": 1, "seed": 3,
        "run": {"requests": 2000, "window_s": 0.5},
        "nodes": [
          {"id": "c", "kind": "client", "config": {"arrival": {"poisson": {"rate_per_s": 700}}}},
          {"id": "s", "kind": "service", "config": {"workers": 1, "timeout_ms": 5000}}],
        "edges": [{"from": "c", "to": "s", "latency_ms": 1}]}"#;

    fn queue(duration_s: Option<f64>) -> Simulation {
        let mut scenario = crate::scenario::from_json(QUEUE).unwrap();
        if let Some(d) = duration_s {
            (scenario.run.requests, scenario.run.duration_s) = (None, Some(d));
        }
        Simulation::new(&scenario).unwrap()
    }

    impl Simulation {
        /// Arms node timers at `node` every `period` from `period` up to `until`: a periodic
        /// timer, as a kind that re-arms it on every tick would make.
        fn arm_ticks(&mut self, node: u32, period: SimTime, until: SimTime) -> u64 {
            let mut n = 0;
            let mut at = period;
            while at <= until {
                let id = self.core.timers.arm(node, 1);
                let (slot, generation) = (id.slot, id.generation);
                self.core.queue.push(at, Event::Timer { slot, generation });
                at += period;
                n += 1;
            }
            n
        }
    }

    #[test]
    fn background_timers_never_keep_a_drained_run_alive() {
        let mut plain = queue(None);
        plain.run_to_end();
        let end = plain.now();
        let mut ticked = queue(None);
        // Ticks every millisecond until well past the end; the service's deadlines of five
        // seconds are left in the queue as dead timers too.
        ticked.arm_ticks(1, MS, end + 10_000 * MS);
        ticked.run_to_end();
        assert_eq!(ticked.now(), end, "the same simulated end");
        let (a, b) = (plain.summary(), ticked.summary());
        assert_eq!(a.simulated_s, b.simulated_s);
        // Ticks due by the last real event ran (a tick at that very instant was queued first);
        // the rest were dropped, not handled and not counted.
        assert_eq!(b.events - a.events, end / MS);
        assert_eq!(
            (a.requests.completed, a.latency_ms.p99, a.nodes.clone()),
            (b.requests.completed, b.latency_ms.p99, b.nodes.clone())
        );
    }

    #[test]
    fn in_a_timed_run_timers_fire_until_the_stop() {
        let mut plain = queue(Some(1.0));
        plain.run_to_end();
        let mut ticked = queue(Some(1.0));
        ticked.arm_ticks(0, MS, 5_000 * MS);
        ticked.run_to_end();
        // Ticks at 1..999 ms; the one due at the stop instant does not happen.
        assert_eq!(ticked.events() - plain.events(), 999);
        assert_eq!(ticked.now(), plain.now());
    }

    #[test]
    fn a_cancelled_node_timer_never_fires_and_moves_nothing() {
        let mut sim = queue(Some(0.5));
        let id = sim.core.timers.arm(1, 4);
        let (slot, generation) = (id.slot, id.generation);
        sim.core
            .queue
            .push(100 * MS, Event::Timer { slot, generation });
        sim.core.timers.cancel(id);
        let mut plain = queue(Some(0.5));
        sim.enable_event_hash();
        plain.enable_event_hash();
        sim.run_to_end();
        plain.run_to_end();
        assert_eq!(sim.events(), plain.events());
        assert_eq!(sim.event_hash(), plain.event_hash());
    }

    #[test]
    fn a_fingerprint_reads_back_from_its_json() {
        let fingerprint = Fingerprint {
            events: 80_000,
            event_hash: "9b00f9100c6291bf".into(),
            summary_hash: "96607f7783e22f27".into(),
        };
        let text = compact(&fingerprint.to_tree());
        assert_eq!(
            text,
            r#"{"events":80000,"event_hash":"9b00f9100c6291bf","summary_hash":"96607f7783e22f27"}"#
        );
        assert_eq!(
            Fingerprint::from_tree(&parse(&text).unwrap()),
            Ok(fingerprint)
        );
        let missing = parse(r#"{"events": 1, "event_hash": "a"}"#).unwrap();
        assert_eq!(
            Fingerprint::from_tree(&missing).unwrap_err().to_string(),
            "missing field `summary_hash`"
        );
    }
}
