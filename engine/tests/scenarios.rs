//! Every shipped scenario (public/scenarios/**.json) is loaded, validated and run, as a user
//! would from the examples menu, and its run's fingerprint is compared with the one pinned in
//! tests/expected/fingerprints.json. The app's browser tests compare the same file in wasm, so
//! together they prove that a scenario and seed give the same run natively and in the browser.
//!
//! A run's events and event hash never change once pinned: they are what a link shared today
//! replays tomorrow, so no blessing rewrites them. Two blessings exist, each for one purpose:
//! - `BLESS=new cargo test -p pattern-engine --test scenarios` pins scenarios shipped since
//!   (a new story), leaving every existing pin as it is;
//! - `BLESS=summary …` re-pins summary hashes, and only those, in a commit that adds summary
//!   keys or outcomes and names them; the events and event hashes must still match.

mod common;

use pattern_engine::json::{self, Fields, FromJson, Json, ReadError, ToJson};
use pattern_engine::scenario::{from_json, validate, Severity};
use pattern_engine::sim::Fingerprint;
use pattern_engine::Simulation;
use std::collections::BTreeMap;

/// Requests per scenario in the fingerprint runs: enough to exercise every path, few enough
/// that the browser repeats them in seconds. Written into the pinned file, so the browser test
/// uses the same cap.
const FINGERPRINT_REQUESTS: u64 = 20_000;

/// The pinned file's shape: `{"requests_cap": 20000, "runs": {"default.json": {…}, …}}`.
#[derive(Debug, PartialEq)]
struct Pinned {
    requests_cap: u64,
    runs: BTreeMap<String, Fingerprint>,
}

impl ToJson for Pinned {
    fn to_tree(&self) -> Json {
        Json::object([
            ("requests_cap", self.requests_cap.to_tree()),
            ("runs", self.runs.to_tree()),
        ])
    }
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

fn fingerprints() -> BTreeMap<String, Fingerprint> {
    common::all_shipped()
        .into_iter()
        .map(|(name, text)| {
            let mut scenario = from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            if scenario
                .run
                .requests
                .is_some_and(|n| n > FINGERPRINT_REQUESTS)
            {
                scenario.run.requests = Some(FINGERPRINT_REQUESTS);
            }
            let fp =
                Simulation::fingerprint(&scenario).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
            (name, fp)
        })
        .collect()
}

#[test]
fn shipped_scenarios_validate_without_errors() {
    let shipped = common::all_shipped();
    assert!(
        shipped.len() >= 6,
        "the examples and validation models are shipped"
    );
    for (name, text) in shipped {
        let scenario = from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let errors: Vec<_> = validate(&scenario)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(
            !scenario.name.is_empty() && !scenario.description.is_empty(),
            "{name} says what it shows"
        );
    }
}

#[test]
fn shipped_scenarios_run_as_pinned() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/fingerprints.json");
    let actual = Pinned {
        requests_cap: FINGERPRINT_REQUESTS,
        runs: fingerprints(),
    };
    let text = std::fs::read_to_string(&path).expect("pinned fingerprints");
    let pinned = Pinned::from_tree(&json::parse(&text).unwrap()).unwrap();
    assert_eq!(pinned.requests_cap, actual.requests_cap);
    let blessing = std::env::var("BLESS").ok();
    let mut blessed = Pinned {
        requests_cap: pinned.requests_cap,
        runs: BTreeMap::new(),
    };
    for (name, now) in &actual.runs {
        let Some(before) = pinned.runs.get(name) else {
            assert_eq!(
                blessing.as_deref(),
                Some("new"),
                "{name} is not pinned yet: pin it with BLESS=new (see the module doc)"
            );
            blessed.runs.insert(name.clone(), now.clone());
            continue;
        };
        assert_eq!(
            (now.events, &now.event_hash),
            (before.events, &before.event_hash),
            "{name}: the run changed (its events), which no blessing may accept"
        );
        if blessing.as_deref() != Some("summary") {
            assert_eq!(
                now.summary_hash, before.summary_hash,
                "{name}: the summary changed; if a commit adds summary keys or outcomes, \
                 re-pin with BLESS=summary and name them"
            );
        }
        blessed.runs.insert(name.clone(), now.clone());
    }
    for name in pinned.runs.keys() {
        assert!(
            actual.runs.contains_key(name),
            "{name} is pinned but no longer shipped"
        );
    }
    if blessing.is_some() {
        std::fs::write(&path, json::pretty(&blessed.to_tree()) + "\n").unwrap();
    }
}

#[test]
fn the_default_scenario_shows_every_part_of_the_reference_architecture() {
    let mut sim = Simulation::new(&common::load("default.json")).unwrap();
    sim.run_to_end();
    let s = sim.summary();
    assert_eq!(
        s.requests.completed, s.requests.generated,
        "the default is healthy"
    );
    for (id, node) in &s.nodes {
        assert!(node.arrivals > 0, "{id} takes part");
    }
    let hit_ratio = s.cache_hit_ratio.unwrap();
    assert!(
        (0.3..0.95).contains(&hit_ratio),
        "caches hit and miss: {hit_ratio}"
    );
    let jobs = s.jobs.as_ref().unwrap();
    assert_eq!(jobs.done, jobs.published);
    // A traced order's round trip: user, lb, gateway, service A, cache A (and db A on a miss).
    let order = s
        .traces
        .iter()
        .find(|t| !t.job && t.hops.iter().any(|h| h.node == "service_a"))
        .unwrap();
    let path: Vec<&str> = order.hops.iter().map(|h| h.node.as_str()).collect();
    assert_eq!(
        &path[..5],
        ["user", "lb", "gateway", "service_a", "cache_a"]
    );
    for pair in order.hops.windows(2) {
        // Each hop is nested inside its caller's visit.
        assert!(
            pair[0].arrive_ms <= pair[1].arrive_ms && pair[1].leave_ms <= pair[0].leave_ms,
            "{pair:?}"
        );
    }
    assert!(s
        .traces
        .iter()
        .any(|t| t.job && t.hops.iter().any(|h| h.node == "worker")));
}
