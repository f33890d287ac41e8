//! The engine against queueing theory. Each model is a shipped file in
//! public/scenarios/validation/ (or, for M/G/1 and the weighted split, a small scenario built
//! here), run as independent replications (different seeds) with the warm-up discarded; each
//! estimate must lie within 3% of the analytic value, and its standard error must be at most a
//! third of that, so a pass means something. The distributions are checked draw by draw: each
//! one's sample mean and variance within 4 standard errors of its formulas. Run with
//! `--nocapture` to see simulated and analytic numbers side by side.

mod common;

use common::{compare, load, run};
use pattern_engine::distributions::Duration;
use pattern_engine::random::{stable_hash, Stream};
use pattern_engine::scenario::{from_json, Scenario};
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

/// Compares the sample mean and variance of `n` draws with theory, printing both side by side.
/// Each must lie within 4 standard errors, estimated from the draws themselves (the variance's
/// from the fourth central moment: se² = (m4 − s⁴)/n), and the standard errors must be small
/// (the mean's at most 1%, the variance's at most 5% of theory) so a pass means something.
fn moments(name: &str, d: &Duration, mean: f64, variance: f64, n: usize) -> Option<String> {
    let sampler = d.sampler();
    let mut rng = Stream::from_seed(stable_hash(name.as_bytes()));
    let xs: Vec<f64> = (0..n)
        .map(|_| sampler.sample(&mut rng) as f64 / 1e6)
        .collect();
    let count = n as f64;
    let m = xs.iter().sum::<f64>() / count;
    let central = |p: i32| xs.iter().map(|x| (x - m).powi(p)).sum::<f64>() / count;
    let (s2, m4) = (central(2) * count / (count - 1.0), central(4));
    let (se_mean, se_var) = ((s2 / count).sqrt(), ((m4 - s2 * s2) / count).sqrt());
    let (z_mean, z_var) = ((m - mean) / se_mean, (s2 - variance) / se_var);
    println!(
        "{name:<34} mean {m:>9.4} ± {se_mean:.4} (theory {mean:>8.4}, z {z_mean:+.2})   \
         variance {s2:>9.3} ± {se_var:.3} (theory {variance:>8.3}, z {z_var:+.2})"
    );
    let mut problems = Vec::new();
    if (d.mean_ms() - mean).abs() > 1e-9 * mean {
        problems.push(format!("mean_ms() is {} for {mean}", d.mean_ms()));
    }
    if z_mean.abs() > 4.0 || z_var.abs() > 4.0 {
        problems.push(format!(
            "off by z = {z_mean:+.2} (mean), {z_var:+.2} (variance)"
        ));
    }
    if se_mean > 0.01 * mean || se_var > 0.05 * variance {
        problems.push("too few draws to judge".into());
    }
    (!problems.is_empty()).then(|| format!("{name}: {}", problems.join("; ")))
}

#[test]
fn each_distribution_has_the_mean_and_variance_of_its_formulas() {
    const N: usize = 200_000;
    let pi = std::f64::consts::PI;
    // Bounded Pareto on [L, H] with index a: E[X^k] = a L^a (H^(k-a) - L^(k-a)) / ((k - a)
    // (1 - (L/H)^a)) for k != a.
    let (l, h, a): (f64, f64, f64) = (1.0, 100.0, 1.5);
    let pareto = |k: f64| {
        a * l.powf(a) * (h.powf(k - a) - l.powf(k - a)) / ((k - a) * (1.0 - (l / h).powf(a)))
    };
    let cases = [
        // Uniform on [a, b]: mean (a + b)/2, variance (b - a)^2 / 12.
        (
            "uniform 2..10 ms",
            Duration::Uniform {
                min_ms: 2.0,
                max_ms: 10.0,
            },
            6.0,
            64.0 / 12.0,
        ),
        // Gamma with mean m and shape k: variance m^2 / k. Erlang-3, a fraction above 1, and
        // below 1 (drawn with Marsaglia and Tsang's boost).
        (
            "gamma mean 4, shape 3 (Erlang-3)",
            Duration::Gamma {
                mean_ms: 4.0,
                shape: 3.0,
            },
            4.0,
            16.0 / 3.0,
        ),
        (
            "gamma mean 4, shape 2.5",
            Duration::Gamma {
                mean_ms: 4.0,
                shape: 2.5,
            },
            4.0,
            16.0 / 2.5,
        ),
        (
            "gamma mean 4, shape 0.5",
            Duration::Gamma {
                mean_ms: 4.0,
                shape: 0.5,
            },
            4.0,
            32.0,
        ),
        // Weibull with scale s and shape k: mean s G(1 + 1/k), variance s^2 (G(1 + 2/k) -
        // G(1 + 1/k)^2). k = 2: G(1.5) = sqrt(pi)/2, G(2) = 1. k = 0.5: G(3) = 2, G(5) = 24.
        (
            "weibull scale 3, shape 2",
            Duration::Weibull {
                scale_ms: 3.0,
                shape: 2.0,
            },
            3.0 * pi.sqrt() / 2.0,
            9.0 * (1.0 - pi / 4.0),
        ),
        (
            "weibull scale 3, shape 0.5",
            Duration::Weibull {
                scale_ms: 3.0,
                shape: 0.5,
            },
            6.0,
            9.0 * (24.0 - 4.0),
        ),
        (
            "bounded pareto 1..100, alpha 1.5",
            Duration::BoundedPareto {
                min_ms: l,
                max_ms: h,
                alpha: a,
            },
            pareto(1.0),
            pareto(2.0) - pareto(1.0).powi(2),
        ),
        // Empirical [1, 2, 2, 10]: mean 15/4, variance (2.75^2 + 2 * 1.75^2 + 6.25^2) / 4.
        (
            "empirical [1, 2, 2, 10] ms",
            Duration::Empirical {
                samples_ms: vec![1.0, 2.0, 2.0, 10.0],
            },
            3.75,
            52.75 / 4.0,
        ),
    ];
    check(
        cases
            .iter()
            .map(|(name, d, mean, variance)| moments(name, d, *mean, *variance, N))
            .collect(),
    );
}

/// One server (a service with one worker) fed by Poisson arrivals at 700/s, with the given
/// service time, 10 s of warm-up.
fn mg1(service_time: &str) -> Scenario {
    from_json(&format!(
        r#"{{ "version": 1, "name": "M/G/1",
          "run": {{ "requests": 1000, "warmup_s": 10, "window_s": 10, "trace_every": 100000 }},
          "nodes": [
            {{ "id": "arrivals", "kind": "client",
               "config": {{ "arrival": {{ "poisson": {{ "rate_per_s": 700 }} }} }} }},
            {{ "id": "server", "kind": "service",
               "config": {{ "workers": 1, "service_time": {service_time} }} }} ],
          "edges": [ {{ "from": "arrivals", "to": "server" }} ] }}"#
    ))
    .unwrap()
}

/// M/G/1 against Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)), W = Wq + E[S],
/// Lq = lambda Wq (Little), utilisation rho = lambda E[S]. The queue depends on the service
/// time only through its first two moments.
fn check_mg1(name: &str, service_time: &str, mean_ms: f64, variance_ms2: f64) {
    let lambda = 0.7; // per ms
    let rho = lambda * mean_ms;
    let wq = lambda * (variance_ms2 + mean_ms * mean_ms) / (2.0 * (1.0 - rho));
    let runs: Vec<Summary> = SEEDS
        .iter()
        .map(|&seed| run(mg1(service_time), seed, CUSTOMERS))
        .collect();
    let latency: Vec<f64> = runs.iter().map(|s| s.latency_ms.mean).collect();
    check(vec![
        compare(
            &format!("{name} time in system W (ms)"),
            &latency,
            wq + mean_ms,
            TOLERANCE,
        ),
        compare(
            &format!("{name} wait Wq (ms)"),
            &node_value(&runs, "server", |n| n.mean_wait_ms),
            wq,
            TOLERANCE,
        ),
        compare(
            &format!("{name} queue length Lq"),
            &node_value(&runs, "server", |n| Some(n.mean_queue_length)),
            lambda * wq,
            TOLERANCE,
        ),
        compare(
            &format!("{name} utilisation"),
            &node_value(&runs, "server", |n| n.utilisation),
            rho,
            TOLERANCE,
        ),
    ]);
}

#[test]
fn mg1_with_erlang_service_matches_pollaczek_khinchine() {
    // Erlang-3 with mean 1 ms: variance 1/3 ms^2, E[S^2] = 4/3 ms^2, rho = 0.7.
    // Wq = 0.7 * 4/3 / 0.6 = 1.556 ms (M/M/1 would wait 2.333 ms; M/D/1 1.167 ms).
    check_mg1(
        "M/E3/1",
        r#"{ "gamma": { "mean_ms": 1, "shape": 3 } }"#,
        1.0,
        1.0 / 3.0,
    );
}

#[test]
fn mg1_with_uniform_service_matches_pollaczek_khinchine() {
    // Uniform on [0.5, 1.5] ms: mean 1 ms, variance 1/12 ms^2, E[S^2] = 13/12 ms^2.
    // Wq = 0.7 * 13/12 / 0.6 = 1.264 ms.
    check_mg1(
        "M/U/1",
        r#"{ "uniform": { "min_ms": 0.5, "max_ms": 1.5 } }"#,
        1.0,
        1.0 / 12.0,
    );
}

#[test]
fn weighted_random_split_shares_are_within_binomial_bounds() {
    // A load balancer splits 200,000 requests over backends weighted 1, 2 and 5: each
    // backend's count is binomial(n, w / 8), within 4 standard deviations sqrt(n p (1 - p)) of
    // n p. (Weighted round robin would hit n p exactly; a random split is what keeps each
    // branch Poisson.)
    let weights = [("a", 1.0), ("b", 2.0), ("c", 5.0)];
    let n = 200_000u64;
    let backends: Vec<String> = weights
        .iter()
        .map(|(id, _)| format!(r#"{{ "id": "{id}", "kind": "database" }}"#))
        .collect();
    let edges: Vec<String> = weights
        .iter()
        .map(|(id, w)| format!(r#"{{ "from": "lb", "to": "{id}", "weight": {w} }}"#))
        .collect();
    let scenario = from_json(&format!(
        r#"{{ "version": 1, "nodes": [
            {{ "id": "users", "kind": "client",
               "config": {{ "arrival": {{ "poisson": {{ "rate_per_s": 500 }} }} }} }},
            {{ "id": "lb", "kind": "load_balancer", "config": {{ "algorithm": "weighted_random" }} }},
            {} ],
          "edges": [ {{ "from": "users", "to": "lb" }}, {} ] }}"#,
        backends.join(", "),
        edges.join(", ")
    ))
    .unwrap();
    let summary = run(scenario, 7, n);
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut errors = Vec::new();
    for (id, w) in weights {
        let (_, node) = summary.nodes.iter().find(|(i, _)| i == id).expect("node");
        let p = w / total;
        let expected = n as f64 * p;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        let z = (node.arrivals as f64 - expected) / sd;
        println!(
            "weighted split, backend {id} (weight {w})   simulated {:>7}   theory {expected:>9.1} \
             ± {sd:.1}   z {z:+.2}",
            node.arrivals
        );
        if z.abs() > 4.0 {
            errors.push(Some(format!("backend {id}: z = {z:+.2}")));
        }
    }
    check(errors);
}
