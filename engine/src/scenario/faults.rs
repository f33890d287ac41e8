//! Faults on the run's timeline: what breaks, where, from when and for how long. They live in
//! the document, so a run with faults is as repeatable and as shareable as one without.
//!
//! ```json
//! "faults": [
//!   { "at_s": 5, "for_s": 5, "target": "db_a", "kind": "crash" },
//!   { "at_s": 2, "target": "lb->api", "kind": { "latency": { "factor": 4 } } },
//!   { "at_s": 8, "for_s": 2, "kind": { "partition": { "groups": [["a", "b"], ["c"]] } } }
//! ]
//! ```
//! `for_s` left out lasts to the end; `target` is a node id, an edge `"from->to"` or a list of
//! node ids (the fault on each); a partition names its groups instead of a target.

use super::validate::Findings;
use super::{Scenario, Target};
use crate::bounds::{Bound, OUT_OF_BOUNDS};
use crate::components::{Component, Kind};
use crate::json::{variant, variant_fields, Fields, FromJson, Json, ReadError, ToJson};
use std::collections::HashMap;

/// The code of a fault the engine reads but does not run yet: a link holding one still opens.
pub const NOT_SIMULATED_YET: &str = "fault_not_simulated_yet";

/// The most faults a scenario lists: a timeline a person edits, and each is a pair of events.
pub const FAULTS: Bound = Bound::new(
    0.0,
    1_000.0,
    "far more than any incident story needs, and each fault is a few bytes of a share link",
);
/// When a fault starts and how long it lasts, simulated seconds.
pub const FAULT_SECONDS: Bound = Bound::new(
    0.0,
    1e7,
    "the longest run is 10 million seconds (about four months)",
);
/// How many times longer work takes during a `slow` fault.
pub const SLOW_FACTOR: Bound = Bound::new(
    1.0,
    1_000.0,
    "1 is no change; at 1,000 a millisecond of work takes a second",
);
/// How many times longer an edge's trips take during a `latency` fault.
pub const LATENCY_FACTOR: Bound = Bound::new(
    1.0,
    1_000.0,
    "1 is no change; 1,000 turns a 1 ms hop into a second",
);
/// Milliseconds added to an edge's trips during a `latency` fault.
pub const LATENCY_PLUS_MS: Bound = Bound::new(
    0.0,
    3_600_000.0,
    "up to an hour on every trip: beyond that nothing answers within a run anyone watches",
);
/// The share of requests an `errors` fault fails.
pub const ERROR_FRACTION: Bound = Bound::new(
    0.0,
    1.0,
    "a share of what the node handles: 0 is none, 1 is all",
);
/// How many times a client's rate grows during a `spike`.
pub const SPIKE_FACTOR: Bound = Bound::new(
    1.0,
    1_000.0,
    "1 is no change; the run's request bound still holds over the spike",
);

/// The most `add_shard` and `remove_shard` faults a scenario lists: each start and end makes
/// every shard router place every key written so far again (up to two million, the versions
/// budget), so twenty keep the worst run's resharding to seconds.
pub const RESHARDS: Bound = Bound::new(
    0.0,
    20.0,
    "each start and end places every key written so far again, up to two million",
);

/// One fault on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// When it starts, simulated seconds from the start of the run.
    pub at_s: f64,
    /// How long it lasts; `None` to the end of the run.
    pub for_s: Option<f64>,
    /// Where it strikes (nothing, for a partition: its groups say where).
    pub target: FaultTarget,
    /// What happens.
    pub kind: FaultKind,
}

/// Where a fault strikes.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultTarget {
    /// Nothing named: a partition's groups say where it cuts.
    Nowhere,
    /// One node, by id.
    Node(String),
    /// One edge, by its ends (`"from->to"` in a file).
    Edge {
        /// The calling node's id.
        from: String,
        /// The called node's id.
        to: String,
    },
    /// Several nodes at once, each struck alike.
    Nodes(Vec<String>),
}

/// What a fault does (docs/scenario-format.md, "Faults").
#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// The node loses its volatile state and fails what it holds and what reaches it.
    Crash,
    /// Every event addressed to the node waits, and is replayed in order when it resumes.
    Pause,
    /// Work the node starts takes `factor` times as long.
    Slow {
        /// See [`SLOW_FACTOR`].
        factor: f64,
    },
    /// The node fails a `fraction` of what it handles: on arrival, or after the work.
    Errors {
        /// See [`ERROR_FRACTION`].
        fraction: f64,
        /// True to fail only once the work is done (the work is wasted).
        after_work: bool,
    },
    /// An edge's trips that depart during it take `factor` times as long plus `plus_ms`.
    Latency {
        /// See [`LATENCY_FACTOR`].
        factor: f64,
        /// See [`LATENCY_PLUS_MS`].
        plus_ms: f64,
    },
    /// A client sends `factor` times as many requests.
    Spike {
        /// See [`SPIKE_FACTOR`].
        factor: f64,
    },
    /// A cache forgets everything it holds.
    Flush,
    /// Messages between the groups are lost.
    Partition {
        /// Node ids, each in at most one group.
        groups: Vec<Vec<String>>,
    },
    /// A shard router starts placing keys on a shard (a database it calls) for as long as the
    /// fault lasts: the shard stands by before, and after if the fault ends. The keys whose
    /// place changes move to it.
    AddShard,
    /// A shard router stops placing keys on a shard while the fault lasts: its keys move to
    /// the shards left.
    RemoveShard,
}

impl FaultKind {
    /// The kinds, as files name them.
    pub const NAMES: [&'static str; 10] = [
        "crash",
        "pause",
        "slow",
        "errors",
        "latency",
        "spike",
        "flush",
        "partition",
        "add_shard",
        "remove_shard",
    ];

    /// Kinds written as a plain name, with nothing to set.
    const PLAIN: [&'static str; 5] = ["crash", "pause", "flush", "add_shard", "remove_shard"];
    /// Kinds written with their settings, as `{"slow": {"factor": 3}}`.
    const WITH_SETTINGS: [&'static str; 5] = ["slow", "errors", "latency", "spike", "partition"];

    /// The name files use.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::Pause => "pause",
            FaultKind::Slow { .. } => "slow",
            FaultKind::Errors { .. } => "errors",
            FaultKind::Latency { .. } => "latency",
            FaultKind::Spike { .. } => "spike",
            FaultKind::Flush => "flush",
            FaultKind::Partition { .. } => "partition",
            FaultKind::AddShard => "add_shard",
            FaultKind::RemoveShard => "remove_shard",
        }
    }

    /// True for a fault that changes which shards a router places keys on.
    pub fn reshards(&self) -> bool {
        matches!(self, FaultKind::AddShard | FaultKind::RemoveShard)
    }

    /// Why its settings are out of bounds, naming the setting, if they are.
    pub fn problem(&self) -> Option<String> {
        match self {
            FaultKind::Slow { factor } => SLOW_FACTOR.check("factor", factor),
            FaultKind::Errors { fraction, .. } => ERROR_FRACTION.check("fraction", fraction),
            FaultKind::Latency { factor, plus_ms } => LATENCY_FACTOR
                .check("factor", factor)
                .or_else(|| LATENCY_PLUS_MS.check("plus_ms", plus_ms))
                .or_else(|| {
                    (*factor == 1.0 && *plus_ms == 0.0).then(|| {
                        "a latency fault with factor 1 and plus_ms 0 changes nothing; set one"
                            .to_string()
                    })
                }),
            FaultKind::Spike { factor } => SPIKE_FACTOR.check("factor", factor),
            FaultKind::Crash
            | FaultKind::Pause
            | FaultKind::Flush
            | FaultKind::Partition { .. }
            | FaultKind::AddShard
            | FaultKind::RemoveShard => None,
        }
    }
}

impl Fault {
    /// When it ends, simulated seconds; `None` for a fault that lasts to the end.
    pub fn until_s(&self) -> Option<f64> {
        self.for_s.map(|d| self.at_s + d)
    }
}

impl FromJson for FaultKind {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &Self::PLAIN, &Self::WITH_SETTINGS)?;
        match name {
            "crash" => Ok(FaultKind::Crash),
            "pause" => Ok(FaultKind::Pause),
            "flush" => Ok(FaultKind::Flush),
            "add_shard" => Ok(FaultKind::AddShard),
            "remove_shard" => Ok(FaultKind::RemoveShard),
            "slow" => variant_fields(name, settings, &["factor"], |f| {
                Ok(FaultKind::Slow {
                    factor: f.req("factor")?,
                })
            }),
            "errors" => variant_fields(name, settings, &["fraction", "after_work"], |f| {
                Ok(FaultKind::Errors {
                    fraction: f.req("fraction")?,
                    after_work: f.or("after_work", false)?,
                })
            }),
            "latency" => variant_fields(name, settings, &["factor", "plus_ms"], |f| {
                Ok(FaultKind::Latency {
                    factor: f.or("factor", 1.0)?,
                    plus_ms: f.or("plus_ms", 0.0)?,
                })
            }),
            "spike" => variant_fields(name, settings, &["factor"], |f| {
                Ok(FaultKind::Spike {
                    factor: f.req("factor")?,
                })
            }),
            _ => variant_fields(name, settings, &["groups"], |f| {
                Ok(FaultKind::Partition {
                    groups: f.req("groups")?,
                })
            }),
        }
    }
}

impl ToJson for FaultKind {
    fn to_tree(&self) -> Json {
        let settings = match self {
            FaultKind::Crash
            | FaultKind::Pause
            | FaultKind::Flush
            | FaultKind::AddShard
            | FaultKind::RemoveShard => return Json::String(self.name().to_string()),
            FaultKind::Slow { factor } | FaultKind::Spike { factor } => {
                Json::object([("factor", factor.to_tree())])
            }
            FaultKind::Errors {
                fraction,
                after_work,
            } => {
                let mut out = Json::object([("fraction", fraction.to_tree())]);
                if *after_work {
                    out.push("after_work", true.to_tree());
                }
                out
            }
            FaultKind::Latency { factor, plus_ms } => {
                let mut out = Json::Object(Vec::new());
                if *factor != 1.0 {
                    out.push("factor", factor.to_tree());
                }
                if *plus_ms != 0.0 {
                    out.push("plus_ms", plus_ms.to_tree());
                }
                out
            }
            FaultKind::Partition { groups } => Json::object([("groups", groups.to_tree())]),
        };
        Json::object([(self.name(), settings)])
    }
}

impl FromJson for FaultTarget {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match value {
            Json::String(text) => Ok(match text.split_once("->") {
                Some((from, to)) => FaultTarget::Edge {
                    from: from.trim().to_string(),
                    to: to.trim().to_string(),
                },
                None => FaultTarget::Node(text.clone()),
            }),
            Json::Array(_) => Ok(FaultTarget::Nodes(Vec::from_tree(value)?)),
            other => Err(ReadError::new(format!(
                "expected a node id, an edge \"from->to\" or a list of node ids, found {}",
                other.describe()
            ))),
        }
    }
}

impl ToJson for FaultTarget {
    fn to_tree(&self) -> Json {
        match self {
            FaultTarget::Nowhere => Json::Null,
            FaultTarget::Node(id) => id.to_tree(),
            FaultTarget::Edge { from, to } => Json::String(format!("{from}->{to}")),
            FaultTarget::Nodes(ids) => ids.to_tree(),
        }
    }
}

impl FromJson for Fault {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["at_s", "for_s", "target", "kind"])?;
        let for_s = match f.get("for_s") {
            None | Some(Json::Null) => None,
            Some(_) => Some(f.req("for_s")?),
        };
        let target = match f.get("target") {
            None | Some(Json::Null) => FaultTarget::Nowhere,
            Some(_) => f.req("target")?,
        };
        Ok(Fault {
            at_s: f.req("at_s")?,
            for_s,
            target,
            kind: f.req("kind")?,
        })
    }
}

impl ToJson for Fault {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([("at_s", self.at_s.to_tree())]);
        if let Some(d) = self.for_s {
            out.push("for_s", d.to_tree());
        }
        if self.target != FaultTarget::Nowhere {
            out.push("target", self.target.to_tree());
        }
        out.push("kind", self.kind.to_tree());
        out
    }
}

/// What kind of node a fault strikes, for the message that refuses another.
fn applies_to(kind: &FaultKind, node: Kind) -> Result<(), &'static str> {
    let ok = match kind {
        FaultKind::Crash => node.accepts_calls() && node != Kind::Queue,
        FaultKind::Pause | FaultKind::Slow { .. } | FaultKind::Errors { .. } => {
            node.accepts_calls()
        }
        FaultKind::Spike { .. } => node == Kind::Client,
        FaultKind::Flush => node == Kind::Cache,
        FaultKind::AddShard | FaultKind::RemoveShard => node == Kind::Database,
        FaultKind::Latency { .. } | FaultKind::Partition { .. } => false,
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        FaultKind::Spike { .. } => "a spike strikes a client (it multiplies the client's rate)",
        FaultKind::Flush => "a flush strikes a cache (it empties the cache)",
        FaultKind::AddShard | FaultKind::RemoveShard => {
            "resharding strikes a database that a shard router calls (one of its shards)"
        }
        FaultKind::Latency { .. } => "a latency fault strikes an edge (\"from->to\")",
        FaultKind::Partition { .. } => "a partition names its groups, not a target",
        FaultKind::Crash if node == Kind::Queue => {
            "crashing a message queue (losing the jobs it holds) is not simulated yet"
        }
        _ => "it strikes a node that receives requests, not a client",
    })
}

/// Every problem with the scenario's faults: bounds, targets that do not exist, a fault on
/// something it cannot strike, partitions whose groups overlap.
pub(super) fn check_faults(s: &Scenario, out: &mut Findings) {
    if let Some(problem) = FAULTS.check("faults", &s.faults.len()) {
        out.error(OUT_OF_BOUNDS, Target::Scenario, Some("faults"), problem);
        return;
    }
    for (i, fault) in s.faults.iter().enumerate() {
        check_fault(s, i, fault, out);
    }
    check_crashes_while_paused(s, out);
    check_partitioned_waits(s, out);
    check_shards_serving(s, out);
}

/// The shard routers that call `id`.
fn routers_of<'s>(s: &'s Scenario, id: &str) -> Vec<&'s str> {
    s.edges
        .iter()
        .filter(|e| e.to == id)
        .filter(|e| {
            s.node(&e.from)
                .is_some_and(|n| n.component.kind() == Kind::ShardRouter)
        })
        .map(|e| e.from.as_str())
        .collect()
}

/// A shard router needs a shard to place keys on at every instant: resharding that leaves
/// it none (every shard removed, or standing by for an addition to come) is refused, naming
/// the first instant it happens.
fn check_shards_serving(s: &Scenario, out: &mut Findings) {
    let reshards: Vec<(usize, &Fault)> = s
        .faults
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind.reshards())
        .collect();
    if reshards.is_empty() {
        return;
    }
    if let Some(problem) = RESHARDS.check("resharding faults", &reshards.len()) {
        out.error(OUT_OF_BOUNDS, Target::Scenario, Some("faults"), problem);
        return;
    }
    // Each shard's resharding faults, so that asking whether it serves at an instant looks
    // at its own faults only (a hostile scenario may have 1,000 faults and 2,000 shards).
    let mut of_shard: HashMap<&str, Vec<&Fault>> = HashMap::new();
    for (_, f) in &reshards {
        let ids = match &f.target {
            FaultTarget::Node(id) => std::slice::from_ref(id),
            FaultTarget::Nodes(ids) => ids.as_slice(),
            _ => &[],
        };
        for id in ids {
            of_shard.entry(id.as_str()).or_default().push(f);
        }
    }
    let in_force = |f: &Fault, t: f64| f.at_s <= t && f.until_s().is_none_or(|end| t < end);
    // A shard serves at `t` unless an addition awaits it or a removal is in force.
    let serves = |id: &str, t: f64| {
        let faults = of_shard.get(id).map_or(&[][..], Vec::as_slice);
        let (mut added, mut adding, mut removed) = (false, false, false);
        for f in faults {
            match f.kind {
                FaultKind::AddShard => (added, adding) = (true, adding || in_force(f, t)),
                _ => removed |= in_force(f, t),
            }
        }
        (!added || adding) && !removed
    };
    let mut instants: Vec<f64> = std::iter::once(Some(0.0))
        .chain(
            reshards
                .iter()
                .flat_map(|(_, f)| [Some(f.at_s), f.until_s()]),
        )
        .flatten()
        .collect();
    instants.sort_by(f64::total_cmp);
    for router in s
        .nodes
        .iter()
        .filter(|n| n.component.kind() == Kind::ShardRouter)
    {
        let shards: Vec<&str> = s
            .edges
            .iter()
            .filter(|e| e.from == router.id)
            .map(|e| e.to.as_str())
            .collect();
        if shards.is_empty() {
            continue;
        }
        if let Some(&t) = instants
            .iter()
            .find(|&&t| !shards.iter().any(|id| serves(id, t)))
        {
            // Name the resharding of this router's shards that starts or ends then.
            let strikes_router = |f: &Fault| match &f.target {
                FaultTarget::Node(id) => shards.contains(&id.as_str()),
                FaultTarget::Nodes(ids) => ids.iter().any(|id| shards.contains(&id.as_str())),
                _ => false,
            };
            let then = |f: &Fault| f.at_s == t || f.until_s() == Some(t);
            let i = reshards
                .iter()
                .filter(|(_, f)| strikes_router(f))
                .find(|(_, f)| then(f))
                .or_else(|| reshards.iter().find(|(_, f)| strikes_router(f)))
                .map_or(0, |(i, _)| *i);
            out.error(
                "no_shard_serving",
                Target::Node(router.id.clone()),
                Some(&format!("faults[{i}].target")),
                format!(
                    "at {t} s no shard of `{}` is serving: keep one of its shards serving at \
                     every instant (a shard that a later add_shard adds stands by until then)",
                    router.id
                ),
            );
        }
    }
}

/// A call lost to a partition is never answered: a caller with nothing to time it out (no
/// timeout on the edge, none of its own as a service) waits until the end of the run, holding
/// what it holds. Said once per edge that crosses a partition so, as a hint.
fn check_partitioned_waits(s: &Scenario, out: &mut Findings) {
    let mut said: Vec<(&str, &str)> = Vec::new();
    for (i, fault) in s.faults.iter().enumerate() {
        let FaultKind::Partition { groups } = &fault.kind else {
            continue;
        };
        let side = |id: &str| groups.iter().position(|g| g.iter().any(|m| m == id));
        for e in &s.edges {
            let crosses = matches!((side(&e.from), side(&e.to)), (Some(a), Some(b)) if a != b);
            let times_out = e.timeout_ms.is_some()
                || e.deadline_ms.is_some()
                || s.node(&e.from).is_some_and(|n| n.component.gives_up());
            let publish = s
                .node(&e.to)
                .is_some_and(|n| n.component.kind().spec().rules.holds_jobs);
            if crosses && !times_out && !publish && !said.contains(&(&e.from, &e.to)) {
                said.push((&e.from, &e.to));
                out.hint(
                    "partition_waits_forever",
                    Target::Scenario,
                    Some(&format!("faults[{i}].kind.partition.groups")),
                    format!(
                        "calls from `{}` to `{}` cross the partition and nothing times them \
                         out: `{}` waits for their answers until the run ends; give the edge \
                         a timeout",
                        e.from, e.to, e.from
                    ),
                );
            }
        }
    }
}

/// A crash that starts while its node is paused is refused: the events the pause held were
/// meant for the state the crash throws away, and replaying them on the fresh one would
/// answer the same requests twice. (A pause that starts while a node is down is fine.)
fn check_crashes_while_paused(s: &Scenario, out: &mut Findings) {
    let nodes_of = |f: &Fault| -> Vec<String> {
        match &f.target {
            FaultTarget::Node(id) => vec![id.clone()],
            FaultTarget::Nodes(ids) => ids.clone(),
            _ => Vec::new(),
        }
    };
    for (i, crash) in s.faults.iter().enumerate() {
        if crash.kind != FaultKind::Crash {
            continue;
        }
        for (j, pause) in s.faults.iter().enumerate() {
            if pause.kind != FaultKind::Pause {
                continue;
            }
            // Inclusive at the pause's end: faults at one instant run in list order.
            let paused_then =
                pause.at_s <= crash.at_s && pause.until_s().is_none_or(|end| crash.at_s <= end);
            let paused_nodes = nodes_of(pause);
            let shared = nodes_of(crash)
                .into_iter()
                .find(|n| paused_nodes.contains(n));
            if let (true, Some(node)) = (paused_then, shared) {
                out.error(
                    "crash_while_paused",
                    Target::Node(node.clone()),
                    Some(&format!("faults[{i}].at_s")),
                    format!(
                        "the crash at {} s strikes `{node}` while faults[{j}] pauses it; let the \
                         pause end first (a pause may start while the node is down)",
                        crash.at_s
                    ),
                );
            }
        }
    }
}

fn check_fault(s: &Scenario, i: usize, fault: &Fault, out: &mut Findings) {
    let field = |rest: &str| format!("faults[{i}].{rest}");
    let target = match &fault.target {
        FaultTarget::Node(id) => Target::Node(id.clone()),
        FaultTarget::Edge { from, to } => Target::Edge {
            from: from.clone(),
            to: to.clone(),
        },
        FaultTarget::Nodes(ids) if !ids.is_empty() => Target::Node(ids[0].clone()),
        _ => Target::Scenario,
    };
    let mut error = |code: &'static str, what: &str, message: String| {
        out.error(code, target.clone(), Some(&field(what)), message);
    };
    if let Some(p) = FAULT_SECONDS.check("at_s", &fault.at_s) {
        error(OUT_OF_BOUNDS, "at_s", p);
    }
    match fault.for_s {
        Some(0.0) => error(
            "fault_lasts_no_time",
            "for_s",
            "for_s is 0: the fault would end as it starts; leave for_s out to last to the end"
                .into(),
        ),
        Some(d) => {
            if let Some(p) = FAULT_SECONDS.check("for_s", &d) {
                error(OUT_OF_BOUNDS, "for_s", p);
            }
        }
        None => {}
    }
    if let Some(p) = fault.kind.problem() {
        error(OUT_OF_BOUNDS, &format!("kind.{}", fault.kind.name()), p);
    }
    let kind_of = |id: &str| s.node(id).map(|n| n.component.kind());
    let strike = |id: &str, error: &mut dyn FnMut(&'static str, &str, String)| match kind_of(id) {
        None => error(
            "unknown_fault_target",
            "target",
            format!("the fault strikes `{id}`, but there is no node `{id}`"),
        ),
        Some(_) if closed_loop_spike(s, id, &fault.kind) => error(
            "fault_cannot_strike",
            "target",
            format!(
                "a spike cannot strike `{id}`: its users wait for each answer before the next \
                 request, so its rate is theirs; spike an open-loop client"
            ),
        ),
        Some(_) if fault.kind.reshards() && routers_of(s, id).is_empty() => error(
            "fault_cannot_strike",
            "target",
            format!(
                "a {} fault cannot strike `{id}`: no shard router calls it; connect a shard \
                 router to it first",
                fault.kind.name()
            ),
        ),
        Some(node) => {
            if let Err(why) = applies_to(&fault.kind, node) {
                error(
                    "fault_cannot_strike",
                    "target",
                    format!(
                        "a {} fault cannot strike `{id}` ({}): {why}",
                        fault.kind.name(),
                        node.title().to_ascii_lowercase()
                    ),
                );
            }
        }
    };
    match (&fault.target, &fault.kind) {
        (FaultTarget::Nowhere, FaultKind::Partition { groups }) => {
            check_partition(s, groups, &mut error)
        }
        (FaultTarget::Nowhere, kind) => error(
            "fault_without_target",
            "target",
            format!(
                "a {} fault needs a target: a node id, an edge or a list",
                kind.name()
            ),
        ),
        (_, FaultKind::Partition { .. }) => error(
            "fault_cannot_strike",
            "target",
            "a partition names its groups, not a target; leave target out".into(),
        ),
        (FaultTarget::Edge { from, to }, FaultKind::Latency { .. }) => {
            if !s.edges.iter().any(|e| e.from == *from && e.to == *to) {
                error(
                    "unknown_fault_target",
                    "target",
                    format!("the fault strikes the edge {from} -> {to}, which does not exist"),
                );
            }
        }
        (FaultTarget::Edge { .. }, kind) => error(
            "fault_cannot_strike",
            "target",
            format!("a {} fault strikes nodes, not an edge", kind.name()),
        ),
        (_, FaultKind::Latency { .. }) => error(
            "fault_cannot_strike",
            "target",
            "a latency fault strikes an edge: write its target as \"from->to\"".into(),
        ),
        (FaultTarget::Node(id), _) => strike(id, &mut error),
        (FaultTarget::Nodes(ids), _) if ids.is_empty() => error(
            "fault_without_target",
            "target",
            "the fault's list of nodes is empty".into(),
        ),
        (FaultTarget::Nodes(ids), _) => {
            for id in ids {
                strike(id, &mut error);
            }
        }
    }
}

/// True for a spike on a closed-loop client.
fn closed_loop_spike(s: &Scenario, id: &str, kind: &FaultKind) -> bool {
    let client = s.node(id).map(|n| &n.component);
    matches!(kind, FaultKind::Spike { .. })
        && matches!(client, Some(Component::Client(c)) if c.arrival.is_closed_loop())
}

/// A partition needs two groups or more, of nodes that exist, each node in one group only.
fn check_partition(
    s: &Scenario,
    groups: &[Vec<String>],
    error: &mut dyn FnMut(&'static str, &str, String),
) {
    if groups.len() < 2 || groups.iter().any(Vec::is_empty) {
        error(
            "partition_needs_groups",
            "kind.partition.groups",
            "a partition needs at least two groups, none of them empty".into(),
        );
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for id in groups.iter().flatten() {
        if s.node(id).is_none() {
            error(
                "unknown_fault_target",
                "kind.partition.groups",
                format!("the partition names `{id}`, but there is no node `{id}`"),
            );
        } else if seen.contains(&id.as_str()) {
            error(
                "partition_groups_overlap",
                "kind.partition.groups",
                format!("`{id}` is in two groups: each node is on one side of a partition"),
            );
        }
        seen.push(id);
    }
}

/// Faults for tests elsewhere (the link's pins): one of every kind, on every shape of target,
/// on the reference architecture's nodes.
#[doc(hidden)]
pub mod tests_support {
    use super::{Fault, FaultKind, FaultTarget};

    /// One fault of every kind.
    pub fn every_kind() -> Vec<Fault> {
        let node = |id: &str| FaultTarget::Node(id.to_string());
        let fault = |at_s: f64, for_s: Option<f64>, target: FaultTarget, kind: FaultKind| Fault {
            at_s,
            for_s,
            target,
            kind,
        };
        vec![
            fault(5.0, Some(5.0), node("db_a"), FaultKind::Crash),
            fault(
                1.5,
                Some(0.25),
                FaultTarget::Nodes(vec!["service_a".into(), "service_b".into()]),
                FaultKind::Pause,
            ),
            fault(
                2.0,
                None,
                node("service_b"),
                FaultKind::Slow { factor: 3.0 },
            ),
            fault(
                0.0,
                Some(10.0),
                node("db_b"),
                FaultKind::Errors {
                    fraction: 0.25,
                    after_work: true,
                },
            ),
            fault(
                3.0,
                Some(1.0),
                FaultTarget::Edge {
                    from: "lb".into(),
                    to: "gateway".into(),
                },
                FaultKind::Latency {
                    factor: 4.0,
                    plus_ms: 12.5,
                },
            ),
            fault(
                4.0,
                Some(2.0),
                node("user"),
                FaultKind::Spike { factor: 5.0 },
            ),
            fault(6.0, None, node("cache_a"), FaultKind::Flush),
            fault(
                8.0,
                Some(2.0),
                FaultTarget::Nowhere,
                FaultKind::Partition {
                    groups: vec![
                        vec!["user".into(), "lb".into(), "gateway".into()],
                        vec!["service_a".into(), "service_b".into()],
                    ],
                },
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn read(text: &str) -> Result<Fault, ReadError> {
        Fault::from_tree(&parse(text).unwrap())
    }

    #[test]
    fn each_kind_of_fault_reads_and_writes_back_the_same() {
        let texts = [
            r#"{"at_s":5,"for_s":5,"target":"db_a","kind":"crash"}"#,
            r#"{"at_s":1,"target":["a","b"],"kind":"pause"}"#,
            r#"{"at_s":1,"for_s":2,"target":"svc","kind":{"slow":{"factor":3}}}"#,
            r#"{"at_s":0,"target":"svc","kind":{"errors":{"fraction":0.5,"after_work":true}}}"#,
            r#"{"at_s":2,"target":"lb->api","kind":{"latency":{"factor":4,"plus_ms":10}}}"#,
            r#"{"at_s":3,"for_s":1,"target":"users","kind":{"spike":{"factor":5}}}"#,
            r#"{"at_s":4,"target":"cache","kind":"flush"}"#,
            r#"{"at_s":8,"for_s":2,"kind":{"partition":{"groups":[["a","b"],["c"]]}}}"#,
        ];
        for text in texts {
            let fault = read(text).unwrap();
            let written = crate::json::compact(&fault.to_tree());
            assert_eq!(written.replace(".0", ""), text, "{text}");
            assert_eq!(read(&written).unwrap(), fault, "{text}");
        }
        let edge = read(r#"{"at_s":2,"target":"lb -> api","kind":{"latency":{"plus_ms":5}}}"#);
        assert_eq!(
            edge.unwrap().target,
            FaultTarget::Edge {
                from: "lb".into(),
                to: "api".into()
            }
        );
    }

    #[test]
    fn a_misspelt_fault_is_named() {
        let err = read(r#"{"at_s":1,"target":"a","kind":"crahs"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown variant `crahs`"), "{err}");
        let err = read(r#"{"at_s":1,"target":"a","kind":{"slow":{"factr":2}}}"#).unwrap_err();
        assert!(err.to_string().contains("factr"), "{err}");
        let err = read(r#"{"at_s":1,"target":3,"kind":"crash"}"#).unwrap_err();
        assert!(err.to_string().contains("node id"), "{err}");
    }

    /// A client, a cache and a database, with `faults` (JSON) on them, as scenario text.
    fn scenario_text(faults: &str) -> String {
        format!(
            r#"{{"version":1,"name":"f","run":{{"requests":100}},
            "nodes":[{{"id":"c","kind":"client"}},{{"id":"k","kind":"cache"}},
                     {{"id":"d","kind":"database"}}],
            "edges":[{{"from":"c","to":"k"}},{{"from":"k","to":"d"}}],
            "faults":{faults}}}"#
        )
    }

    /// The findings for [`scenario_text`].
    fn with_faults(faults: &str) -> Vec<crate::scenario::Diagnostic> {
        crate::scenario::validate(&crate::scenario::from_json(&scenario_text(faults)).unwrap())
    }

    /// The findings other than "not simulated yet", as (code, field).
    fn codes(found: &[crate::scenario::Diagnostic]) -> Vec<(&'static str, String)> {
        found
            .iter()
            .filter(|d| d.code != "fault_not_simulated_yet")
            .map(|d| (d.code, d.field.clone().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn faults_that_fit_their_targets_validate() {
        let good = r#"[{"at_s":1,"for_s":2,"target":"d","kind":"crash"},
            {"at_s":0,"target":"k->d","kind":{"latency":{"plus_ms":50}}},
            {"at_s":3,"target":"c","kind":{"spike":{"factor":4}}},
            {"at_s":4,"target":["k","d"],"kind":{"slow":{"factor":2}}},
            {"at_s":5,"target":"k","kind":"flush"},
            {"at_s":6,"kind":{"partition":{"groups":[["c"],["k","d"]]}}}]"#;
        let found = with_faults(good);
        // The one finding is a hint: the client's calls cross the partition untimed.
        assert_eq!(
            codes(&found),
            [(
                "partition_waits_forever",
                "faults[5].kind.partition.groups".to_string()
            )]
        );
        assert_eq!(found[0].severity, crate::scenario::Severity::Hint);
        assert!(
            found[0].message.contains("from `c` to `k`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_timeout_on_the_cut_edge_answers_the_partition_hint() {
        let partition = r#"[{"at_s":6,"kind":{"partition":{"groups":[["c"],["k","d"]]}}}]"#;
        let mut s = crate::scenario::from_json(&scenario_text(partition)).unwrap();
        assert_eq!(codes(&crate::scenario::validate(&s)).len(), 1);
        for e in s.edges.iter_mut().filter(|e| e.from == "c") {
            e.timeout_ms = Some(500.0);
        }
        assert_eq!(codes(&crate::scenario::validate(&s)), Vec::new());
    }

    #[test]
    fn a_fault_on_something_it_cannot_strike_is_refused_naming_the_fault() {
        let found = with_faults(
            r#"[{"at_s":1,"target":"c","kind":"crash"},
            {"at_s":1,"target":"d","kind":"flush"},
            {"at_s":1,"target":"nope","kind":"pause"},
            {"at_s":1,"target":"c->d","kind":{"latency":{"factor":2}}},
            {"at_s":1,"target":"d","kind":{"latency":{"factor":2}}},
            {"at_s":1,"kind":"crash"},
            {"at_s":1,"for_s":0,"target":"d","kind":{"slow":{"factor":2000}}},
            {"at_s":1,"kind":{"partition":{"groups":[["c","k"],["k"]]}}}]"#,
        );
        assert_eq!(
            codes(&found),
            [
                ("fault_cannot_strike", "faults[0].target".into()),
                ("fault_cannot_strike", "faults[1].target".into()),
                ("unknown_fault_target", "faults[2].target".into()),
                ("unknown_fault_target", "faults[3].target".into()),
                ("fault_cannot_strike", "faults[4].target".into()),
                ("fault_without_target", "faults[5].target".into()),
                ("fault_lasts_no_time", "faults[6].for_s".into()),
                (OUT_OF_BOUNDS, "faults[6].kind.slow".into()),
                (
                    "partition_groups_overlap",
                    "faults[7].kind.partition.groups".into()
                ),
            ]
        );
        let message = |code: &str, field: &str| {
            let d = found
                .iter()
                .find(|d| d.code == code && d.field.as_deref() == Some(field));
            d.unwrap().message.clone()
        };
        assert!(message("fault_cannot_strike", "faults[0].target").contains("not a client"));
        assert!(message(OUT_OF_BOUNDS, "faults[6].kind.slow").contains("1,000"));
    }

    #[test]
    fn a_crash_may_not_start_while_its_node_is_paused() {
        let found = with_faults(
            r#"[{"at_s":1,"for_s":2,"target":["k","d"],"kind":"pause"},
                {"at_s":2,"for_s":1,"target":"d","kind":"crash"},
                {"at_s":3,"target":"d","kind":"crash"},
                {"at_s":5,"for_s":1,"target":"k","kind":"crash"},
                {"at_s":5.5,"for_s":1,"target":"k","kind":"pause"}]"#,
        );
        assert_eq!(
            codes(&found),
            [
                ("crash_while_paused", "faults[1].at_s".into()),
                ("crash_while_paused", "faults[2].at_s".into()),
            ],
            "at 3 s the pause ends: inclusive; a pause while down is fine"
        );
    }

    #[test]
    fn a_spike_on_a_closed_loop_client_is_refused() {
        let text = r#"{"version":1,"name":"f","run":{"requests":100},
            "nodes":[{"id":"c","kind":"client","config":{"arrival":{"closed_loop":
                {"users":10,"think_time":{"constant":{"ms":50}}}}}},
                {"id":"d","kind":"database"}],
            "edges":[{"from":"c","to":"d"}],
            "faults":[{"at_s":1,"target":"c","kind":{"spike":{"factor":2}}}]}"#;
        let found = crate::scenario::validate(&crate::scenario::from_json(text).unwrap());
        assert_eq!(
            codes(&found),
            [("fault_cannot_strike", "faults[0].target".into())]
        );
        assert!(
            found[0].message.contains("open-loop"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn settings_out_of_bounds_are_named_with_their_limit() {
        let slow = FaultKind::Slow { factor: 0.5 };
        assert!(slow.problem().unwrap().contains("factor"));
        let none = FaultKind::Latency {
            factor: 1.0,
            plus_ms: 0.0,
        };
        assert!(none.problem().unwrap().contains("changes nothing"));
        assert_eq!(
            FaultKind::Errors {
                fraction: 1.0,
                after_work: false
            }
            .problem(),
            None
        );
    }
}
