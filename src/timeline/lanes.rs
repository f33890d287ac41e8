//! The timeline's lanes: one per target the faults strike (a node, an edge, several nodes at
//! once, or a partition's groups), in the order their first fault is listed, each holding its
//! faults by index in the document.

use crate::state::faults::{groups_text, target_text};
use pattern_engine::scenario::{FaultKind, FaultTarget, Scenario};

/// What a lane's faults strike.
#[derive(Clone, Debug, PartialEq)]
pub enum LaneTarget {
    /// A node, an edge or several nodes.
    Strikes(FaultTarget),
    /// A partition between these groups.
    Partition(Vec<Vec<String>>),
}

/// One lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Its stable name (`timeline-lane-<key>`): the node id, `from-to` for an edge (as in
    /// `edge-<from>-<to>`), ids joined by `+`, `partition-<n>` for the n-th partition lane.
    pub key: String,
    /// What it says.
    pub label: String,
    /// What its faults strike.
    pub target: LaneTarget,
    /// Its faults, by index in the document.
    pub faults: Vec<usize>,
}

/// The lanes of `s`'s faults.
pub fn lanes(s: &Scenario) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = Vec::new();
    for (i, fault) in s.faults.iter().enumerate() {
        let target = match &fault.kind {
            FaultKind::Partition { groups } => LaneTarget::Partition(groups.clone()),
            _ => LaneTarget::Strikes(fault.target.clone()),
        };
        if let Some(lane) = lanes.iter_mut().find(|l| l.target == target) {
            lane.faults.push(i);
            continue;
        }
        let partitions = lanes
            .iter()
            .filter(|l| matches!(l.target, LaneTarget::Partition(_)))
            .count();
        let (key, label) = names(s, &target, partitions + 1);
        lanes.push(Lane {
            key,
            label,
            target,
            faults: vec![i],
        });
    }
    lanes
}

/// A lane's key and label.
fn names(s: &Scenario, target: &LaneTarget, nth_partition: usize) -> (String, String) {
    let label_of = |id: &String| s.node(id).map_or(id.clone(), |n| n.label.clone());
    match target {
        LaneTarget::Partition(groups) => (
            format!("partition-{nth_partition}"),
            format!("partition {}", groups_text(groups)),
        ),
        LaneTarget::Strikes(FaultTarget::Node(id)) => (id.clone(), label_of(id)),
        LaneTarget::Strikes(FaultTarget::Edge { from, to }) => (
            format!("{from}-{to}"),
            format!("{} → {}", label_of(from), label_of(to)),
        ),
        LaneTarget::Strikes(FaultTarget::Nodes(ids)) => (
            ids.join("+"),
            ids.iter().map(label_of).collect::<Vec<_>>().join(", "),
        ),
        LaneTarget::Strikes(other) => ("nowhere".into(), target_text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::scenario::Fault;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn faults_fall_into_one_lane_per_target_in_the_order_they_are_listed() {
        let mut s = crate::document::default_scenario();
        let fault = |target: FaultTarget, kind: FaultKind| Fault {
            at_s: 1.0,
            for_s: None,
            target,
            kind,
        };
        let db = FaultTarget::Node("db_a".into());
        let edge = FaultTarget::Edge {
            from: "lb".into(),
            to: "gateway".into(),
        };
        let split = |groups: &[&[&str]]| FaultKind::Partition {
            groups: groups
                .iter()
                .map(|g| g.iter().map(|id| id.to_string()).collect())
                .collect(),
        };
        s.faults = vec![
            fault(db.clone(), FaultKind::Crash),
            fault(
                edge.clone(),
                FaultKind::Latency {
                    factor: 2.0,
                    plus_ms: 0.0,
                },
            ),
            fault(FaultTarget::Nowhere, split(&[&["user"], &["lb"]])),
            fault(db, FaultKind::Pause),
            fault(FaultTarget::Nowhere, split(&[&["lb"], &["gateway"]])),
            fault(FaultTarget::Nowhere, split(&[&["user"], &["lb"]])),
        ];
        let found = lanes(&s);
        let keys: Vec<&str> = found.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["db_a", "lb-gateway", "partition-1", "partition-2"]);
        assert_eq!(found[0].faults, [0, 3]);
        assert_eq!(found[2].faults, [2, 5]);
        assert_eq!(found[0].label, "Database A");
        assert_eq!(found[2].label, "partition user | lb");
        assert!(lanes(&crate::document::default_scenario()).is_empty());
    }
}
