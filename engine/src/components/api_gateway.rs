//! API gateway: routes each request by its operation or its named route to one of the services
//! behind it. Rules are tried in order; the first that matches wins.

use super::settings::settings;
use super::spec::{Finding, KindSpec, Rules};
use super::wiring::{Around, RouteTable, Wiring, WiringProblem};
use super::{Behaviour, Config, Effects, Group};
use crate::bounds::Bound;
use crate::json::{variant, variant_value, Fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, FieldCodec, IdIndex, LinkValue, NodeId, Reader, Writer};
use crate::link::LinkError;
use crate::sim::events::Outcome;
use crate::sim::frames::{Op, NO_ROUTE};
use std::collections::HashMap;

/// An API gateway's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "api_gateway",
    title: "API gateway",
    group: Group::Routing,
    link_tag: 3,
    outcomes: &[Outcome::FailedNoRoute],
    rules: Rules {
        without_callees: Some(Finding {
            code: "no_path",
            stops_run: true,
            message: "the gateway routes to nothing: connect it to services",
        }),
        ..Rules::OPEN
    },
};

/// How many rules one gateway may have. The gateway compiles them into one entry per route
/// they name (linear in the rules), so the limit is for people: each is a row of the
/// inspector's list, and a thousand is past any routing table a diagram draws.
pub const GATEWAY_RULES: Bound = Bound::new(
    0.0,
    1_000.0,
    "a thousand rules is past any routing table a diagram draws; each is a row to read",
);

settings! {
    /// A gateway's routing table.
    pub struct GatewayConfig as "api_gateway" {
        /// Rules in order. With none, every request goes to the gateway's single backend.
        routes: Vec<Route> = Vec::new(), tag 1, always, within GATEWAY_RULES;
    }
}

/// One routing rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Which requests it takes (written as `match`).
    pub matches: Match,
    /// The id of the node they go to (one of the gateway's out-edges).
    pub to: String,
}

/// What a rule matches.
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    /// Every request.
    Any,
    /// Reads.
    Read,
    /// Writes.
    Write,
    /// Requests a client sent on this named route.
    Route(String),
}

impl Config for GatewayConfig {
    /// Rules must lead to connected backends and, with several backends, exist at all; a rule
    /// for a route no client sends on is a hint. (A gateway with no backend is its kind's
    /// `without_callees` finding.)
    fn wiring_problems(&self, around: &Around) -> Vec<WiringProblem> {
        let problem = |code, stops_run, message| WiringProblem {
            code,
            stops_run,
            field: "routes",
            message,
        };
        let n_out = around.callees.len();
        let mut out = Vec::new();
        if n_out == 0 {
            return out;
        }
        if self.routes.is_empty() && n_out > 1 {
            out.push(problem(
                "gateway_routes",
                true,
                format!(
                    "{n_out} services stand behind the gateway but it has no routes: say which \
                     requests go where"
                ),
            ));
        }
        for r in &self.routes {
            if !around.calls(&r.to) {
                out.push(problem(
                    "route_target",
                    true,
                    format!(
                        "a route goes to `{}`, which is not connected to this gateway",
                        r.to
                    ),
                ));
            }
            if let Match::Route(name) = &r.matches {
                if !around.routes.contains(name.as_str()) {
                    out.push(problem(
                        "unused_route",
                        false,
                        format!("no client sends requests on route `{name}`"),
                    ));
                }
            }
        }
        out
    }
}

/// Written as `{"match": {"route": "orders"}, "to": "orders_service"}`.
impl FromJson for Route {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["match", "to"])?;
        Ok(Route {
            matches: f.req("match")?,
            to: f.req("to")?,
        })
    }
}

impl ToJson for Route {
    fn to_tree(&self) -> Json {
        Json::object([("match", self.matches.to_tree()), ("to", self.to.to_tree())])
    }
}

/// Written as `"read"` or `{"route": "orders"}`.
impl FromJson for Match {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["any", "read", "write"], &["route"])?;
        Ok(match name {
            "any" => Match::Any,
            "read" => Match::Read,
            "write" => Match::Write,
            _ => Match::Route(variant_value(name, settings)?),
        })
    }
}

impl ToJson for Match {
    fn to_tree(&self) -> Json {
        let name = match self {
            Match::Any => "any",
            Match::Read => "read",
            Match::Write => "write",
            Match::Route(route) => return Json::tagged("route", route.to_tree()),
        };
        Json::String(name.to_string())
    }
}

/// In a version-2 link: the match, then the target as a node reference.
impl LinkValue for Route {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        self.matches.write(w, ids);
        NodeId::write(&self.to, w, ids);
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(Route {
            matches: Match::read(r, ids, field)?,
            to: NodeId::read(r, ids, field)?,
        })
    }
}

/// In a version-2 link: a variant tag (constant, append-only), then a route's name.
impl LinkValue for Match {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        match self {
            Match::Any => w.byte(0),
            Match::Read => w.byte(1),
            Match::Write => w.byte(2),
            Match::Route(name) => {
                w.byte(3);
                w.string(name);
            }
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => Match::Any,
            1 => Match::Read,
            2 => Match::Write,
            3 => Match::Route(r.string(field)?),
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

/// The runtime state: where each (route, operation) pair goes, as a link index (`None`: no
/// rule takes it, or the rule's target is not connected). Memory and set-up are linear in the
/// rules, whatever the number of routes the run's clients send on.
pub struct Gateway {
    /// For requests without a route, or on a route no rule names: reads, writes.
    unnamed: [Option<u16>; 2],
    /// The routes some rule names, sorted by route id, with where their reads and writes go.
    named: Vec<(u16, [Option<u16>; 2])>,
}

impl Behaviour for Gateway {
    type Config = GatewayConfig;

    fn build(config: &GatewayConfig, wiring: &Wiring) -> Self {
        Gateway::new(config, &wiring.peer_ids(), wiring.routes)
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let request = ctx.request(frame);
        let op = (request.op == Op::Write) as usize;
        match self.row(request.route)[op] {
            Some(link) => ctx.forward(frame, link as usize),
            None => ctx.refuse(frame, Outcome::FailedNoRoute),
        }
    }
}

impl Gateway {
    /// Compiles the rules against the gateway's link targets (`link_ids`, in link order) and the
    /// run's route table, in one pass over each.
    ///
    /// A request takes the first rule that matches it. A rule naming route N matches both
    /// operations on N; so on N an operation goes by whichever comes first, the first rule
    /// naming N or the first rule for any route that accepts the operation (`any`, `read`,
    /// `write`), and on a route no rule names, or on none, by the latter alone.
    pub(crate) fn new(config: &GatewayConfig, link_ids: &[&str], routes: &RouteTable) -> Self {
        if config.routes.is_empty() {
            let only = (link_ids.len() == 1).then_some(0);
            return Gateway {
                unnamed: [only; 2],
                named: Vec::new(),
            };
        }
        let mut links: HashMap<&str, u16> = HashMap::new();
        for (i, id) in link_ids.iter().enumerate() {
            links.entry(id).or_insert(i as u16);
        }
        let target = |rule: usize| links.get(config.routes[rule].to.as_str()).copied();
        // The first rule accepting each operation on any route, and the first naming each route.
        let mut general = [None; 2];
        let mut first_naming: HashMap<&str, usize> = HashMap::new();
        for (i, rule) in config.routes.iter().enumerate() {
            match &rule.matches {
                Match::Route(name) => {
                    first_naming.entry(name.as_str()).or_insert(i);
                }
                general_rule => {
                    for (op, first) in [Op::Read, Op::Write].into_iter().zip(&mut general) {
                        if first.is_none() && general_rule.accepts(op, None) {
                            *first = Some(i);
                        }
                    }
                }
            }
        }
        let unnamed = general.map(|rule| rule.and_then(target));
        let mut named: Vec<(u16, [Option<u16>; 2])> = first_naming
            .into_iter()
            .map(|(name, rule)| (routes.id(name), rule))
            .filter(|&(id, _)| id != NO_ROUTE) // no request is ever sent on it
            .map(|(id, rule)| {
                let first = general.map(|g| g.filter(|&g| g < rule).unwrap_or(rule));
                (id, first.map(target))
            })
            .collect();
        named.sort_unstable_by_key(|&(id, _)| id);
        Gateway { unnamed, named }
    }

    /// Where reads and writes on `route` go.
    #[inline]
    fn row(&self, route: u16) -> [Option<u16>; 2] {
        if route != NO_ROUTE {
            if let Ok(i) = self.named.binary_search_by_key(&route, |&(id, _)| id) {
                return self.named[i].1;
            }
        }
        self.unnamed
    }
}

impl Match {
    fn accepts(&self, op: Op, route: Option<&str>) -> bool {
        match self {
            Match::Any => true,
            Match::Read => op == Op::Read,
            Match::Write => op == Op::Write,
            Match::Route(name) => route == Some(name.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder, HERE};

    #[test]
    fn first_matching_rule_wins_and_unmatched_requests_have_no_route() {
        let config = GatewayConfig {
            routes: vec![
                Route {
                    matches: Match::Route("orders".into()),
                    to: "orders".into(),
                },
                Route {
                    matches: Match::Write,
                    to: "writer".into(),
                },
            ],
        };
        let g = Gateway::new(
            &config,
            &["writer", "orders"],
            &table(&["orders", "catalog"]),
        );
        // (orders, read), (orders, write), (catalog, read), (catalog, write), (none, read), (none, write)
        assert_eq!(
            [g.row(0), g.row(1), g.row(NO_ROUTE)].concat(),
            [Some(1), Some(1), None, Some(0), None, Some(0)]
        );
    }

    fn table(names: &[&str]) -> RouteTable {
        RouteTable::new(names.iter().copied())
    }

    #[test]
    fn without_rules_a_single_backend_takes_everything() {
        let g = Gateway::new(&GatewayConfig::default(), &["only"], &table(&[]));
        assert_eq!(g.row(NO_ROUTE), [Some(0), Some(0)]);
        assert_eq!(g.row(7), [Some(0), Some(0)]);
    }

    #[test]
    fn a_route_goes_by_the_first_rule_that_takes_it_whether_it_names_the_route_or_not() {
        let config = GatewayConfig {
            routes: vec![
                rule(Match::Route("a".into()), "x"),
                rule(Match::Read, "y"),
                rule(Match::Route("b".into()), "x"),
                rule(Match::Route("a".into()), "y"),
                rule(Match::Any, "z"),
                rule(Match::Route("c".into()), "x"),
                rule(Match::Route("gone".into()), "nowhere"),
            ],
        };
        let g = Gateway::new(&config, &["x", "y", "z"], &table(&["c", "b", "a", "d"]));
        // Route ids: c 0, b 1, a 2, d 3 (no rule names d); x 0, y 1, z 2.
        assert_eq!(g.row(2), [Some(0), Some(0)]); // a: its own rule comes first
        assert_eq!(g.row(1), [Some(1), Some(0)]); // b: reads by the read rule before it
        assert_eq!(g.row(0), [Some(1), Some(2)]); // c: after `read` and `any`
        assert_eq!(g.row(3), [Some(1), Some(2)]); // d: as requests on no route
        assert_eq!(g.row(NO_ROUTE), [Some(1), Some(2)]);
        // One entry per route a rule names and some client sends on: `gone` has no id.
        assert_eq!(g.named.len(), 3);
    }

    #[test]
    fn a_gateway_costs_its_rules_not_the_runs_routes() {
        // 60,000 routes in the run, a thousand rules naming a thousand of them.
        let names: Vec<String> = (0..60_000).map(|i| format!("r{i}")).collect();
        let routes = RouteTable::new(names.iter().map(String::as_str));
        let config = GatewayConfig {
            routes: (0..1000)
                .map(|i| {
                    rule(
                        Match::Route(format!("r{}", i * 60)),
                        if i % 2 == 0 { "even" } else { "odd" },
                    )
                })
                .collect(),
        };
        assert!(config.bound_problems().is_empty());
        let g = Gateway::new(&config, &["even", "odd"], &routes);
        assert_eq!(g.named.len(), 1000);
        assert_eq!(g.row(59_940), [Some(1), Some(1)]);
        assert_eq!(g.row(120), [Some(0), Some(0)]);
        assert_eq!(g.row(121), [None, None]);
        let over = GatewayConfig {
            routes: vec![rule(Match::Any, "even"); 1001],
        };
        let refused = over.bound_problems();
        assert_eq!(refused[0].0, "routes");
        assert!(refused[0]
            .1
            .starts_with("routes is 1,001; it must be from 0 to 1,000: "));
    }

    fn rule(matches: Match, to: &str) -> Route {
        Route {
            matches,
            to: to.into(),
        }
    }

    #[test]
    fn reads_and_writes_go_where_their_rules_say() {
        let config = GatewayConfig {
            routes: vec![rule(Match::Write, "writer"), rule(Match::Any, "reader")],
        };
        let mut gw = Gateway::new(&config, &["reader", "writer"], &table(&[]));
        let mut rec = Recorder::new(2);
        let r = rec.arrive(&mut gw, Ask::read(1));
        let w = rec.arrive(&mut gw, Ask::write(1));
        assert_eq!(
            rec.take(),
            [
                Forwarded { frame: r, link: 0 },
                Forwarded { frame: w, link: 1 },
            ]
        );
    }

    #[test]
    fn a_named_route_is_followed_and_a_request_no_rule_takes_is_refused() {
        let config = GatewayConfig {
            routes: vec![rule(Match::Route("orders".into()), "orders")],
        };
        let mut gw = Gateway::new(&config, &["orders"], &table(&["orders", "catalog"]));
        let mut rec = Recorder::new(1);
        let orders = rec.arrive(&mut gw, Ask::read(1).on_route(0));
        let catalog = rec.arrive(&mut gw, Ask::read(1).on_route(1));
        let unnamed = rec.arrive(&mut gw, Ask::write(1));
        let refused = |frame| Responded {
            frame,
            outcome: Outcome::FailedNoRoute,
            origin: HERE,
        };
        assert_eq!(
            rec.take(),
            [
                Forwarded {
                    frame: orders,
                    link: 0
                },
                Counted {
                    outcome: Outcome::FailedNoRoute
                },
                refused(catalog),
                Counted {
                    outcome: Outcome::FailedNoRoute
                },
                refused(unnamed),
            ]
        );
        assert!(rec.is_free(catalog) && rec.is_free(unnamed));
    }

    #[test]
    fn the_answer_passes_back_unchanged() {
        let mut gw = Gateway::new(&GatewayConfig::default(), &["only"], &table(&[]));
        let mut rec = Recorder::new(1);
        let a = rec.arrive(&mut gw, Ask::read(1));
        rec.answer(&mut gw, a, Outcome::TimedOut);
        assert_eq!(
            rec.take(),
            [
                Forwarded { frame: a, link: 0 },
                Responded {
                    frame: a,
                    outcome: Outcome::TimedOut,
                    origin: 1
                },
            ]
        );
    }
}
