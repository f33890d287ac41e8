//! A closed-loop client against the machine-repairman (finite-source) model: N users, each
//! thinking an exponential time of mean Z, then sending one request to a single exponential
//! server of mean S and waiting for it. With r = S/Z the server is idle with probability
//! p0 = 1 / Σ_{k=0..N} N!/(N-k)! r^k; throughput X = (1 - p0)/S, response time R = N/X - Z.
//! Five replications, within 2%; `--nocapture` prints them beside the theory.

mod common;

use common::compare;
use pattern_engine::scenario::from_json;

const USERS: u32 = 10;
const THINK_MS: f64 = 50.0;
const SERVICE_MS: f64 = 10.0;

fn repairman() -> (f64, f64) {
    let r = SERVICE_MS / THINK_MS;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..=USERS {
        term *= f64::from(USERS - k + 1) * r;
        sum += term;
    }
    let p0 = 1.0 / sum;
    let throughput_per_ms = (1.0 - p0) / SERVICE_MS;
    let response_ms = f64::from(USERS) / throughput_per_ms - THINK_MS;
    (throughput_per_ms * 1000.0, response_ms)
}

fn scenario() -> pattern_engine::scenario::Scenario {
    from_json(&format!(
        r#"{{"version": 1, "run": {{"requests": 100000, "warmup_s": 5}},
        "nodes": [
          {{"id": "users", "kind": "client", "config": {{"arrival": {{"closed_loop": {{"users": {USERS},
            "think_time": {{"exponential": {{"mean_ms": {THINK_MS}}}}}}}}}}}}},
          {{"id": "server", "kind": "service", "config": {{"workers": 1,
            "service_time": {{"exponential": {{"mean_ms": {SERVICE_MS}}}}}}}}}],
        "edges": [{{"from": "users", "to": "server"}}]}}"#
    ))
    .unwrap()
}

#[test]
fn a_closed_loop_matches_the_machine_repairman_model() {
    let runs: Vec<_> = [1, 2, 3, 4, 5]
        .iter()
        .map(|&seed| common::run(scenario(), seed, 100_000))
        .collect();
    let (throughput, response) = repairman();
    let errors = [
        compare(
            "closed loop throughput (/s)",
            &runs.iter().map(|s| s.throughput_per_s).collect::<Vec<_>>(),
            throughput,
            0.02,
        ),
        compare(
            "closed loop response time (ms)",
            &runs.iter().map(|s| s.latency_ms.mean).collect::<Vec<_>>(),
            response,
            0.02,
        ),
    ];
    let errors: Vec<String> = errors.into_iter().flatten().collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_closed_loop_never_has_more_requests_out_than_users() {
    let mut sim = pattern_engine::Simulation::new(&scenario()).unwrap();
    while sim.advance_events(500) > 0 {
        assert!(sim.conservation().in_flight <= u64::from(USERS));
    }
}
