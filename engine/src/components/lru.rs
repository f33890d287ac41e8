//! A least-recently-used set of keys with optional expiry, for caches: a hash map from key to
//! slot plus a doubly linked list through the slots, so lookups, inserts and evictions are O(1)
//! and nothing is allocated once the cache is full.

use crate::random::KeyMap;
use crate::time::SimTime;

const NIL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
struct Slot {
    key: u64,
    stored: SimTime,
    /// What it holds: the version of the data it was filled with (sim/data.rs).
    value: u64,
    prev: u32,
    next: u32,
}

/// Keys ordered by recency of use, holding at most `capacity`.
#[derive(Debug)]
pub struct Lru {
    capacity: usize,
    index: KeyMap<u64, u32>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    head: u32,
    tail: u32,
}

impl Lru {
    /// An empty cache of `capacity` keys (0 caches nothing).
    pub fn new(capacity: u64) -> Self {
        Lru {
            capacity: capacity.min(u32::MAX as u64 - 1) as usize,
            index: KeyMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    /// The most keys it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Forgets every key (its memory is kept for the keys to come).
    pub fn clear(&mut self) {
        self.index.clear();
        self.slots.clear();
        self.free.clear();
        (self.head, self.tail) = (NIL, NIL);
    }

    /// Looks `key` up at `now`: true (and marked most recent) if present and younger than `ttl`.
    /// An expired key is removed.
    #[cfg(test)]
    pub fn get(&mut self, key: u64, now: SimTime, ttl: Option<SimTime>) -> bool {
        self.get_keeping(key, now, ttl, 0).is_some()
    }

    /// [`Lru::get`], but an expired key stays (a miss) until it is `keep` past its TTL: a
    /// stale copy to answer with if the store fails (stale-if-error). A hit gives the value
    /// the key holds.
    pub fn get_keeping(
        &mut self,
        key: u64,
        now: SimTime,
        ttl: Option<SimTime>,
        keep: SimTime,
    ) -> Option<u64> {
        let &slot = self.index.get(&key)?;
        if let Some(ttl) = ttl {
            let age = now.saturating_sub(self.slots[slot as usize].stored);
            if age >= ttl {
                if age >= ttl.saturating_add(keep) {
                    self.remove(key);
                }
                return None;
            }
        }
        self.unlink(slot);
        self.push_front(slot);
        Some(self.slots[slot as usize].value)
    }

    /// How long ago `key` was stored and the value it holds, if it is held (fresh or stale).
    pub fn age(&self, key: u64, now: SimTime) -> Option<(SimTime, u64)> {
        let &slot = self.index.get(&key)?;
        let s = &self.slots[slot as usize];
        Some((now.saturating_sub(s.stored), s.value))
    }

    /// Stores `key` holding `value` as fresh at `now`, evicting the least recently used key
    /// when full.
    pub fn insert(&mut self, key: u64, now: SimTime, value: u64) {
        if self.capacity == 0 {
            return;
        }
        if let Some(&slot) = self.index.get(&key) {
            let s = &mut self.slots[slot as usize];
            (s.stored, s.value) = (now, value);
            self.unlink(slot);
            self.push_front(slot);
            return;
        }
        if self.index.len() >= self.capacity {
            let oldest = self.slots[self.tail as usize].key;
            self.remove(oldest);
        }
        let entry = Slot {
            key,
            stored: now,
            value,
            prev: NIL,
            next: NIL,
        };
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = entry;
                s
            }
            None => {
                self.slots.push(entry);
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(key, slot);
        self.push_front(slot);
    }

    /// Forgets `key` (a write invalidates it).
    pub fn remove(&mut self, key: u64) {
        if let Some(slot) = self.index.remove(&key) {
            self.unlink(slot);
            self.free.push(slot);
        }
    }

    fn unlink(&mut self, slot: u32) {
        let Slot { prev, next, .. } = self.slots[slot as usize];
        match prev {
            NIL => self.head = next,
            p => self.slots[p as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.slots[n as usize].prev = prev,
        }
    }

    fn push_front(&mut self, slot: u32) {
        self.slots[slot as usize].prev = NIL;
        self.slots[slot as usize].next = self.head;
        match self.head {
            NIL => self.tail = slot,
            h => self.slots[h as usize].prev = slot,
        }
        self.head = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Stream;
    use std::collections::VecDeque;

    #[test]
    fn evicts_the_least_recently_used_key() {
        let mut lru = Lru::new(2);
        lru.insert(1, 0, 0);
        lru.insert(2, 0, 0);
        assert!(lru.get(1, 0, None)); // 1 is now the most recent
        lru.insert(3, 0, 0); // evicts 2
        assert!(lru.get(1, 0, None));
        assert!(!lru.get(2, 0, None));
        assert!(lru.get(3, 0, None));
        assert_eq!(lru.len(), 2);
    }

    #[test]
    fn expired_keys_miss_and_are_removed() {
        let mut lru = Lru::new(10);
        lru.insert(7, 100, 0);
        assert!(lru.get(7, 149, Some(50)));
        assert!(!lru.get(7, 150, Some(50)));
        assert_eq!(lru.len(), 0);
    }

    /// Random operations against a plain recency list: any disagreement is a bug.
    #[test]
    fn agrees_with_a_vecdeque_shadow() {
        let mut rng = Stream::from_seed(4);
        let mut lru = Lru::new(8);
        let mut shadow: VecDeque<u64> = VecDeque::new(); // front = most recent
        for _ in 0..50_000 {
            let key = rng.below(20);
            match rng.below(3) {
                0 => {
                    let hit = lru.get(key, 0, None);
                    let pos = shadow.iter().position(|&k| k == key);
                    assert_eq!(hit, pos.is_some());
                    if let Some(p) = pos {
                        shadow.remove(p);
                        shadow.push_front(key);
                    }
                }
                1 => {
                    lru.insert(key, 0, 0);
                    if let Some(p) = shadow.iter().position(|&k| k == key) {
                        shadow.remove(p);
                    } else if shadow.len() == 8 {
                        shadow.pop_back();
                    }
                    shadow.push_front(key);
                }
                _ => {
                    lru.remove(key);
                    shadow.retain(|&k| k != key);
                }
            }
            assert_eq!(lru.len(), shadow.len());
        }
    }
}
