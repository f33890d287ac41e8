//! Engine speed: events and requests per second of wall-clock time, with metrics on, for the
//! shipped M/M/4 benchmark model and the reference architecture; then the set-up of the
//! largest scenarios the bounds allow and the worst arrival processes, per event. Prints
//! tables; asserts nothing (speed targets live here, not in tests that would flake).
//!
//! ```text
//! cargo bench -p pattern-engine                         # native
//! scripts/bench-wasm.sh                                 # the same code as wasm, under node
//! ```
//! The scenarios are compiled in, so the wasm build needs no file system.

use pattern_engine::components::api_gateway::{GatewayConfig, Match, Route};
use pattern_engine::components::client::{ClientConfig, WeightedRoute};
use pattern_engine::components::Component;
use pattern_engine::scenario::{from_json, Edge, Node, Scenario};
use pattern_engine::Simulation;
use std::fmt::Write;
use std::time::Instant;

const MODELS: [(&str, &str, u64); 2] = [
    (
        "bench/mm4.json",
        include_str!("../../public/scenarios/bench/mm4.json"),
        2_000_000,
    ),
    (
        "default.json",
        include_str!("../../public/scenarios/default.json"),
        200_000,
    ),
];
const ROUNDS: usize = 5;

fn main() {
    println!(
        "{:<16} {:>10} {:>12} {:>9} {:>14} {:>14}",
        "scenario", "requests", "events", "best s", "events/s", "requests/s"
    );
    for (name, text, requests) in MODELS {
        let mut scenario = from_json(text).expect("shipped scenario");
        scenario.run.requests = Some(requests);
        let mut best = f64::INFINITY;
        let mut events = 0;
        for _ in 0..ROUNDS {
            let mut sim = Simulation::new(&scenario).expect("valid");
            let started = Instant::now();
            sim.run_to_end();
            let elapsed = started.elapsed().as_secs_f64();
            // Use the summary so the optimiser cannot drop the metrics work.
            assert_eq!(sim.summary().requests.generated, requests);
            best = best.min(elapsed);
            events = sim.events();
        }
        println!(
            "{name:<16} {requests:>10} {events:>12} {best:>9.3} {:>14.0} {:>14.0}",
            events as f64 / best,
            requests as f64 / best
        );
    }
    set_up();
    hostile_arrivals();
}

/// A scenario's JSON from its nodes and edges (lists of JSON objects).
fn scenario(nodes: &str, edges: &str, run: &str) -> Scenario {
    let text = format!(
        r#"{{"version": 1, "name": "bench", "seed": 1, "run": {run}, "nodes": [{nodes}], "edges": [{edges}]}}"#
    );
    from_json(&text).expect("valid scenario")
}

/// The best of three `Simulation::new`s, in seconds.
fn best_set_up(s: &Scenario) -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let sim = Simulation::new(s).expect("valid");
            let elapsed = started.elapsed().as_secs_f64();
            drop(sim);
            elapsed
        })
        .fold(f64::INFINITY, f64::min)
}

/// `Simulation::new` (validation and compiling) of the largest scenarios the bounds allow:
/// named routes (100 per client, 1,000 gateway rules) and a consistent hash (1,000 points
/// per backend).
fn set_up() {
    println!("\n{:<44} {:>10} {:>9}", "set-up", "size", "best s");
    // Routes: `clients` clients of 100 routes each behind one gateway with 1,000 rules (too
    // large for a scenario file: built as values).
    for clients in [100, 200, 400] {
        let mut s = scenario(
            r#"{"id": "gw", "kind": "api_gateway"}, {"id": "s", "kind": "service"}"#,
            r#"{"from": "gw", "to": "s"}"#,
            r#"{"requests": 10}"#,
        );
        let name = |route: usize| format!("c{}_r{}", route / 100, route % 100);
        for c in 0..clients {
            let client = ClientConfig {
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
        let routes = (0..1000)
            .map(|i| Route {
                matches: Match::Route(name(i * clients / 10)),
                to: "s".into(),
            })
            .collect();
        s.nodes[0].component = Component::ApiGateway(GatewayConfig { routes });
        let label = format!("{clients} clients x 100 routes, 1,000 rules");
        println!("{label:<44} {:>10} {:>9.4}", clients * 100, best_set_up(&s));
    }
    // A consistent hash over `backends` services, 1,000 points each.
    for backends in [100, 250, 498] {
        let mut nodes = String::from(
            r#"{"id": "c", "kind": "client"}, {"id": "lb", "kind": "load_balancer", "config": {"algorithm": {"consistent_hash": {"virtual_nodes": 1000}}}}"#,
        );
        let mut edges = String::from(r#"{"from": "c", "to": "lb"}"#);
        for i in 0..backends {
            let _ = write!(nodes, r#", {{"id": "s{i}", "kind": "service"}}"#);
            let _ = write!(edges, r#", {{"from": "lb", "to": "s{i}"}}"#);
        }
        let s = scenario(&nodes, &edges, r#"{"requests": 10}"#);
        let label = format!("ring of {backends} backends x 1,000 points");
        println!(
            "{label:<44} {:>10} {:>9.4}",
            backends * 1000,
            best_set_up(&s)
        );
    }
}

/// Wall time per event of the arrival processes that cost the most per arrival: bursts and
/// ramps whose rate is far below their peak, where thinning gives up after its bound.
fn hostile_arrivals() {
    println!(
        "\n{:<44} {:>10} {:>9} {:>10}",
        "arrivals", "events", "best s", "us/event"
    );
    let cases = [
        (
            "bursts: 1 ms a year at 1e7/s, none between",
            r#"{"bursts": {"base_rate_per_s": 0, "burst_rate_per_s": 1e7, "period_s": 3e7, "burst_s": 0.001}}"#,
        ),
        (
            "ramp: 0 to 1e7/s over a year",
            r#"{"ramp": {"from_per_s": 0, "to_per_s": 1e7, "over_s": 3e7}}"#,
        ),
        (
            "bursts: 100/s, 1e7/s for 1 ms a second",
            r#"{"bursts": {"base_rate_per_s": 100, "burst_rate_per_s": 1e7, "period_s": 1, "burst_s": 0.001}}"#,
        ),
    ];
    let events = 200_000;
    for (label, arrival) in cases {
        let nodes = format!(
            r#"{{"id": "c", "kind": "client", "config": {{"arrival": {arrival}}}}}, {{"id": "s", "kind": "service", "config": {{"workers": 10000, "service_time": {{"constant": {{"ms": 0.001}}}}}}}}"#
        );
        let s = scenario(
            &nodes,
            r#"{"from": "c", "to": "s"}"#,
            r#"{"requests": 1000000}"#,
        );
        let best = (0..3)
            .map(|_| {
                let mut sim = Simulation::new(&s).expect("valid");
                let started = Instant::now();
                assert_eq!(sim.advance_events(events), events);
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!(
            "{label:<44} {events:>10} {best:>9.4} {:>10.2}",
            best * 1e6 / events as f64
        );
    }
}
