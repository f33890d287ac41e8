//! Hostile scenarios, as a link can carry them: each opens and runs a few thousand events with
//! a bounded amount of work. Work is counted (events, arrivals, table entries), never timed:
//! the speed figures are in the throughput benchmark's set-up section.

use pattern_engine::components::api_gateway::{GatewayConfig, Match, Route};
use pattern_engine::components::client::{Arrival, ClientConfig, WeightedRoute};
use pattern_engine::components::Component;
use pattern_engine::scenario::{from_json, Edge, Node, Scenario};
use pattern_engine::Simulation;
use serde_json::{json, Value};

fn scenario(nodes: Value, edges: Value, run: Value) -> Scenario {
    let doc = json!({ "version": 1, "name": "bounded", "seed": 5, "run": run, "nodes": nodes, "edges": edges });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn sink() -> Value {
    json!({ "id": "s", "kind": "service", "config": { "workers": 10000, "service_time": { "constant": { "ms": 0.001 } } } })
}

/// A client with this arrival process in front of a fast service, run for `events` events.
fn run_events(arrival: Value, events: u64) -> Simulation {
    let s = scenario(
        json!([{ "id": "c", "kind": "client", "config": { "arrival": arrival } }, sink()]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 1_000_000 }),
    );
    let mut sim = Simulation::new(&s).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(
        sim.advance_events(events),
        events,
        "the run ran out of events"
    );
    sim
}

#[test]
fn rare_short_bursts_with_nothing_between_open_and_run() {
    // A burst of a millisecond a year at ten million a second, nothing between: thinning
    // alone drew 3·10^14 candidates between two bursts, inside one call (the freeze).
    let sim = run_events(
        json!({ "bursts": { "base_rate_per_s": 0, "burst_rate_per_s": 1e7, "period_s": 3e7, "burst_s": 0.001 } }),
        60_000,
    );
    // Two bursts' worth of requests (10,000 each) came, the second a year after the first.
    let generated = sim.summary().requests.generated;
    assert!((15_000..=30_000).contains(&generated), "{generated}");
    assert!(sim.now() as f64 / 1e9 > 3e7, "{}", sim.now());
}

#[test]
fn a_ramp_from_zero_to_the_top_rate_opens_at_once() {
    // At first the rate is 10^-9 of the peak, so thinning's first arrival took ~10^7
    // candidates (a fraction of a second, then as long again for each of the next few).
    let sim = run_events(
        json!({ "ramp": { "from_per_s": 0, "to_per_s": 1e7, "over_s": 3e7 } }),
        5_000,
    );
    assert!(sim.summary().requests.generated > 1_000);
}

#[test]
fn a_burst_too_rare_to_ever_come_ends_the_run_at_once() {
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "bursts": { "base_rate_per_s": 0, "burst_rate_per_s": 0.001, "period_s": 3e7, "burst_s": 0.001 } } } },
            sink()
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 1000 }),
    );
    let mut sim = Simulation::new(&s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    // 10^-6 arrivals expected a year: the first is past the end of simulated time.
    assert_eq!(sim.summary().requests.generated, 0);
    assert!(sim.is_finished());
}

#[test]
fn forty_thousand_named_routes_each_keep_their_own_way() {
    // 400 clients with 100 routes each (the most a client may have), behind one gateway whose
    // thousand rules send one route in 40 to `b` and the rest, by `any`, to `a`. Set-up used
    // to scan a list per name (the route table, each client's ids, and the gateway's table of
    // every route of the run times every rule); it is now a hash lookup per name.
    let mut s = scenario(
        json!([
            { "id": "gw", "kind": "api_gateway" },
            { "id": "a", "kind": "service", "config": { "workers": 1000, "service_time": { "constant": { "ms": 1 } } } },
            { "id": "b", "kind": "service", "config": { "workers": 1000, "service_time": { "constant": { "ms": 1 } } } }
        ]),
        json!([{ "from": "gw", "to": "a" }, { "from": "gw", "to": "b" }]),
        json!({ "requests": 40_000 }),
    );
    let name = |route: usize| format!("c{}_r{}", route / 100, route % 100);
    for c in 0..400 {
        let client = ClientConfig {
            arrival: Arrival::Poisson { rate_per_s: 10.0 },
            routes: (0..100)
                .map(|r| WeightedRoute {
                    name: name(c * 100 + r),
                    weight: 1.0,
                })
                .collect(),
            ..ClientConfig::default()
        };
        let id = format!("c{c}");
        s.edges.push(Edge::new(&id, "gw", 0.0));
        s.nodes.push(Node {
            id,
            label: String::new(),
            x: 0.0,
            y: 0.0,
            component: Component::Client(client),
        });
    }
    let mut rules: Vec<Route> = (0..999)
        .map(|i| Route {
            matches: Match::Route(name(i * 40)),
            to: "b".into(),
        })
        .collect();
    rules.push(Route {
        matches: Match::Any,
        to: "a".into(),
    });
    s.nodes[0].component = Component::ApiGateway(GatewayConfig { routes: rules });
    let mut sim = Simulation::new(&s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    let summary = sim.summary();
    assert_eq!(summary.requests.failed, 0, "every route has its way");
    let arrivals = |id: &str| {
        summary
            .nodes
            .iter()
            .find(|(n, _)| n == id)
            .unwrap()
            .1
            .arrivals
    };
    // Theory: 999 of the 40,000 routes go to b, each equally likely: 2.5% (sd 0.08%).
    let share = arrivals("b") as f64 / (arrivals("a") + arrivals("b")) as f64;
    assert!((share - 999.0 / 40_000.0).abs() < 0.004, "{share}");
}

/// A client, a consistent-hash load balancer with `virtual_nodes`, and `backends` services.
fn ring_scenario(virtual_nodes: u64, backends: usize) -> Scenario {
    let mut nodes = vec![
        json!({ "id": "c", "kind": "client", "config": { "arrival": { "poisson": { "rate_per_s": 1000 } } } }),
        json!({ "id": "lb", "kind": "load_balancer", "config": { "algorithm": { "consistent_hash": { "virtual_nodes": virtual_nodes } } } }),
    ];
    let mut edges = vec![json!({ "from": "c", "to": "lb" })];
    for i in 0..backends {
        nodes.push(json!({ "id": format!("s{i}"), "kind": "service" }));
        edges.push(json!({ "from": "lb", "to": format!("s{i}") }));
    }
    scenario(json!(nodes), json!(edges), json!({ "requests": 2000 }))
}

#[test]
fn the_largest_rings_allowed_build_and_spread_the_keys() {
    // 498 backends with 1,000 points each: half a million points, one sort.
    let mut sim = Simulation::new(&ring_scenario(1000, 498)).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    let summary = sim.summary();
    let reached = summary
        .nodes
        .iter()
        .filter(|(id, n)| id.starts_with('s') && n.arrivals > 0)
        .count();
    // Theory: 2,000 keys of 10,000 over 498 even shares reach nearly all (e^-4 miss: ~9).
    assert!(reached > 450, "{reached}");
}

#[test]
fn a_ring_over_the_bound_never_asks_for_its_points() {
    // The link that asked for 3,869,357,427 points per backend (a 64 GiB allocation when the
    // run was built). Once the validator reports bounds it is refused, naming the field;
    // until then, or compiled anyway, its ring has the most points allowed.
    match Simulation::new(&ring_scenario(3_869_357_427, 2)) {
        Ok(mut sim) => {
            assert_eq!(sim.advance_events(5_000), 5_000);
        }
        Err(diagnostics) => assert!(
            diagnostics.iter().any(|d| d
                .message
                .starts_with("algorithm.virtual_nodes is 3,869,357,427")),
            "{diagnostics:#?}"
        ),
    }
}
