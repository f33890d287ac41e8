//! A version-2 link's faults: an optional section after the playback byte, so every link
//! written before faults existed (which ends there) still reads, with no faults.
//!
//! ```text
//! faults   count; per fault: at_s (number), for_s (byte 0 = to the end, or 1 then a number),
//!          target (byte: 0 none, 1 a node, 2 an edge, 3 a list of nodes; then references),
//!          kind (byte tag, then its settings, below)
//! ```
//! Tags are constant and append-only, like every tag in a link.

use super::super::refs::{self, IdIndex};
use super::super::wire::{malformed, Reader, Writer};
use super::super::LinkError;
use super::value::unknown_variant;
use crate::scenario::faults::FAULTS;
use crate::scenario::{Fault, FaultKind, FaultTarget};

const TARGET_NOWHERE: u8 = 0;
const TARGET_NODE: u8 = 1;
const TARGET_EDGE: u8 = 2;
const TARGET_NODES: u8 = 3;

const CRASH: u8 = 1;
const PAUSE: u8 = 2;
const SLOW: u8 = 3;
const ERRORS: u8 = 4;
const LATENCY: u8 = 5;
const SPIKE: u8 = 6;
const FLUSH: u8 = 7;
const PARTITION: u8 = 8;
const ADD_SHARD: u8 = 9;
const REMOVE_SHARD: u8 = 10;

/// Writes the faults section; nothing at all when there are none.
pub(super) fn write(w: &mut Writer, faults: &[Fault], ids: &IdIndex) {
    if faults.is_empty() {
        return;
    }
    w.count(faults.len());
    for fault in faults {
        w.number(fault.at_s);
        match fault.for_s {
            None => w.byte(0),
            Some(d) => {
                w.byte(1);
                w.number(d);
            }
        }
        write_target(w, &fault.target, ids);
        write_kind(w, &fault.kind, ids);
    }
}

fn write_ids(w: &mut Writer, list: &[String], ids: &IdIndex) {
    w.count(list.len());
    for id in list {
        ids.write(w, id);
    }
}

fn write_target(w: &mut Writer, target: &FaultTarget, ids: &IdIndex) {
    match target {
        FaultTarget::Nowhere => w.byte(TARGET_NOWHERE),
        FaultTarget::Node(id) => {
            w.byte(TARGET_NODE);
            ids.write(w, id);
        }
        FaultTarget::Edge { from, to } => {
            w.byte(TARGET_EDGE);
            ids.write(w, from);
            ids.write(w, to);
        }
        FaultTarget::Nodes(list) => {
            w.byte(TARGET_NODES);
            write_ids(w, list, ids);
        }
    }
}

fn write_kind(w: &mut Writer, kind: &FaultKind, ids: &IdIndex) {
    match kind {
        FaultKind::Crash => w.byte(CRASH),
        FaultKind::Pause => w.byte(PAUSE),
        FaultKind::Flush => w.byte(FLUSH),
        FaultKind::AddShard => w.byte(ADD_SHARD),
        FaultKind::RemoveShard => w.byte(REMOVE_SHARD),
        FaultKind::Slow { factor } => {
            w.byte(SLOW);
            w.number(*factor);
        }
        FaultKind::Spike { factor } => {
            w.byte(SPIKE);
            w.number(*factor);
        }
        FaultKind::Errors {
            fraction,
            after_work,
        } => {
            w.byte(ERRORS);
            w.number(*fraction);
            w.byte(u8::from(*after_work));
        }
        FaultKind::Latency { factor, plus_ms } => {
            w.byte(LATENCY);
            w.number(*factor);
            w.number(*plus_ms);
        }
        FaultKind::Partition { groups } => {
            w.byte(PARTITION);
            w.count(groups.len());
            for group in groups {
                write_ids(w, group, ids);
            }
        }
    }
}

/// Reads the faults section if the link has one (bytes left after the playback byte).
pub(super) fn read(r: &mut Reader, ids: &[String]) -> Result<Vec<Fault>, LinkError> {
    if r.remaining() == 0 {
        return Ok(Vec::new());
    }
    let claimed = r.varint("fault count")?;
    if claimed > FAULTS.most as u64 {
        return Err(malformed(
            "fault count",
            format!("{claimed} faults; at most {} fit a scenario", FAULTS.most),
        ));
    }
    let n = r.remaining_at_least(claimed, "fault count")?;
    (0..n)
        .map(|i| {
            read_fault(r, ids)
                .map_err(|e| super::super::v1::document::within(e, &format!("fault {}", i + 1)))
        })
        .collect()
}

fn read_fault(r: &mut Reader, ids: &[String]) -> Result<Fault, LinkError> {
    let at_s = r.number("at_s")?;
    let for_s = match r.byte("for_s")? {
        0 => None,
        1 => Some(r.number("for_s")?),
        b => return Err(malformed("for_s", format!("unknown marker {b}"))),
    };
    let target = match r.byte("target")? {
        TARGET_NOWHERE => FaultTarget::Nowhere,
        TARGET_NODE => FaultTarget::Node(refs::read(r, ids, "target")?),
        TARGET_EDGE => FaultTarget::Edge {
            from: refs::read(r, ids, "target")?,
            to: refs::read(r, ids, "target")?,
        },
        TARGET_NODES => FaultTarget::Nodes(read_ids(r, ids, "target")?),
        tag => return Err(unknown_variant("fault target", tag)),
    };
    Ok(Fault {
        at_s,
        for_s,
        target,
        kind: read_kind(r, ids)?,
    })
}

fn read_ids(r: &mut Reader, ids: &[String], field: &str) -> Result<Vec<String>, LinkError> {
    let n = r.count(field)?;
    (0..n).map(|_| refs::read(r, ids, field)).collect()
}

fn read_kind(r: &mut Reader, ids: &[String]) -> Result<FaultKind, LinkError> {
    Ok(match r.byte("fault kind")? {
        CRASH => FaultKind::Crash,
        PAUSE => FaultKind::Pause,
        FLUSH => FaultKind::Flush,
        ADD_SHARD => FaultKind::AddShard,
        REMOVE_SHARD => FaultKind::RemoveShard,
        SLOW => FaultKind::Slow {
            factor: r.number("factor")?,
        },
        SPIKE => FaultKind::Spike {
            factor: r.number("factor")?,
        },
        ERRORS => FaultKind::Errors {
            fraction: r.number("fraction")?,
            after_work: match r.byte("after_work")? {
                0 => false,
                1 => true,
                b => return Err(malformed("after_work", format!("{b} is not 0 or 1"))),
            },
        },
        LATENCY => FaultKind::Latency {
            factor: r.number("factor")?,
            plus_ms: r.number("plus_ms")?,
        },
        PARTITION => {
            let n = r.count("groups")?;
            FaultKind::Partition {
                groups: (0..n)
                    .map(|_| read_ids(r, ids, "groups"))
                    .collect::<Result<_, _>>()?,
            }
        }
        tag => return Err(unknown_variant("fault", tag)),
    })
}
