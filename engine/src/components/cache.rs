//! Cache (cache-aside in front of one store): a read of a key it holds is answered here (a hit
//! turns back); a miss goes on to the store behind it and fills the cache on the way back. A
//! write invalidates the key and goes on, so the next read misses. Keys are evicted least
//! recently used first, and expire after the TTL if one is set.

use super::lru::Lru;
use super::settings::settings;
use super::spec::{Finding, KindSpec, Limit, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Group};
use crate::sim::context::Ctx;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{Op, WORKING};
use crate::time::{from_ms, SimTime};

/// A cache's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "cache",
    title: "Cache",
    group: Group::Data,
    link_tag: 5,
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

settings! {
    /// A cache's size and speed.
    pub struct CacheConfig as "cache" {
        /// Keys held at most.
        capacity_keys: u64 = 1_000, tag 1, always;
        /// Entries older than this miss. `None`: they live until evicted.
        ttl_ms: Option<f64> = None, tag 2, changed;
        /// Time to look a key up (the cache is never the bottleneck: no queue).
        lookup_ms: f64 = 1.0, tag 3, always;
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
}

impl Behaviour for Cache {
    type Config = CacheConfig;

    fn build(config: &CacheConfig, wiring: &Wiring) -> Self {
        Cache::new(config, !wiring.links.is_empty())
    }

    fn on_arrive(&mut self, ctx: &mut Ctx, frame: u32) {
        ctx.start_work(frame, self.lookup);
    }

    fn on_work_done(&mut self, ctx: &mut Ctx, frame: u32) {
        ctx.unpin(frame, WORKING);
        let request = *ctx.request(frame);
        let now = ctx.now();
        match request.op {
            Op::Read => {
                let hit = self.keys.get(request.key, now, self.ttl);
                ctx.record_lookup(frame, hit);
                if hit {
                    let status = ctx.status(Outcome::Ok);
                    return ctx.respond(frame, status);
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

    fn on_response(&mut self, ctx: &mut Ctx, frame: u32, status: Status) {
        if status.outcome == Outcome::Ok && ctx.frame(frame).step == FILL {
            let key = ctx.request(frame).key;
            self.keys.insert(key, ctx.now());
        }
        ctx.respond(frame, status);
    }
}

impl Cache {
    pub(crate) fn new(config: &CacheConfig, has_backend: bool) -> Self {
        Cache {
            keys: Lru::new(config.capacity_keys),
            ttl: config.ttl_ms.map(from_ms),
            lookup: from_ms(config.lookup_ms),
            has_backend,
        }
    }

    /// Keys held and keys it can hold.
    pub(crate) fn fill(&self) -> (usize, usize) {
        (self.keys.len(), self.keys.capacity())
    }
}
