//! The validator finds every problem at once, names the node, edge or field it is about, and
//! tells errors (the run cannot start) from hints (it runs, but probably not as meant).

use pattern_engine::json::{compact, ToJson};
use pattern_engine::scenario::{from_json, validate, Diagnostic, Severity, Target};
use pattern_engine::Simulation;
use serde_json::{json, Value};

fn diagnose(nodes: Value, edges: Value, run: Value) -> Vec<Diagnostic> {
    let doc = json!({ "version": 1, "run": run, "nodes": nodes, "edges": edges });
    validate(&from_json(&doc.to_string()).expect("parses"))
}

fn has(ds: &[Diagnostic], severity: Severity, code: &str, target: Target) -> bool {
    ds.iter()
        .any(|d| d.severity == severity && d.code == code && d.target == target)
}

fn node(id: &str) -> Target {
    Target::Node(id.into())
}

fn client() -> Value {
    json!({ "id": "c", "kind": "client" })
}

#[test]
fn an_edge_to_a_missing_node_names_the_edge_and_the_end() {
    let ds = diagnose(
        json!([client()]),
        json!([{ "from": "c", "to": "ghost" }]),
        json!({ "requests": 10 }),
    );
    let d = ds
        .iter()
        .find(|d| d.code == "edge_missing_node")
        .expect("found");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(
        d.target,
        Target::Edge {
            from: "c".into(),
            to: "ghost".into()
        }
    );
    assert_eq!(d.field.as_deref(), Some("to"));
    assert!(d.message.contains("ghost"));
}

#[test]
fn a_negative_rate_is_an_error_on_the_field() {
    let ds = diagnose(
        json!([{ "id": "c", "kind": "client", "config": { "arrival": { "poisson": { "rate_per_s": -3 } } } }, { "id": "s", "kind": "service" }]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 10 }),
    );
    let d = ds
        .iter()
        .find(|d| d.code == "out_of_bounds")
        .expect("found");
    assert_eq!(
        (d.target.clone(), d.field.as_deref()),
        (node("c"), Some("config.arrival.rate_per_s"))
    );
    assert!(
        d.to_string()
            .starts_with("error: node `c` config.arrival.rate_per_s: "),
        "{d}"
    );
}

#[test]
fn a_path_without_an_end_is_an_error() {
    let ds = diagnose(
        json!([client(), { "id": "lb", "kind": "load_balancer" }]),
        json!([{ "from": "c", "to": "lb" }]),
        json!({ "requests": 10 }),
    );
    assert!(has(&ds, Severity::Error, "no_path", node("lb")));
    let ds = diagnose(json!([client()]), json!([]), json!({ "requests": 10 }));
    assert!(has(&ds, Severity::Error, "no_path", node("c")));
}

#[test]
fn a_cycle_without_a_hop_limit_is_an_error_naming_the_loop() {
    let nodes =
        json!([client(), { "id": "a", "kind": "service" }, { "id": "b", "kind": "service" }]);
    let edges =
        json!([{ "from": "c", "to": "a" }, { "from": "a", "to": "b" }, { "from": "b", "to": "a" }]);
    let ds = diagnose(nodes.clone(), edges.clone(), json!({ "requests": 10 }));
    let d = ds.iter().find(|d| d.code == "cycle").expect("found");
    assert!(d.message.contains("a -> b -> a"), "{}", d.message);
    assert!(d.message.contains("hop_limit"));
    let ds = diagnose(nodes, edges, json!({ "requests": 10, "hop_limit": 8 }));
    assert!(!ds.iter().any(|d| d.code == "cycle"));
}

#[test]
fn hints_teach_without_stopping_the_run() {
    let nodes = json!([client(), { "id": "s", "kind": "service" }, { "id": "cache", "kind": "cache" }, { "id": "db", "kind": "database" }]);
    let edges = json!([{ "from": "c", "to": "s" }, { "from": "s", "to": "cache" }]);
    let ds = diagnose(nodes.clone(), edges.clone(), json!({ "requests": 10 }));
    assert!(has(&ds, Severity::Hint, "cache_no_backend", node("cache")));
    assert!(has(&ds, Severity::Hint, "unreachable", node("db")));
    assert!(ds.iter().all(|d| d.severity == Severity::Hint));
    let doc = json!({ "version": 1, "run": { "requests": 10 }, "nodes": nodes, "edges": edges });
    assert!(Simulation::new(&from_json(&doc.to_string()).unwrap()).is_ok());

    let ds = diagnose(
        json!([{ "id": "db", "kind": "database" }]),
        json!([]),
        json!({ "requests": 10 }),
    );
    assert!(has(&ds, Severity::Hint, "no_entry_point", Target::Scenario));
}

#[test]
fn kinds_that_cannot_be_connected_are_refused_with_the_reason() {
    let ds = diagnose(
        json!([client(), { "id": "db", "kind": "database" }, { "id": "s", "kind": "service" }, { "id": "w", "kind": "worker" }]),
        json!([{ "from": "c", "to": "db" }, { "from": "db", "to": "s" }, { "from": "s", "to": "w" }, { "from": "s", "to": "c" }]),
        json!({ "requests": 10 }),
    );
    let refused: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "edge_kinds").collect();
    assert_eq!(refused.len(), 3, "{refused:#?}");
    assert!(refused
        .iter()
        .any(|d| d.message.contains("database answers and calls nothing")));
}

#[test]
fn every_problem_is_reported_at_once_errors_first() {
    let ds = diagnose(
        json!([{ "id": "Bad Id", "kind": "service", "config": { "workers": 0 } }, { "id": "x", "kind": "cache" }, { "id": "x", "kind": "cache" }]),
        json!([{ "from": "x", "to": "x", "latency_ms": -1 }]),
        json!({ "requests": 0, "window_s": 0 }),
    );
    let codes: Vec<&str> = ds.iter().map(|d| d.code).collect();
    for code in [
        "node_id",
        "config",
        "duplicate_id",
        "self_loop",
        "edge_latency",
        "run_requests",
        "run_window",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let first_hint = ds
        .iter()
        .position(|d| d.severity == Severity::Hint)
        .unwrap_or(ds.len());
    assert!(ds[first_hint..]
        .iter()
        .all(|d| d.severity == Severity::Hint));
}

#[test]
fn diagnostics_serialise_for_the_editor() {
    let ds = diagnose(json!([client()]), json!([]), json!({ "requests": 10 }));
    let text = compact(&ds[0].to_tree());
    assert!(
        text.contains(r#""severity":"error""#) && text.contains(r#""target":{"node":"c"}"#),
        "{text}"
    );
}

#[test]
fn a_queue_in_a_services_call_order_is_refused() {
    let ds = diagnose(
        json!([client(), { "id": "s", "kind": "service", "config": { "calls": ["q"] } }, { "id": "q", "kind": "queue" }, { "id": "w", "kind": "worker" }]),
        json!([{ "from": "c", "to": "s" }, { "from": "s", "to": "q" }, { "from": "q", "to": "w" }]),
        json!({ "requests": 10 }),
    );
    assert!(has(&ds, Severity::Error, "call_to_queue", node("s")));
}

#[test]
fn values_that_would_overflow_simulated_time_are_refused() {
    let ds = diagnose(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "poisson": { "rate_per_s": 1e-9 } } } },
            { "id": "s", "kind": "service", "config": { "timeout_ms": 1e14, "service_time": { "log_normal": { "median_ms": 5, "sigma": 10 } } } }
        ]),
        json!([{ "from": "c", "to": "s", "latency_ms": 1e12 }]),
        json!({ "duration_s": 1e12, "requests": null }),
    );
    let fields: Vec<&str> = ds.iter().filter_map(|d| d.field.as_deref()).collect();
    for field in [
        "config.arrival.rate_per_s",
        "config.timeout_ms",
        "config.service_time",
        "latency_ms",
        "duration_s",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
}
