//! The engine in the browser runs exactly as on the command line: every shipped scenario, run
//! in headless Chromium, must reproduce the event-log and summary hashes that the native test
//! suite pins in engine/tests/expected/fingerprints.json.

#![cfg(target_arch = "wasm32")]

use pattern_engine::json::{self, Fields, FromJson, Json, ReadError};
use pattern_engine::scenario::from_json;
use pattern_engine::sim::Fingerprint;
use pattern_engine::Simulation;
use std::collections::BTreeMap;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PINNED: &str = include_str!("../engine/tests/expected/fingerprints.json");

/// Every shipped scenario; the test fails if this list and the pinned file drift apart.
const SHIPPED: [(&str, &str); 30] = [
    (
        "bench/mm4.json",
        include_str!("../public/scenarios/bench/mm4.json"),
    ),
    (
        "default.json",
        include_str!("../public/scenarios/default.json"),
    ),
    (
        "patterns/cache-stampede-cured.json",
        include_str!("../public/scenarios/patterns/cache-stampede-cured.json"),
    ),
    (
        "patterns/cache-stampede.json",
        include_str!("../public/scenarios/patterns/cache-stampede.json"),
    ),
    (
        "patterns/db-failure-cured.json",
        include_str!("../public/scenarios/patterns/db-failure-cured.json"),
    ),
    (
        "patterns/db-failure.json",
        include_str!("../public/scenarios/patterns/db-failure.json"),
    ),
    (
        "patterns/goodput-collapse-cured.json",
        include_str!("../public/scenarios/patterns/goodput-collapse-cured.json"),
    ),
    (
        "patterns/goodput-collapse.json",
        include_str!("../public/scenarios/patterns/goodput-collapse.json"),
    ),
    (
        "patterns/hot-shard-cured.json",
        include_str!("../public/scenarios/patterns/hot-shard-cured.json"),
    ),
    (
        "patterns/hot-shard.json",
        include_str!("../public/scenarios/patterns/hot-shard.json"),
    ),
    (
        "patterns/lb-sinkhole-cured.json",
        include_str!("../public/scenarios/patterns/lb-sinkhole-cured.json"),
    ),
    (
        "patterns/lb-sinkhole.json",
        include_str!("../public/scenarios/patterns/lb-sinkhole.json"),
    ),
    (
        "patterns/pool-exhaustion-cured.json",
        include_str!("../public/scenarios/patterns/pool-exhaustion-cured.json"),
    ),
    (
        "patterns/pool-exhaustion.json",
        include_str!("../public/scenarios/patterns/pool-exhaustion.json"),
    ),
    (
        "patterns/reshard-cured.json",
        include_str!("../public/scenarios/patterns/reshard-cured.json"),
    ),
    (
        "patterns/reshard.json",
        include_str!("../public/scenarios/patterns/reshard.json"),
    ),
    (
        "patterns/retry-storm-cured.json",
        include_str!("../public/scenarios/patterns/retry-storm-cured.json"),
    ),
    (
        "patterns/retry-storm.json",
        include_str!("../public/scenarios/patterns/retry-storm.json"),
    ),
    (
        "patterns/scatter-gather-cured.json",
        include_str!("../public/scenarios/patterns/scatter-gather-cured.json"),
    ),
    (
        "patterns/scatter-gather.json",
        include_str!("../public/scenarios/patterns/scatter-gather.json"),
    ),
    (
        "patterns/tail-latency-cured.json",
        include_str!("../public/scenarios/patterns/tail-latency-cured.json"),
    ),
    (
        "patterns/tail-latency.json",
        include_str!("../public/scenarios/patterns/tail-latency.json"),
    ),
    (
        "patterns/thundering-herd-cured.json",
        include_str!("../public/scenarios/patterns/thundering-herd-cured.json"),
    ),
    (
        "patterns/thundering-herd.json",
        include_str!("../public/scenarios/patterns/thundering-herd.json"),
    ),
    (
        "patterns/timeout-cascade-cured.json",
        include_str!("../public/scenarios/patterns/timeout-cascade-cured.json"),
    ),
    (
        "patterns/timeout-cascade.json",
        include_str!("../public/scenarios/patterns/timeout-cascade.json"),
    ),
    (
        "validation/jackson.json",
        include_str!("../public/scenarios/validation/jackson.json"),
    ),
    (
        "validation/mm1.json",
        include_str!("../public/scenarios/validation/mm1.json"),
    ),
    (
        "validation/mm1k.json",
        include_str!("../public/scenarios/validation/mm1k.json"),
    ),
    (
        "validation/mmc.json",
        include_str!("../public/scenarios/validation/mmc.json"),
    ),
];

/// The pinned file's shape, as engine/tests/scenarios.rs writes it.
struct Pinned {
    requests_cap: u64,
    runs: BTreeMap<String, Fingerprint>,
}

impl FromJson for Pinned {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["requests_cap", "runs"])?;
        Ok(Pinned {
            requests_cap: f.req("requests_cap")?,
            runs: f.req("runs")?,
        })
    }
}

#[wasm_bindgen_test]
fn shipped_scenarios_run_in_the_browser_as_natively() {
    let tree = json::parse(PINNED).expect("pinned fingerprints parse");
    let pinned = Pinned::from_tree(&tree).unwrap_or_else(|e| panic!("pinned fingerprints: {e}"));
    let names: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
    let pinned_names: Vec<&str> = pinned.runs.keys().map(String::as_str).collect();
    assert_eq!(names, pinned_names, "list every shipped scenario here");
    for (name, text) in SHIPPED {
        let mut scenario = from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        if scenario
            .run
            .requests
            .is_some_and(|n| n > pinned.requests_cap)
        {
            scenario.run.requests = Some(pinned.requests_cap);
        }
        let fingerprint =
            Simulation::fingerprint(&scenario).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        assert_eq!(
            fingerprint, pinned.runs[name],
            "{name} ran differently in the browser"
        );
    }
}
