//! A node's surroundings, as its kind sees them: [`Wiring`], what its runtime is built from
//! besides its config (its out-going links, what stands at their other end, the run's table of
//! named routes), and [`Around`], what its config's references are checked against. Every kind
//! gets the same views, so neither compiling nor validating a scenario needs per-kind code.

use super::Kind;
use crate::sim::frames::NO_ROUTE;
use crate::sim::topology::Link;
use std::collections::{HashMap, HashSet};

/// The node at the far end of a link.
#[derive(Clone, Copy, Debug)]
pub struct Peer<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its kind.
    pub kind: Kind,
    /// How many requests it works on at once (0 if it does no queued work).
    pub servers: u32,
}

/// A node's surroundings, in link order.
pub struct Wiring<'a> {
    /// Its out-going links.
    pub links: &'a [Link],
    /// What stands at the end of each link.
    pub peers: Vec<Peer<'a>>,
    /// Every named route any client sends on, indexed by route id.
    pub routes: &'a [String],
}

impl<'a> Wiring<'a> {
    /// The ids at the end of each link.
    pub fn peer_ids(&self) -> Vec<&'a str> {
        self.peers.iter().map(|p| p.id).collect()
    }

    /// The indices of the links whose far end's kind passes `keep`.
    pub fn links_where(&self, keep: impl Fn(Kind) -> bool) -> Vec<u16> {
        (0..self.peers.len() as u16)
            .filter(|&i| keep(self.peers[usize::from(i)].kind))
            .collect()
    }

    /// The index of the link to `id`, if there is one.
    pub fn link_to(&self, id: &str) -> Option<u16> {
        self.peers.iter().position(|p| p.id == id).map(|i| i as u16)
    }

    /// The route id of a route name (`NO_ROUTE` if no client sends on it).
    pub fn route_id(&self, name: &str) -> u16 {
        self.routes
            .iter()
            .position(|r| r == name)
            .map_or(NO_ROUTE, |p| p as u16)
    }
}

/// What a config's references (a call order, routing rules) are checked against.
pub struct Around<'a> {
    /// The node's id.
    pub id: &'a str,
    /// The far end of each of its out-going edges, in edge order.
    pub callees: Vec<&'a str>,
    /// Every edge of the scenario as (from, to), for lookups.
    pub connected: &'a HashSet<(&'a str, &'a str)>,
    /// Every node's kind, by id.
    pub kinds: &'a HashMap<&'a str, Kind>,
    /// Every route name some node sends requests on.
    pub routes: &'a HashSet<&'a str>,
}

impl Around<'_> {
    /// True if the node has an edge to `id`.
    pub fn calls(&self, id: &str) -> bool {
        self.connected.contains(&(self.id, id))
    }
}

/// Something wrong between a config and its surroundings, for the validator to report on the
/// node: a stable code, whether it stops the run, the config field at fault, and the sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct WiringProblem {
    /// The diagnostic's code.
    pub code: &'static str,
    /// True if the run cannot start until it is fixed; false for a hint.
    pub stops_run: bool,
    /// The config field at fault (`routes`).
    pub field: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
}
