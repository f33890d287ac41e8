//! Client: a traffic source. It creates requests by an arrival process (workload/arrival.rs),
//! picks each request's key (workload/keys.rs), operation (read or write) and named route, and
//! sends it to the one node it is connected to. The response ends the request here.

use super::settings::settings;
use super::spec::{Finding, KindSpec, Limit, Peers, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group};
use crate::bounds::Bound;
use crate::distributions::{Sampler, Zipf};
use crate::json::{Fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::Stream;
use crate::sim::events::Status;
use crate::sim::frames::{Op, NO_ROUTE};
use crate::time::SimTime;
use crate::workload::arrival::{positive_seconds, Gaps};
pub use crate::workload::{Arrival, KeySpace, Popularity};

/// A client's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "client",
    title: "Client",
    group: Group::Traffic,
    link_tag: 1,
    outcomes: &[],
    rules: Rules {
        callers: Peers::Nobody("a client only sends requests; nothing can call it"),
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "the client sends its requests nowhere: connect it to a load balancer, \
                      gateway or service",
        }),
        max_callees: Some(Limit {
            most: 1,
            code: "client_fan_out",
            message: "a client sends to one entry point; put a load balancer in front of several",
        }),
        ..Rules::OPEN
    },
};

/// How many named routes one client may send on. A request carries its route's id in 16 bits:
/// at a hundred per client, every route of a scenario's at most 500 nodes has one (50,000 of
/// 65,535), so no two names ever share an id.
pub const CLIENT_ROUTES: Bound = Bound::new(
    0.0,
    100.0,
    "a request carries its route's number in 16 bits, which a hundred routes for each of 500 \
     nodes still fit",
);
const _: () = assert!(
    crate::scenario::MAX_NODES as f64 * CLIENT_ROUTES.most < NO_ROUTE as f64,
    "every route of every client has an id"
);

settings! {
    /// How a client produces traffic.
    pub struct ClientConfig as "client" {
        /// When requests are created.
        arrival: Arrival = Arrival::Poisson { rate_per_s: 100.0 }, tag 1, always;
        /// Which keys they touch.
        keys: KeySpace = KeySpace::default(), tag 2, always;
        /// Fraction of requests that are reads; the rest are writes.
        read_ratio: f64 = 0.9, tag 3, always;
        /// Distinct callers (for IP-hash routing); each request comes from one at random.
        clients: u64 = 1000, tag 4, always;
        /// Named routes (for an API gateway) and their shares of the traffic.
        routes: Vec<WeightedRoute> = Vec::new(), tag 5, changed, within CLIENT_ROUTES;
        /// Fraction of reads that are scans: queries without a shard key, which a shard
        /// router sends to every shard it has (the answer waits for the slowest).
        scan_ratio: f64 = 0.0, tag 6, changed;
    }
}

/// A named route and its share.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedRoute {
    /// The route's name, matched by gateways.
    pub name: String,
    /// Relative share of requests.
    pub weight: f64,
}

impl FromJson for WeightedRoute {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["name", "weight"])?;
        Ok(WeightedRoute {
            name: f.req("name")?,
            weight: f.req("weight")?,
        })
    }
}

impl ToJson for WeightedRoute {
    fn to_tree(&self) -> Json {
        Json::object([
            ("name", self.name.to_tree()),
            ("weight", self.weight.to_tree()),
        ])
    }
}

impl Config for ClientConfig {
    fn route_names(&self) -> Vec<&str> {
        self.routes.iter().map(|r| r.name.as_str()).collect()
    }

    fn nested_bound_problems(&self) -> Vec<(&'static str, String)> {
        let mut out = self.arrival.problems();
        out.extend(self.keys.popularity.problems());
        out
    }

    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.keys.count == 0 {
            out.push(("keys.count", "the key space needs at least one key".into()));
        }
        if !(0.0..=1.0).contains(&self.read_ratio) {
            out.push((
                "read_ratio",
                "the read ratio is a fraction between 0 and 1".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.scan_ratio) {
            out.push((
                "scan_ratio",
                "the scan ratio is a fraction of the reads, between 0 and 1".into(),
            ));
        }
        if self.clients == 0 {
            out.push(("clients", "there must be at least one caller".into()));
        }
        for r in &self.routes {
            if !positive_seconds(r.weight) {
                out.push(("routes", format!("route `{}` needs a weight > 0", r.name)));
            }
        }
        out
    }
}

/// In a version-2 link: the name, then the weight.
impl LinkValue for WeightedRoute {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.string(&self.name);
        w.number(self.weight);
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(WeightedRoute {
            name: r.string(field)?,
            weight: r.number(field)?,
        })
    }
}

impl ClientConfig {
    /// The mean request rate over the long run, for capacity hints.
    pub fn mean_rate_per_s(&self) -> f64 {
        self.arrival.mean_rate_per_s()
    }
}

/// The runtime state of a client node.
pub struct Client {
    gaps: Gaps,
    /// A closed loop's users and their think time; `None` for open-loop arrivals.
    users: Option<(u32, Sampler)>,
    key_count: u64,
    zipf: Option<Zipf>,
    read_ratio: f64,
    scan_ratio: f64,
    callers: u64,
    /// Cumulative route weights, normalised to 1, with the route's index in the run's table.
    routes: Vec<(f64, u16)>,
}

impl Behaviour for Client {
    type Config = ClientConfig;

    /// Compiles the config against the run's route table.
    fn build(config: &ClientConfig, wiring: &Wiring) -> Self {
        let total: f64 = config.routes.iter().map(|r| r.weight).sum();
        let mut acc = 0.0;
        let routes = config
            .routes
            .iter()
            .map(|r| {
                acc += r.weight / total;
                (acc, wiring.route_id(&r.name))
            })
            .collect();
        let users = match &config.arrival {
            Arrival::ClosedLoop { users, think_time } => Some((*users, think_time.sampler())),
            _ => None,
        };
        Client {
            gaps: Gaps::new(&config.arrival),
            users,
            key_count: config.keys.count.max(1),
            zipf: match config.keys.popularity {
                Popularity::Zipf { s } => Some(Zipf::new(config.keys.count.max(1), s)),
                Popularity::Uniform => None,
            },
            read_ratio: config.read_ratio,
            scan_ratio: config.scan_ratio,
            callers: config.clients.max(1),
            routes,
        }
    }

    fn on_generate<E: Effects>(&mut self, ctx: &mut E) {
        self.generate(ctx);
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        ctx.finish(frame, status);
        // In a closed loop the user who was waiting thinks, then sends the next request.
        if let Some((_, think)) = &self.users {
            if !ctx.arrivals_exhausted() {
                let pause = think.sample(ctx.rng());
                let next = ctx.now().saturating_add(pause);
                ctx.generate_at(next);
            }
        }
    }
}

impl Client {
    /// The time of the first arrival, if any.
    /// The times of the first arrivals: the first of an open-loop process, or each closed-loop
    /// user's first request after a first think.
    pub(crate) fn first_arrivals(&mut self, rng: &mut Stream) -> Vec<SimTime> {
        match &self.users {
            Some((users, think)) => (0..*users).map(|_| think.sample(rng)).collect(),
            None => self.gaps.next(0, rng).into_iter().collect(),
        }
    }

    fn generate<E: Effects>(&mut self, ctx: &mut E) {
        if ctx.arrivals_exhausted() {
            return;
        }
        let rng = ctx.rng();
        let key = match &self.zipf {
            Some(z) => z.sample(rng) - 1, // rank 1, the most popular, is key 0
            None => rng.below(self.key_count),
        };
        let op = if rng.chance(self.read_ratio) {
            Op::Read
        } else {
            Op::Write
        };
        let client_id = rng.below(self.callers);
        let route = self.pick_route(rng);
        // Drawn last, and only by a client that sends scans: the draws of one without them
        // stay what they were before scans existed.
        let scan = op == Op::Read && self.scan_ratio > 0.0 && rng.chance(self.scan_ratio);
        let frame = ctx.begin_request(key, client_id, op, scan, route);
        ctx.forward(frame, 0);
        self.schedule_next(ctx);
    }

    /// Draws the next arrival from now, at the rate a spike (if any) multiplies.
    fn schedule_next<E: Effects>(&mut self, ctx: &mut E) {
        if ctx.arrivals_exhausted() {
            return;
        }
        let now = ctx.now();
        let Some(next) = self.gaps.next(now, ctx.rng()) else {
            return;
        };
        let factor = ctx.rate_factor();
        let next = if factor == 1.0 {
            next
        } else {
            // The gap shrinks by the factor: a Poisson or constant client's rate is exactly
            // multiplied; bursts and ramps keep their shape at the time the gap was drawn.
            now.saturating_add(((next - now) as f64 / factor) as SimTime)
        };
        ctx.generate_at(next);
    }

    /// A spike starts or ends: the arrival drawn at the old rate is void (the simulation has
    /// moved the epoch on), and the next one is drawn at the new rate from now. A closed
    /// loop's users keep their own pace (validation keeps spikes off them).
    pub(crate) fn redraw<E: Effects>(&mut self, ctx: &mut E) {
        if self.users.is_none() {
            self.schedule_next(ctx);
        }
    }

    /// The first route whose cumulative share passes a uniform draw (the last if rounding
    /// leaves the total short of 1), found by bisection.
    fn pick_route(&self, rng: &mut Stream) -> u16 {
        if self.routes.is_empty() {
            return NO_ROUTE;
        }
        let u = rng.open01();
        let i = self
            .routes
            .partition_point(|&(cumulative, _)| cumulative <= u);
        self.routes[i.min(self.routes.len() - 1)].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Effect::*, Recorder};
    use crate::components::wiring::RouteTable;
    use crate::sim::events::Outcome;

    #[test]
    fn bad_values_are_named() {
        let c = ClientConfig {
            arrival: Arrival::Poisson { rate_per_s: -5.0 },
            read_ratio: 1.5,
            ..ClientConfig::default()
        };
        let fields: Vec<_> = c.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["read_ratio"]);
        // A rate outside its bound is reported as a bound (a link saved before it opens).
        let bounds: Vec<_> = c
            .nested_bound_problems()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(bounds, ["arrival.rate_per_s"]);
        assert!(ClientConfig::default().problems().is_empty());
        assert!(ClientConfig::default().nested_bound_problems().is_empty());
    }

    /// One read of key 0 by caller 0 every millisecond, on the named routes `routes` of the
    /// run's table `table`.
    fn client(routes: Vec<WeightedRoute>, table: &[String]) -> Client {
        let config = ClientConfig {
            arrival: Arrival::Constant { rate_per_s: 1000.0 },
            keys: KeySpace {
                count: 1,
                popularity: Popularity::Uniform,
            },
            read_ratio: 1.0,
            clients: 1,
            routes,
            scan_ratio: 0.0,
        };
        let table = RouteTable::new(table.iter().map(String::as_str));
        let wiring = Wiring {
            links: &[],
            peers: Vec::new(),
            routes: &table,
        };
        Client::build(&config, &wiring)
    }

    #[test]
    fn an_arrival_begins_a_request_sends_it_and_schedules_the_next() {
        let (mut c, mut rec) = (client(Vec::new(), &[]), Recorder::new(1));
        rec.at_ms(3.0);
        rec.generate(&mut c);
        assert_eq!(
            rec.take(),
            [
                RequestBegun {
                    frame: 0,
                    key: 0,
                    client_id: 0,
                    op: Op::Read,
                    route: NO_ROUTE
                },
                Forwarded { frame: 0, link: 0 },
                Generated { at: 4_000_000 },
            ]
        );
    }

    #[test]
    fn arrivals_stop_once_the_request_budget_is_spent() {
        let (mut c, mut rec) = (client(Vec::new(), &[]), Recorder::new(1));
        rec.allow_arrivals(1);
        rec.generate(&mut c);
        let effects = rec.take();
        assert!(matches!(
            effects[..],
            [RequestBegun { .. }, Forwarded { .. }]
        ));
        rec.generate(&mut c);
        assert_eq!(rec.take(), []);
    }

    #[test]
    fn the_answer_ends_the_request() {
        let (mut c, mut rec) = (client(Vec::new(), &[]), Recorder::new(1));
        rec.generate(&mut c);
        rec.take();
        rec.answer(&mut c, 0, Outcome::TimedOut);
        assert_eq!(
            rec.take(),
            [Finished {
                frame: 0,
                outcome: Outcome::TimedOut,
                origin: 1
            }]
        );
        assert!(rec.is_free(0));
    }

    #[test]
    fn a_request_carries_its_named_route_and_operation() {
        let orders = WeightedRoute {
            name: "orders".into(),
            weight: 1.0,
        };
        let table = ["catalog".to_string(), "orders".to_string()];
        let mut c = client(vec![orders], &table);
        c.read_ratio = 0.0;
        let mut rec = Recorder::new(1);
        rec.generate(&mut c);
        assert_eq!(
            rec.take()[0],
            RequestBegun {
                frame: 0,
                key: 0,
                client_id: 0,
                op: Op::Write,
                route: 1
            }
        );
    }

    #[test]
    fn a_hundred_routes_are_allowed_and_picked_by_their_shares() {
        let routes: Vec<WeightedRoute> = (0..100)
            .map(|i| WeightedRoute {
                name: format!("r{i}"),
                weight: if i == 99 { 99.0 } else { 1.0 },
            })
            .collect();
        let table: Vec<String> = routes.iter().rev().map(|r| r.name.clone()).collect();
        let config = ClientConfig {
            routes: routes.clone(),
            ..ClientConfig::default()
        };
        assert!(config.bound_problems().is_empty());
        let c = client(routes.clone(), &table);
        // r99 is route 0 in the run's table and has half the weight.
        let mut rng = Stream::from_seed(6);
        let n = 100_000;
        let hits = (0..n).filter(|_| c.pick_route(&mut rng) == 0).count() as f64;
        assert!((hits / n as f64 - 0.5).abs() < 0.01, "{hits}");
        let mut more = routes;
        more.push(WeightedRoute {
            name: "one too many".into(),
            weight: 1.0,
        });
        let over = ClientConfig {
            routes: more,
            ..ClientConfig::default()
        };
        let refused = over.bound_problems();
        assert_eq!(refused[0].0, "routes");
        assert!(refused[0]
            .1
            .starts_with("routes is 101; it must be from 0 to 100: "));
    }
}
