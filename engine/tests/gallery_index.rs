//! The app's Examples gallery compiles in only an index of the shipped examples and fetches
//! their files: every entry of that index must name a file in `public/scenarios/` (both
//! halves of each story) that opens as the app opens it, without errors. The index is the
//! app's own file, included here, so the two cannot drift apart.

use std::path::PathBuf;

use pattern_engine::scenario::{from_json, validate, Severity};

// The app's file, as it is: plain data, no dependencies. Not every helper it has is used
// here.
#[allow(dead_code)]
#[path = "../../src/share/gallery/index.rs"]
mod index;

/// Where the app's `scenarios/` folder is served from.
fn public() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public")
}

#[test]
fn every_entry_names_a_shipped_file_that_opens_without_errors() {
    let mut problems = Vec::new();
    for entry in index::entries() {
        let path = public().join(entry.path());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{}: {} ({e})", entry.name(), path.display()));
                continue;
            }
        };
        match from_json(&text) {
            Ok(scenario) => {
                let errors: Vec<String> = validate(&scenario)
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.message)
                    .collect();
                if !errors.is_empty() {
                    problems.push(format!("{}: {errors:?}", entry.name()));
                }
                if scenario.description.trim().is_empty() {
                    problems.push(format!("{}: no description for its tile", entry.name()));
                }
            }
            Err(e) => problems.push(format!("{}: {e}", entry.name())),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn names_are_unique_and_fit_a_test_id_and_a_fragment() {
    let names: Vec<String> = index::entries().iter().map(|e| e.name()).collect();
    for name in &names {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name}"
        );
        assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
        assert_eq!(
            index::entry(name).map(|e| e.name()).as_deref(),
            Some(name.as_str())
        );
    }
    assert_eq!(index::entry("nope"), None);
}

#[test]
fn each_story_lists_its_problem_then_its_cure() {
    let story = index::entry("goodput-collapse").unwrap().story;
    let files: Vec<String> = story.entries().iter().map(|e| e.path()).collect();
    assert_eq!(
        files,
        [
            "scenarios/patterns/goodput-collapse.json",
            "scenarios/patterns/goodput-collapse-cured.json"
        ]
    );
    assert_eq!(
        index::entry("mm1").unwrap().path(),
        "scenarios/validation/mm1.json"
    );
    assert_eq!(
        index::groups(),
        [
            "Start here",
            "Timeouts and deadlines",
            "Bulkheads",
            "Retries and breakers",
            "Hedging",
            "Sharding",
            "Caching",
            "Queueing theory"
        ]
    );
}
