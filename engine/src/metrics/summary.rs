//! The summary of a run: one serialisable object, built by one function, printed by the
//! command-line tool and shown by the app. Wall-clock figures never go in here, so the same
//! scenario and seed give the same text everywhere.

use super::{Ended, Histogram};
use crate::components::Kind;
use crate::sim::events::{Outcome, OutcomeClass};
use crate::sim::Simulation;
use crate::time::{as_ms, as_secs, SimTime};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// Everything a run measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    /// Fraction of measured requests that failed, timed out or were dropped.
    pub error_rate: f64,
    /// Hits over lookups, all caches; null without caches.
    pub cache_hit_ratio: Option<f64>,
    /// Background jobs, when the scenario has message queues.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jobs: Option<JobCounts>,
    /// Per node, keyed by node id, in scenario order.
    #[serde(serialize_with = "as_map")]
    pub nodes: Vec<(String, NodeSummary)>,
    /// Fixed windows of simulated time.
    pub series: SeriesSummary,
    /// Hop traces of a sample of requests and jobs.
    pub traces: Vec<TraceSummary>,
}

/// Counts of client requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    #[serde(serialize_with = "as_map")]
    pub by_outcome: Vec<(&'static str, u64)>,
}

/// Latency statistics in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilisation: Option<f64>,
    /// Time-averaged number waiting.
    pub mean_queue_length: f64,
    /// Most waiting at once.
    pub max_queue_length: u64,
    /// Waiting now.
    pub queue_depth: u64,
    /// Mean wait before work started, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_wait_ms: Option<f64>,
    /// Mean local work time, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_service_ms: Option<f64>,
    /// Mean time from arrival to answer, calls included, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_time_in_node_ms: Option<f64>,
    /// Cache hits over lookups (caches only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// Utilisation in each window of `series` (nodes with servers only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub utilisation_series: Vec<f64>,
    /// Mean number waiting in each window of `series` (nodes that queue only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queue_length_series: Vec<f64>,
}

/// The time series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSummary {
    /// Window width, seconds.
    pub window_s: f64,
    /// True if the run had more windows than are kept.
    pub truncated: bool,
    /// The windows, oldest first.
    pub windows: Vec<WindowSummary>,
}

/// One window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowSummary {
    /// End of the window, seconds.
    pub t: f64,
    /// Completions per second in it.
    pub throughput_per_s: f64,
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
}

/// One traced request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceSummary {
    /// Sequence number.
    pub id: u64,
    /// A background job rather than a client request.
    pub job: bool,
    /// For a job, the request (or job) that published it.
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
        }
    }

    /// The summary as the JSON text the command-line tool prints.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a summary always serialises")
    }
}

fn nodes(sim: &Simulation, end: SimTime, span: SimTime) -> Vec<(String, NodeSummary)> {
    let core = sim.core();
    sim.node_ids()
        .iter()
        .zip(core.stats.iter().zip(&core.kinds))
        .map(|(id, (stats, &kind))| {
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
                hit_ratio: (kind == Kind::Cache)
                    .then(|| ratio(s.hits, s.hits + s.misses))
                    .flatten(),
                utilisation_series: s.utilisation_series.clone(),
                queue_length_series: if queues(kind) {
                    s.queue_length_series.clone()
                } else {
                    Vec::new()
                },
            };
            (id.clone(), summary)
        })
        .collect()
}

/// Kinds where requests can wait.
fn queues(kind: Kind) -> bool {
    matches!(kind, Kind::Service | Kind::Database | Kind::Queue)
}

fn series(core: &crate::sim::core::Core) -> SeriesSummary {
    let width = core.series.width();
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
                completed: w.completed,
                errors: w.errors,
                dropped: w.dropped,
                p50_ms: as_ms(w.p50),
                p95_ms: as_ms(w.p95),
                p99_ms: as_ms(w.p99),
                hit_ratio: ratio(w.hits, w.hits + w.misses),
                queue_depth: w.queued,
                jobs_queued: w.jobs_queued,
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
            let mut hops: Vec<HopSummary> = t
                .hops
                .iter()
                .map(|h| HopSummary {
                    node: ids[h.node as usize].clone(),
                    arrive_ms: as_ms(h.arrive),
                    start_ms: as_ms(h.start),
                    leave_ms: as_ms(h.leave),
                    outcome: h.outcome.name(),
                })
                .collect();
            hops.sort_by(|a, b| a.arrive_ms.total_cmp(&b.arrive_ms));
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
    LatencySummary {
        count: h.count(),
        mean: ns_to_ms(h.mean()),
        p50: as_ms(h.quantile(0.5)),
        p95: as_ms(h.quantile(0.95)),
        p99: as_ms(h.quantile(0.99)),
        p999: as_ms(h.quantile(0.999)),
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

/// Serialises `(key, value)` pairs as a JSON object, keeping their order.
fn as_map<K: Serialize, V: Serialize, S: Serializer>(
    pairs: &[(K, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
