//! The compiled call graph: node ids to indices, and each node's out-going links as a slice of
//! one flat array, so handlers index instead of hashing.

use crate::scenario::Scenario;
use crate::time::{from_ms, SimTime};
use std::collections::HashMap;

/// A compiled edge, as seen from its calling node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    /// Index of the called node.
    pub to: u32,
    /// One-way latency.
    pub latency: SimTime,
    /// Share for weighted round robin.
    pub weight: f64,
    /// Chance a service's or worker's call is made.
    pub probability: f64,
    /// How long the caller waits for each call's answer (0: for ever).
    pub timeout: SimTime,
    /// On a client's edge: how long its requests may take in all (0: no deadline).
    pub deadline: SimTime,
    /// How many calls may be out along it at once (0: no limit).
    pub bulkhead: u32,
}

impl Link {
    /// True if a call leaving along the link has a policy to apply.
    #[inline]
    pub fn has_policy(&self) -> bool {
        self.timeout | self.deadline != 0 || self.bulkhead != 0
    }
}

/// Every node's links, contiguous per node, in scenario edge order.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    starts: Vec<u32>,
    links: Vec<Link>,
    /// For each of the scenario's edges, in its order, the index of its link.
    order: Vec<u32>,
}

impl Topology {
    /// Compiles a validated scenario's edges.
    pub fn build(scenario: &Scenario, index: &HashMap<&str, u32>) -> Self {
        let n = scenario.nodes.len();
        let mut per_node: Vec<Vec<Link>> = vec![Vec::new(); n];
        let mut places = Vec::with_capacity(scenario.edges.len());
        for e in &scenario.edges {
            let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            else {
                continue; // validation has refused such scenarios already
            };
            places.push((from, per_node[from as usize].len() as u32));
            per_node[from as usize].push(Link {
                to,
                latency: from_ms(e.latency_ms),
                weight: e.weight,
                probability: e.probability,
                timeout: e.timeout_ms.map_or(0, from_ms),
                deadline: e.deadline_ms.map_or(0, from_ms),
                bulkhead: e.bulkhead.unwrap_or(0),
            });
        }
        let mut starts = Vec::with_capacity(n + 1);
        let mut links = Vec::with_capacity(scenario.edges.len());
        for list in per_node {
            starts.push(links.len() as u32);
            links.extend(list);
        }
        starts.push(links.len() as u32);
        let order = places
            .into_iter()
            .map(|(from, at)| starts[from as usize] + at)
            .collect();
        Topology {
            starts,
            links,
            order,
        }
    }

    /// The index of the link of the scenario's `i`-th edge.
    pub fn link_of_edge(&self, i: usize) -> Option<u32> {
        self.order.get(i).copied()
    }

    /// Every scenario edge's link index, in the scenario's order.
    pub fn edge_order(&self) -> &[u32] {
        &self.order
    }

    /// The index of `node`'s `link`-th link among all links, which names the edge for as long
    /// as a call along it is out.
    #[inline]
    pub fn edge_index(&self, node: u32, link: usize) -> u32 {
        self.starts[node as usize] + link as u32
    }

    /// The link with index `edge`.
    #[inline]
    pub fn edge(&self, edge: u32) -> &Link {
        &self.links[edge as usize]
    }

    /// The links leaving `node`.
    #[inline]
    pub fn links_of(&self, node: u32) -> &[Link] {
        let i = node as usize;
        &self.links[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The calling node of link `edge`.
    pub fn caller_of(&self, edge: u32) -> u32 {
        // `starts` is sorted: the caller is the last node whose links start at or before it.
        (self.starts.partition_point(|&s| s <= edge) - 1) as u32
    }

    /// How many links there are.
    pub fn edge_count(&self) -> usize {
        self.links.len()
    }

    /// The index of the link from `from` to `to`, if there is one.
    pub fn edge_between(&self, from: u32, to: u32) -> Option<u32> {
        let at = self.links_of(from).iter().position(|l| l.to == to)?;
        Some(self.edge_index(from, at))
    }
}
