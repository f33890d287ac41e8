//! Operations on the document's fault timeline, as plain functions like [`super::ops`]: a new
//! fault of a kind with its default settings, injecting one into a live run and healing one,
//! changing a fault's kind, and what the faults in force do to an edge. The times of a live
//! edit follow one rule: the current simulated time rounded up to the next millisecond,
//! strictly after now, so the running simulation can take the edit in place
//! (`Simulation::take_faults`) and a fresh run of the saved document does the same.

use pattern_engine::scenario::{validate, Fault, FaultKind, FaultTarget, Scenario, Severity};
use pattern_engine::time::{from_secs, SimTime};

use super::Editor;
use leptos::prelude::*;

/// The fault kinds as the chips and the kind menu offer them: (name, what it does).
pub const KINDS: [(&str, &str); 10] = [
    ("crash", "Crash"),
    ("pause", "Pause"),
    ("slow", "Slow"),
    ("errors", "Errors"),
    ("latency", "Latency"),
    ("spike", "Spike"),
    ("flush", "Flush"),
    ("partition", "Partition"),
    ("add_shard", "Add shard"),
    ("remove_shard", "Remove shard"),
];

/// Nanoseconds in a millisecond, the grain of a live edit's time.
const MS_NS: SimTime = 1_000_000;

/// The first whole millisecond strictly after `now`, in seconds: when an injected fault
/// starts and a healed one ends. Strictly after, because the run has already handled what
/// happened at `now`; a fault at `now` would need a reset to be exact.
pub fn ms_after(now: SimTime) -> f64 {
    (now / MS_NS + 1) as f64 / 1_000.0
}

/// True if `fault` is in force at `now`: started, and not yet over.
pub fn in_force(fault: &Fault, now: SimTime) -> bool {
    from_secs(fault.at_s) <= now && fault.until_s().is_none_or(|end| from_secs(end) > now)
}

/// The kind named `name` with its default settings; a partition's groups cut `target` off
/// from what it talks to in `s` (a node from its neighbours, an edge's ends from each other).
pub fn default_kind(name: &str, target: &FaultTarget, s: &Scenario) -> FaultKind {
    match name {
        "crash" => FaultKind::Crash,
        "pause" => FaultKind::Pause,
        "slow" => FaultKind::Slow { factor: 3.0 },
        "errors" => FaultKind::Errors {
            fraction: 0.5,
            after_work: false,
        },
        "latency" => FaultKind::Latency {
            factor: 1.0,
            plus_ms: 100.0,
        },
        "spike" => FaultKind::Spike { factor: 5.0 },
        "flush" => FaultKind::Flush,
        "add_shard" => FaultKind::AddShard,
        "remove_shard" => FaultKind::RemoveShard,
        _ => FaultKind::Partition {
            groups: groups_around(target, s),
        },
    }
}

/// A partition's groups that cut `target` off: a node from every node it calls or is called
/// by, an edge's caller from its callee. Empty groups (a node with no neighbours) are left for
/// the validator to name.
fn groups_around(target: &FaultTarget, s: &Scenario) -> Vec<Vec<String>> {
    match target {
        FaultTarget::Node(id) => {
            let mut near: Vec<String> = Vec::new();
            for e in &s.edges {
                let other = if e.from == *id { &e.to } else { &e.from };
                if (e.from == *id || e.to == *id) && !near.contains(other) {
                    near.push(other.clone());
                }
            }
            vec![vec![id.clone()], near]
        }
        FaultTarget::Edge { from, to } => vec![vec![from.clone()], vec![to.clone()]],
        FaultTarget::Nodes(ids) => vec![ids.clone(), Vec::new()],
        FaultTarget::Nowhere => Vec::new(),
    }
}

/// A fault of kind `name` on `target` (a partition takes its groups from it instead).
pub fn new_fault(
    name: &str,
    target: FaultTarget,
    at_s: f64,
    for_s: Option<f64>,
    s: &Scenario,
) -> Fault {
    let kind = default_kind(name, &target, s);
    let target = match kind {
        FaultKind::Partition { .. } => FaultTarget::Nowhere,
        _ => target,
    };
    Fault {
        at_s,
        for_s,
        target,
        kind,
    }
}

/// `fault` turned into kind `name`, keeping its times and, where it can, its target: a
/// partition made from a node or an edge cuts it off; a node fault made from a partition
/// strikes the first node of its first group.
pub fn with_kind(fault: &Fault, name: &str, s: &Scenario) -> Fault {
    if fault.kind.name() == name {
        return fault.clone();
    }
    let target = match (&fault.kind, name) {
        (FaultKind::Partition { groups }, _) => groups
            .first()
            .and_then(|g| g.first())
            .map_or(FaultTarget::Nowhere, |id| FaultTarget::Node(id.clone())),
        _ => fault.target.clone(),
    };
    new_fault(name, target, fault.at_s, fault.for_s, s)
}

/// Appends a fault of kind `name` on `target` that starts just after `now` and lasts until
/// healed. Appended, never inserted: a running simulation takes only faults added at the end.
pub fn inject(s: &mut Scenario, name: &str, target: FaultTarget, now: SimTime) -> usize {
    let fault = new_fault(name, target, ms_after(now), None, s);
    s.faults.push(fault);
    s.faults.len() - 1
}

/// Ends the fault at `index`, in force at `now`, just after `now` (see [`ms_after`]): its
/// length becomes whole milliseconds when its start is, so the document reads as typed.
pub fn heal(s: &mut Scenario, index: usize, now: SimTime) {
    let Some(fault) = s.faults.get_mut(index) else {
        return;
    };
    let end = ms_after(now);
    let exact = end - fault.at_s;
    let tidy = (exact * 1_000.0).round() / 1_000.0;
    let lands = |length: f64| from_secs(fault.at_s + length) == from_secs(end);
    fault.for_s = Some(if lands(tidy) { tidy } else { exact });
}

/// The faults in force at `now` on `target`, by index: a node's own, those on lists holding
/// it and partitions that cut it off; an edge's own and partitions that cut it.
pub fn in_force_on(s: &Scenario, target: &FaultTarget, now: SimTime) -> Vec<usize> {
    let strikes = |f: &Fault| match (&f.kind, &f.target, target) {
        (FaultKind::Partition { groups }, _, FaultTarget::Node(id)) => {
            groups.iter().flatten().any(|n| n == id)
        }
        (FaultKind::Partition { .. }, _, FaultTarget::Edge { from, to }) => {
            edge_mark(std::slice::from_ref(f), from, to, now) == Some("cut")
        }
        (_, FaultTarget::Nodes(ids), FaultTarget::Node(id)) => ids.contains(id),
        (_, mine, wanted) => mine == wanted,
    };
    (0..s.faults.len())
        .filter(|&i| strikes(&s.faults[i]) && in_force(&s.faults[i], now))
        .collect()
}

/// What the faults in force at `now` do to the edge `from -> to`, for drawing it: "cut" while
/// a partition separates its ends, "slow" while a latency fault holds it, `None` otherwise.
pub fn edge_mark(faults: &[Fault], from: &str, to: &str, now: SimTime) -> Option<&'static str> {
    let mut mark = None;
    for fault in faults.iter().filter(|f| in_force(f, now)) {
        match (&fault.kind, &fault.target) {
            (FaultKind::Partition { groups }, _) => {
                let side = |id: &str| groups.iter().position(|g| g.iter().any(|n| n == id));
                if let (Some(a), Some(b)) = (side(from), side(to)) {
                    if a != b {
                        return Some("cut");
                    }
                }
            }
            (FaultKind::Latency { .. }, FaultTarget::Edge { from: f, to: t })
                if f == from && t == to =>
            {
                mark = Some("slow");
            }
            _ => {}
        }
    }
    mark
}

/// A target as a person types it: `db_a`, `lb->gateway`, `service_a, service_b`.
pub fn target_text(target: &FaultTarget) -> String {
    match target {
        FaultTarget::Nowhere => String::new(),
        FaultTarget::Node(id) => id.clone(),
        FaultTarget::Edge { from, to } => format!("{from}->{to}"),
        FaultTarget::Nodes(ids) => ids.join(", "),
    }
}

/// Reads a target typed as [`target_text`] writes it; the validator judges what it names.
pub fn parse_target(text: &str) -> FaultTarget {
    let ids: Vec<String> = text
        .split(',')
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .collect();
    match (ids.as_slice(), text.split_once("->")) {
        (_, Some((from, to))) => FaultTarget::Edge {
            from: from.trim().to_string(),
            to: to.trim().to_string(),
        },
        ([], _) => FaultTarget::Nowhere,
        ([one], _) => FaultTarget::Node(one.clone()),
        _ => FaultTarget::Nodes(ids),
    }
}

/// A fault in a few words: "crash on db_a", "partition user, lb | gateway".
pub fn describe(fault: &Fault) -> String {
    match &fault.kind {
        FaultKind::Partition { groups } => format!("partition {}", groups_text(groups)),
        kind => format!("{} on {}", kind.name(), target_text(&fault.target)),
    }
}

/// A partition's groups as a person types them: `user, lb | gateway`.
pub fn groups_text(groups: &[Vec<String>]) -> String {
    let groups: Vec<String> = groups.iter().map(|g| g.join(", ")).collect();
    groups.join(" | ")
}

/// Reads groups typed as [`groups_text`] writes them.
pub fn parse_groups(text: &str) -> Vec<Vec<String>> {
    text.split('|')
        .map(|group| match parse_target(group) {
            FaultTarget::Node(id) => vec![id],
            FaultTarget::Nodes(ids) => ids,
            _ => Vec::new(),
        })
        .collect()
}

/// The first error about a fault that `after` has and `before` had not, if any: why a fault
/// edit is refused. Fault errors name their field (`faults[2].for_s`) and say what is wrong.
pub fn new_problem(before: &Scenario, after: &Scenario) -> Option<String> {
    let was = validate(before);
    validate(after)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| d.field.as_deref().is_some_and(|f| f.starts_with("faults")))
        .find(|d| !was.contains(d))
        .map(|d| d.message)
}

/// Makes `fault` the fault at `index` as one undo step, unless the validator then finds a new
/// error about a fault: its message comes back and the document is untouched.
pub fn commit(editor: Editor, index: usize, fault: Fault) -> Result<(), String> {
    let before = editor.doc.get_untracked();
    let mut next = before.clone();
    match next.faults.get_mut(index) {
        Some(slot) => *slot = fault,
        None => return Ok(()),
    }
    if let Some(problem) = new_problem(&before, &next) {
        return Err(problem);
    }
    editor.apply(move |doc| {
        *doc = next;
        Ok(())
    });
    Ok(())
}

/// Appends `fault` as one undo step and selects it, unless the validator refuses it (the
/// status line then says why); its index if it was added.
pub fn add(editor: Editor, fault: Fault) -> Option<usize> {
    let index = editor.apply(move |doc| {
        let before = doc.clone();
        doc.faults.push(fault);
        match new_problem(&before, doc) {
            Some(problem) => Err(problem),
            None => Ok(doc.faults.len() - 1),
        }
    })?;
    editor
        .selection
        .set(vec![crate::diagram::fault_selection(index)]);
    Some(index)
}

/// The fault kinds that may strike `target` in `s` (each checked by the validator), for the
/// inspector's "inject now" buttons.
pub fn kinds_for(s: &Scenario, target: &FaultTarget) -> Vec<&'static str> {
    let mut with = s.clone();
    with.faults
        .push(new_fault("crash", target.clone(), 0.0, None, s));
    let index = with.faults.len() - 1;
    let field = format!("faults[{index}]");
    KINDS
        .iter()
        .map(|&(name, _)| name)
        .filter(|name| {
            with.faults[index] = new_fault(name, target.clone(), 0.0, None, s);
            !validate(&with).iter().any(|d| {
                d.severity == Severity::Error
                    && d.field.as_deref().is_some_and(|f| f.starts_with(&field))
            })
        })
        .collect()
}

/// The kinds a running simulation can take in place on `target`: those [`kinds_for`] allows,
/// but `add_shard` only on a shard an `add_shard` of the document already adds (it stands by
/// until then). On a shard that serves from the start, a fresh run of the document with the
/// new fault would keep it standing by before it: the run could not take it in place.
pub fn injectable(s: &Scenario, target: &FaultTarget) -> Vec<&'static str> {
    let added = s
        .faults
        .iter()
        .any(|f| f.kind == FaultKind::AddShard && f.target == *target);
    kinds_for(s, target)
        .into_iter()
        .filter(|&name| name != "add_shard" || added)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::Simulation;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn node(id: &str) -> FaultTarget {
        FaultTarget::Node(id.to_string())
    }

    #[wasm_bindgen_test]
    fn a_live_edit_lands_on_the_next_millisecond_strictly_after_now() {
        assert_eq!(ms_after(0), 0.001);
        assert_eq!(ms_after(1_999_999), 0.002);
        assert_eq!(
            ms_after(2_000_000),
            0.003,
            "strictly after an exact millisecond"
        );
        assert_eq!(ms_after(12_345_678_901), 12.346);
        for now in [0, 1, 999_999, 1_000_000, 7_654_321_000, 86_399_999_999_999] {
            let at = from_secs(ms_after(now));
            assert!(at > now && at - now <= MS_NS, "{now}: {at}");
        }
    }

    #[wasm_bindgen_test]
    fn a_heal_ends_the_fault_just_after_now_in_whole_milliseconds() {
        let mut s = crate::document::default_scenario();
        let i = inject(&mut s, "crash", node("db_a"), 1_500_000_000);
        assert_eq!(s.faults[i].at_s, 1.501);
        assert!(in_force(&s.faults[i], 2_000_000_000));
        heal(&mut s, i, 2_345_600_000);
        assert_eq!(s.faults[i].for_s, Some(0.845));
        assert_eq!(from_secs(s.faults[i].until_s().unwrap()), 2_346_000_000);
        // A start that is no whole millisecond keeps the end exact all the same.
        s.faults[i].at_s = 0.000_25;
        heal(&mut s, i, 2_345_600_000);
        assert_eq!(from_secs(s.faults[i].until_s().unwrap()), 2_346_000_000);
    }

    #[wasm_bindgen_test]
    fn a_partition_cuts_a_node_from_its_neighbours_or_an_edge_in_two() {
        let s = crate::document::default_scenario();
        let FaultKind::Partition { groups } = default_kind("partition", &node("cache_a"), &s)
        else {
            panic!("a partition")
        };
        assert_eq!(groups[0], ["cache_a"]);
        assert!(groups[1].contains(&"db_a".to_string()));
        let cut = new_fault(
            "partition",
            FaultTarget::Edge {
                from: "user".into(),
                to: "lb".into(),
            },
            1.0,
            None,
            &s,
        );
        assert_eq!(cut.target, FaultTarget::Nowhere);
        assert_eq!(
            edge_mark(std::slice::from_ref(&cut), "user", "lb", 2_000_000_000),
            Some("cut")
        );
        assert_eq!(
            edge_mark(std::slice::from_ref(&cut), "user", "lb", 0),
            None,
            "not yet"
        );
        assert_eq!(edge_mark(&[cut], "lb", "gateway", 2_000_000_000), None);
        let back = with_kind(
            &new_fault("partition", node("db_a"), 1.0, None, &s),
            "crash",
            &s,
        );
        assert_eq!(back.target, node("db_a"));
        assert_eq!(back.kind, FaultKind::Crash);
    }

    #[wasm_bindgen_test]
    fn each_target_is_offered_the_kinds_that_can_strike_it() {
        let s = crate::document::default_scenario();
        assert_eq!(
            kinds_for(&s, &node("db_a")),
            ["crash", "pause", "slow", "errors", "partition"]
        );
        assert_eq!(
            kinds_for(&s, &node("cache_a")),
            ["crash", "pause", "slow", "errors", "flush", "partition"]
        );
        assert_eq!(kinds_for(&s, &node("user")), ["spike", "partition"]);
        let edge = FaultTarget::Edge {
            from: "lb".into(),
            to: "gateway".into(),
        };
        assert_eq!(kinds_for(&s, &edge), ["latency", "partition"]);
    }

    /// A client writing to 500 keys through a modulo shard router over `db_0`…`db_4`, of
    /// which `db_4` stands by for an addition at 50 s; the nodes in that order (router 1,
    /// `db_4` 6).
    fn sharded() -> Scenario {
        let shards: Vec<String> = (0..5)
            .map(|i| format!(r#"{{"id": "db_{i}", "kind": "database"}}"#))
            .collect();
        let edges: Vec<String> = (0..5)
            .map(|i| format!(r#"{{"from": "router", "to": "db_{i}", "latency_ms": 1}}"#))
            .collect();
        let text = format!(
            r#"{{"version": 1, "name": "shards", "seed": 3,
                "run": {{"duration_s": 60, "requests": null, "warmup_s": 0}},
                "nodes": [
                    {{"id": "user", "kind": "client", "config": {{
                        "arrival": {{"poisson": {{"rate_per_s": 400}}}},
                        "keys": {{"count": 500}}, "read_ratio": 0.5}}}},
                    {{"id": "router", "kind": "shard_router",
                      "config": {{"scheme": "modulo", "move_rate_keys_per_s": 100}}}},
                    {shards}],
                "edges": [{{"from": "user", "to": "router", "latency_ms": 1}}, {edges}],
                "faults": [{{"at_s": 50, "target": "db_4", "kind": "add_shard"}}]}}"#,
            shards = shards.join(", "),
            edges = edges.join(", "),
        );
        pattern_engine::scenario::from_json(&text).expect("the sharded scenario reads")
    }

    #[wasm_bindgen_test]
    fn a_shard_is_offered_resharding_and_nothing_else_is() {
        let s = sharded();
        let offered = kinds_for(&s, &node("db_4"));
        assert!(
            offered.contains(&"add_shard") && offered.contains(&"remove_shard"),
            "{offered:?}"
        );
        assert!(
            offered.contains(&"crash"),
            "a shard is a database too: {offered:?}"
        );
        assert!(!kinds_for(&s, &node("router")).contains(&"add_shard"));
        assert!(!kinds_for(&s, &node("user")).contains(&"remove_shard"));
        for name in ["add_shard", "remove_shard"] {
            assert_eq!(
                new_fault(name, node("db_1"), 1.0, None, &s).kind.name(),
                name
            );
        }
    }

    #[wasm_bindgen_test]
    fn a_run_offers_to_add_only_a_shard_that_stands_by_for_an_addition() {
        let s = sharded();
        assert!(injectable(&s, &node("db_4")).contains(&"add_shard"));
        let serving = injectable(&s, &node("db_1"));
        assert!(!serving.contains(&"add_shard"), "{serving:?}");
        assert!(serving.contains(&"remove_shard"), "{serving:?}");
        // Injected anyway, the run cannot take it in place: it starts again.
        let mut doc = s.clone();
        let mut sim = Simulation::new(&doc).unwrap();
        sim.advance_until(1_000_000_000);
        inject(&mut doc, "add_shard", node("db_1"), sim.now());
        assert!(!sim.take_faults(&doc));
    }

    /// The journey's promise (e2e/tests/shards.spec.ts) without a page: an add_shard injected
    /// while the shard stands by is taken in place, the shard serves and keys move, and a
    /// fresh run of the saved document prints the live run's summary.
    #[wasm_bindgen_test]
    fn an_add_shard_injected_on_a_standby_shard_serves_it_and_replays_fresh() {
        let (router, db_4) = (1, 6);
        let mut doc = sharded();
        let mut sim = Simulation::new(&doc).unwrap();
        sim.advance_until(3_000_000_000);
        assert!(
            sim.fault_marks(db_4).standby,
            "waiting for its addition at 50 s"
        );
        let before = sim.shard_table(router).expect("a router's table");
        assert!(!before.shards[4].serving);
        assert_eq!(before.moved_keys, 0);
        inject(&mut doc, "add_shard", node("db_4"), sim.now());
        assert_eq!(new_problem(&sharded(), &doc), None);
        assert!(sim.take_faults(&doc), "taken in place");
        sim.advance_until(4_000_000_000);
        assert!(!sim.fault_marks(db_4).standby);
        let after = sim.shard_table(router).unwrap();
        assert!(after.shards[4].serving);
        assert!(after.moved_keys > 0, "{after:?}");
        assert!(after.shards[4].keys > 0, "{after:?}");
        sim.run_to_end();
        let mut fresh = Simulation::new(&doc).unwrap();
        fresh.run_to_end();
        assert_eq!(sim.summary().to_json(), fresh.summary().to_json());
    }

    #[wasm_bindgen_test]
    fn targets_and_groups_read_back_as_they_are_written() {
        let edge = FaultTarget::Edge {
            from: "lb".into(),
            to: "gateway".into(),
        };
        let many = FaultTarget::Nodes(vec!["a".into(), "b".into()]);
        for target in [node("db_a"), edge, many] {
            assert_eq!(parse_target(&target_text(&target)), target);
        }
        assert_eq!(parse_target(" lb -> gateway "), parse_target("lb->gateway"));
        assert_eq!(parse_target("  "), FaultTarget::Nowhere);
        let groups = vec![
            vec!["user".to_string(), "lb".into()],
            vec!["gateway".into()],
        ];
        assert_eq!(groups_text(&groups), "user, lb | gateway");
        assert_eq!(parse_groups(&groups_text(&groups)), groups);
    }

    #[wasm_bindgen_test]
    fn every_default_fault_validates_on_a_target_it_can_strike() {
        let s = crate::document::default_scenario();
        let targets = [
            ("crash", node("db_a")),
            ("pause", node("service_a")),
            ("slow", node("service_b")),
            ("errors", node("db_b")),
            ("spike", node("user")),
            ("flush", node("cache_a")),
            ("partition", node("gateway")),
            (
                "latency",
                FaultTarget::Edge {
                    from: "lb".into(),
                    to: "gateway".into(),
                },
            ),
        ];
        for (name, target) in targets {
            let mut doc = s.clone();
            doc.faults.push(new_fault(name, target, 1.0, Some(1.0), &s));
            let errors = pattern_engine::scenario::validate(&doc)
                .into_iter()
                .filter(|d| d.severity == pattern_engine::scenario::Severity::Error)
                .collect::<Vec<_>>();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
    }

    /// The promise the live view rests on: a crash injected into a running simulation and
    /// healed later prints the summary of a fresh run of the document saved after it.
    #[wasm_bindgen_test]
    fn an_injection_and_a_heal_taken_live_give_the_fresh_run_of_the_saved_document() {
        let mut doc = crate::document::default_scenario();
        doc.run.requests = Some(3_000);
        let mut sim = Simulation::new(&doc).unwrap();
        sim.advance_until(1_234_567_890);
        let i = inject(&mut doc, "crash", node("db_a"), sim.now());
        assert!(sim.take_faults(&doc), "taken in place");
        sim.advance_until(2_000_000_000);
        assert!(in_force_on(&doc, &node("db_a"), sim.now()).contains(&i));
        heal(&mut doc, i, sim.now());
        assert!(sim.take_faults(&doc), "healed in place");
        sim.run_to_end();
        let mut fresh = Simulation::new(&doc).unwrap();
        fresh.run_to_end();
        let live = sim.summary().to_json();
        assert!(live.contains("failed_node_down"));
        assert_eq!(live, fresh.summary().to_json());
    }
}
