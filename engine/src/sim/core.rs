//! The engine's shared state: clock, event queue, arenas, streams and measurements. Component
//! state lives beside it (in `Simulation::nodes`) so a handler can borrow both at once.

use super::calls::{CallId, CallSlots, NO_CALL};
use super::data::{Data, Datum, NO_DATUM, NO_GROUP, NO_VALUE};
use super::events::{Event, EventQueue, Outcome, Status};
use super::faults::FaultState;
use super::frames::{Arena, Frame, Op, Request, ANSWERED, NONE};
use super::motion::{Leg, Motion};
use super::policies::Policies;
use super::timers::NodeTimers;
use super::topology::{Link, Topology};
use crate::components::Kind;
use crate::metrics::trace::TraceStore;
use crate::metrics::{NodeStats, Series, Totals};
use crate::random::Stream;
use crate::time::SimTime;

/// Everything but the components' own state.
pub struct Core {
    pub(crate) now: SimTime,
    pub(crate) queue: EventQueue,
    pub(crate) frames: Arena<Frame>,
    pub(crate) requests: Arena<Request>,
    pub(crate) rngs: Vec<Stream>,
    pub(crate) stats: Vec<NodeStats>,
    pub(crate) kinds: Vec<Kind>,
    pub(crate) topology: Topology,
    pub(crate) warmup: SimTime,
    /// At most `u16::MAX`, the deepest a frame can be.
    pub(crate) hop_limit: u16,
    /// Client requests that may still be created (`None`: no limit, the clock stops the run).
    pub(crate) arrivals_left: Option<u64>,
    pub(crate) totals: Totals,
    pub(crate) series: Series,
    pub(crate) traces: TraceStore,
    pub(crate) jobs_live: u64,
    /// Client requests created and not yet ended (their frames may outlive them as orphans).
    pub(crate) requests_open: u64,
    /// Armed node timers.
    pub(crate) timers: NodeTimers,
    /// Calls out, each waiting for its answer.
    pub(crate) calls: CallSlots,
    /// Client arrivals scheduled and not yet popped (live or dead): with no frame alive, a
    /// `requests` run is over once none of them can still create a request.
    pub(crate) pending_generates: u64,
    /// When the latest client request ended: a drained run's throughput is measured up to
    /// here, not to the end of the background jobs.
    pub(crate) last_request_end: SimTime,
    /// Trips along edges, kept only while a viewer asks for them.
    pub(crate) motions: Option<Vec<Motion>>,
    /// Always empty: what `drain_motions` drains when nothing is recorded.
    pub(crate) no_motions: Vec<Motion>,
    /// The run's faults and what those in force do now.
    pub(crate) faults: FaultState,
    /// True if any edge has a policy (a timeout, a deadline, a bulkhead, retries, a breaker,
    /// a hedge): the one check where a call leaves (where its answer returns, `guarded`
    /// covers).
    pub(crate) policies: bool,
    /// True if any client edge sets a deadline: requests are checked against theirs where
    /// they reach a node, and where their turn for work comes.
    pub(crate) deadlines: bool,
    /// True if the dispatcher looks at each event before its node does: the run has faults,
    /// deadlines, bulkheads or answer policies.
    pub(crate) guarded: bool,
    /// True if a caller can stop waiting (a timeout, a fault, a kind that answers before
    /// all its calls have): only then is finished work checked for being wasted.
    pub(crate) can_waste: bool,
    /// One past the latest instant a caller stopped waiting (a call timed out, a frame
    /// answered with work or calls still under way, a crash); 0 if none has. Work for a
    /// request created later than that is awaited by every caller, so it is not looked at.
    pub(crate) gave_up_by: SimTime,
    /// Per edge with a bulkhead: the calls out along it now.
    pub(crate) edge_calls: Vec<u32>,
    /// Retries, breakers and hedges, and what they keep per call.
    pub(crate) policy: Policies,
    /// The data the stores hold, and what reads must see (sim/data.rs).
    pub(crate) data: Data,
    next_job_id: u64,
}

impl Core {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        rngs: Vec<Stream>,
        stats: Vec<NodeStats>,
        kinds: Vec<Kind>,
        topology: Topology,
        warmup: SimTime,
        hop_limit: u16,
        arrivals_left: Option<u64>,
        series: Series,
        traces: TraceStore,
    ) -> Self {
        Core {
            now: 0,
            queue: EventQueue::default(),
            frames: Arena::default(),
            requests: Arena::default(),
            rngs,
            stats,
            kinds,
            topology,
            warmup,
            hop_limit,
            arrivals_left,
            totals: Totals::default(),
            series,
            traces,
            jobs_live: 0,
            requests_open: 0,
            timers: NodeTimers::default(),
            calls: CallSlots::default(),
            pending_generates: 0,
            last_request_end: 0,
            motions: None,
            no_motions: Vec::new(),
            faults: FaultState::default(),
            policies: false,
            deadlines: false,
            can_waste: false,
            guarded: false,
            gave_up_by: 0,
            edge_calls: Vec::new(),
            policy: Policies::default(),
            data: Data::default(),
            next_job_id: 0,
        }
    }

    /// True once nothing can happen any more but background work: no frame is alive (no
    /// request, job or orphaned work in the system) and no client can create another request.
    /// A `requests` run ends here; what is left in the queue are node timers and dead events.
    #[inline]
    pub(crate) fn is_drained(&self) -> bool {
        self.frames.live() == 0 && (self.pending_generates == 0 || self.arrivals_left == Some(0))
    }

    /// Gives back the bulkhead place `call` holds, if it holds one: its answer is in, or its
    /// caller gave up on it.
    #[inline]
    pub(crate) fn leave_bulkhead(&mut self, call: CallId) {
        if let Some(edge) = self.calls.take_place(call) {
            self.edge_calls[edge as usize] -= 1;
        }
    }

    /// Counts `frame`'s local work, ending now, as wasted at its node if nobody waits for
    /// it any more: the frame has answered already (it gave up), or a caller on its way back
    /// to the client stopped waiting (a timeout, a deadline, a crash) or answered.
    #[inline]
    pub(crate) fn count_if_wasted(&mut self, frame: u32) {
        let f = &self.frames[frame];
        let request = &self.requests[f.request];
        // Nobody has given up since the request began: its callers all wait (the usual case,
        // and one comparison instead of a walk up the chain).
        if request.created >= self.gave_up_by || self.awaited(frame) {
            return;
        }
        if request.measured {
            let work = self.now - f.started;
            self.stats[f.node as usize].record_waste(work);
        }
    }

    /// Notes that a caller stops waiting now.
    #[inline]
    pub(crate) fn note_give_up(&mut self) {
        self.gave_up_by = self.now.saturating_add(1);
    }

    /// True if an unbroken chain of callers, each still waiting, leads from `frame` back to
    /// where its request began.
    #[inline]
    fn awaited(&self, frame: u32) -> bool {
        let mut f = &self.frames[frame];
        loop {
            if f.has(ANSWERED) {
                return false;
            }
            if f.is_root() {
                return true;
            }
            match self.calls.caller(f.call) {
                Some(caller) => f = &self.frames[caller],
                None => return false,
            }
        }
    }

    /// True if `frame`'s request has a deadline and it has passed: nothing more is done
    /// for it.
    #[inline]
    pub(crate) fn expired(&self, frame: u32) -> bool {
        self.requests[self.frames[frame].request].deadline <= self.now
    }

    /// Creates a client request with its root frame at the client `node`; a `scan` reads
    /// every shard.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn begin_request(
        &mut self,
        node: u32,
        key: u64,
        client_id: u64,
        op: Op,
        scan: bool,
        route: u16,
    ) -> u32 {
        let id = self.totals.generated;
        self.totals.generated += 1;
        self.requests_open += 1;
        // A client's "arrivals" are the requests it creates: what its badge shows.
        self.stats[node as usize].arrivals += 1;
        if let Some(left) = self.arrivals_left.as_mut() {
            *left = left.saturating_sub(1);
        }
        let trace = self.traces.sample(id, self.now);
        // A write's version is its creation number; a read's is worked out where it reaches its
        // data set (`capture`).
        let version = if self.data.on && op == Op::Write {
            self.data.next_version()
        } else {
            0
        };
        let request = self.requests.insert(Request {
            id,
            key,
            client_id,
            created: self.now,
            route,
            op,
            is_job: false,
            measured: self.now >= self.warmup,
            trace,
            deadline: SimTime::MAX,
            version,
            group: NO_GROUP,
            client: node,
            scan,
            value: NO_DATUM,
            frames: 0,
        });
        self.root_frame(request, node, self.now)
    }

    /// The data `frame` has in hand: in the slot of the call that brought it, or its
    /// request's at the frame where the request began.
    #[inline]
    pub(crate) fn value(&self, frame: u32) -> Datum {
        let f = &self.frames[frame];
        if f.is_root() {
            self.requests[f.request].value
        } else {
            self.calls.value(f.call).unwrap_or(NO_DATUM)
        }
    }

    /// `frame` has `value` in hand.
    #[inline]
    pub(crate) fn set_value(&mut self, frame: u32, value: Datum) {
        let f = self.frames[frame];
        if f.is_root() {
            self.requests[f.request].value = value;
        } else {
            self.calls.set_value(f.call, value);
        }
    }

    /// The answer to `call`, still out, reaches its caller: closes the call and returns the
    /// calling frame, which has in hand the data the answer brings, if any (an answer without
    /// data leaves what the caller had).
    #[inline]
    pub(crate) fn close_carrying_value(&mut self, call: CallId) -> u32 {
        let (caller, value) = self.calls.close_out_with_value(call);
        if value.version != NO_VALUE {
            self.set_value(caller, value);
        }
        caller
    }

    /// `frame`'s request reaches `node`: if it is a read and this is the first node of a data
    /// set it reaches, it learns what it must see there, as of when it was created.
    #[inline]
    pub(crate) fn capture(&mut self, frame: u32, node: u32) {
        // Most nodes hold no data: ask the node before the request.
        let group = self.data.group(node);
        if group == NO_GROUP {
            return;
        }
        let r = &mut self.requests[self.frames[frame].request];
        if r.op != Op::Read || r.scan || r.group != NO_GROUP {
            return;
        }
        (r.group, r.version) = (group, self.data.expected(group, r.key, r.created));
    }

    /// The store `node` applies `frame`'s write.
    #[inline]
    pub(crate) fn store_write(&mut self, frame: u32, node: u32) {
        let r = &mut self.requests[self.frames[frame].request];
        r.group = self.data.group(node);
        self.data.apply(node, r.key, r.version);
    }

    /// Publishes a job on behalf of `parent` to the queue `node`, arriving after `latency`.
    /// The job continues the publisher's hop count (`depth`), so a loop through a queue is
    /// stopped by the hop limit like any other loop.
    pub(crate) fn start_job(
        &mut self,
        parent: &Request,
        from: u32,
        node: u32,
        latency: SimTime,
        depth: u16,
    ) {
        let id = self.next_job_id;
        self.next_job_id += 1;
        self.totals.jobs_published += 1;
        self.jobs_live += 1;
        let trace = self.traces.sample_job(id, parent, self.now);
        let request = self.requests.insert(Request {
            id,
            key: parent.key,
            client_id: parent.client_id,
            created: self.now,
            route: parent.route,
            op: Op::Write,
            is_job: true,
            measured: self.now >= self.warmup,
            trace,
            deadline: SimTime::MAX,
            version: if self.data.on {
                self.data.next_version()
            } else {
                0
            },
            group: NO_GROUP,
            client: node,
            scan: false,
            value: NO_DATUM,
            frames: 0,
        });
        let arrive = self.now.saturating_add(latency);
        let frame = self.root_frame(request, node, arrive);
        self.note_motion(
            Leg::Publish,
            from,
            frame,
            arrive,
            Status {
                outcome: Outcome::Ok,
                origin: from,
            },
        );
        self.frames[frame].depth = depth;
        self.queue.push(arrive, Event::Arrive { frame });
    }

    /// Records a trip of `frame`'s request from `from` to the frame's node (for a call or a
    /// job) or to its caller (for an answer), if a viewer asked for motions.
    #[inline]
    pub(crate) fn note_motion(
        &mut self,
        leg: Leg,
        from: u32,
        frame: u32,
        arrive: SimTime,
        status: Status,
    ) {
        let Some(motions) = self.motions.as_mut() else {
            return;
        };
        let f = &self.frames[frame];
        let request = &self.requests[f.request];
        let to = match leg {
            // The call is still out while its answer travels: its slot names the caller.
            Leg::Answer => match self.calls.caller(f.call) {
                Some(caller) => self.frames[caller].node,
                None => return,
            },
            Leg::Call | Leg::Retry | Leg::Publish => f.node,
        };
        motions.push(Motion {
            leg,
            from,
            to,
            depart: self.now,
            arrive,
            request: request.id,
            job: request.is_job,
            trace: (request.trace != NONE).then_some(request.trace),
            outcome: status.outcome,
            origin: status.origin,
        });
    }

    /// Stores a frame of its request.
    #[inline]
    pub(crate) fn new_frame(&mut self, frame: Frame) -> u32 {
        self.requests[frame.request].frames += 1;
        self.frames.insert_frame(frame)
    }

    /// Frees `frame`, and its request with its last frame.
    #[inline]
    pub(crate) fn free_frame(&mut self, frame: u32) {
        let request = self.frames[frame].request;
        self.frames.remove(frame);
        let r = &mut self.requests[request];
        r.frames -= 1;
        if r.frames == 0 {
            self.requests.remove(request);
        }
    }

    #[inline(always)]
    fn root_frame(&mut self, request: u32, node: u32, arrived: SimTime) -> u32 {
        self.new_frame(Frame {
            request,
            node,
            call: NO_CALL,
            edge: NONE,
            arrived,
            started: arrived,
            depth: 0,
            step: 0,
            calls_out: 0,
            flags: 0,
            generation: 0,
        })
    }

    /// Ends the request or job whose root frame is `frame`.
    pub(crate) fn finish(&mut self, frame: u32, status: Status) {
        let f = self.frames[frame];
        let now = self.now;
        let outcome = status.outcome;
        let request = &self.requests[f.request];
        self.traces.record_hop(request, &f, now, outcome);
        self.traces.end(request, now, outcome);
        if self.data.on && outcome == Outcome::Ok && request.group != NO_GROUP {
            self.settle_data(f.request);
        }
        // What the end needs of the request, read before its last frame frees it (a copy of
        // the whole request costs more than the rest of this function).
        let request = &self.requests[f.request];
        let (created, is_job, measured, deadline) = (
            request.created,
            request.is_job,
            request.measured,
            request.deadline,
        );
        self.free_frame(frame);
        let latency = now - created;
        let totals = &mut self.totals;
        if is_job {
            self.jobs_live -= 1;
            totals.jobs_ended.add(outcome);
            if measured && outcome == Outcome::Ok {
                totals.job_latency.record(latency);
            }
        } else {
            self.requests_open -= 1;
            self.last_request_end = now;
            totals.ended.add(outcome);
            // Answered, but after its deadline: throughput, not goodput.
            let late = self.deadlines && outcome == Outcome::Ok && now >= deadline;
            if measured {
                totals.measured.add(outcome);
                if outcome == Outcome::Ok {
                    totals.latency.record(latency);
                }
                totals.late += u64::from(late);
            }
            self.series.record_end(outcome, latency);
            if late {
                self.series.record_late();
            }
        }
    }

    /// What a request that ended ok, having reached its data set, means for the data: a
    /// write is acknowledged; a read that brought back a version older than it had to see is
    /// stale, counted against the node that answered with it.
    fn settle_data(&mut self, request: u32) {
        let request = &self.requests[request];
        match request.op {
            Op::Write => {
                let session = (!request.is_job).then_some((request.client, request.client_id));
                let (group, now) = (request.group, self.now);
                self.data
                    .acknowledge(group, request.key, request.version, session, now);
            }
            Op::Read if request.value.version != NO_VALUE => {
                let value = request.value.version;
                let stale = value < request.version;
                // Its own session's newest is never newer than the newest of all.
                let own = stale && {
                    let session = (request.client, request.client_id);
                    let (group, key, created) = (request.group, request.key, request.created);
                    value < self.data.own_as_of(group, session, key, created)
                };
                self.series.record_read(stale);
                if !request.measured {
                    return;
                }
                self.totals.reads_checked += 1;
                self.totals.stale_reads += u64::from(stale);
                self.totals.stale_own_reads += u64::from(own);
                let stats = &mut self.stats[request.value.source as usize];
                stats.reads_served += 1;
                stats.stale_reads += u64::from(stale);
                stats.stale_own_reads += u64::from(own);
            }
            Op::Read => {}
        }
    }

    /// Counts a cache lookup in the current window and, for a request created after the
    /// warm-up, in the run's and the node's hit ratios.
    pub(crate) fn record_lookup(&mut self, node: u32, hit: bool, measured: bool) {
        self.series.record_lookup(hit);
        if !measured {
            return;
        }
        let stats = &mut self.stats[node as usize];
        if hit {
            stats.hits += 1;
            self.totals.hits += 1;
        } else {
            stats.misses += 1;
            self.totals.misses += 1;
        }
    }

    /// Closes every time-series window that ends at or before `time`.
    #[inline]
    pub(crate) fn close_windows_until(&mut self, time: SimTime) {
        while self.series.current_end() <= time && self.series.current_end() != SimTime::MAX {
            if !self.series.is_full() {
                let (end, width, warmup) =
                    (self.series.current_end(), self.series.width(), self.warmup);
                for stats in &mut self.stats {
                    stats.close_window(end, width, warmup);
                }
            }
            let (queued, jobs_queued) = self.queue_levels();
            if self.policy.any {
                self.series.set_breakers_open(self.policy.breakers_open());
            }
            self.series.close(queued, jobs_queued);
        }
    }

    /// Requests waiting at services and databases, and jobs waiting in message queues.
    pub(crate) fn queue_levels(&self) -> (u64, u64) {
        let mut queued = 0;
        let mut jobs = 0;
        for (stats, kind) in self.stats.iter().zip(&self.kinds) {
            if kind.spec().rules.holds_jobs {
                jobs += stats.queued;
            } else {
                queued += stats.queued;
            }
        }
        (queued, jobs)
    }
}

impl Core {
    /// Sends an attempt of `call` from `node` along `edge` on behalf of `request`, whose
    /// calling frame is `depth` deep: a new frame at the callee, arriving after the edge's
    /// latency (stretched by a latency fault; lost to a partition, when the caller waits for
    /// its timeout if it has one). Always inlined: it is the tail of every call.
    #[inline(always)]
    pub(crate) fn send_attempt(
        &mut self,
        node: u32,
        edge: u32,
        call: CallId,
        request: u32,
        depth: u16,
        leg: Leg,
    ) {
        let now = self.now;
        let Link { to, latency, .. } = *self.topology.edge(edge);
        let mut arrive = now.saturating_add(latency);
        if self.faults.any {
            if self.faults.cut(node, to) {
                return;
            }
            arrive = now.saturating_add(self.faults.trip(edge, latency));
        }
        let child = self.new_frame(Frame {
            request,
            node: to,
            call,
            edge,
            arrived: arrive,
            started: arrive,
            depth: depth + 1,
            step: 0,
            calls_out: 0,
            flags: 0,
            generation: 0,
        });
        let status = Status {
            outcome: Outcome::Ok,
            origin: node,
        };
        self.note_motion(leg, node, child, arrive, status);
        self.queue.push(arrive, Event::Arrive { frame: child });
    }

    /// The policies of each attempt of `call` as it leaves `node` along `edge`: its bulkhead
    /// (every place taken, it is answered at once `dropped_bulkhead_full` and goes no
    /// further: true then) and its timeout (the caller stops waiting then).
    pub(crate) fn attempt_leaves(&mut self, edge: u32, call: CallId, node: u32) -> bool {
        let link = *self.topology.edge(edge);
        let now = self.now;
        if link.bulkhead > 0 {
            let out = &mut self.edge_calls[edge as usize];
            if *out >= link.bulkhead {
                self.stats[node as usize].dropped += 1;
                let status = Status {
                    outcome: Outcome::DroppedBulkheadFull,
                    origin: node,
                };
                self.queue.push(now, Event::Response { call, status });
                return true;
            }
            *out += 1;
            self.calls.hold_place(call, edge);
        }
        if link.timeout > 0 {
            let at = now.saturating_add(link.timeout);
            self.queue.push(at, Event::CallTimeout { call });
        }
        false
    }

    /// True if `edge` has a bulkhead with every place taken.
    pub(crate) fn bulkhead_full(&self, edge: u32) -> bool {
        let limit = self.topology.edge(edge).bulkhead;
        limit > 0 && self.edge_calls[edge as usize] >= limit
    }
}
