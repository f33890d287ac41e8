//! Link version 2's document: the scenario as compact bytes (before deflate).
//!
//! ```text
//! engine       varint   the engine version that wrote it (major·10⁶ + minor·10³ + patch)
//! name         string
//! description  string
//! seed         varint
//! run          table of RunSpec's fields (value.rs)
//! nodes        count; then column by column: every kind (its declared link tag), every id,
//!              every label (names.rs), every x, every y (positions), every config (a table
//!              of the kind's declared fields)
//! edges        count; per edge: from, to (node references), then a table: 1 latency_ms,
//!              2 weight, 3 probability, 4 timeout_ms, 5 deadline_ms, 6 bulkhead, 7 retry,
//!              8 breaker, 9 hedge (the last three tables of their policies' fields)
//! playback     byte 0 = none, or 1 then speed (number) and time (varint nanoseconds)
//! faults       only if there are some (faults.rs): links from before faults end above
//! ```
//! Every tag (kind, field, variant) is a constant declared beside what it names and is never
//! reused, so what a link means cannot change when the engine grows. Nothing but the faults
//! may follow the playback byte.

use super::super::refs::{self, IdIndex};
use super::super::v1::document::{read_edges_with, read_playback, within};
use super::super::wire::{Reader, Writer};
use super::super::{EngineVersion, LinkError, Playback};
use super::names;
use super::value::{unknown_field, LinkValue, Tags};
use crate::components::{Component, Kind};
use crate::scenario::{
    BreakerPolicy, Edge, HedgePolicy, Node, RetryPolicy, RunSpec, Scenario, MAX_NODES,
};

/// The scenario format a version-2 link holds.
const SCENARIO_FORMAT: u32 = 1;

/// An edge's table tags.
const EDGE_LATENCY_MS: u8 = 1;
const EDGE_WEIGHT: u8 = 2;
const EDGE_PROBABILITY: u8 = 3;
const EDGE_TIMEOUT_MS: u8 = 4;
const EDGE_DEADLINE_MS: u8 = 5;
const EDGE_BULKHEAD: u8 = 6;
const EDGE_RETRY: u8 = 7;
const EDGE_BREAKER: u8 = 8;
const EDGE_HEDGE: u8 = 9;

/// What a version-2 link's data holds.
pub struct Contents {
    /// The engine that wrote it.
    pub engine: EngineVersion,
    /// The document.
    pub scenario: Scenario,
    /// Where the player was, if the link says.
    pub playback: Option<Playback>,
}

/// The compact bytes of a scenario, saying `engine` made them.
pub fn write(scenario: &Scenario, playback: Option<&Playback>, engine: EngineVersion) -> Vec<u8> {
    let mut w = Writer::default();
    w.varint(engine.packed());
    w.string(&scenario.name);
    w.string(&scenario.description);
    w.varint(scenario.seed);
    let ids = IdIndex::new(scenario.nodes.iter().map(|n| n.id.as_str()));
    scenario.run.write(&mut w, &ids);
    write_node_columns(&mut w, &scenario.nodes, &ids);
    w.count(scenario.edges.len());
    for edge in &scenario.edges {
        write_edge(&mut w, edge, &ids);
    }
    match playback {
        None => w.byte(0),
        Some(p) => {
            w.byte(1);
            w.number(p.speed);
            w.varint(p.at_ns);
        }
    }
    super::faults::write(&mut w, &scenario.faults, &ids);
    w.finish()
}

/// Nodes column by column (kinds, ids, labels, x, y, configs): like values sit together,
/// which deflate compresses better than node after node.
fn write_node_columns(w: &mut Writer, nodes: &[Node], ids: &IdIndex) {
    w.count(nodes.len());
    for node in nodes {
        w.byte(node.component.kind().spec().link_tag);
    }
    for node in nodes {
        names::write_id(w, node.component.kind(), &node.id);
    }
    for node in nodes {
        names::write_label(w, &node.id, &node.label);
    }
    for node in nodes {
        w.position(node.x);
    }
    for node in nodes {
        w.position(node.y);
    }
    for node in nodes {
        node.component.write_link(w, ids);
    }
}

/// The edge table's lines for [`super::tables`].
pub(super) fn edge_table() -> String {
    let d = Edge::new("", "", 0.0);
    [
        (EDGE_LATENCY_MS, "latency_ms", d.latency_ms),
        (EDGE_WEIGHT, "weight", d.weight),
        (EDGE_PROBABILITY, "probability", d.probability),
    ]
    .iter()
    .map(|(tag, name, default)| {
        let default = crate::json::compact(&crate::json::ToJson::to_tree(default));
        format!("edge {tag} {name} = {default}\n")
    })
    .chain(
        [
            (EDGE_TIMEOUT_MS, "timeout_ms"),
            (EDGE_DEADLINE_MS, "deadline_ms"),
            (EDGE_BULKHEAD, "bulkhead"),
            (EDGE_RETRY, "retry"),
            (EDGE_BREAKER, "breaker"),
            (EDGE_HEDGE, "hedge"),
        ]
        .iter()
        .map(|(tag, name)| format!("edge {tag} {name} = null\n")),
    )
    .collect()
}

fn write_edge(w: &mut Writer, edge: &Edge, ids: &IdIndex) {
    ids.write(w, &edge.from);
    ids.write(w, &edge.to);
    let defaults = Edge::new("", "", 0.0);
    let fields = [
        (EDGE_LATENCY_MS, edge.latency_ms, defaults.latency_ms),
        (EDGE_WEIGHT, edge.weight, defaults.weight),
        (EDGE_PROBABILITY, edge.probability, defaults.probability),
    ];
    for (tag, value, default) in fields {
        if value != default {
            w.byte(tag);
            w.number(value);
        }
    }
    // Policies, only when set.
    for (tag, value) in [
        (EDGE_TIMEOUT_MS, edge.timeout_ms),
        (EDGE_DEADLINE_MS, edge.deadline_ms),
    ] {
        if let Some(value) = value {
            w.byte(tag);
            w.number(value);
        }
    }
    if let Some(limit) = edge.bulkhead {
        w.byte(EDGE_BULKHEAD);
        w.varint(u64::from(limit));
    }
    if let Some(retry) = &edge.retry {
        w.byte(EDGE_RETRY);
        retry.write(w, ids);
    }
    if let Some(breaker) = &edge.breaker {
        w.byte(EDGE_BREAKER);
        breaker.write(w, ids);
    }
    if let Some(hedge) = &edge.hedge {
        w.byte(EDGE_HEDGE);
        hedge.write(w, ids);
    }
    w.byte(0);
}

/// Reads what [`write`] wrote. Checks the shape and the size limits, not the meaning: that is
/// validation's job.
pub fn read(bytes: &[u8]) -> Result<Contents, LinkError> {
    let mut r = Reader::new(bytes);
    let engine = EngineVersion::from_packed(r.varint("engine version")?);
    let name = r.string("name")?;
    let description = r.string("description")?;
    let seed = r.varint("seed")?;
    let run = RunSpec::read(&mut r, &[], "run").map_err(|e| within(e, "run"))?;
    let nodes = read_nodes(&mut r)?;
    let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
    let edges = read_edges_with(&mut r, &ids, read_edge)?;
    let playback = read_playback(&mut r)?;
    let faults = super::faults::read(&mut r, &ids)?;
    r.finish()?;
    Ok(Contents {
        engine,
        scenario: Scenario {
            version: SCENARIO_FORMAT,
            name,
            description,
            seed,
            run,
            nodes,
            edges,
            faults,
        },
        playback,
    })
}

fn read_kind(r: &mut Reader) -> Result<Kind, LinkError> {
    let tag = r.byte("kind")?;
    Kind::ALL
        .iter()
        .copied()
        .find(|k| k.spec().link_tag == tag)
        .ok_or_else(|| LinkError::NewerPart {
            what: format!("a kind of component (tag {tag})"),
        })
}

fn read_nodes(r: &mut Reader) -> Result<Vec<Node>, LinkError> {
    let claimed = r.varint("node count")?;
    if claimed > MAX_NODES as u64 {
        return Err(LinkError::TooManyNodes { found: claimed });
    }
    let n = r.remaining_at_least(claimed, "node count")?;
    let at = |i: usize, id: Option<&str>| match id {
        Some(id) => format!("node {} `{id}`", i + 1),
        None => format!("node {}", i + 1),
    };
    let mut kinds = Vec::with_capacity(n);
    for i in 0..n {
        kinds.push(read_kind(r).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut ids = Vec::with_capacity(n);
    for (i, &kind) in kinds.iter().enumerate() {
        ids.push(names::read_id(r, kind).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut labels = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        labels.push(names::read_label(r, id).map_err(|e| within(e, &at(i, Some(id))))?);
    }
    let mut xs = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        xs.push(r.position("x").map_err(|e| within(e, &at(i, Some(id))))?);
    }
    let mut ys = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        ys.push(r.position("y").map_err(|e| within(e, &at(i, Some(id))))?);
    }
    let mut nodes = Vec::with_capacity(n);
    for (i, (((kind, label), x), y)) in kinds.into_iter().zip(labels).zip(xs).zip(ys).enumerate() {
        let id = &ids[i];
        let component =
            Component::read_link(kind, r, &ids).map_err(|e| within(e, &at(i, Some(id))))?;
        nodes.push(Node {
            id: id.clone(),
            label,
            x,
            y,
            component,
        });
    }
    Ok(nodes)
}

fn read_edge(r: &mut Reader, ids: &[String]) -> Result<Edge, LinkError> {
    let from = refs::read(r, ids, "from")?;
    let to = refs::read(r, ids, "to")?;
    let mut edge = Edge::new(&from, &to, 0.0);
    let mut tags = Tags::new();
    while let Some(tag) = tags.next(r, "edge")? {
        match tag {
            EDGE_LATENCY_MS => edge.latency_ms = r.number("latency_ms")?,
            EDGE_WEIGHT => edge.weight = r.number("weight")?,
            EDGE_PROBABILITY => edge.probability = r.number("probability")?,
            EDGE_TIMEOUT_MS => edge.timeout_ms = Some(r.number("timeout_ms")?),
            EDGE_DEADLINE_MS => edge.deadline_ms = Some(r.number("deadline_ms")?),
            EDGE_BULKHEAD => edge.bulkhead = Some(r.u32("bulkhead")?),
            EDGE_RETRY => edge.retry = Some(RetryPolicy::read(r, ids, "retry")?),
            EDGE_BREAKER => edge.breaker = Some(BreakerPolicy::read(r, ids, "breaker")?),
            EDGE_HEDGE => edge.hedge = Some(HedgePolicy::read(r, ids, "hedge")?),
            other => return Err(unknown_field("edge", other)),
        }
    }
    Ok(edge)
}
