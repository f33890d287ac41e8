//! Client: a traffic source. It creates requests by an arrival process, picks each request's
//! key (uniform or Zipf-popular), operation (read or write) and named route, and sends it to
//! the one node it is connected to. The response ends the request here.

use super::spec::{Finding, KindSpec, Limit, Peers, Rules};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group};
use crate::distributions::{exponential, Zipf};
use crate::json::{variant, variant_fields, Fields, FromJson, Json, ReadError, ToJson};
use crate::random::Stream;
use crate::sim::events::Status;
use crate::sim::frames::{Op, NO_ROUTE};
use crate::time::{SimTime, NANOS_PER_S};

/// A client's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "client",
    title: "Client",
    group: Group::Traffic,
    link_tag: 1,
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

/// The slowest steady rate a client may have, per second.
pub const MIN_RATE_PER_S: f64 = 0.001;
/// The fastest rate a client may have, per second.
pub const MAX_RATE_PER_S: f64 = 1e7;
/// The longest burst period or ramp, in seconds (about a year).
pub const MAX_SECONDS: f64 = 3e7;

/// How a client produces traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientConfig {
    /// When requests are created.
    pub arrival: Arrival,
    /// Which keys they touch.
    pub keys: KeySpace,
    /// Fraction of requests that are reads; the rest are writes.
    pub read_ratio: f64,
    /// Distinct callers (for IP-hash routing); each request comes from one at random.
    pub clients: u64,
    /// Named routes (for an API gateway) and their shares of the traffic.
    pub routes: Vec<WeightedRoute>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            arrival: Arrival::Poisson { rate_per_s: 100.0 },
            keys: KeySpace::default(),
            read_ratio: 0.9,
            clients: 1000,
            routes: Vec::new(),
        }
    }
}

/// An arrival process.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrival {
    /// Independent arrivals at a steady mean rate (exponential gaps): open-loop web traffic.
    Poisson {
        /// Mean requests per second.
        rate_per_s: f64,
    },
    /// Exactly evenly spaced arrivals.
    Constant {
        /// Requests per second.
        rate_per_s: f64,
    },
    /// Poisson traffic that jumps to a burst rate for `burst_s` at the start of every period.
    Bursts {
        /// Rate between bursts.
        base_rate_per_s: f64,
        /// Rate during a burst.
        burst_rate_per_s: f64,
        /// Time from one burst's start to the next.
        period_s: f64,
        /// How long each burst lasts.
        burst_s: f64,
    },
    /// Poisson traffic whose rate climbs linearly, then holds.
    Ramp {
        /// Rate at time zero.
        from_per_s: f64,
        /// Rate reached at `over_s` and held after.
        to_per_s: f64,
        /// Length of the climb.
        over_s: f64,
    },
}

impl Arrival {
    /// The highest rate this process ever reaches, per second.
    pub fn peak_rate_per_s(&self) -> f64 {
        match *self {
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                ..
            } => base_rate_per_s.max(burst_rate_per_s),
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                ..
            } => from_per_s.max(to_per_s),
        }
    }
}

/// Which keys requests touch.
#[derive(Clone, Debug, PartialEq)]
pub struct KeySpace {
    /// Number of distinct keys.
    pub count: u64,
    /// How popular each key is.
    pub popularity: Popularity,
}

impl Default for KeySpace {
    fn default() -> Self {
        KeySpace {
            count: 10_000,
            popularity: Popularity::Uniform,
        }
    }
}

/// Key popularity.
#[derive(Clone, Debug, PartialEq)]
pub enum Popularity {
    /// Every key equally likely.
    Uniform,
    /// Key of rank k has weight k^-s: a few hot keys, a long tail (s near 1 is typical).
    Zipf {
        /// The exponent.
        s: f64,
    },
}

/// A named route and its share.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedRoute {
    /// The route's name, matched by gateways.
    pub name: String,
    /// Relative share of requests.
    pub weight: f64,
}

/// Fields left out take their defaults.
impl FromJson for ClientConfig {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(
            value,
            &["arrival", "keys", "read_ratio", "clients", "routes"],
        )?;
        let d = ClientConfig::default();
        Ok(ClientConfig {
            arrival: f.or("arrival", d.arrival)?,
            keys: f.or("keys", d.keys)?,
            read_ratio: f.or("read_ratio", d.read_ratio)?,
            clients: f.or("clients", d.clients)?,
            routes: f.or("routes", d.routes)?,
        })
    }
}

impl ToJson for ClientConfig {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("arrival", self.arrival.to_tree()),
            ("keys", self.keys.to_tree()),
            ("read_ratio", self.read_ratio.to_tree()),
            ("clients", self.clients.to_tree()),
        ]);
        if !self.routes.is_empty() {
            out.push("routes", self.routes.to_tree());
        }
        out
    }
}

/// Written as `{"poisson": {"rate_per_s": 100.0}}`.
impl FromJson for Arrival {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &[], &["poisson", "constant", "bursts", "ramp"])?;
        match name {
            "poisson" => variant_fields(name, settings, &["rate_per_s"], |f| {
                Ok(Arrival::Poisson {
                    rate_per_s: f.req("rate_per_s")?,
                })
            }),
            "constant" => variant_fields(name, settings, &["rate_per_s"], |f| {
                Ok(Arrival::Constant {
                    rate_per_s: f.req("rate_per_s")?,
                })
            }),
            "bursts" => {
                let known = ["base_rate_per_s", "burst_rate_per_s", "period_s", "burst_s"];
                variant_fields(name, settings, &known, |f| {
                    Ok(Arrival::Bursts {
                        base_rate_per_s: f.req("base_rate_per_s")?,
                        burst_rate_per_s: f.req("burst_rate_per_s")?,
                        period_s: f.req("period_s")?,
                        burst_s: f.req("burst_s")?,
                    })
                })
            }
            _ => variant_fields(name, settings, &["from_per_s", "to_per_s", "over_s"], |f| {
                Ok(Arrival::Ramp {
                    from_per_s: f.req("from_per_s")?,
                    to_per_s: f.req("to_per_s")?,
                    over_s: f.req("over_s")?,
                })
            }),
        }
    }
}

impl ToJson for Arrival {
    fn to_tree(&self) -> Json {
        match *self {
            Arrival::Poisson { rate_per_s } => Json::tagged(
                "poisson",
                Json::object([("rate_per_s", rate_per_s.to_tree())]),
            ),
            Arrival::Constant { rate_per_s } => Json::tagged(
                "constant",
                Json::object([("rate_per_s", rate_per_s.to_tree())]),
            ),
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => Json::tagged(
                "bursts",
                Json::object([
                    ("base_rate_per_s", base_rate_per_s.to_tree()),
                    ("burst_rate_per_s", burst_rate_per_s.to_tree()),
                    ("period_s", period_s.to_tree()),
                    ("burst_s", burst_s.to_tree()),
                ]),
            ),
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => Json::tagged(
                "ramp",
                Json::object([
                    ("from_per_s", from_per_s.to_tree()),
                    ("to_per_s", to_per_s.to_tree()),
                    ("over_s", over_s.to_tree()),
                ]),
            ),
        }
    }
}

/// Fields left out take their defaults.
impl FromJson for KeySpace {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["count", "popularity"])?;
        let d = KeySpace::default();
        Ok(KeySpace {
            count: f.or("count", d.count)?,
            popularity: f.or("popularity", d.popularity)?,
        })
    }
}

impl ToJson for KeySpace {
    fn to_tree(&self) -> Json {
        Json::object([
            ("count", self.count.to_tree()),
            ("popularity", self.popularity.to_tree()),
        ])
    }
}

/// Written as `"uniform"` or `{"zipf": {"s": 1.1}}`.
impl FromJson for Popularity {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["uniform"], &["zipf"])?;
        match name {
            "uniform" => Ok(Popularity::Uniform),
            _ => variant_fields(name, settings, &["s"], |f| {
                Ok(Popularity::Zipf { s: f.req("s")? })
            }),
        }
    }
}

impl ToJson for Popularity {
    fn to_tree(&self) -> Json {
        match *self {
            Popularity::Uniform => Json::String("uniform".into()),
            Popularity::Zipf { s } => Json::tagged("zipf", Json::object([("s", s.to_tree())])),
        }
    }
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
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        // A rate may be 0 (between bursts) or from one request in about 17 minutes up to ten
        // million a second; durations are seconds, at most [`MAX_SECONDS`].
        let rate = |x: f64| x == 0.0 || (MIN_RATE_PER_S..=MAX_RATE_PER_S).contains(&x);
        let positive_rate = |x: f64| x != 0.0 && rate(x);
        let positive = |x: f64| x.is_finite() && x > 0.0 && x <= MAX_SECONDS;
        match self.arrival {
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => {
                if !positive_rate(rate_per_s) {
                    out.push((
                        "arrival.rate_per_s",
                        "the rate must be from 0.001 to 10,000,000 requests per second".into(),
                    ));
                }
            }
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => {
                if !rate(base_rate_per_s) || !positive_rate(burst_rate_per_s) {
                    out.push((
                        "arrival",
                        "rates are 0 or from 0.001 to 10,000,000 per second, and the burst rate is above 0".into(),
                    ));
                }
                if !positive(period_s) || !positive(burst_s) || burst_s > period_s {
                    out.push((
                        "arrival.burst_s",
                        "a burst must last > 0 s and no longer than its period".into(),
                    ));
                }
            }
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => {
                if !rate(from_per_s) || !rate(to_per_s) || from_per_s.max(to_per_s) <= 0.0 {
                    out.push((
                        "arrival",
                        "ramp rates are 0 or from 0.001 to 10,000,000 per second, not both 0"
                            .into(),
                    ));
                }
                if !positive(over_s) {
                    out.push(("arrival.over_s", "the ramp must last > 0 s".into()));
                }
            }
        }
        if self.keys.count == 0 {
            out.push(("keys.count", "the key space needs at least one key".into()));
        }
        if let Popularity::Zipf { s } = self.keys.popularity {
            if !(positive(s) && s <= 10.0) {
                out.push((
                    "keys.popularity.s",
                    "the Zipf exponent must be between 0 and 10 (1 is typical)".into(),
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.read_ratio) {
            out.push((
                "read_ratio",
                "the read ratio is a fraction between 0 and 1".into(),
            ));
        }
        if self.clients == 0 {
            out.push(("clients", "there must be at least one caller".into()));
        }
        for r in &self.routes {
            if !positive(r.weight) {
                out.push(("routes", format!("route `{}` needs a weight > 0", r.name)));
            }
        }
        out
    }
}

impl ClientConfig {
    /// The mean request rate over the long run, for capacity hints.
    pub fn mean_rate_per_s(&self) -> f64 {
        match self.arrival {
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => (burst_rate_per_s * burst_s + base_rate_per_s * (period_s - burst_s)) / period_s,
            Arrival::Ramp { to_per_s, .. } => to_per_s,
        }
    }
}

/// A compiled arrival process: the next gap from `now`.
#[derive(Clone, Debug)]
enum Gaps {
    Poisson {
        mean_gap_ns: f64,
    },
    Constant {
        gap: SimTime,
    },
    /// Non-homogeneous Poisson by thinning: candidates at the peak rate, each kept with
    /// probability rate(t) / peak.
    Thinned {
        peak_per_ns: f64,
        shape: Arrival,
    },
}

impl Gaps {
    fn new(arrival: &Arrival) -> Self {
        match *arrival {
            Arrival::Poisson { rate_per_s } => Gaps::Poisson {
                mean_gap_ns: NANOS_PER_S / rate_per_s,
            },
            Arrival::Constant { rate_per_s } => Gaps::Constant {
                gap: libm::round(NANOS_PER_S / rate_per_s).max(1.0) as SimTime,
            },
            Arrival::Bursts { .. } | Arrival::Ramp { .. } => Gaps::Thinned {
                peak_per_ns: arrival.peak_rate_per_s() / NANOS_PER_S,
                shape: arrival.clone(),
            },
        }
    }

    /// The time of the next arrival after `now`, or `None` if there will be none (a ramp that
    /// has come down to zero).
    fn next(&self, now: SimTime, rng: &mut Stream) -> Option<SimTime> {
        match self {
            Gaps::Poisson { mean_gap_ns } => {
                Some(now.saturating_add(gap(exponential(rng, *mean_gap_ns))))
            }
            Gaps::Constant { gap } => Some(now.saturating_add(*gap)),
            Gaps::Thinned { peak_per_ns, shape } => {
                let mut t = now;
                loop {
                    if ends_at_zero(shape, t) {
                        return None;
                    }
                    t = t.saturating_add(gap(exponential(rng, 1.0 / peak_per_ns)));
                    let keep = rate_per_ns(shape, t) / peak_per_ns;
                    if rng.chance(keep) {
                        return Some(t);
                    }
                }
            }
        }
    }
}

/// A gap of at least one nanosecond, so the clock always moves on.
fn gap(ns: f64) -> SimTime {
    (libm::round(ns) as SimTime).max(1)
}

/// True once a ramp has come down to a rate of zero and holds it: no arrival will come.
fn ends_at_zero(shape: &Arrival, t: SimTime) -> bool {
    matches!(*shape, Arrival::Ramp { to_per_s, over_s, .. }
        if to_per_s <= 0.0 && t as f64 / NANOS_PER_S >= over_s)
}

fn rate_per_ns(shape: &Arrival, t: SimTime) -> f64 {
    let secs = t as f64 / NANOS_PER_S;
    let per_s = match *shape {
        Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
        Arrival::Bursts {
            base_rate_per_s,
            burst_rate_per_s,
            period_s,
            burst_s,
        } => {
            if secs % period_s < burst_s {
                burst_rate_per_s
            } else {
                base_rate_per_s
            }
        }
        Arrival::Ramp {
            from_per_s,
            to_per_s,
            over_s,
        } => from_per_s + (to_per_s - from_per_s) * (secs / over_s).min(1.0),
    };
    per_s / NANOS_PER_S
}

/// The runtime state of a client node.
pub struct Client {
    gaps: Gaps,
    key_count: u64,
    zipf: Option<Zipf>,
    read_ratio: f64,
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
        Client {
            gaps: Gaps::new(&config.arrival),
            key_count: config.keys.count.max(1),
            zipf: match config.keys.popularity {
                Popularity::Zipf { s } => Some(Zipf::new(config.keys.count.max(1), s)),
                Popularity::Uniform => None,
            },
            read_ratio: config.read_ratio,
            callers: config.clients.max(1),
            routes,
        }
    }

    fn on_generate<E: Effects>(&mut self, ctx: &mut E) {
        self.generate(ctx);
    }

    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        ctx.finish(frame, status);
    }
}

impl Client {
    /// The time of the first arrival, if any.
    pub(crate) fn first_arrival(&self, rng: &mut Stream) -> Option<SimTime> {
        self.gaps.next(0, rng)
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
        let frame = ctx.begin_request(key, client_id, op, route);
        ctx.forward(frame, 0);
        if !ctx.arrivals_exhausted() {
            let now = ctx.now();
            if let Some(next) = self.gaps.next(now, ctx.rng()) {
                ctx.generate_at(next);
            }
        }
    }

    fn pick_route(&self, rng: &mut Stream) -> u16 {
        if self.routes.is_empty() {
            return NO_ROUTE;
        }
        let u = rng.open01();
        self.routes
            .iter()
            .find(|(cumulative, _)| u < *cumulative)
            .or(self.routes.last())
            .map_or(NO_ROUTE, |&(_, id)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Effect::*, Recorder};
    use crate::sim::events::Outcome;

    fn arrivals(arrival: Arrival, until_s: f64) -> Vec<f64> {
        let gaps = Gaps::new(&arrival);
        let mut rng = Stream::from_seed(8);
        let mut t = 0;
        let mut out = Vec::new();
        loop {
            match gaps.next(t, &mut rng) {
                Some(next) if (next as f64 / NANOS_PER_S) < until_s => t = next,
                _ => return out,
            }
            out.push(t as f64 / NANOS_PER_S);
        }
    }

    #[test]
    fn poisson_and_constant_rates_are_kept() {
        let p = arrivals(Arrival::Poisson { rate_per_s: 1000.0 }, 100.0);
        assert!((p.len() as f64 - 100_000.0).abs() < 1_500.0, "{}", p.len());
        let c = arrivals(Arrival::Constant { rate_per_s: 1000.0 }, 10.0);
        assert_eq!(c.len(), 9_999);
    }

    #[test]
    fn bursts_arrive_faster_inside_the_burst() {
        let shape = Arrival::Bursts {
            base_rate_per_s: 100.0,
            burst_rate_per_s: 1000.0,
            period_s: 10.0,
            burst_s: 2.0,
        };
        let times = arrivals(shape, 200.0);
        let inside = times.iter().filter(|t| *t % 10.0 < 2.0).count() as f64;
        let outside = times.len() as f64 - inside;
        // Theory: 1000/s for 2 s and 100/s for 8 s per period, 20 periods.
        assert!((inside - 40_000.0).abs() < 1_000.0, "{inside}");
        assert!((outside - 16_000.0).abs() < 600.0, "{outside}");
    }

    #[test]
    fn a_ramp_climbs_then_holds() {
        let shape = Arrival::Ramp {
            from_per_s: 0.0,
            to_per_s: 1000.0,
            over_s: 10.0,
        };
        let times = arrivals(shape, 20.0);
        let first_half = times.iter().filter(|t| **t < 10.0).count() as f64;
        let second_half = times.len() as f64 - first_half;
        // Theory: 5,000 during the climb (area of the triangle), 10,000 at the held rate.
        assert!((first_half - 5_000.0).abs() < 300.0, "{first_half}");
        assert!((second_half - 10_000.0).abs() < 400.0, "{second_half}");
    }

    #[test]
    fn bad_values_are_named() {
        let c = ClientConfig {
            arrival: Arrival::Poisson { rate_per_s: -5.0 },
            read_ratio: 1.5,
            ..ClientConfig::default()
        };
        let fields: Vec<_> = c.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["arrival.rate_per_s", "read_ratio"]);
        assert!(ClientConfig::default().problems().is_empty());
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
        };
        let wiring = Wiring {
            links: &[],
            peers: Vec::new(),
            routes: table,
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
}
