//! Calls in parallel against theory: a scatter-gather calling two services at once, each an
//! exponential server with no waiting (far more workers than requests in flight), answers when
//! both have: its latency is the maximum of two exponentials, whose mean is 1.5/μ. Waiting for
//! the first instead, the minimum: 0.5/μ. Five replications, within 2%. Run with `--nocapture`
//! to see simulated and analytic numbers side by side.

mod common;

use common::compare;
use pattern_engine::scenario::from_json;

/// Mean service time of each branch, ms (μ = 1/10 per ms).
const MEAN_MS: f64 = 10.0;

fn fork_join(wait_for: &str) -> String {
    format!(
        r#"{{"version": 1, "run": {{"requests": 200000, "warmup_s": 10}},
        "nodes": [
          {{"id": "c", "kind": "client", "config": {{"arrival": {{"poisson": {{"rate_per_s": 200}}}}}}}},
          {{"id": "sg", "kind": "scatter_gather",
            "config": {{"workers": 10000, "service_time": {{"constant": {{"ms": 0}}}}, "wait_for": {wait_for}}}}},
          {{"id": "a", "kind": "service", "config": {{"workers": 10000,
            "service_time": {{"exponential": {{"mean_ms": {MEAN_MS}}}}}}}}},
          {{"id": "b", "kind": "service", "config": {{"workers": 10000,
            "service_time": {{"exponential": {{"mean_ms": {MEAN_MS}}}}}}}}}],
        "edges": [{{"from": "c", "to": "sg"}}, {{"from": "sg", "to": "a"}}, {{"from": "sg", "to": "b"}}]}}"#
    )
}

fn mean_latencies(wait_for: &str) -> Vec<f64> {
    let scenario = from_json(&fork_join(wait_for)).unwrap();
    [1, 2, 3, 4, 5]
        .iter()
        .map(|&seed| common::run(scenario.clone(), seed, 200_000).latency_ms.mean)
        .collect()
}

#[test]
fn waiting_for_both_of_two_exponential_calls_takes_the_maximum() {
    let error = compare(
        "fork-join of 2, mean of the maximum (ms)",
        &mean_latencies(r#""all""#),
        1.5 * MEAN_MS,
        0.02,
    );
    assert!(error.is_none(), "{error:?}");
}

#[test]
fn waiting_for_the_first_of_two_takes_the_minimum() {
    let error = compare(
        "first of 2, mean of the minimum (ms)",
        &mean_latencies(r#""first""#),
        0.5 * MEAN_MS,
        0.02,
    );
    assert!(error.is_none(), "{error:?}");
}
