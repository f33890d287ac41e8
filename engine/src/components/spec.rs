//! What the rest of the program knows about a kind without running it: its names, its place in
//! the palette, its link tag and its connection rules. Each kind's file declares one
//! [`KindSpec`]; the validator, the editor's refusals, the canvas ports, the particle colours
//! and the tests' scenario generator read it instead of restating it.

use super::Kind;
use crate::sim::events::Outcome;

/// A kind's declaration.
#[derive(Debug)]
pub struct KindSpec {
    /// The name used in scenario files and test ids, `load_balancer`.
    pub name: &'static str,
    /// How people call it, `Load balancer`.
    pub title: &'static str,
    /// Its palette section.
    pub group: Group,
    /// The byte that names it in a version-2 link. Constant and never reused: a link shared
    /// today must name the same kind forever (version 1 has its own frozen table).
    pub link_tag: u8,
    /// The ways it ends requests itself, besides answering ok (a gateway with no route, a full
    /// queue). A hop limit can stop a request at any node that calls on: that is the run's
    /// outcome, not a kind's.
    pub outcomes: &'static [Outcome],
    /// Who may call it, what it may call, and how many edges it needs.
    pub rules: Rules,
}

/// Palette sections, in palette order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Where requests come from.
    Traffic,
    /// What spreads and steers requests.
    Routing,
    /// What does the work.
    Compute,
    /// What stores and remembers.
    Data,
    /// What decouples publishers from consumers.
    Messaging,
}

impl Group {
    /// Every group, in palette order.
    pub const ALL: [Group; 5] = [
        Group::Traffic,
        Group::Routing,
        Group::Compute,
        Group::Data,
        Group::Messaging,
    ];

    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Group::Traffic => "Traffic",
            Group::Routing => "Routing",
            Group::Compute => "Compute",
            Group::Data => "Data",
            Group::Messaging => "Messaging",
        }
    }

    /// What the section holds, in a line.
    pub fn about(self) -> &'static str {
        match self {
            Group::Traffic => "Clients that send requests: how many, how often, for which keys.",
            Group::Routing => "Load balancers and gateways that pick where each request goes.",
            Group::Compute => {
                "Services and workers: a pool of threads and the time each call takes."
            }
            Group::Data => "Caches and databases, where hits, misses and slow queries happen.",
            Group::Messaging => "Queues that let a caller publish work and move on.",
        }
    }

    /// Its kinds, in palette order.
    pub fn kinds(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.iter().copied().filter(move |k| k.group() == self)
    }

    /// A lower-case word for styling (`data-group`).
    pub fn name(self) -> &'static str {
        match self {
            Group::Traffic => "traffic",
            Group::Routing => "routing",
            Group::Compute => "compute",
            Group::Data => "data",
            Group::Messaging => "messaging",
        }
    }
}

/// A kind's connection rules.
#[derive(Debug)]
pub struct Rules {
    /// Who may call it.
    pub callers: Peers,
    /// What it may call.
    pub callees: Peers,
    /// What is wrong when it has no out-edge, if anything.
    pub without_callees: Option<Finding>,
    /// At most this many out-edges.
    pub max_callees: Option<Limit>,
    /// At most this many in-edges.
    pub max_callers: Option<Limit>,
    /// Its calls may carry a probability (a service's or worker's optional dependency).
    pub calls_with_probability: bool,
    /// Requests can wait here: its queue length is charted.
    pub has_queue: bool,
    /// What arrives here are jobs, not requests: its waiting line is a job backlog.
    pub holds_jobs: bool,
    /// It answers some requests itself before the end of their path (a cache hit), so an
    /// answer decided here turns back in its own colour.
    pub answers_early: bool,
    /// What it does with data (sim/data.rs): a run with a store numbers its writes and
    /// checks its reads for staleness.
    pub data: DataRole,
}

/// A kind's part in holding data with versions (sim/data.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataRole {
    /// It holds no data.
    None,
    /// It holds data: writes are applied here, reads answered from here (a database).
    Store,
    /// It holds copies of what is behind it (a cache).
    Front,
    /// It spreads one data set over the stores it calls (a shard router).
    Partitions,
}

impl Rules {
    /// The rules of a kind that any kind may call and that may call any kind, with no limits.
    pub const OPEN: Rules = Rules {
        callers: Peers::Any,
        callees: Peers::Any,
        without_callees: None,
        max_callees: None,
        max_callers: None,
        calls_with_probability: false,
        has_queue: false,
        holds_jobs: false,
        answers_early: false,
        data: DataRole::None,
    };
}

/// Which kinds may be at the other end of an edge.
#[derive(Debug)]
pub enum Peers {
    /// Every kind that allows it from its side.
    Any,
    /// None: the message says why.
    Nobody(&'static str),
    /// Only these kinds. The message says why; `{peer}` in it stands for the refused kind's
    /// title in lower case.
    Only(&'static [Kind], &'static str),
}

impl Peers {
    /// Why `peer` may not be at the other end, if it may not.
    pub fn refusal(&self, peer: Kind) -> Option<String> {
        match self {
            Peers::Any => None,
            Peers::Nobody(why) => Some((*why).to_string()),
            Peers::Only(kinds, _) if kinds.contains(&peer) => None,
            Peers::Only(_, why) => Some(why.replace("{peer}", &peer.title().to_ascii_lowercase())),
        }
    }

    /// True if no kind at all may be at the other end.
    pub fn is_nobody(&self) -> bool {
        matches!(self, Peers::Nobody(_))
    }
}

/// A finding about a node's edges: a stable code, whether it stops the run, and the sentence.
#[derive(Debug)]
pub struct Finding {
    /// The diagnostic's code.
    pub code: &'static str,
    /// True if the run cannot start until it is fixed; false for a hint.
    pub stops_run: bool,
    /// What is wrong and how to fix it.
    pub message: &'static str,
}

/// An upper bound on a node's edges on one side.
#[derive(Debug)]
pub struct Limit {
    /// The most edges allowed.
    pub most: usize,
    /// The diagnostic's code when exceeded.
    pub code: &'static str,
    /// What is wrong and how to fix it (also the editor's refusal).
    pub message: &'static str,
}

impl Kind {
    /// Why a `self` may not call a `to`, if it may not: the callee's side first (nothing calls a
    /// client), then the caller's (a database calls nothing), then what each side restricts.
    /// The validator and the editor both ask this, so a refused connection reads the same
    /// everywhere.
    pub fn connection_problem(self, to: Kind) -> Option<String> {
        let (caller, callee) = (&self.spec().rules, &to.spec().rules);
        if let Peers::Nobody(why) = callee.callers {
            return Some(why.to_string());
        }
        if let Peers::Nobody(why) = caller.callees {
            return Some(why.to_string());
        }
        caller
            .callees
            .refusal(to)
            .or_else(|| callee.callers.refusal(self))
    }

    /// True if requests may be sent to this kind.
    pub fn accepts_calls(self) -> bool {
        !self.spec().rules.callers.is_nobody()
    }

    /// True if this kind may call anything.
    pub fn makes_calls(self) -> bool {
        !self.spec().rules.callees.is_nobody()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tags_and_names_are_unique() {
        for (i, a) in Kind::ALL.iter().enumerate() {
            for b in &Kind::ALL[i + 1..] {
                assert_ne!(a.spec().link_tag, b.spec().link_tag, "{a} and {b}");
                assert_ne!(a.name(), b.name());
                assert_ne!(a.title(), b.title());
            }
            assert_ne!(a.spec().link_tag, 0, "tag 0 is kept free as an end marker");
        }
    }

    #[test]
    fn names_are_what_ids_and_test_ids_accept() {
        for &kind in Kind::ALL {
            assert!(kind
                .name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn a_refusal_names_the_refused_kind() {
        let only = Peers::Only(&[Kind::Worker], "hands jobs to workers, not to a {peer}");
        assert_eq!(only.refusal(Kind::Worker), None);
        assert_eq!(
            only.refusal(Kind::LoadBalancer).as_deref(),
            Some("hands jobs to workers, not to a load balancer")
        );
    }

    #[test]
    fn the_callee_side_speaks_first() {
        // A database calls nothing and nothing calls a client: the client's rule is given.
        assert_eq!(
            Kind::Database.connection_problem(Kind::Client).as_deref(),
            Some("a client only sends requests; nothing can call it")
        );
    }
}
