//! Helpers shared by the behaviour tests: load a shipped scenario, run it, read the summary.

#![allow(dead_code)] // each test binary uses a different subset

pub mod pinned_links;
pub mod random_scenario;

use pattern_engine::scenario::{self, Scenario};
use pattern_engine::{Simulation, Summary};
use std::path::PathBuf;

/// The repository's `public/scenarios` folder.
pub fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/scenarios")
}

/// Reads a shipped scenario by its path under `public/scenarios`.
pub fn load(relative: &str) -> Scenario {
    let path = scenarios_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    scenario::from_json(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every shipped scenario file, as (relative path, text).
pub fn all_shipped() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![scenarios_dir()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path
                    .strip_prefix(scenarios_dir())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Runs a scenario to its end with the given seed and request count.
pub fn run(mut scenario: Scenario, seed: u64, requests: u64) -> Summary {
    scenario.seed = seed;
    scenario.run.requests = Some(requests);
    scenario.run.duration_s = None;
    let mut sim = Simulation::new(&scenario).expect("valid scenario");
    sim.run_to_end();
    sim.summary()
}

/// Mean and standard error of independent replications.
pub fn mean_and_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Compares a replicated estimate with theory, printing both side by side; returns an error
/// line if the estimate is off by more than `tolerance` (relative) or too noisy to judge.
pub fn compare(name: &str, values: &[f64], theory: f64, tolerance: f64) -> Option<String> {
    let (mean, se) = mean_and_se(values);
    let error = (mean - theory) / theory;
    println!(
        "{name:<40} simulated {mean:>10.4} ± {se:.4}   theory {theory:>10.4}   error {:+.2}%",
        error * 100.0
    );
    if error.abs() > tolerance {
        Some(format!(
            "{name}: {mean:.4} vs theory {theory:.4} ({:+.2}%)",
            error * 100.0
        ))
    } else if se / theory > tolerance / 3.0 {
        Some(format!(
            "{name}: standard error {se:.4} is too large to judge a {tolerance} tolerance"
        ))
    } else {
        None
    }
}
