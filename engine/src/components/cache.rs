//! Cache (cache-aside in front of one store): a read of a key it holds is answered here (a hit
//! turns back); a miss goes on to the store behind it and fills the cache on the way back. A
//! write invalidates the key and goes on, so the next read misses. Keys are evicted least
//! recently used first, and expire after the TTL if one is set.
//!
//! With `coalesce` (single flight), a read that misses a key whose fill is already on its way
//! from the store does not go there too: it waits for that fill and gets its answer, so a
//! burst of reads of a cold key (after a flush, at start) sends the store one read, not one
//! per reader. Such reads are counted as `coalesced`.

use super::lru::Lru;
use super::settings::settings;
use super::spec::{DataRole, Finding, KindSpec, Limit, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Gauges, Group};
use crate::bounds::Bound;
use crate::random::KeyMap;
use crate::sim::data::NO_VALUE;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{Op, ANSWERED, WORKING};
use crate::time::{from_ms, SimTime};
use std::collections::HashMap;

/// A cache's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "cache",
    title: "Cache",
    group: Group::Data,
    link_tag: 5,
    outcomes: &[],
    rules: Rules {
        without_callees: Some(Finding {
            code: "cache_no_backend",
            stops_run: false,
            message: "the cache has nothing behind it on a miss: misses are answered as if \
                      free; connect a database",
        }),
        max_callees: Some(Limit {
            most: 1,
            code: "cache_fan_out",
            message: "a cache stands in front of one store; connect it to exactly one",
        }),
        answers_early: true,
        data: DataRole::Front,
        ..Rules::OPEN
    },
};

/// How many keys one cache may hold: each is an entry in the tab's memory (tens of bytes).
pub const CACHE_KEYS: Bound = Bound::new(
    1.0,
    1_000_000.0,
    "each key held is an entry in memory; a million is more than any key space here",
);

settings! {
    /// A cache's size and speed.
    pub struct CacheConfig as "cache" {
        /// Keys held at most.
        capacity_keys: u64 = 1_000, tag 1, always, within CACHE_KEYS;
        /// Entries older than this miss. `None`: they live until evicted.
        ttl_ms: Option<f64> = None, tag 2, changed;
        /// Time to look a key up (the cache is never the bottleneck: no queue).
        lookup_ms: f64 = 1.0, tag 3, always;
        /// Single flight: a miss on a key already being filled waits for that fill instead
        /// of reading the store again.
        coalesce: bool = false, tag 4, changed;
        /// Stale-if-error: when the store fails a read, answer from an entry at most this
        /// long past its TTL instead (counted as `served_stale`). `None`: pass the failure on.
        stale_if_error_ms: Option<f64> = None, tag 5, changed;
    }
}

impl Config for CacheConfig {
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !crate::distributions::valid_ms(self.lookup_ms) {
            out.push((
                "lookup_ms",
                "the lookup time must be a number of milliseconds from 0 to a day".into(),
            ));
        }
        if let Some(t) = self.ttl_ms {
            if !(t.is_finite() && t > 0.0) {
                out.push((
                    "ttl_ms",
                    "the TTL must be a number of milliseconds > 0".into(),
                ));
            }
        }
        if let Some(stale) = self.stale_if_error_ms {
            if !(crate::distributions::valid_ms(stale) && stale > 0.0) {
                out.push((
                    "stale_if_error_ms",
                    "how long past its TTL an entry may be served must be a number of \
                     milliseconds > 0, at most a day"
                        .into(),
                ));
            } else if self.ttl_ms.is_none() {
                out.push((
                    "stale_if_error_ms",
                    "without a TTL no entry ever goes stale: set ttl_ms too".into(),
                ));
            }
        }
        out
    }
}

/// Frame step: a read missed, so the answer fills the cache.
const FILL: u16 = 1;

/// The runtime state of a cache.
pub struct Cache {
    keys: Lru,
    ttl: Option<SimTime>,
    lookup: SimTime,
    /// Whether a store stands behind it (link 0).
    has_backend: bool,
    /// With `coalesce`: per key being filled, the reads waiting for that fill (frame and
    /// generation, so a frame gone and reused is never answered).
    filling: Option<HashMap<u64, Vec<(u32, u32)>>>,
    /// With stale-if-error: how long past its TTL an entry is kept to answer with when the
    /// store fails.
    stale: Option<SimTime>,
    /// Per key with fills or writes on their way through the store: how many of each, and the
    /// newest write among them. At most one entry per frame in flight.
    pending: KeyMap<u64, Pending>,
}

/// The fills and writes of one key on their way through the store.
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    fills: u32,
    writes: u32,
    /// The newest write that passed since the first of them left.
    newest_write: u64,
}

impl Behaviour for Cache {
    type Config = CacheConfig;

    fn build(config: &CacheConfig, wiring: &Wiring) -> Self {
        Cache::new(config, !wiring.links.is_empty())
    }

    fn gauges(&self) -> Gauges {
        Gauges {
            fill: Some((self.keys.len() as u64, self.keys.capacity() as u64)),
        }
    }

    fn forget(&mut self) {
        self.keys.clear();
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        ctx.start_work(frame, self.lookup);
    }

    fn on_work_done<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        ctx.unpin(frame, WORKING);
        let request = *ctx.request(frame);
        let now = ctx.now();
        match request.op {
            // A scan reads every shard: nothing of it is cached.
            Op::Read if request.scan => {}
            Op::Read => {
                let keep = self.stale.unwrap_or(0);
                let hit = self.keys.get_keeping(request.key, now, self.ttl, keep);
                ctx.record_lookup(frame, hit.is_some());
                if let Some(value) = hit {
                    ctx.set_value(frame, value);
                    let status = ctx.status(Outcome::Ok);
                    return ctx.respond(frame, status);
                }
                if let Some(filling) = self.filling.as_mut() {
                    if let Some(waiting) = filling.get_mut(&request.key) {
                        // Its fill is on the way: wait for it rather than read the store.
                        waiting.push((frame, ctx.frame(frame).generation));
                        return ctx.record_coalesced(frame);
                    }
                    filling.insert(request.key, Vec::new());
                }
                self.pending.entry(request.key).or_default().fills += 1;
                ctx.frame_mut(frame).step = FILL;
            }
            Op::Write => {
                self.keys.remove(request.key);
                // Until this write is answered, a fill may bring what the store held before it:
                // landing after the invalidation, it leaves an old version cached (the refill
                // race).
                let p = self.pending.entry(request.key).or_default();
                p.writes += 1;
                p.newest_write = p.newest_write.max(request.version);
            }
        }
        if self.has_backend {
            ctx.forward(frame, 0);
        } else {
            // Nothing behind: the miss is answered as if the value cost nothing to produce
            // (the validator hints at this).
            self.on_response(ctx, frame, ctx.status(Outcome::Ok));
        }
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        let filled = ctx.frame(frame).step == FILL;
        let key = ctx.request(frame).key;
        let mut value = ctx.value(frame);
        let wrote = ctx.request(frame).op == Op::Write;
        let newest_write = if filled || wrote {
            self.landed(key, filled)
        } else {
            0
        };
        if filled && status.outcome == Outcome::Ok {
            if value != NO_VALUE && newest_write > value {
                ctx.record_refill_race(frame);
            }
            self.keys.insert(key, ctx.now(), value);
        }
        let status = match self.stale_copy(filled, status, key, ctx.now()) {
            Some(copy) => {
                // The store failed, but a copy not too far past its TTL is held: answer with it.
                ctx.record_served_stale(frame);
                value = copy;
                ctx.set_value(frame, copy);
                ctx.status(Outcome::Ok)
            }
            None => status,
        };
        ctx.respond(frame, status);
        if !filled {
            return;
        }
        // The reads that waited for this fill share its answer, ok or not.
        let waiting = self.filling.as_mut().and_then(|f| f.remove(&key));
        for (waiter, generation) in waiting.unwrap_or_default() {
            let w = ctx.frame(waiter);
            if w.generation == generation && !w.has(ANSWERED) {
                ctx.set_value(waiter, value);
                ctx.respond(waiter, status);
            }
        }
    }
}

impl Cache {
    pub(crate) fn new(config: &CacheConfig, has_backend: bool) -> Self {
        Cache {
            keys: Lru::new(config.capacity_keys),
            ttl: config.ttl_ms.map(from_ms),
            lookup: from_ms(config.lookup_ms),
            has_backend,
            filling: config.coalesce.then(HashMap::new),
            stale: config.stale_if_error_ms.map(from_ms),
            pending: KeyMap::default(),
        }
    }

    /// A fill (`filled`) or a write of `key` is back from the store: returns the newest write
    /// that passed while it or others were on their way (0 if none did).
    fn landed(&mut self, key: u64, filled: bool) -> u64 {
        let Some(p) = self.pending.get_mut(&key) else {
            return 0;
        };
        let newest_write = p.newest_write;
        if filled {
            p.fills -= 1;
        } else {
            p.writes -= 1;
        }
        if p.fills == 0 && p.writes == 0 {
            self.pending.remove(&key);
        }
        newest_write
    }

    /// The value of a stale copy of `key` to answer with now, instead of the store's failure
    /// (`status`) to a fill: held, and less than the stale window past its TTL.
    fn stale_copy(&self, filled: bool, status: Status, key: u64, now: SimTime) -> Option<u64> {
        let (Some(stale), Some(ttl)) = (self.stale, self.ttl) else {
            return None;
        };
        if !filled || status.outcome == Outcome::Ok {
            return None;
        }
        let (age, value) = self.keys.age(key, now)?;
        (age < ttl.saturating_add(stale)).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect, Effect::*, Recorder, HERE};

    const LOOKUP: SimTime = 1_000_000;

    fn cache(ttl_ms: Option<f64>, has_backend: bool) -> Cache {
        let config = CacheConfig {
            capacity_keys: 10,
            ttl_ms,
            lookup_ms: 1.0,
            coalesce: false,
            stale_if_error_ms: None,
        };
        Cache::new(&config, has_backend)
    }

    /// A lookup of `ask`, answered by the store with `outcome` if it misses.
    fn visit(cache: &mut Cache, rec: &mut Recorder, ask: Ask, outcome: Outcome) -> u32 {
        let frame = rec.arrive(cache, ask);
        rec.work_done(cache, frame);
        if !rec.is_free(frame) {
            rec.answer(cache, frame, outcome);
        }
        frame
    }

    fn hit(frame: u32) -> [Effect; 3] {
        [
            WorkStarted {
                frame,
                duration: LOOKUP,
            },
            Lookup { frame, hit: true },
            Responded {
                frame,
                outcome: Outcome::Ok,
                origin: HERE,
            },
        ]
    }

    fn miss(frame: u32) -> [Effect; 4] {
        [
            WorkStarted {
                frame,
                duration: LOOKUP,
            },
            Lookup { frame, hit: false },
            Forwarded { frame, link: 0 },
            Responded {
                frame,
                outcome: Outcome::Ok,
                origin: 1,
            },
        ]
    }

    #[test]
    fn a_read_miss_asks_the_store_and_the_answer_fills_the_key_for_the_next_read() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        let a = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), miss(a));
        let b = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), hit(b));
        let c = visit(&mut cache, &mut rec, Ask::read(8), Outcome::Ok);
        assert_eq!(rec.take(), miss(c), "another key");
    }

    #[test]
    fn with_single_flight_a_miss_on_a_key_being_filled_waits_and_shares_the_answer() {
        let config = CacheConfig {
            capacity_keys: 10,
            coalesce: true,
            ..CacheConfig::default()
        };
        let (mut cache, mut rec) = (Cache::new(&config, true), Recorder::new(1));
        let a = rec.arrive(&mut cache, Ask::read(7));
        rec.work_done(&mut cache, a);
        let b = rec.arrive(&mut cache, Ask::read(7));
        rec.work_done(&mut cache, b);
        let other = rec.arrive(&mut cache, Ask::read(8));
        rec.work_done(&mut cache, other);
        let effects = rec.take();
        let forwards = effects
            .iter()
            .filter(|e| matches!(e, Forwarded { .. }))
            .count();
        assert_eq!(
            forwards, 2,
            "one read of key 7 and one of key 8 reach the store"
        );
        assert!(effects.contains(&Coalesced { frame: b }));
        // The fill of key 7 answers both its readers, with the store's answer.
        rec.answer(&mut cache, a, Outcome::Ok);
        let answered = |frame| Responded {
            frame,
            outcome: Outcome::Ok,
            origin: 1,
        };
        assert_eq!(rec.take(), [answered(a), answered(b)]);
        assert!(rec.is_free(a) && rec.is_free(b));
        // The next read hits.
        let c = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), hit(c));
    }

    #[test]
    fn stale_if_error_answers_with_a_copy_at_most_its_window_past_the_ttl() {
        let config = CacheConfig {
            capacity_keys: 10,
            ttl_ms: Some(100.0),
            stale_if_error_ms: Some(50.0),
            ..CacheConfig::default()
        };
        let (mut cache, mut rec) = (Cache::new(&config, true), Recorder::new(1));
        visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        rec.take();
        // 120 ms on: expired, so the read asks the store; the store fails; the copy is 20 ms
        // past its TTL, within the window: answered ok, from here, and counted.
        rec.at_ms(120.0);
        let stale = visit(&mut cache, &mut rec, Ask::read(7), Outcome::FailedNodeDown);
        let effects = rec.take();
        assert!(effects.contains(&ServedStale { frame: stale }));
        assert!(effects.contains(&Responded {
            frame: stale,
            outcome: Outcome::Ok,
            origin: HERE
        }));
        // Serving it did not refresh it: 149.9 ms after it was stored the copy still serves;
        // at 150 it is the whole window past the TTL, dropped, and the failure goes on.
        rec.at_ms(149.9);
        let last = visit(&mut cache, &mut rec, Ask::read(7), Outcome::FailedNodeDown);
        assert!(rec.take().contains(&ServedStale { frame: last }));
        rec.at_ms(150.0);
        let late = visit(&mut cache, &mut rec, Ask::read(7), Outcome::FailedNodeDown);
        let effects = rec.take();
        assert!(!effects.contains(&ServedStale { frame: late }));
        assert!(effects.contains(&Responded {
            frame: late,
            outcome: Outcome::FailedNodeDown,
            origin: 1
        }));
    }

    #[test]
    fn a_hit_answers_with_the_version_the_key_was_filled_with() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        let r = rec.arrive(&mut cache, Ask::read(7));
        rec.work_done(&mut cache, r);
        rec.answer_with_data(&mut cache, r, 4);
        let next = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.data_of(next), 4);
        let other = visit(&mut cache, &mut rec, Ask::read(8), Outcome::Ok);
        assert_eq!(
            rec.data_of(other),
            NO_VALUE,
            "a miss has what the store gave: nothing"
        );
    }

    #[test]
    fn a_fill_that_lands_after_a_write_passed_keeps_the_old_version_and_is_counted() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        // A read misses; its fill goes to the store.
        let r = rec.arrive(&mut cache, Ask::read(7));
        rec.work_done(&mut cache, r);
        // A write of the key passes meanwhile, invalidating it, on its way to the store.
        let w = rec.arrive(&mut cache, Ask::write(7).version(5));
        rec.work_done(&mut cache, w);
        rec.take();
        // The fill brings version 3, read before the write was applied: the race.
        rec.answer_with_data(&mut cache, r, 3);
        assert!(rec.take().contains(&RefillRace { frame: r }));
        rec.answer(&mut cache, w, Outcome::Ok);
        rec.take();
        let next = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), hit(next), "the old version is cached");
        assert_eq!(rec.data_of(next), 3);
    }

    #[test]
    fn a_write_invalidating_before_the_miss_still_races_until_it_is_answered() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        let w = rec.arrive(&mut cache, Ask::write(7).version(5));
        rec.work_done(&mut cache, w);
        // The read misses after the invalidation but reads the store before the write lands.
        let r = rec.arrive(&mut cache, Ask::read(7));
        rec.work_done(&mut cache, r);
        rec.take();
        rec.answer_with_data(&mut cache, r, 3);
        assert!(rec.take().contains(&RefillRace { frame: r }));
        // Once the write is answered, a fill can only bring it or newer: no race.
        rec.answer(&mut cache, w, Outcome::Ok);
        let (mut fresh, mut rec) = (self::cache(None, true), Recorder::new(1));
        let w = rec.arrive(&mut fresh, Ask::write(7).version(5));
        rec.work_done(&mut fresh, w);
        rec.answer(&mut fresh, w, Outcome::Ok);
        let r = rec.arrive(&mut fresh, Ask::read(7));
        rec.work_done(&mut fresh, r);
        rec.take();
        rec.answer_with_data(&mut fresh, r, 5);
        assert!(!rec.take().contains(&RefillRace { frame: r }));
    }

    #[test]
    fn a_scan_passes_through_without_a_lookup() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        let s = rec.arrive(&mut cache, Ask::scan());
        rec.work_done(&mut cache, s);
        let effects = rec.take();
        assert!(effects.contains(&Forwarded { frame: s, link: 0 }));
        assert!(!effects.iter().any(|e| matches!(e, Lookup { .. })));
        rec.answer(&mut cache, s, Outcome::Ok);
        assert_eq!(cache.keys.len(), 0, "nothing of a scan is cached");
    }

    #[test]
    fn a_write_goes_to_the_store_and_invalidates_the_key() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        rec.take();
        let w = visit(&mut cache, &mut rec, Ask::write(7), Outcome::Ok);
        assert_eq!(
            rec.take(),
            [
                WorkStarted {
                    frame: w,
                    duration: LOOKUP
                },
                Forwarded { frame: w, link: 0 },
                Responded {
                    frame: w,
                    outcome: Outcome::Ok,
                    origin: 1
                },
            ]
        );
        let r = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), miss(r), "the write's answer fills nothing");
    }

    #[test]
    fn an_entry_as_old_as_the_ttl_misses() {
        let (mut cache, mut rec) = (cache(Some(100.0), true), Recorder::new(1));
        visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        rec.at_ms(99.0);
        let young = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        rec.at_ms(100.0);
        let old = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        let effects = rec.take();
        assert_eq!(effects[4..7], hit(young));
        assert_eq!(effects[7..], miss(old));
    }

    #[test]
    fn a_failed_answer_fills_nothing() {
        let (mut cache, mut rec) = (cache(None, true), Recorder::new(1));
        let a = visit(&mut cache, &mut rec, Ask::read(7), Outcome::TimedOut);
        assert_eq!(
            rec.take()[3],
            Responded {
                frame: a,
                outcome: Outcome::TimedOut,
                origin: 1
            }
        );
        let b = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        assert_eq!(rec.take(), miss(b));
    }

    #[test]
    fn without_a_store_a_miss_is_answered_here_and_fills() {
        let (mut cache, mut rec) = (cache(None, false), Recorder::new(0));
        let a = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        let b = visit(&mut cache, &mut rec, Ask::read(7), Outcome::Ok);
        let mut expected = vec![
            WorkStarted {
                frame: a,
                duration: LOOKUP,
            },
            Lookup {
                frame: a,
                hit: false,
            },
            Responded {
                frame: a,
                outcome: Outcome::Ok,
                origin: HERE,
            },
        ];
        expected.extend(hit(b));
        assert_eq!(rec.take(), expected);
    }
}
