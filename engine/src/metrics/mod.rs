//! Measurements: end-to-end latency, counts of every way a request ends, per-node levels,
//! time series, and hop traces. Everything here is filled by the engine and read by reports.

pub mod histogram;
mod node;
pub mod series;
pub mod summary;
pub mod trace;

pub use histogram::Histogram;
pub use node::NodeStats;
pub use series::{Series, Window};
pub use summary::Summary;

use crate::sim::events::{Outcome, OutcomeClass};

/// Counts of ended requests (or jobs) by outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    by_outcome: [u64; Outcome::ALL.len()],
}

impl Ended {
    /// Counts one ending.
    #[inline]
    pub fn add(&mut self, outcome: Outcome) {
        self.by_outcome[outcome as usize] += 1;
    }

    /// Endings with this exact outcome.
    pub fn of(&self, outcome: Outcome) -> u64 {
        self.by_outcome[outcome as usize]
    }

    /// Endings in this class.
    pub fn class(&self, class: OutcomeClass) -> u64 {
        Outcome::ALL
            .iter()
            .filter(|o| o.class() == class)
            .map(|&o| self.of(o))
            .sum()
    }

    /// All endings.
    pub fn total(&self) -> u64 {
        self.by_outcome.iter().sum()
    }
}

/// Run-wide counters for client requests and for background jobs.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Client requests created.
    pub generated: u64,
    /// How every client request that ended, ended.
    pub ended: Ended,
    /// The same, for requests created after the warm-up only.
    pub measured: Ended,
    /// End-to-end latency of measured, completed client requests.
    pub latency: Histogram,
    /// Measured client requests that ended ok after their deadline (not goodput).
    pub late: u64,
    /// Jobs published to queues.
    pub jobs_published: u64,
    /// How every job that ended, ended.
    pub jobs_ended: Ended,
    /// Publish-to-done latency of measured, completed jobs.
    pub job_latency: Histogram,
    /// Cache hits, all caches.
    pub hits: u64,
    /// Cache misses, all caches.
    pub misses: u64,
    /// Retries sent, for measured requests.
    pub retries: u64,
    /// Retries a budget refused (the failure went to the caller), all requests.
    pub retries_refused: u64,
    /// Measured reads that ended ok with data, checked for staleness (sim/data.rs).
    pub reads_checked: u64,
    /// Of those, the reads older than the newest acknowledged write when they began.
    pub stale_reads: u64,
    /// Of those, the reads older than their own session's newest acknowledged write.
    pub stale_own_reads: u64,
    /// Cache fills older than a write that invalidated the key while they were on the way.
    pub refill_races: u64,
}

/// The conservation identity at one instant: every request created is either still in flight
/// or ended in exactly one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conservation {
    /// Requests created.
    pub generated: u64,
    /// Answered successfully.
    pub completed: u64,
    /// Ended in an error.
    pub failed: u64,
    /// Refused for lack of room.
    pub dropped: u64,
    /// Ended by a deadline.
    pub timed_out: u64,
    /// Not yet ended.
    pub in_flight: u64,
}

impl Conservation {
    /// True if the books balance.
    pub fn holds(&self) -> bool {
        self.generated
            == self.completed + self.failed + self.dropped + self.timed_out + self.in_flight
    }
}
