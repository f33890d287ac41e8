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
    /// Every named route any client sends on, with its route id.
    pub routes: &'a RouteTable,
}

/// The run's named routes: every name a node sends requests on, numbered in order of first
/// appearance. Built in one pass and looked up by hash, so set-up is linear in the routes
/// (scanning a list for each name took 29 s for 150,000). A request carries its route's id in
/// 16 bits: a name past the 65,535th gets no id ([`NO_ROUTE`]) instead of wrapping onto
/// another's; the bound on a client's routes keeps every valid scenario far below that.
#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    ids: HashMap<String, u16>,
}

impl RouteTable {
    /// The table of these names, in order; a repeated name keeps its first id.
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut ids = HashMap::new();
        for name in names {
            let next = ids.len();
            if next < usize::from(NO_ROUTE) && !ids.contains_key(name) {
                ids.insert(name.to_string(), next as u16);
            }
        }
        RouteTable { ids }
    }

    /// The id of a route name (`NO_ROUTE` if no node sends on it).
    pub fn id(&self, name: &str) -> u16 {
        self.ids.get(name).copied().unwrap_or(NO_ROUTE)
    }

    /// How many names have an id.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True if no node sends on a named route.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
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
        self.routes.id(name)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_ids_follow_first_appearance_and_never_wrap() {
        let table = RouteTable::new(["b", "a", "b", "c"]);
        assert_eq!((table.id("b"), table.id("a"), table.id("c")), (0, 1, 2));
        assert_eq!((table.len(), table.id("nobody")), (3, NO_ROUTE));
        // Past the 65,535th name there is no 16-bit id left: the rest have none, where they
        // used to wrap onto the first names' ids (name 65,536 went where name 0 went).
        let names: Vec<String> = (0..70_000).map(|i| format!("r{i}")).collect();
        let table = RouteTable::new(names.iter().map(String::as_str));
        assert_eq!(table.len(), usize::from(NO_ROUTE));
        assert_eq!(table.id("r65534"), 65_534);
        assert_eq!(table.id("r65535"), NO_ROUTE);
        assert_eq!(table.id("r65536"), NO_ROUTE);
        assert_eq!(table.id("r0"), 0);
    }
}
