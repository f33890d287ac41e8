//! What one node measures: arrivals, outcomes, and time-weighted levels (busy servers, queue).

use crate::time::SimTime;

/// Counters and time integrals of one node. Levels are integrated only after the warm-up.
#[derive(Clone, Debug, Default)]
pub struct NodeStats {
    /// Requests (or jobs) that reached the node; for a client, the requests it created.
    pub arrivals: u64,
    /// Answered successfully by this node (its part of the work done).
    pub answered: u64,
    /// Refused here because the queue was full.
    pub dropped: u64,
    /// Given up here because the node's deadline passed.
    pub timed_out: u64,
    /// Failed here (no route, hop limit).
    pub failed: u64,
    /// Cache hits (caches only).
    pub hits: u64,
    /// Cache misses (caches only).
    pub misses: u64,
    /// Of those misses, the reads that waited for a fill already on its way (caches with
    /// `coalesce` only).
    pub coalesced: u64,
    /// Reads answered from a stale copy because the store failed (caches with
    /// `stale_if_error_ms` only).
    pub served_stale: u64,
    /// Reads whose data this node answered with, checked against what they had to see
    /// (measured requests that ended ok, stores and caches: sim/data.rs).
    pub reads_served: u64,
    /// Of those, the reads that came back older than the newest acknowledged write.
    pub stale_reads: u64,
    /// Of those, the reads older than their own session's newest acknowledged write.
    pub stale_own_reads: u64,
    /// Fills with a version older than a write that invalidated the key while the fill was
    /// on its way (caches: the refill race).
    pub refill_races: u64,
    /// Retries this node's calls made (measured requests only).
    pub retries: u64,
    /// Hedges this node's calls sent (measured requests only).
    pub hedges: u64,
    /// Of those, the hedges whose answer came first.
    pub hedges_won: u64,
    /// Servers (workers, connections) the node has; 0 for nodes that do no queued work.
    pub servers: u32,
    /// Servers busy right now.
    pub busy: u32,
    /// Waiting right now.
    pub queued: u64,
    /// Most ever waiting at once.
    pub max_queued: u64,
    busy_area: f64,
    queue_area: f64,
    last_change: SimTime,
    /// The same integrals over the current time-series window (from its start, warm-up or not).
    window_busy_area: f64,
    window_queue_area: f64,
    /// Per window: busy fraction of the servers (nodes with servers only).
    pub utilisation_series: Vec<f64>,
    /// Per window: time-averaged number waiting.
    pub queue_length_series: Vec<f64>,
    wait: Mean,
    service: Mean,
    residence: Mean,
    /// Local work finished for nobody: its callers had given up (measured requests only).
    wasted: Mean,
}

/// A running mean of durations.
#[derive(Clone, Copy, Debug, Default)]
struct Mean {
    sum: u128,
    count: u64,
}

impl Mean {
    fn add(&mut self, d: SimTime) {
        self.sum += d as u128;
        self.count += 1;
    }

    fn value(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }
}

impl NodeStats {
    /// Empty statistics for a node with `servers` servers.
    pub fn with_servers(servers: u32) -> Self {
        NodeStats {
            servers,
            ..NodeStats::default()
        }
    }

    /// Changes the busy and waiting levels at `now`, integrating the old ones since the later
    /// of the last change and `from` (the end of the warm-up).
    #[inline]
    pub fn set_levels(&mut self, now: SimTime, from: SimTime, busy: u32, queued: u64) {
        self.integrate(now, from);
        self.busy = busy;
        self.queued = queued;
        self.max_queued = self.max_queued.max(queued);
    }

    #[inline]
    fn integrate(&mut self, now: SimTime, from: SimTime) {
        if now > self.last_change {
            let dt = (now - self.last_change) as f64;
            self.window_busy_area += self.busy as f64 * dt;
            self.window_queue_area += self.queued as f64 * dt;
        }
        let start = self.last_change.max(from);
        if now > start {
            let dt = (now - start) as f64;
            self.busy_area += self.busy as f64 * dt;
            self.queue_area += self.queued as f64 * dt;
        }
        self.last_change = now;
    }

    /// Ends a time-series window of `width` at `end`: records the window's utilisation and
    /// mean queue length and starts the next window's integrals.
    pub fn close_window(&mut self, end: SimTime, width: SimTime, from: SimTime) {
        self.integrate(end, from);
        let width = width.max(1) as f64;
        if self.servers > 0 {
            self.utilisation_series
                .push(self.window_busy_area / (self.servers as f64 * width));
        }
        self.queue_length_series
            .push(self.window_queue_area / width);
        self.window_busy_area = 0.0;
        self.window_queue_area = 0.0;
    }

    /// Records how long a measured request waited in the queue before work started.
    #[inline]
    pub fn record_wait(&mut self, wait: SimTime) {
        self.wait.add(wait);
    }

    /// Records how long a measured request's local work took.
    #[inline]
    pub fn record_service(&mut self, service: SimTime) {
        self.service.add(service);
    }

    /// Records `work` done for a request nobody waited for any more.
    #[inline]
    pub fn record_waste(&mut self, work: SimTime) {
        self.wasted.add(work);
    }

    /// How many pieces of work were wasted, and how long they took in all.
    pub fn wasted(&self) -> (u64, SimTime) {
        (self.wasted.count, self.wasted.sum as SimTime)
    }

    /// Records how long a measured request spent at the node, arrival to answer, calls included.
    #[inline]
    pub fn record_residence(&mut self, residence: SimTime) {
        self.residence.add(residence);
    }

    /// Closes the integrals at `now` without changing the levels (for a report).
    pub fn settle(&mut self, now: SimTime, from: SimTime) {
        self.integrate(now, from);
    }

    /// Fraction of server capacity in use over `span` nanoseconds, if the node has servers.
    pub fn utilisation(&self, span: SimTime) -> Option<f64> {
        (self.servers > 0 && span > 0).then(|| self.busy_area / (self.servers as f64 * span as f64))
    }

    /// Time-averaged number waiting over `span`.
    pub fn mean_queue_length(&self, span: SimTime) -> f64 {
        if span > 0 {
            self.queue_area / span as f64
        } else {
            0.0
        }
    }

    /// Mean queue wait in nanoseconds.
    pub fn mean_wait(&self) -> Option<f64> {
        self.wait.value()
    }

    /// Mean local work time in nanoseconds.
    pub fn mean_service(&self) -> Option<f64> {
        self.service.value()
    }

    /// Mean time at the node in nanoseconds.
    pub fn mean_residence(&self) -> Option<f64> {
        self.residence.value()
    }

    /// How many waits were recorded.
    pub fn waits_recorded(&self) -> u64 {
        self.wait.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact, hand-computable: one server busy from 2 to 6 and 8 to 10 over a 10-unit span, with
    /// the first unit excluded as warm-up.
    #[test]
    fn utilisation_and_queue_length_are_time_averages_after_warmup() {
        let mut s = NodeStats {
            servers: 1,
            ..NodeStats::default()
        };
        let from = 0;
        s.set_levels(2, from, 1, 0);
        s.set_levels(4, from, 1, 2);
        s.set_levels(6, from, 0, 0);
        s.set_levels(8, from, 1, 0);
        s.settle(10, from);
        assert_eq!(s.utilisation(10), Some(0.6));
        assert_eq!(s.mean_queue_length(10), 0.4);
        // Windows of 5: busy 2 to 5 then 6 to 8 and so on.
        let mut w = NodeStats::with_servers(1);
        w.set_levels(2, 0, 1, 0);
        w.set_levels(4, 0, 1, 2);
        w.close_window(5, 5, 0);
        w.set_levels(6, 0, 0, 0);
        w.set_levels(8, 0, 1, 0);
        w.close_window(10, 5, 0);
        assert_eq!(w.utilisation_series, [0.6, 0.6]);
        assert_eq!(w.queue_length_series, [0.4, 0.4]);
        assert_eq!(s.max_queued, 2);

        let mut w = NodeStats {
            servers: 2,
            ..NodeStats::default()
        };
        w.set_levels(0, 5, 2, 0);
        w.settle(10, 5);
        assert_eq!(
            w.utilisation(5),
            Some(1.0),
            "time before the warm-up is not counted"
        );
    }
}
