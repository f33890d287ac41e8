//! Shards (components/shard_router.rs), against exact expectations and theory: how many keys
//! a reshard moves under each scheme (binomial bounds around N/(N+1) for modulo and 1/(N+1)
//! for a ring), how evenly a ring spreads keys as its virtual nodes grow, and a scan's latency
//! against the order statistics of its shards' service times (the maximum of n exponentials
//! has mean H_n/μ).

use pattern_engine::components::shard_router::ShardRow;
use pattern_engine::components::{Component, Kind};
use pattern_engine::json::parse;
use pattern_engine::metrics::summary::ShardsSummary;
use pattern_engine::scenario::{from_json, validate, Scenario, Severity};
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

/// A client → a shard router with `scheme` → `shards` databases `db_0`…, with `faults`;
/// `client` and `database` are merged into the defaults below.
fn sharded(
    shards: usize,
    scheme: Value,
    client: Value,
    database: Value,
    faults: Value,
) -> Scenario {
    let mut client_config = json!({
        "arrival": { "poisson": { "rate_per_s": 20_000 } },
        "keys": { "count": 2_000 },
        "read_ratio": 0.2, "clients": 100 });
    merge(&mut client_config, client);
    let mut db_config = json!({ "connections": 10_000,
        "read_time": { "exponential": { "mean_ms": 1 } },
        "write_time": { "exponential": { "mean_ms": 1 } } });
    merge(&mut db_config, database);
    let mut nodes = vec![
        json!({ "id": "c", "kind": "client", "config": client_config }),
        json!({ "id": "router", "kind": "shard_router",
                "config": { "scheme": scheme, "move_rate_keys_per_s": 100_000 } }),
    ];
    let mut edges = vec![json!({ "from": "c", "to": "router", "latency_ms": 0 })];
    for i in 0..shards {
        nodes.push(json!({ "id": format!("db_{i}"), "kind": "database", "config": db_config }));
        edges.push(json!({ "from": "router", "to": format!("db_{i}"), "latency_ms": 0 }));
    }
    let doc = json!({
        "version": 1, "name": "shards", "seed": 7, "run": { "duration_s": 4, "requests": null, "warmup_s": 0 },
        "nodes": nodes, "edges": edges, "faults": faults,
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        into.extend(from);
    }
}

fn run(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    sim.summary()
}

fn router(summary: &Summary) -> ShardsSummary {
    let (_, node) = summary
        .nodes
        .iter()
        .find(|(id, _)| id == "router")
        .expect("the router");
    node.shards.clone().expect("a router reports its shards")
}

fn rows(table: &ShardsSummary) -> Vec<ShardRow> {
    table.shards.iter().map(|(_, row)| *row).collect()
}

/// `db_4` joins four shards at 2 s, once every one of the 2,000 keys has been written: 32,000
/// writes by then, so the chance that any key was missed is 2,000·e^-16, about 2·10^-4 (and
/// the test counts the keys written, rather than assume it).
fn add_fifth(scheme: Value) -> (ShardsSummary, u64) {
    let faults = json!([{ "at_s": 2, "target": "db_4", "kind": "add_shard" }]);
    let s = sharded(5, scheme, json!({}), json!({}), faults);
    let summary = run(&s);
    let table = router(&summary);
    let written = summary.data.expect("data").keys_written;
    assert_eq!(written, 2_000, "every key written, all before the reshard");
    (table, written)
}

/// The bound of `k` out of `n` with probability `p`: four standard deviations.
fn binomial_bound(n: u64, p: f64) -> (f64, f64) {
    let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
    (mean - 4.0 * sd, mean + 4.0 * sd)
}

#[test]
fn adding_a_shard_to_four_by_modulo_moves_four_keys_in_five() {
    let (table, written) = add_fifth(json!("modulo"));
    let (lo, hi) = binomial_bound(written, 4.0 / 5.0);
    let moved = table.moved_keys as f64;
    assert!(
        (lo..=hi).contains(&moved),
        "{moved} of {written} moved; binomial bounds for 4/5: {lo:.0}..{hi:.0}"
    );
    assert_eq!(
        table.moving, 0,
        "100,000 keys a second copy them all in the run"
    );
}

#[test]
fn adding_a_shard_to_a_ring_moves_about_one_key_in_five_all_to_the_new_shard() {
    let (table, written) = add_fifth(json!({ "consistent_hash": { "virtual_nodes": 1000 } }));
    let moved = table.moved_keys;
    // The ring's arcs add their own spread to the coin of each key: with 1,000 points per
    // shard the new shard's share has a standard deviation of about 1/(5·√1000) = 0.6%,
    // 13 keys, beside the binomial's 18; the bound allows both.
    let (lo, hi) = binomial_bound(written, 1.0 / 5.0);
    let slack = 4.0 * 13.0;
    assert!(
        (lo - slack..=hi + slack).contains(&(moved as f64)),
        "{moved} of {written} moved; binomial bounds for 1/5: {lo:.0}..{hi:.0} (± {slack})"
    );
    let rows = rows(&table);
    // Every key that moved went to the new shard, and nothing else moved.
    assert_eq!(rows[4].keys, moved, "{rows:?}");
    assert!(rows.iter().all(|r| r.serving));
}

#[test]
fn removing_a_shard_from_a_ring_moves_exactly_its_keys() {
    let ring = json!({ "consistent_hash": { "virtual_nodes": 200 } });
    // Without the removal: what db_2 holds at 2 s is what the removal has to move. Reads
    // only after 2 s, so keys are placed by then.
    let keep = sharded(4, ring.clone(), json!({}), json!({}), json!([]));
    let kept = run(&keep);
    let faults = json!([{ "at_s": 2, "target": "db_2", "kind": "remove_shard" }]);
    let removed = run(&sharded(4, ring, json!({}), json!({}), faults));
    let (kept, removed) = (router(&kept), router(&removed));
    let removed_rows = rows(&removed);
    assert!(!removed_rows[2].serving);
    assert_eq!(removed_rows[2].keys, 0, "all of its keys were copied away");
    // The same seed draws the same requests up to 2 s, so db_2 held the same keys then; the
    // keys first written after it went elsewhere and never moved.
    assert!(removed.moved_keys > 0);
    assert!(
        removed.moved_keys <= rows(&kept)[2].keys,
        "{} moved but db_2 ends with {} of its own without the removal",
        removed.moved_keys,
        rows(&kept)[2].keys
    );
    let share = removed.moved_keys as f64 / 2_000.0;
    assert!((0.15..0.35).contains(&share), "moved {share} of the keys");
}

/// The coefficient of variation of the keys per shard.
fn spread(rows: &[ShardRow]) -> f64 {
    let n = rows.len() as f64;
    let mean = rows.iter().map(|r| r.keys as f64).sum::<f64>() / n;
    let var = rows
        .iter()
        .map(|r| (r.keys as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    var.sqrt() / mean
}

#[test]
fn a_rings_spread_of_keys_falls_as_its_virtual_nodes_grow() {
    let spreads: Vec<f64> = [1, 10, 100, 1000]
        .iter()
        .map(|&v| {
            let ring = json!({ "consistent_hash": { "virtual_nodes": v } });
            let summary = run(&sharded(8, ring, json!({}), json!({}), json!([])));
            spread(&rows(&router(&summary)))
        })
        .collect();
    println!("spread of keys per shard, 1/10/100/1000 points: {spreads:?}");
    assert!(
        spreads.windows(2).all(|w| w[1] < w[0]),
        "the spread falls with every tenfold: {spreads:?}"
    );
    // At 1,000 points: the ring's own 1/√1000 (3%) beside the binomial's √(7/2000) (6%).
    assert!(spreads[3] < 0.12, "{spreads:?}");
    assert!(
        spreads[0] > 0.3,
        "one point per shard is lopsided: {spreads:?}"
    );
}

#[test]
fn modulo_spreads_uniform_keys_within_binomial_bounds() {
    let summary = run(&sharded(
        8,
        json!("modulo"),
        json!({}),
        json!({}),
        json!([]),
    ));
    let rows = rows(&router(&summary));
    let total: u64 = rows.iter().map(|r| r.keys).sum();
    let (lo, hi) = binomial_bound(total, 1.0 / 8.0);
    for row in &rows {
        assert!((lo..=hi).contains(&(row.keys as f64)), "{rows:?}");
    }
}

/// A scan's latency: client → router → n shards with exponential reads (mean 10 ms), no
/// queueing (10,000 connections each) and no trip time.
fn scan_latency(n: usize) -> (f64, f64) {
    let client = json!({ "arrival": { "poisson": { "rate_per_s": 500 } }, "read_ratio": 1.0,
                         "scan_ratio": 1.0 });
    let db = json!({ "read_time": { "exponential": { "mean_ms": 10 } } });
    let mut s = sharded(n, json!("modulo"), client, db, json!([]));
    s.run.duration_s = None;
    s.run.requests = Some(40_000);
    let summary = run(&s);
    assert_eq!(summary.requests.completed, 40_000);
    (summary.latency_ms.mean, summary.latency_ms.p99)
}

#[test]
fn a_scans_latency_is_the_slowest_shards_the_maximum_of_n_exponentials() {
    for n in [1, 4, 16] {
        let (mean, p99) = scan_latency(n);
        // E[max of n exponentials of mean 1/μ] = H_n/μ; its q-quantile is
        // −ln(1 − q^(1/n))/μ.
        let harmonic: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        let (mean_theory, p99_theory) = (
            10.0 * harmonic,
            -10.0 * (1.0 - 0.99f64.powf(1.0 / n as f64)).ln(),
        );
        println!(
            "{n} shards: mean {mean:.3} ms vs {mean_theory:.3}, p99 {p99:.2} vs {p99_theory:.2}"
        );
        assert!(
            (mean / mean_theory - 1.0).abs() < 0.02,
            "{n} shards: mean {mean} vs H_n/μ {mean_theory}"
        );
        assert!(
            (p99 / p99_theory - 1.0).abs() < 0.05,
            "{n} shards: p99 {p99} vs {p99_theory}"
        );
    }
}

#[test]
fn shards_without_a_reshard_never_answer_a_stale_read() {
    let client = json!({ "read_ratio": 0.7, "keys": { "count": 200 } });
    let summary = run(&sharded(4, json!("modulo"), client, json!({}), json!([])));
    let data = summary.data.expect("data");
    assert!(data.reads_checked > 40_000, "{data:?}");
    assert_eq!((data.stale_reads, data.stale_own_reads), (0, 0));
}

#[test]
fn reads_of_keys_on_their_way_ask_both_shards() {
    let faults = json!([{ "at_s": 2, "target": "db_4", "kind": "add_shard" }]);
    let client = json!({ "read_ratio": 0.9 });
    let mut s = sharded(5, json!("modulo"), client, json!({}), faults);
    // 100 keys a second: the 1,400 or so that move take 14 s, past the end of the run.
    s.nodes[1].component = Component::from_config(
        Kind::ShardRouter,
        &parse(r#"{"scheme": "modulo", "move_rate_keys_per_s": 100}"#).unwrap(),
    )
    .unwrap();
    let summary = run(&s);
    let table = router(&summary);
    assert!(table.moved_keys > 1_000, "{table:?}");
    // One key every 10 ms from 2.01 s; the run ends at 4 s, before or after that instant's.
    let copied = table.moved_keys - table.moving;
    assert!(
        (199..=200).contains(&copied),
        "2 s at 100 a second: {copied} copied"
    );
    // Most reads in the last 2 s are of a key still moving: about 36,000 reads, and at the
    // end 1,200 of the 1,400 moving keys are still on their way.
    assert!(table.moved_slow > 20_000, "{table:?}");
    // Each slow read is one call more than its request.
    let routed: u64 = rows(&table).iter().map(|r| r.routed).sum();
    let requests = &summary.requests;
    assert!(
        (requests.completed..=requests.generated).contains(&(routed - table.moved_slow)),
        "{routed} calls, {} slow reads, {requests:?}",
        table.moved_slow
    );
}

#[test]
fn resharding_is_refused_where_it_cannot_happen() {
    let codes = |s: &Scenario| -> Vec<&'static str> {
        validate(s)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code)
            .collect()
    };
    // The only shard removed: nothing to place keys on.
    let alone = json!([{ "at_s": 1, "for_s": 1, "target": "db_0", "kind": "remove_shard" }]);
    let s = sharded(1, json!("modulo"), json!({}), json!({}), alone);
    assert_eq!(codes(&s), ["no_shard_serving"]);
    let d = validate(&s)
        .into_iter()
        .find(|d| d.code == "no_shard_serving")
        .unwrap();
    assert!(d.message.contains("at 1 s"), "{}", d.message);
    // Both shards added later: none serves at the start.
    let later = json!([
        { "at_s": 1, "target": "db_0", "kind": "add_shard" },
        { "at_s": 1, "target": "db_1", "kind": "add_shard" }]);
    let s = sharded(2, json!("modulo"), json!({}), json!({}), later);
    assert_eq!(codes(&s), ["no_shard_serving"]);
    // One removed while the other serves: fine.
    let fine = json!([{ "at_s": 1, "for_s": 1, "target": "db_0", "kind": "remove_shard" }]);
    assert_eq!(
        codes(&sharded(2, json!("modulo"), json!({}), json!({}), fine)),
        Vec::<&str>::new()
    );
    // Twenty-one reshards are too many.
    let many: Vec<Value> = (0..21)
        .map(|i| json!({ "at_s": i, "for_s": 0.5, "target": "db_1", "kind": "remove_shard" }))
        .collect();
    let s = sharded(2, json!("modulo"), json!({}), json!({}), Value::Array(many));
    assert_eq!(codes(&s), ["out_of_bounds"]);
    // A database no router calls is no shard.
    let mut s = sharded(1, json!("modulo"), json!({}), json!({}), json!([]));
    let doc = json!({ "version": 1, "name": "f", "seed": 1, "run": { "requests": 1 },
        "nodes": [{ "id": "lonely", "kind": "database" }], "edges": [],
        "faults": [{ "at_s": 1, "target": "lonely", "kind": "add_shard" }] });
    let other = from_json(&doc.to_string()).expect("parses");
    s.nodes.extend(other.nodes);
    s.faults = other.faults;
    assert!(
        codes(&s).contains(&"fault_cannot_strike"),
        "{:?}",
        codes(&s)
    );
}

#[test]
fn a_run_takes_in_place_only_an_addition_a_fresh_run_would_agree_with() {
    use pattern_engine::scenario::{Fault, FaultKind, FaultTarget};
    let faults = json!([{ "at_s": 3, "target": "db_4", "kind": "add_shard" }]);
    let doc = sharded(5, json!("modulo"), json!({}), json!({}), faults);
    let mut sim = Simulation::new(&doc).unwrap();
    sim.advance_until(1_000_000_000);
    let add = |id: &str| Fault {
        at_s: 1.5,
        for_s: None,
        target: FaultTarget::Node(id.into()),
        kind: FaultKind::AddShard,
    };
    // db_1 serves from the start here, but a fresh run with an addition of it would keep it
    // standing by until 1.5 s: not the same run.
    let mut serving = doc.clone();
    serving.faults.push(add("db_1"));
    assert!(!sim.take_faults(&serving));
    // db_4 stands by for its addition at 3 s: adding it sooner is the same in both.
    let mut sooner = doc.clone();
    sooner.faults.push(add("db_4"));
    assert!(sim.take_faults(&sooner));
    sim.run_to_end();
    let mut fresh = Simulation::new(&sooner).unwrap();
    fresh.run_to_end();
    assert_eq!(sim.summary().to_json(), fresh.summary().to_json());
}
