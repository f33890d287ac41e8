//! Exact results from deterministic inputs: constant arrivals and service times make every
//! number hand-computable, so these tests pin the engine's mechanics (latencies retracing the
//! path, queueing order, timeouts, cache fills, jobs, hop limits) to the nanosecond.

use pattern_engine::scenario::{from_json, Scenario};
use pattern_engine::{Simulation, Summary};
use serde_json::{json, Value};

fn scenario(nodes: Value, edges: Value, run: Value) -> Scenario {
    let doc = json!({ "version": 1, "name": "exact", "seed": 3, "run": run, "nodes": nodes, "edges": edges });
    from_json(&doc.to_string()).expect("scenario parses")
}

fn run(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap_or_else(|d| panic!("{d:#?}"));
    sim.run_to_end();
    assert_eq!(sim.live_frames(), 0, "a drained run leaves no frame behind");
    sim.summary()
}

fn node<'a>(s: &'a Summary, id: &str) -> &'a pattern_engine::metrics::summary::NodeSummary {
    &s.nodes.iter().find(|(n, _)| n == id).unwrap().1
}

fn constant_client(rate: f64) -> Value {
    json!({ "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": rate } }, "read_ratio": 1 } })
}

fn service(id: &str, workers: u32, ms: f64, extra: Value) -> Value {
    let mut config = json!({ "workers": workers, "service_time": { "constant": { "ms": ms } } });
    config
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({ "id": id, "kind": "service", "config": config })
}

#[test]
fn a_round_trip_costs_both_edge_latencies_plus_the_work() {
    // 10 ms each way plus 5 ms of work: every request takes exactly 25 ms.
    let s = scenario(
        json!([constant_client(100.0), service("s", 1, 5.0, json!({}))]),
        json!([{ "from": "c", "to": "s", "latency_ms": 10 }]),
        json!({ "requests": 1000 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.completed, 1000);
    assert_eq!(summary.latency_ms.mean, 25.0);
    assert_eq!(summary.latency_ms.max, 25.0);
    assert_eq!(node(&summary, "s").mean_wait_ms, Some(0.0));
    // Busy 5 ms in every 10 ms; the run ends at the last answer: 10 s + 25 ms.
    let expected = 1000.0 * 5.0 / 10_025.0;
    assert!((node(&summary, "s").utilisation.unwrap() - expected).abs() < 1e-12);
    // Per window of 1 s: 100 arrivals of 5 ms of work, so exactly half busy, apart from the
    // first window (the first arrival reaches the server at 20 ms: 98 of them).
    let series = &node(&summary, "s").utilisation_series;
    assert_eq!(series.len(), summary.series.windows.len());
    assert!((series[0] - 0.49).abs() < 1e-12, "{series:?}");
    assert!(
        series[1..].iter().all(|u| (u - 0.5).abs() < 1e-12),
        "{series:?}"
    );
}

#[test]
fn an_overloaded_server_queues_in_arrival_order() {
    // Arrivals every 10 ms, 15 ms of work: request n (from 0) waits 5n ms. Over 100 requests the
    // mean wait is 5 * 99 / 2 = 247.5 ms and the last one waits 495 ms.
    let s = scenario(
        json!([constant_client(100.0), service("s", 1, 15.0, json!({}))]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 100 }),
    );
    let summary = run(&s);
    let n = node(&summary, "s");
    assert!((n.mean_wait_ms.unwrap() - 247.5).abs() < 1e-9);
    assert_eq!(summary.latency_ms.max, 495.0 + 15.0);
    assert_eq!(
        n.max_queue_length, 33,
        "waiting peaks when arrivals outpace work by a third"
    );
}

#[test]
fn a_full_queue_drops_and_the_drop_is_counted_where_it_happened() {
    // Work takes 25 ms, arrivals every 10 ms, one worker and one waiting place: of each
    // five arrivals in 50 ms, two can be held (one served, one waiting) and the rest drop.
    let s = scenario(
        json!([
            constant_client(100.0),
            service("s", 1, 25.0, json!({ "queue_capacity": 1 }))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 1000 }),
    );
    let summary = run(&s);
    let r = &summary.requests;
    assert_eq!(r.completed + r.dropped, 1000);
    assert!(r.dropped > 550 && r.dropped < 620, "{r:?}");
    assert_eq!(node(&summary, "s").dropped, r.dropped);
    assert!(summary.error_rate > 0.5);
}

#[test]
fn a_timeout_answers_at_the_deadline_and_frees_nothing_early() {
    // 100 ms of work, 40 ms deadline, one arrival every 100 ms: every request times out at
    // 40 ms, and the worker stays busy for the full 100 ms.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("s", 1, 100.0, json!({ "timeout_ms": 40 }))
        ]),
        json!([{ "from": "c", "to": "s", "latency_ms": 1 }]),
        json!({ "requests": 50 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.timed_out, 50);
    assert_eq!(summary.requests.completed, 0);
    assert_eq!(node(&summary, "s").timed_out, 50);
    assert_eq!(summary.traces[0].outcome, Some("timed_out"));
    assert_eq!(summary.traces[0].ended_ms, Some(100.0 + 1.0 + 40.0 + 1.0));
}

#[test]
fn a_timed_out_call_is_abandoned_and_its_late_answer_ignored() {
    // The front service gives up after 30 ms while the back service takes 50 ms; the back
    // service still finishes its work (orphaned) and its answer is dropped on arrival.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("front", 1, 1.0, json!({ "timeout_ms": 30 })),
            service("back", 1, 50.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "front" }, { "from": "front", "to": "back" }]),
        json!({ "requests": 20 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.timed_out, 20);
    assert_eq!(
        node(&summary, "back").answered,
        20,
        "the orphaned work still ran"
    );
    assert_eq!(summary.latency_ms.count, 0);
}

#[test]
fn a_cache_hit_turns_back_and_a_miss_fills_the_cache() {
    // One key, read every 100 ms: the first read misses and fills, every later read hits.
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 10 } }, "read_ratio": 1, "keys": { "count": 1 } } },
            { "id": "cache", "kind": "cache", "config": { "capacity_keys": 10, "lookup_ms": 1 } },
            { "id": "db", "kind": "database", "config": { "read_time": { "constant": { "ms": 20 } } } }
        ]),
        json!([{ "from": "c", "to": "cache", "latency_ms": 5 }, { "from": "cache", "to": "db", "latency_ms": 2 }]),
        json!({ "requests": 100 }),
    );
    let summary = run(&s);
    assert_eq!(node(&summary, "cache").hit_ratio, Some(0.99));
    assert_eq!(node(&summary, "db").arrivals, 1);
    // A hit: 5 + 1 + 5 = 11 ms. The one miss: 5 + 1 + 2 + 20 + 2 + 5 = 35 ms.
    assert_eq!(summary.latency_ms.max, 35.0);
    assert!((summary.latency_ms.mean - (99.0 * 11.0 + 35.0) / 100.0).abs() < 1e-9);
}

#[test]
fn a_write_invalidates_so_the_next_read_misses() {
    // Alternating... a read ratio of 0 makes every request a write: the database sees all of
    // them and the cache never hits.
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 10 } }, "read_ratio": 0, "keys": { "count": 1 } } },
            { "id": "cache", "kind": "cache", "config": {} },
            { "id": "db", "kind": "database", "config": {} }
        ]),
        json!([{ "from": "c", "to": "cache" }, { "from": "cache", "to": "db" }]),
        json!({ "requests": 30 }),
    );
    let summary = run(&s);
    assert_eq!(node(&summary, "db").arrivals, 30);
    assert_eq!(summary.cache_hit_ratio, None, "writes are not lookups");
}

#[test]
fn publishing_completes_at_once_and_workers_drain_the_jobs() {
    // The request does not wait for the job: 2 x 1 ms + 2 ms of work = 4 ms. Each job takes
    // 1 ms to reach the queue, 1 ms to the worker, 50 ms of work, and a 1 ms ack.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("s", 1, 2.0, json!({})),
            { "id": "q", "kind": "queue", "config": {} },
            { "id": "w", "kind": "worker", "config": { "concurrency": 1, "service_time": { "constant": { "ms": 50 } } } }
        ]),
        json!([
            { "from": "c", "to": "s", "latency_ms": 1 },
            { "from": "s", "to": "q", "latency_ms": 1 },
            { "from": "q", "to": "w", "latency_ms": 1 }
        ]),
        json!({ "requests": 40 }),
    );
    let summary = run(&s);
    assert_eq!(summary.latency_ms.max, 4.0);
    let jobs = summary.jobs.expect("jobs were published");
    assert_eq!((jobs.published, jobs.done, jobs.in_flight), (40, 40, 0));
    assert_eq!(jobs.latency_ms.max, 1.0 + 1.0 + 50.0 + 1.0);
}

#[test]
fn a_slow_consumer_makes_the_queue_grow_visibly() {
    // Jobs every 10 ms, a worker needing 30 ms each: the backlog grows by two in every 30 ms.
    let s = scenario(
        json!([
            constant_client(100.0),
            service("s", 1, 1.0, json!({})),
            { "id": "q", "kind": "queue", "config": {} },
            { "id": "w", "kind": "worker", "config": { "concurrency": 1, "service_time": { "constant": { "ms": 30 } } } }
        ]),
        json!([{ "from": "c", "to": "s" }, { "from": "s", "to": "q" }, { "from": "q", "to": "w" }]),
        json!({ "requests": 300, "window_s": 0.5 }),
    );
    let summary = run(&s);
    let depths: Vec<u64> = summary
        .series
        .windows
        .iter()
        .map(|w| w.jobs_queued)
        .collect();
    assert!(depths.windows(2).take(5).all(|w| w[1] > w[0]), "{depths:?}");
    // Job k is published at 10(k+1) + 1 ms; the worker takes one every 30 ms from 11 ms, so when
    // the last job (299) arrives at 3,001 ms it has taken jobs 0 to 99: 200 are waiting.
    assert_eq!(node(&summary, "q").max_queue_length, 200);
}

#[test]
fn a_call_loop_fails_at_the_hop_limit() {
    // a is visited at depths 1, 3, 5 and b at 2, 4, 6; the call from depth 6 fails. Each visit
    // holds a worker while it waits, so each service needs three.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("a", 3, 1.0, json!({})),
            service("b", 3, 1.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "a" }, { "from": "a", "to": "b" }, { "from": "b", "to": "a" }]),
        json!({ "requests": 10, "hop_limit": 6 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.failed, 10);
    let trace = &summary.traces[0];
    assert_eq!(trace.outcome, Some("failed_hop_limit"));
    assert_eq!(trace.hops.len(), 7, "the client and six hops");
}

#[test]
fn a_loop_through_a_queue_is_stopped_by_the_hop_limit() {
    // The worker calls the service that publishes to its own queue: every job would publish
    // another forever. Jobs carry their publisher's hop count, so the limit ends the chain.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("s", 4, 1.0, json!({})),
            { "id": "q", "kind": "queue", "config": {} },
            { "id": "w", "kind": "worker", "config": { "concurrency": 4, "service_time": { "constant": { "ms": 1 } } } }
        ]),
        json!([{ "from": "c", "to": "s" }, { "from": "s", "to": "q" }, { "from": "q", "to": "w" }, { "from": "w", "to": "s" }]),
        json!({ "requests": 10, "hop_limit": 8 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.completed, 10);
    let jobs = summary.jobs.unwrap();
    // Depths: s 1, job at q 2, w 3, s 4, q 5, w 6, s 7, q 8, then w would be 9: it fails.
    assert_eq!(jobs.published, 30);
    assert_eq!(jobs.failed, 10);
}

#[test]
fn a_call_loop_with_too_few_workers_deadlocks_like_a_thread_pool() {
    // With two workers each, the third visit to a waits for a worker that its own earlier
    // visits hold: the requests never finish. The run ends (nothing can happen any more) with
    // them in flight, which is what a real thread-per-request system would do.
    let s = scenario(
        json!([
            constant_client(10.0),
            service("a", 2, 1.0, json!({})),
            service("b", 2, 1.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "a" }, { "from": "a", "to": "b" }, { "from": "b", "to": "a" }]),
        json!({ "requests": 10, "hop_limit": 6 }),
    );
    let summary = run_unchecked(&s);
    assert!(summary.finished);
    assert_eq!(summary.requests.completed + summary.requests.failed, 0);
    assert_eq!(summary.requests.in_flight, 10);
    // The first request holds both of a's workers (depths 1 and 3) and its third visit waits,
    // behind nobody; the nine later requests wait too.
    assert_eq!(node(&summary, "a").queue_depth, 10);
}

#[test]
fn a_gateway_routes_by_operation_and_refuses_what_has_no_route() {
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 100 } }, "read_ratio": 0.5 } },
            { "id": "gw", "kind": "api_gateway", "config": { "routes": [ { "match": "read", "to": "reads" } ] } },
            service("reads", 4, 1.0, json!({})),
            service("writes", 4, 1.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "gw" }, { "from": "gw", "to": "reads" }, { "from": "gw", "to": "writes" }]),
        json!({ "requests": 2000 }),
    );
    let summary = run(&s);
    let reads = node(&summary, "reads").arrivals;
    assert_eq!(reads, summary.requests.completed);
    assert_eq!(node(&summary, "writes").arrivals, 0);
    assert_eq!(summary.requests.failed, 2000 - reads);
    assert_eq!(node(&summary, "gw").failed, 2000 - reads);
    assert!(
        (900..1100).contains(&reads),
        "about half are reads: {reads}"
    );
}

#[test]
fn round_robin_spreads_requests_exactly_evenly_through_the_engine() {
    let s = scenario(
        json!([
            constant_client(100.0),
            { "id": "lb", "kind": "load_balancer", "config": { "algorithm": "round_robin" } },
            service("s1", 1, 1.0, json!({})), service("s2", 1, 1.0, json!({})), service("s3", 1, 1.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "lb" }, { "from": "lb", "to": "s1" }, { "from": "lb", "to": "s2" }, { "from": "lb", "to": "s3" }]),
        json!({ "requests": 300 }),
    );
    let summary = run(&s);
    for id in ["s1", "s2", "s3"] {
        assert_eq!(node(&summary, id).arrivals, 100);
    }
}

#[test]
fn least_connections_avoids_the_slow_backend() {
    // One backend is ten times slower; least connections sends it far fewer requests than the
    // third round robin would.
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "poisson": { "rate_per_s": 400 } } } },
            { "id": "lb", "kind": "load_balancer", "config": { "algorithm": "least_connections" } },
            service("fast1", 1, 2.0, json!({})), service("fast2", 1, 2.0, json!({})), service("slow", 1, 20.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "lb" }, { "from": "lb", "to": "fast1" }, { "from": "lb", "to": "fast2" }, { "from": "lb", "to": "slow" }]),
        json!({ "requests": 6000 }),
    );
    let summary = run(&s);
    let slow = node(&summary, "slow").arrivals as f64 / 6000.0;
    assert!(slow < 0.2, "slow backend got {slow}");
}

#[test]
fn a_duration_run_stops_the_clock_with_requests_in_flight() {
    let s = scenario(
        json!([constant_client(100.0), service("s", 1, 5.0, json!({}))]),
        json!([{ "from": "c", "to": "s", "latency_ms": 30 }]),
        json!({ "duration_s": 2, "requests": null }),
    );
    let summary = run_unchecked(&s);
    assert_eq!(summary.simulated_s, 2.0);
    let r = &summary.requests;
    // Arrivals at 10 ms, 20 ms, ...: the one due at exactly 2 s, when the clock stops, does
    // not happen.
    assert_eq!(r.generated, 199);
    assert!(r.in_flight > 0 && r.generated == r.completed + r.in_flight);
    assert_eq!(summary.series.windows.len(), 2);
}

fn run_unchecked(s: &Scenario) -> Summary {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_to_end();
    sim.summary()
}

// Regressions found in review: each pins one rule of how time and measurement work.

#[test]
fn a_pending_timer_does_not_stretch_a_drained_run() {
    // Every request is answered in 5 ms; their 10 s deadlines are still pending when the last
    // one finishes. The run ends with the last answer, not the last dead deadline.
    let s = scenario(
        json!([
            constant_client(100.0),
            service("s", 1, 5.0, json!({ "timeout_ms": 10000 }))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 1000 }),
    );
    let summary = run(&s);
    assert_eq!(summary.simulated_s, 10.005);
    assert!((node(&summary, "s").utilisation.unwrap() - 5000.0 / 10_005.0).abs() < 1e-12);
}

#[test]
fn advancing_to_a_time_never_handles_anything_after_it() {
    let s = scenario(
        json!([
            constant_client(10.0),
            service("s", 1, 1.0, json!({ "timeout_ms": 50 }))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 3 }),
    );
    let mut sim = Simulation::new(&s).unwrap();
    sim.advance_until(150_000_000);
    assert_eq!(sim.now(), 150_000_000);
    assert_eq!(
        sim.conservation().completed,
        1,
        "only the request of 100 ms is done by 150 ms"
    );
}

#[test]
fn a_deadline_reached_at_the_instant_work_ends_counts_as_timed_out() {
    // Work of exactly the timeout: whether served at once or after waiting, not answered by
    // the deadline means timed out.
    let s = scenario(
        json!([
            constant_client(100.0),
            service("s", 1, 10.0, json!({ "timeout_ms": 10 }))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 20 }),
    );
    let summary = run(&s);
    assert_eq!(summary.requests.timed_out, 20);
}

#[test]
fn a_ramp_down_to_zero_ends_the_arrivals() {
    // Theory: the rate falls linearly from 100/s to 0 over 1 s: 50 requests expected.
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "ramp": { "from_per_s": 100, "to_per_s": 0, "over_s": 1 } } } },
            service("s", 4, 1.0, json!({}))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "duration_s": 5, "requests": null }),
    );
    let summary = run_unchecked(&s);
    assert!(
        (30..70).contains(&summary.requests.generated),
        "{}",
        summary.requests.generated
    );
}

#[test]
fn warm_up_lookups_do_not_count_in_hit_ratios() {
    // One key: the only miss is the very first read, during the warm-up.
    let s = scenario(
        json!([
            { "id": "c", "kind": "client", "config": { "arrival": { "constant": { "rate_per_s": 100 } }, "read_ratio": 1, "keys": { "count": 1 } } },
            { "id": "cache", "kind": "cache", "config": {} },
            { "id": "db", "kind": "database", "config": {} }
        ]),
        json!([{ "from": "c", "to": "cache" }, { "from": "cache", "to": "db" }]),
        json!({ "requests": 500, "warmup_s": 1 }),
    );
    let summary = run(&s);
    assert_eq!(summary.cache_hit_ratio, Some(1.0));
    assert_eq!(node(&summary, "cache").hit_ratio, Some(1.0));
}

#[test]
fn refused_requests_do_not_shorten_the_time_in_node() {
    // Every served request spends exactly 25 ms; the many dropped ones spent none.
    let s = scenario(
        json!([
            constant_client(100.0),
            service("s", 1, 25.0, json!({ "queue_capacity": 0 }))
        ]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "requests": 300 }),
    );
    let summary = run(&s);
    assert!(summary.requests.dropped > 100);
    assert_eq!(node(&summary, "s").mean_time_in_node_ms, Some(25.0));
}

#[test]
fn in_a_timed_run_the_windows_add_up_to_the_totals() {
    let s = scenario(
        json!([constant_client(10.0), service("s", 1, 0.0, json!({}))]),
        json!([{ "from": "c", "to": "s" }]),
        json!({ "duration_s": 1, "requests": null, "window_s": 0.5 }),
    );
    let summary = run_unchecked(&s);
    let in_windows: u64 = summary.series.windows.iter().map(|w| w.completed).sum();
    assert_eq!(in_windows, summary.requests.completed);
}

#[test]
fn extreme_but_accepted_values_run_without_overflow() {
    // A heavy tail that samples durations far beyond a run, and a day-long timeout.
    let s = scenario(
        json!([
            constant_client(100.0),
            { "id": "s", "kind": "service", "config": { "workers": 100, "timeout_ms": 86400000,
              "service_time": { "log_normal": { "median_ms": 86400000, "sigma": 4 } } } }
        ]),
        json!([{ "from": "c", "to": "s", "latency_ms": 86400000 }]),
        json!({ "duration_s": 100, "requests": null }),
    );
    let summary = run_unchecked(&s);
    assert!(summary.finished);
}

#[test]
fn single_flight_sends_the_store_one_read_per_cold_key() {
    // Reads of one key every millisecond; a 1 ms lookup and a 50 ms store. The first read
    // misses at 1 ms and its fill lands at 51 ms; every read whose lookup ends before the fill
    // is in (reads 1 to 50: read 50's lookup ends at 51 ms, just before the answer is handled)
    // misses too.
    let at = |coalesce: bool| {
        let client = json!({ "id": "c", "kind": "client", "config": {
            "arrival": { "constant": { "rate_per_s": 1000 } }, "read_ratio": 1,
            "keys": { "count": 1 } } });
        let cache = json!({ "id": "k", "kind": "cache", "config": { "coalesce": coalesce } });
        let db = json!({ "id": "d", "kind": "database", "config": {
            "read_time": { "constant": { "ms": 50 } } } });
        run(&scenario(
            json!([client, cache, db]),
            json!([{ "from": "c", "to": "k" }, { "from": "k", "to": "d" }]),
            json!({ "requests": 200 }),
        ))
    };
    let stampede = at(false);
    assert_eq!(
        node(&stampede, "d").arrivals,
        51,
        "every early reader goes to the store"
    );
    assert_eq!(node(&stampede, "k").coalesced, Some(0));
    let single = at(true);
    assert_eq!(node(&single, "d").arrivals, 1, "one read reaches the store");
    assert_eq!(node(&single, "k").coalesced, Some(50));
    assert_eq!(single.requests.completed, 200);
    // The waiters get the fill's answer: read k waited from k + 1 ms to 51 ms.
    assert_eq!(single.latency_ms.max, 51.0);
}
