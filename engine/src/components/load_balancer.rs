//! Load balancer: sends each request to one of its backends (its out-edges) by the chosen
//! algorithm and passes the answer back. It tracks requests in flight per backend, which the
//! least-connections and power-of-two algorithms read. The random algorithms draw from the
//! node's own stream.

use super::settings::settings;
use super::spec::{Finding, KindSpec, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group};
use crate::bounds::{Bound, Measured};
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::routing::{self, HashRing};
use crate::sim::events::{Outcome, Status};

/// A load balancer's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "load_balancer",
    title: "Load balancer",
    group: Group::Routing,
    link_tag: 2,
    outcomes: &[],
    rules: Rules {
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "the load balancer has no backends: connect it to the servers it spreads \
                      load over",
        }),
        ..Rules::OPEN
    },
};

/// A consistent hash's `virtual_nodes`, the points each backend has on the ring: the only
/// number in an algorithm, so the `algorithm` field is measured by it. Each point is 16 bytes
/// held for the run (a link once asked for 2^32 of them: 64 GiB), and with a thousand the
/// shares are already even to a few per cent; with at most 2,000 edges in a scenario, all its
/// rings hold at most two million points (32 MB), built in O(points log points).
pub const VIRTUAL_NODES: Bound = Bound::new(
    1.0,
    1_000.0,
    "each is a point of the ring held in memory, and past a few hundred the shares are even \
     to a few per cent",
);

settings! {
    /// How a load balancer chooses.
    pub struct LoadBalancerConfig as "load_balancer" {
        /// The algorithm.
        algorithm: Algorithm = Algorithm::RoundRobin, tag 1, always, within VIRTUAL_NODES;
    }
}

/// An algorithm is bounded by its virtual nodes; the others have no number to bound.
impl Measured for Algorithm {
    fn measure(&self) -> Option<f64> {
        match *self {
            Algorithm::ConsistentHash { virtual_nodes } => Some(f64::from(virtual_nodes)),
            _ => None,
        }
    }

    fn part(&self) -> Option<&'static str> {
        Some("virtual_nodes")
    }
}

/// Load-balancing algorithms.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Algorithm {
    /// Each backend in turn.
    #[default]
    RoundRobin,
    /// In turn, in proportion to each edge's `weight`.
    WeightedRoundRobin,
    /// Uniformly at random.
    Random,
    /// The backend with the fewest requests in flight.
    LeastConnections,
    /// By a hash of the caller's id: sticky sessions.
    IpHash,
    /// The less loaded of two random backends.
    PowerOfTwo,
    /// By a hash of the request's key on a ring with virtual nodes.
    ConsistentHash {
        /// Points per backend on the ring; more points, more even shares.
        virtual_nodes: u32,
    },
    /// At random, each backend with probability proportional to its edge's `weight`: a
    /// Poisson stream stays Poisson on every branch (weighted round robin's does not).
    WeightedRandom,
}

impl Algorithm {
    /// The algorithms without settings, as scenario files name them.
    const PLAIN: [&'static str; 7] = [
        "round_robin",
        "weighted_round_robin",
        "random",
        "least_connections",
        "ip_hash",
        "power_of_two",
        "weighted_random",
    ];

    /// The name scenario files use.
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round_robin",
            Algorithm::WeightedRoundRobin => "weighted_round_robin",
            Algorithm::Random => "random",
            Algorithm::LeastConnections => "least_connections",
            Algorithm::IpHash => "ip_hash",
            Algorithm::PowerOfTwo => "power_of_two",
            Algorithm::ConsistentHash { .. } => "consistent_hash",
            Algorithm::WeightedRandom => "weighted_random",
        }
    }
}

impl Config for LoadBalancerConfig {}

/// Written as `"least_connections"` or `{"consistent_hash": {"virtual_nodes": 100}}`.
impl FromJson for Algorithm {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &Self::PLAIN, &["consistent_hash"])?;
        Ok(match name {
            "round_robin" => Algorithm::RoundRobin,
            "weighted_round_robin" => Algorithm::WeightedRoundRobin,
            "random" => Algorithm::Random,
            "least_connections" => Algorithm::LeastConnections,
            "ip_hash" => Algorithm::IpHash,
            "power_of_two" => Algorithm::PowerOfTwo,
            "weighted_random" => Algorithm::WeightedRandom,
            _ => variant_fields(name, settings, &["virtual_nodes"], |f| {
                Ok(Algorithm::ConsistentHash {
                    virtual_nodes: f.req("virtual_nodes")?,
                })
            })?,
        })
    }
}

impl ToJson for Algorithm {
    fn to_tree(&self) -> Json {
        match self {
            Algorithm::ConsistentHash { virtual_nodes } => Json::tagged(
                self.name(),
                Json::object([("virtual_nodes", virtual_nodes.to_tree())]),
            ),
            plain => Json::String(plain.name().to_string()),
        }
    }
}

/// In a version-2 link: a variant tag (constant, append-only: 0 round_robin up to 7
/// weighted_random), then the settings.
impl LinkValue for Algorithm {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        let tag = match self {
            Algorithm::RoundRobin => 0,
            Algorithm::WeightedRoundRobin => 1,
            Algorithm::Random => 2,
            Algorithm::LeastConnections => 3,
            Algorithm::IpHash => 4,
            Algorithm::PowerOfTwo => 5,
            Algorithm::ConsistentHash { .. } => 6,
            Algorithm::WeightedRandom => 7,
        };
        w.byte(tag);
        if let Algorithm::ConsistentHash { virtual_nodes } = self {
            w.varint(u64::from(*virtual_nodes));
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => Algorithm::RoundRobin,
            1 => Algorithm::WeightedRoundRobin,
            2 => Algorithm::Random,
            3 => Algorithm::LeastConnections,
            4 => Algorithm::IpHash,
            5 => Algorithm::PowerOfTwo,
            6 => Algorithm::ConsistentHash {
                virtual_nodes: r.u32(field)?,
            },
            7 => Algorithm::WeightedRandom,
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

/// The runtime state of a load balancer.
pub struct LoadBalancer {
    picker: Picker,
    in_flight: Vec<u32>,
    cursor: usize,
}

enum Picker {
    RoundRobin,
    Weighted { weights: Vec<f64>, credit: Vec<f64> },
    Random,
    LeastConnections,
    IpHash,
    PowerOfTwo,
    Ring(HashRing),
    WeightedRandom { cumulative: Vec<f64> },
}

impl Behaviour for LoadBalancer {
    type Config = LoadBalancerConfig;

    fn build(config: &LoadBalancerConfig, wiring: &Wiring) -> Self {
        let weights = wiring.links.iter().map(|l| l.weight).collect();
        LoadBalancer::new(config, &wiring.peer_ids(), weights)
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let n = self.in_flight.len();
        let pick = match &mut self.picker {
            Picker::RoundRobin => routing::round_robin(&mut self.cursor, n),
            Picker::Weighted { weights, credit } => routing::smooth_weighted(credit, weights),
            Picker::Random => routing::random(ctx.rng(), n),
            Picker::LeastConnections => {
                let pick = routing::least_connections(&self.in_flight, self.cursor);
                self.cursor = (pick + 1) % n;
                pick
            }
            Picker::IpHash => routing::ip_hash(ctx.request(frame).client_id, n),
            Picker::PowerOfTwo => routing::power_of_two(&self.in_flight, ctx.rng()),
            Picker::Ring(ring) => ring.lookup(ctx.request(frame).key),
            Picker::WeightedRandom { cumulative } => {
                routing::weighted_random(ctx.rng(), cumulative)
            }
        };
        let Some(pick) = self.around_open_breakers(ctx, pick) else {
            // Every backend's breaker is open: fail fast, nobody is called.
            ctx.refuse(frame, Outcome::CircuitOpen);
            return;
        };
        self.in_flight[pick] += 1;
        ctx.frame_mut(frame).step = pick as u16;
        ctx.forward(frame, pick);
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        self.in_flight[ctx.frame(frame).step as usize] -= 1;
        ctx.respond(frame, status);
    }
}

impl LoadBalancer {
    /// The backend to call instead of `pick` if a circuit breaker on `pick`'s edge is open:
    /// least connections takes the least loaded of the others, every other algorithm the
    /// next one round from `pick` whose breaker lets calls through. `None` if every breaker
    /// is open.
    fn around_open_breakers<E: Effects>(&self, ctx: &E, pick: usize) -> Option<usize> {
        if !ctx.circuit_open(pick) {
            return Some(pick);
        }
        let n = self.in_flight.len();
        let others = (1..n).map(|step| (pick + step) % n);
        let mut admitting = others.filter(|&link| !ctx.circuit_open(link));
        match self.picker {
            Picker::LeastConnections => admitting.min_by_key(|&link| self.in_flight[link]),
            _ => admitting.next(),
        }
    }

    /// Compiles the algorithm over backends with these ids and weights (in link order).
    pub(crate) fn new(
        config: &LoadBalancerConfig,
        backend_ids: &[&str],
        weights: Vec<f64>,
    ) -> Self {
        let n = backend_ids.len();
        let picker = match config.algorithm {
            Algorithm::RoundRobin => Picker::RoundRobin,
            Algorithm::WeightedRoundRobin => Picker::Weighted {
                credit: vec![0.0; n],
                weights,
            },
            Algorithm::Random => Picker::Random,
            Algorithm::LeastConnections => Picker::LeastConnections,
            Algorithm::IpHash => Picker::IpHash,
            Algorithm::PowerOfTwo => Picker::PowerOfTwo,
            // Validation refuses more than the bound; a scenario compiled anyway (saved before
            // the bound, never validated) gets the largest ring allowed, not 64 GiB.
            Algorithm::ConsistentHash { virtual_nodes } => Picker::Ring(HashRing::new(
                backend_ids,
                virtual_nodes.min(VIRTUAL_NODES.most as u32),
            )),
            Algorithm::WeightedRandom => Picker::WeightedRandom {
                cumulative: routing::cumulative_shares(&weights),
            },
        };
        LoadBalancer {
            picker,
            in_flight: vec![0; n],
            cursor: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder};
    use crate::sim::events::Outcome;

    fn balancer(algorithm: Algorithm, weights: Vec<f64>) -> LoadBalancer {
        let ids = ["a", "b", "c"];
        LoadBalancer::new(
            &LoadBalancerConfig { algorithm },
            &ids[..weights.len()],
            weights,
        )
    }

    /// The link each of `n` requests in a row is sent on.
    fn picks(lb: &mut LoadBalancer, rec: &mut Recorder, n: usize) -> Vec<usize> {
        let frames: Vec<u32> = (0..n).map(|_| rec.arrive(lb, Ask::read(1))).collect();
        let effects = rec.take();
        assert_eq!(effects.len(), n);
        frames
            .iter()
            .zip(effects)
            .map(|(&f, e)| match e {
                Forwarded { frame, link } if frame == f => link,
                other => panic!("expected a call for frame {f}, got {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_backend_whose_breaker_is_open_is_passed_over_and_with_all_open_it_fails_fast() {
        let mut lb = balancer(Algorithm::LeastConnections, vec![1.0; 3]);
        let mut rec = Recorder::new(3);
        // Backend 0 is the least loaded, but its breaker is open: the least loaded of the
        // others (1 and 2, both idle) is taken, in order.
        rec.set_circuit_open(0, true);
        assert_eq!(picks(&mut lb, &mut rec, 3), [1, 2, 1]);
        let mut rr = balancer(Algorithm::RoundRobin, vec![1.0; 3]);
        assert_eq!(
            picks(&mut rr, &mut rec, 3),
            [1, 1, 2],
            "0 is skipped for the next"
        );
        for link in [1, 2] {
            rec.set_circuit_open(link, true);
        }
        let f = rec.arrive(&mut rr, Ask::read(1));
        assert_eq!(
            rec.take(),
            [
                Counted {
                    outcome: Outcome::CircuitOpen
                },
                Responded {
                    frame: f,
                    outcome: Outcome::CircuitOpen,
                    origin: 0
                }
            ]
        );
    }

    #[test]
    fn round_robin_cycles_through_the_backends() {
        let mut lb = balancer(Algorithm::RoundRobin, vec![1.0; 3]);
        let mut rec = Recorder::new(3);
        assert_eq!(picks(&mut lb, &mut rec, 4), [0, 1, 2, 0]);
    }

    #[test]
    fn weighted_round_robin_interleaves_in_proportion_to_the_weights() {
        let mut lb = balancer(Algorithm::WeightedRoundRobin, vec![2.0, 1.0]);
        let mut rec = Recorder::new(2);
        assert_eq!(picks(&mut lb, &mut rec, 6), [0, 1, 0, 0, 1, 0]);
    }

    #[test]
    fn least_connections_picks_the_least_loaded_and_an_answer_frees_its_backend() {
        let mut lb = balancer(Algorithm::LeastConnections, vec![1.0; 2]);
        let mut rec = Recorder::new(2);
        // Ties go round: 0, 1, then 0 again with one in flight on each.
        assert_eq!(picks(&mut lb, &mut rec, 3), [0, 1, 0]);
        rec.answer(&mut lb, 1, Outcome::Ok);
        assert_eq!(
            rec.take(),
            [Responded {
                frame: 1,
                outcome: Outcome::Ok,
                origin: 2
            }],
            "the answer passes back unchanged"
        );
        // In flight: two on 0, none on 1, so 1 takes the next two.
        assert_eq!(picks(&mut lb, &mut rec, 2), [1, 1]);
    }

    #[test]
    fn weighted_random_follows_the_weights_from_the_nodes_stream() {
        // Shares 3/4 and 1/4; 4,000 picks: the count on backend 1 is binomial with mean 1,000
        // and standard deviation sqrt(4000 * 1/4 * 3/4) = 27.4, so 4 of them is +-110.
        let mut lb = balancer(Algorithm::WeightedRandom, vec![3.0, 1.0]);
        let mut rec = Recorder::new(2);
        let picks = picks(&mut lb, &mut rec, 4_000);
        let ones = picks.iter().filter(|&&p| p == 1).count();
        assert!(
            (890..=1_110).contains(&ones),
            "{ones} of 4000 on the 1/4 backend"
        );
        // Random, not a fixed interleaving: some runs of the 1/4 backend are longer than one.
        assert!(picks.windows(2).any(|w| w == [1, 1]));
    }

    /// Variant tags are constants of the link format: pinned here, and each reads back.
    #[test]
    fn each_algorithm_keeps_its_link_tag() {
        use crate::link::v2::{IdIndex, Reader, Writer};
        let all = [
            Algorithm::RoundRobin,
            Algorithm::WeightedRoundRobin,
            Algorithm::Random,
            Algorithm::LeastConnections,
            Algorithm::IpHash,
            Algorithm::PowerOfTwo,
            Algorithm::ConsistentHash { virtual_nodes: 9 },
            Algorithm::WeightedRandom,
        ];
        for (algorithm, tag) in all.into_iter().zip(0u8..) {
            let mut w = Writer::default();
            algorithm.write(&mut w, &IdIndex::new(std::iter::empty()));
            let bytes = w.finish();
            assert_eq!(bytes[0], tag, "{algorithm:?}");
            let mut r = Reader::new(&bytes);
            assert_eq!(
                Algorithm::read(&mut r, &[], "algorithm").unwrap(),
                algorithm
            );
            r.finish().unwrap();
            let json = algorithm.to_tree();
            assert_eq!(Algorithm::from_tree(&json).unwrap(), algorithm);
        }
        assert_eq!(
            crate::json::compact(&Algorithm::WeightedRandom.to_tree()),
            r#""weighted_random""#
        );
    }

    #[test]
    fn ip_hash_keeps_each_caller_on_one_backend() {
        let mut lb = balancer(Algorithm::IpHash, vec![1.0; 3]);
        let mut rec = Recorder::new(3);
        let mut first = Vec::new();
        for round in 0..2 {
            for caller in 0..8 {
                let f = rec.arrive(&mut lb, Ask::read(1).by_caller(caller));
                let [Forwarded { frame, link }] = rec.take()[..] else {
                    panic!("one call expected");
                };
                assert_eq!(frame, f);
                if round == 0 {
                    first.push(link);
                } else {
                    assert_eq!(link, first[caller as usize], "caller {caller} moved");
                }
            }
        }
        assert!(
            first.iter().any(|&l| l != first[0]),
            "callers spread: {first:?}"
        );
    }

    #[test]
    fn virtual_nodes_are_bounded_and_a_ring_over_the_bound_still_builds() {
        let hash = |virtual_nodes| LoadBalancerConfig {
            algorithm: Algorithm::ConsistentHash { virtual_nodes },
        };
        assert!(hash(1).bound_problems().is_empty());
        assert!(hash(1000).bound_problems().is_empty());
        assert!(LoadBalancerConfig::default().bound_problems().is_empty());
        let refused = hash(3_869_357_427).bound_problems();
        assert_eq!(refused[0].0, "algorithm");
        assert!(
            refused[0].1.starts_with(
                "algorithm.virtual_nodes is 3,869,357,427; it must be from 1 to 1,000: "
            ),
            "{}",
            refused[0].1
        );
        assert_eq!(hash(0).bound_problems()[0].0, "algorithm");
        // The link that asked for 2^32 points per backend (64 GiB) builds a ring of 1,000.
        let lb = LoadBalancer::new(&hash(u32::MAX), &["a", "b", "c"], vec![1.0; 3]);
        let Picker::Ring(ring) = &lb.picker else {
            panic!("a ring")
        };
        assert_eq!(ring.points(), 3_000);
        assert!((0..1000).all(|key| ring.lookup(key) < 3));
    }
}
