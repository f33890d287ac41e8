//! The ordered lists of a node's configuration that say where requests go: an API gateway's
//! rules, a client's named routes, and a service's call order. Each is a [`ListEditor`]; every
//! change rewrites the whole list as one undo step, through the validator.

use leptos::prelude::*;
use pattern_engine::components::api_gateway::{GatewayConfig, Match, Route};
use pattern_engine::components::client::{ClientConfig, WeightedRoute};
use pattern_engine::components::service::ServiceConfig;
use pattern_engine::components::{Component, Kind};
use pattern_engine::Scenario;

use super::connections::name_of;
use super::fields::{parse_number, show};
use super::form::{Config, Form};
use super::lists::{edit_rows, ListEditor, RowEdit, RowInput, RowSelect};
use super::Commit;

/// Changes a copy of the list `get` reads and writes it back with `write`; a refusal from
/// `change` or from the validator leaves the document as it was.
fn change_list<C: Config, T: Clone>(
    f: Form<C>,
    get: fn(&C) -> &Vec<T>,
    write: Commit<Vec<T>>,
    change: impl FnOnce(&mut Vec<T>) -> Result<(), String>,
) -> Result<(), String> {
    let mut list = f
        .config
        .with_untracked(|c| c.as_ref().map(|c| get(c).clone()))
        .unwrap_or_default();
    change(&mut list)?;
    write.run(list)
}

/// The node's out-edges as `(id, name)`, those to `skip` kinds left out.
fn callees(f: Form<impl Config>, skip: Option<Kind>) -> Memo<Vec<(String, String)>> {
    let ctx = f.ctx;
    Memo::new(move |_| {
        ctx.editor.doc.with(|s| {
            let from = ctx.id.get_value();
            s.edges
                .iter()
                .filter(|e| e.from == from)
                .filter(|e| s.node(&e.to).map(|n| n.component.kind()) != skip)
                .map(|e| (e.to.clone(), name_of(s, &e.to)))
                .collect()
        })
    })
}

/// `choices` as select options, with `current` added (marked) if it is not among them.
fn options_with(choices: &[(String, String)], current: &str) -> Vec<(String, String)> {
    let mut options = choices.to_vec();
    if !current.is_empty() && !choices.iter().any(|(id, _)| id == current) {
        options.push((current.to_string(), format!("{current} (not connected)")));
    }
    options
}

/// A name a route may have: not empty, and not another row's.
fn route_name(text: &str, others: impl Iterator<Item = String>) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a route needs a name".into());
    }
    if others.into_iter().any(|o| o == name) {
        return Err(format!("there is already a route called “{name}”"));
    }
    Ok(name.to_string())
}

const MATCHES: &[(&str, &str)] = &[
    ("any", "Every request"),
    ("read", "Reads"),
    ("write", "Writes"),
    ("route", "A named route"),
];

fn match_name(m: &Match) -> &'static str {
    match m {
        Match::Any => "any",
        Match::Read => "read",
        Match::Write => "write",
        Match::Route(_) => "route",
    }
}

/// The first route some client sends on, for a rule switched to "a named route".
fn first_client_route(s: &Scenario) -> String {
    s.nodes
        .iter()
        .find_map(|n| match &n.component {
            Component::Client(c) => c.routes.first().map(|r| r.name.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "main".into())
}

/// A gateway's rules, tried in order: which requests each takes and where they go.
#[component]
pub fn GatewayRules(f: Form<GatewayConfig>) -> impl IntoView {
    let backends = callees(f, None);
    let write = f.write("routes", |c: &mut GatewayConfig, routes| c.routes = routes);
    let get: fn(&GatewayConfig) -> &Vec<Route> = |c| &c.routes;
    let edit = Callback::new(move |e: RowEdit| {
        let first = backends.with_untracked(|b| b.first().map(|(id, _)| id.clone()));
        change_list(f, get, write, |routes| {
            let to = match (e, first) {
                (RowEdit::Add, None) => return Err("connect the gateway to a service first".into()),
                (_, to) => to.unwrap_or_default(),
            };
            edit_rows(routes, e, || Route {
                matches: Match::Any,
                to,
            });
            Ok(())
        })
    });
    let set_row = move |i: usize, change: Box<dyn FnOnce(&mut Route) + Send>| {
        change_list(f, get, write, |routes| {
            if let Some(r) = routes.get_mut(i) {
                change(r);
            }
            Ok(())
        })
    };
    let row = move |i: usize, error| {
        let id = |what: &str| format!("{}-{i}-{what}", f.id("routes"));
        let rule = move || {
            f.config
                .with(|c| c.as_ref().and_then(|c| c.routes.get(i).cloned()))
        };
        let matches =
            Signal::derive(move || rule().map_or("any", |r| match_name(&r.matches)).to_string());
        let named = Signal::derive(move || match rule().map(|r| r.matches) {
            Some(Match::Route(name)) => name,
            _ => String::new(),
        });
        let to = Signal::derive(move || rule().map(|r| r.to).unwrap_or_default());
        let pick_match = Callback::new(move |v: String| {
            let doc = f.ctx.editor.doc;
            let name = named.get_untracked();
            let matches = match v.as_str() {
                "read" => Match::Read,
                "write" => Match::Write,
                "route" if name.is_empty() => Match::Route(doc.with_untracked(first_client_route)),
                "route" => Match::Route(name),
                _ => Match::Any,
            };
            set_row(i, Box::new(move |r| r.matches = matches))
        });
        let rename = Callback::new(move |text: String| {
            let name = route_name(&text, std::iter::empty())?;
            set_row(i, Box::new(move |r| r.matches = Match::Route(name)))
        });
        let pick_to = Callback::new(move |v: String| set_row(i, Box::new(move |r| r.to = v)));
        let n = i + 1;
        let (match_id, name_id, to_id) = (id("match"), id("name"), id("to"));
        view! {
            <RowSelect id=match_id label=format!("Rule {n} takes") error value=matches
                options=Signal::derive(|| MATCHES.iter().map(|(v, t)| (v.to_string(), t.to_string())).collect())
                commit=pick_match />
            <Show when=move || matches.get() == "route">
                <RowInput id=name_id.clone() label=format!("Rule {n} route name") kind="text" error
                    value=named commit=rename />
            </Show>
            <RowSelect id=to_id label=format!("Rule {n} goes to") error value=to
                options=Signal::derive(move || to.with(|t| backends.with(|b| options_with(b, t))))
                commit=pick_to />
        }
    };
    view! {
        <ListEditor id=f.id("routes") legend="Routing rules" noun="rule"
            empty=Signal::derive(|| "No rules: everything goes to the single backend.".to_string())
            len=f.read(|c| c.routes.len()) row edit />
    }
}

/// A client's named routes and their shares of its requests.
#[component]
pub fn ClientRoutes(f: Form<ClientConfig>) -> impl IntoView {
    let write = f.write("routes", |c: &mut ClientConfig, routes| c.routes = routes);
    let get: fn(&ClientConfig) -> &Vec<WeightedRoute> = |c| &c.routes;
    let names = move || -> Vec<String> {
        f.config
            .with_untracked(|c| {
                c.as_ref()
                    .map(|c| c.routes.iter().map(|r| r.name.clone()).collect())
            })
            .unwrap_or_default()
    };
    let edit = Callback::new(move |e: RowEdit| {
        let taken = names();
        let name = (1..)
            .map(|n| format!("route_{n}"))
            .find(|n| !taken.contains(n))
            .unwrap_or_default();
        change_list(f, get, write, |routes| {
            edit_rows(routes, e, || WeightedRoute { name, weight: 1.0 });
            Ok(())
        })
    });
    let row = move |i: usize, error| {
        let id = |what: &str| format!("{}-{i}-{what}", f.id("routes"));
        let route = move || {
            f.config
                .with(|c| c.as_ref().and_then(|c| c.routes.get(i).cloned()))
        };
        let rename = Callback::new(move |text: String| {
            let others = names()
                .into_iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, n)| n);
            let name = route_name(&text, others)?;
            change_list(f, get, write, |routes| {
                if let Some(r) = routes.get_mut(i) {
                    r.name = name;
                }
                Ok(())
            })
        });
        let reweigh = Callback::new(move |text: String| {
            let weight = parse_number(&text, false, None)?;
            change_list(f, get, write, |routes| {
                if let Some(r) = routes.get_mut(i) {
                    r.weight = weight;
                }
                Ok(())
            })
        });
        let n = i + 1;
        let (name_id, weight_id) = (id("name"), id("weight"));
        view! {
            <RowInput id=name_id label=format!("Route {n} name") kind="text" error
                value=Signal::derive(move || route().map(|r| r.name).unwrap_or_default())
                commit=rename />
            <RowInput id=weight_id label=format!("Route {n} weight") kind="number" error
                value=Signal::derive(move || route().map(|r| show(r.weight)).unwrap_or_default())
                commit=reweigh />
        }
    };
    view! {
        <ListEditor id=f.id("routes") legend="Named routes" noun="route"
            empty=Signal::derive(|| "No named routes: gateways route these requests by operation only.".to_string())
            len=f.read(|c| c.routes.len()) row edit />
    }
}

/// The order in which a service calls its dependencies (queues are published to, not called).
#[component]
pub fn CallOrder(f: Form<ServiceConfig>) -> impl IntoView {
    let candidates = callees(f, Some(Kind::Queue));
    let write = f.write("calls", |c: &mut ServiceConfig, calls| c.calls = calls);
    let get: fn(&ServiceConfig) -> &Vec<String> = |c| &c.calls;
    let edit = Callback::new(move |e: RowEdit| {
        let all: Vec<String> =
            candidates.with_untracked(|c| c.iter().map(|(id, _)| id.clone()).collect());
        change_list(f, get, write, |calls| {
            if e != RowEdit::Add {
                edit_rows(calls, e, String::new);
                return Ok(());
            }
            if all.is_empty() {
                return Err("connect the service to a dependency first".into());
            }
            if calls.is_empty() {
                // From "edge order" to an explicit order: start from the order in use.
                *calls = all;
                return Ok(());
            }
            let next = all.into_iter().find(|id| !calls.contains(id));
            calls.push(next.ok_or("every connected dependency is already in the call order")?);
            Ok(())
        })
    });
    let row = move |i: usize, error| {
        let to = Signal::derive(move || {
            f.config.with(|c| {
                c.as_ref()
                    .and_then(|c| c.calls.get(i).cloned())
                    .unwrap_or_default()
            })
        });
        let pick = Callback::new(move |v: String| {
            change_list(f, get, write, |calls| {
                if let Some(call) = calls.get_mut(i) {
                    *call = v;
                }
                Ok(())
            })
        });
        view! {
            <RowSelect id=format!("{}-{i}-to", f.id("calls")) label=format!("Call {}", i + 1) error
                value=to options=Signal::derive(move || to.with(|t| candidates.with(|c| options_with(c, t))))
                commit=pick />
        }
    };
    let empty = Signal::derive(move || {
        candidates.with(|c| {
            let names: Vec<&str> = c.iter().map(|(_, name)| name.as_str()).collect();
            if names.is_empty() {
                "Calls nothing: connect a dependency.".to_string()
            } else {
                format!("Calls its connections in the order they were made: {}. Add a call to set the order yourself.", names.join(", "))
            }
        })
    });
    view! {
        <ListEditor id=f.id("calls") legend="Call order" noun="call" empty
            len=f.read(|c| c.calls.len()) row edit />
    }
}
