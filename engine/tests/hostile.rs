//! Hostile scenarios: each kind of scenario that passes validation yet would freeze, crash or
//! exhaust a browser tab opens and ends within its budget, with its named reason, under a
//! counting allocator (no case may hold more than 256 MiB in its first 5 million events). The browser journey (e2e/tests/hostile.spec.ts) opens some of them as links.

mod common;

use pattern_engine::link::{self, fuzz_one};
use pattern_engine::random::Stream;
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
    if let Some(stopped) = &summary.stopped {
        // The partial metrics stay readable and say why; the clock stays where it stopped.
        let text = summary.to_json();
        assert!(text.contains("\"stopped\""), "{text:.400}");
        assert!(summary.finished);
        assert_eq!(summary.simulated_s, stopped.at_s, "{outcome:?}");
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

/// One worker fed a million requests a second for 1,000 s: in flight without bound.
fn overloaded_service() -> String {
    scenario(
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
    )
}

/// Closed-loop users who never think, through balancers that answer at once: every request
/// goes round the loop to the hop limit and the next starts at the same instant.
fn loop_without_latency() -> String {
    scenario(
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
    )
}

#[test]
fn an_overloaded_service_stops_at_a_million_in_flight() {
    let out = run(&overloaded_service());
    assert_eq!(out.stopped, Some("in_flight"));
}

#[test]
fn a_loop_without_latency_stops_when_the_clock_stands_still() {
    let out = run(&loop_without_latency());
    assert_eq!(out.stopped, Some("clock_still"));
}

/// A millisecond's burst a year over a base rate of 0, opened at t = 5 s: after the first
/// burst, thinning alone would reject about 3·10^10 candidates for the next arrival, in one
/// call, and freeze the tab on open.
fn rare_bursts() -> String {
    scenario(
        r#"{"requests": null, "duration_s": 100000, "warmup_s": 0, "window_s": 1000, "trace_every": 100}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"bursts": {"base_rate_per_s": 0, "burst_rate_per_s": 1000000, "period_s": 30000000, "burst_s": 0.001}}}"#,
            ),
            node("s", "service", "{}"),
        ],
        &[("c", "s", 1.0)],
    )
}

/// A consistent hash asking for 2^32 - 1 points a backend (64 GiB): over its bound, so it
/// opens with the problem named and does not run.
fn huge_ring() -> String {
    scenario(
        r#"{"requests": 100, "warmup_s": 0, "window_s": 1, "trace_every": 100}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 10}}}"#,
            ),
            node(
                "lb",
                "load_balancer",
                r#"{"algorithm": {"consistent_hash": {"virtual_nodes": 4294967295}}}"#,
            ),
            node("s", "service", "{}"),
        ],
        &[("c", "lb", 1.0), ("lb", "s", 1.0)],
    )
}

#[test]
fn rare_bursts_open_and_run_at_once() {
    let out = run(&rare_bursts());
    assert_eq!(out.stopped, None);
    let mut sim = Simulation::new(&from_json(&rare_bursts()).unwrap()).unwrap();
    // Paused at 5 s (as the link opens), the run waits there: its next arrival lies past the
    // end, and the end has not come.
    sim.advance_until(5_000_000_000);
    assert!(!sim.is_finished());
    assert_eq!(sim.now(), 5_000_000_000);
    sim.run_to_end();
    let summary = sim.summary();
    // The first burst's thousand or so requests, then nothing until the run's end.
    assert!(
        (800..1200).contains(&summary.requests.generated),
        "{:?}",
        summary.requests
    );
    assert_eq!(
        summary.simulated_s, 100_000.0,
        "a timed run lasts its duration"
    );
}

/// The links the browser journey (e2e/tests/hostile.spec.ts) opens, pinned in
/// e2e/tests/hostile-links.json; `BLESS=hostile` writes them again.
#[test]
fn the_browser_journey_opens_these_links() {
    let at_five_seconds = Some(link::Playback {
        speed: 1.0,
        at_ns: 5_000_000_000,
    });
    let cases = [
        ("overloaded_service", overloaded_service(), None),
        ("loop_without_latency", loop_without_latency(), None),
        ("rare_bursts", rare_bursts(), at_five_seconds),
        ("huge_ring", huge_ring(), None),
    ];
    let links: Vec<String> = cases
        .iter()
        .map(|(name, json, playback)| {
            let link = link::encode(&from_json(json).unwrap(), *playback);
            assert!(link::decode(&link).is_ok(), "{name} opens");
            format!("  {{ \"name\": \"{name}\", \"link\": \"{link}\" }}")
        })
        .collect();
    let text = format!("[\n{}\n]\n", links.join(",\n"));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../e2e/tests/hostile-links.json"
    );
    if std::env::var("BLESS").as_deref() == Ok("hostile") {
        std::fs::write(path, &text).unwrap();
    }
    let pinned = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        pinned, text,
        "e2e/tests/hostile-links.json is out of date: write it with BLESS=hostile"
    );
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
fn a_queue_loop_ends_at_its_hop_limit() {
    // A service publishes to a queue whose worker calls the service again: every job publishes
    // the next, forever, but each continues its publisher's hop count.
    let json = scenario(
        r#"{"requests": 10, "warmup_s": 0, "window_s": 1, "trace_every": 1, "hop_limit": 1000}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 10}}}"#,
            ),
            node("s", "service", r#"{"workers": 4}"#),
            node("q", "queue", "{}"),
            node("w", "worker", r#"{"concurrency": 4}"#),
        ],
        &[
            ("c", "s", 1.0),
            ("s", "q", 1.0),
            ("q", "w", 1.0),
            ("w", "s", 1.0),
        ],
    );
    let out = run(&json);
    assert_eq!(out.stopped, None);
    assert!(out.events < MAX_EVENTS, "it ended: {out:?}");
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

// ---------------------------------------------------------------------------------------------
// The mutation fuzzer: shipped scenarios, their links and the hostile cases above, mutated the
// way a hostile user would (numbers swapped for extremes, variant names swapped for the
// format's own, spans cut and repeated, the inflated link payload's bytes changed), opened as
// a file and as a link. Whatever opens and validates must run: each case is given at most
// `FUZZ_EVENTS` events (20,000 by default; a longer run is cut there, as the app's slicing
// would pause it) and may hold at most 256 MiB. `FUZZ_CASES` (default 5,000) sets how many:
//
//     FUZZ_CASES=1000000 cargo test --release -p pattern-engine --test hostile fuzz -- --nocapture

/// Numbers a hostile user types.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.000001",
    "1e-300",
    "1e300",
    "-1e300",
    "65536",
    "1000000",
    "10000000",
    "4294967296",
    "18446744073709551615",
    "1e15",
];

/// The format's own names other than the kinds' and the distributions' (those come from their
/// declarations): a byte flip rarely makes one, a swap always does.
const OTHER_NAMES: &[&str] = &[
    "poisson",
    "constant",
    "bursts",
    "ramp",
    "closed_loop",
    "round_robin",
    "weighted_round_robin",
    "least_connections",
    "random",
    "weighted_random",
    "ip_hash",
    "power_of_two",
    "consistent_hash",
    "all",
    "first",
    "quorum",
    "none",
    "linear",
    "zipf",
    "read",
    "write",
    "any",
    "route",
    "null",
];

/// Every name the mutations may swap in.
fn names() -> Vec<&'static str> {
    let kinds = pattern_engine::components::Kind::ALL
        .iter()
        .map(|k| k.name());
    let distributions = pattern_engine::distributions::Duration::NAMES;
    OTHER_NAMES
        .iter()
        .copied()
        .chain(kinds)
        .chain(distributions)
        .collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Where a token lies in the text: start and end byte.
type Span = (usize, usize);

/// Byte spans of the JSON text's number and string tokens.
fn tokens(text: &str) -> (Vec<Span>, Vec<Span>) {
    let bytes = text.as_bytes();
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            let start = i + 1;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            strings.push((start, i.min(bytes.len())));
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+')
            {
                i += 1;
            }
            numbers.push((start, i));
        } else {
            i += 1;
        }
    }
    (numbers, strings)
}

fn pick<'a, T>(rng: &mut Stream, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

/// One to three mutations of a scenario's JSON text.
fn mutate_text(rng: &mut Stream, names: &[&str], text: &str) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let (numbers, strings) = tokens(&out);
        match rng.below(5) {
            0 | 1 if !numbers.is_empty() => {
                let &(a, b) = pick(rng, &numbers);
                let extreme: &str = EXTREMES[rng.below(EXTREMES.len() as u64) as usize];
                out.replace_range(a..b, extreme);
            }
            2 if !strings.is_empty() => {
                let &(a, b) = pick(rng, &strings);
                if names.contains(&&out[a..b]) {
                    let name: &str = names[rng.below(names.len() as u64) as usize];
                    out.replace_range(a..b, name);
                }
            }
            3 if out.len() > 2 => {
                let a = rng.below(out.len() as u64 - 1) as usize;
                let b = (a + 1 + rng.below(24) as usize).min(out.len());
                if out.is_char_boundary(a) && out.is_char_boundary(b) {
                    out.replace_range(a..b, "");
                }
            }
            _ if out.len() > 2 => {
                // Repeat a span: a node, an edge or a route twice, or a broken half of one.
                let a = rng.below(out.len() as u64 - 1) as usize;
                let b = (a + 1 + rng.below(400) as usize).min(out.len());
                let at = rng.below(out.len() as u64) as usize;
                if [a, b, at].iter().all(|&i| out.is_char_boundary(i)) {
                    let span = out[a..b].to_string();
                    out.insert_str(at, &span);
                }
            }
            _ => {}
        }
    }
    out
}

/// One to three mutations of a link's inflated payload.
fn mutate_bytes(rng: &mut Stream, data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..1 + rng.below(3) {
        if out.is_empty() {
            break;
        }
        let i = rng.below(out.len() as u64) as usize;
        match rng.below(4) {
            0 => out[i] ^= 1 << rng.below(8),
            1 => out[i] = *pick(rng, &[0x00u8, 0x01, 0x7f, 0x80, 0xff]),
            // A varint made long: counts and numbers far past what the scenario had.
            2 => out.splice(i..i, [0xff, 0xff, 0xff, 0x0f]).for_each(drop),
            _ => {
                let b = (i + 1 + rng.below(16) as usize).min(out.len());
                out.drain(i..b);
            }
        }
    }
    out
}

/// Runs an opened scenario if it validates, within the case's event allowance and 256 MiB.
fn run_case(scenario: &pattern_engine::Scenario, events: u64) -> bool {
    if validate(scenario)
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return false;
    }
    let before = HELD.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let mut sim = Simulation::new(scenario).expect("a validated scenario builds");
    sim.advance_events(events);
    let _ = sim.summary().to_json();
    drop(sim);
    let peak = PEAK.with(Cell::get) - before;
    assert!(
        peak <= MAX_BYTES,
        "held {peak} bytes: {}",
        scenario.to_json().chars().take(2000).collect::<String>()
    );
    true
}

#[test]
fn fuzz_whatever_opens_also_runs_within_its_budget() {
    let cases = env_number("FUZZ_CASES", 5_000);
    let events = env_number("FUZZ_EVENTS", 20_000).min(MAX_EVENTS);
    let mut texts: Vec<String> = common::all_shipped().into_iter().map(|(_, t)| t).collect();
    texts.push(common::random_scenario::editor_scenario(40).to_json());
    // Every kind and every form of every field (bursts, ramps, consistent hashing, quorums,
    // each distribution), with modest runs so the mutations, not the seeds, make them big.
    for seed in 0..12 {
        let mut s = common::random_scenario::random_valid_scenario(seed, &["x".into()]);
        s.run.requests = Some(2_000);
        s.run.duration_s = None;
        s.run.warmup_s = 0.0;
        texts.push(s.to_json());
    }
    let links: Vec<String> = texts
        .iter()
        .map(|t| link::encode(&from_json(t).unwrap(), None))
        .collect();
    let payloads: Vec<Vec<u8>> = links
        .iter()
        .map(|l| link::unpack(l).unwrap().data)
        .collect();
    let names = names();
    let mut rng = Stream::from_seed(env_number("FUZZ_SEED", 16));
    let (mut opened, mut ran) = (0u64, 0u64);
    for case in 0..cases {
        let scenario = if case % 2 == 0 {
            {
                let text = pick(&mut rng, &texts).clone();
                from_json(&mutate_text(&mut rng, &names, &text)).ok()
            }
        } else {
            let mut data = vec![2];
            let payload = pick(&mut rng, &payloads).clone();
            data.extend(mutate_bytes(&mut rng, &payload));
            fuzz_one(&data).ok().map(|d| d.scenario)
        };
        if let Some(scenario) = scenario {
            opened += 1;
            ran += u64::from(run_case(&scenario, events));
        }
    }
    println!("fuzz: {cases} cases, {opened} opened, {ran} validated and ran (up to {events} events each)");
    assert!(
        ran > cases / 10,
        "the mutations still reach the engine: {ran} of {cases}"
    );
}

#[test]
fn a_timed_run_may_not_make_more_requests_than_a_counted_one() {
    let json = scenario(
        r#"{"requests": null, "duration_s": 10000000, "warmup_s": 0, "window_s": 1, "trace_every": 100}"#,
        &[
            node(
                "c",
                "client",
                r#"{"arrival": {"poisson": {"rate_per_s": 1000000}}}"#,
            ),
            node("s", "service", "{}"),
        ],
        &[("c", "s", 1.0)],
    );
    let scenario = from_json(&json).unwrap();
    let errors = validate(&scenario);
    let error = errors
        .iter()
        .find(|d| d.field.as_deref() == Some("duration_s"))
        .expect("rate times duration is bounded");
    assert_eq!(error.code, "out_of_bounds");
    assert!(
        error.message.contains("10,000,000,000,000 requests"),
        "{}",
        error.message
    );
}
