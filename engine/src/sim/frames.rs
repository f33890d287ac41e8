//! Requests and frames live in arenas: slots reused through free lists, so a running
//! simulation allocates nothing per request once the arenas have grown to the load.
//!
//! A *request* is what a client (or a publisher, for a job) sends. A *frame* is one visit of a
//! request to one node: it remembers who called (its parent frame) so the response can retrace
//! the path, and what the node is doing with it.

use super::calls::CallId;
use super::data::Datum;
use crate::time::SimTime;

/// "No index" for parent links and trace slots.
pub const NONE: u32 = u32::MAX;

/// The operation a request performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// A read: caches may answer it.
    Read,
    /// A write: caches invalidate the key and pass it on.
    Write,
}

/// A client request or a background job.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    /// Sequence number, in creation order (requests and jobs count separately).
    pub id: u64,
    /// The key it reads or writes.
    pub key: u64,
    /// The calling client's id, for IP-hash routing.
    pub client_id: u64,
    /// When it was created.
    pub created: SimTime,
    /// Index of its named route in the scenario's route table, or `NO_ROUTE`.
    pub route: u16,
    /// Read or write.
    pub op: Op,
    /// A job published to a queue, rather than a client request.
    pub is_job: bool,
    /// Created after the warm-up: its numbers count.
    pub measured: bool,
    /// Its slot in the trace store, or [`NONE`].
    pub trace: u32,
    /// When its deadline passes (`SimTime::MAX`: it has none): set by its client's edge, then
    /// checked at every hop.
    pub deadline: SimTime,
    /// Its data version (sim/data.rs): a write's own creation number; a read's, the newest
    /// version of its key acknowledged when it was created (worked out where it first reaches
    /// its data set).
    pub version: u64,
    /// Its data set: where a write was applied, where a read found its data
    /// ([`NO_GROUP`](super::data::NO_GROUP) until then).
    pub group: u32,
    /// The client node it came from (a job: the queue it was published to).
    pub client: u32,
    /// A read without a shard key: it fans out to every shard (a client's `scan_ratio`).
    pub scan: bool,
    /// The data its answer brought back to where it began (along the way a frame's data
    /// rides in the slot of the call that brought it: sim/calls.rs).
    pub value: Datum,
    /// Its frames alive: it is freed with the last, so work a caller gave up on (an orphan,
    /// after its request has ended) still reads its own request, never the next one to take
    /// the slot.
    pub frames: u32,
}

/// No named route.
pub const NO_ROUTE: u16 = u16::MAX;

/// Frame flag: a call made from this frame has not been answered yet.
pub const CHILD_OUT: u8 = 1;
/// Frame flag: local work is under way (a `WorkDone` event is pending).
pub const WORKING: u8 = 2;
/// Frame flag: waiting in a node's queue.
pub const QUEUED: u8 = 4;
/// Frame flag: holds one of the node's servers (workers, connections).
pub const HOLDS_SERVER: u8 = 8;
/// Frame flag: the frame has already answered its caller (normally or by timing out); any
/// work still attached to it is orphaned and its results are ignored.
pub const ANSWERED: u8 = 16;
/// Frame flag: its node crashed while its local work was under way; the work's end is the
/// crashed node's no longer, and is dropped when it comes (the work was wasted).
pub const CRASHED: u8 = 32;

/// One visit of a request to a node.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// The request.
    pub request: u32,
    /// The node visited.
    pub node: u32,
    /// The call that brought it (sim/calls.rs): its answer goes back through the call's slot
    /// to the calling frame. [`NO_CALL`](super::calls::NO_CALL) at the origin.
    pub call: CallId,
    /// The edge it came by (an index into the topology's links, [`NONE`] for a root frame):
    /// its answer travels back along it, paying its latency again.
    pub edge: u32,
    /// When it reached the node.
    pub arrived: SimTime,
    /// When local work started (equal to `arrived` until then).
    pub started: SimTime,
    /// How many hops from the origin (the hop limit is at most `u16::MAX`).
    pub depth: u16,
    /// Component-defined progress: the next dependency to call, the chosen backend.
    pub step: u16,
    /// Calls made from this frame whose answers are not in yet ([`CHILD_OUT`] while any are).
    pub calls_out: u16,
    /// State bits: [`CHILD_OUT`], [`WORKING`], [`QUEUED`], [`HOLDS_SERVER`], [`ANSWERED`].
    pub flags: u8,
    /// Bumped on every reuse, so a stale timer can tell its frame is gone.
    pub generation: u32,
}

impl Frame {
    /// True for a request's first frame, at the client or queue where it began: it answers
    /// no caller.
    #[inline]
    pub fn is_root(&self) -> bool {
        self.call.slot == NONE
    }

    /// True if any of `flags` is set.
    #[inline]
    pub fn has(&self, flags: u8) -> bool {
        self.flags & flags != 0
    }

    /// True while something still refers to the frame (work, a queue slot, an open call).
    #[inline]
    pub fn is_pinned(&self) -> bool {
        self.has(CHILD_OUT | WORKING | QUEUED)
    }

    /// Local work starts at `now`: pins the frame with [`WORKING`] and returns how long it
    /// waited since it arrived.
    #[inline]
    pub fn begin_work(&mut self, now: SimTime) -> SimTime {
        debug_assert!(
            !self.has(WORKING),
            "a frame does one piece of work at a time"
        );
        self.started = now;
        self.flags |= WORKING;
        now - self.arrived
    }

    /// A call leaves on the frame's behalf: pins it with [`CHILD_OUT`] until every call's
    /// answer is in.
    #[inline]
    pub fn call_out(&mut self) {
        self.calls_out += 1;
        self.flags |= CHILD_OUT;
    }

    /// Clears the pin `flag` ([`WORKING`], [`QUEUED`]) and says what is left. For
    /// [`CHILD_OUT`] it is one call's answer: the pin clears with the last call out.
    #[inline]
    pub fn unpin(&mut self, flag: u8) -> Fate {
        if flag == CHILD_OUT {
            self.calls_out = self.calls_out.saturating_sub(1);
            if self.calls_out > 0 {
                return self.fate();
            }
        }
        self.flags &= !flag;
        self.fate()
    }

    /// The frame answers its caller: marks it [`ANSWERED`] and says what is left.
    #[inline]
    pub fn answer(&mut self) -> Fate {
        debug_assert!(!self.has(ANSWERED), "a frame answers once");
        self.flags |= ANSWERED;
        self.fate()
    }

    #[inline]
    fn fate(&self) -> Fate {
        if !self.has(ANSWERED) {
            Fate::Live
        } else if self.is_pinned() {
            Fate::Orphaned
        } else {
            Fate::Free
        }
    }
}

/// What is left of a frame once a pin clears or it answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It has not answered: its node carries on with it.
    Live,
    /// It has answered, but work, a queue slot or a call still pins it: an orphan, freed when
    /// the last pin clears.
    Orphaned,
    /// It has answered and nothing pins it: its slot must be freed, and nothing more done with
    /// it.
    Free,
}

/// A slab of `T` with a free list.
#[derive(Debug)]
pub struct Arena<T> {
    slots: Vec<T>,
    free: Vec<u32>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Arena<T> {
    /// Stores `value`, reusing a free slot when there is one.
    #[inline]
    pub fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = value;
                i
            }
            None => {
                self.slots.push(value);
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Gives a slot back. The value stays readable until the slot is reused.
    #[inline]
    pub fn remove(&mut self, index: u32) {
        self.free.push(index);
    }

    /// How many slots are in use.
    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// The indices of the slots in use, in order (a crash looks for its node's frames: rare,
    /// so a pass over the slab is fine).
    pub fn live_indices(&self) -> Vec<u32> {
        let mut free = vec![false; self.slots.len()];
        for &i in &self.free {
            free[i as usize] = true;
        }
        (0..self.slots.len() as u32)
            .filter(|&i| !free[i as usize])
            .collect()
    }
}

impl<T> std::ops::Index<u32> for Arena<T> {
    type Output = T;
    #[inline]
    fn index(&self, i: u32) -> &T {
        &self.slots[i as usize]
    }
}

impl<T> std::ops::IndexMut<u32> for Arena<T> {
    #[inline]
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.slots[i as usize]
    }
}

impl Arena<Frame> {
    /// Stores a frame, giving it a generation newer than whatever used the slot before.
    #[inline]
    pub fn insert_frame(&mut self, mut frame: Frame) -> u32 {
        match self.free.pop() {
            Some(i) => {
                frame.generation = self.slots[i as usize].generation.wrapping_add(1);
                self.slots[i as usize] = frame;
                i
            }
            None => {
                frame.generation = 0;
                self.slots.push(frame);
                (self.slots.len() - 1) as u32
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::calls::NO_CALL;
    use super::*;

    #[test]
    fn a_frame_fits_in_48_bytes() {
        // Every hop reads and writes one: at 56 bytes the default scenario ran 5% slower.
        assert_eq!(std::mem::size_of::<Frame>(), 48);
    }

    fn frame() -> Frame {
        Frame {
            request: 0,
            node: 0,
            call: NO_CALL,
            edge: NONE,
            arrived: 0,
            started: 0,
            depth: 0,
            step: 0,
            calls_out: 0,
            flags: 0,
            generation: 0,
        }
    }

    #[test]
    fn an_answered_frame_is_free_once_its_last_pin_clears() {
        let mut f = frame();
        assert_eq!(f.begin_work(5), 5);
        f.call_out();
        assert_eq!(f.unpin(WORKING), Fate::Live);
        assert_eq!(f.answer(), Fate::Orphaned);
        assert_eq!(f.unpin(QUEUED), Fate::Orphaned, "not a pin it held");
        assert_eq!(f.unpin(CHILD_OUT), Fate::Free);
        let mut g = frame();
        assert_eq!(g.answer(), Fate::Free);
    }

    #[test]
    fn slots_are_reused_and_generations_move_on() {
        let mut arena: Arena<Frame> = Arena::default();
        let a = arena.insert_frame(frame());
        let b = arena.insert_frame(frame());
        assert_eq!(arena.live(), 2);
        let old_generation = arena[a].generation;
        arena.remove(a);
        let c = arena.insert_frame(frame());
        assert_eq!(c, a, "the freed slot is reused");
        assert_ne!(arena[c].generation, old_generation);
        assert_eq!(arena.live(), 2);
        assert_ne!(b, c);
    }
}
