//! `Ctx`: the simulation's implementation of `Effects` (components/effects.rs), everything a
//! component may do while handling an event. Components never touch the event queue or the
//! arenas directly; they forward, respond, start work and set timers, and `Ctx` turns each into
//! events and counts.

use super::calls::CallId;
use super::core::Core;
use super::data::Datum;
use super::events::{Event, Outcome, Status};
use super::frames::{Fate, Frame, Op, Request};
use super::motion::Leg;
use crate::components::Effects;
use crate::random::Stream;
use crate::sim::timers::TimerId;
use crate::sim::topology::Link;
use crate::time::SimTime;

/// The view of the simulation that one node's handler gets.
pub struct Ctx<'a> {
    pub(crate) core: &'a mut Core,
    pub(crate) node: u32,
}

impl Effects for Ctx<'_> {
    #[inline]
    fn now(&self) -> SimTime {
        self.core.now
    }

    #[inline]
    fn node(&self) -> u32 {
        self.node
    }

    #[inline]
    fn rng(&mut self) -> &mut Stream {
        &mut self.core.rngs[self.node as usize]
    }

    #[inline]
    fn frame(&self, frame: u32) -> &Frame {
        &self.core.frames[frame]
    }

    #[inline]
    fn frame_mut(&mut self, frame: u32) -> &mut Frame {
        &mut self.core.frames[frame]
    }

    #[inline]
    fn request(&self, frame: u32) -> &Request {
        &self.core.requests[self.core.frames[frame].request]
    }

    #[inline]
    fn links(&self) -> &[Link] {
        self.core.topology.links_of(self.node)
    }

    #[inline]
    fn arrivals_exhausted(&self) -> bool {
        self.core.arrivals_left == Some(0)
    }

    #[inline]
    fn rate_factor(&self) -> f64 {
        if self.core.faults.any {
            self.core.faults.spike[self.node as usize]
        } else {
            1.0
        }
    }

    #[inline]
    fn set_levels(&mut self, busy: u32, queued: u64) {
        let (now, from) = (self.core.now, self.core.warmup);
        self.core.stats[self.node as usize].set_levels(now, from, busy, queued);
    }

    #[inline]
    fn count(&mut self, outcome: Outcome) {
        let stats = &mut self.core.stats[self.node as usize];
        match outcome {
            Outcome::Ok => stats.answered += 1,
            Outcome::DroppedQueueFull | Outcome::DroppedBulkheadFull => stats.dropped += 1,
            Outcome::TimedOut | Outcome::DeadlineExceeded => stats.timed_out += 1,
            Outcome::FailedHopLimit
            | Outcome::FailedNoRoute
            | Outcome::FailedError
            | Outcome::FailedNodeDown
            | Outcome::CircuitOpen => stats.failed += 1,
        }
    }

    #[inline]
    fn circuit_open(&self, link: usize) -> bool {
        self.core.policy.any && {
            let edge = self.core.topology.edge_index(self.node, link);
            let now = self.core.now;
            self.core
                .policy
                .breaker(edge)
                .is_some_and(|b| b.refuses(now))
        }
    }

    #[inline]
    fn shard_serving(&self, link: usize) -> bool {
        !self.core.faults.any || !self.core.faults.stands_by(self.links()[link].to)
    }

    #[inline]
    fn expired(&self, frame: u32) -> bool {
        self.core.deadlines && self.core.expired(frame)
    }

    #[inline]
    fn start_work(&mut self, frame: u32, duration: SimTime) {
        let duration = if self.core.faults.any {
            self.core.faults.work(self.node, duration)
        } else {
            duration
        };
        let now = self.core.now;
        let f = &mut self.core.frames[frame];
        let wait = f.begin_work(now);
        let measured = self.core.requests[f.request].measured;
        if measured {
            let stats = &mut self.core.stats[self.node as usize];
            stats.record_wait(wait);
            stats.record_service(duration);
        }
        self.core
            .queue
            .push(now.saturating_add(duration), Event::WorkDone { frame });
    }

    // Always inlined: left to itself the compiler moved it out of line once frames began to
    // keep their request alive (measured: +3% instructions per event).
    #[inline(always)]
    fn unpin(&mut self, frame: u32, flag: u8) -> bool {
        match self.core.frames[frame].unpin(flag) {
            Fate::Live => true,
            Fate::Orphaned => false,
            Fate::Free => {
                self.core.free_frame(frame);
                false
            }
        }
    }

    #[inline]
    fn forward(&mut self, frame: u32, link: usize) {
        let now = self.core.now;
        let edge = self.core.topology.edge_index(self.node, link);
        let caller = &mut self.core.frames[frame];
        caller.call_out();
        let (request, depth) = (caller.request, caller.depth);
        let call = self.core.calls.open(frame);
        if depth >= self.core.hop_limit {
            self.count(Outcome::FailedHopLimit);
            let status = self.status(Outcome::FailedHopLimit);
            self.core.queue.push(now, Event::Response { call, status });
            return;
        }
        if self.core.policies && self.leaves_with_policies(edge, call, request) {
            return;
        }
        self.core
            .send_attempt(self.node, edge, call, request, depth, Leg::Call);
    }

    #[inline]
    fn respond(&mut self, frame: u32, status: Status) {
        let now = self.core.now;
        let f = self.core.frames[frame];
        // A root frame (at its client) has no edge back: nothing travels.
        let mut latency = if f.is_root() {
            0
        } else {
            self.core.topology.edge(f.edge).latency
        };
        let mut status = status;
        let mut lost = false;
        if self.core.faults.any {
            (status, latency, lost) = self.faulted_answer(&f, status, latency);
        }
        let request = self.core.requests[f.request];
        // Time in node is the time to a successful answer: a refusal is not a visit.
        if request.measured && status.outcome == Outcome::Ok {
            self.core.stats[self.node as usize].record_residence(now - f.arrived);
        }
        if status.outcome == Outcome::Ok && status.origin == self.node {
            self.count(Outcome::Ok);
        }
        self.core
            .traces
            .record_hop(&request, &f, now, status.outcome);
        if !f.is_root() && !lost {
            let arrive = now.saturating_add(latency);
            let node = self.node;
            self.core
                .note_motion(Leg::Answer, node, frame, arrive, status);
            self.core.queue.push(
                arrive,
                Event::Response {
                    call: f.call,
                    status,
                },
            );
        }
        match self.core.frames[frame].answer() {
            Fate::Free => self.core.free_frame(frame),
            // Answered with work, a queue place or calls still pinning it: what goes on for
            // it now is for nobody.
            Fate::Orphaned => self.core.note_give_up(),
            Fate::Live => {}
        }
    }

    fn set_timer(&mut self, frame: u32, delay: SimTime, tag: u16) {
        let generation = self.core.frames[frame].generation;
        self.core.queue.push(
            self.core.now.saturating_add(delay),
            Event::Timeout {
                frame,
                generation,
                tag,
            },
        );
    }

    fn set_node_timer(&mut self, delay: SimTime, tag: u32) -> TimerId {
        let id = self.core.timers.arm(self.node, tag);
        self.core.queue.push(
            self.core.now.saturating_add(delay),
            Event::Timer {
                slot: id.slot,
                generation: id.generation,
            },
        );
        id
    }

    fn cancel_node_timer(&mut self, timer: TimerId) {
        self.core.timers.cancel(timer);
    }

    fn publish(&mut self, frame: u32, link: usize) {
        let Link { to, latency, .. } = self.core.topology.links_of(self.node)[link];
        // A latency fault on the edge stretches the publish as it does a call.
        let latency = if self.core.faults.any {
            let edge = self.core.topology.edge_index(self.node, link);
            self.core.faults.trip(edge, latency)
        } else {
            latency
        };
        let f = self.core.frames[frame];
        let parent = self.core.requests[f.request];
        let from = self.node;
        self.core
            .start_job(&parent, from, to, latency, f.depth.saturating_add(1));
    }

    fn begin_request(&mut self, key: u64, client_id: u64, op: Op, scan: bool, route: u16) -> u32 {
        let node = self.node;
        self.core
            .begin_request(node, key, client_id, op, scan, route)
    }

    #[inline]
    fn value(&self, frame: u32) -> u64 {
        self.core.value(frame).version
    }

    #[inline]
    fn set_value(&mut self, frame: u32, version: u64) {
        let source = self.node;
        self.core.set_value(frame, Datum { version, source });
    }

    #[inline]
    fn store_write(&mut self, frame: u32) {
        if self.core.data.on {
            let node = self.node;
            self.core.store_write(frame, node);
        }
    }

    #[inline]
    fn store_read(&mut self, frame: u32) {
        let request = &self.core.requests[self.core.frames[frame].request];
        if !self.core.data.on || request.scan {
            return;
        }
        let version = self.core.data.read(self.node, request.key);
        self.set_value(frame, version);
    }

    fn record_refill_race(&mut self, frame: u32) {
        if self.request(frame).measured {
            self.core.stats[self.node as usize].refill_races += 1;
            self.core.totals.refill_races += 1;
        }
    }

    fn copy_data(&mut self, from: usize, to: usize, key: u64) {
        let links = self.links();
        let (from, to) = (links[from].to, links[to].to);
        self.core.data.copy(from, to, key);
    }

    fn finish(&mut self, frame: u32, status: Status) {
        self.core.finish(frame, status);
    }

    fn record_coalesced(&mut self, frame: u32) {
        if self.request(frame).measured {
            self.core.stats[self.node as usize].coalesced += 1;
        }
    }

    fn record_served_stale(&mut self, frame: u32) {
        if self.request(frame).measured {
            self.core.stats[self.node as usize].served_stale += 1;
        }
    }

    #[inline]
    fn record_lookup(&mut self, frame: u32, hit: bool) {
        let (node, measured) = (self.node, self.request(frame).measured);
        self.core.record_lookup(node, hit, measured);
    }

    #[inline]
    fn generate_at(&mut self, time: SimTime) {
        self.core.pending_generates += 1;
        let node = self.node;
        let faults = &self.core.faults;
        let epoch = if faults.any { faults.epoch(node) } else { 0 };
        self.core.queue.push(time, Event::Generate { node, epoch });
    }
}

impl Ctx<'_> {
    /// Applies `edge`'s policies to `call`, leaving now on behalf of `request`: its bulkhead
    /// (a call finding every place taken fails at once; true then, and the call goes no
    /// further), its deadline (a client's edge sets the request's, checked at every hop from
    /// here on) and its timeout (the caller stops waiting then). Out of line: a run without
    /// policies never calls it.
    #[cold]
    #[inline(never)]
    fn leaves_with_policies(&mut self, edge: u32, call: CallId, request: u32) -> bool {
        let now = self.core.now;
        if self.core.policy.any {
            // The breaker first: a call it refuses never leaves, and nothing else applies.
            if let Some(refused) = self.core.admit_call(edge, call) {
                self.count(refused);
                let status = self.status(refused);
                self.core.queue.push(now, Event::Response { call, status });
                return true;
            }
        }
        let deadline = self.core.topology.edge(edge).deadline;
        if deadline > 0 {
            self.core.requests[request].deadline = now.saturating_add(deadline);
        }
        self.core.attempt_leaves(edge, call, self.node)
    }

    /// What the faults in force do to an answer leaving this node: an errors fault after the
    /// work turns a success into a failure, a latency fault stretches the trip back, a
    /// partition between here and the caller loses it. Out of line: a run without faults
    /// never calls it.
    #[cold]
    #[inline(never)]
    fn faulted_answer(
        &mut self,
        answered: &Frame,
        status: Status,
        latency: SimTime,
    ) -> (Status, SimTime, bool) {
        let mut status = status;
        if status.outcome == Outcome::Ok
            && status.origin == self.node
            && self.core.faults.fails(self.node, true)
        {
            // The work is done; the answer is a failure.
            self.count(Outcome::FailedError);
            status = self.status(Outcome::FailedError);
        }
        if answered.is_root() {
            return (status, latency, false);
        }
        let lost = self.core.calls.caller(answered.call).is_some_and(|frame| {
            let caller_node = self.core.frames[frame].node;
            self.core.faults.cut(self.node, caller_node)
        });
        (status, self.core.faults.trip(answered.edge, latency), lost)
    }
}

#[cfg(test)]
mod tests {
    use super::super::frames::{ANSWERED, CHILD_OUT, HOLDS_SERVER, QUEUED, WORKING};

    #[test]
    fn flags_are_distinct_bits() {
        let all = [CHILD_OUT, WORKING, QUEUED, HOLDS_SERVER, ANSWERED];
        let mut seen = 0u8;
        for f in all {
            assert_eq!(f.count_ones(), 1);
            assert_eq!(seen & f, 0);
            seen |= f;
        }
    }
}
