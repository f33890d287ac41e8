//! Motions: what an animation of a run is drawn from. Each trip along an edge must leave and
//! arrive when the request really does, carry the outcome it really has, and recording them
//! must not change the run.

mod common;

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::sim::events::Outcome;
use pattern_engine::sim::motion::{Leg, Motion};
use pattern_engine::time::from_ms;
use pattern_engine::Simulation;
use serde_json::json;

fn chain(queue_capacity: u64, requests: u64) -> Scenario {
    let doc = json!({
        "version": 1, "name": "chain", "seed": 1,
        "run": { "requests": requests, "trace_every": 1 },
        "nodes": [
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 1000 } }, "read_ratio": 1 } },
            { "id": "s", "kind": "service", "config": {
                "workers": 1, "queue_capacity": queue_capacity,
                "service_time": { "constant": { "ms": 5 } } } }
        ],
        "edges": [{ "from": "c", "to": "s", "latency_ms": 10 }]
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn all_motions(scenario: &Scenario) -> Vec<Motion> {
    let mut sim = Simulation::new(scenario).unwrap();
    sim.record_motions(true);
    let mut motions = Vec::new();
    // Drained in slices, as the app does between frames.
    while !sim.is_finished() {
        sim.advance_events(7);
        motions.extend(sim.drain_motions());
    }
    motions
}

#[test]
fn a_call_and_its_answer_travel_when_the_request_does() {
    let motions = all_motions(&chain(10, 1));
    // Constant arrivals at 1,000/s: the first leaves after 1 ms.
    let call = Motion {
        leg: Leg::Call,
        from: 0,
        to: 1,
        depart: from_ms(1.0),
        arrive: from_ms(11.0),
        request: 0,
        job: false,
        trace: Some(0),
        outcome: Outcome::Ok,
        origin: 0,
    };
    // Five milliseconds of work, then ten back.
    let answer = Motion {
        leg: Leg::Answer,
        from: 1,
        to: 0,
        depart: from_ms(16.0),
        arrive: from_ms(26.0),
        outcome: Outcome::Ok,
        origin: 1,
        ..call
    };
    assert_eq!(motions, vec![call, answer]);
    assert!(answer.decided_here());
}

#[test]
fn a_refused_request_answers_with_its_drop_decided_where_it_was_refused() {
    // One worker, no waiting room, arrivals every 1 ms of 5 ms jobs: most are refused.
    let motions = all_motions(&chain(0, 20));
    let drops: Vec<&Motion> = motions
        .iter()
        .filter(|m| m.outcome == Outcome::DroppedQueueFull)
        .collect();
    assert!(!drops.is_empty());
    for drop in &drops {
        assert_eq!((drop.leg, drop.from, drop.to), (Leg::Answer, 1, 0));
        assert!(drop.decided_here());
        // Refused on arrival: the answer leaves the moment the call lands.
        let call = motions
            .iter()
            .find(|m| m.leg == Leg::Call && m.request == drop.request)
            .unwrap();
        assert_eq!(drop.depart, call.arrive);
    }
    let calls = motions.iter().filter(|m| m.leg == Leg::Call).count();
    let answers = motions.iter().filter(|m| m.leg == Leg::Answer).count();
    assert_eq!((calls, answers), (20, 20), "every call is answered once");
}

#[test]
fn the_reference_architecture_publishes_jobs_and_answers_hits_from_the_cache() {
    let scenario = common::load("default.json");
    let ids: Vec<String> = scenario.nodes.iter().map(|n| n.id.clone()).collect();
    let index = |id: &str| ids.iter().position(|i| i == id).unwrap() as u32;
    let mut short = scenario.clone();
    short.run.requests = Some(2_000);
    let motions = all_motions(&short);
    let publish = motions.iter().find(|m| m.leg == Leg::Publish).unwrap();
    assert_eq!(
        (publish.from, publish.to),
        (index("service_a"), index("queue"))
    );
    assert!(publish.job);
    let hit = motions
        .iter()
        .find(|m| m.leg == Leg::Answer && m.from == index("cache_a") && m.decided_here())
        .expect("some read is answered by cache A");
    assert_eq!(hit.to, index("service_a"));
    for m in &motions {
        assert!(m.arrive >= m.depart);
    }
}

#[test]
fn recording_motions_changes_nothing_about_the_run() {
    let scenario = common::load("default.json");
    let mut plain = Simulation::new(&scenario).unwrap();
    plain.enable_event_hash();
    plain.run_to_end();
    let mut watched = Simulation::new(&scenario).unwrap();
    watched.enable_event_hash();
    watched.record_motions(true);
    while !watched.is_finished() {
        watched.advance_events(10_000);
        watched.drain_motions().for_each(drop);
    }
    assert_eq!(plain.event_hash(), watched.event_hash());
    assert_eq!(plain.summary().to_json(), watched.summary().to_json());
}

#[test]
fn a_sampled_request_is_traced_with_the_job_it_published() {
    let scenario = common::load("default.json");
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.run_to_end();
    let summary = sim.summary();
    let job = summary
        .traces
        .iter()
        .find(|t| t.job)
        .expect("some sampled write to service A publishes a job");
    let parent = job.published_by.expect("a job names its publisher");
    let request = summary
        .traces
        .iter()
        .find(|t| !t.job && t.id == parent)
        .expect("the publisher is traced too");
    let visited = |t: &pattern_engine::metrics::summary::TraceSummary| {
        t.hops.iter().map(|h| h.node.clone()).collect::<Vec<_>>()
    };
    assert!(visited(request).contains(&"service_a".to_string()));
    assert_eq!(visited(job), ["queue", "worker", "db_a"]);
    assert!(job.created_ms >= request.created_ms);
}
