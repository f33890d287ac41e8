//! Random scenarios that validate: graphs grown the way people draw them (each node called by
//! an earlier one, plus now and then an extra edge that may loop), every kind, every config
//! field at a random non-default value about half of the time, numbers of every shape (whole,
//! thousandths, arbitrary fractions), ids in the editor's style and hand-written, labels in
//! any script. For the link codec's round-trip property and its fuzz corpus.

use pattern_engine::bounds::Bound;
use pattern_engine::components::api_gateway::{Match, Route};
use pattern_engine::components::cache::CACHE_KEYS;
use pattern_engine::components::client::{Arrival, Popularity, WeightedRoute};
use pattern_engine::components::load_balancer::{Algorithm, VIRTUAL_NODES};
use pattern_engine::components::scatter_gather::WaitFor;
use pattern_engine::components::shard_router::{Scheme, MOVE_RATE};
use pattern_engine::components::{Component, Kind, Slowdown, QUEUE_PLACES, SERVERS};
use pattern_engine::distributions::Duration;
use pattern_engine::random::Stream;
use pattern_engine::scenario::validate::MAX_RUN_REQUESTS;
use pattern_engine::scenario::{Edge, Node, RunSpec, Scenario, HOPS, TRACE_EVERY};

/// Whether a node of kind `from`, already calling `outs` nodes, may also call a `to`: the
/// kinds' declared rules, plus the generator's own limit (it writes no gateway rules, so a
/// gateway gets one backend).
pub fn may_call(from: Kind, to: Kind, outs: usize) -> bool {
    let room = from
        .spec()
        .rules
        .max_callees
        .as_ref()
        .is_none_or(|limit| outs < limit.most);
    let generator_allows = from != Kind::ApiGateway || outs == 0;
    from.connection_problem(to).is_none() && room && generator_allows
}

/// Whether a node of kind `to` may take one more caller than it has (it has at least one).
fn may_take_another_caller(to: Kind) -> bool {
    to.accepts_calls() && to.spec().rules.max_callers.is_none()
}

/// The first kind that may end a path from a `from`: what to connect when it needs a callee.
fn terminal_for(from: Kind) -> Kind {
    [Kind::Database, Kind::Worker]
        .into_iter()
        .find(|&end| from.connection_problem(end).is_none())
        .unwrap_or(Kind::Database)
}

/// A random scenario that validates, from `seed`; `texts` (any Unicode) supply the name,
/// description, labels and route names.
pub fn random_valid_scenario(seed: u64, texts: &[String]) -> Scenario {
    let mut g = Gen {
        rng: Stream::from_seed(seed),
        texts,
        next_text: 0,
    };
    let (kinds, edges) = g.graph();
    let ids = g.ids(&kinds);
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .map(|(a, b)| g.edge(&ids[a], &ids[b], kinds[a], kinds[b]))
        .collect();
    if g.rng.chance(0.3) {
        edges.reverse();
    }
    let nodes = (0..kinds.len())
        .map(|i| g.node(i, &kinds, &ids, &edges))
        .collect();
    let looped = edges.len() >= kinds.len();
    let mut scenario = Scenario {
        version: 1,
        name: g.text(),
        description: g.text(),
        seed: g.rng.below(u64::MAX),
        run: g.run(looped),
        nodes,
        edges,
        faults: Vec::new(),
    };
    keep_timed_runs_within_the_request_bound(&mut scenario);
    scenario
}

/// A timed run may make at most as many requests as a counted one: shortens the duration
/// (and the warm-up with it) until the open-loop clients' rates times it fit.
fn keep_timed_runs_within_the_request_bound(s: &mut Scenario) {
    let rate = s.open_loop_rate_per_s();
    if let Some(d) = s.run.duration_s.as_mut() {
        let most = (MAX_RUN_REQUESTS as f64 / rate).floor().max(1.0);
        if *d > most {
            *d = most;
            s.run.warmup_s = s.run.warmup_s.min(most * 0.5);
        }
    }
}

struct Gen<'a> {
    rng: Stream,
    texts: &'a [String],
    next_text: usize,
}

impl Gen<'_> {
    fn text(&mut self) -> String {
        self.next_text += 1;
        self.texts
            .get(self.next_text - 1)
            .cloned()
            .unwrap_or_default()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.below(items.len() as u64) as usize]
    }

    /// A number in (lo, hi]: whole, in thousandths, or an arbitrary fraction.
    fn number(&mut self, lo: f64, hi: f64) -> f64 {
        let x = lo + (hi - lo) * self.rng.open01();
        let shaped = match self.rng.below(3) {
            0 => x.ceil(),
            1 => (x * 1000.0).ceil() / 1000.0,
            _ => x,
        };
        shaped.clamp(lo, hi)
    }

    /// A whole number inside `bound`: often one of its ends, where encodings break.
    fn count(&mut self, bound: Bound) -> u64 {
        let (least, most) = (bound.least as u64, bound.most as u64);
        match self.rng.below(4) {
            0 => least,
            1 => most,
            _ => least + self.rng.below(most - least + 1),
        }
    }

    fn positive(&mut self, hi: f64) -> f64 {
        self.number(0.001, hi)
    }

    /// Kinds and edges (as index pairs) of a graph whose every node has what it needs.
    fn graph(&mut self) -> (Vec<Kind>, Vec<(usize, usize)>) {
        let most = if self.rng.chance(0.1) { 40 } else { 12 };
        let target = 2 + self.rng.below(most) as usize;
        let mut kinds = vec![Kind::Client];
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let outs = |edges: &[(usize, usize)], i: usize| edges.iter().filter(|e| e.0 == i).count();
        // A graph can close (a client straight to a database): then it stays small.
        for _ in 0..target * 20 {
            if kinds.len() >= target {
                break;
            }
            let kind = Kind::ALL[1 + self.rng.below(Kind::ALL.len() as u64 - 1) as usize];
            let callers: Vec<usize> = (0..kinds.len())
                .filter(|&j| may_call(kinds[j], kind, outs(&edges, j)))
                .collect();
            if callers.is_empty() {
                continue;
            }
            let from = self.pick(&callers);
            edges.push((from, kinds.len()));
            kinds.push(kind);
        }
        // Every kind that must send somewhere (a balancer, a gateway, a queue) gets a terminal.
        for i in 0..kinds.len() {
            let rules = &kinds[i].spec().rules;
            let needs = rules.without_callees.as_ref().is_some_and(|f| f.stops_run);
            if needs && outs(&edges, i) == 0 {
                edges.push((i, kinds.len()));
                kinds.push(terminal_for(kinds[i]));
            }
        }
        // A second client now and then, and extra edges that may make loops.
        if self.rng.chance(0.3) {
            let targets: Vec<usize> = (0..kinds.len())
                .filter(|&j| kinds[j] != Kind::Client && may_call(Kind::Client, kinds[j], 0))
                .collect();
            let to = self.pick(&targets);
            edges.push((kinds.len(), to));
            kinds.push(Kind::Client);
        }
        for _ in 0..self.rng.below(3) {
            let (a, b) = (
                self.rng.below(kinds.len() as u64) as usize,
                self.rng.below(kinds.len() as u64) as usize,
            );
            let fan_in_ok = may_take_another_caller(kinds[b]);
            if a != b
                && fan_in_ok
                && !edges.contains(&(a, b))
                && may_call(kinds[a], kinds[b], outs(&edges, a))
            {
                edges.push((a, b));
            }
        }
        (kinds, edges)
    }

    fn ids(&mut self, kinds: &[Kind]) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let id = match self.rng.below(3) {
                0 => format!("{}_{}", kind.name(), i + 1),
                1 => format!("n{i}"),
                _ => {
                    let len = 1 + self.rng.below(12);
                    let mut id: String = (0..len)
                        .map(|_| self.pick(&b"abcdefghijklmnopqrstuvwxyz0123456789_"[..]) as char)
                        .collect();
                    id.push_str(&format!("_{i}"));
                    id
                }
            };
            ids.push(id);
        }
        ids
    }

    fn edge(&mut self, from: &str, to: &str, from_kind: Kind, to_kind: Kind) -> Edge {
        let mut edge = Edge::new(from, to, 0.0);
        if self.rng.chance(0.7) {
            let most = 86_400_000.0 * self.rng.open01().powi(4);
            edge.latency_ms = self.number(0.0, most);
        }
        if self.rng.chance(0.3) {
            edge.weight = self.positive(100.0);
        }
        if matches!(from_kind, Kind::Service | Kind::Worker) && self.rng.chance(0.3) {
            edge.probability = self.number(0.0, 1.0);
        }
        // A publish to a queue waits for no answer: nothing to retry, break or hedge.
        if to_kind != Kind::Queue {
            self.answer_policies(&mut edge);
        }
        edge
    }

    /// Maybe a retry or a hedge (not both), maybe a breaker, each with valid random settings.
    fn answer_policies(&mut self, edge: &mut Edge) {
        use pattern_engine::scenario::policies::{
            BreakerPolicy, HedgePolicy, RetryPolicy, ATTEMPTS, HALF_OPEN_CALLS, MINIMUM_CALLS,
        };
        use pattern_engine::scenario::{Backoff, BreakerWindow, Jitter};
        if self.rng.chance(0.15) {
            let base_ms = self.number(0.0, 5_000.0);
            let budget = self.rng.below(3);
            edge.retry = Some(RetryPolicy {
                max_attempts: self.count(ATTEMPTS) as u32,
                backoff: self.pick(Backoff::ALL),
                base_ms,
                cap_ms: self.number(base_ms, 60_000.0),
                jitter: self.pick(Jitter::ALL),
                retry_on: vec!["timed_out".into(), "failed_error".into()],
                budget_percent: (budget == 1).then(|| self.number(0.0, 100.0)),
                token_bucket: (budget == 2).then(|| self.number(1.0, 100.0)),
                ..RetryPolicy::default()
            });
        } else if self.rng.chance(0.1) {
            edge.hedge = Some(HedgePolicy {
                delay_ms: self.positive(1_000.0),
                at_p95: self.rng.chance(0.5),
            });
        }
        if self.rng.chance(0.1) {
            edge.breaker = Some(BreakerPolicy {
                window: self.pick(BreakerWindow::ALL),
                window_size: 1 + self.rng.below(200) as u32,
                minimum_calls: self.count(MINIMUM_CALLS) as u32,
                failure_rate_percent: self.number(1.0, 100.0),
                open_ms: self.positive(60_000.0),
                half_open_calls: self.count(HALF_OPEN_CALLS) as u32,
                ..BreakerPolicy::default()
            });
        }
    }

    fn node(&mut self, i: usize, kinds: &[Kind], ids: &[String], edges: &[Edge]) -> Node {
        let id = ids[i].clone();
        let label = match self.rng.below(4) {
            0 => String::new(),
            1 => pattern_engine::components::Kind::title(kinds[i]).to_string(),
            _ => self.text(),
        };
        let targets: Vec<&str> = edges
            .iter()
            .filter(|e| e.from == id)
            .map(|e| e.to.as_str())
            .collect();
        let component = self.component(kinds[i], &targets, ids, kinds);
        let (x, y) = (self.position(), self.position());
        Node {
            id,
            label,
            x,
            y,
            component,
        }
    }

    fn position(&mut self) -> f64 {
        match self.rng.below(3) {
            0 => (self.rng.below(200) as f64 - 50.0) * 20.0,
            1 => self.rng.below(5000) as f64 - 1000.0,
            _ => self.rng.open01() * 4000.0 - 1000.0,
        }
    }

    fn maybe(&mut self) -> bool {
        self.rng.chance(0.5)
    }

    fn duration(&mut self) -> Duration {
        let hi = 86_400_000.0 * self.rng.open01().powi(6);
        match self.rng.below(3) {
            0 => Duration::Constant {
                ms: self.number(0.0, hi),
            },
            1 => Duration::Exponential {
                mean_ms: self.positive(hi.max(0.001)),
            },
            _ => Duration::LogNormal {
                median_ms: self.positive(hi.max(0.001)),
                sigma: self.number(0.0, 4.0),
            },
        }
    }

    fn component(
        &mut self,
        kind: Kind,
        targets: &[&str],
        ids: &[String],
        kinds: &[Kind],
    ) -> Component {
        let mut c = Component::default_of(kind);
        match &mut c {
            Component::Client(c) => {
                if self.maybe() {
                    c.arrival = self.arrival();
                }
                if self.maybe() {
                    c.keys.count = 1 + self.rng.below(1 << 40);
                }
                if self.maybe() {
                    c.keys.popularity = Popularity::Zipf {
                        s: self.positive(10.0),
                    };
                }
                if self.maybe() {
                    c.read_ratio = self.number(0.0, 1.0);
                }
                if self.maybe() {
                    c.clients = 1 + self.rng.below(1 << 50);
                }
                for _ in 0..self.rng.below(3) {
                    let name = self.text();
                    let weight = self.positive(1000.0);
                    c.routes.push(WeightedRoute { name, weight });
                }
                if self.maybe() {
                    c.scan_ratio = self.number(0.0, 1.0);
                }
            }
            Component::ShardRouter(c) => {
                c.scheme = match self.rng.below(3) {
                    0 => Scheme::Range {
                        // Ascending, one fewer than the shards.
                        splits: (0..targets.len().saturating_sub(1))
                            .scan(0, |at, _| {
                                *at += 1 + self.rng.below(1 << 20);
                                Some(*at)
                            })
                            .collect(),
                    },
                    1 => Scheme::ConsistentHash {
                        virtual_nodes: self.count(VIRTUAL_NODES) as u32,
                    },
                    _ => Scheme::Modulo,
                };
                if self.maybe() {
                    c.move_rate_keys_per_s = self.positive(MOVE_RATE.most).max(MOVE_RATE.least);
                }
            }
            Component::LoadBalancer(c) => {
                c.algorithm = match self.rng.below(8) {
                    0 => Algorithm::WeightedRoundRobin,
                    1 => Algorithm::Random,
                    2 => Algorithm::LeastConnections,
                    3 => Algorithm::IpHash,
                    4 => Algorithm::PowerOfTwo,
                    5 => Algorithm::ConsistentHash {
                        virtual_nodes: self.count(VIRTUAL_NODES) as u32,
                    },
                    _ => Algorithm::RoundRobin,
                };
            }
            Component::ApiGateway(c) => {
                if targets.len() > 1 || self.maybe() {
                    for _ in 0..1 + self.rng.below(4) {
                        let to = self.pick(targets).to_string();
                        let matches = match self.rng.below(4) {
                            0 => Match::Any,
                            1 => Match::Read,
                            2 => Match::Write,
                            _ => Match::Route(self.text()),
                        };
                        c.routes.push(Route { matches, to });
                    }
                }
            }
            Component::ScatterGather(c) => {
                if self.maybe() {
                    c.workers = self.count(SERVERS) as u32;
                }
                if self.maybe() {
                    c.queue_capacity = Some(self.count(QUEUE_PLACES));
                }
                if self.maybe() {
                    c.service_time = self.duration();
                }
                let most = targets.len().max(1) as u64;
                c.wait_for = match self.rng.below(3) {
                    0 => WaitFor::First,
                    1 => WaitFor::Quorum {
                        answers: 1 + self.rng.below(most) as u32,
                    },
                    _ => WaitFor::All,
                };
            }
            Component::Service(c) => {
                if self.maybe() {
                    c.workers = self.count(SERVERS) as u32;
                }
                if self.maybe() {
                    c.queue_capacity = Some(self.count(QUEUE_PLACES));
                }
                if self.maybe() {
                    c.service_time = self.duration();
                }
                if self.maybe() {
                    c.timeout_ms = Some(self.positive(86_400_000.0));
                }
                c.release_while_waiting = self.maybe();
                if self.maybe() {
                    c.slowdown = self.slowdown();
                }
                let callable: Vec<&str> = targets
                    .iter()
                    .copied()
                    .filter(|t| {
                        ids.iter()
                            .position(|id| id == t)
                            .is_some_and(|j| kinds[j] != Kind::Queue)
                    })
                    .collect();
                if !callable.is_empty() && self.maybe() {
                    for _ in 0..1 + self.rng.below(callable.len() as u64) {
                        let call = self.pick(&callable).to_string();
                        if !c.calls.contains(&call) {
                            c.calls.push(call);
                        }
                    }
                }
            }
            Component::Cache(c) => {
                if self.maybe() {
                    c.capacity_keys = self.count(CACHE_KEYS);
                }
                if self.maybe() {
                    c.ttl_ms = Some(self.positive(1e12));
                }
                if self.maybe() {
                    c.lookup_ms = self.number(0.0, 86_400_000.0);
                }
            }
            Component::Database(c) => {
                if self.maybe() {
                    c.connections = self.count(SERVERS) as u32;
                }
                if self.maybe() {
                    c.queue_capacity = Some(self.count(QUEUE_PLACES));
                }
                if self.maybe() {
                    c.read_time = self.duration();
                }
                if self.maybe() {
                    c.write_time = self.duration();
                }
                if self.maybe() {
                    c.slowdown = self.slowdown();
                }
            }
            Component::Queue(c) => {
                if self.maybe() {
                    c.capacity = Some(self.count(QUEUE_PLACES));
                }
            }
            Component::Worker(c) => {
                if self.maybe() {
                    c.concurrency = self.count(SERVERS) as u32;
                }
                if self.maybe() {
                    c.service_time = self.duration();
                }
            }
        }
        c
    }

    fn slowdown(&mut self) -> Slowdown {
        if self.maybe() {
            Slowdown::Linear {
                per_busy: self.number(0.0, 10.0),
            }
        } else {
            Slowdown::Exponential {
                per_busy: self.number(0.0, 1.0),
            }
        }
    }

    fn arrival(&mut self) -> Arrival {
        let rate = |g: &mut Self| g.number(0.001, 1e7);
        match self.rng.below(5) {
            0 => Arrival::Poisson {
                rate_per_s: rate(self),
            },
            4 => Arrival::ClosedLoop {
                users: 1 + self.rng.below(1000) as u32,
                think_time: self.duration(),
            },
            1 => Arrival::Constant {
                rate_per_s: rate(self),
            },
            2 => {
                let period_s = self.positive(3e7);
                Arrival::Bursts {
                    base_rate_per_s: if self.maybe() { 0.0 } else { rate(self) },
                    burst_rate_per_s: rate(self),
                    period_s,
                    burst_s: self.number(0.001, period_s.max(0.001)).min(period_s),
                }
            }
            _ => Arrival::Ramp {
                from_per_s: if self.maybe() { 0.0 } else { rate(self) },
                to_per_s: rate(self),
                over_s: self.positive(3e7),
            },
        }
    }

    fn run(&mut self, looped: bool) -> RunSpec {
        let mut run = RunSpec::default();
        if self.maybe() {
            run.requests = None;
            run.duration_s = Some(self.positive(1e7));
        } else if self.maybe() {
            run.requests = Some(1 + self.rng.below(1_000_000_000));
        }
        if self.maybe() {
            let most = run.duration_s.map_or(1e7, |d| d * 0.99);
            run.warmup_s = self.number(0.0, most);
        }
        if self.maybe() {
            run.window_s = self.number(0.001, 1e6);
        }
        if self.maybe() {
            run.trace_every = self.count(TRACE_EVERY);
        }
        if looped || self.maybe() {
            run.hop_limit = Some(self.count(HOPS) as u32);
        }
        run
    }
}

/// A diagram as the editor makes one (two clients, a load balancer, `services` service/cache/
/// database rows, a queue and a worker: 20 nodes for 5 services): the editor's ids and labels, grid positions,
/// 1 ms edges, a few settings changed in the inspector. The size benchmark's typical link.
pub fn editor_scenario(services: usize) -> Scenario {
    let mut s = Scenario {
        version: 1,
        name: "My architecture".into(),
        description: String::new(),
        seed: 7,
        run: RunSpec::default(),
        nodes: Vec::new(),
        edges: Vec::new(),
        faults: Vec::new(),
    };
    let add = |s: &mut Scenario, kind: Kind, col: usize, row: usize| {
        let n = s
            .nodes
            .iter()
            .filter(|n| n.component.kind() == kind)
            .count()
            + 1;
        s.nodes.push(Node {
            id: format!("{}_{n}", kind.name()),
            label: format!("{} {n}", kind.title()),
            x: col as f64 * 220.0,
            y: row as f64 * 140.0,
            component: Component::default_of(kind),
        });
        s.nodes.last().unwrap().id.clone()
    };
    let client = add(&mut s, Kind::Client, 0, 1);
    let mobile = add(&mut s, Kind::Client, 0, 3);
    let lb = add(&mut s, Kind::LoadBalancer, 1, 2);
    s.edges.push(Edge::new(&client, &lb, 20.0));
    s.edges.push(Edge::new(&mobile, &lb, 60.0));
    for i in 0..services {
        let svc = add(&mut s, Kind::Service, 2, i);
        let cache = add(&mut s, Kind::Cache, 3, i);
        let db = add(&mut s, Kind::Database, 4, i);
        s.edges.push(Edge::new(&lb, &svc, 1.0));
        s.edges.push(Edge::new(&svc, &cache, 1.0));
        s.edges.push(Edge::new(&cache, &db, 1.0));
        let at = s.nodes.len() - 3;
        if let Component::Service(c) = &mut s.nodes[at].component {
            c.workers = 8;
            c.timeout_ms = Some(500.0);
        }
    }
    let queue = add(&mut s, Kind::Queue, 3, services);
    let worker = add(&mut s, Kind::Worker, 4, services);
    s.edges.push(Edge::new("service_1", &queue, 1.0));
    s.edges.push(Edge::new(&queue, &worker, 1.0));
    s
}
