//! A pool of identical servers in front of one FIFO queue: the shared core of a service's
//! workers, a database's connections. Queue capacity counts waiting places only, so a station
//! holds at most `servers + capacity` requests.

use super::Effects;
use crate::sim::frames::{ANSWERED, HOLDS_SERVER, QUEUED};
use std::collections::VecDeque;

/// What happened to a request that reached the station.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// A server was free and is now held by the request: start its work.
    Serve,
    /// All servers are busy; it waits its turn.
    Wait,
    /// All servers are busy and the queue is full: refuse it.
    Full,
}

/// Servers and their queue.
#[derive(Debug)]
pub struct Station {
    servers: u32,
    busy: u32,
    capacity: Option<u64>,
    /// Waiting frames, oldest first. Frames that timed out while waiting stay here until they
    /// reach the front (removal from the middle would cost a scan) but are not counted.
    fifo: VecDeque<u32>,
    waiting: u64,
}

impl Station {
    /// `servers` servers (at least 1) and room for `capacity` waiting requests (`None`: no limit).
    pub fn new(servers: u32, capacity: Option<u64>) -> Self {
        Station {
            servers: servers.max(1),
            busy: 0,
            capacity,
            fifo: VecDeque::new(),
            waiting: 0,
        }
    }

    /// Admits `frame`: it gets a server, a place in the queue, or nothing.
    #[inline]
    pub fn admit<E: Effects>(&mut self, ctx: &mut E, frame: u32) -> Admission {
        if self.busy < self.servers {
            self.busy += 1;
            ctx.frame_mut(frame).flags |= HOLDS_SERVER;
            ctx.set_levels(self.busy, self.waiting);
            Admission::Serve
        } else if self.capacity.is_some_and(|c| self.waiting >= c) {
            Admission::Full
        } else {
            self.fifo.push_back(frame);
            self.waiting += 1;
            ctx.frame_mut(frame).flags |= QUEUED;
            ctx.set_levels(self.busy, self.waiting);
            Admission::Wait
        }
    }

    /// Frees the server `frame` holds. Returns the next waiting frame, which now holds that
    /// server and must be started, if any.
    #[inline]
    pub fn release<E: Effects>(&mut self, ctx: &mut E, frame: u32) -> Option<u32> {
        ctx.frame_mut(frame).flags &= !HOLDS_SERVER;
        while let Some(next) = self.fifo.pop_front() {
            if ctx.frame(next).has(ANSWERED) {
                ctx.unpin(next, QUEUED); // gave up while waiting: just forget it
                continue;
            }
            self.waiting -= 1;
            ctx.frame_mut(next).flags = (ctx.frame(next).flags & !QUEUED) | HOLDS_SERVER;
            ctx.set_levels(self.busy, self.waiting);
            return Some(next);
        }
        self.busy -= 1;
        ctx.set_levels(self.busy, self.waiting);
        None
    }

    /// A waiting frame gave up; it no longer counts as waiting.
    pub fn abandon_waiting<E: Effects>(&mut self, ctx: &mut E) {
        self.waiting -= 1;
        ctx.set_levels(self.busy, self.waiting);
    }
}
