//! Faults with exact expectations: constant arrivals and constant work make every number
//! hand-computable, so each fault's mechanism is pinned to the request and the nanosecond.

mod common;

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

/// A constant client at 100 requests/s (one every 10 ms) calling a one-worker service with
/// 5 ms of constant work over a 10 ms edge, for 1,000 requests, with `faults`.
fn line(faults: Value, service_extra: Value) -> Scenario {
    let mut service = json!({ "workers": 1, "service_time": { "constant": { "ms": 5 } } });
    service
        .as_object_mut()
        .unwrap()
        .extend(service_extra.as_object().unwrap().clone());
    let doc = json!({
        "version": 1, "name": "faults", "seed": 3, "run": { "requests": 1000 },
        "nodes": [
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 100 } } } },
            { "id": "s", "kind": "service", "config": service }
        ],
        "edges": [{ "from": "c", "to": "s", "latency_ms": 10 }],
        "faults": faults,
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn run(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    sim.summary()
}

fn outcome(s: &Summary, name: &str) -> u64 {
    s.requests
        .by_outcome
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, k)| *k)
}

#[test]
fn without_faults_every_request_takes_25_ms() {
    let s = run(&line(json!([]), json!({})));
    assert_eq!(s.requests.completed, 1000);
    assert_eq!(s.latency_ms.max, 25.0);
}

#[test]
fn a_slow_node_takes_factor_times_as_long_for_the_work_it_starts_within_the_fault() {
    // From 2 s for 1 s, work started takes 5 ms × 3 = 15 ms while arrivals keep coming every
    // 10 ms: request k of the window (from 0, arriving at 2 s + 10k ms) starts at 2 s + 15k ms,
    // so the last to start within the fault is k = 66 (at 2.990 s, having arrived at 2.660 s):
    // 10 + 330 + 15 + 10 = 365 ms, the longest of the run.
    let s = run(&line(
        json!([{ "at_s": 2, "for_s": 1, "target": "s", "kind": { "slow": { "factor": 3 } } }]),
        json!({}),
    ));
    assert_eq!(s.requests.completed, 1000);
    assert_eq!(s.latency_ms.max, 365.0);
    // The next one (k = 67) starts at 3.005 s with the fault over: 5 ms of work, 360 ms.
    assert!(s.latency_ms.p999 >= 355.0, "{}", s.latency_ms.p999);
}

#[test]
fn a_latency_fault_stretches_trips_that_depart_during_it_answers_included() {
    // From 3 s for 0.5 s the edge takes 10 × 2 + 7 = 27 ms for calls and answers alike.
    let s = run(&line(
        json!([{ "at_s": 3, "for_s": 0.5, "target": "c->s",
                 "kind": { "latency": { "factor": 2, "plus_ms": 7 } } }]),
        json!({}),
    ));
    assert_eq!(s.requests.completed, 1000);
    // A request departing in the window: 27 + 5 + 27 = 59 ms.
    assert_eq!(s.latency_ms.max, 59.0);
    // Departures at 3.000..3.490 s (50 of them) took 59 ms, or 27 + 5 + 10 = 42 for the ones
    // whose call left just before the window and whose answer left in it: none here (every
    // answer leaves 15 ms after its call).
    let slow = 50.0 * 59.0;
    let expected_mean = (slow + 950.0 * 25.0) / 1000.0;
    let mean = s.latency_ms.mean;
    assert!(
        (mean - expected_mean).abs() < 2.0,
        "{mean} vs about {expected_mean}"
    );
}

#[test]
fn an_errors_fault_fails_its_share_at_arrival_without_work() {
    let s = run(&line(
        json!([{ "at_s": 0, "target": "s", "kind": { "errors": { "fraction": 0.3 } } }]),
        json!({}),
    ));
    let failed = outcome(&s, "failed_error");
    assert_eq!(s.requests.completed + failed, 1000);
    // 300 expected, binomial standard deviation about 14.5: within 4 of them.
    assert!((242..=358).contains(&failed), "{failed}");
    // Failed at arrival: back after 10 + 10 ms, no work done.
    let service = &s.nodes.iter().find(|(n, _)| n == "s").unwrap().1;
    assert_eq!(service.failed, failed);
    let busy_ms = service.utilisation.unwrap() * s.simulated_s * 1000.0;
    assert!(
        (busy_ms - s.requests.completed as f64 * 5.0).abs() < 1e-6,
        "only the completed requests were worked on: {busy_ms}"
    );
}

#[test]
fn an_errors_fault_after_the_work_wastes_the_work() {
    let s = run(&line(
        json!([{ "at_s": 0, "target": "s", "kind": { "errors": { "fraction": 1, "after_work": true } } }]),
        json!({}),
    ));
    assert_eq!(outcome(&s, "failed_error"), 1000);
    assert_eq!(s.requests.completed, 0);
    let service = &s.nodes.iter().find(|(n, _)| n == "s").unwrap().1;
    let busy_ms = service.utilisation.unwrap() * s.simulated_s * 1000.0;
    assert!(
        (busy_ms - 5000.0).abs() < 1e-6,
        "every request was worked on: {busy_ms}"
    );
}

#[test]
fn a_pause_holds_what_reaches_the_node_and_replays_it_in_order() {
    // Paused from 1 s to 1.5 s: the calls arriving in the window (50 of them, from 1.000 s on;
    // the one in service finishes as the pause starts... its WorkDone at 1.005 s waits too)
    // are handled when it resumes, in the order they came, one 5 ms job after another.
    let s = run(&line(
        json!([{ "at_s": 1, "for_s": 0.5, "target": "s", "kind": "pause" }]),
        json!({}),
    ));
    assert_eq!(s.requests.completed, 1000, "nothing is lost");
    // Call k of the window arrived at 1.000 + 0.010 k s (k from 0 to 49): its work starts at
    // 1.5 s + 5 k ms and ends 5 ms later; the last (k = 49) is answered at 1.750 s and lands at
    // 1.760 s, having left at 0.990 + 0.490 = 1.480 s: 280 ms.
    // The first (k = 0), arriving at 1.000 s exactly, departed at 0.990 s: it waits 500 ms,
    // works 5 ms and returns in 10: 525 ms, the longest.
    assert_eq!(s.latency_ms.max, 525.0);
    assert!(
        (s.latency_ms.p50 - 25.0).abs() < 0.5,
        "most requests never met the pause: {}",
        s.latency_ms.p50
    );
}

#[test]
fn a_partition_loses_messages_and_callers_time_out() {
    // Client and service on different sides from 2 s for 1 s: calls departing in the window
    // are lost, and the service's own deadline cannot help (it never sees them). The request
    // is in flight for good: a duration run keeps them as in flight.
    let mut s = line(
        json!([{ "at_s": 2, "for_s": 1, "kind": { "partition": { "groups": [["c"], ["s"]] } } }]),
        json!({}),
    );
    s.run.requests = None;
    s.run.duration_s = Some(10.0);
    let summary = run(&s);
    // Lost: the 100 calls that departed in [2 s, 3 s) (the partition starts before the call
    // at 2.000 s leaves and ends before the one at 3.000 s does), and the answer to the call
    // that left at 1.990 s, which left the service at 2.005 s: 101. Two more are on their
    // way when the run stops (they left at 9.980 and 9.990 s, on 25 ms round trips).
    assert_eq!(summary.requests.in_flight, 101 + 2);
    assert_eq!(summary.requests.completed, summary.requests.generated - 103);
}

#[test]
fn faults_never_break_conservation_and_a_run_is_the_same_twice() {
    let s = line(
        json!([
            { "at_s": 0.5, "for_s": 1, "target": "s", "kind": { "slow": { "factor": 5 } } },
            { "at_s": 1, "for_s": 0.2, "target": "s", "kind": "pause" },
            { "at_s": 1.1, "for_s": 2, "target": "s", "kind": { "errors": { "fraction": 0.5 } } },
            { "at_s": 2, "for_s": 1, "target": "c->s", "kind": { "latency": { "plus_ms": 40 } } }
        ]),
        json!({ "timeout_ms": 100 }),
    );
    let mut sim = Simulation::new(&s).unwrap();
    sim.enable_event_hash();
    sim.run_to_end();
    let c = sim.conservation();
    assert_eq!(
        c.generated,
        c.completed + c.dropped + c.timed_out + c.failed + c.in_flight
    );
    assert_eq!(c.in_flight, 0);
    let mut again = Simulation::new(&s).unwrap();
    again.enable_event_hash();
    again.run_to_end();
    assert_eq!(sim.event_hash(), again.event_hash());
}

#[test]
fn a_flush_empties_a_cache_so_the_next_read_misses_and_fills_it_again() {
    // One key read every 100 ms: without the flush the database sees the first read only;
    // flushed at 5 s, the read at 5 s misses too, and every later one hits again.
    let with = |faults: Value| {
        let doc = json!({
            "version": 1, "name": "flush", "seed": 3, "run": { "requests": 100 },
            "nodes": [
                { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 10 } }, "read_ratio": 1, "keys": { "count": 1 } } },
                { "id": "cache", "kind": "cache", "config": { "capacity_keys": 10, "lookup_ms": 1 } },
                { "id": "db", "kind": "database", "config": { "read_time": { "constant": { "ms": 20 } } } }
            ],
            "edges": [{ "from": "c", "to": "cache", "latency_ms": 5 }, { "from": "cache", "to": "db", "latency_ms": 2 }],
            "faults": faults,
        });
        run(&from_json(&doc.to_string()).unwrap())
    };
    let db = |s: &Summary| s.nodes.iter().find(|(n, _)| n == "db").unwrap().1.arrivals;
    assert_eq!(db(&with(json!([]))), 1);
    let flushed = with(json!([{ "at_s": 5, "target": "cache", "kind": "flush" }]));
    assert_eq!(db(&flushed), 2);
    assert_eq!(flushed.requests.completed, 100);
    assert_eq!(
        flushed.latency_ms.max, 35.0,
        "the second miss costs what the first did"
    );
}

#[test]
fn a_spike_multiplies_a_clients_rate_within_its_window_and_redraws_at_both_ends() {
    // The line's client sends every 10 ms; spiked four times from 2 s for 1 s it sends every
    // 2.5 ms. Both ends void the arrival drawn at the old rate and draw again from there: the
    // one due at 2.000 s becomes 2.0025 s, then every 2.5 ms up to 2.9975 s (399), and the one
    // due at 3.000 s becomes 3.010 s. Against no spike: 399 + 199 arrivals from 2 s on instead
    // of 100 + 200.
    // Four workers: the service keeps up with 400 requests a second (one would queue them).
    let timed = |faults: Value| {
        let mut s = line(faults, json!({ "workers": 4 }));
        s.run.requests = None;
        s.run.duration_s = Some(5.0);
        run(&s)
    };
    let plain = timed(json!([]));
    let spiked = timed(
        json!([{ "at_s": 2, "for_s": 1, "target": "c", "kind": { "spike": { "factor": 4 } } }]),
    );
    assert_eq!(spiked.requests.generated - plain.requests.generated, 298);
    // Completed per 1 s window, 25 ms after departure: 100 before; in [2 s, 3 s) the two old
    // ones that left at 1.98 and 1.99 s and the 389 spiked ones that left by 2.9725 s; the
    // last 8 spiked ones land after 3 s; then 100 again.
    let done: Vec<u64> = spiked.series.windows.iter().map(|w| w.completed).collect();
    assert_eq!(&done[1..], [100, 2 + 389, 8 + 99, 100], "{done:?}");
}

/// Random scenarios (the generator the link tests use) with random fault schedules of every
/// kind (crashes of nodes waiting on calls, queued and working among them): conservation holds at every step, a run ends within its budget, and
/// the same scenario runs the same twice.
/// A random valid scenario with from one to six random faults of every kind, or `None` if
/// the validator refuses the faults drawn (a spike on a database).
fn random_schedule(seed: u64) -> Option<Scenario> {
    use pattern_engine::components::Kind;
    use pattern_engine::random::Stream;
    use pattern_engine::scenario::{validate, Fault, FaultKind, FaultTarget, Severity};
    {
        let mut s = common::random_scenario::random_valid_scenario(seed, &[]);
        let mut rng = Stream::from_seed(seed ^ 0xfa17);
        let pick = |rng: &mut Stream, n: usize| rng.below(n as u64) as usize;
        for _ in 0..1 + pick(&mut rng, 6) {
            let at_s = rng.open01() * 2.0;
            let for_s = (rng.chance(0.7)).then(|| 0.01 + rng.open01());
            // A node of a kind the fault can strike, where there is one.
            let of = |rng: &mut Stream, wanted: &dyn Fn(Kind) -> bool| {
                let fitting: Vec<&str> = s
                    .nodes
                    .iter()
                    .filter(|n| wanted(n.component.kind()))
                    .map(|n| n.id.as_str())
                    .collect();
                let any = s.nodes[0].id.as_str();
                let id = if fitting.is_empty() {
                    any
                } else {
                    fitting[pick(rng, fitting.len())]
                };
                id.to_string()
            };
            let serving = |rng: &mut Stream| of(rng, &|k: Kind| k.accepts_calls());
            let crashable = |k: Kind| k.accepts_calls() && k != Kind::Queue;
            let shards: Vec<String> = s
                .edges
                .iter()
                .filter(|e| {
                    s.node(&e.from)
                        .is_some_and(|n| n.component.kind() == Kind::ShardRouter)
                })
                .map(|e| e.to.clone())
                .collect();
            let (target, kind) = match pick(&mut rng, 9) {
                8 if !shards.is_empty() => (
                    FaultTarget::Node(shards[pick(&mut rng, shards.len())].clone()),
                    if rng.chance(0.5) {
                        FaultKind::AddShard
                    } else {
                        FaultKind::RemoveShard
                    },
                ),
                7 => (
                    FaultTarget::Node(of(&mut rng, &crashable)),
                    FaultKind::Crash,
                ),
                0 => (
                    FaultTarget::Node(serving(&mut rng)),
                    FaultKind::Slow {
                        factor: 1.0 + rng.open01() * 9.0,
                    },
                ),
                1 => (
                    FaultTarget::Node(serving(&mut rng)),
                    FaultKind::Errors {
                        fraction: rng.open01(),
                        after_work: rng.chance(0.5),
                    },
                ),
                2 => (FaultTarget::Node(serving(&mut rng)), FaultKind::Pause),
                3 => (
                    FaultTarget::Node(of(&mut rng, &|k| k == Kind::Client)),
                    FaultKind::Spike {
                        factor: 1.0 + rng.open01() * 4.0,
                    },
                ),
                4 => (
                    FaultTarget::Node(of(&mut rng, &|k| k == Kind::Cache)),
                    FaultKind::Flush,
                ),
                5 if !s.edges.is_empty() => {
                    let e = &s.edges[pick(&mut rng, s.edges.len())];
                    let edge = FaultTarget::Edge {
                        from: e.from.clone(),
                        to: e.to.clone(),
                    };
                    (
                        edge,
                        FaultKind::Latency {
                            factor: 1.0 + rng.open01() * 3.0,
                            plus_ms: rng.open01() * 20.0,
                        },
                    )
                }
                _ => {
                    let ids: Vec<String> = s.nodes.iter().map(|n| n.id.clone()).collect();
                    let cut = 1 + pick(&mut rng, ids.len().max(2) - 1);
                    let groups = vec![
                        ids[..cut.min(ids.len())].to_vec(),
                        ids[cut.min(ids.len())..].to_vec(),
                    ];
                    (FaultTarget::Nowhere, FaultKind::Partition { groups })
                }
            };
            s.faults.push(Fault {
                at_s,
                for_s,
                target,
                kind,
            });
        }
        // Faults a node cannot take (a spike on a database) are the validator's to refuse.
        let refused = validate(&s).iter().any(|d| d.severity == Severity::Error);
        (!refused).then_some(s)
    }
}

#[test]
fn conservation_holds_under_random_fault_schedules() {
    let mut ran = 0;
    for seed in 0..60u64 {
        let Some(s) = random_schedule(seed) else {
            continue;
        };
        ran += 1;
        let mut sim = Simulation::new(&s).unwrap();
        sim.enable_event_hash();
        let mut steps = 0u64;
        while !sim.is_finished() && steps < 400_000 {
            steps += sim.advance_events(997);
            assert!(
                sim.conservation().holds(),
                "seed {seed}: {:?}",
                sim.conservation()
            );
            // Jobs balance too: a crashed worker fails the jobs it held.
            if let Some(j) = sim.summary().jobs {
                assert_eq!(
                    j.published,
                    j.done + j.dropped + j.failed + j.in_flight,
                    "seed {seed}: {j:?}"
                );
            }
        }
        let mut again = Simulation::new(&s).unwrap();
        again.enable_event_hash();
        again.advance_events(steps);
        assert_eq!(sim.event_hash(), again.event_hash(), "seed {seed}");
    }
    assert!(ran >= 30, "only {ran} random schedules validated");
}

#[test]
fn a_crash_fails_exactly_what_the_node_held_and_what_reaches_it_then_it_starts_afresh() {
    // 25 ms of work for one worker, arrivals every 10 ms: a queue builds. The client's first
    // request leaves at 10 ms, so arrival k (from 0) reaches the service at 20 + 10k ms and
    // starts work at 20 + 25k ms. Crashed at 0.5 s: the ones arrived by then (k ≤ 47; the one
    // due at 0.500 s is still on the wire) and not finished (k = 18 ends at 0.495 s) are
    // k = 19 to 47: 29 held (one working, 28 queued), answered at once. Down until 1 s: the
    // 50 arriving from 0.500 to 0.990 s are refused. From 1 s the service starts empty and
    // works through the rest.
    let s = line(
        json!([{ "at_s": 0.5, "for_s": 0.5, "target": "s", "kind": "crash" }]),
        json!({ "service_time": { "constant": { "ms": 25 } } }),
    );
    let mut sim = Simulation::new(&s).unwrap();
    sim.run_to_end();
    assert_eq!(
        sim.live_frames(),
        0,
        "nothing the crash touched is left behind"
    );
    let summary = sim.summary();
    assert_eq!(outcome(&summary, "failed_node_down"), 29 + 50);
    assert_eq!(summary.requests.completed, 1000 - 79);
    let service = &summary.nodes.iter().find(|(n, _)| n == "s").unwrap().1;
    assert_eq!(service.failed, 79);
    assert!(sim.conservation().holds());
}

#[test]
fn faults_taken_into_a_running_simulation_give_the_fresh_run_of_the_saved_document() {
    use pattern_engine::time::from_secs;
    let mut compared = 0;
    for seed in 0..40u64 {
        let Some(full) = random_schedule(seed) else {
            continue;
        };
        compared += 1;
        // Injected one by one, each just before the earliest start still to come. Additions
        // of shards are planned from the start: a shard an addition adds stands by until
        // it, which no run can take in place once it has served (a_run_takes_in_place_only_
        // an_addition_a_fresh_run_would_agree_with, tests/shards.rs).
        let (planned, injected): (Vec<_>, Vec<_>) = full
            .faults
            .iter()
            .cloned()
            .partition(|f| f.kind == pattern_engine::scenario::FaultKind::AddShard);
        let mut doc = full.clone();
        doc.faults = planned;
        let mut sim = Simulation::new(&doc).unwrap();
        sim.enable_event_hash();
        for i in 0..injected.len() {
            let next = injected[i..]
                .iter()
                .map(|f| from_secs(f.at_s))
                .min()
                .unwrap();
            sim.advance_until(next.saturating_sub(1).max(sim.now()));
            doc.faults.push(injected[i].clone());
            assert!(
                sim.take_faults(&doc),
                "seed {seed}: fault {i} taken before it starts"
            );
        }
        // Then the first fault still in force healed, its end brought forward to just after now.
        sim.advance_events(500);
        let now_s = sim.now() as f64 / 1e9;
        let healed = doc.faults.iter().position(|f| {
            f.at_s < now_s + 0.001 && f.until_s().is_none_or(|end| end > now_s + 0.002)
        });
        if let Some(h) = healed {
            let fault = &mut doc.faults[h];
            fault.for_s = Some(now_s + 0.001 - fault.at_s);
            assert!(sim.take_faults(&doc), "seed {seed}: fault {h} healed");
        }
        // Compared at the same event, within a bound (a random run can be long).
        sim.advance_events(100_000u64.saturating_sub(sim.events()));
        let mut fresh = Simulation::new(&doc).unwrap();
        fresh.enable_event_hash();
        fresh.advance_events(sim.events());
        if sim.is_finished() {
            fresh.run_to_end();
        }
        assert_eq!(sim.events(), fresh.events(), "seed {seed}");
        assert_eq!(sim.event_hash(), fresh.event_hash(), "seed {seed}");
        assert_eq!(
            sim.summary().to_json(),
            fresh.summary().to_json(),
            "seed {seed}"
        );
    }
    assert!(compared >= 20, "only {compared} schedules compared");
}

#[test]
fn a_fault_edit_a_running_simulation_cannot_take_changes_nothing() {
    let doc = line(
        json!([{ "at_s": 1, "for_s": 1, "target": "s", "kind": "pause" }]),
        json!({}),
    );
    let mut sim = Simulation::new(&doc).unwrap();
    sim.advance_until(pattern_engine::time::from_secs(1.5));
    let mut moved = doc.clone();
    moved.faults[0].at_s = 1.2;
    assert!(
        !sim.take_faults(&moved),
        "a start already passed cannot move"
    );
    let mut past = doc.clone();
    past.faults.push(past.faults[0].clone());
    assert!(
        !sim.take_faults(&past),
        "a fault starting before now cannot be added"
    );
    let mut removed = doc.clone();
    removed.faults.clear();
    assert!(!sim.take_faults(&removed), "a fault cannot be taken out");
    sim.run_to_end();
    let mut fresh = Simulation::new(&doc).unwrap();
    fresh.run_to_end();
    assert_eq!(
        sim.summary(),
        fresh.summary(),
        "the refused edits left the run alone"
    );
}

#[test]
fn a_crashed_worker_fails_the_job_it_held_and_those_handed_to_it_while_down() {
    // A job every 100 ms, 50 ms of work on a one-slot worker. The crash at 1.02 s strikes the
    // job of 1.0 s at work; the jobs of 1.1 and 1.2 s reach it while down; from 1.27 s it
    // works again.
    let doc = json!({
        "version": 1, "name": "jobs", "seed": 3, "run": { "requests": 20 },
        "nodes": [
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 10 } } } },
            { "id": "s", "kind": "service", "config": { "service_time": { "constant": { "ms": 0 } } } },
            { "id": "q", "kind": "queue" },
            { "id": "w", "kind": "worker", "config": { "concurrency": 1, "service_time": { "constant": { "ms": 50 } } } }
        ],
        "edges": [{ "from": "c", "to": "s" }, { "from": "s", "to": "q" }, { "from": "q", "to": "w" }],
        "faults": [{ "at_s": 1.02, "for_s": 0.25, "target": "w", "kind": "crash" }],
    });
    let s = run(&from_json(&doc.to_string()).unwrap());
    let jobs = s.jobs.expect("jobs were published");
    assert_eq!((jobs.published, jobs.done, jobs.failed), (20, 17, 3));
    assert_eq!(
        s.requests.completed, 20,
        "the requests that published them never waited"
    );
}

#[test]
fn a_latency_fault_on_a_publish_edge_delays_the_jobs() {
    let doc = |faults: Value| {
        json!({
            "version": 1, "name": "jobs", "seed": 3, "run": { "requests": 10 },
            "nodes": [
                { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 10 } } } },
                { "id": "s", "kind": "service", "config": { "service_time": { "constant": { "ms": 0 } } } },
                { "id": "q", "kind": "queue" },
                { "id": "w", "kind": "worker", "config": { "service_time": { "constant": { "ms": 5 } } } }
            ],
            "edges": [{ "from": "c", "to": "s" }, { "from": "s", "to": "q", "latency_ms": 10 },
                      { "from": "q", "to": "w" }],
            "faults": faults,
        })
        .to_string()
    };
    let plain = run(&from_json(&doc(json!([]))).unwrap());
    // Publish 10 ms, work 5 ms, the ack back over q -> w: 15 ms.
    assert_eq!(plain.jobs.unwrap().latency_ms.max, 15.0);
    let late = run(&from_json(&doc(json!([
        { "at_s": 0, "target": "s->q", "kind": { "latency": { "plus_ms": 40 } } }
    ])))
    .unwrap());
    assert_eq!(late.jobs.unwrap().latency_ms.max, 55.0);
}
