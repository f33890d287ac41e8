//! What a kind's runtime is built from besides its config: the node's out-going links with what
//! stands at their other end, and the run's table of named routes. Every kind's `build` gets the
//! same view, so compiling a scenario needs no per-kind code.

use super::Kind;
use crate::sim::frames::NO_ROUTE;
use crate::sim::topology::Link;

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
