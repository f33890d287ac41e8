//! The scenario the playground opens with: the reference architecture shipped in
//! `public/scenarios/default.json`, compiled in so the first paint needs no request.

use pattern_engine::scenario::{from_json, RunSpec, Scenario, FORMAT_VERSION};

/// The default scenario's text, exactly as shipped.
pub const DEFAULT_SCENARIO: &str = include_str!("../public/scenarios/default.json");

/// The default scenario. It is checked by the engine's tests, so reading it cannot fail.
pub fn default_scenario() -> Scenario {
    from_json(DEFAULT_SCENARIO).expect("the shipped default scenario is valid")
}

/// A blank scenario, as "New" makes it.
pub fn empty_scenario() -> Scenario {
    Scenario {
        version: FORMAT_VERSION,
        name: "Untitled".into(),
        description: String::new(),
        seed: 1,
        run: RunSpec::default(),
        nodes: Vec::new(),
        edges: Vec::new(),
        faults: Vec::new(),
    }
}
