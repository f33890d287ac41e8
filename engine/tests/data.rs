//! Data with versions (sim/data.rs): stale reads are measured against exact expectations. A
//! lone database never answers with an older version than one acknowledged before the read
//! began, whatever the interleaving; a cache in front of it does, through the refill race and
//! through writes that go round it.

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

/// A client sending reads and writes of `keys` keys at `rate_per_s` along `path` (node ids after
/// the client, each calling the next), whose nodes are `nodes`.
fn scenario(seed: u64, rate_per_s: f64, keys: u64, path: &[&str], nodes: Vec<Value>) -> Scenario {
    let mut all = vec![json!({ "id": "c", "kind": "client", "config": {
        "arrival": { "poisson": { "rate_per_s": rate_per_s } },
        "keys": { "count": keys, "popularity": { "zipf": { "s": 1.0 } } },
        "read_ratio": 0.7, "clients": 50 } })];
    all.extend(nodes);
    let mut ends = vec!["c"];
    ends.extend_from_slice(path);
    let edges: Vec<Value> = ends
        .windows(2)
        .map(|w| json!({ "from": w[0], "to": w[1], "latency_ms": 2 }))
        .collect();
    let doc = json!({
        "version": 1, "name": "data", "seed": seed, "run": { "requests": 40_000 },
        "nodes": all, "edges": edges,
    });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn database() -> Value {
    // Many connections and exponential times: reads and writes of one key overlap and finish
    // out of order all the time.
    json!({ "id": "db", "kind": "database", "config": { "connections": 50,
        "read_time": { "exponential": { "mean_ms": 5 } },
        "write_time": { "exponential": { "mean_ms": 15 } } } })
}

fn run(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    assert_eq!(sim.live_frames(), 0);
    sim.summary()
}

#[test]
fn a_lone_database_never_answers_a_read_with_a_version_older_than_it_must_see() {
    for seed in 1..=5 {
        let summary = run(&scenario(seed, 3_000.0, 20, &["db"], vec![database()]));
        let data = summary
            .data
            .expect("a run with a database reports its data");
        assert!(data.reads_checked > 25_000, "{data:?}");
        assert_eq!(data.keys_written, 20, "every key was written");
        assert_eq!(
            (data.stale_reads, data.stale_own_reads, data.refill_races),
            (0, 0, 0),
            "seed {seed}: a write is applied before it is acknowledged, and the store never \
             goes back"
        );
    }
}

#[test]
fn a_cache_in_front_keeps_the_refill_race_and_the_reads_it_makes_stale() {
    let cache = json!({ "id": "cache", "kind": "cache", "config": { "capacity_keys": 100 } });
    let summary = run(&scenario(
        3,
        3_000.0,
        20,
        &["cache", "db"],
        vec![cache, database()],
    ));
    let data = summary.data.expect("data");
    assert!(data.refill_races > 0, "{data:?}");
    assert!(data.stale_reads > 0, "{data:?}");
    let node = |id: &str| {
        summary
            .nodes
            .iter()
            .find(|(n, _)| n == id)
            .and_then(|(_, s)| s.reads)
            .expect("reads counted")
    };
    assert_eq!(node("db").stale, 0, "the store itself is never stale");
    assert_eq!(
        node("cache").stale + node("db").stale,
        data.stale_reads,
        "every stale read is the cache's"
    );
    assert_eq!(node("cache").served + node("db").served, data.reads_checked);
    assert!(data.stale_own_reads <= data.stale_reads);
}

#[test]
fn a_write_that_goes_round_the_cache_leaves_it_serving_old_versions() {
    // Reads go through the cache; writes reach the database by a path of their own (a gateway
    // sends them straight there), so the cache is never told: with no TTL every key it holds
    // goes stale as soon as it is written.
    let nodes = vec![
        json!({ "id": "gw", "kind": "api_gateway", "config": { "routes": [
            { "match": "read", "to": "cache" }, { "match": "write", "to": "db" } ] } }),
        json!({ "id": "cache", "kind": "cache", "config": { "capacity_keys": 100 } }),
        database(),
    ];
    let mut s = scenario(4, 1_000.0, 20, &["gw", "cache", "db"], nodes);
    let doc = s.to_json();
    let mut doc: Value = serde_json::from_str(&doc).unwrap();
    doc["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "gw", "to": "db", "latency_ms": 2 }));
    s = from_json(&doc.to_string()).unwrap();
    let data = run(&s).data.expect("data");
    // Almost every read is a hit on a key written since it was cached.
    assert!(
        data.stale_reads as f64 > 0.8 * data.reads_checked as f64,
        "{data:?}"
    );
    assert_eq!(
        data.refill_races, 0,
        "no write passes the cache to race with"
    );
}

#[test]
fn without_a_store_no_data_is_reported() {
    let service = json!({ "id": "s", "kind": "service" });
    let summary = run(&scenario(1, 100.0, 10, &["s"], vec![service]));
    assert!(summary.data.is_none());
}
