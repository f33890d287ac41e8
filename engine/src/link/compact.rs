//! Link format 1's document: the scenario as compact bytes (before deflate).
//!
//! ```text
//! engine       varint   the engine version that wrote it (major·10⁶ + minor·10³ + patch)
//! name         string
//! description  string
//! seed         varint
//! run          mask + fields: requests, duration_s, warmup_s, window_s, trace_every,
//!              hop_limit (requests: a byte 0 = none / 1 = some, then the count)
//! nodes        count; then column by column: every kind (a byte), every id, every label
//!              (names.rs), every x, every y (positions), every config table (kinds.rs)
//! edges        count; per edge: from, to (node references), mask + fields:
//!              latency_ms, weight, probability
//! playback     byte 0 = none, or 1 then speed (number) and time (varint nanoseconds)
//! ```
//! Ids and labels come before any config, so a reference to a node later in the list can be
//! read. Primitives are in wire.rs. Nothing may follow the playback byte.

use super::fields::{FieldMask, FieldWriter};
use super::kinds;
use super::names;
use super::refs::{self, IdIndex};
use super::wire::{malformed, Reader, Writer};
use super::{EngineVersion, LinkError, Playback};
use crate::scenario::{Edge, Node, RunSpec, Scenario, MAX_EDGES, MAX_NODES};

/// The scenario format a format-1 link holds.
const SCENARIO_FORMAT: u32 = 1;

/// What a format-1 link's data holds.
pub struct Contents {
    /// The engine that wrote it.
    pub engine: EngineVersion,
    /// The document.
    pub scenario: Scenario,
    /// Where the player was, if the link says.
    pub playback: Option<Playback>,
}

/// The compact bytes of a scenario, with the current engine version.
pub fn write(scenario: &Scenario, playback: Option<&Playback>) -> Vec<u8> {
    let mut w = Writer::default();
    w.varint(EngineVersion::CURRENT.packed());
    w.string(&scenario.name);
    w.string(&scenario.description);
    w.varint(scenario.seed);
    write_run(&mut w, &scenario.run);
    let ids = IdIndex::new(scenario.nodes.iter().map(|n| n.id.as_str()));
    write_node_columns(&mut w, &scenario.nodes);
    for node in &scenario.nodes {
        kinds::write_config(&mut w, &node.component, &ids);
    }
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
    w.finish()
}

/// Nodes column by column (kinds, ids, labels, x, y, configs): like values sit together,
/// which deflate compresses better than node after node.
fn write_node_columns(w: &mut Writer, nodes: &[Node]) {
    w.count(nodes.len());
    for node in nodes {
        w.byte(kinds::kind_byte(node.component.kind()));
    }
    for node in nodes {
        names::write_id(w, node.component.kind(), &node.id);
    }
    for node in nodes {
        names::write_label(w, node.component.kind(), &node.id, &node.label);
    }
    for node in nodes {
        w.position(node.x);
    }
    for node in nodes {
        w.position(node.y);
    }
}

fn write_run(w: &mut Writer, run: &RunSpec) {
    let d = RunSpec::default();
    FieldWriter::new()
        .field(run.requests != d.requests, |w| match run.requests {
            None => w.byte(0),
            Some(n) => {
                w.byte(1);
                w.varint(n);
            }
        })
        .field(run.duration_s.is_some(), |w| {
            w.number(run.duration_s.unwrap_or(0.0))
        })
        .field(run.warmup_s != d.warmup_s, |w| w.number(run.warmup_s))
        .field(run.window_s != d.window_s, |w| w.number(run.window_s))
        .field(run.trace_every != d.trace_every, |w| {
            w.varint(run.trace_every)
        })
        .field(run.hop_limit.is_some(), |w| {
            w.varint(run.hop_limit.unwrap_or(0).into())
        })
        .finish(w);
}

fn write_edge(w: &mut Writer, edge: &Edge, ids: &IdIndex) {
    ids.write(w, &edge.from);
    ids.write(w, &edge.to);
    FieldWriter::new()
        .field(edge.latency_ms != 0.0, |w| w.number(edge.latency_ms))
        .field(edge.weight != 1.0, |w| w.number(edge.weight))
        .field(edge.probability != 1.0, |w| w.number(edge.probability))
        .finish(w);
}

/// Reads what [`write`] wrote. Checks the shape and the size limits, not the meaning: that is
/// validation's job.
pub fn read(bytes: &[u8]) -> Result<Contents, LinkError> {
    let mut r = Reader::new(bytes);
    let engine = EngineVersion::from_packed(r.varint("engine version")?);
    let name = r.string("name")?;
    let description = r.string("description")?;
    let seed = r.varint("seed")?;
    let run = read_run(&mut r).map_err(|e| within(e, "run"))?;
    let nodes = read_nodes(&mut r)?;
    let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
    let edges = read_edges(&mut r, &ids)?;
    let playback = read_playback(&mut r)?;
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
        },
        playback,
    })
}

fn read_run(r: &mut Reader) -> Result<RunSpec, LinkError> {
    let mut f = FieldMask::read(r, "fields", 6)?;
    let mut run = RunSpec::default();
    if f.next() {
        run.requests = match r.byte("requests")? {
            0 => None,
            1 => Some(r.varint("requests")?),
            b => return Err(malformed("requests", format!("unknown marker {b}"))),
        };
    }
    if f.next() {
        run.duration_s = Some(r.number("duration_s")?);
    }
    if f.next() {
        run.warmup_s = r.number("warmup_s")?;
    }
    if f.next() {
        run.window_s = r.number("window_s")?;
    }
    if f.next() {
        run.trace_every = r.varint("trace_every")?;
    }
    if f.next() {
        run.hop_limit = Some(r.u32("hop_limit")?);
    }
    Ok(run)
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
        kinds.push(kinds::kind_of(r).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut ids = Vec::with_capacity(n);
    for (i, &kind) in kinds.iter().enumerate() {
        ids.push(names::read_id(r, kind).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut labels = Vec::with_capacity(n);
    for (i, (&kind, id)) in kinds.iter().zip(&ids).enumerate() {
        labels.push(names::read_label(r, kind, id).map_err(|e| within(e, &at(i, Some(id))))?);
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
            kinds::read_config(r, kind, &ids).map_err(|e| within(e, &at(i, Some(id))))?;
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

fn read_edges(r: &mut Reader, ids: &[String]) -> Result<Vec<Edge>, LinkError> {
    let claimed = r.varint("edge count")?;
    if claimed > MAX_EDGES as u64 {
        return Err(LinkError::TooManyEdges { found: claimed });
    }
    r.remaining_at_least(claimed, "edge count")?;
    let mut edges = Vec::new();
    for i in 0..claimed {
        let edge = read_edge(r, ids).map_err(|e| within(e, &format!("edge {}", i + 1)))?;
        edges.push(edge);
    }
    Ok(edges)
}

fn read_edge(r: &mut Reader, ids: &[String]) -> Result<Edge, LinkError> {
    let from = refs::read(r, ids, "from")?;
    let to = refs::read(r, ids, "to")?;
    let mut edge = Edge::new(&from, &to, 0.0);
    let mut f = FieldMask::read(r, "fields", 3)?;
    if f.next() {
        edge.latency_ms = r.number("latency_ms")?;
    }
    if f.next() {
        edge.weight = r.number("weight")?;
    }
    if f.next() {
        edge.probability = r.number("probability")?;
    }
    Ok(edge)
}

fn read_playback(r: &mut Reader) -> Result<Option<Playback>, LinkError> {
    match r.byte("playback")? {
        0 => Ok(None),
        1 => {
            let speed = r.number("playback speed")?;
            if !(speed.is_finite() && speed > 0.0) {
                return Err(malformed(
                    "playback speed",
                    format!("{speed} is not a speed (a number > 0)"),
                ));
            }
            let at_ns = r.varint("playback time")?;
            Ok(Some(Playback { speed, at_ns }))
        }
        b => Err(malformed("playback", format!("unknown marker {b}"))),
    }
}

/// Puts a place in front of a malformed field's name: `config.workers` becomes
/// `node 3 `api` config.workers`.
fn within(error: LinkError, place: &str) -> LinkError {
    match error {
        LinkError::Malformed { field, problem } => LinkError::Malformed {
            field: format!("{place} {field}"),
            problem,
        },
        other => other,
    }
}
