//! The engine against queueing theory. Each model is a shipped file in
//! public/scenarios/validation/, run as independent replications (different seeds) with the
//! warm-up discarded; each estimate must lie within 3% of the analytic value, and its standard
//! error must be at most a third of that, so a pass means something. Run with `--nocapture` to
//! see simulated and analytic numbers side by side.

mod common;

use common::{compare, load, run};
use pattern_engine::Summary;

const TOLERANCE: f64 = 0.03;
const SEEDS: [u64; 5] = [11, 22, 33, 44, 55];
const CUSTOMERS: u64 = 400_000;

fn replicate(file: &str) -> Vec<Summary> {
    replicate_with(file, CUSTOMERS)
}

fn replicate_with(file: &str, customers: u64) -> Vec<Summary> {
    SEEDS
        .iter()
        .map(|&seed| run(load(file), seed, customers))
        .collect()
}

fn node_value(
    runs: &[Summary],
    node: &str,
    pick: fn(&pattern_engine::metrics::summary::NodeSummary) -> Option<f64>,
) -> Vec<f64> {
    runs.iter()
        .map(|s| {
            let (_, n) = s.nodes.iter().find(|(id, _)| id == node).expect("node");
            pick(n).expect("value")
        })
        .collect()
}

fn check(errors: Vec<Option<String>>) {
    let errors: Vec<String> = errors.into_iter().flatten().collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load `a`.
fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / c as f64;
    let mut term = 1.0;
    let mut sum = 1.0; // k = 0
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let top = term * a / c as f64 / (1.0 - rho);
    top / (sum + top)
}

/// Mean wait in queue of an M/M/c queue, in ms (rates per second).
fn mmc_wait_ms(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(c, lambda / mu) / (c as f64 * mu - lambda) * 1000.0
}

#[test]
fn mm1_matches_theory() {
    // lambda = 700/s, mu = 1000/s, rho = 0.7.
    // W = 1/(mu - lambda) = 3.333 ms; Wq = rho/(mu - lambda) = 2.333 ms; Lq = rho^2/(1-rho).
    let (lambda, mu) = (700.0, 1000.0);
    let rho: f64 = lambda / mu;
    let runs = replicate("validation/mm1.json");
    let latency: Vec<f64> = runs.iter().map(|s| s.latency_ms.mean).collect();
    check(vec![
        compare(
            "M/M/1 time in system W (ms)",
            &latency,
            1000.0 / (mu - lambda),
            TOLERANCE,
        ),
        compare(
            "M/M/1 wait Wq (ms)",
            &node_value(&runs, "server", |n| n.mean_wait_ms),
            rho / (mu - lambda) * 1000.0,
            TOLERANCE,
        ),
        compare(
            "M/M/1 queue length Lq",
            &node_value(&runs, "server", |n| Some(n.mean_queue_length)),
            rho * rho / (1.0 - rho),
            TOLERANCE,
        ),
        compare(
            "M/M/1 utilisation",
            &node_value(&runs, "server", |n| n.utilisation),
            rho,
            TOLERANCE,
        ),
    ]);
}

#[test]
fn mmc_matches_erlang_c() {
    // lambda = 300/s, mu = 100/s per server, c = 4, rho = 0.75.
    // Wq = C(c, a)/(c mu - lambda) = 5.094 ms; W = Wq + 1/mu = 15.094 ms; Little: Lq = lambda Wq.
    let (lambda, mu, c) = (300.0, 100.0, 4);
    let wq = mmc_wait_ms(lambda, mu, c);
    let runs = replicate("validation/mmc.json");
    let latency: Vec<f64> = runs.iter().map(|s| s.latency_ms.mean).collect();
    check(vec![
        compare(
            "M/M/4 time in system W (ms)",
            &latency,
            wq + 1000.0 / mu,
            TOLERANCE,
        ),
        compare(
            "M/M/4 wait Wq (ms)",
            &node_value(&runs, "servers", |n| n.mean_wait_ms),
            wq,
            TOLERANCE,
        ),
        compare(
            "M/M/4 queue length Lq (Little)",
            &node_value(&runs, "servers", |n| Some(n.mean_queue_length)),
            lambda * wq / 1000.0,
            TOLERANCE,
        ),
    ]);
}

#[test]
fn mm1k_blocking_matches_theory() {
    // One server, 4 waiting places: K = 5. P_block = (1 - rho) rho^K / (1 - rho^(K+1)).
    let rho: f64 = 0.9;
    let k = 5;
    let p_block = (1.0 - rho) * rho.powi(k) / (1.0 - rho.powi(k + 1));
    let runs = replicate("validation/mm1k.json");
    let blocked: Vec<f64> = runs
        .iter()
        .map(|s| s.requests.dropped as f64 / s.requests.generated as f64)
        .collect();
    // Throughput of accepted requests: lambda (1 - P_block).
    let throughput: Vec<f64> = runs.iter().map(|s| s.throughput_per_s).collect();
    check(vec![
        compare("M/M/1/5 blocking probability", &blocked, p_block, TOLERANCE),
        compare(
            "M/M/1/5 accepted throughput (/s)",
            &throughput,
            900.0 * (1.0 - p_block),
            TOLERANCE,
        ),
    ]);
}

#[test]
fn jackson_network_matches_product_form() {
    // Random split of Poisson 600/s over 3 services: each sees Poisson 200/s (splitting theorem).
    // Each service: M/M/2, mu = 1/6 ms. Departures are Poisson (Burke), 30% go on: the database
    // sees Poisson 180/s, M/M/3 with mu = 1/10 ms. End to end: edge latencies both ways plus
    // the service sojourn plus 30% of (database edge both ways + database sojourn).
    let service_wq = mmc_wait_ms(200.0, 1000.0 / 6.0, 2);
    let db_wq = mmc_wait_ms(180.0, 100.0, 3);
    let end_to_end = 2.0 * (1.0 + 0.5) + (service_wq + 6.0) + 0.3 * (2.0 * 2.0 + db_wq + 10.0);
    // The database sees only 30% of the customers: run more of them.
    let runs = replicate_with("validation/jackson.json", 2 * CUSTOMERS);
    let latency: Vec<f64> = runs.iter().map(|s| s.latency_ms.mean).collect();
    let mut results = vec![compare(
        "Jackson end-to-end sojourn (ms)",
        &latency,
        end_to_end,
        TOLERANCE,
    )];
    for service in ["service_1", "service_2", "service_3"] {
        results.push(compare(
            &format!("Jackson {service} wait (ms)"),
            &node_value(&runs, service, |n| n.mean_wait_ms),
            service_wq,
            TOLERANCE,
        ));
    }
    results.push(compare(
        "Jackson database sojourn (ms)",
        &node_value(&runs, "db", |n| n.mean_time_in_node_ms),
        db_wq + 10.0,
        TOLERANCE,
    ));
    results.push(compare(
        "Jackson database utilisation",
        &node_value(&runs, "db", |n| n.utilisation),
        0.6,
        TOLERANCE,
    ));
    check(results);
}

#[test]
fn erlang_c_helper_matches_a_known_value() {
    // Textbook value: c = 2, a = 1 (rho = 0.5): C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}
