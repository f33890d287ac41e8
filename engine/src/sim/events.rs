//! The event queue: a binary heap ordered by (time, sequence number), so events at the same
//! instant run in the order they were scheduled and every run replays identically.

use super::calls::CallId;
use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

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
}

impl Outcome {
    /// Every outcome, in report order (their codes' order).
    pub const ALL: [Outcome; 5] = [
        Outcome::Ok,
        Outcome::DroppedQueueFull,
        Outcome::TimedOut,
        Outcome::FailedHopLimit,
        Outcome::FailedNoRoute,
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
}

impl Event {
    /// True for events that keep a `requests` run going: everything but node timers, which are
    /// background.
    #[inline]
    pub fn is_foreground(&self) -> bool {
        !matches!(self, Event::Timer { .. })
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    time: SimTime,
    seq: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed, because `BinaryHeap` is a max-heap and we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// The pending events of a run.
#[derive(Default, Debug)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    next_seq: u64,
}

impl EventQueue {
    /// Schedules `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: SimTime, event: Event) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Looks at the earliest event and removes it if `decide` says so. Returns the decision,
    /// with the event when it was removed; `None` when the queue is empty.
    #[inline]
    pub fn pop_if<D>(
        &mut self,
        decide: impl FnOnce(SimTime, &Event) -> (D, bool),
    ) -> Option<(D, Option<(SimTime, Event)>)> {
        let top = self.heap.peek_mut()?;
        let (decision, take) = decide(top.time, &top.event);
        let taken = take.then(|| {
            let e = std::collections::binary_heap::PeekMut::pop(top);
            (e.time, e.event)
        });
        Some((decision, taken))
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Drops every pending event and the memory they held.
    pub fn clear(&mut self) {
        self.heap = BinaryHeap::new();
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
                queue.push(time, Event::Generate { node });
                shadow.insert((time, inserted), node);
                inserted += 1;
            } else {
                let expected = shadow.pop_first().map(|((t, _), n)| (t, n));
                let got = queue.pop().map(|(t, e)| match e {
                    Event::Generate { node } => (t, node),
                    other => panic!("unexpected {other:?}"),
                });
                assert_eq!(got, expected);
            }
            assert_eq!(queue.len(), shadow.len());
        }
    }
}
