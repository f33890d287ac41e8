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
use super::spec::{Finding, KindSpec, Limit, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Gauges, Group};
use crate::bounds::Bound;
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
            Op::Read => {
                let keep = self.stale.unwrap_or(0);
                let hit = self.keys.get_keeping(request.key, now, self.ttl, keep);
                ctx.record_lookup(frame, hit);
                if hit {
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
                ctx.frame_mut(frame).step = FILL;
            }
            Op::Write => self.keys.remove(request.key),
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
        if status.outcome == Outcome::Ok && filled {
            self.keys.insert(key, ctx.now());
        }
        let status = if filled && status.outcome != Outcome::Ok && self.has_stale(key, ctx.now()) {
            // The store failed, but a copy not too far past its TTL is held: answer with it.
            ctx.record_served_stale(frame);
            ctx.status(Outcome::Ok)
        } else {
            status
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
        }
    }

    /// True if a stale copy of `key` may answer now: held, and less than the stale window
    /// past its TTL.
    fn has_stale(&self, key: u64, now: SimTime) -> bool {
        let (Some(stale), Some(ttl)) = (self.stale, self.ttl) else {
            return false;
        };
        self.keys
            .age(key, now)
            .is_some_and(|age| age < ttl.saturating_add(stale))
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
