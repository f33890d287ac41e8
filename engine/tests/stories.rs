//! The stories in public/scenarios/patterns/: each `<story>.json` (the problem) has a
//! `<story>-cured.json` (the same system with the cure). A cure is a pattern, never a lighter
//! workload: both files have the same seed, run, faults and clients. Each description states
//! its claims as `` `summary.key` about N ``, and this test runs both files and holds every
//! stated number to its run within 25%, and the first claim of each (the headline, the same
//! key in both) at least twice as large in one file as in the other; no story may take more
//! than 3,000,000 events.

mod common;

use pattern_engine::components::Kind;
use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::Simulation;
use serde_json::Value;

/// The most events a story may take: a story opens in a browser tab.
const MOST_EVENTS: u64 = 3_000_000;

/// How far a stated number may be from its run's.
const TOLERANCE: f64 = 0.25;

/// A claim in a description: a key path of the summary and the number stated for it.
#[derive(Debug)]
struct Claim {
    key: String,
    stated: f64,
}

/// The claims of `description`: every `` `a.b.c` about N ``.
fn claims(description: &str) -> Vec<Claim> {
    let parts: Vec<&str> = description.split('`').collect();
    let mut out = Vec::new();
    // Odd parts are inside backticks; the text after each may say "about N".
    for i in (1..parts.len()).step_by(2) {
        let Some(rest) = parts.get(i + 1).and_then(|t| t.strip_prefix(" about ")) else {
            continue;
        };
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let number = number.trim_end_matches('.');
        if let Ok(stated) = number.parse() {
            out.push(Claim {
                key: parts[i].to_string(),
                stated,
            });
        }
    }
    out
}

/// The value at `path` (`nodes.api.wasted_s`) in a summary.
fn at(summary: &Value, path: &str) -> f64 {
    let mut v = summary;
    for key in path.split('.') {
        v = v
            .get(key)
            .unwrap_or_else(|| panic!("the summary has no `{path}` (at `{key}`)"));
    }
    v.as_f64()
        .unwrap_or_else(|| panic!("`{path}` is not a number: {v}"))
}

/// Runs a story file to its end: its summary as JSON.
fn run(s: &Scenario, name: &str) -> Value {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
    while !sim.is_finished() {
        sim.advance_events(100_000);
        assert!(
            sim.events() <= MOST_EVENTS,
            "{name} takes more than {MOST_EVENTS} events"
        );
    }
    assert!(sim.stopped().is_none(), "{name}: {:?}", sim.stopped());
    serde_json::from_str(&sim.summary().to_json()).unwrap()
}

/// Every story, as (name, problem, cure).
fn stories() -> Vec<(String, Scenario, Scenario)> {
    let shipped = common::all_shipped();
    let text = |name: &str| {
        shipped
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    };
    let mut out = Vec::new();
    for (name, problem) in &shipped {
        let Some(story) = name
            .strip_prefix("patterns/")
            .and_then(|n| n.strip_suffix(".json"))
            .filter(|n| !n.ends_with("-cured"))
        else {
            continue;
        };
        let cure = text(&format!("patterns/{story}-cured.json"))
            .unwrap_or_else(|| panic!("{story} has no {story}-cured.json"));
        out.push((
            story.to_string(),
            from_json(problem).unwrap(),
            from_json(&cure).unwrap(),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_cured_file_has_a_problem_file_beside_it() {
    for (name, _) in common::all_shipped() {
        if let Some(story) = name.strip_suffix("-cured.json") {
            assert!(
                common::all_shipped()
                    .iter()
                    .any(|(n, _)| *n == format!("{story}.json")),
                "{name} cures nothing"
            );
        }
    }
    assert!(stories().len() >= 3, "the stories are shipped");
}

#[test]
fn a_cure_is_a_pattern_never_a_lighter_workload() {
    let clients = |s: &Scenario| {
        s.nodes
            .iter()
            .filter(|n| n.component.kind() == Kind::Client)
            .map(|n| (n.id.clone(), n.component.clone()))
            .collect::<Vec<_>>()
    };
    for (name, problem, cure) in stories() {
        assert_eq!(problem.seed, cure.seed, "{name}: seed");
        assert_eq!(problem.run, cure.run, "{name}: run");
        assert_eq!(problem.faults, cure.faults, "{name}: faults");
        assert_eq!(clients(&problem), clients(&cure), "{name}: clients");
        assert!(
            !problem.faults.is_empty(),
            "{name}: a story breaks something"
        );
    }
}

#[test]
fn every_stated_number_holds_and_the_cure_makes_the_headline_differ() {
    for (name, problem, cure) in stories() {
        let mut headline = None;
        for (file, s) in [(&name, &problem), (&format!("{name}-cured"), &cure)] {
            let stated = claims(&s.description);
            assert!(!stated.is_empty(), "{file} states no number to watch");
            let summary = run(s, file);
            for claim in &stated {
                let measured = at(&summary, &claim.key);
                let off = (measured - claim.stated).abs() / claim.stated.abs().max(1e-9);
                println!(
                    "{file:<24} {:<40} stated {:>9} measured {measured:>11.3}",
                    claim.key, claim.stated
                );
                assert!(
                    off <= TOLERANCE,
                    "{file}: `{}` measured {measured}, stated about {}",
                    claim.key,
                    claim.stated
                );
            }
            let first = &stated[0].key;
            match &headline {
                None => headline = Some((first.clone(), at(&summary, first))),
                Some((key, problem_value)) => {
                    assert_eq!(first, key, "{file} leads with the problem's headline");
                    let cured_value = at(&summary, key);
                    let (low, high) = if cured_value > *problem_value {
                        (*problem_value, cured_value)
                    } else {
                        (cured_value, *problem_value)
                    };
                    assert!(
                        high >= 2.0 * low,
                        "{name}: `{key}` {problem_value} with the problem and {cured_value} \
                         cured: less than a 2x gap"
                    );
                }
            }
        }
    }
}

#[test]
fn claims_are_read_from_a_description() {
    let found = claims(
        "Watch it: `goodput_per_s` about 42, then `nodes.api.wasted_s` about 185. seconds; \
         `deadline_ms` is on the edge.",
    );
    let read: Vec<(&str, f64)> = found.iter().map(|c| (c.key.as_str(), c.stated)).collect();
    assert_eq!(
        read,
        [("goodput_per_s", 42.0), ("nodes.api.wasted_s", 185.0)]
    );
}

/// The windows of a summary: (end, goodput, requests queued at the end).
fn windows(summary: &Value) -> Vec<(f64, f64, f64)> {
    summary["series"]["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let n = |k: &str| w[k].as_f64().unwrap();
            (n("t"), n("goodput_per_s"), n("queue_depth"))
        })
        .collect()
}

/// Mean goodput of the windows ending in (from, to].
fn goodput_between(windows: &[(f64, f64, f64)], from: f64, to: f64) -> f64 {
    let inside: Vec<f64> = windows
        .iter()
        .filter(|w| w.0 > from && w.0 <= to)
        .map(|w| w.1)
        .collect();
    inside.iter().sum::<f64>() / inside.len() as f64
}

#[test]
fn a_retry_storm_stays_down_after_its_trigger_and_its_cure_recovers_within_10_s() {
    let (_, problem, cure) = stories()
        .into_iter()
        .find(|s| s.0 == "retry-storm")
        .expect("the retry-storm story is shipped");
    let fault = &problem.faults[0];
    let (start, end) = (fault.at_s, fault.at_s + fault.for_s.unwrap());
    let last = problem.run.duration_s.unwrap();
    assert!(
        last - end >= 30.0,
        "it runs at least 30 s past the trigger's end"
    );
    let sick = windows(&run(&problem, "retry-storm"));
    let before = goodput_between(&sick, 1.0, start);
    let tail = goodput_between(&sick, last - 10.0, last);
    assert!(
        tail < 0.2 * before,
        "the last 10 windows' goodput {tail} is under 20% of {before} before the trigger"
    );
    let queued = |t: f64| sick.iter().find(|w| w.0 == t).unwrap().2;
    assert!(
        queued(last) >= queued(last - 10.0),
        "the backlog is not shrinking: {} then {}",
        queued(last - 10.0),
        queued(last)
    );
    let cured = windows(&run(&cure, "retry-storm-cured"));
    let back = cured
        .iter()
        .find(|w| w.0 > end && w.1 >= 0.9 * before)
        .expect("goodput comes back");
    assert!(
        back.0 <= end + 10.0,
        "goodput is back to 90% of {before} by {} s, within 10 s of the trigger's end at {end}",
        back.0
    );
    let after = goodput_between(&cured, end + 10.0, last);
    assert!(after >= 0.9 * before, "and it stays back: {after}");
}
