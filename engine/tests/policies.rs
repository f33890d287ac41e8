//! Edge policies with exact expectations: a per-attempt timeout at the caller, a deadline
//! carried by the request and checked at every hop, a bulkhead on an edge, and what they
//! measure (timed-out calls, skipped work, goodput, wasted work). Constant arrivals and
//! constant work make every number hand-computable.

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

/// A constant client sending `requests` at `rate_per_s` to a service `s` with `service`
/// config, over the edge `edge` (from, to and latency filled in), with `more` nodes and edges
/// after them.
fn scenario(rate_per_s: f64, requests: u64, service: Value, edge: Value, more: Value) -> Scenario {
    let mut edge = edge;
    edge.as_object_mut().unwrap().extend(
        json!({ "from": "c", "to": "s" })
            .as_object()
            .unwrap()
            .clone(),
    );
    let mut nodes = vec![
        json!({ "id": "c", "kind": "client",
                "config": { "arrival": { "constant": { "rate_per_s": rate_per_s } } } }),
        json!({ "id": "s", "kind": "service", "config": service }),
    ];
    let mut edges = vec![edge];
    nodes.extend(more["nodes"].as_array().cloned().unwrap_or_default());
    edges.extend(more["edges"].as_array().cloned().unwrap_or_default());
    let doc = json!({
        "version": 1, "name": "policies", "seed": 1, "run": { "requests": requests },
        "nodes": nodes, "edges": edges,
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn run(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    assert!(sim.conservation().holds(), "{:?}", sim.conservation());
    sim.summary()
}

fn outcome(s: &Summary, name: &str) -> u64 {
    let found = s.requests.by_outcome.iter().find(|(n, _)| *n == name);
    found.map_or(0, |(_, k)| *k)
}

fn node<'a>(s: &'a Summary, id: &str) -> &'a pattern_engine::metrics::summary::NodeSummary {
    &s.nodes.iter().find(|(n, _)| n == id).unwrap().1
}

fn constant(ms: f64) -> Value {
    json!({ "constant": { "ms": ms } })
}

#[test]
fn a_caller_gives_up_at_its_timeout_and_the_callee_works_on_for_nobody() {
    // Each call leaves at t, reaches the service at t + 10 ms and is worked on until t + 60;
    // the client stops waiting at t + 30. One request every 100 ms: nothing queues.
    let s = run(&scenario(
        10.0,
        50,
        json!({ "workers": 1, "service_time": constant(50.0) }),
        json!({ "latency_ms": 10, "timeout_ms": 30 }),
        json!({}),
    ));
    assert_eq!(outcome(&s, "timed_out"), 50);
    assert_eq!(s.requests.completed, 0);
    let c = node(&s, "c");
    assert_eq!(
        c.timed_out, 50,
        "counted where it was decided, at the client"
    );
    let svc = node(&s, "s");
    assert_eq!(
        svc.answered, 50,
        "the service never heard and answered every one"
    );
    assert_eq!(
        (svc.wasted, svc.wasted_s),
        (50, 2.5),
        "50 × 50 ms for nobody"
    );
    assert_eq!(s.goodput_per_s, 0.0);
}

#[test]
fn a_timeout_the_answer_beats_changes_nothing() {
    let with = run(&scenario(
        10.0,
        50,
        json!({ "workers": 1, "service_time": constant(50.0) }),
        json!({ "latency_ms": 10, "timeout_ms": 71 }),
        json!({}),
    ));
    assert_eq!(with.requests.completed, 50);
    assert_eq!(with.latency_ms.max, 70.0);
    assert_eq!(node(&with, "s").wasted, 0);
    assert_eq!(with.goodput_per_s, with.throughput_per_s);
}

#[test]
fn a_deadline_is_checked_before_work_and_only_answers_within_it_are_goodput() {
    // One request every 50 ms, 120 ms of work on one worker, deadline 200 ms, no latency.
    // r0 works 0-120 (ok, 120 ms); r1 waits, works 120-240 (190 ms); r2 works 240-360 (ok
    // but 260 ms, past its deadline); r3's turn comes at 360, past its deadline at 350: refused
    // without work; r4 (deadline 400) works 360-480 (280 ms, late).
    let s = run(&scenario(
        20.0,
        5,
        json!({ "workers": 1, "service_time": constant(120.0) }),
        json!({ "latency_ms": 0, "deadline_ms": 200 }),
        json!({}),
    ));
    assert_eq!(s.requests.completed, 4);
    assert_eq!(outcome(&s, "deadline_exceeded"), 1);
    assert_eq!(s.latency_ms.max, 280.0);
    assert_eq!(
        s.goodput_per_s / s.throughput_per_s,
        0.5,
        "two of the four answers came within their deadline"
    );
    let svc = node(&s, "s");
    assert_eq!(svc.timed_out, 1, "the refusal is the service's");
    assert_eq!(
        svc.mean_service_ms,
        Some(120.0),
        "the refused request did no work"
    );
}

#[test]
fn a_deadline_travels_with_the_request_and_a_later_hop_refuses_it_on_arrival() {
    // c -> s (10 ms, deadline 100) -> d (100 ms): the request reaches d at 10 + 5 + 100 =
    // 115 ms, past its deadline; d refuses it with no work, and s passes the refusal back.
    let s = run(&scenario(
        10.0,
        20,
        json!({ "workers": 4, "service_time": constant(5.0) }),
        json!({ "latency_ms": 10, "deadline_ms": 100 }),
        json!({
            "nodes": [{ "id": "d", "kind": "database",
                        "config": { "read_time": constant(5.0), "write_time": constant(5.0) } }],
            "edges": [{ "from": "s", "to": "d", "latency_ms": 100 }],
        }),
    ));
    assert_eq!(outcome(&s, "deadline_exceeded"), 20);
    let d = node(&s, "d");
    assert_eq!((d.arrivals, d.timed_out, d.answered), (20, 20, 0));
    assert_eq!(d.mean_service_ms, None, "no query ran");
    // 10 + 5 + 100 there, 100 + 10 back: every refusal takes 225 ms to reach the client.
    assert_eq!(s.latency_ms.count, 0);
    assert_eq!(s.goodput_per_s, 0.0);
}

/// A service with 4 workers calling a database of 10 connections with `work_ms` per query,
/// over an edge with `policy` (from s to d, no latency), at 100 requests/s.
fn behind_a_bulkhead(requests: u64, work_ms: f64, policy: Value) -> Summary {
    let mut edge = json!({ "from": "s", "to": "d", "latency_ms": 0 });
    edge.as_object_mut()
        .unwrap()
        .extend(policy.as_object().unwrap().clone());
    run(&scenario(
        100.0,
        requests,
        json!({ "workers": 4, "service_time": constant(0.0) }),
        json!({ "latency_ms": 0 }),
        json!({
            "nodes": [{ "id": "d", "kind": "database",
                        "config": { "read_time": constant(work_ms), "write_time": constant(work_ms) } }],
            "edges": [edge],
        }),
    ))
}

#[test]
fn a_bulkhead_lets_out_its_places_and_fails_the_rest_at_once() {
    // Calls every 10 ms each hold the database 100 ms; two places: of each ten requests the
    // first two get through (a place frees at the instant the next ten begin).
    let s = behind_a_bulkhead(100, 100.0, json!({ "bulkhead": 2 }));
    assert_eq!(s.requests.completed, 20);
    assert_eq!(outcome(&s, "dropped_bulkhead_full"), 80);
    let svc = node(&s, "s");
    assert_eq!(
        svc.dropped, 80,
        "refused at the service, where the bulkhead is"
    );
    assert_eq!(
        svc.max_queue_length, 0,
        "failing fast, no request waits for a worker"
    );
    // Without it, the database's calls hold all four workers and requests queue.
    let open = behind_a_bulkhead(100, 100.0, json!({}));
    assert_eq!(open.requests.completed, 100);
    assert!(node(&open, "s").max_queue_length > 10);
}

#[test]
fn a_timed_out_call_gives_its_bulkhead_place_back() {
    // One place, 30 ms timeout, 100 ms queries: request k takes the place when k is a
    // multiple of 3 (its predecessor's timeout fired at that very instant) and times out;
    // the others find it taken. The database works on for nobody.
    let s = behind_a_bulkhead(99, 100.0, json!({ "bulkhead": 1, "timeout_ms": 30 }));
    assert_eq!(outcome(&s, "timed_out"), 33);
    assert_eq!(outcome(&s, "dropped_bulkhead_full"), 66);
    let d = node(&s, "d");
    assert_eq!((d.answered, d.wasted), (33, 33));
    assert!((d.wasted_s - 3.3).abs() < 1e-9, "{}", d.wasted_s);
}

#[test]
fn work_cut_short_by_a_crash_is_wasted() {
    let mut s = scenario(
        10.0,
        20,
        json!({ "workers": 1, "service_time": constant(50.0) }),
        json!({ "latency_ms": 0 }),
        json!({}),
    );
    // At 1.02 s the service is 20 ms into request 10's work.
    s.faults = serde_json_faults(r#"[{"at_s":1.02,"for_s":0.5,"target":"s","kind":"crash"}]"#);
    let s = run(&s);
    let svc = node(&s, "s");
    assert_eq!(svc.wasted, 1);
    assert!((svc.wasted_s - 0.02).abs() < 1e-9, "{}", svc.wasted_s);
}

fn serde_json_faults(text: &str) -> Vec<pattern_engine::scenario::Fault> {
    let doc = json!({
        "version": 1, "name": "f", "run": { "requests": 1 },
        "nodes": [{ "id": "c", "kind": "client" }, { "id": "s", "kind": "service" }],
        "edges": [{ "from": "c", "to": "s" }],
        "faults": serde_json::from_str::<Value>(text).unwrap(),
    });
    from_json(&doc.to_string()).unwrap().faults
}

#[test]
fn policies_are_refused_where_they_mean_nothing() {
    use pattern_engine::scenario::{validate, Severity};
    let errors = |s: &Scenario| -> Vec<(&'static str, Option<String>)> {
        validate(s)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| (d.code, d.field))
            .collect()
    };
    let field = |code: &'static str, field: &str| (code, Some(field.to_string()));
    let numbers = scenario(
        10.0,
        5,
        json!({ "workers": 1 }),
        json!({ "timeout_ms": 0, "bulkhead": 0 }),
        json!({}),
    );
    assert_eq!(
        errors(&numbers),
        [
            field("edge_timeout", "timeout_ms"),
            field("out_of_bounds", "bulkhead")
        ]
    );
    let places = scenario(
        10.0,
        5,
        json!({ "workers": 1 }),
        json!({}),
        json!({
            "nodes": [{ "id": "d", "kind": "database" }, { "id": "q", "kind": "queue" },
                      { "id": "w", "kind": "worker" }],
            "edges": [{ "from": "s", "to": "d", "deadline_ms": 50 },
                      { "from": "s", "to": "q", "timeout_ms": 50 },
                      { "from": "q", "to": "w", "timeout_ms": 50 }],
        }),
    );
    assert_eq!(
        errors(&places),
        [
            field("deadline_not_from_client", "deadline_ms"),
            field("policy_on_publish", "timeout_ms"),
        ],
        "a queue's delivery to its worker may time out"
    );
}
