//! The summary of a run: one object, built by one function, printed as JSON by the
//! command-line tool and shown by the app. Wall-clock figures never go in here, so the same
//! scenario and seed give the same text everywhere.

use super::{Ended, Histogram};
use crate::components::shard_router::ShardRow;
use crate::components::{DataRole, Kind};
use crate::json::{self, Json, ToJson};
use crate::sim::events::{Outcome, OutcomeClass};
use crate::sim::Simulation;
use crate::time::{as_ms, as_secs, SimTime};

/// Everything a run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The scenario's name.
    pub scenario: String,
    /// The seed it ran with.
    pub seed: u64,
    /// The engine that ran it: numbers may differ between engine versions.
    pub engine: &'static str,
    /// Events handled.
    pub events: u64,
    /// True if the run reached its end (otherwise this is a snapshot of a run in progress).
    pub finished: bool,
    /// Why the run ended early, if its budget ran out (absent otherwise).
    pub stopped: Option<StoppedSummary>,
    /// Simulated time at the end, in seconds.
    pub simulated_s: f64,
    /// Simulated time measured (after the warm-up), in seconds.
    pub measured_s: f64,
    /// Every client request, by how it ended (conservation holds over these).
    pub requests: RequestCounts,
    /// End-to-end latency of measured, completed requests.
    pub latency_ms: LatencySummary,
    /// Measured completions per simulated second.
    pub throughput_per_s: f64,
    /// Measured completions within their deadline per simulated second (each request counted
    /// once; without deadlines, the same as the throughput).
    pub goodput_per_s: f64,
    /// Fraction of measured requests that failed, timed out or were dropped.
    pub error_rate: f64,
    /// Hits over lookups, all caches; null without caches.
    pub cache_hit_ratio: Option<f64>,
    /// Background jobs, when the scenario has message queues.
    pub jobs: Option<JobCounts>,
    /// Per node, keyed by node id, in scenario order.
    pub nodes: Vec<(String, NodeSummary)>,
    /// Fixed windows of simulated time.
    pub series: SeriesSummary,
    /// Hop traces of a sample of requests and jobs.
    pub traces: Vec<TraceSummary>,
    /// Retries, hedges and breakers, when the scenario has any of them.
    pub policies: Option<PolicySummary>,
    /// Data versions and stale reads, when the scenario has a store (sim/data.rs).
    pub data: Option<DataSummary>,
}

/// What the reads saw of the writes (sim/data.rs).
#[derive(Clone, Debug, PartialEq)]
pub struct DataSummary {
    /// Measured reads that ended ok with data from a store or a cache.
    pub reads_checked: u64,
    /// Of those, reads older than the newest write acknowledged when they began.
    pub stale_reads: u64,
    /// Of those, reads older than their own session's newest acknowledged write.
    pub stale_own_reads: u64,
    /// Cache fills older than a write that invalidated the key while they were on the way.
    pub refill_races: u64,
    /// Keys with an acknowledged write.
    pub keys_written: u64,
    /// Versions held at the end, over every store, key and session (the run budget counts
    /// them).
    pub versions_held: u64,
}

impl ToJson for DataSummary {
    fn to_tree(&self) -> Json {
        Json::object([
            ("reads_checked", self.reads_checked.to_tree()),
            ("stale_reads", self.stale_reads.to_tree()),
            ("stale_own_reads", self.stale_own_reads.to_tree()),
            ("refill_races", self.refill_races.to_tree()),
            ("keys_written", self.keys_written.to_tree()),
            ("versions_held", self.versions_held.to_tree()),
        ])
    }
}

/// What the answer policies did (sim/policies).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySummary {
    /// Retries sent (measured requests).
    pub retries: u64,
    /// Retries a budget refused.
    pub retries_refused: u64,
    /// The most retries that left in one window of `series`: how bunched they were.
    pub retries_peak: u64,
    /// Hedges sent (measured requests).
    pub hedges: u64,
    /// Of those, the hedges that answered first.
    pub hedges_won: u64,
    /// Each breaker, keyed `from->to`, in scenario edge order.
    pub breakers: Vec<(String, BreakerSummary)>,
}

/// One circuit breaker at the end of the run.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakerSummary {
    /// `closed`, `open` or `half_open`.
    pub state: &'static str,
    /// Times it opened.
    pub opened: u64,
    /// Times it turned half-open.
    pub half_opened: u64,
    /// Times it closed again.
    pub closed: u64,
    /// Calls it refused (`circuit_open`).
    pub refused: u64,
}

impl ToJson for PolicySummary {
    fn to_tree(&self) -> Json {
        let breakers = self.breakers.iter().map(|(edge, b)| {
            let tree = Json::object([
                ("state", Json::String(b.state.to_string())),
                ("opened", b.opened.to_tree()),
                ("half_opened", b.half_opened.to_tree()),
                ("closed", b.closed.to_tree()),
                ("refused", b.refused.to_tree()),
            ]);
            (edge.clone(), tree)
        });
        Json::object([
            ("retries", self.retries.to_tree()),
            ("retries_refused", self.retries_refused.to_tree()),
            ("retries_peak", self.retries_peak.to_tree()),
            ("hedges", self.hedges.to_tree()),
            ("hedges_won", self.hedges_won.to_tree()),
            ("breakers", Json::Object(breakers.collect())),
        ])
    }
}

/// A run stopped by its budget (sim/budget.rs).
#[derive(Clone, Debug, PartialEq)]
pub struct StoppedSummary {
    /// A stable code: `in_flight`, `pending_events` or `clock_still`.
    pub code: &'static str,
    /// Why, in words.
    pub reason: String,
    /// When, in simulated seconds.
    pub at_s: f64,
}

impl ToJson for StoppedSummary {
    fn to_tree(&self) -> Json {
        Json::object([
            ("code", Json::String(self.code.to_string())),
            ("reason", self.reason.to_tree()),
            ("at_s", self.at_s.to_tree()),
        ])
    }
}

/// Counts of client requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestCounts {
    /// Created.
    pub generated: u64,
    /// Answered.
    pub completed: u64,
    /// Refused for lack of room.
    pub dropped: u64,
    /// Ended by a deadline.
    pub timed_out: u64,
    /// Ended in an error.
    pub failed: u64,
    /// Not ended yet.
    pub in_flight: u64,
    /// Every ending by its exact reason.
    pub by_outcome: Vec<(&'static str, u64)>,
}

/// Latency statistics in milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencySummary {
    /// Samples.
    pub count: u64,
    /// Exact mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Largest.
    pub max: f64,
}

/// Counts of background jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct JobCounts {
    /// Published to queues.
    pub published: u64,
    /// Done.
    pub done: u64,
    /// Dropped by a full queue.
    pub dropped: u64,
    /// Failed.
    pub failed: u64,
    /// Waiting or being worked on.
    pub in_flight: u64,
    /// Publish-to-done latency of measured jobs.
    pub latency_ms: LatencySummary,
}

/// One node's measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSummary {
    /// Its kind.
    pub kind: Kind,
    /// Requests that reached it.
    pub arrivals: u64,
    /// Answered by it.
    pub answered: u64,
    /// Dropped here.
    pub dropped: u64,
    /// Timed out here.
    pub timed_out: u64,
    /// Failed here.
    pub failed: u64,
    /// Busy fraction of its servers (nodes with servers only).
    pub utilisation: Option<f64>,
    /// Time-averaged number waiting.
    pub mean_queue_length: f64,
    /// Most waiting at once.
    pub max_queue_length: u64,
    /// Waiting now.
    pub queue_depth: u64,
    /// Mean wait before work started, ms.
    pub mean_wait_ms: Option<f64>,
    /// Mean local work time, ms.
    pub mean_service_ms: Option<f64>,
    /// Mean time from arrival to answer, calls included, ms.
    pub mean_time_in_node_ms: Option<f64>,
    /// Pieces of local work finished for nobody (every caller had given up).
    pub wasted: u64,
    /// How long that wasted work took in all, s.
    pub wasted_s: f64,
    /// Cache hits over lookups (caches only).
    pub hit_ratio: Option<f64>,
    /// Misses that waited for a fill already on its way (caches only).
    pub coalesced: Option<u64>,
    /// Reads answered stale because the store failed (caches only).
    pub served_stale: Option<u64>,
    /// Retries its calls made (nodes with a retrying edge out).
    pub retries: Option<u64>,
    /// Hedges its calls sent, and how many of them won (nodes with a hedging edge out).
    pub hedges: Option<(u64, u64)>,
    /// Reads it answered with data, and of those the stale ones and those stale to their
    /// own session (stores and caches, in runs with stores).
    pub reads: Option<ReadCounts>,
    /// Fills older than a write that overtook them (caches, in runs with stores).
    pub refill_races: Option<u64>,
    /// Its shards and the keys that moved between them (shard routers only).
    pub shards: Option<ShardsSummary>,
    /// Utilisation in each window of `series` (nodes with servers only).
    pub utilisation_series: Vec<f64>,
    /// Mean number waiting in each window of `series` (nodes that queue only).
    pub queue_length_series: Vec<f64>,
}

/// A shard router's shards at the end of the run, and its moves over it.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardsSummary {
    /// Per shard, in edge order: its node id and how the router saw it.
    pub shards: Vec<(String, ShardRow)>,
    /// Keys whose shard changed at a reshard (a key moved twice counts twice).
    pub moved_keys: u64,
    /// Reads of a key on its way to another shard, which asked both.
    pub moved_slow: u64,
    /// Keys still waiting to be copied when the run ended.
    pub moving: u64,
}

/// The reads one node answered with data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadCounts {
    /// Reads it answered with data (measured, ended ok).
    pub served: u64,
    /// Of those, older than the newest acknowledged write.
    pub stale: u64,
    /// Of those, older than the reader's own session's newest acknowledged write.
    pub stale_own: u64,
}

/// The time series.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSummary {
    /// Window width, seconds.
    pub window_s: f64,
    /// True if the run had more windows than are kept.
    pub truncated: bool,
    /// The windows, oldest first.
    pub windows: Vec<WindowSummary>,
}

/// One window.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowSummary {
    /// End of the window, seconds.
    pub t: f64,
    /// Completions per second in it.
    pub throughput_per_s: f64,
    /// Completions within their deadline per second in it.
    pub goodput_per_s: f64,
    /// Completed in it.
    pub completed: u64,
    /// Failed or timed out in it.
    pub errors: u64,
    /// Dropped in it.
    pub dropped: u64,
    /// Latency percentiles of its completions, ms.
    pub p50_ms: f64,
    /// See `p50_ms`.
    pub p95_ms: f64,
    /// See `p50_ms`.
    pub p99_ms: f64,
    /// Hits over lookups in it; null without lookups.
    pub hit_ratio: Option<f64>,
    /// Requests waiting at its end.
    pub queue_depth: u64,
    /// Jobs waiting in message queues at its end.
    pub jobs_queued: u64,
    /// Retries sent in it (runs with retries only).
    pub retries: Option<u64>,
    /// Circuit breakers open or half-open at its end (runs with breakers only).
    pub breakers_open: Option<u64>,
    /// Reads checked for staleness that ended in it, and of those the stale ones (runs with
    /// stores only; warm-up included, like the window's other counts).
    pub reads: Option<(u64, u64)>,
}

/// One traced request.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceSummary {
    /// Sequence number.
    pub id: u64,
    /// A background job rather than a client request.
    pub job: bool,
    /// For a job, the request (or job) that published it.
    pub published_by: Option<u64>,
    /// Created, ms.
    pub created_ms: f64,
    /// Ended, ms (null if still in flight).
    pub ended_ms: Option<f64>,
    /// How it ended (null if still in flight).
    pub outcome: Option<&'static str>,
    /// Visits, in arrival order.
    pub hops: Vec<HopSummary>,
}

/// One visit.
#[derive(Clone, Debug, PartialEq)]
pub struct HopSummary {
    /// Node id.
    pub node: String,
    /// Reached it, ms.
    pub arrive_ms: f64,
    /// Work started, ms.
    pub start_ms: f64,
    /// Answered, ms.
    pub leave_ms: f64,
    /// How the visit ended.
    pub outcome: &'static str,
}

// The JSON layout: fields in declaration order; optional node figures left out when they do
// not apply to the kind (`utilisation` of a cache), run-wide ones written as `null`.

impl ToJson for Summary {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("scenario", self.scenario.to_tree()),
            ("seed", self.seed.to_tree()),
            ("engine", Json::String(self.engine.to_string())),
            ("events", self.events.to_tree()),
            ("finished", self.finished.to_tree()),
        ]);
        if let Some(stopped) = &self.stopped {
            out.push("stopped", stopped.to_tree());
        }
        for (key, value) in [
            ("simulated_s", self.simulated_s.to_tree()),
            ("measured_s", self.measured_s.to_tree()),
            ("requests", self.requests.to_tree()),
            ("latency_ms", self.latency_ms.to_tree()),
            ("throughput_per_s", self.throughput_per_s.to_tree()),
            ("goodput_per_s", self.goodput_per_s.to_tree()),
            ("error_rate", self.error_rate.to_tree()),
            ("cache_hit_ratio", self.cache_hit_ratio.to_tree()),
        ] {
            out.push(key, value);
        }
        if let Some(jobs) = &self.jobs {
            out.push("jobs", jobs.to_tree());
        }
        let nodes = self.nodes.iter().map(|(id, n)| (id.clone(), n.to_tree()));
        out.push("nodes", Json::Object(nodes.collect()));
        out.push("series", self.series.to_tree());
        out.push("traces", self.traces.to_tree());
        if let Some(policies) = &self.policies {
            out.push("policies", policies.to_tree());
        }
        if let Some(data) = &self.data {
            out.push("data", data.to_tree());
        }
        out
    }
}

impl ToJson for RequestCounts {
    fn to_tree(&self) -> Json {
        let by_outcome = self
            .by_outcome
            .iter()
            .map(|(k, n)| (k.to_string(), n.to_tree()));
        Json::object([
            ("generated", self.generated.to_tree()),
            ("completed", self.completed.to_tree()),
            ("dropped", self.dropped.to_tree()),
            ("timed_out", self.timed_out.to_tree()),
            ("failed", self.failed.to_tree()),
            ("in_flight", self.in_flight.to_tree()),
            ("by_outcome", Json::Object(by_outcome.collect())),
        ])
    }
}

impl ToJson for LatencySummary {
    fn to_tree(&self) -> Json {
        Json::object([
            ("count", self.count.to_tree()),
            ("mean", self.mean.to_tree()),
            ("p50", self.p50.to_tree()),
            ("p95", self.p95.to_tree()),
            ("p99", self.p99.to_tree()),
            ("p999", self.p999.to_tree()),
            ("max", self.max.to_tree()),
        ])
    }
}

impl ToJson for JobCounts {
    fn to_tree(&self) -> Json {
        Json::object([
            ("published", self.published.to_tree()),
            ("done", self.done.to_tree()),
            ("dropped", self.dropped.to_tree()),
            ("failed", self.failed.to_tree()),
            ("in_flight", self.in_flight.to_tree()),
            ("latency_ms", self.latency_ms.to_tree()),
        ])
    }
}

impl ToJson for NodeSummary {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("kind", Json::String(self.kind.name().to_string())),
            ("arrivals", self.arrivals.to_tree()),
            ("answered", self.answered.to_tree()),
            ("dropped", self.dropped.to_tree()),
            ("timed_out", self.timed_out.to_tree()),
            ("failed", self.failed.to_tree()),
        ]);
        push_some(&mut out, "utilisation", self.utilisation);
        out.push("mean_queue_length", self.mean_queue_length.to_tree());
        out.push("max_queue_length", self.max_queue_length.to_tree());
        out.push("queue_depth", self.queue_depth.to_tree());
        push_some(&mut out, "mean_wait_ms", self.mean_wait_ms);
        push_some(&mut out, "mean_service_ms", self.mean_service_ms);
        push_some(&mut out, "mean_time_in_node_ms", self.mean_time_in_node_ms);
        out.push("wasted", self.wasted.to_tree());
        out.push("wasted_s", self.wasted_s.to_tree());
        push_some(&mut out, "hit_ratio", self.hit_ratio);
        if let Some(n) = self.coalesced {
            out.push("coalesced", n.to_tree());
        }
        if let Some(n) = self.served_stale {
            out.push("served_stale", n.to_tree());
        }
        if let Some(n) = self.retries {
            out.push("retries", n.to_tree());
        }
        if let Some((sent, won)) = self.hedges {
            out.push("hedges", sent.to_tree());
            out.push("hedges_won", won.to_tree());
        }
        if let Some(reads) = self.reads {
            out.push("reads_served", reads.served.to_tree());
            out.push("stale_reads", reads.stale.to_tree());
            out.push("stale_own_reads", reads.stale_own.to_tree());
        }
        if let Some(n) = self.refill_races {
            out.push("refill_races", n.to_tree());
        }
        if let Some(table) = &self.shards {
            let shards = table.shards.iter().map(|(id, row)| {
                Json::object([
                    ("node", id.to_tree()),
                    ("serving", row.serving.to_tree()),
                    ("keys", row.keys.to_tree()),
                    ("routed", row.routed.to_tree()),
                ])
            });
            out.push("shards", Json::Array(shards.collect()));
            out.push("moved_keys", table.moved_keys.to_tree());
            out.push("moved_slow", table.moved_slow.to_tree());
            out.push("moving", table.moving.to_tree());
        }
        if !self.utilisation_series.is_empty() {
            out.push("utilisation_series", self.utilisation_series.to_tree());
        }
        if !self.queue_length_series.is_empty() {
            out.push("queue_length_series", self.queue_length_series.to_tree());
        }
        out
    }
}

/// Adds `key: x` when there is an `x`.
fn push_some(out: &mut Json, key: &str, value: Option<f64>) {
    if let Some(x) = value {
        out.push(key, x.to_tree());
    }
}

impl ToJson for SeriesSummary {
    fn to_tree(&self) -> Json {
        Json::object([
            ("window_s", self.window_s.to_tree()),
            ("truncated", self.truncated.to_tree()),
            ("windows", self.windows.to_tree()),
        ])
    }
}

impl ToJson for WindowSummary {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("t", self.t.to_tree()),
            ("throughput_per_s", self.throughput_per_s.to_tree()),
            ("goodput_per_s", self.goodput_per_s.to_tree()),
            ("completed", self.completed.to_tree()),
            ("errors", self.errors.to_tree()),
            ("dropped", self.dropped.to_tree()),
            ("p50_ms", self.p50_ms.to_tree()),
            ("p95_ms", self.p95_ms.to_tree()),
            ("p99_ms", self.p99_ms.to_tree()),
            ("hit_ratio", self.hit_ratio.to_tree()),
            ("queue_depth", self.queue_depth.to_tree()),
            ("jobs_queued", self.jobs_queued.to_tree()),
        ]);
        if let Some(n) = self.retries {
            out.push("retries", n.to_tree());
        }
        if let Some(n) = self.breakers_open {
            out.push("breakers_open", n.to_tree());
        }
        if let Some((checked, stale)) = self.reads {
            out.push("reads_checked", checked.to_tree());
            out.push("stale_reads", stale.to_tree());
        }
        out
    }
}

impl ToJson for TraceSummary {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([("id", self.id.to_tree()), ("job", self.job.to_tree())]);
        if let Some(publisher) = self.published_by {
            out.push("published_by", publisher.to_tree());
        }
        out.push("created_ms", self.created_ms.to_tree());
        out.push("ended_ms", self.ended_ms.to_tree());
        let outcome = self
            .outcome
            .map_or(Json::Null, |o| Json::String(o.to_string()));
        out.push("outcome", outcome);
        out.push("hops", self.hops.to_tree());
        out
    }
}

impl ToJson for HopSummary {
    fn to_tree(&self) -> Json {
        Json::object([
            ("node", self.node.to_tree()),
            ("arrive_ms", self.arrive_ms.to_tree()),
            ("start_ms", self.start_ms.to_tree()),
            ("leave_ms", self.leave_ms.to_tree()),
            ("outcome", Json::String(self.outcome.to_string())),
        ])
    }
}

impl Summary {
    /// Builds the summary of `sim` as it stands.
    pub fn build(sim: &Simulation) -> Self {
        let core = sim.core();
        let end = core.now;
        let span = end.saturating_sub(core.warmup);
        let totals = &core.totals;
        let c = sim.conservation();
        let measured_ended = totals.measured.total();
        let lookups = totals.hits + totals.misses;
        Summary {
            scenario: sim.name().to_string(),
            seed: sim.seed(),
            engine: crate::ENGINE_VERSION,
            events: sim.events(),
            finished: sim.is_finished(),
            stopped: sim.stopped().map(|s| StoppedSummary {
                code: s.reason.code(),
                reason: s.reason.message(),
                at_s: as_secs(s.at),
            }),
            simulated_s: as_secs(end),
            measured_s: as_secs(span),
            requests: RequestCounts {
                generated: c.generated,
                completed: c.completed,
                dropped: c.dropped,
                timed_out: c.timed_out,
                failed: c.failed,
                in_flight: c.in_flight,
                by_outcome: by_outcome(&totals.ended),
            },
            latency_ms: latency(&totals.latency),
            throughput_per_s: per_second(totals.measured.of(Outcome::Ok), sim.throughput_span()),
            goodput_per_s: per_second(
                totals.measured.of(Outcome::Ok) - totals.late,
                sim.throughput_span(),
            ),
            error_rate: ratio(
                measured_ended - totals.measured.class(OutcomeClass::Completed),
                measured_ended,
            )
            .unwrap_or(0.0),
            cache_hit_ratio: ratio(totals.hits, lookups),
            jobs: (totals.jobs_published > 0).then(|| JobCounts {
                published: totals.jobs_published,
                done: totals.jobs_ended.of(Outcome::Ok),
                dropped: totals.jobs_ended.class(OutcomeClass::Dropped),
                failed: totals.jobs_ended.total()
                    - totals.jobs_ended.of(Outcome::Ok)
                    - totals.jobs_ended.class(OutcomeClass::Dropped),
                in_flight: core.jobs_live,
                latency_ms: latency(&totals.job_latency),
            }),
            nodes: nodes(sim, end, span),
            series: series(core),
            traces: traces(sim),
            policies: policies(sim),
            data: data(core),
        }
    }

    /// The summary as the JSON text the command-line tool prints.
    pub fn to_json(&self) -> String {
        json::pretty(&self.to_tree())
    }
}

fn nodes(sim: &Simulation, end: SimTime, span: SimTime) -> Vec<(String, NodeSummary)> {
    let core = sim.core();
    sim.node_ids()
        .iter()
        .zip(core.stats.iter().zip(&core.kinds))
        .enumerate()
        .map(|(node, (id, (stats, &kind)))| {
            let node = node as u32;
            let mut s = stats.clone();
            s.settle(end, core.warmup);
            let summary = NodeSummary {
                kind,
                arrivals: s.arrivals,
                answered: s.answered,
                dropped: s.dropped,
                timed_out: s.timed_out,
                failed: s.failed,
                utilisation: s.utilisation(span),
                mean_queue_length: s.mean_queue_length(span),
                max_queue_length: s.max_queued,
                queue_depth: s.queued,
                mean_wait_ms: s.mean_wait().map(ns_to_ms),
                mean_service_ms: s.mean_service().map(ns_to_ms),
                mean_time_in_node_ms: s.mean_residence().map(ns_to_ms),
                wasted: s.wasted().0,
                wasted_s: as_secs(s.wasted().1),
                // Only a kind that looks keys up counts hits and misses.
                hit_ratio: ratio(s.hits, s.hits + s.misses),
                coalesced: (s.hits + s.misses > 0).then_some(s.coalesced),
                served_stale: (s.hits + s.misses > 0).then_some(s.served_stale),
                retries: sim.node_retries(node).then_some(s.retries),
                hedges: sim.node_hedges(node).then_some((s.hedges, s.hedges_won)),
                reads: (core.data.on
                    && matches!(kind.spec().rules.data, DataRole::Store | DataRole::Front))
                .then_some(ReadCounts {
                    served: s.reads_served,
                    stale: s.stale_reads,
                    stale_own: s.stale_own_reads,
                }),
                refill_races: (core.data.on && s.hits + s.misses > 0).then_some(s.refill_races),
                shards: shards(sim, node),
                utilisation_series: s.utilisation_series.clone(),
                queue_length_series: if kind.spec().rules.has_queue {
                    s.queue_length_series.clone()
                } else {
                    Vec::new()
                },
            };
            (id.clone(), summary)
        })
        .collect()
}

fn shards(sim: &Simulation, node: u32) -> Option<ShardsSummary> {
    let table = sim.shard_table(node as usize)?;
    let core = sim.core();
    let links = core.topology.links_of(node);
    let ids = sim.node_ids();
    Some(ShardsSummary {
        shards: links
            .iter()
            .zip(table.shards)
            .map(|(link, row)| (ids[link.to as usize].clone(), row))
            .collect(),
        moved_keys: table.moved_keys,
        moved_slow: table.moved_slow,
        moving: table.moving,
    })
}

fn data(core: &crate::sim::core::Core) -> Option<DataSummary> {
    let totals = &core.totals;
    core.data.on.then(|| DataSummary {
        reads_checked: totals.reads_checked,
        stale_reads: totals.stale_reads,
        stale_own_reads: totals.stale_own_reads,
        refill_races: totals.refill_races,
        keys_written: core.data.keys_written() as u64,
        versions_held: core.data.held() as u64,
    })
}

fn policies(sim: &Simulation) -> Option<PolicySummary> {
    let core = sim.core();
    if !core.policy.any {
        return None;
    }
    let ids = sim.node_ids();
    let breakers = core
        .topology
        .edge_order()
        .iter()
        .filter_map(|&edge| {
            let b = core.policy.breaker(edge)?;
            let from = core.topology.caller_of(edge);
            let to = core.topology.edge(edge).to;
            let counts = b.counts();
            let summary = BreakerSummary {
                state: b.state().name(),
                opened: counts.opened,
                half_opened: counts.half_opened,
                closed: counts.closed,
                refused: counts.refused,
            };
            Some((
                format!("{}->{}", ids[from as usize], ids[to as usize]),
                summary,
            ))
        })
        .collect();
    let stats = &core.stats;
    Some(PolicySummary {
        retries: core.totals.retries,
        retries_refused: core.totals.retries_refused,
        retries_peak: core
            .series
            .windows()
            .iter()
            .map(|w| w.retries)
            .max()
            .unwrap_or(0),
        hedges: stats.iter().map(|s| s.hedges).sum(),
        hedges_won: stats.iter().map(|s| s.hedges_won).sum(),
        breakers,
    })
}

fn series(core: &crate::sim::core::Core) -> SeriesSummary {
    let width = core.series.width();
    let retries = core.policy.retries_anywhere();
    let breakers = core.policy.breakers_anywhere();
    SeriesSummary {
        window_s: as_secs(width),
        truncated: core.series.truncated(),
        windows: core
            .series
            .windows()
            .iter()
            .map(|w| WindowSummary {
                t: as_secs(w.end),
                throughput_per_s: per_second(w.completed, width),
                goodput_per_s: per_second(w.completed - w.late, width),
                completed: w.completed,
                errors: w.errors,
                dropped: w.dropped,
                p50_ms: as_ms(w.p50),
                p95_ms: as_ms(w.p95),
                p99_ms: as_ms(w.p99),
                hit_ratio: ratio(w.hits, w.hits + w.misses),
                queue_depth: w.queued,
                jobs_queued: w.jobs_queued,
                retries: retries.then_some(w.retries),
                breakers_open: breakers.then_some(w.breakers_open),
                reads: core.data.on.then_some((w.reads_checked, w.stale_reads)),
            })
            .collect(),
    }
}

fn traces(sim: &Simulation) -> Vec<TraceSummary> {
    let ids = sim.node_ids();
    sim.core()
        .traces
        .traces()
        .iter()
        .map(|t| {
            // Hops are recorded as they leave; a trace reads in arrival order. A stable
            // insertion (a trace has a few dozen hops at most) keeps simultaneous arrivals
            // in the order they left, without a sort's generic code in the browser bundle.
            let mut hops: Vec<HopSummary> = Vec::with_capacity(t.hops.len());
            for h in &t.hops {
                let hop = HopSummary {
                    node: ids[h.node as usize].clone(),
                    arrive_ms: as_ms(h.arrive),
                    start_ms: as_ms(h.start),
                    leave_ms: as_ms(h.leave),
                    outcome: h.outcome.name(),
                };
                let at = hops.partition_point(|x| x.arrive_ms <= hop.arrive_ms);
                hops.insert(at, hop);
            }
            TraceSummary {
                id: t.id,
                job: t.job,
                published_by: t.published_by,
                created_ms: as_ms(t.created),
                ended_ms: t.ended.map(|(at, _)| as_ms(at)),
                outcome: t.ended.map(|(_, o)| o.name()),
                hops,
            }
        })
        .collect()
}

fn latency(h: &Histogram) -> LatencySummary {
    let [p50, p95, p99, p999] = h.quantiles([0.5, 0.95, 0.99, 0.999]);
    LatencySummary {
        count: h.count(),
        mean: ns_to_ms(h.mean()),
        p50: as_ms(p50),
        p95: as_ms(p95),
        p99: as_ms(p99),
        p999: as_ms(p999),
        max: as_ms(h.max()),
    }
}

fn by_outcome(ended: &Ended) -> Vec<(&'static str, u64)> {
    Outcome::ALL
        .iter()
        .map(|&o| (o.name(), ended.of(o)))
        .collect()
}

fn ns_to_ms(ns: f64) -> f64 {
    ns / 1e6
}

fn per_second(count: u64, span: SimTime) -> f64 {
    if span == 0 {
        0.0
    } else {
        count as f64 / as_secs(span)
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
