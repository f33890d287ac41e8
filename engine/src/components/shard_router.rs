//! Shard router: spreads one data set over the databases it calls (its shards), each key on
//! one shard, by a hash modulo the shards serving, by ranges of keys between split points, or
//! on a consistent-hash ring with virtual nodes (routing/hash_ring.rs, shared with the load
//! balancer). It owns the placement of the keys written through it: how many sit on each
//! shard, and which are on their way to another.
//!
//! Resharding (an `add_shard` or `remove_shard` fault, scenario/faults.rs) changes the shards
//! serving. Every key written so far whose shard changes *moves*: it is served by its old
//! shard until a node timer copies it, at `move_rate_keys_per_s`, in the order the keys were
//! first written. Meanwhile a read of it asks the new shard first, then the old one (two
//! trips: counted `moved_slow`), and a write goes to the old shard, which the copy carries
//! over. With modulo placement most keys move (N of N+1 when a shard joins N); on a ring,
//! about 1 in N+1.
//!
//! A scan (a read without a shard key, the client's `scan_ratio`) goes to every shard serving
//! at once and is answered when all have answered ok, or at the first failure: its latency is
//! the slowest shard's, so its tail grows with the number of shards.

use super::settings::settings;
use super::spec::{DataRole, Finding, KindSpec, Peers, Rules};
use super::wiring::{Around, Wiring, WiringProblem};
use super::{Behaviour, Config, Effects, Group, Kind};
use crate::bounds::{Bound, Measured};
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::{mix, KeyMap};
use crate::routing::HashRing;
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::Op;
use crate::sim::timers::TimerId;
use crate::time::{from_secs, SimTime};
use std::collections::VecDeque;

pub use super::load_balancer::VIRTUAL_NODES;

/// A shard router's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "shard_router",
    title: "Shard router",
    group: Group::Routing,
    link_tag: 10,
    outcomes: &[],
    rules: Rules {
        callees: Peers::Only(
            &[Kind::Database],
            "a shard router places keys on databases (its shards), not on a {peer}",
        ),
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "the shard router has no shards: connect it to the databases that hold \
                      its keys",
        }),
        data: DataRole::Partitions,
        ..Rules::OPEN
    },
};

/// How fast a move copies keys from shard to shard.
pub const MOVE_RATE: Bound = Bound::new(
    1.0,
    10_000_000.0,
    "keys copied per simulated second; at ten million, two million written keys move in a \
     fifth of a second",
);

settings! {
    /// How a shard router places keys and how fast it moves them.
    pub struct ShardRouterConfig as "shard_router" {
        /// How a key's shard is chosen.
        scheme: Scheme = Scheme::Modulo, tag 1, always, within VIRTUAL_NODES;
        /// Keys copied per second from their old shard to their new one after a reshard.
        move_rate_keys_per_s: f64 = 1_000.0, tag 2, always, within MOVE_RATE;
    }
}

/// How keys are placed on the shards serving.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scheme {
    /// A hash of the key modulo the number of shards serving.
    #[default]
    Modulo,
    /// By key, between split points: shard i (in edge order) holds the keys from split i−1
    /// up to, not including, split i. The keys of a shard standing by go to the nearest
    /// serving shard below it, or above if none is below.
    Range {
        /// Ascending, one fewer than the shards.
        splits: Vec<u64>,
    },
    /// On a ring of the serving shards' points, by a hash of the key.
    ConsistentHash {
        /// Points per shard on the ring; more points, more even shares.
        virtual_nodes: u32,
    },
}

impl Scheme {
    /// The name scenario files use.
    pub fn name(&self) -> &'static str {
        match self {
            Scheme::Modulo => "modulo",
            Scheme::Range { .. } => "range",
            Scheme::ConsistentHash { .. } => "consistent_hash",
        }
    }
}

/// A ring's virtual nodes are its only bounded number, as for the load balancer.
impl Measured for Scheme {
    fn measure(&self) -> Option<f64> {
        match *self {
            Scheme::ConsistentHash { virtual_nodes } => Some(f64::from(virtual_nodes)),
            _ => None,
        }
    }

    fn part(&self) -> Option<&'static str> {
        Some("virtual_nodes")
    }
}

/// Written as `"modulo"`, `{"range": {"splits": [6, 75, 870]}}` or
/// `{"consistent_hash": {"virtual_nodes": 100}}`.
impl FromJson for Scheme {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["modulo"], &["range", "consistent_hash"])?;
        match name {
            "modulo" => Ok(Scheme::Modulo),
            "range" => variant_fields(name, settings, &["splits"], |f| {
                Ok(Scheme::Range {
                    splits: f.req("splits")?,
                })
            }),
            _ => variant_fields(name, settings, &["virtual_nodes"], |f| {
                Ok(Scheme::ConsistentHash {
                    virtual_nodes: f.req("virtual_nodes")?,
                })
            }),
        }
    }
}

impl ToJson for Scheme {
    fn to_tree(&self) -> Json {
        match self {
            Scheme::Modulo => Json::String(self.name().into()),
            Scheme::Range { splits } => {
                Json::tagged(self.name(), Json::object([("splits", splits.to_tree())]))
            }
            Scheme::ConsistentHash { virtual_nodes } => Json::tagged(
                self.name(),
                Json::object([("virtual_nodes", virtual_nodes.to_tree())]),
            ),
        }
    }
}

/// In a version-2 link: a variant tag (constant, append-only: 0 modulo, 1 range, 2
/// consistent_hash), then the settings.
impl LinkValue for Scheme {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        match self {
            Scheme::Modulo => w.byte(0),
            Scheme::Range { splits } => {
                w.byte(1);
                splits.write(w, ids);
            }
            Scheme::ConsistentHash { virtual_nodes } => {
                w.byte(2);
                w.varint(u64::from(*virtual_nodes));
            }
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => Scheme::Modulo,
            1 => Scheme::Range {
                splits: LinkValue::read(r, ids, field)?,
            },
            2 => Scheme::ConsistentHash {
                virtual_nodes: r.u32(field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

impl Config for ShardRouterConfig {
    fn problems(&self) -> Vec<(&'static str, String)> {
        match &self.scheme {
            Scheme::Range { splits } if splits.windows(2).any(|w| w[0] >= w[1]) => vec![(
                "scheme",
                "the range's split points must be in ascending order, each above the last".into(),
            )],
            _ => Vec::new(),
        }
    }

    /// A scan is answered at its first failure: the other shards' calls become orphans.
    fn gives_up(&self) -> bool {
        true
    }

    /// A range needs one split point between each two shards.
    fn wiring_problems(&self, around: &Around) -> Vec<WiringProblem> {
        let shards = around.callees.len();
        match &self.scheme {
            Scheme::Range { splits } if shards > 0 && splits.len() + 1 != shards => {
                vec![WiringProblem {
                    code: "range_splits",
                    stops_run: true,
                    field: "scheme",
                    message: format!(
                        "{} split points cut the keys into {} ranges, but the router has {shards} \
                         shards: give it {} split points",
                        splits.len(),
                        splits.len() + 1,
                        shards - 1
                    ),
                }]
            }
            _ => Vec::new(),
        }
    }
}

/// What a shard router shows of itself: each shard's state, and its moves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShardTable {
    /// Per shard, in edge order.
    pub shards: Vec<ShardRow>,
    /// Keys whose shard changed at a reshard, over the run (a key moved twice counts twice).
    pub moved_keys: u64,
    /// Reads of a key on its way to another shard: they asked both.
    pub moved_slow: u64,
    /// Keys still waiting to be copied.
    pub moving: u64,
}

/// One shard as its router sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ShardRow {
    /// True if the router places keys on it now.
    pub serving: bool,
    /// Keys written through the router whose data is on it.
    pub keys: u64,
    /// Calls the router sent it.
    pub routed: u64,
}

/// A key on its way from one shard to another (links).
#[derive(Clone, Copy, Debug)]
struct Move {
    from: u16,
    to: u16,
}

/// The tag of the timer that copies moving keys.
const COPY: u32 = 1;
/// The copy timer fires at most this often, copying as many keys as its rate allows each time.
const COPY_EVERY: SimTime = 10_000_000;
/// A frame's `step` while a read of a moving key asks its new shard: the old one is next.
const THEN_OLD: u16 = 1 << 15;

/// The runtime state of a shard router.
pub struct ShardRouter {
    placement: Placement,
    /// Per link: true if the router places keys on that shard now.
    serving: Vec<bool>,
    /// The serving links, in edge order.
    active: Vec<u16>,
    /// Every key written through the router, in the order first written.
    keys: Vec<u64>,
    known: KeyMap<u64, ()>,
    moving: KeyMap<u64, Move>,
    /// Keys to copy, in order (one no longer moving is passed over).
    to_copy: VecDeque<u64>,
    copy_timer: Option<TimerId>,
    /// Keys the copy timer may copy per firing, and the fraction carried to the next.
    per_copy: f64,
    copy_credit: f64,
    copy_every: SimTime,
    rows: Vec<ShardRow>,
    moved_keys: u64,
    moved_slow: u64,
}

enum Placement {
    Modulo,
    Range(Vec<u64>),
    /// The ring of every shard, built once, and the ring of those serving, retained from it at
    /// each reshard (no hashing, no sort). Both number shards by link.
    Ring {
        all: HashRing,
        serving: HashRing,
    },
}

impl Behaviour for ShardRouter {
    type Config = ShardRouterConfig;

    fn build(config: &ShardRouterConfig, wiring: &Wiring) -> Self {
        ShardRouter::new(config, &wiring.peer_ids())
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let request = ctx.request(frame);
        let (scan, key, op) = (request.scan, request.key, request.op);
        if scan {
            return self.scatter(ctx, frame);
        }
        let moving = (!self.moving.is_empty())
            .then(|| self.moving.get(&key).copied())
            .flatten();
        let link = match (moving, op) {
            // Until it is copied, a key's data is on its old shard: writes go there.
            (Some(m), Op::Write) => m.from,
            // A read asks the new shard, which may not have it yet, then the old one.
            (Some(m), Op::Read) => {
                self.moved_slow += 1;
                return self.call(ctx, frame, m.to, THEN_OLD);
            }
            (None, _) => self.place(key),
        };
        self.call(ctx, frame, link, 0);
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        let request = ctx.request(frame);
        let (scan, key, op) = (request.scan, request.key, request.op);
        if scan {
            return self.gather(ctx, frame, status);
        }
        let step = ctx.frame(frame).step;
        if op == Op::Write && status.outcome == Outcome::Ok {
            self.written(ctx, key, step);
        }
        if step & THEN_OLD != 0 {
            // The new shard has answered; while the key is still on its way, the old one
            // holds its data (once copied, the new shard's answer stands).
            if let Some(m) = self.moving.get(&key).copied() {
                return self.call(ctx, frame, m.from, 0);
            }
        }
        ctx.respond(frame, status);
    }

    fn on_timer<E: Effects>(&mut self, ctx: &mut E, tag: u32) {
        if tag == COPY {
            self.copy_timer = None;
            self.copy_some(ctx);
        }
    }

    fn on_reshard<E: Effects>(&mut self, ctx: &mut E) {
        self.reshard(ctx);
    }

    fn shard_table(&self) -> Option<ShardTable> {
        Some(ShardTable {
            shards: self.rows.clone(),
            moved_keys: self.moved_keys,
            moved_slow: self.moved_slow,
            moving: self.moving.len() as u64,
        })
    }
}

impl ShardRouter {
    /// A router over shards with these ids (in edge order), all serving until told otherwise
    /// ([`ShardRouter::reshard`]).
    pub(crate) fn new<S: AsRef<str>>(config: &ShardRouterConfig, ids: &[S]) -> Self {
        let n = ids.len();
        let placement = match &config.scheme {
            Scheme::Modulo => Placement::Modulo,
            Scheme::Range { splits } => Placement::Range(splits.clone()),
            // Validation refuses more points than the bound; a scenario compiled anyway gets
            // the largest ring allowed.
            Scheme::ConsistentHash { virtual_nodes } => {
                let all = HashRing::new(ids, (*virtual_nodes).min(VIRTUAL_NODES.most as u32));
                Placement::Ring {
                    serving: all.clone(),
                    all,
                }
            }
        };
        // Copy at the configured rate, firing at most every 10 ms.
        let rate = config
            .move_rate_keys_per_s
            .clamp(MOVE_RATE.least, MOVE_RATE.most);
        let copy_every = from_secs(1.0 / rate).max(COPY_EVERY);
        ShardRouter {
            placement,
            serving: vec![true; n],
            active: (0..n as u16).collect(),
            keys: Vec::new(),
            known: KeyMap::default(),
            moving: KeyMap::default(),
            to_copy: VecDeque::new(),
            copy_timer: None,
            per_copy: rate * copy_every as f64 / 1e9,
            copy_credit: 0.0,
            copy_every,
            rows: vec![ShardRow::default(); n],
            moved_keys: 0,
            moved_slow: 0,
        }
    }

    /// The link of the shard `key` is placed on, among the shards serving.
    fn place(&self, key: u64) -> u16 {
        let active = &self.active;
        match &self.placement {
            Placement::Modulo => active[(mix(key) % active.len() as u64) as usize],
            Placement::Range(splits) => {
                let home = splits.partition_point(|&split| split <= key) as u16;
                self.nearest_serving(home)
            }
            Placement::Ring { serving, .. } => serving.lookup(key) as u16,
        }
    }

    /// `shard` if it serves, else the nearest serving shard below it, else above.
    fn nearest_serving(&self, shard: u16) -> u16 {
        let below = self.active.partition_point(|&s| s <= shard);
        match below {
            0 => self.active[0],
            _ => self.active[below - 1],
        }
    }

    /// Calls the shard on `link`, with `step` noting what comes after its answer.
    fn call<E: Effects>(&mut self, ctx: &mut E, frame: u32, link: u16, then: u16) {
        self.rows[usize::from(link)].routed += 1;
        ctx.frame_mut(frame).step = link | then;
        ctx.forward(frame, usize::from(link));
    }

    /// A write of `key` sent on link `step` was applied there. The router learns a key when its
    /// first write is: every key it keeps is held by a store too, so the run's budget of
    /// versions bounds its memory as well.
    fn written<E: Effects>(&mut self, ctx: &mut E, key: u64, step: u16) {
        if self.known.insert(key, ()).is_some() {
            return;
        }
        self.keys.push(key);
        let at = step & !THEN_OLD;
        self.rows[usize::from(at)].keys += 1;
        // Placed before a reshard that happened while it was on its way: it moves now.
        let to = self.place(key);
        if to != at {
            self.moved_keys += 1;
            self.moving.insert(key, Move { from: at, to });
            self.to_copy.push_back(key);
            self.arm_copy(ctx);
        }
    }

    fn arm_copy<E: Effects>(&mut self, ctx: &mut E) {
        if self.copy_timer.is_none() {
            self.copy_timer = Some(ctx.set_node_timer(self.copy_every, COPY));
        }
    }

    /// A scan: every shard serving at once.
    fn scatter<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        for i in 0..self.active.len() {
            let link = self.active[i];
            self.rows[usize::from(link)].routed += 1;
            ctx.forward(frame, usize::from(link));
        }
    }

    /// A shard answers a scan: the scan is answered once every shard has answered ok, or at
    /// once with the first failure.
    fn gather<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        if status.outcome != Outcome::Ok {
            return ctx.respond(frame, status);
        }
        if ctx.frame(frame).calls_out == 0 {
            let ok = ctx.status(Outcome::Ok);
            ctx.respond(frame, ok);
        }
    }

    /// The shards serving may have changed: every key written so far whose shard changes
    /// moves, and waits to be copied.
    fn reshard<E: Effects>(&mut self, ctx: &mut E) {
        let serving: Vec<bool> = (0..self.serving.len())
            .map(|link| ctx.shard_serving(link))
            .collect();
        // Validation keeps one shard serving at every instant; a run compiled anyway keeps
        // the placement it had rather than place keys nowhere.
        if serving == self.serving || !serving.contains(&true) {
            return;
        }
        // Where each key's data is now, before the placement changes.
        let homes: Vec<u16> = self
            .keys
            .iter()
            .map(|key| match self.moving.get(key) {
                Some(m) => m.from,
                None => self.place(*key),
            })
            .collect();
        self.serving = serving;
        self.active = (0..self.serving.len() as u16)
            .filter(|&link| self.serving[usize::from(link)])
            .collect();
        if let Placement::Ring { all, serving } = &mut self.placement {
            *serving = all.retaining(|link| self.serving[link]);
        }
        for (row, serving) in self.rows.iter_mut().zip(&self.serving) {
            (row.serving, row.keys) = (*serving, 0);
        }
        for (&key, &from) in self.keys.iter().zip(&homes) {
            let to = self.place(key);
            self.rows[usize::from(from)].keys += 1;
            if to == from {
                // Back where its data is: nothing to copy.
                self.moving.remove(&key);
                continue;
            }
            self.moved_keys += 1;
            if self.moving.insert(key, Move { from, to }).is_none() {
                self.to_copy.push_back(key);
            }
        }
        if !self.to_copy.is_empty() {
            self.arm_copy(ctx);
        }
    }

    /// Copies as many moving keys as the rate allows since the last firing.
    fn copy_some<E: Effects>(&mut self, ctx: &mut E) {
        self.copy_credit += self.per_copy;
        while self.copy_credit >= 1.0 {
            let Some(key) = self.to_copy.pop_front() else {
                break;
            };
            // A key back on its old shard since it was queued has nothing to copy.
            let Some(m) = self.moving.remove(&key) else {
                continue;
            };
            self.copy_credit -= 1.0;
            ctx.copy_data(usize::from(m.from), usize::from(m.to), key);
            self.rows[usize::from(m.from)].keys -= 1;
            self.rows[usize::from(m.to)].keys += 1;
        }
        if self.to_copy.is_empty() {
            self.copy_credit = 0.0;
        } else {
            self.arm_copy(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder};

    fn router(scheme: Scheme, shards: usize) -> (ShardRouter, Recorder) {
        let ids: Vec<String> = (0..shards).map(|i| format!("db_{i}")).collect();
        let config = ShardRouterConfig {
            scheme,
            move_rate_keys_per_s: 100.0,
        };
        (
            ShardRouter::new(&config, &ids),
            Recorder::new(shards as u32),
        )
    }

    /// The link a request for `ask` is sent on.
    fn sent(r: &mut ShardRouter, rec: &mut Recorder, ask: Ask) -> usize {
        let frame = rec.arrive(r, ask);
        match rec.take()[..] {
            [Forwarded { frame: f, link }] if f == frame => link,
            ref other => panic!("one call expected, got {other:?}"),
        }
    }

    /// A write of `key` sent and applied: the link it went to.
    fn write(r: &mut ShardRouter, rec: &mut Recorder, key: u64) -> usize {
        let frame = rec.arrive(r, Ask::write(key));
        let [Forwarded { link, .. }] = rec.take()[..] else {
            panic!("one call expected");
        };
        rec.answer_link(r, frame, link, Outcome::Ok);
        assert!(matches!(
            rec.take()[..],
            [Responded {
                outcome: Outcome::Ok,
                ..
            }]
        ));
        link
    }

    #[test]
    fn a_range_places_keys_between_split_points_and_hands_a_resting_range_down() {
        let (mut r, mut rec) = router(
            Scheme::Range {
                splits: vec![10, 20],
            },
            3,
        );
        let links = |r: &mut ShardRouter, rec: &mut Recorder| {
            [0, 9, 10, 19, 20, 1 << 40].map(|key| sent(r, rec, Ask::read(key)))
        };
        assert_eq!(links(&mut r, &mut rec), [0, 0, 1, 1, 2, 2]);
        // The middle shard stands by: its range goes to the nearest serving shard below.
        rec.set_standing_by(1, true);
        r.on_reshard(&mut rec);
        assert_eq!(links(&mut r, &mut rec), [0, 0, 0, 0, 2, 2]);
        // The first stands by too: with none below, its range and the middle's go above.
        rec.set_standing_by(0, true);
        r.on_reshard(&mut rec);
        assert_eq!(links(&mut r, &mut rec), [2; 6]);
    }

    #[test]
    fn a_moving_key_is_written_to_its_old_shard_and_read_from_the_new_then_the_old() {
        let (mut r, mut rec) = router(Scheme::Modulo, 2);
        rec.set_standing_by(1, true);
        r.on_reshard(&mut rec);
        // Written while only shard 0 serves: keys 0..20 all live there.
        for key in 0..20 {
            assert_eq!(write(&mut r, &mut rec, key), 0);
        }
        rec.set_standing_by(1, false);
        r.on_reshard(&mut rec);
        let table = r.shard_table().unwrap();
        let moved = table.moved_keys;
        // Each key's new shard is a fair coin between the two: about half move.
        assert!((4..=16).contains(&moved), "{moved} of 20 moved");
        assert_eq!((table.moving, table.shards[0].keys), (moved, 20));
        let effects = rec.take();
        assert!(
            matches!(effects[..], [NodeTimerSet { tag: COPY, .. }]),
            "{effects:?}"
        );
        let key = (0..20).find(|&k| r.moving.contains_key(&k)).unwrap();
        assert_eq!(
            sent(&mut r, &mut rec, Ask::write(key)),
            0,
            "writes go where the data is"
        );
        let read = rec.arrive(&mut r, Ask::read(key));
        assert_eq!(
            rec.take(),
            [Forwarded {
                frame: read,
                link: 1
            }]
        );
        rec.answer_link(&mut r, read, 1, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [Forwarded {
                frame: read,
                link: 0
            }],
            "the new shard does not have it yet: the old one is asked"
        );
        rec.answer_link(&mut r, read, 0, Outcome::Ok);
        assert!(matches!(
            rec.take()[..],
            [Responded {
                outcome: Outcome::Ok,
                ..
            }]
        ));
        assert_eq!(r.shard_table().unwrap().moved_slow, 1);
    }

    #[test]
    fn the_copy_timer_moves_keys_at_the_configured_rate_until_none_is_left() {
        let (mut r, mut rec) = router(Scheme::Modulo, 2);
        rec.set_standing_by(1, true);
        r.on_reshard(&mut rec);
        for key in 0..40 {
            write(&mut r, &mut rec, key);
        }
        rec.set_standing_by(1, false);
        r.on_reshard(&mut rec);
        let moved = r.shard_table().unwrap().moved_keys;
        // 100 keys a second, the timer every 10 ms: one key per firing.
        let (mut copied, mut firings) = (0, 0);
        let mut effects = rec.take();
        while let Some(id) = effects.iter().find_map(|e| match *e {
            NodeTimerSet { delay, id, .. } => {
                assert_eq!(delay, 10_000_000);
                Some(id)
            }
            _ => None,
        }) {
            firings += 1;
            assert!(rec.node_timer(&mut r, id));
            effects = rec.take();
            copied += effects
                .iter()
                .filter(|e| matches!(e, Copied { from: 0, to: 1, .. }))
                .count() as u64;
            let table = r.shard_table().unwrap();
            assert_eq!(table.moving, moved - copied);
            assert_eq!(table.shards[1].keys, copied);
        }
        assert_eq!((copied, firings), (moved, moved));
        let table = r.shard_table().unwrap();
        assert_eq!(table.shards[0].keys + table.shards[1].keys, 40);
        assert_eq!(table.moving, 0);
    }

    #[test]
    fn a_key_first_written_across_a_reshard_moves_to_its_new_place() {
        let (mut r, mut rec) = router(Scheme::Modulo, 2);
        rec.set_standing_by(1, true);
        r.on_reshard(&mut rec);
        // Writes on their way to shard 0, not yet applied, when shard 1 joins.
        let frames: Vec<u32> = (0..20)
            .map(|key| rec.arrive(&mut r, Ask::write(key)))
            .collect();
        rec.take();
        rec.set_standing_by(1, false);
        r.on_reshard(&mut rec);
        assert_eq!(
            r.shard_table().unwrap().moved_keys,
            0,
            "nothing was written yet"
        );
        for &frame in &frames {
            rec.answer_link(&mut r, frame, 0, Outcome::Ok);
        }
        let table = r.shard_table().unwrap();
        // The keys now placed on shard 1 have their data on shard 0: they move.
        let on_one = (0..20).filter(|&k| r.place(k) == 1).count() as u64;
        assert!(on_one > 0);
        assert_eq!((table.moved_keys, table.moving), (on_one, on_one));
        assert_eq!(table.shards[0].keys, 20);
        let timers = rec
            .take()
            .iter()
            .filter(|e| matches!(e, NodeTimerSet { tag: COPY, .. }))
            .count();
        assert_eq!(timers, 1, "one copy timer for them all");
    }

    #[test]
    fn a_failed_write_teaches_the_router_nothing() {
        let (mut r, mut rec) = router(Scheme::Modulo, 2);
        let frame = rec.arrive(&mut r, Ask::write(3));
        let [Forwarded { link, .. }] = rec.take()[..] else {
            panic!("one call expected");
        };
        rec.answer_link(&mut r, frame, link, Outcome::FailedNodeDown);
        let table = r.shard_table().unwrap();
        assert_eq!(table.shards.iter().map(|s| s.keys).sum::<u64>(), 0);
    }

    #[test]
    fn a_scan_asks_every_serving_shard_and_fails_at_the_first_failure() {
        let (mut r, mut rec) = router(Scheme::Modulo, 3);
        rec.set_standing_by(2, true);
        r.on_reshard(&mut rec);
        let scan = rec.arrive(&mut r, Ask::scan());
        assert_eq!(
            rec.take(),
            [
                Forwarded {
                    frame: scan,
                    link: 0
                },
                Forwarded {
                    frame: scan,
                    link: 1
                }
            ],
            "not the shard standing by"
        );
        rec.answer_link(&mut r, scan, 1, Outcome::Ok);
        assert_eq!(rec.take(), [], "one of two");
        rec.answer_link(&mut r, scan, 0, Outcome::Ok);
        assert!(matches!(
            rec.take()[..],
            [Responded {
                outcome: Outcome::Ok,
                origin: 0,
                ..
            }]
        ));
        let failing = rec.arrive(&mut r, Ask::scan());
        rec.take();
        rec.answer_link(&mut r, failing, 0, Outcome::TimedOut);
        assert!(matches!(
            rec.take()[..],
            [Responded {
                outcome: Outcome::TimedOut,
                origin: 1,
                ..
            }]
        ));
    }

    #[test]
    fn ranges_must_ascend_and_fit_the_shards() {
        let range = |splits: Vec<u64>| ShardRouterConfig {
            scheme: Scheme::Range { splits },
            ..ShardRouterConfig::default()
        };
        assert!(range(vec![5, 9]).problems().is_empty());
        assert_eq!(range(vec![9, 5]).problems()[0].0, "scheme");
        assert_eq!(range(vec![5, 5]).problems()[0].0, "scheme");
        let connected = Default::default();
        let (kinds, routes) = (Default::default(), Default::default());
        let around = Around {
            id: "router",
            callees: vec!["a", "b", "c", "d"],
            connected: &connected,
            kinds: &kinds,
            routes: &routes,
        };
        let problems = range(vec![5, 9]).wiring_problems(&around);
        assert_eq!(problems[0].code, "range_splits");
        assert!(problems[0].message.contains("give it 3 split points"));
        assert!(range(vec![1, 2, 3]).wiring_problems(&around).is_empty());
    }

    /// Variant tags are constants of the link format: pinned here, and each reads back.
    #[test]
    fn each_scheme_keeps_its_link_tag() {
        let all = [
            Scheme::Modulo,
            Scheme::Range {
                splits: vec![6, 75, 870],
            },
            Scheme::ConsistentHash { virtual_nodes: 9 },
        ];
        for (scheme, tag) in all.into_iter().zip(0u8..) {
            let mut w = Writer::default();
            scheme.write(&mut w, &IdIndex::new(std::iter::empty()));
            let bytes = w.finish();
            assert_eq!(bytes[0], tag, "{scheme:?}");
            let mut r = Reader::new(&bytes);
            assert_eq!(Scheme::read(&mut r, &[], "scheme").unwrap(), scheme);
            r.finish().unwrap();
            assert_eq!(Scheme::from_tree(&scheme.to_tree()).unwrap(), scheme);
        }
    }
}
