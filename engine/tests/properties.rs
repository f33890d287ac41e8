//! Properties over random scenarios (proptest):
//! - conservation holds at every instant, and a drained run leaves nothing behind;
//! - the same scenario and seed give byte-identical summaries and event logs;
//! - advancing in many random slices gives exactly the result of one run;
//! - any scenario the validator accepts runs without panicking;
//! - a node ends requests only in the ways its kind declares.

mod common;

use common::random_scenario::may_call;
use pattern_engine::components::Kind;
use pattern_engine::random::Stream;
use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::sim::events::Outcome;
use pattern_engine::Simulation;
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
struct ServiceSpec {
    workers: u32,
    capacity: Option<u64>,
    work: (u8, f64),
    timeout: Option<f64>,
    release: bool,
    cache: bool,
    database: bool,
    queue: bool,
    call_probability: f64,
    latency: f64,
}

#[derive(Clone, Debug)]
struct Spec {
    arrival: (u8, f64),
    keys: u64,
    zipf: Option<f64>,
    read_ratio: f64,
    entry: u8,
    algorithm: u8,
    services: Vec<ServiceSpec>,
    requests: Option<u64>,
    duration: f64,
    warmup: f64,
    window: f64,
    trace_every: u64,
    seed: u64,
}

fn service_spec() -> impl Strategy<Value = ServiceSpec> {
    (
        (
            1u32..5,
            proptest::option::of(0u64..6),
            (0u8..8, 0.2f64..20.0),
        ),
        (proptest::option::of(1.0f64..80.0), any::<bool>()),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0.2f64..=1.0,
            0.0f64..5.0,
        ),
    )
        .prop_map(
            |(
                (workers, capacity, work),
                (timeout, release),
                (cache, database, queue, call_probability, latency),
            )| ServiceSpec {
                workers,
                capacity,
                work,
                timeout,
                release,
                cache,
                database,
                queue,
                call_probability,
                latency,
            },
        )
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            (0u8..4, 20.0f64..3000.0),
            1u64..2000,
            proptest::option::of(0.3f64..2.0),
            0.0f64..=1.0,
        ),
        (0u8..3, 0u8..8, prop::collection::vec(service_spec(), 1..4)),
        (
            proptest::option::of(20u64..600),
            0.1f64..1.5,
            0.0f64..0.1,
            0.05f64..0.5,
            1u64..10,
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (arrival, keys, zipf, read_ratio),
                (entry, algorithm, services),
                (requests, duration, warmup, window, trace_every, seed),
            )| Spec {
                arrival,
                keys,
                zipf,
                read_ratio,
                entry,
                algorithm,
                services,
                requests,
                duration,
                warmup,
                window,
                trace_every,
                seed,
            },
        )
}

fn duration(kind: u8, ms: f64) -> Value {
    match kind {
        0 => json!({ "constant": { "ms": ms } }),
        1 => json!({ "exponential": { "mean_ms": ms } }),
        2 => json!({ "log_normal": { "median_ms": ms, "sigma": 0.8 } }),
        3 => json!({ "uniform": { "min_ms": ms * 0.5, "max_ms": ms * 1.5 } }),
        4 => json!({ "gamma": { "mean_ms": ms, "shape": 0.6 } }),
        5 => json!({ "weibull": { "scale_ms": ms, "shape": 0.7 } }),
        6 => json!({ "bounded_pareto": { "min_ms": ms * 0.1, "max_ms": ms * 20.0, "alpha": 1.2 } }),
        _ => json!({ "empirical": { "samples_ms": [ms * 0.5, ms, ms, ms * 3.0] } }),
    }
}

fn build(spec: &Spec) -> Scenario {
    let (kind, rate) = spec.arrival;
    let arrival = match kind {
        0 => json!({ "poisson": { "rate_per_s": rate } }),
        1 => json!({ "constant": { "rate_per_s": rate } }),
        2 => {
            json!({ "bursts": { "base_rate_per_s": rate / 4.0, "burst_rate_per_s": rate, "period_s": 0.5, "burst_s": 0.1 } })
        }
        _ => json!({ "ramp": { "from_per_s": 1.0, "to_per_s": rate, "over_s": 0.5 } }),
    };
    let popularity = match spec.zipf {
        Some(s) => json!({ "zipf": { "s": s } }),
        None => json!("uniform"),
    };
    let mut nodes = vec![json!({ "id": "client", "kind": "client", "config": {
        "arrival": arrival, "read_ratio": spec.read_ratio, "clients": 50,
        "keys": { "count": spec.keys, "popularity": popularity } } })];
    let mut edges = Vec::new();
    let services = if spec.entry == 0 {
        &spec.services[..1]
    } else {
        &spec.services[..]
    };
    let algorithms = [
        "round_robin",
        "weighted_round_robin",
        "random",
        "least_connections",
        "ip_hash",
        "power_of_two",
        "weighted_random",
    ];
    match spec.entry {
        0 => edges.push(json!({ "from": "client", "to": "svc0", "latency_ms": 1 })),
        1 => {
            let algorithm = match algorithms.get(spec.algorithm as usize) {
                Some(a) => json!(a),
                None => json!({ "consistent_hash": { "virtual_nodes": 20 } }),
            };
            nodes.push(json!({ "id": "entry", "kind": "load_balancer", "config": { "algorithm": algorithm } }));
            edges.push(json!({ "from": "client", "to": "entry", "latency_ms": 1 }));
        }
        _ => {
            let routes: Vec<Value> = (0..services.len())
                .map(|i| {
                    let matches = ["read", "write", "any"][i % 3];
                    json!({ "match": matches, "to": format!("svc{i}") })
                })
                .collect();
            nodes.push(
                json!({ "id": "entry", "kind": "api_gateway", "config": { "routes": routes } }),
            );
            edges.push(json!({ "from": "client", "to": "entry", "latency_ms": 1 }));
        }
    }
    for (i, s) in services.iter().enumerate() {
        let id = format!("svc{i}");
        let mut config = json!({ "workers": s.workers, "service_time": duration(s.work.0, s.work.1), "release_while_waiting": s.release });
        if let Some(c) = s.capacity {
            config["queue_capacity"] = json!(c);
        }
        if let Some(t) = s.timeout {
            config["timeout_ms"] = json!(t);
        }
        nodes.push(json!({ "id": id, "kind": "service", "config": config }));
        if spec.entry != 0 {
            edges.push(
                json!({ "from": "entry", "to": id, "latency_ms": s.latency, "weight": 1 + i }),
            );
        }
        let db = format!("db{i}");
        if s.database || s.cache {
            nodes.push(json!({ "id": db, "kind": "database", "config": { "connections": s.workers, "queue_capacity": s.capacity,
                "read_time": duration(s.work.0, s.work.1), "write_time": duration(1, s.work.1 * 2.0) } }));
        }
        if s.cache {
            let cache = format!("cache{i}");
            nodes.push(json!({ "id": cache, "kind": "cache", "config": { "capacity_keys": 50, "ttl_ms": 200 } }));
            edges.push(json!({ "from": id, "to": cache, "latency_ms": s.latency }));
            edges.push(json!({ "from": cache, "to": db, "latency_ms": s.latency }));
        } else if s.database {
            edges.push(json!({ "from": id, "to": db, "latency_ms": s.latency, "probability": s.call_probability }));
        }
        if s.queue {
            let (queue, worker) = (format!("queue{i}"), format!("worker{i}"));
            nodes.push(json!({ "id": queue, "kind": "queue", "config": { "capacity": s.capacity.map(|c| c * 3) } }));
            nodes.push(json!({ "id": worker, "kind": "worker", "config": { "concurrency": s.workers, "service_time": duration(s.work.0, s.work.1) } }));
            edges.push(json!({ "from": id, "to": queue, "latency_ms": s.latency }));
            edges.push(json!({ "from": queue, "to": worker, "latency_ms": s.latency }));
            if s.database || s.cache {
                edges.push(json!({ "from": worker, "to": db, "latency_ms": s.latency }));
            }
        }
    }
    let run = match spec.requests {
        Some(n) => {
            json!({ "requests": n, "warmup_s": spec.warmup, "window_s": spec.window, "trace_every": spec.trace_every })
        }
        None => {
            json!({ "duration_s": spec.duration, "requests": null, "warmup_s": spec.warmup, "window_s": spec.window, "trace_every": spec.trace_every })
        }
    };
    let doc = json!({ "version": 1, "name": "random", "seed": spec.seed, "run": run, "nodes": nodes, "edges": edges });
    from_json(&doc.to_string()).expect("generated scenarios parse")
}

fn summary_text(scenario: &Scenario) -> (String, Option<u64>) {
    let mut sim = Simulation::new(scenario).expect("generated scenarios are valid");
    sim.enable_event_hash();
    sim.run_to_end();
    (sim.summary().to_json(), sim.event_hash())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn conservation_holds_at_every_instant(spec in spec(), chunk in 1u64..400) {
        let scenario = build(&spec);
        let mut sim = Simulation::new(&scenario).map_err(|d| TestCaseError::fail(format!("{d:#?}")))?;
        loop {
            let c = sim.conservation();
            prop_assert!(c.holds(), "{c:?}");
            if sim.advance_events(chunk) == 0 {
                break;
            }
        }
        let summary = sim.summary();
        for (id, node) in &summary.nodes {
            if let Some(u) = node.utilisation {
                prop_assert!((0.0..=1.0 + 1e-9).contains(&u), "{id} utilisation {u}");
            }
        }
        if spec.requests.is_some() {
            prop_assert_eq!(summary.requests.in_flight, 0);
            prop_assert_eq!(sim.live_frames(), 0, "a drained run leaves no frame behind");
            if let Some(jobs) = summary.jobs {
                prop_assert_eq!(jobs.published, jobs.done + jobs.dropped + jobs.failed);
            }
        }
    }

    #[test]
    fn every_node_ends_requests_only_in_the_ways_its_kind_declares(spec in spec()) {
        let scenario = build(&spec);
        let kinds: Vec<Kind> = scenario.nodes.iter().map(|n| n.component.kind()).collect();
        let mut sim = Simulation::new(&scenario).map_err(|d| TestCaseError::fail(format!("{d:#?}")))?;
        sim.record_motions(true);
        while sim.advance_events(10_000) > 0 {
            for motion in sim.drain_motions() {
                if !motion.decided_here() || motion.outcome == Outcome::Ok {
                    continue;
                }
                let kind = kinds[motion.from as usize];
                let declared = kind.spec().outcomes.contains(&motion.outcome)
                    || (motion.outcome == Outcome::FailedHopLimit && kind.makes_calls());
                prop_assert!(declared, "a {} ended a request {}, which it does not declare", kind, motion.outcome.name());
            }
        }
    }

    #[test]
    fn the_same_seed_gives_byte_identical_runs(spec in spec()) {
        let scenario = build(&spec);
        prop_assert_eq!(summary_text(&scenario), summary_text(&scenario));
    }

    #[test]
    fn many_slices_give_exactly_one_run(spec in spec(), steps in prop::collection::vec((0u8..3, 1u64..5_000_000), 1..40)) {
        let scenario = build(&spec);
        let whole = summary_text(&scenario);
        let mut sim = Simulation::new(&scenario).unwrap();
        sim.enable_event_hash();
        let mut t = 0;
        for &(kind, amount) in steps.iter().cycle().take(100_000) {
            if sim.is_finished() {
                break;
            }
            if kind == 0 {
                t += amount * 10; // up to 50 ms of simulated time
                sim.advance_until(t);
            } else if kind == 1 {
                // The viewer's way: toward a time, a bounded number of events at a go.
                t += amount * 10;
                while !sim.advance_toward(t, amount % 50 + 1) {}
            } else {
                sim.advance_events(amount % 300 + 1);
            }
            t = t.max(sim.now());
        }
        sim.run_to_end();
        prop_assert_eq!((sim.summary().to_json(), sim.event_hash()), whole);
    }
}

/// Random graphs grown the way people draw them (each node called by an earlier one, plus a
/// few random extra edges that may loop), with default configs. Whatever the validator accepts
/// must run to the end without a panic and with the books balanced; whatever it refuses must
/// come with an error that names what is wrong. Seeded, so a failure names its graph.
#[test]
fn whatever_validates_runs_and_whatever_does_not_is_explained() {
    let mut rng = Stream::from_seed(2024);
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..1700 {
        let n = 2 + rng.below(8) as usize;
        let mut kinds = vec![Kind::Client];
        let mut outs = vec![0usize];
        let mut edges = Vec::new();
        for _ in 1..n {
            let i = kinds.len();
            // Pick a kind and an earlier node that may call it, as a person wiring it would.
            for _ in 0..20 {
                let kind = Kind::ALL[1 + rng.below(Kind::ALL.len() as u64 - 1) as usize];
                let callers: Vec<usize> = (0..i)
                    .filter(|&j| may_call(kinds[j], kind, outs[j]))
                    .collect();
                if callers.is_empty() {
                    continue;
                }
                let from = callers[rng.below(callers.len() as u64) as usize];
                outs[from] += 1;
                edges.push(json!({ "from": format!("n{from}"), "to": format!("n{i}"), "latency_ms": rng.below(3) }));
                kinds.push(kind);
                outs.push(0);
                break;
            }
        }
        let n = kinds.len();
        // Now and then an arbitrary extra edge: a loop, a second entry, a refused kind.
        if rng.chance(0.4) {
            let (a, b) = (rng.below(n as u64), rng.below(n as u64));
            edges.push(json!({ "from": format!("n{a}"), "to": format!("n{b}") }));
        }
        let nodes: Vec<Value> = kinds.iter().enumerate().map(|(i, k)| match k {
            Kind::Client => json!({ "id": format!("n{i}"), "kind": "client", "config": { "arrival": { "poisson": { "rate_per_s": 500 } } } }),
            k => json!({ "id": format!("n{i}"), "kind": k.name() }),
        }).collect();
        let hop_limit = rng.chance(0.5).then(|| 1 + rng.below(10));
        let doc = json!({ "version": 1, "seed": case, "run": { "requests": 200, "hop_limit": hop_limit }, "nodes": nodes, "edges": edges });
        let scenario = from_json(&doc.to_string()).unwrap();
        match Simulation::new(&scenario) {
            Ok(mut sim) => {
                accepted += 1;
                sim.run_to_end();
                assert!(sim.conservation().holds(), "case {case}: {doc}");
                if let Some(data) = sim.summary().data {
                    assert!(
                        data.stale_own_reads <= data.stale_reads
                            && data.stale_reads <= data.reads_checked,
                        "case {case}: {data:?}"
                    );
                }
            }
            Err(errors) => {
                refused += 1;
                assert!(
                    !errors.is_empty() && errors.iter().all(|e| !e.message.is_empty()),
                    "case {case}"
                );
            }
        }
    }
    println!("{accepted} accepted, {refused} refused");
    assert!(
        accepted >= 450,
        "the generator must exercise the engine: {accepted} accepted"
    );
    assert!(refused >= 300, "and the validator: {refused} refused");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Adding a backend to a consistent-hash ring moves about 1/(n+1) of the keys, all of them
    /// to the new backend; IP hash, for contrast, moves most keys.
    #[test]
    fn consistent_hashing_moves_about_one_nth_of_keys(n in 2usize..10, virtual_nodes in 100u32..300, salt in any::<u32>()) {
        use pattern_engine::routing::{ip_hash, HashRing};
        let mut ids: Vec<String> = (0..n).map(|i| format!("node_{salt}_{i}")).collect();
        let before = HashRing::new(&ids, virtual_nodes);
        ids.push(format!("node_{salt}_new"));
        let after = HashRing::new(&ids, virtual_nodes);
        let keys = 20_000u64;
        let mut moved = 0;
        for key in 0..keys {
            let (a, b) = (before.lookup(key), after.lookup(key));
            if a != b {
                prop_assert_eq!(b, n, "a key moved between old backends");
                moved += 1;
            }
        }
        let fraction = moved as f64 / keys as f64;
        let ideal = 1.0 / (n as f64 + 1.0);
        prop_assert!(fraction > ideal * 0.5 && fraction < ideal * 1.6, "moved {fraction}, ideal {ideal}");
        let ip_moved = (0..keys).filter(|&k| ip_hash(k, n) != ip_hash(k, n + 1)).count() as f64 / keys as f64;
        prop_assert!(ip_moved > 0.4, "modulo hashing reshuffles: {ip_moved}");
    }

    /// Round robin and smooth weighted round robin give every backend its exact share over
    /// whole cycles.
    #[test]
    fn round_robin_shares_are_exact(weights in prop::collection::vec(1u32..6, 1..8), cycles in 1usize..20) {
        use pattern_engine::routing::{round_robin, smooth_weighted};
        let n = weights.len();
        let mut cursor = 0;
        let mut counts = vec![0usize; n];
        for _ in 0..n * cycles {
            counts[round_robin(&mut cursor, n)] += 1;
        }
        prop_assert!(counts.iter().all(|&c| c == cycles));
        let w: Vec<f64> = weights.iter().map(|&x| x as f64).collect();
        let total: u32 = weights.iter().sum();
        let mut credit = vec![0.0; n];
        let mut counts = vec![0u32; n];
        for _ in 0..total as usize * cycles {
            counts[smooth_weighted(&mut credit, &w)] += 1;
        }
        for i in 0..n {
            prop_assert_eq!(counts[i], weights[i] * cycles as u32);
        }
    }
}
