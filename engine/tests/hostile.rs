//! Hostile scenarios: each kind of scenario that passes validation yet would freeze, crash or
//! exhaust a browser tab opens and ends within its budget, with its named reason, under a
//! counting allocator (no case may hold more than 256 MiB in its first 5 million events). The browser journey (e2e/tests/hostile.spec.ts) opens some of them as links.

mod common;

use pattern_engine::scenario::{from_json, validate, Severity};
use pattern_engine::Simulation;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts the bytes each thread holds, and the most it held (tests run on several threads).
struct Counting;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to `System` unchanged; the counters are thread-local cells
// touched only by their own thread (`try_with`, so allocations during thread teardown pass).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn note(change: isize) {
    let _ = HELD.try_with(|held| {
        let now = held.get().saturating_add_signed(change);
        held.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most a case may hold, and the most events it may take.
pub const MAX_BYTES: usize = 256 << 20;
pub const MAX_EVENTS: u64 = 5_000_000;

/// What one case did.
#[derive(Debug)]
struct Outcome {
    /// The budget's stop code, if the run stopped early.
    stopped: Option<&'static str>,
    events: u64,
    peak_bytes: usize,
}

/// Opens `json`, checks it validates, and runs it to its end, its budget, or
/// [`MAX_EVENTS`] events (the most a case is given: a slow run is not a hazard, a large one
/// is), holding at most [`MAX_BYTES`] on the way.
fn run(json: &str) -> Outcome {
    let scenario = from_json(json).expect("the case parses");
    let errors: Vec<_> = validate(&scenario)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "the case validates: {errors:#?}");
    let before = HELD.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let mut sim = Simulation::new(&scenario).expect("it builds");
    sim.advance_events(MAX_EVENTS + 1);
    let summary = sim.summary();
    let outcome = Outcome {
        stopped: sim.stopped().map(|s| s.reason.code()),
        events: sim.events(),
        peak_bytes: PEAK.with(Cell::get) - before,
    };
    drop(sim);
    println!("{outcome:?}");
    assert!(
        outcome.peak_bytes <= MAX_BYTES,
        "held more than 256 MiB: {outcome:?}"
    );
    if outcome.stopped.is_some() {
        // The partial metrics stay readable and say why.
        let text = summary.to_json();
        assert!(text.contains("\"stopped\""), "{text:.400}");
        assert!(summary.finished);
    }
    outcome
}

/// A scenario of `nodes` (JSON objects) and `edges` ([from, to, latency_ms]).
fn scenario(run: &str, nodes: &[String], edges: &[(&str, &str, f64)]) -> String {
    let edges: Vec<String> = edges
        .iter()
        .map(|(a, b, l)| format!(r#"{{"from": "{a}", "to": "{b}", "latency_ms": {l}}}"#))
        .collect();
    format!(
        r#"{{"version": 1, "name": "hostile", "description": "", "seed": 1, "run": {run},
            "nodes": [{}], "edges": [{}]}}"#,
        nodes.join(","),
        edges.join(",")
    )
}

fn node(id: &str, kind: &str, config: &str) -> String {
    format!(
        r#"{{"id": "{id}", "kind": "{kind}", "label": "{id}", "x": 0, "y": 0, "config": {config}}}"#
    )
}

#[test]
fn an_overloaded_service_stops_at_a_million_in_flight() {
    let json = scenario(
        r#"{"requests": null, "duration_s": 1000, "warmup_s": 0, "window_s": 1, "trace_every": 100}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 1000000}}}"#,
            ),
            node(
                "s",
                "service",
                r#"{"workers": 1, "service_time": {"constant": {"ms": 1}}}"#,
            ),
        ],
        &[("c", "s", 1.0)],
    );
    let out = run(&json);
    assert_eq!(out.stopped, Some("in_flight"));
}

#[test]
fn a_loop_without_latency_stops_when_the_clock_stands_still() {
    // Closed-loop users who never think, through balancers that answer at once: every request
    // goes round the loop to the hop limit and the next starts at the same instant.
    let json = scenario(
        r#"{"requests": null, "duration_s": 10, "warmup_s": 0, "window_s": 1, "trace_every": 100, "hop_limit": 1000}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"closed_loop": {"users": 10, "think_time": {"constant": {"ms": 0}}}}}"#,
            ),
            node("a", "load_balancer", r#"{"algorithm": "round_robin"}"#),
            node("b", "load_balancer", r#"{"algorithm": "round_robin"}"#),
        ],
        &[("c", "a", 0.0), ("a", "b", 0.0), ("b", "a", 0.0)],
    );
    let out = run(&json);
    assert_eq!(out.stopped, Some("clock_still"));
}

#[test]
fn timers_piling_up_stop_the_run() {
    // A day-long timeout on every request of a fast service: each leaves a timer behind.
    let json = scenario(
        r#"{"requests": null, "duration_s": 100, "warmup_s": 0, "window_s": 1, "trace_every": 100}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 1000000}}}"#,
            ),
            node(
                "s",
                "service",
                r#"{"workers": 10000, "service_time": {"constant": {"ms": 0.001}}, "timeout_ms": 86400000}"#,
            ),
        ],
        &[("c", "s", 0.0)],
    );
    let out = run(&json);
    assert_eq!(out.stopped, Some("pending_events"));
}

#[test]
fn a_fan_out_that_multiplies_calls_stays_within_its_budget() {
    // Twenty layers of two scatter-gathers, each calling both of the next layer: a request
    // would make 2^20 calls at once, but each node's workers are held until its calls are
    // answered, so the pools throttle the tree and it runs on (slowly) in bounded memory.
    let mut nodes = vec![node(
        "c",
        "client",
        r#"{"arrival": {"poisson": {"rate_per_s": 10}}}"#,
    )];
    let mut edges = Vec::new();
    let ids: Vec<[String; 2]> = (0..20)
        .map(|i| [format!("a{i}"), format!("b{i}")])
        .collect();
    for layer in &ids {
        for id in layer {
            nodes.push(node(
                id,
                "scatter_gather",
                r#"{"workers": 10000, "service_time": {"constant": {"ms": 0}}, "wait_for": "all"}"#,
            ));
        }
    }
    nodes.push(node(
        "db",
        "database",
        r#"{"connections": 10000, "read_time": {"constant": {"ms": 1000}}, "write_time": {"constant": {"ms": 1000}}}"#,
    ));
    edges.push(("c", ids[0][0].as_str(), 0.0));
    for pair in ids.windows(2) {
        for from in &pair[0] {
            for to in &pair[1] {
                edges.push((from.as_str(), to.as_str(), 0.0));
            }
        }
    }
    for from in &ids[19] {
        edges.push((from.as_str(), "db", 0.0));
    }
    let json = scenario(
        r#"{"requests": 100, "warmup_s": 0, "window_s": 1, "trace_every": 1}"#,
        &nodes,
        &edges,
    );
    let out = run(&json);
    assert_eq!(out.stopped, None, "{out:?}");
    assert!(out.events > MAX_EVENTS, "it is still running: {out:?}");
}

#[test]
fn a_long_chain_keeps_its_summary_small() {
    // 500 nodes for a long time: the series keep 1,000 windows, the traces 20,000 hops.
    let mut nodes = vec![node(
        "c",
        "client",
        r#"{"arrival": {"poisson": {"rate_per_s": 20}}}"#,
    )];
    let ids: Vec<String> = (0..499).map(|i| format!("s{i}")).collect();
    let mut edges = vec![("c", ids[0].as_str(), 0.1)];
    for id in &ids {
        nodes.push(node(
            id,
            "service",
            r#"{"workers": 4, "service_time": {"constant": {"ms": 0.01}}}"#,
        ));
    }
    for pair in ids.windows(2) {
        edges.push((pair[0].as_str(), pair[1].as_str(), 0.1));
    }
    let json = scenario(
        r#"{"requests": null, "duration_s": 5000, "warmup_s": 0, "window_s": 1, "trace_every": 1}"#,
        &nodes,
        &edges,
    );
    let scenario = from_json(&json).unwrap();
    let mut sim = Simulation::new(&scenario).unwrap();
    sim.advance_events(MAX_EVENTS);
    let text = sim.summary().to_json();
    println!("summary of a 500-node chain: {} bytes", text.len());
    assert!(sim.series().windows().len() <= 1_000);
    let hops: usize = sim.traces().iter().map(|t| t.hops.len()).sum();
    assert!(hops <= 20_000, "{hops} hops kept");
    assert!(text.len() < 16 << 20, "{} bytes", text.len());
}

#[test]
fn a_scenario_outside_a_bound_opens_but_does_not_run() {
    let json = scenario(
        r#"{"requests": 10, "warmup_s": 0, "window_s": 1, "trace_every": 1}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 10}}}"#,
            ),
            node("k", "cache", r#"{"capacity_keys": 1000000000000}"#),
            node("db", "database", "{}"),
        ],
        &[("c", "k", 1.0), ("k", "db", 1.0)],
    );
    let scenario = from_json(&json).expect("it still opens");
    let errors = validate(&scenario);
    let error = errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("the bound is reported");
    assert_eq!(error.code, "out_of_bounds");
    assert_eq!(error.field.as_deref(), Some("config.capacity_keys"));
    assert!(
        error.message.contains("1,000,000,000,000") && error.message.contains("1,000,000"),
        "{}",
        error.message
    );
    assert!(Simulation::new(&scenario).is_err(), "it cannot run");
}
