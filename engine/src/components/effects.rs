//! [`Effects`]: what a kind's handlers may read and do, and nothing more. A handler never
//! touches the event queue, the arenas or the measurements; it asks for effects through this
//! trait, as a stateright actor writes commands to its `Out`.
//!
//! Two things implement it. The simulation's [`Ctx`](crate::sim::context::Ctx) performs each
//! effect at once (schedules the event, moves the request along, counts it). In unit tests a
//! recorder (`components/recorder.rs`) writes each effect down in order, over a handful of
//! frames of its own, so a test feeds a kind events and asserts the exact reactions. Both keep
//! a frame's pins with the same [`Frame`] methods (`begin_work`, `call_out`, `unpin`, `answer`),
//! so they cannot disagree about when a frame is live, orphaned or free.
//!
//! Handlers are generic over the implementation (`fn on_arrive<E: Effects>`), never `dyn`: the
//! simulation compiles them for `Ctx` alone, and the hot loop calls them directly.

use crate::random::Stream;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{Frame, Op, Request};
use crate::sim::timers::TimerId;
use crate::sim::topology::Link;
use crate::time::SimTime;

/// What one node's handler may read and do while it handles an event.
///
/// Frames are named by index; a handler may use a frame until it is freed, which happens when
/// it has answered (or finished) and nothing pins it: after `respond`, `refuse`, `finish`, or an
/// `unpin` that returns false, the handler must do nothing more with it.
pub(crate) trait Effects {
    /// The current simulated time.
    fn now(&self) -> SimTime;

    /// This node's index: the origin of the statuses it decides.
    fn node(&self) -> u32;

    /// This node's random stream.
    fn rng(&mut self) -> &mut Stream;

    /// The frame.
    fn frame(&self, frame: u32) -> &Frame;

    /// The frame, to change its progress (`step`) or its queue and server flags (`QUEUED`,
    /// `HOLDS_SERVER`). Work, calls and answers change the other flags through their effects.
    fn frame_mut(&mut self, frame: u32) -> &mut Frame;

    /// The request the frame belongs to.
    fn request(&self, frame: u32) -> &Request;

    /// This node's out-going links, in scenario order.
    fn links(&self) -> &[Link];

    /// True once the run's request budget is spent: clients stop creating requests.
    fn arrivals_exhausted(&self) -> bool;

    /// How many times faster than its own process this client sends now (a `spike` fault).
    #[inline]
    fn rate_factor(&self) -> f64 {
        1.0
    }

    /// Sets this node's busy-server and waiting levels (integrated for utilisation and queue
    /// length).
    fn set_levels(&mut self, busy: u32, queued: u64);

    /// Counts an outcome decided here in this node's statistics: `Ok` as answered here, the
    /// others as dropped, timed out or failed.
    fn count(&mut self, outcome: Outcome);

    /// True if a circuit breaker on this node's `link` would refuse a call now: a load
    /// balancer passes over such a backend. Asking changes nothing.
    #[inline]
    fn circuit_open(&self, _link: usize) -> bool {
        false
    }

    /// True if the shard at the end of `link` is serving: a shard router places keys on it.
    /// False while it stands by (an `add_shard` fault not yet in force, a `remove_shard` one
    /// in force).
    #[inline]
    fn shard_serving(&self, _link: usize) -> bool {
        true
    }

    /// True if the frame's request has a deadline that has passed: a node takes no more
    /// work for it (a station passes over it when its turn comes).
    #[inline]
    fn expired(&self, _frame: u32) -> bool {
        false
    }

    /// Starts local work on the frame (pinning it with `WORKING`); `on_work_done` follows after
    /// `duration`.
    fn start_work(&mut self, frame: u32, duration: SimTime);

    /// Clears a pin (`WORKING`, `QUEUED`, `CHILD_OUT`) from the frame. Returns true if the frame
    /// is still live; false if it had already answered, in which case it is freed once nothing
    /// pins it, and the caller must do nothing more with it.
    fn unpin(&mut self, frame: u32, flag: u8) -> bool;

    /// Calls the target of link `link` (an index into [`Effects::links`]) on behalf of the
    /// frame, pinning it with `CHILD_OUT`. The answer comes back as `on_response` for this frame.
    fn forward(&mut self, frame: u32, link: usize);

    /// Answers the frame's caller with `status`. The frame is freed unless work, a queue slot or
    /// an open call still pins it; those finish as orphans and are then freed.
    fn respond(&mut self, frame: u32, status: Status);

    /// Fires `on_timeout` for the frame with `tag` after `delay`, unless it has answered by
    /// then. A node tells its timers apart by their tags (a deadline, a retry's backoff).
    fn set_timer(&mut self, frame: u32, delay: SimTime, tag: u16);

    /// Fires `on_timer` with `tag` at this node after `delay`, unless cancelled first. Node
    /// timers are background: a `requests` run that has drained ends without waiting for them.
    fn set_node_timer(&mut self, delay: SimTime, tag: u32) -> TimerId;

    /// Cancels a node timer; one that has fired or was cancelled already is left alone.
    #[cfg_attr(not(test), allow(dead_code))]
    fn cancel_node_timer(&mut self, timer: TimerId);

    /// Publishes a job for the frame's request through link `link` to a message queue. The
    /// caller does not wait: the job is a request of its own from here on.
    fn publish(&mut self, frame: u32, link: usize);

    /// Creates a client request at this node and returns its root frame; a `scan` is a read
    /// without a shard key (every shard answers it).
    fn begin_request(&mut self, key: u64, client_id: u64, op: Op, scan: bool, route: u16) -> u32;

    /// Ends a request or job at its root frame, which is freed: it has come all the way back.
    fn finish(&mut self, frame: u32, status: Status);

    /// Counts a cache lookup at this node.
    fn record_lookup(&mut self, frame: u32, hit: bool);

    /// Counts a read at this cache that waits for a fill already on its way.
    fn record_coalesced(&mut self, frame: u32);

    /// Counts a read answered from a stale copy because its store failed (a cache with
    /// stale-if-error).
    fn record_served_stale(&mut self, frame: u32);

    /// The data version the frame has in hand (a store's answer, carried back with it), or
    /// [`NO_VALUE`](crate::sim::data::NO_VALUE).
    fn value(&self, frame: u32) -> u64;

    /// The frame has the data version `value` in hand: its answer carries it to its caller.
    fn set_value(&mut self, frame: u32, value: u64);

    /// This store applies the frame's write (if it is newer than what it holds).
    fn store_write(&mut self, frame: u32);

    /// This store reads the frame's key: the frame has the version it holds in hand.
    fn store_read(&mut self, frame: u32);

    /// Counts a cache fill older than a write that invalidated its key while it was on the
    /// way (the refill race).
    fn record_refill_race(&mut self, frame: u32);

    /// Copies what the store at the end of `from` holds of `key` to the store at the end of
    /// `to` (a shard router moving a key); the newer version wins there, as for a write.
    fn copy_data(&mut self, from: usize, to: usize, key: u64);

    /// Schedules this client's next arrival (`on_generate`) at `time`.
    fn generate_at(&mut self, time: SimTime);

    /// A status decided here.
    #[inline]
    fn status(&self, outcome: Outcome) -> Status {
        Status {
            outcome,
            origin: self.node(),
        }
    }

    /// Answers with a failure decided here, counting it against this node.
    fn refuse(&mut self, frame: u32, outcome: Outcome) {
        debug_assert!(outcome != Outcome::Ok, "a refusal is not an answer");
        self.count(outcome);
        let status = self.status(outcome);
        self.respond(frame, status);
    }
}
