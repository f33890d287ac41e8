//! Version 1's document: the scenario as compact bytes (before deflate), both ways.
//!
//! ```text
//! engine       varint   the engine version that wrote it (major·10⁶ + minor·10³ + patch)
//! name         string
//! description  string
//! seed         varint
//! run          mask + fields: requests, duration_s, warmup_s, window_s, trace_every,
//!              hop_limit (requests: a byte 0 = none / 1 = some, then the count)
//! nodes        count; then column by column: every kind (a byte, kinds.rs), every id, every
//!              label (names.rs), every x, every y (positions), every config (configs.rs)
//! edges        count; per edge: from, to (node references), mask + fields:
//!              latency_ms, weight, probability
//! playback     byte 0 = none, or 1 then speed (number) and time (varint nanoseconds)
//! ```
//! Ids and labels come before any config, so a reference to a node later in the list can be
//! read. Primitives are in wire.rs. Nothing may follow the playback byte.
//!
//! The run's and an edge's defaults (what a clear mask bit means) are version 1's own, as
//! the engine had them when version 1 was made, not `RunSpec::default()` or `Edge::new`.

use super::configs;
use super::kinds::{self, KindEntry};
use super::names;
use super::tables::{Field, Value};
use super::Unwritable;
use crate::link::fields::{FieldMask, FieldWriter};
use crate::link::refs::{self, IdIndex};
use crate::link::wire::{malformed, Reader, Writer};
use crate::link::{EngineVersion, LinkError, Playback};
use crate::scenario::{Edge, Node, RunSpec, Scenario, MAX_EDGES, MAX_NODES};

/// The scenario format a version-1 link holds.
pub const SCENARIO_FORMAT: u32 = 1;

// Version 1's defaults of the run and of an edge.
const RUN_REQUESTS: u64 = 10_000;
const RUN_WARMUP_S: f64 = 0.0;
const RUN_WINDOW_S: f64 = 1.0;
const RUN_TRACE_EVERY: u64 = 100;
const EDGE_LATENCY_MS: f64 = 0.0;
const EDGE_WEIGHT: f64 = 1.0;
const EDGE_PROBABILITY: f64 = 1.0;

/// The run's table.
pub const RUN: &[Field] = &[
    Field::new("requests", Value::Whole(RUN_REQUESTS)),
    Field::new("duration_s", Value::Absent),
    Field::new("warmup_s", Value::Number(RUN_WARMUP_S)),
    Field::new("window_s", Value::Number(RUN_WINDOW_S)),
    Field::new("trace_every", Value::Whole(RUN_TRACE_EVERY)),
    Field::new("hop_limit", Value::Absent),
];

/// An edge's table (after its two ends, which every edge has).
pub const EDGE: &[Field] = &[
    Field::new("latency_ms", Value::Number(EDGE_LATENCY_MS)),
    Field::new("weight", Value::Number(EDGE_WEIGHT)),
    Field::new("probability", Value::Number(EDGE_PROBABILITY)),
];

/// What a version-1 link's data holds.
pub struct Contents {
    /// The engine that wrote it.
    pub engine: EngineVersion,
    /// The document.
    pub scenario: Scenario,
    /// Where the player was, if the link says.
    pub playback: Option<Playback>,
}

/// The compact bytes of a scenario, saying `engine` made them, or what in it version 1 has
/// no code for (a kind or a variant the engine gained after the freeze).
pub fn write(
    scenario: &Scenario,
    playback: Option<&Playback>,
    engine: EngineVersion,
) -> Result<Vec<u8>, Unwritable> {
    let mut w = Writer::default();
    w.varint(engine.packed());
    w.string(&scenario.name);
    w.string(&scenario.description);
    w.varint(scenario.seed);
    write_run(&mut w, &scenario.run);
    let ids = IdIndex::new(scenario.nodes.iter().map(|n| n.id.as_str()));
    write_node_columns(&mut w, &scenario.nodes)?;
    for node in &scenario.nodes {
        configs::write(&mut w, &node.component, &ids)
            .map_err(|e| e.at(&format!("node `{}` config", node.id)))?;
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
    Ok(w.finish())
}

/// Nodes column by column (kinds, ids, labels, x, y, configs): like values sit together,
/// which deflate compresses better than node after node.
fn write_node_columns(w: &mut Writer, nodes: &[Node]) -> Result<(), Unwritable> {
    let entries: Vec<(u8, &KindEntry)> = nodes
        .iter()
        .map(|n| kinds::of(n.component.kind()).map_err(|e| e.at(&format!("node `{}`", n.id))))
        .collect::<Result<_, _>>()?;
    w.count(nodes.len());
    for &(code, _) in &entries {
        w.byte(code);
    }
    for (node, (_, kind)) in nodes.iter().zip(&entries) {
        names::write_id(w, kind, &node.id);
    }
    for (node, (_, kind)) in nodes.iter().zip(&entries) {
        names::write_label(w, kind, &node.id, &node.label);
    }
    for node in nodes {
        w.position(node.x);
    }
    for node in nodes {
        w.position(node.y);
    }
    Ok(())
}

fn write_run(w: &mut Writer, run: &RunSpec) {
    FieldWriter::new()
        .field(run.requests != Some(RUN_REQUESTS), |w| match run.requests {
            None => w.byte(0),
            Some(n) => {
                w.byte(1);
                w.varint(n);
            }
        })
        .field(run.duration_s.is_some(), |w| {
            w.number(run.duration_s.unwrap_or(0.0))
        })
        .field(run.warmup_s != RUN_WARMUP_S, |w| w.number(run.warmup_s))
        .field(run.window_s != RUN_WINDOW_S, |w| w.number(run.window_s))
        .field(run.trace_every != RUN_TRACE_EVERY, |w| {
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
        .field(edge.latency_ms != EDGE_LATENCY_MS, |w| {
            w.number(edge.latency_ms)
        })
        .field(edge.weight != EDGE_WEIGHT, |w| w.number(edge.weight))
        .field(edge.probability != EDGE_PROBABILITY, |w| {
            w.number(edge.probability)
        })
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
            faults: Vec::new(),
        },
        playback,
    })
}

fn read_run(r: &mut Reader) -> Result<RunSpec, LinkError> {
    let mut f = FieldMask::read(r, "fields", RUN.len() as u32)?;
    let requests = f.next_or(Some(RUN_REQUESTS), || read_requests(r))?;
    let duration_s = f.next_or(None, || r.number("duration_s").map(Some))?;
    let warmup_s = f.next_or(RUN_WARMUP_S, || r.number("warmup_s"))?;
    let window_s = f.next_or(RUN_WINDOW_S, || r.number("window_s"))?;
    let trace_every = f.next_or(RUN_TRACE_EVERY, || r.varint("trace_every"))?;
    let hop_limit = f.next_or(None, || r.u32("hop_limit").map(Some))?;
    Ok(RunSpec {
        requests,
        duration_s,
        warmup_s,
        window_s,
        trace_every,
        hop_limit,
    })
}

/// A request count that is there: a byte 0 (none, the run is timed) or 1 then the count.
fn read_requests(r: &mut Reader) -> Result<Option<u64>, LinkError> {
    match r.byte("requests")? {
        0 => Ok(None),
        1 => Ok(Some(r.varint("requests")?)),
        b => Err(malformed("requests", format!("unknown marker {b}"))),
    }
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
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        entries.push(kinds::read(r).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut ids = Vec::with_capacity(n);
    for (i, kind) in entries.iter().enumerate() {
        ids.push(names::read_id(r, kind).map_err(|e| within(e, &at(i, None)))?);
    }
    let mut labels = Vec::with_capacity(n);
    for (i, (kind, id)) in entries.iter().zip(&ids).enumerate() {
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
    for (i, (((kind, label), x), y)) in entries.into_iter().zip(labels).zip(xs).zip(ys).enumerate()
    {
        let id = &ids[i];
        let component = (kind.read_config)(r, &ids).map_err(|e| within(e, &at(i, Some(id))))?;
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
    read_edges_with(r, ids, read_edge)
}

/// Reads the edge count, checked against the limit and the bytes left, then each edge with
/// `read_edge` (version 2 counts and places its edges the same way; only an edge's table
/// differs).
pub(in crate::link) fn read_edges_with(
    r: &mut Reader,
    ids: &[String],
    read_edge: fn(&mut Reader, &[String]) -> Result<Edge, LinkError>,
) -> Result<Vec<Edge>, LinkError> {
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
    let mut f = FieldMask::read(r, "fields", EDGE.len() as u32)?;
    let latency_ms = f.next_or(EDGE_LATENCY_MS, || r.number("latency_ms"))?;
    let weight = f.next_or(EDGE_WEIGHT, || r.number("weight"))?;
    let probability = f.next_or(EDGE_PROBABILITY, || r.number("probability"))?;
    Ok(Edge {
        weight,
        probability,
        ..Edge::new(&from, &to, latency_ms)
    })
}

/// Reads the playback trailer (version 2 ends the same way).
pub(in crate::link) fn read_playback(r: &mut Reader) -> Result<Option<Playback>, LinkError> {
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
/// `node 3 `api` config.workers` (version 2 names places the same way).
pub(in crate::link) fn within(error: LinkError, place: &str) -> LinkError {
    match error {
        LinkError::Malformed { field, problem } => LinkError::Malformed {
            field: format!("{place} {field}"),
            problem,
        },
        other => other,
    }
}
