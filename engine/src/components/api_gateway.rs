//! API gateway: routes each request by its operation or its named route to one of the services
//! behind it. Rules are tried in order; the first that matches wins.

use super::settings::settings;
use super::spec::{Finding, KindSpec, Rules};
use super::wiring::{Around, Wiring, WiringProblem};
use super::{Behaviour, Config, Effects, Group};
use crate::json::{variant, variant_value, Fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, FieldCodec, IdIndex, LinkValue, NodeId, Reader, Writer};
use crate::link::LinkError;
use crate::sim::events::Outcome;
use crate::sim::frames::{Op, NO_ROUTE};

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

settings! {
    /// A gateway's routing table.
    pub struct GatewayConfig as "api_gateway" {
        /// Rules in order. With none, every request goes to the gateway's single backend.
        routes: Vec<Route> = Vec::new(), tag 1, always;
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

/// The runtime state: the destination link for each (operation, route) pair.
pub struct Gateway {
    /// Indexed by `route_index * 2 + op`, with the last pair for requests without a route.
    table: Vec<Option<u16>>,
    routes: usize,
}

impl Behaviour for Gateway {
    type Config = GatewayConfig;

    fn build(config: &GatewayConfig, wiring: &Wiring) -> Self {
        Gateway::new(config, &wiring.peer_ids(), wiring.routes)
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let request = ctx.request(frame);
        let route = if request.route == NO_ROUTE {
            self.routes
        } else {
            request.route as usize
        };
        let slot = route * 2 + (request.op == Op::Write) as usize;
        match self.table.get(slot).copied().flatten() {
            Some(link) => ctx.forward(frame, link as usize),
            None => ctx.refuse(frame, Outcome::FailedNoRoute),
        }
    }
}

impl Gateway {
    /// Compiles the rules against the gateway's link targets (`link_ids`, in link order) and the
    /// run's route table (`route_names`, indexed by route id).
    pub(crate) fn new(config: &GatewayConfig, link_ids: &[&str], route_names: &[String]) -> Self {
        let routes = route_names.len();
        let mut table = vec![None; (routes + 1) * 2];
        for (slot, dest) in table.iter_mut().enumerate() {
            let route = slot / 2;
            let op = if slot % 2 == 0 { Op::Read } else { Op::Write };
            let name = route_names.get(route).map(String::as_str);
            *dest = if config.routes.is_empty() {
                (link_ids.len() == 1).then_some(0)
            } else {
                config
                    .routes
                    .iter()
                    .find(|r| r.matches.accepts(op, name))
                    .and_then(|r| link_ids.iter().position(|id| *id == r.to))
                    .map(|i| i as u16)
            };
        }
        Gateway { table, routes }
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
        let routes = vec!["orders".to_string(), "catalog".to_string()];
        let g = Gateway::new(&config, &["writer", "orders"], &routes);
        // (orders, read), (orders, write), (catalog, read), (catalog, write), (none, read), (none, write)
        assert_eq!(g.table, [Some(1), Some(1), None, Some(0), None, Some(0)]);
    }

    #[test]
    fn without_rules_a_single_backend_takes_everything() {
        let g = Gateway::new(&GatewayConfig::default(), &["only"], &[]);
        assert_eq!(g.table, [Some(0), Some(0)]);
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
        let mut gw = Gateway::new(&config, &["reader", "writer"], &[]);
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
        let routes = ["orders".to_string(), "catalog".to_string()];
        let mut gw = Gateway::new(&config, &["orders"], &routes);
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
        let mut gw = Gateway::new(&GatewayConfig::default(), &["only"], &[]);
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
