//! Calls out: every call a frame makes holds a slot here until its answer comes back, so one
//! frame can have several calls out at once (a scatter-gather, a quorum, a hedge). The answer
//! travels with the slot and its generation; a slot is reused only after its answer is in or it
//! was given up, and a late answer naming a slot's older generation is recognised and ignored
//! (counted), never delivered to whatever call holds the slot now.

use super::data::{Datum, NO_DATUM};

/// A call slot and the generation it had when the call left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallId {
    /// The slot.
    pub slot: u32,
    /// Its generation when the call left.
    pub generation: u32,
}

/// No call: a root frame's (it answers nobody through a slot).
pub const NO_CALL: CallId = CallId {
    slot: u32::MAX,
    generation: 0,
};

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The calling frame while the call is out; the next free slot while it is free (the free
    /// list runs through the slots, so opening and closing a call touch nothing else).
    caller: u32,
    generation: u32,
    out: bool,
    /// The edge whose bulkhead place the call holds, or `u32::MAX`.
    place: u32,
    /// The data the called frame has in hand (sim/data.rs): a store sets it, an answer
    /// carries it on to the caller's own slot. [`NO_DATUM`] until then. A frame's data rides
    /// here rather than in the frame, which stays 48 bytes.
    value: Datum,
}

/// The calls out, in reusable slots.
#[derive(Debug)]
pub struct CallSlots {
    slots: Vec<Slot>,
    /// The first free slot, or `u32::MAX`.
    free: u32,
    out: usize,
    /// Answers that came back to a slot given up since (they were ignored).
    late: u64,
}

impl Default for CallSlots {
    fn default() -> Self {
        CallSlots {
            slots: Vec::new(),
            free: u32::MAX,
            out: 0,
            late: 0,
        }
    }
}

impl CallSlots {
    /// A call leaves on behalf of frame `caller`.
    #[inline]
    pub fn open(&mut self, caller: u32) -> CallId {
        self.out += 1;
        if let Some(s) = self.slots.get_mut(self.free as usize) {
            let slot = self.free;
            self.free = s.caller;
            s.generation = s.generation.wrapping_add(1);
            (s.caller, s.out, s.place, s.value) = (caller, true, u32::MAX, NO_DATUM);
            return CallId {
                slot,
                generation: s.generation,
            };
        }
        self.slots.push(Slot {
            caller,
            generation: 0,
            out: true,
            place: u32::MAX,
            value: NO_DATUM,
        });
        CallId {
            slot: self.slots.len() as u32 - 1,
            generation: 0,
        }
    }

    /// The calling frame of `call`, if the call is still out.
    #[inline]
    pub fn caller(&self, call: CallId) -> Option<u32> {
        let s = self.slots.get(call.slot as usize)?;
        (s.out && s.generation == call.generation).then_some(s.caller)
    }

    /// The answer to `call` is in: frees its slot and returns the calling frame, or `None`
    /// (counted as late) if the call was given up and the slot has moved on.
    #[inline]
    pub fn close(&mut self, call: CallId) -> Option<u32> {
        let caller = self.caller(call);
        match caller {
            Some(_) => self.release(call.slot),
            None => self.late += 1,
        }
        caller
    }

    /// The answer to `call`, known to be still out, is in: frees its slot and returns the
    /// calling frame. (The event loop checks that an answer is live before it runs it.)
    #[inline]
    pub fn close_out(&mut self, call: CallId) -> u32 {
        self.close_out_with_value(call).0
    }

    /// Like [`CallSlots::close_out`], also returning the data the answer brings (one look at
    /// the slot: this runs for every answer of a run with data).
    #[inline]
    pub fn close_out_with_value(&mut self, call: CallId) -> (u32, Datum) {
        debug_assert!(self.caller(call).is_some(), "the call is out");
        let s = &self.slots[call.slot as usize];
        let (caller, value) = (s.caller, s.value);
        self.release(call.slot);
        (caller, value)
    }

    /// Gives `call` up without waiting for its answer: its slot may be reused at once, and the
    /// answer, when it comes, is ignored.
    pub fn give_up(&mut self, call: CallId) {
        if self.caller(call).is_some() {
            self.release(call.slot);
        }
    }

    /// The next attempt of `call`, still out, for the same caller: the slot's generation moves
    /// on, so the answer of the attempt before, when it comes, is late and ignored.
    pub fn renew(&mut self, call: CallId) -> CallId {
        debug_assert!(self.caller(call).is_some(), "the call is out");
        let s = &mut self.slots[call.slot as usize];
        s.generation = s.generation.wrapping_add(1);
        (s.place, s.value) = (u32::MAX, NO_DATUM);
        CallId {
            slot: call.slot,
            generation: s.generation,
        }
    }

    /// Notes that `call`, still out, holds a place in `edge`'s bulkhead.
    pub fn hold_place(&mut self, call: CallId, edge: u32) {
        self.slots[call.slot as usize].place = edge;
    }

    /// Takes back the bulkhead place `call` holds, if it is out and holds one: the edge.
    #[inline]
    pub fn take_place(&mut self, call: CallId) -> Option<u32> {
        self.caller(call)?;
        let place = std::mem::replace(&mut self.slots[call.slot as usize].place, u32::MAX);
        (place != u32::MAX).then_some(place)
    }

    /// The data the frame that `call` brought has in hand, if the call is still out.
    #[inline]
    pub fn value(&self, call: CallId) -> Option<Datum> {
        self.caller(call)?;
        Some(self.slots[call.slot as usize].value)
    }

    /// The frame that `call` brought has `value` in hand; nothing if the call was given up
    /// (its answer will be ignored, so its data goes nowhere).
    #[inline]
    pub fn set_value(&mut self, call: CallId, value: Datum) {
        if self.caller(call).is_some() {
            self.slots[call.slot as usize].value = value;
        }
    }

    /// Answers that came back after their call was given up.
    pub fn late_answers(&self) -> u64 {
        self.late
    }

    /// How many calls are out.
    pub fn out(&self) -> usize {
        self.out
    }

    #[inline]
    fn release(&mut self, slot: u32) {
        let s = &mut self.slots[slot as usize];
        (s.out, s.caller) = (false, self.free);
        self.free = slot;
        self.out -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_finds_its_caller_once() {
        let mut calls = CallSlots::default();
        let a = calls.open(7);
        let b = calls.open(9);
        assert_eq!(calls.out(), 2);
        assert_eq!(calls.close(b), Some(9));
        assert_eq!(calls.close(a), Some(7));
        assert_eq!(calls.out(), 0);
        assert_eq!(calls.late_answers(), 0);
    }

    #[test]
    fn data_rides_with_the_call_and_never_lands_on_a_reused_slot() {
        let mut calls = CallSlots::default();
        let old = calls.open(1);
        let datum = |version| Datum { version, source: 3 };
        assert_eq!(
            calls.value(old),
            Some(NO_DATUM),
            "a new call carries nothing"
        );
        calls.set_value(old, datum(5));
        assert_eq!(calls.value(old), Some(datum(5)));
        calls.give_up(old);
        let new = calls.open(2);
        calls.set_value(old, datum(9));
        assert_eq!(
            calls.value(new),
            Some(NO_DATUM),
            "the given-up call's data is dropped"
        );
        let next = calls.renew(new);
        assert_eq!(
            calls.value(next),
            Some(NO_DATUM),
            "a new attempt starts empty"
        );
    }

    #[test]
    fn a_late_answer_to_a_reused_slot_is_ignored_and_counted() {
        let mut calls = CallSlots::default();
        let old = calls.open(1);
        calls.give_up(old);
        let new = calls.open(2);
        assert_eq!(new.slot, old.slot, "the slot is reused");
        assert_eq!(
            calls.close(old),
            None,
            "the old answer does not land on the new call"
        );
        assert_eq!(calls.late_answers(), 1);
        assert_eq!(calls.close(new), Some(2), "the new call is untouched");
    }
}
