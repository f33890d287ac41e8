//! The event queue: a min-heap ordered by (time, sequence number), so events at the same
//! instant run in the order they were scheduled and every run replays identically.

use super::calls::CallId;
use crate::time::SimTime;

/// How a request ended, or that it is still fine. Carried by responses up the call path.
///
/// Outcomes are append-only: each keeps its name (a summary key) and its numeric code (in the
/// event hash that pins every shipped run) forever; a new way to end is a new variant at the
/// end with the next code, declaring its class and a colour of its class's family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Outcome {
    /// Answered successfully.
    Ok = 0,
    /// Refused because a queue was full.
    DroppedQueueFull = 1,
    /// A service's deadline passed before it could answer.
    TimedOut = 2,
    /// Forwarded more times than the run's hop limit allows (a routing loop).
    FailedHopLimit = 3,
    /// A gateway had no route for the request.
    FailedNoRoute = 4,
    /// An `errors` fault failed it at the node that handled it.
    FailedError = 5,
    /// The node that held it crashed, or it reached a crashed node.
    FailedNodeDown = 6,
    /// Its deadline (set on its client's edge) had passed when it reached a hop or when its
    /// turn for work came: refused there, with no work done.
    DeadlineExceeded = 7,
    /// A bulkhead on the edge it left by had every place taken.
    DroppedBulkheadFull = 8,
    /// A circuit breaker on the edge it would have left by was open: refused at once, the
    /// callee never saw it.
    CircuitOpen = 9,
}

impl Outcome {
    /// Every outcome, in report order (their codes' order).
    pub const ALL: [Outcome; 10] = [
        Outcome::Ok,
        Outcome::DroppedQueueFull,
        Outcome::TimedOut,
        Outcome::FailedHopLimit,
        Outcome::FailedNoRoute,
        Outcome::FailedError,
        Outcome::FailedNodeDown,
        Outcome::DeadlineExceeded,
        Outcome::DroppedBulkheadFull,
        Outcome::CircuitOpen,
    ];

    /// Stable name used in reports and traces.
    pub fn name(self) -> &'static str {
        self.spec().0
    }

    /// The family of the outcome, as the headline counters group them.
    pub fn class(self) -> OutcomeClass {
        self.spec().1
    }

    /// The colour its answers are drawn in: a shade of its class's colour ([`OutcomeClass`]),
    /// so a legend reads by family first (green ok, amber dropped, orange timed out, red failed).
    pub fn colour(self) -> &'static str {
        self.spec().2
    }

    /// What it means, for the legend.
    pub fn meaning(self) -> &'static str {
        self.spec().3
    }

    /// Name, class, colour and meaning: each outcome's declaration, in one place.
    fn spec(self) -> (&'static str, OutcomeClass, &'static str, &'static str) {
        use OutcomeClass as C;
        match self {
            Outcome::Ok => ("ok", C::Completed, "#22c55e", "answered"),
            Outcome::DroppedQueueFull => (
                "dropped_queue_full",
                C::Dropped,
                "#f59e0b",
                "dropped: a full queue refused it (it falls off)",
            ),
            Outcome::TimedOut => (
                "timed_out",
                C::TimedOut,
                "#f97316",
                "timed out: the deadline passed before the answer",
            ),
            Outcome::FailedHopLimit => (
                "failed_hop_limit",
                C::Failed,
                "#ef4444",
                "failed: forwarded past the hop limit (a loop)",
            ),
            Outcome::FailedNoRoute => (
                "failed_no_route",
                C::Failed,
                "#be123c",
                "failed: no gateway route matched it",
            ),
            Outcome::FailedError => (
                "failed_error",
                C::Failed,
                "#dc2626",
                "failed: an injected error at the node that handled it",
            ),
            Outcome::FailedNodeDown => (
                "failed_node_down",
                C::Failed,
                "#991b1b",
                "failed: the node that held it, or that it reached, was down",
            ),
            Outcome::DeadlineExceeded => (
                "deadline_exceeded",
                C::TimedOut,
                "#c2410c",
                "deadline exceeded: its request's deadline passed, so no more work was done",
            ),
            Outcome::DroppedBulkheadFull => (
                "dropped_bulkhead_full",
                C::Dropped,
                "#b45309",
                "dropped: a bulkhead on its edge had no place left",
            ),
            Outcome::CircuitOpen => (
                "circuit_open",
                C::Failed,
                "#f43f5e",
                "failed fast: a circuit breaker on its edge was open",
            ),
        }
    }
}

/// The ways a request can end, as counted in conservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeClass {
    /// Answered.
    Completed,
    /// Refused for lack of room.
    Dropped,
    /// Too slow.
    TimedOut,
    /// An error.
    Failed,
}

/// A response's status: the outcome and the node where it was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// What happened.
    pub outcome: Outcome,
    /// Index of the node that decided it (the answering node for `Ok`).
    pub origin: u32,
}

/// Something that happens at an instant. Payloads are arena indices, never pointers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A client produces its next request.
    Generate {
        /// The client node.
        node: u32,
        /// The client's arrival epoch when it was scheduled: a spike starting or ending
        /// redraws the next arrival, and the one drawn before is stale.
        epoch: u32,
    },
    /// A request (a frame) reaches the frame's node.
    Arrive {
        /// The frame.
        frame: u32,
    },
    /// The local work on a frame finishes.
    WorkDone {
        /// The frame.
        frame: u32,
    },
    /// A call's answer reaches its caller.
    Response {
        /// The call it answers; the calling frame is its slot's.
        call: CallId,
        /// How the call went.
        status: Status,
    },
    /// A frame's timer (a deadline, a backoff), with the tag its node gave it. Stale if the
    /// frame has answered or was reused (its generation moved on).
    Timeout {
        /// The frame.
        frame: u32,
        /// The frame's generation when the timer was set.
        generation: u32,
        /// What the timer is for, as the node numbers its timers (0 for a plain deadline).
        tag: u16,
    },
    /// A node timer ([`crate::sim::timers`]). Stale once cancelled or fired.
    Timer {
        /// The timer's slot.
        slot: u32,
        /// The slot's generation when it was armed.
        generation: u32,
    },
    /// A call's caller gives up waiting for its answer: the timeout of the edge it left by
    /// has passed. Stale once the answer is in.
    CallTimeout {
        /// The call.
        call: CallId,
    },
    /// A call's backoff is over: its next attempt leaves along the same edge. Stale once the
    /// call is given up.
    Retry {
        /// The call, with the generation of its next attempt.
        call: CallId,
    },
    /// A call's hedging delay is over: unless its answer is in, a second attempt leaves.
    Hedge {
        /// The call.
        call: CallId,
    },
    /// A fault of the scenario's timeline starts or ends ([`crate::sim::faults`]).
    Fault {
        /// Its place in the scenario's `faults`.
        index: u32,
        /// True when it starts.
        begins: bool,
    },
}

impl Event {
    /// True for events that keep a `requests` run going: everything but node timers, which are
    /// background.
    #[inline]
    pub fn is_foreground(&self) -> bool {
        !matches!(self, Event::Timer { .. } | Event::Fault { .. })
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    seq: u64,
    event: Event,
}

impl Entry {
    /// The entry's place in the order, time first and then scheduling order, as one number: a
    /// comparison is a compare and a subtract-with-borrow, with no branch on a tie.
    #[inline(always)]
    fn key(&self) -> u128 {
        ((self.time as u128) << 64) | self.seq as u128
    }
}

/// Children per heap slot. Measured against 3, 4 and 8 (docs/benchmarks.md): the queue holds
/// about 5 events on the M/M/4 benchmark and about 220 on the default scenario, a few
/// kilobytes that stay in the L1 cache whatever the shape, so the fewest comparisons win, and
/// a binary heap makes the fewest.
const ARITY: usize = 2;

/// The pending events of a run: an implicit min-heap on (time, sequence number) in one `Vec`.
/// Slot 0 is the root; the children of slot `i` are slots `ARITY * i + 1 ..= ARITY * i +
/// ARITY`. Keys are unique (the sequence number only grows), so the pop order is the one total
/// order on (time, seq): any correct priority queue replays a run identically.
///
/// Entries move by the hole technique: a sift holds the moving entry aside and shifts each
/// entry it passes into the hole in one copy, writing the held entry once at the end.
///
/// Taking the earliest event leaves the root vacant, and it stays vacant until the queue is
/// next used. The handler that runs next almost always schedules an event; `push` drops that
/// event into the vacant root and sifts it down, one pass where refilling the root from the
/// last slot and then sifting the new event up would take two, and new events are mostly due
/// soon, so the pass is short. Only when the queue is looked at with the root still vacant is
/// the root refilled from the last slot, bottom-up (the hole follows the earlier child down to
/// a leaf, and the last entry, which is late and belongs near the bottom, sifts up from
/// there). The `Vec` only grows, so a run in its steady state allocates nothing.
#[derive(Default)]
pub struct EventQueue {
    /// The heap; slot 0 holds a stale entry while `root_vacant`.
    heap: Vec<Entry>,
    next_seq: u64,
    /// The next sequence number of [`EventQueue::push_first`], below every `push`'s.
    next_first_seq: u64,
    /// The root's event was taken and the root has not been refilled since.
    root_vacant: bool,
}

/// Every [`EventQueue::push`] numbers its entry from here, so that entries pushed "first" at
/// an instant (below it) sort before all of them. 2^40 pushes of either kind is far beyond any
/// run's budget.
const FIRST_NORMAL_SEQ: u64 = 1 << 40;

/// Faults' starts and ends number their entries below this ([`EventQueue::push_fault`]: twice
/// the fault's index, plus one for an end), and the events a pause held from here up.
const FIRST_HELD_SEQ: u64 = 1 << 32;

impl EventQueue {
    /// Schedules `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: Event) {
        let seq = FIRST_NORMAL_SEQ | self.next_seq;
        self.next_seq += 1;
        self.insert(Entry { time, seq, event });
    }

    /// Schedules `event` at `time` before every event pushed with [`EventQueue::push`] for
    /// that instant, after the ones pushed first before it and after every fault's start or
    /// end then: the events a pause held, which run before what else happens then.
    pub fn push_first(&mut self, time: SimTime, event: Event) {
        let seq = FIRST_HELD_SEQ | self.next_first_seq;
        self.next_first_seq += 1;
        self.insert(Entry { time, seq, event });
    }

    /// Schedules the start or end of fault `index` at `time`, before everything else at that
    /// instant. Its place among the faults due then follows from the fault alone (the
    /// document's order, a start before an end), never from when it was scheduled: a fault
    /// injected into a running simulation lands where a fresh run of the saved document
    /// puts it.
    pub fn push_fault(&mut self, time: SimTime, index: u32, begins: bool) {
        let seq = u64::from(index) * 2 + u64::from(!begins);
        debug_assert!(
            seq < FIRST_HELD_SEQ,
            "fault sequence numbers stay in their range"
        );
        let event = Event::Fault { index, begins };
        self.insert(Entry { time, seq, event });
    }

    #[inline(always)]
    fn insert(&mut self, entry: Entry) {
        if self.root_vacant {
            self.root_vacant = false;
            self.sift_down_from_root(entry);
        } else {
            let hole = self.heap.len();
            self.heap.push(entry);
            self.sift_up(hole, entry);
        }
    }

    /// Looks at the earliest event and removes it if `decide` says so. Returns the decision,
    /// with the event when it was removed; `None` when the queue is empty.
    #[inline]
    pub fn pop_if<D>(
        &mut self,
        decide: impl FnOnce(SimTime, &Event) -> (D, bool),
    ) -> Option<(D, Option<(SimTime, Event)>)> {
        self.refill_root();
        let top = *self.heap.first()?;
        let (decision, take) = decide(top.time, &top.event);
        if take {
            // Taking the event only marks its slot vacant: the next push or look refills it.
            self.root_vacant = true;
        }
        Some((decision, take.then_some((top.time, top.event))))
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.pop_if(|_, _| ((), true)).and_then(|(_, taken)| taken)
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.root_vacant)
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every pending event and the memory they held.
    pub fn clear(&mut self) {
        self.heap = Vec::new();
        self.root_vacant = false;
    }

    /// Fills a vacant root with the last entry, bottom-up: the hole follows the earlier child
    /// down to a leaf without comparing against the last entry, which then sifts up from there.
    #[inline(always)]
    fn refill_root(&mut self) {
        if !self.root_vacant {
            return;
        }
        self.root_vacant = false;
        let last = self.heap.pop().expect("a vacant root is a slot");
        if self.heap.is_empty() {
            return; // the root was the only slot
        }
        let mut hole = 0;
        while let Some(child) = self.earliest_child(hole) {
            self.heap[hole] = self.heap[child];
            hole = child;
        }
        self.sift_up(hole, last);
    }

    /// Fills the vacant root with `entry`, top-down: the hole moves down past every child
    /// earlier than `entry`.
    #[inline(always)]
    fn sift_down_from_root(&mut self, entry: Entry) {
        let key = entry.key();
        let mut hole = 0;
        while let Some(child) = self.earliest_child(hole) {
            let below = self.heap[child];
            if key <= below.key() {
                break;
            }
            self.heap[hole] = below;
            hole = child;
        }
        self.heap[hole] = entry;
    }

    /// Moves the hole at `hole` up past every parent later than `entry`, and fills it with
    /// `entry`.
    #[inline(always)]
    fn sift_up(&mut self, mut hole: usize, entry: Entry) {
        let key = entry.key();
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            let above = self.heap[parent];
            if above.key() <= key {
                break;
            }
            self.heap[hole] = above;
            hole = parent;
        }
        self.heap[hole] = entry;
    }

    /// The slot of the earliest child of `parent`, if it has children.
    #[inline(always)]
    fn earliest_child(&self, parent: usize) -> Option<usize> {
        let first = ARITY * parent + 1;
        let len = self.heap.len();
        if first + ARITY <= len {
            // A full set: a fixed-size array, so the scan is unrolled and branch-free.
            let kids: &[Entry; ARITY] = self.heap[first..first + ARITY]
                .try_into()
                .expect("ARITY children");
            Some(first + earliest(kids))
        } else if first < len {
            Some(first + earliest(&self.heap[first..len]))
        } else {
            None
        }
    }
}

/// The index of the earliest of `entries` (not empty).
#[inline(always)]
fn earliest(entries: &[Entry]) -> usize {
    let mut best = 0;
    let mut best_key = entries[0].key();
    for (i, entry) in entries.iter().enumerate().skip(1) {
        let key = entry.key();
        if key < best_key {
            best = i;
            best_key = key;
        }
    }
    best
}

impl std::fmt::Debug for EventQueue {
    /// The pending entries in heap order (a vacant root's stale entry left out).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventQueue")
            .field("pending", &&self.heap[usize::from(self.root_vacant)..])
            .field("next_seq", &self.next_seq)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_entry_stays_32_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 32);
    }

    #[test]
    fn outcomes_keep_their_codes_and_names() {
        let pinned = [
            (0, "ok"),
            (1, "dropped_queue_full"),
            (2, "timed_out"),
            (3, "failed_hop_limit"),
            (4, "failed_no_route"),
            (5, "failed_error"),
            (6, "failed_node_down"),
            (7, "deadline_exceeded"),
            (8, "dropped_bulkhead_full"),
            (9, "circuit_open"),
        ];
        for (outcome, (code, name)) in Outcome::ALL.iter().zip(pinned) {
            assert_eq!((*outcome as u8, outcome.name()), (code, name));
        }
    }

    #[test]
    fn each_class_has_its_own_colours() {
        for a in Outcome::ALL {
            for b in Outcome::ALL {
                if a != b {
                    assert_ne!(a.colour(), b.colour(), "{a:?} and {b:?}");
                }
            }
            assert!(!a.meaning().is_empty());
        }
    }
    use crate::random::Stream;
    use std::collections::BTreeMap;

    /// Every operation runs on the real queue and on a `BTreeMap` shadow keyed by
    /// (time, insertion order); any disagreement is a bug in the queue.
    #[test]
    fn agrees_with_a_btreemap_shadow() {
        let mut rng = Stream::from_seed(99);
        let mut queue = EventQueue::default();
        let mut shadow: BTreeMap<(SimTime, u64), u32> = BTreeMap::new();
        let mut inserted = 0u64;
        for _ in 0..200_000 {
            if rng.below(3) < 2 {
                // Few distinct times, so ties are common and their order is exercised.
                let time = rng.below(50);
                let node = rng.below(1000) as u32;
                queue.push(time, Event::Generate { node, epoch: 0 });
                shadow.insert((time, inserted), node);
                inserted += 1;
            } else {
                let expected = shadow.pop_first().map(|((t, _), n)| (t, n));
                let got = queue.pop().map(|(t, e)| match e {
                    Event::Generate { node, .. } => (t, node),
                    other => panic!("unexpected {other:?}"),
                });
                assert_eq!(got, expected);
            }
            assert_eq!(queue.len(), shadow.len());
        }
    }

    /// A reference queue: every pending (time, seq, event), kept sorted by (time, seq), so its
    /// first entry is the earliest and popping takes it from the front.
    #[derive(Default)]
    struct Sorted {
        entries: Vec<(SimTime, u64, Event)>,
        next_seq: u64,
    }

    impl Sorted {
        fn push(&mut self, time: SimTime, event: Event) {
            let seq = self.next_seq;
            self.next_seq += 1;
            let at = self
                .entries
                .partition_point(|&(t, s, _)| (t, s) < (time, seq));
            self.entries.insert(at, (time, seq, event));
        }

        fn first(&self) -> Option<(SimTime, Event)> {
            self.entries.first().map(|&(t, _, e)| (t, e))
        }

        fn pop(&mut self) -> Option<(SimTime, Event)> {
            let first = self.first();
            if first.is_some() {
                self.entries.remove(0);
            }
            first
        }
    }

    /// An event with every payload byte drawn, so a heap move that dropped or mixed up part
    /// of an entry would show.
    fn random_event(rng: &mut Stream) -> Event {
        match rng.below(3) {
            0 => Event::Timeout {
                frame: rng.below(1 << 32) as u32,
                generation: rng.below(1 << 32) as u32,
                tag: rng.below(1 << 16) as u16,
            },
            1 => Event::Response {
                call: CallId {
                    slot: rng.below(1 << 32) as u32,
                    generation: rng.below(1 << 32) as u32,
                },
                status: Status {
                    outcome: Outcome::ALL[rng.below(5) as usize],
                    origin: rng.below(1 << 32) as u32,
                },
            },
            _ => Event::Arrive {
                frame: rng.below(1 << 32) as u32,
            },
        }
    }

    /// Seeded random runs of pushes, pops and looks (`pop_if` taking or declining) against the
    /// sorted reference. Phases grow the queue to a few thousand and drain it to empty, so
    /// every depth, a last parent with fewer children than the others, and every sequence of
    /// operations after a pop (the root left vacant) are met; times are drawn from a narrow
    /// range in some phases, so ties are common there and their order is exercised.
    #[test]
    fn matches_a_sorted_reference_through_pushes_pops_and_looks() {
        for seed in 0..4 {
            let mut rng = Stream::from_seed(seed);
            let mut queue = EventQueue::default();
            let mut reference = Sorted::default();
            let mut now: SimTime = 0;
            for phase in 0..24 {
                // Each phase pushes with this chance in 100, so alternate phases grow and drain.
                let push_chance = if phase % 2 == 0 { 70 } else { 25 };
                let spread = [3, 1_000, 1 << 40][phase % 3];
                let steps = 1 + rng.below(3_000);
                for _ in 0..steps {
                    let roll = rng.below(100);
                    if roll < push_chance {
                        // Never before the clock, as the engine schedules.
                        let time = now + rng.below(spread);
                        let event = random_event(&mut rng);
                        queue.push(time, event);
                        reference.push(time, event);
                    } else if roll < push_chance + 10 {
                        // A look that declines: it sees the earliest and changes nothing.
                        let before = queue.len();
                        let seen = queue.pop_if(|time, event| ((time, *event), false));
                        assert_eq!(seen, reference.first().map(|first| (first, None)));
                        assert_eq!(queue.len(), before);
                    } else if roll < push_chance + 20 {
                        let taken = queue.pop_if(|time, _| (time, true));
                        let expected = reference.pop();
                        assert_eq!(taken, expected.map(|(time, e)| (time, Some((time, e)))));
                        if let Some((time, _)) = expected {
                            now = time;
                        }
                    } else {
                        let popped = queue.pop();
                        assert_eq!(popped, reference.pop());
                        if let Some((time, _)) = popped {
                            now = time;
                        }
                    }
                    assert_eq!(queue.len(), reference.entries.len());
                    assert_eq!(queue.is_empty(), reference.entries.is_empty());
                }
            }
            while let Some(expected) = reference.pop() {
                assert_eq!(queue.pop(), Some(expected));
            }
            assert_eq!(queue.pop(), None);
            assert!(queue.is_empty());
        }
    }

    /// Declining to take the earliest event, whether the root was just vacated, just refilled
    /// or never emptied, leaves the queue as it was: the same length, and the same events in
    /// the same order afterwards. An empty queue does not ask at all.
    #[test]
    fn a_declining_look_leaves_the_queue_unchanged() {
        let mut empty = EventQueue::default();
        assert_eq!(empty.pop_if(|_, _| -> ((), bool) { panic!("asked") }), None);

        let mut rng = Stream::from_seed(7);
        for size in 1..=40 {
            let mut queue = EventQueue::default();
            let mut reference = Sorted::default();
            for _ in 0..size {
                let (time, event) = (rng.below(8), random_event(&mut rng));
                queue.push(time, event);
                reference.push(time, event);
            }
            // Vacate the root by taking the earliest, then look without taking, twice.
            assert_eq!(queue.pop(), reference.pop());
            for _ in 0..2 {
                let seen = queue.pop_if(|time, event| ((time, *event), false));
                assert_eq!(seen.map(|(seen, _)| seen), reference.first());
                assert_eq!(queue.len(), size - 1);
            }
            // A push into the root left vacant by a take, then a declined look.
            let taken = queue.pop_if(|_, _| ((), true)).and_then(|(_, e)| e);
            assert_eq!(taken, reference.pop());
            let (time, event) = (rng.below(8), random_event(&mut rng));
            queue.push(time, event);
            reference.push(time, event);
            let seen = queue.pop_if(|time, event| ((time, *event), false));
            assert_eq!(seen.map(|(seen, _)| seen), reference.first());
            let mut drained = Vec::new();
            while let Some(next) = queue.pop() {
                drained.push(next);
            }
            let expected: Vec<_> = reference.entries.iter().map(|&(t, _, e)| (t, e)).collect();
            assert_eq!(drained, expected, "size {size}");
        }
    }
}
