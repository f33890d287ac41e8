//! Node timers: a node asks to be woken after a delay with a tag of its own (a health check, a
//! breaker's half-open probe, an election timeout), and may cancel the timer before it fires.
//! Each armed timer holds a slot here; the event in the queue names the slot and its
//! generation, so a cancelled timer, or a slot reused since, is recognised when its event comes
//! up and dropped without running or moving the clock.
//!
//! Node timers are background: they never keep a `requests` run alive (sim/mod.rs says when a
//! run has drained).

/// An armed node timer, to cancel it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerId {
    /// Its slot.
    pub slot: u32,
    /// The slot's generation when it was armed.
    pub generation: u32,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    node: u32,
    tag: u32,
    generation: u32,
    armed: bool,
}

/// The armed node timers, in reusable slots.
#[derive(Debug, Default)]
pub struct NodeTimers {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

impl NodeTimers {
    /// Arms a timer for `node` with `tag`.
    pub fn arm(&mut self, node: u32, tag: u32) -> TimerId {
        let slot = match self.free.pop() {
            Some(slot) => {
                let s = &mut self.slots[slot as usize];
                s.generation = s.generation.wrapping_add(1);
                (s.node, s.tag, s.armed) = (node, tag, true);
                slot
            }
            None => {
                self.slots.push(Slot {
                    node,
                    tag,
                    generation: 0,
                    armed: true,
                });
                self.slots.len() as u32 - 1
            }
        };
        TimerId {
            slot,
            generation: self.slots[slot as usize].generation,
        }
    }

    /// True if `id` is still armed: not fired, not cancelled.
    #[inline]
    pub fn is_armed(&self, id: TimerId) -> bool {
        self.slots
            .get(id.slot as usize)
            .is_some_and(|s| s.armed && s.generation == id.generation)
    }

    /// Disarms every timer of `node` (it crashed: its timers were its volatile state).
    pub fn cancel_node(&mut self, node: u32) {
        for slot in 0..self.slots.len() as u32 {
            let s = &self.slots[slot as usize];
            if s.armed && s.node == node {
                self.release(slot);
            }
        }
    }

    /// The node an armed timer belongs to.
    pub fn node_of(&self, id: TimerId) -> Option<u32> {
        self.is_armed(id).then(|| self.slots[id.slot as usize].node)
    }

    /// Disarms `id` if it is armed; a timer that has fired or was cancelled is left alone.
    pub fn cancel(&mut self, id: TimerId) {
        if self.is_armed(id) {
            self.release(id.slot);
        }
    }

    /// The timer fires: returns its node and tag and frees its slot, if it is still armed.
    #[inline]
    pub fn fire(&mut self, id: TimerId) -> Option<(u32, u32)> {
        if !self.is_armed(id) {
            return None;
        }
        let Slot { node, tag, .. } = self.slots[id.slot as usize];
        self.release(id.slot);
        Some((node, tag))
    }

    /// How many timers are armed.
    pub fn armed(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    fn release(&mut self, slot: u32) {
        self.slots[slot as usize].armed = false;
        self.free.push(slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timer_fires_once_with_its_node_and_tag() {
        let mut timers = NodeTimers::default();
        let id = timers.arm(3, 7);
        assert_eq!(timers.fire(id), Some((3, 7)));
        assert_eq!(timers.fire(id), None, "a fired timer does not fire again");
        assert_eq!(timers.armed(), 0);
    }

    #[test]
    fn a_cancelled_timer_never_fires_even_when_its_slot_is_reused() {
        let mut timers = NodeTimers::default();
        let old = timers.arm(1, 1);
        timers.cancel(old);
        let new = timers.arm(2, 9);
        assert_eq!(new.slot, old.slot, "the slot is reused");
        assert_eq!(
            timers.fire(old),
            None,
            "the old event finds another generation"
        );
        assert_eq!(timers.fire(new), Some((2, 9)));
    }

    #[test]
    fn cancelling_twice_or_after_firing_changes_nothing() {
        let mut timers = NodeTimers::default();
        let a = timers.arm(0, 0);
        let b = timers.arm(0, 1);
        timers.cancel(a);
        timers.cancel(a);
        assert_eq!(timers.armed(), 1);
        assert_eq!(timers.fire(b), Some((0, 1)));
        timers.cancel(b);
        assert_eq!(timers.armed(), 0);
    }
}
