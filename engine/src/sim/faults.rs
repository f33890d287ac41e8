//! Faults as a run applies them: the document's timeline (`scenario::faults`) compiled to node
//! and edge indices, and the state the faults in force give each node and edge. The
//! dispatcher and `Ctx` read it at four places (an event's arrival at its node, the start of
//! work, a departure along an edge, an answer), each behind one `any` check, so a run without
//! faults pays one predictable branch there and nothing else; a kind never asks whether it
//! is faulty.
//!
//! A fault's start and end are events (`Event::Fault`) scheduled before anything else, so at
//! an instant shared with other events they run first. Whenever one starts or ends, the state
//! is worked out again from every fault in force: overlapping faults compose (two slowdowns
//! multiply, the larger error share wins) and an end never undoes another fault.

use super::events::{Event, EventQueue};
use super::topology::Topology;
use crate::random::Stream;
use crate::scenario::faults::FAULTS;
use crate::scenario::{Fault, FaultKind, FaultTarget, Scenario};
use crate::time::{from_ms, from_secs, SimTime};
use std::collections::HashMap;

/// What one fault strikes, by index.
#[derive(Clone, Debug)]
enum Struck {
    Nodes(Vec<u32>),
    Edge(u32),
    /// Each node's side (0 for none).
    Sides(Vec<u16>),
}

/// One compiled fault.
#[derive(Clone, Debug)]
struct Compiled {
    kind: FaultKind,
    struck: Struck,
}

/// What the faults in force do to one node now, for a viewer to show.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FaultMarks {
    /// Crashed: it fails what reaches it.
    pub down: bool,
    /// Paused: what reaches it waits.
    pub paused: bool,
    /// How many times longer its work takes (1: no slowdown).
    pub slow: f64,
    /// The share of what it handles that fails (0: none).
    pub errors: f64,
    /// How many times faster it sends, for a client (1: no spike).
    pub spike: f64,
    /// A shard standing by: its router places no keys on it now.
    pub standby: bool,
}

/// A node's share of failures, and whether they come after the work.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Errors {
    /// The share of what the node handles that fails (0: none).
    pub fraction: f64,
    /// True to fail answers once the work is done, rather than arrivals.
    pub after_work: bool,
}

/// The faults of a run, and what those in force do now.
#[derive(Clone, Debug, Default)]
pub(crate) struct FaultState {
    /// True if the run has any fault at all: the one check on the hot paths.
    pub any: bool,
    faults: Vec<Compiled>,
    /// The faults as the document has them, in its order.
    sources: Vec<Fault>,
    /// When each ends, if it does (a heal moves it).
    ends: Vec<Option<SimTime>>,
    active: Vec<bool>,
    /// Per node: how many times longer the work it starts takes (1: no fault).
    pub slow: Vec<f64>,
    /// Per node: the errors it injects.
    pub errors: Vec<Errors>,
    /// Per node: true while paused.
    pub paused: Vec<bool>,
    /// Per node: true while crashed (down): what reaches it fails at once.
    pub down: Vec<bool>,
    /// Per node: the events that reached it while paused, in order.
    held: Vec<Vec<Event>>,
    /// Per topology edge: trips departing now take `latency × factor + plus`.
    pub latency: Vec<(f64, SimTime)>,
    /// Per node: how many times faster a client sends (1: no spike).
    pub spike: Vec<f64>,
    /// Per node: a client's arrival epoch, moved on whenever a spike on it starts or ends,
    /// which voids the arrival drawn at the old rate.
    epochs: Vec<u32>,
    /// The partitions in force: each node's side in each (0: on no side).
    partitions: Vec<Vec<u16>>,
    /// Per node: true for a shard that an `add_shard` fault adds: it stands by outside it.
    added: Vec<bool>,
    /// Per node: true for a shard its router places no keys on now.
    pub standby: Vec<bool>,
    /// Per node: the stream its error coins come from, its own purpose so that adding an
    /// errors fault never reshuffles the node's service times.
    coins: Vec<Stream>,
}

impl FaultState {
    /// Compiles `scenario`'s faults; `index` maps node ids to indices.
    pub(crate) fn compile(
        scenario: &Scenario,
        index: &HashMap<&str, u32>,
        topology: &Topology,
    ) -> FaultState {
        let nodes = scenario.nodes.len();
        let faults: Vec<Compiled> = scenario
            .faults
            .iter()
            .map(|f| compile_one(f, index, topology, nodes))
            .collect();
        let added = added_shards(&faults, nodes);
        FaultState {
            any: !faults.is_empty(),
            standby: added.clone(),
            added,
            active: vec![false; faults.len()],
            faults,
            sources: scenario.faults.clone(),
            ends: scenario.faults.iter().map(end_of).collect(),
            slow: vec![1.0; nodes],
            errors: vec![Errors::default(); nodes],
            paused: vec![false; nodes],
            down: vec![false; nodes],
            held: vec![Vec::new(); nodes],
            latency: vec![(1.0, 0); topology.edge_count()],
            partitions: Vec::new(),
            spike: vec![1.0; nodes],
            epochs: vec![0; nodes],
            coins: scenario
                .nodes
                .iter()
                .map(|n| Stream::for_purpose(scenario.seed, &n.id, "fault errors"))
                .collect(),
        }
    }

    /// Schedules the start and end of every fault.
    pub(crate) fn schedule(&self, queue: &mut EventQueue) {
        for (i, f) in self.sources.iter().enumerate() {
            queue.push_fault(from_secs(f.at_s), i as u32, true);
            if let Some(end) = self.ends[i] {
                queue.push_fault(end, i as u32, false);
            }
        }
    }

    /// True if fault `index` ends at `time`: an end the fault was healed before is void.
    #[inline]
    pub(crate) fn ends_at(&self, index: u32, time: SimTime) -> bool {
        self.ends.get(index as usize) == Some(&Some(time))
    }

    /// True if `wanted`, the document's faults as they now stand, differs from the faults of
    /// this run at `now` only in ways a fresh run of that document would not tell apart from
    /// this one: faults added after the last that start after `now`, and ends (a heal, a
    /// longer fault) moved while both the old and the new end are after `now`.
    pub(crate) fn fits(&self, wanted: &[Fault], now: SimTime) -> bool {
        if wanted.len() < self.sources.len() || wanted.len() as f64 > FAULTS.most {
            return false;
        }
        let later = |end: Option<SimTime>| end.is_none_or(|t| t > now);
        let (kept, added) = wanted.split_at(self.sources.len());
        let kept_fit = kept
            .iter()
            .zip(&self.sources)
            .zip(&self.ends)
            .all(|((new, old), &end)| {
                let new_end = end_of(new);
                new.at_s == old.at_s
                    && new.target == old.target
                    && new.kind == old.kind
                    && (new_end == end || (later(end) && later(new_end)))
            });
        kept_fit
            && added
                .iter()
                .all(|f| from_secs(f.at_s) > now && self.adds_in_place(f))
    }

    /// False for an `add_shard` fault on a shard no earlier one adds: in a fresh run of the
    /// document that shard would stand by from the start, which this run, where it served,
    /// cannot take in place.
    fn adds_in_place(&self, fault: &Fault) -> bool {
        if fault.kind != FaultKind::AddShard {
            return true;
        }
        let ids = |t: &FaultTarget| -> Vec<String> {
            match t {
                FaultTarget::Node(id) => vec![id.clone()],
                FaultTarget::Nodes(ids) => ids.clone(),
                _ => Vec::new(),
            }
        };
        let added: Vec<String> = self
            .sources
            .iter()
            .filter(|f| f.kind == FaultKind::AddShard)
            .flat_map(|f| ids(&f.target))
            .collect();
        ids(&fault.target).iter().all(|id| added.contains(id))
    }

    /// Takes `wanted` into the run, which [`FaultState::fits`] allows: schedules the starts of
    /// the faults added and every end that moved.
    pub(crate) fn take(
        &mut self,
        wanted: &[Fault],
        queue: &mut EventQueue,
        index: &HashMap<&str, u32>,
        topology: &Topology,
    ) {
        let ends: Vec<Option<SimTime>> = wanted.iter().map(end_of).collect();
        let added = &wanted[self.sources.len()..];
        for (i, end) in ends.iter().enumerate() {
            let moved = self.ends.get(i) != Some(end);
            if let (true, Some(end)) = (moved, *end) {
                queue.push_fault(end, i as u32, false);
            }
        }
        for (i, fault) in added.iter().enumerate() {
            let at = i + self.sources.len();
            queue.push_fault(from_secs(fault.at_s), at as u32, true);
            let nodes = self.slow.len();
            self.faults.push(compile_one(fault, index, topology, nodes));
            self.active.push(false);
        }
        // A shard added later stands by until then (it was serving: a live "add" of a shard
        // that serves already changes nothing until its fault ends).
        self.added = added_shards(&self.faults, self.slow.len());
        self.sources = wanted.to_vec();
        self.ends = ends;
        self.any = !self.faults.is_empty();
    }

    /// A client's arrival epoch (0 in a run without faults).
    #[inline]
    pub(crate) fn epoch(&self, node: u32) -> u32 {
        self.epochs.get(node as usize).copied().unwrap_or(0)
    }

    /// True if an arrival scheduled in `epoch` still stands.
    #[inline]
    pub(crate) fn arrival_stands(&self, node: u32, epoch: u32) -> bool {
        !self.any || self.epoch(node) == epoch
    }

    /// The clients whose next arrival a spike `index` starting or ending redraws: their epoch
    /// moves on, which voids the arrival already drawn.
    pub(crate) fn respiked(&mut self, index: u32) -> Vec<u32> {
        let nodes = match self.faults.get(index as usize) {
            Some(Compiled {
                kind: FaultKind::Spike { .. },
                struck: Struck::Nodes(nodes),
            }) => nodes.clone(),
            _ => return Vec::new(),
        };
        for &n in &nodes {
            self.epochs[n as usize] = self.epochs[n as usize].wrapping_add(1);
        }
        nodes
    }

    /// The nodes a `crash` fault `index` brings down when it starts, that were up (none for
    /// other faults; a node already down stays down without crashing twice).
    pub(crate) fn crashing(&self, index: u32, begins: bool) -> Vec<u32> {
        match self.faults.get(index as usize) {
            Some(Compiled {
                kind: FaultKind::Crash,
                struck: Struck::Nodes(nodes),
            }) if begins => nodes
                .iter()
                .copied()
                .filter(|&n| !self.down[n as usize])
                .collect(),
            _ => Vec::new(),
        }
    }

    /// True if any fault of the run is a crash (the run then keeps what it needs to build a
    /// crashed node's state afresh).
    pub(crate) fn has_crashes(&self) -> bool {
        self.faults.iter().any(|f| f.kind == FaultKind::Crash)
    }

    /// The nodes a `flush` fault `index` empties when it starts (none for other faults).
    pub(crate) fn flushed(&self, index: u32, begins: bool) -> &[u32] {
        match self.faults.get(index as usize) {
            Some(Compiled {
                kind: FaultKind::Flush,
                struck: Struck::Nodes(nodes),
            }) if begins => nodes,
            _ => &[],
        }
    }

    /// Starts or ends fault `index`; returns the events held at nodes whose pause is over,
    /// to be handled again now, in the order they came.
    pub(crate) fn switch(&mut self, index: u32, begins: bool) -> Vec<Event> {
        let Some(active) = self.active.get_mut(index as usize) else {
            return Vec::new();
        };
        *active = begins;
        let was_paused = std::mem::take(&mut self.paused);
        self.recompute();
        let mut resumed = Vec::new();
        for (node, &was) in was_paused.iter().enumerate() {
            if was && !self.paused[node] {
                resumed.append(&mut self.held[node]);
            }
        }
        resumed
    }

    /// Works out every node's and edge's state from the faults in force.
    fn recompute(&mut self) {
        self.slow.fill(1.0);
        self.errors.fill(Errors::default());
        self.paused = vec![false; self.slow.len()];
        self.down.fill(false);
        self.latency.fill((1.0, 0));
        self.spike.fill(1.0);
        self.partitions.clear();
        self.standby.clone_from(&self.added);
        let in_force = || self.faults.iter().zip(&self.active).filter(|(_, &on)| on);
        // A removal outweighs an addition in force at the same time.
        for wanted in [FaultKind::AddShard, FaultKind::RemoveShard] {
            for (fault, _) in in_force().filter(|(f, _)| f.kind == wanted) {
                if let Struck::Nodes(nodes) = &fault.struck {
                    for &n in nodes {
                        self.standby[n as usize] = wanted == FaultKind::RemoveShard;
                    }
                }
            }
        }
        for (fault, _) in self.faults.iter().zip(&self.active).filter(|(_, &on)| on) {
            match (&fault.kind, &fault.struck) {
                (FaultKind::Slow { factor }, Struck::Nodes(nodes)) => {
                    for &n in nodes {
                        self.slow[n as usize] *= factor;
                    }
                }
                (
                    FaultKind::Errors {
                        fraction,
                        after_work,
                    },
                    Struck::Nodes(nodes),
                ) => {
                    for &n in nodes {
                        let e = &mut self.errors[n as usize];
                        if *fraction >= e.fraction {
                            *e = Errors {
                                fraction: *fraction,
                                after_work: *after_work,
                            };
                        }
                    }
                }
                (FaultKind::Pause, Struck::Nodes(nodes)) => {
                    for &n in nodes {
                        self.paused[n as usize] = true;
                    }
                }
                (FaultKind::Crash, Struck::Nodes(nodes)) => {
                    for &n in nodes {
                        self.down[n as usize] = true;
                    }
                }
                (FaultKind::Latency { factor, plus_ms }, Struck::Edge(e)) => {
                    let (f, plus) = &mut self.latency[*e as usize];
                    *f *= factor;
                    *plus = plus.saturating_add(from_ms(*plus_ms));
                }
                (FaultKind::Spike { factor }, Struck::Nodes(nodes)) => {
                    for &n in nodes {
                        self.spike[n as usize] *= factor;
                    }
                }
                (FaultKind::Partition { .. }, Struck::Sides(sides)) => {
                    self.partitions.push(sides.clone());
                }
                _ => {}
            }
        }
    }

    /// True if `node` is paused: the event is kept until it resumes.
    #[inline]
    pub(crate) fn hold(&mut self, node: u32, event: Event) -> bool {
        if !self.paused[node as usize] {
            return false;
        }
        self.held[node as usize].push(event);
        true
    }

    /// True if a message from `from` to `to` is lost to a partition in force: the two are
    /// on different sides of it (a node on no side talks to everyone).
    #[inline]
    pub(crate) fn cut(&self, from: u32, to: u32) -> bool {
        self.partitions.iter().any(|sides| {
            let (a, b) = (sides[from as usize], sides[to as usize]);
            a != 0 && b != 0 && a != b
        })
    }

    /// A trip along `edge` that departs now, `latency` long without faults.
    #[inline]
    pub(crate) fn trip(&self, edge: u32, latency: SimTime) -> SimTime {
        let (factor, plus) = self.latency[edge as usize];
        if factor == 1.0 {
            return latency.saturating_add(plus);
        }
        ((latency as f64 * factor) as SimTime).saturating_add(plus)
    }

    /// Work of `duration` that `node` starts now.
    #[inline]
    pub(crate) fn work(&self, node: u32, duration: SimTime) -> SimTime {
        let factor = self.slow[node as usize];
        if factor == 1.0 {
            duration
        } else {
            (duration as f64 * factor) as SimTime
        }
    }

    /// Tosses `node`'s error coin for something it handles now; `after_work` says where.
    #[inline]
    pub(crate) fn fails(&mut self, node: u32, after_work: bool) -> bool {
        let e = self.errors[node as usize];
        e.fraction > 0.0
            && e.after_work == after_work
            && self.coins[node as usize].chance(e.fraction)
    }

    /// What the faults in force do to `node` now.
    pub(crate) fn marks(&self, node: usize) -> FaultMarks {
        if !self.any {
            return FaultMarks {
                slow: 1.0,
                spike: 1.0,
                ..FaultMarks::default()
            };
        }
        FaultMarks {
            down: self.down[node],
            paused: self.paused[node],
            slow: self.slow[node],
            errors: self.errors[node].fraction,
            spike: self.spike[node],
            standby: self.standby[node],
        }
    }

    /// True if fault `index` adds or removes a shard: its routers place their keys again.
    pub(crate) fn reshards(&self, index: u32) -> bool {
        self.faults
            .get(index as usize)
            .is_some_and(|f| f.kind.reshards())
    }

    /// True if `node` is a shard standing by now.
    #[inline]
    pub(crate) fn stands_by(&self, node: u32) -> bool {
        self.standby.get(node as usize).copied().unwrap_or(false)
    }

    /// How many events wait at paused nodes.
    pub(crate) fn held_events(&self) -> usize {
        self.held.iter().map(Vec::len).sum()
    }
}

/// Per node: true if an `add_shard` fault strikes it (it stands by until one is in force).
fn added_shards(faults: &[Compiled], nodes: usize) -> Vec<bool> {
    let mut added = vec![false; nodes];
    for fault in faults.iter().filter(|f| f.kind == FaultKind::AddShard) {
        if let Struck::Nodes(struck) = &fault.struck {
            for &n in struck {
                added[n as usize] = true;
            }
        }
    }
    added
}

/// When `fault` ends, as the clock has it.
fn end_of(fault: &Fault) -> Option<SimTime> {
    fault.until_s().map(from_secs)
}

fn compile_one(
    fault: &Fault,
    index: &HashMap<&str, u32>,
    topology: &Topology,
    nodes: usize,
) -> Compiled {
    let node = |id: &str| index.get(id).copied();
    let struck = match (&fault.target, &fault.kind) {
        (_, FaultKind::Partition { groups }) => {
            let mut sides = vec![0u16; nodes];
            for (g, group) in groups.iter().enumerate() {
                for n in group.iter().filter_map(|id| node(id)) {
                    sides[n as usize] = g as u16 + 1;
                }
            }
            Struck::Sides(sides)
        }
        (FaultTarget::Edge { from, to }, _) => {
            let edge = node(from)
                .zip(node(to))
                .and_then(|(f, t)| topology.edge_between(f, t));
            // Validation has checked the edge exists; none would strike nothing.
            edge.map_or(Struck::Nodes(Vec::new()), Struck::Edge)
        }
        (FaultTarget::Node(id), _) => Struck::Nodes(node(id).into_iter().collect()),
        (FaultTarget::Nodes(ids), _) => {
            Struck::Nodes(ids.iter().filter_map(|id| node(id)).collect())
        }
        (FaultTarget::Nowhere, _) => Struck::Nodes(Vec::new()),
    };
    Compiled {
        kind: fault.kind.clone(),
        struck,
    }
}
