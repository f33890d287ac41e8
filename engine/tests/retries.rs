//! Retries, circuit breakers and hedged requests with exact expectations: constant arrivals,
//! constant work and faults that fail everything make every attempt's time hand-computable.
//! (A constant client's first request leaves one period in: at 1 s at one a second.)

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::sim::motion::Leg;
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

/// A constant client `c` sending `requests` at `rate_per_s` over `edge` to a service `s` with
/// `service`, with `faults`.
fn scenario(
    rate_per_s: f64,
    requests: u64,
    service: Value,
    edge: Value,
    faults: Value,
) -> Scenario {
    let mut edge = edge;
    let ends = json!({ "from": "c", "to": "s" });
    edge.as_object_mut()
        .unwrap()
        .extend(ends.as_object().unwrap().clone());
    let doc = json!({
        "version": 1, "name": "retries", "seed": 5, "run": { "requests": requests },
        "nodes": [
            { "id": "c", "kind": "client",
              "config": { "arrival": { "constant": { "rate_per_s": rate_per_s } } } },
            { "id": "s", "kind": "service", "config": service },
        ],
        "edges": [edge],
        "faults": faults,
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn constant(ms: f64) -> Value {
    json!({ "constant": { "ms": ms } })
}

fn fails_always() -> Value {
    json!([{ "at_s": 0, "target": "s", "kind": { "errors": { "fraction": 1 } } }])
}

/// Runs to the end, recording every trip: the summary and the departures (ms) of every call
/// and retry along `c->s`.
fn run(s: &Scenario) -> (Summary, Vec<(Leg, f64)>) {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.record_motions(true);
    let mut trips = Vec::new();
    while sim.advance_events(1_000) > 0 {
        for m in sim.drain_motions() {
            if matches!(m.leg, Leg::Call | Leg::Retry) && m.from == 0 {
                trips.push((m.leg, m.depart as f64 / 1e6));
            }
        }
        assert!(sim.conservation().holds(), "{:?}", sim.conservation());
    }
    assert_eq!(sim.live_frames(), 0, "nothing leaks");
    (sim.summary(), trips)
}

fn outcome(s: &Summary, name: &str) -> u64 {
    let found = s.requests.by_outcome.iter().find(|(n, _)| *n == name);
    found.map_or(0, |(_, k)| *k)
}

fn policies(s: &Summary) -> &pattern_engine::metrics::summary::PolicySummary {
    s.policies
        .as_ref()
        .expect("a run with policies reports them")
}

#[test]
fn a_failing_call_is_tried_its_maximum_attempts_after_each_backoff_and_no_more() {
    // Every attempt fails at once (an errors fault at arrival, 1 ms each way). Four attempts
    // with exponential backoff from 100 ms: the first leaves at 1 s, and the retries 2+100,
    // 104+200 and 306+400 ms after it.
    let (s, trips) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 1, "service_time": constant(1.0) }),
        json!({ "latency_ms": 1, "retry": { "max_attempts": 4, "base_ms": 100 } }),
        fails_always(),
    ));
    let departures: Vec<f64> = trips.iter().map(|t| t.1).collect();
    assert_eq!(departures, [1000.0, 1102.0, 1304.0, 1706.0]);
    let legs: Vec<Leg> = trips.iter().map(|t| t.0).collect();
    assert_eq!(legs, [Leg::Call, Leg::Retry, Leg::Retry, Leg::Retry]);
    assert_eq!(outcome(&s, "failed_error"), 1, "the caller hears once");
    assert_eq!(policies(&s).retries, 3);
    let client = &s.nodes[0].1;
    assert_eq!(client.retries, Some(3));
    assert_eq!(
        s.nodes[1].1.arrivals, 4,
        "each retry is an arrival at the callee"
    );
    assert_eq!(s.latency_ms.count, 0);
}

#[test]
fn a_retry_that_succeeds_is_one_answer_at_the_time_of_its_attempt() {
    // Errors for 150 ms from the first call: attempts at +0 and +102 ms fail; the third, at
    // +304, succeeds (1 ms of work, 1 ms each way): the request takes 307 ms.
    let (s, trips) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 1, "service_time": constant(1.0) }),
        json!({ "latency_ms": 1, "retry": { "max_attempts": 5, "base_ms": 100 } }),
        json!([{ "at_s": 1, "for_s": 0.15, "target": "s",
                 "kind": { "errors": { "fraction": 1 } } }]),
    ));
    assert_eq!(trips.len(), 3);
    assert_eq!(s.requests.completed, 1);
    assert_eq!(s.latency_ms.max, 307.0);
    assert_eq!(policies(&s).retries, 2);
}

#[test]
fn a_timed_out_attempt_is_retried_and_its_late_answer_is_ignored() {
    // 50 ms of work, a 30 ms timeout per attempt, constant 10 ms backoff: attempts leave at
    // +0, +40, +80 ms; the third times out at +110 and the caller hears `timed_out` then.
    // Each attempt's work finishes for nobody.
    let (s, trips) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 3, "service_time": constant(50.0) }),
        json!({ "latency_ms": 0, "timeout_ms": 30,
                "retry": { "max_attempts": 3, "backoff": "constant", "base_ms": 10 } }),
        json!([]),
    ));
    let departures: Vec<f64> = trips.iter().map(|t| t.1).collect();
    assert_eq!(departures, [1000.0, 1040.0, 1080.0]);
    assert_eq!(outcome(&s, "timed_out"), 1);
    assert_eq!(
        s.nodes[1].1.wasted, 3,
        "three attempts' work, all for nobody"
    );
    assert_eq!(
        s.nodes[0].1.timed_out, 1,
        "the client saw one timeout, not three"
    );
}

#[test]
fn only_the_named_outcomes_are_retried() {
    let (s, trips) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 1, "service_time": constant(1.0) }),
        json!({ "latency_ms": 1, "retry": { "retry_on": ["timed_out"] } }),
        fails_always(),
    ));
    assert_eq!(trips.len(), 1, "failed_error is not retried");
    assert_eq!(policies(&s).retries, 0);
}

#[test]
fn no_retry_outlives_its_requests_deadline() {
    // Deadline 250 ms: the attempts at 0 and 102 fail before it and are retried; the third,
    // leaving at 304, is past it (refused where it arrives, `deadline_exceeded`): no fourth.
    let (s, trips) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 1, "service_time": constant(1.0) }),
        json!({ "latency_ms": 1, "deadline_ms": 250,
                "retry": { "max_attempts": 10, "base_ms": 100 } }),
        fails_always(),
    ));
    assert_eq!(trips.len(), 3);
    assert_eq!(policies(&s).retries, 2);
}

#[test]
fn a_share_budget_never_lets_more_calls_retry_than_its_share() {
    // 200 calls a second, each failing after 5 ms of work; a constant 50 ms backoff and up to
    // 10 attempts. Unbudgeted, every failure is retried; a budget of 10% with a floor of 1
    // lets at most max(1, 10% of the calls in progress) retry at once.
    let edge = |budget: Value| {
        let mut retry = json!({ "max_attempts": 10, "backoff": "constant", "base_ms": 50 });
        retry
            .as_object_mut()
            .unwrap()
            .extend(budget.as_object().unwrap().clone());
        json!({ "latency_ms": 0, "retry": retry })
    };
    let failing = json!([{ "at_s": 0, "target": "s",
                           "kind": { "errors": { "fraction": 1, "after_work": true } } }]);
    let service = json!({ "workers": 100, "service_time": constant(5.0) });
    let (free, _) = run(&scenario(
        200.0,
        400,
        service.clone(),
        edge(json!({})),
        failing.clone(),
    ));
    assert_eq!(
        policies(&free).retries,
        400 * 9,
        "every attempt but the first is a retry"
    );
    let budget = json!({ "budget_percent": 10, "budget_min_retries": 1 });
    let s = scenario(200.0, 400, service, edge(budget), failing);
    let mut sim = Simulation::new(&s).unwrap();
    let mut most = 0;
    let mut before = 0;
    while sim.step() {
        let (active, retrying) = sim.retry_budget(0).expect("the edge has a share budget");
        // A retry let through now: the calls retrying, it included, are within the share.
        if retrying > before {
            assert!(
                f64::from(retrying) <= (0.1 * f64::from(active)).max(1.0),
                "{retrying} retrying of {active} in progress"
            );
        }
        before = retrying;
        most = most.max(retrying);
    }
    let summary = sim.summary();
    let p = policies(&summary);
    assert!(
        p.retries < 400 * 9 / 4,
        "the budget held retries down: {}",
        p.retries
    );
    assert!(p.retries_refused > 0);
    assert!(most >= 1, "retries did happen");
}

#[test]
fn a_token_bucket_spends_one_token_a_retry_and_refills_on_success() {
    // Every call fails and none refills it: a bucket of 5 allows exactly 5 retries in the
    // whole run (two each for the first two requests, one for the third); every other
    // failure that would be retried is refused, one for each of the 18 other requests.
    let (s, _) = run(&scenario(
        10.0,
        20,
        json!({ "workers": 1, "service_time": constant(1.0) }),
        json!({ "latency_ms": 1, "retry": { "token_bucket": 5, "base_ms": 10 } }),
        fails_always(),
    ));
    assert_eq!(policies(&s).retries, 5);
    assert_eq!(policies(&s).retries_refused, 18);
}

#[test]
fn a_breaker_opens_at_its_threshold_refuses_then_probes_and_closes() {
    // One call every 10 ms from 10 ms; everything fails until 1 s. Count window of 10,
    // minimum 10, failure rate 50%: the 10th failure's answer (at 102 ms) opens it for 300
    // ms, so the calls at 110..=400 ms are refused; the call at 410 finds it half-open, and
    // its 2 trial calls (410, 420) fail: open again at 422 until 722. The trials at 730 and
    // 740 fail too (open at 742); those at 1050 and 1060, after the errors end, succeed:
    // closed at 1062.
    let s = scenario(
        100.0,
        200,
        json!({ "workers": 4, "service_time": constant(0.0) }),
        json!({ "latency_ms": 1, "breaker": {
            "window_size": 10, "minimum_calls": 10, "failure_rate_percent": 50,
            "open_ms": 300, "half_open_calls": 2 } }),
        json!([{ "at_s": 0, "for_s": 1, "target": "s",
                 "kind": { "errors": { "fraction": 1 } } }]),
    );
    let mut sim = Simulation::new(&s).unwrap();
    let mut states = Vec::new();
    while sim.step() {
        let (state, _) = sim.breaker(0).unwrap();
        if states.last().map(|(s, _)| *s) != Some(state) {
            states.push((state, sim.now() as f64 / 1e6));
        }
    }
    use pattern_engine::sim::BreakerState::*;
    let names: Vec<_> = states.iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        [Closed, Open, HalfOpen, Open, HalfOpen, Open, HalfOpen, Closed],
        "{states:?}"
    );
    let times: Vec<f64> = states.iter().map(|s| s.1).collect();
    assert_eq!(
        times[1..],
        [102.0, 410.0, 422.0, 730.0, 742.0, 1050.0, 1062.0],
        "opened by the 10th failure's answer, half-open at the first call after 300 ms"
    );
    let (_, counts) = sim.breaker(0).unwrap();
    assert_eq!(
        (counts.opened, counts.half_opened, counts.closed),
        (3, 3, 1)
    );
    let summary = sim.summary();
    assert_eq!(outcome(&summary, "circuit_open"), counts.refused);
    // 200 calls: 10 + 2 + 2 failed for real before 1 s, the rest of those before 1 s refused.
    assert_eq!(outcome(&summary, "failed_error"), 14);
    assert_eq!(summary.requests.completed + 14 + counts.refused, 200);
    let breaker = &policies(&summary).breakers[0];
    assert_eq!(breaker.0, "c->s");
    assert_eq!(breaker.1.state, "closed");
}

#[test]
fn a_hedge_leaves_at_its_delay_and_the_first_good_answer_wins() {
    // Constant work of 30 ms on one worker: a call alone answers at 32 ms (1 ms each way).
    // Hedging at 10 ms sends a second attempt, which queues behind the first: the first
    // wins, and the hedge's work (31-61 ms) is for nobody.
    let (s, trips) = run(&scenario(
        1.0,
        3,
        json!({ "workers": 1, "service_time": constant(30.0) }),
        json!({ "latency_ms": 1, "hedge": { "delay_ms": 10 } }),
        json!([]),
    ));
    let departures: Vec<f64> = trips.iter().map(|t| t.1).collect();
    assert_eq!(departures, [1000.0, 1010.0, 2000.0, 2010.0, 3000.0, 3010.0]);
    assert_eq!(s.requests.completed, 3);
    assert_eq!(s.latency_ms.max, 32.0, "the first attempt's answer");
    let p = policies(&s);
    assert_eq!((p.hedges, p.hedges_won), (3, 0));
    assert_eq!(
        s.nodes[1].1.wasted, 3,
        "each losing hedge's work was for nobody"
    );
    assert_eq!(s.nodes[0].1.hedges, Some((3, 0)));
}

#[test]
fn a_hedge_wins_when_the_first_attempt_is_slow() {
    // A slow fault triples the work begun in the first 5 ms of the call: the first attempt
    // takes 90 ms; the hedge, sent at +10 ms to a second worker, answers at 10 + 1 + 30 + 1
    // = 42 ms.
    let (s, _) = run(&scenario(
        1.0,
        1,
        json!({ "workers": 2, "service_time": constant(30.0) }),
        json!({ "latency_ms": 1, "hedge": { "delay_ms": 10 } }),
        json!([{ "at_s": 1, "for_s": 0.005, "target": "s", "kind": { "slow": { "factor": 3 } } }]),
    ));
    assert_eq!(s.latency_ms.max, 42.0);
    let p = policies(&s);
    assert_eq!((p.hedges, p.hedges_won), (1, 1));
    assert_eq!(s.nodes[1].1.wasted, 1, "the slow first attempt's work");
}

#[test]
fn a_hedge_is_not_sent_when_the_answer_comes_first() {
    let (s, trips) = run(&scenario(
        1.0,
        5,
        json!({ "workers": 1, "service_time": constant(5.0) }),
        json!({ "latency_ms": 1, "hedge": { "delay_ms": 10 } }),
        json!([]),
    ));
    assert_eq!(trips.len(), 5);
    assert_eq!(policies(&s).hedges, 0);
}

mod random_policies {
    //! Conservation, no leaks and the attempt limit hold whatever the policies and faults.

    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// One edge's random policies: (retry attempts and jitter, a breaker, a hedge, a timeout,
    /// a bulkhead), each maybe absent.
    type EdgeSpec = (
        Option<(u32, u8, u8, f64)>,
        Option<(u32, f64)>,
        Option<f64>,
        Option<f64>,
        Option<u32>,
    );

    fn edge_spec() -> impl Strategy<Value = EdgeSpec> {
        (
            proptest::option::of((1u32..5, 0u8..4, 0u8..3, 0.0f64..50.0)),
            proptest::option::of((1u32..20, 10.0f64..300.0)),
            proptest::option::of(1.0f64..40.0),
            proptest::option::of(5.0f64..200.0),
            proptest::option::of(1u32..8),
        )
    }

    fn policies(
        (retry, breaker, hedge, timeout, bulkhead): &EdgeSpec,
        from: &str,
        to: &str,
    ) -> Value {
        let mut e = json!({ "from": from, "to": to, "latency_ms": 1 });
        if let Some((attempts, jitter, budget, base)) = retry {
            let jitter = ["none", "full", "equal", "decorrelated"][*jitter as usize];
            let mut r = json!({ "max_attempts": attempts, "jitter": jitter, "base_ms": base,
                                "cap_ms": base * 8.0 });
            match budget {
                1 => r["budget_percent"] = json!(20),
                2 => r["token_bucket"] = json!(4),
                _ => {}
            }
            e["retry"] = r;
        } else if let Some(delay) = hedge {
            e["hedge"] = json!({ "delay_ms": delay, "at_p95": *delay > 20.0 });
        }
        if let Some((window, open)) = breaker {
            e["breaker"] = json!({ "window_size": window, "minimum_calls": window,
                                   "open_ms": open, "half_open_calls": 2 });
        }
        if let Some(t) = timeout {
            e["timeout_ms"] = json!(t);
        }
        if let Some(b) = bulkhead {
            e["bulkhead"] = json!(b);
        }
        e
    }

    fn build(edges: &[EdgeSpec; 4], faults: &[(u8, f64, f64)], seed: u64, lc: bool) -> Scenario {
        let ends = [("c", "lb"), ("lb", "a"), ("lb", "b"), ("a", "db")];
        let edges: Vec<Value> = ends
            .iter()
            .zip(edges)
            .map(|((f, t), spec)| policies(spec, f, t))
            .chain([json!({ "from": "b", "to": "db", "latency_ms": 1 })])
            .collect();
        let faults: Vec<Value> = faults
            .iter()
            .map(|&(kind, at, for_s)| {
                let (target, kind) = match kind {
                    0 => ("a", json!({ "errors": { "fraction": 0.7 } })),
                    1 => ("b", json!({ "slow": { "factor": 8 } })),
                    2 => ("a", json!("crash")),
                    3 => (
                        "db",
                        json!({ "errors": { "fraction": 1, "after_work": true } }),
                    ),
                    _ => ("lb->b", json!({ "latency": { "plus_ms": 30 } })),
                };
                json!({ "at_s": at, "for_s": for_s, "target": target, "kind": kind })
            })
            .collect();
        let algorithm = if lc {
            "least_connections"
        } else {
            "round_robin"
        };
        let service = |id: &str| {
            json!({ "id": id, "kind": "service", "config": {
            "workers": 2, "queue_capacity": 20,
            "service_time": { "exponential": { "mean_ms": 3 } } } })
        };
        let doc = json!({
            "version": 1, "name": "random policies", "seed": seed,
            "run": { "requests": 600, "window_s": 0.1 },
            "nodes": [
                { "id": "c", "kind": "client",
                  "config": { "arrival": { "poisson": { "rate_per_s": 400 } } } },
                { "id": "lb", "kind": "load_balancer", "config": { "algorithm": algorithm } },
                service("a"), service("b"),
                { "id": "db", "kind": "database", "config": { "connections": 3,
                  "read_time": { "exponential": { "mean_ms": 2 } },
                  "write_time": { "exponential": { "mean_ms": 2 } } } },
            ],
            "edges": edges,
            "faults": faults,
        });
        from_json(&doc.to_string()).expect("generated scenarios parse")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn conservation_holds_and_no_call_exceeds_its_attempts(
            edges in [edge_spec(), edge_spec(), edge_spec(), edge_spec()],
            faults in prop::collection::vec((0u8..5, 0.2f64..1.2, 0.05f64..0.6), 0..4),
            seed in any::<u64>(),
            lc in any::<bool>(),
        ) {
            let s = build(&edges, &faults, seed, lc);
            let mut sim = Simulation::new(&s).unwrap_or_else(|d| panic!("{d:#?}"));
            sim.record_motions(true);
            // Per (request, edge): first attempts and later ones.
            let mut attempts: HashMap<(u64, u32, u32), (u32, u32)> = HashMap::new();
            while sim.advance_events(97) > 0 {
                prop_assert!(sim.conservation().holds(), "{:?}", sim.conservation());
                for m in sim.drain_motions() {
                    let entry = attempts.entry((m.request, m.from, m.to)).or_default();
                    match m.leg {
                        Leg::Call => entry.0 += 1,
                        Leg::Retry => entry.1 += 1,
                        _ => {}
                    }
                }
                prop_assert!(sim.events() < 3_000_000, "bounded");
            }
            prop_assert_eq!(sim.live_frames(), 0);
            prop_assert_eq!(sim.conservation().in_flight, 0);
            let most = |from: u32, to: u32| -> u32 {
                let spec = match (from, to) {
                    (0, 1) => &edges[0],
                    (1, 2) => &edges[1],
                    (1, 3) => &edges[2],
                    (2, 4) => &edges[3],
                    _ => return 1,
                };
                match (&spec.0, spec.2) {
                    (Some((n, ..)), _) => *n,
                    (None, Some(_)) => 2, // a hedge is one more attempt
                    _ => 1,
                }
            };
            for ((_, from, to), (first, later)) in attempts {
                prop_assert!(
                    first + later <= first * most(from, to),
                    "{first} calls from {from} to {to} made {later} more attempts"
                );
            }
        }
    }
}

#[test]
fn what_all_policies_hold_together_is_bounded_and_the_edge_past_it_named() {
    // A balancer over 120 backends, each edge with the largest breaker window and a p95
    // hedge: 1.2 million window cells and 120 histograms, past both bounds.
    let backends = 120;
    let mut nodes = vec![
        json!({ "id": "c", "kind": "client", "config": {} }),
        json!({ "id": "lb", "kind": "load_balancer", "config": {} }),
    ];
    let mut edges = vec![json!({ "from": "c", "to": "lb" })];
    for i in 0..backends {
        nodes.push(json!({ "id": format!("s{i}"), "kind": "service", "config": {} }));
        edges.push(json!({ "from": "lb", "to": format!("s{i}"),
            "breaker": { "window_size": 10000 }, "hedge": { "at_p95": true } }));
    }
    let doc = json!({ "version": 1, "nodes": nodes, "edges": edges });
    let s = from_json(&doc.to_string()).unwrap();
    let found: Vec<(String, String)> = pattern_engine::scenario::validate(&s)
        .into_iter()
        .filter(|d| d.code == "out_of_bounds")
        .map(|d| (format!("{:?}", d.target), d.field.unwrap_or_default()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].0.contains("s100") && found[0].1 == "breaker.window_size");
    assert!(found[1].0.contains("s100") && found[1].1 == "hedge.at_p95");
    // Within the bounds, the same shape is fine.
    edges.truncate(101);
    let doc = json!({ "version": 1, "nodes": nodes, "edges": edges });
    let s = from_json(&doc.to_string()).unwrap();
    assert!(Simulation::new(&s).is_ok());
}
