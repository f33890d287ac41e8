//! `Ctx`: everything a component may do while handling an event. Components never touch the
//! event queue or the arenas directly; they forward, respond, start work and set timers.

use super::core::Core;
use super::events::{Event, Outcome, Status};
use super::frames::{Frame, Op, Request, ANSWERED, CHILD_OUT, NONE, WORKING};
use super::motion::Leg;
use crate::metrics::NodeStats;
use crate::random::Stream;
use crate::sim::topology::Link;
use crate::time::SimTime;

/// The view of the simulation that one node's handler gets.
pub struct Ctx<'a> {
    pub(crate) core: &'a mut Core,
    pub(crate) node: u32,
}

impl<'a> Ctx<'a> {
    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.core.now
    }

    /// This node's random stream.
    #[inline]
    pub fn rng(&mut self) -> &mut Stream {
        &mut self.core.rngs[self.node as usize]
    }

    /// The frame.
    #[inline]
    pub fn frame(&self, frame: u32) -> &Frame {
        &self.core.frames[frame]
    }

    /// The frame, to change its progress.
    #[inline]
    pub fn frame_mut(&mut self, frame: u32) -> &mut Frame {
        &mut self.core.frames[frame]
    }

    /// The request the frame belongs to.
    #[inline]
    pub fn request(&self, frame: u32) -> &Request {
        &self.core.requests[self.core.frames[frame].request]
    }

    /// This node's out-going links, in scenario order.
    #[inline]
    pub fn links(&self) -> &[Link] {
        self.core.topology.links_of(self.node)
    }

    /// This node's statistics.
    #[inline]
    pub fn stats(&mut self) -> &mut NodeStats {
        &mut self.core.stats[self.node as usize]
    }

    /// Sets this node's busy-server and waiting levels (integrated for utilisation and queue
    /// length).
    #[inline]
    pub fn set_levels(&mut self, busy: u32, queued: u64) {
        let (now, from) = (self.core.now, self.core.warmup);
        self.core.stats[self.node as usize].set_levels(now, from, busy, queued);
    }

    /// A status decided here.
    #[inline]
    pub fn status(&self, outcome: Outcome) -> Status {
        Status {
            outcome,
            origin: self.node,
        }
    }

    /// True if the frame's request counts towards the measurements.
    #[inline]
    pub fn measured(&self, frame: u32) -> bool {
        self.request(frame).measured
    }

    /// Starts local work on the frame, finishing after `duration`.
    #[inline]
    pub fn start_work(&mut self, frame: u32, duration: SimTime) {
        let now = self.core.now;
        let f = &mut self.core.frames[frame];
        f.started = now;
        f.flags |= WORKING;
        let measured = self.core.requests[f.request].measured;
        let wait = now - f.arrived;
        if measured {
            let stats = &mut self.core.stats[self.node as usize];
            stats.record_wait(wait);
            stats.record_service(duration);
        }
        self.core
            .queue
            .push(now.saturating_add(duration), Event::WorkDone { frame });
    }

    /// Clears a pin (`WORKING`, `QUEUED`, `CHILD_OUT`) from the frame. Returns true if the frame
    /// is still live; false if it had already answered, in which case it is freed once nothing
    /// pins it, and the caller must do nothing more with it.
    #[inline]
    pub fn unpin(&mut self, frame: u32, flag: u8) -> bool {
        let f = &mut self.core.frames[frame];
        f.flags &= !flag;
        if f.has(ANSWERED) {
            if !f.is_pinned() {
                self.core.frames.remove(frame);
            }
            return false;
        }
        true
    }

    /// Calls the target of link `link` (an index into [`Ctx::links`]) on behalf of the frame.
    /// The answer comes back as a response to this frame.
    #[inline]
    pub fn forward(&mut self, frame: u32, link: usize) {
        let now = self.core.now;
        let Link { to, latency, .. } = self.core.topology.links_of(self.node)[link];
        let parent = self.core.frames[frame];
        self.core.frames[frame].flags |= CHILD_OUT;
        if parent.depth >= self.core.hop_limit {
            let status = self.status(Outcome::FailedHopLimit);
            self.core.stats[self.node as usize].failed += 1;
            self.core.queue.push(now, Event::Response { frame, status });
            return;
        }
        let child = self.core.frames.insert_frame(Frame {
            request: parent.request,
            node: to,
            parent: frame,
            back_latency: latency,
            arrived: now.saturating_add(latency),
            started: now.saturating_add(latency),
            depth: parent.depth + 1,
            step: 0,
            flags: 0,
            generation: 0,
        });
        let arrive = now.saturating_add(latency);
        let node = self.node;
        self.core
            .note_motion(Leg::Call, node, child, arrive, self.status(Outcome::Ok));
        self.core.queue.push(arrive, Event::Arrive { frame: child });
    }

    /// Answers the frame's caller with `status`. The frame is freed unless work, a queue slot or
    /// an open call still pins it; those finish as orphans and are then freed.
    #[inline]
    pub fn respond(&mut self, frame: u32, status: Status) {
        let now = self.core.now;
        let f = self.core.frames[frame];
        debug_assert!(!f.has(ANSWERED), "a frame answers once");
        let request = self.core.requests[f.request];
        // Time in node is the time to a successful answer: a refusal is not a visit.
        if request.measured && status.outcome == Outcome::Ok {
            self.core.stats[self.node as usize].record_residence(now - f.arrived);
        }
        if status.outcome == Outcome::Ok && status.origin == self.node {
            self.core.stats[self.node as usize].answered += 1;
        }
        self.core
            .traces
            .record_hop(&request, &f, now, status.outcome);
        if f.parent != NONE {
            let arrive = now.saturating_add(f.back_latency);
            let node = self.node;
            self.core
                .note_motion(Leg::Answer, node, frame, arrive, status);
            self.core.queue.push(
                arrive,
                Event::Response {
                    frame: f.parent,
                    status,
                },
            );
        }
        self.core.frames[frame].flags |= ANSWERED;
        if !f.is_pinned() {
            self.core.frames.remove(frame);
        }
    }

    /// Answers with an outcome decided here, counting it against this node.
    pub fn refuse(&mut self, frame: u32, outcome: Outcome) {
        let stats = &mut self.core.stats[self.node as usize];
        match outcome {
            Outcome::DroppedQueueFull => stats.dropped += 1,
            Outcome::TimedOut => stats.timed_out += 1,
            Outcome::FailedHopLimit | Outcome::FailedNoRoute => stats.failed += 1,
            Outcome::Ok => {}
        }
        let status = self.status(outcome);
        self.respond(frame, status);
    }

    /// Fires `on_timeout` for the frame after `delay`, unless the frame is gone by then.
    pub fn set_timer(&mut self, frame: u32, delay: SimTime) {
        let generation = self.core.frames[frame].generation;
        self.core.queue.push(
            self.core.now.saturating_add(delay),
            Event::Timeout { frame, generation },
        );
    }

    /// Publishes a job for the frame's request through link `link` to a message queue. The
    /// caller does not wait: the job is a request of its own from here on.
    pub fn publish(&mut self, frame: u32, link: usize) {
        let Link { to, latency, .. } = self.core.topology.links_of(self.node)[link];
        let f = self.core.frames[frame];
        let parent = self.core.requests[f.request];
        let from = self.node;
        self.core.start_job(&parent, from, to, latency, f.depth + 1);
    }

    /// Creates a client request at this node and returns its root frame.
    pub fn begin_request(&mut self, key: u64, client_id: u64, op: Op, route: u16) -> u32 {
        let node = self.node;
        self.core.begin_request(node, key, client_id, op, route)
    }

    /// Ends a request or job at its root frame: it has come all the way back.
    pub fn finish(&mut self, frame: u32, status: Status) {
        self.core.finish(frame, status);
    }

    /// Counts a cache lookup at this node.
    #[inline]
    pub fn record_lookup(&mut self, frame: u32, hit: bool) {
        let (node, measured) = (self.node, self.measured(frame));
        self.core.record_lookup(node, hit, measured);
    }

    /// True once the run's request budget is spent: clients stop creating requests.
    #[inline]
    pub fn arrivals_exhausted(&self) -> bool {
        self.core.arrivals_left == Some(0)
    }

    /// Schedules this client's next arrival.
    #[inline]
    pub fn generate_at(&mut self, time: SimTime) {
        let node = self.node;
        self.core.queue.push(time, Event::Generate { node });
    }
}

#[cfg(test)]
mod tests {
    use super::super::frames::{HOLDS_SERVER, QUEUED};
    use super::*;

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
