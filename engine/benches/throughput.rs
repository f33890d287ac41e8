//! Engine speed: events and requests per second of wall-clock time, with metrics on, for the
//! shipped M/M/4 benchmark model and the reference architecture. Prints a table; asserts
//! nothing (speed targets live here, not in tests that would flake).
//!
//! ```text
//! cargo bench -p pattern-engine                         # native
//! scripts/bench-wasm.sh                                 # the same code as wasm, under node
//! ```
//! The scenarios are compiled in, so the wasm build needs no file system.

use pattern_engine::scenario::from_json;
use pattern_engine::Simulation;
use std::time::Instant;

const MODELS: [(&str, &str, u64); 2] = [
    (
        "bench/mm4.json",
        include_str!("../../public/scenarios/bench/mm4.json"),
        2_000_000,
    ),
    (
        "default.json",
        include_str!("../../public/scenarios/default.json"),
        200_000,
    ),
];
const ROUNDS: usize = 5;

fn main() {
    println!(
        "{:<16} {:>10} {:>12} {:>9} {:>14} {:>14}",
        "scenario", "requests", "events", "best s", "events/s", "requests/s"
    );
    for (name, text, requests) in MODELS {
        let mut scenario = from_json(text).expect("shipped scenario");
        scenario.run.requests = Some(requests);
        let mut best = f64::INFINITY;
        let mut events = 0;
        for _ in 0..ROUNDS {
            let mut sim = Simulation::new(&scenario).expect("valid");
            let started = Instant::now();
            sim.run_to_end();
            let elapsed = started.elapsed().as_secs_f64();
            // Use the summary so the optimiser cannot drop the metrics work.
            assert_eq!(sim.summary().requests.generated, requests);
            best = best.min(elapsed);
            events = sim.events();
        }
        println!(
            "{name:<16} {requests:>10} {events:>12} {best:>9.3} {:>14.0} {:>14.0}",
            events as f64 / best,
            requests as f64 / best
        );
    }
}
