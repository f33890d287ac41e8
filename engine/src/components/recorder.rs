//! A stand-in for the simulation in the kinds' unit tests: it implements [`Effects`] by writing
//! every effect down, in order, as an [`Effect`], so a test feeds one node events and asserts
//! exactly what it did.
//!
//! It keeps its own few frames and requests and a seeded [`Stream`], and lets the test set the
//! time. Pins are kept with the same [`Frame`] methods the simulation's `Ctx` uses (`begin_work`,
//! `call_out`, `unpin`, `answer`) and answers are delivered through the same
//! [`Behaviour::receive`], so the recorder agrees with the simulation about when a frame is
//! live, orphaned or free. It is stricter than the simulation in one way: frame slots are never
//! reused, and touching a freed frame panics.
//!
//! Calls always leave (the hop limit is the simulation's business) and nothing travels: the
//! test plays the rest of the world, delivering work done, answers and timeouts when it wants
//! them, the way the event queue would.

use super::{Behaviour, Effects};
use crate::random::Stream;
use crate::sim::calls::NO_CALL;
use crate::sim::data::{NO_DATUM, NO_GROUP, NO_VALUE};
use crate::sim::events::{Outcome, Status};
use crate::sim::frames::{Fate, Frame, Op, Request, ANSWERED, CHILD_OUT, NONE, NO_ROUTE, WORKING};
use crate::sim::timers::{NodeTimers, TimerId};
use crate::sim::topology::Link;
use crate::time::{from_ms, SimTime};
use std::collections::HashMap;

/// The index of the node under test; its links lead to nodes `1..`.
pub const HERE: u32 = 0;

/// One thing a handler did, as the recorder writes it down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `set_levels`: busy servers and waiting requests.
    Levels { busy: u32, queued: u64 },
    /// `count`: an outcome counted against this node.
    Counted { outcome: Outcome },
    /// `start_work`: local work that ends after `duration`.
    WorkStarted { frame: u32, duration: SimTime },
    /// `forward`: a call on link `link`.
    Forwarded { frame: u32, link: usize },
    /// `respond`: the frame answered its caller.
    Responded {
        frame: u32,
        outcome: Outcome,
        origin: u32,
    },
    /// `set_timer`: `on_timeout` with `tag` is due after `delay`.
    TimerSet {
        frame: u32,
        delay: SimTime,
        tag: u16,
    },
    /// `set_node_timer`: `on_timer` with `tag` is due after `delay`.
    NodeTimerSet {
        delay: SimTime,
        tag: u32,
        id: TimerId,
    },
    /// `cancel_node_timer`.
    NodeTimerCancelled { id: TimerId },
    /// `publish`: a job sent on link `link`.
    Published { frame: u32, link: usize },
    /// `begin_request`: a client request created, with its root frame.
    RequestBegun {
        frame: u32,
        key: u64,
        client_id: u64,
        op: Op,
        route: u16,
    },
    /// `finish`: a request or job ended at its root frame.
    Finished {
        frame: u32,
        outcome: Outcome,
        origin: u32,
    },
    /// `record_lookup`: a cache lookup.
    Lookup { frame: u32, hit: bool },
    /// A read waits for a fill already on its way (`record_coalesced`).
    Coalesced { frame: u32 },
    /// A read answered from a stale copy (`record_served_stale`).
    ServedStale { frame: u32 },
    /// A fill older than a write that overtook it (`record_refill_race`).
    RefillRace { frame: u32 },
    /// `generate_at`: the client's next arrival is due at `at`.
    Generated { at: SimTime },
    /// `copy_data`: `key` copied from the store on link `from` to the one on `to`.
    Copied { from: usize, to: usize, key: u64 },
}

/// A request as a test describes it.
#[derive(Clone, Copy, Debug)]
pub struct Ask {
    key: u64,
    op: Op,
    route: u16,
    client_id: u64,
    scan: bool,
    version: u64,
}

impl Ask {
    /// A read of `key`, on no named route, from caller 0.
    pub fn read(key: u64) -> Self {
        Ask {
            key,
            op: Op::Read,
            route: NO_ROUTE,
            client_id: 0,
            scan: false,
            version: 0,
        }
    }

    /// A scan: a read without a shard key.
    pub fn scan() -> Self {
        Ask {
            scan: true,
            ..Ask::read(0)
        }
    }

    /// The same request with data version `version` (a write's own).
    pub fn version(self, version: u64) -> Self {
        Ask { version, ..self }
    }

    /// A write of `key`, on no named route, from caller 0.
    pub fn write(key: u64) -> Self {
        Ask {
            op: Op::Write,
            ..Ask::read(key)
        }
    }

    /// The same request on the named route `route`.
    pub fn on_route(self, route: u16) -> Self {
        Ask { route, ..self }
    }

    /// The same request from the caller `client_id`.
    pub fn by_caller(self, client_id: u64) -> Self {
        Ask { client_id, ..self }
    }
}

/// A link to node `to`, with no latency, weight 1 and probability 1.
pub fn link(to: u32) -> Link {
    Link {
        to,
        latency: 0,
        weight: 1.0,
        probability: 1.0,
        timeout: 0,
        deadline: 0,
        bulkhead: 0,
    }
}

/// The recording implementation of [`Effects`] for one node.
pub struct Recorder {
    now: SimTime,
    rng: Stream,
    links: Vec<Link>,
    frames: Vec<Frame>,
    freed: Vec<bool>,
    /// The link of each frame's latest call, to name who answers it.
    called: Vec<Option<usize>>,
    /// Whether a timer was set for each frame.
    /// Each frame's timer tags, as set and not yet fired.
    timed: Vec<Vec<u16>>,
    /// The node timers armed and not yet fired or cancelled, with their tags.
    node_timers: NodeTimers,
    requests: Vec<Request>,
    arrivals_left: Option<u64>,
    effects: Vec<Effect>,
    /// Links whose circuit breaker refuses calls.
    open: Vec<usize>,
    /// Links whose shard stands by.
    standing_by: Vec<usize>,
    /// The data version each frame has in hand (`set_value`).
    values: Vec<u64>,
    /// What this node holds, if it is a store: each key's version.
    pub store: HashMap<u64, u64>,
}

impl Recorder {
    /// A node with `n` links, to nodes `1..=n`, at time 0.
    pub fn new(n: u32) -> Self {
        Recorder::with_links((1..=n).map(link).collect())
    }

    /// A node with these links, at time 0.
    pub fn with_links(links: Vec<Link>) -> Self {
        Recorder {
            values: Vec::new(),
            store: HashMap::new(),
            now: 0,
            rng: Stream::from_seed(1),
            links,
            frames: Vec::new(),
            freed: Vec::new(),
            called: Vec::new(),
            timed: Vec::new(),
            node_timers: NodeTimers::default(),
            requests: Vec::new(),
            arrivals_left: None,
            effects: Vec::new(),
            open: Vec::new(),
            standing_by: Vec::new(),
        }
    }

    /// Makes the shard on `link` stand by (or serve again).
    pub fn set_standing_by(&mut self, link: usize, standing_by: bool) {
        self.standing_by.retain(|&l| l != link);
        if standing_by {
            self.standing_by.push(link);
        }
    }

    /// Opens (or closes) the circuit breaker on `link`.
    pub fn set_circuit_open(&mut self, link: usize, open: bool) {
        self.open.retain(|&l| l != link);
        if open {
            self.open.push(link);
        }
    }

    /// Moves the clock to `ms` milliseconds.
    pub fn at_ms(&mut self, ms: f64) {
        let now = from_ms(ms);
        assert!(now >= self.now, "time runs forwards");
        self.now = now;
    }

    /// Lets clients create only `n` more requests.
    pub fn allow_arrivals(&mut self, n: u64) {
        self.arrivals_left = Some(n);
    }

    /// The effects written down since the last call, oldest first.
    pub fn take(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// True once the frame has been freed.
    pub fn is_free(&self, frame: u32) -> bool {
        self.freed[frame as usize]
    }

    /// A request reaches `node` from a caller: returns its new frame.
    pub fn arrive<B: Behaviour>(&mut self, node: &mut B, ask: Ask) -> u32 {
        let frame = self.new_request(ask, 1);
        node.on_arrive(self, frame);
        frame
    }

    /// The client's next arrival is due.
    pub fn generate<B: Behaviour>(&mut self, node: &mut B) {
        node.on_generate(self);
    }

    /// The local work on `frame` finishes.
    pub fn work_done<B: Behaviour>(&mut self, node: &mut B, frame: u32) {
        assert!(self.frame(frame).has(WORKING), "no work is under way");
        node.on_work_done(self, frame);
    }

    /// The node that `frame` last called answers with `outcome`, as the simulation delivers
    /// an answer (an orphan's answer clears its pin and is dropped).
    pub fn answer<B: Behaviour>(&mut self, node: &mut B, frame: u32, outcome: Outcome) {
        assert!(self.frame(frame).has(CHILD_OUT), "no call is out");
        let link = self.called[frame as usize].expect("a call was made");
        let status = Status {
            outcome,
            origin: self.links[link].to,
        };
        node.receive(self, frame, status);
    }

    /// The store that `frame` last called answers ok with its data at `version`, which the
    /// frame then has in hand (as the simulation carries an answer's data).
    pub fn answer_with_data<B: Behaviour>(&mut self, node: &mut B, frame: u32, version: u64) {
        self.values[frame as usize] = version;
        self.answer(node, frame, Outcome::Ok);
    }

    /// The data version `frame` had in hand when it answered (or has now).
    pub fn data_of(&self, frame: u32) -> u64 {
        self.values[frame as usize]
    }

    /// The node on link `link` answers one of `frame`'s calls with `outcome` (for a frame with
    /// several calls out at once).
    pub fn answer_link<B: Behaviour>(
        &mut self,
        node: &mut B,
        frame: u32,
        link: usize,
        outcome: Outcome,
    ) {
        assert!(self.frame(frame).has(CHILD_OUT), "no call is out");
        let status = Status {
            outcome,
            origin: self.links[link].to,
        };
        node.receive(self, frame, status);
    }

    /// The timer set for `frame` fires. The simulation drops a timer whose frame has answered,
    /// so asking for one is a mistake in the test.
    pub fn timeout<B: Behaviour>(&mut self, node: &mut B, frame: u32) {
        self.timeout_tagged(node, frame, 0);
    }

    /// The timer with `tag` set for `frame` fires.
    pub fn timeout_tagged<B: Behaviour>(&mut self, node: &mut B, frame: u32, tag: u16) {
        let timers = &mut self.timed[frame as usize];
        let at = timers.iter().position(|&t| t == tag);
        assert!(at.is_some(), "no timer with tag {tag} was set");
        timers.remove(at.unwrap_or_default());
        assert!(!self.frame(frame).has(ANSWERED), "the frame has answered");
        node.on_timeout(self, frame, tag);
    }

    /// The node timer `id` fires, as the simulation fires it: only if still armed (a cancelled
    /// timer's event is dropped). Returns whether it fired.
    pub fn node_timer<B: Behaviour>(&mut self, node: &mut B, id: TimerId) -> bool {
        match self.node_timers.fire(id) {
            Some((_, tag)) => {
                node.on_timer(self, tag);
                true
            }
            None => false,
        }
    }

    fn new_request(&mut self, ask: Ask, depth: u16) -> u32 {
        let request = self.requests.len() as u32;
        self.requests.push(Request {
            id: request as u64,
            key: ask.key,
            client_id: ask.client_id,
            created: self.now,
            route: ask.route,
            op: ask.op,
            is_job: false,
            measured: true,
            trace: NONE,
            deadline: SimTime::MAX,
            version: ask.version,
            group: NO_GROUP,
            client: HERE,
            scan: ask.scan,
            value: NO_DATUM,
            frames: 1,
        });
        self.values.push(NO_VALUE);
        self.frames.push(Frame {
            request,
            node: HERE,
            call: NO_CALL,
            edge: NONE,
            arrived: self.now,
            started: self.now,
            depth,
            step: 0,
            calls_out: 0,
            flags: 0,
            generation: 0,
        });
        self.freed.push(false);
        self.called.push(None);
        self.timed.push(Vec::new());
        self.frames.len() as u32 - 1
    }

    fn live(&self, frame: u32) -> usize {
        assert!(
            !self.freed[frame as usize],
            "frame {frame} used after it was freed"
        );
        frame as usize
    }

    fn settle(&mut self, frame: u32, fate: Fate) {
        if fate == Fate::Free {
            self.freed[frame as usize] = true;
        }
    }
}

impl Effects for Recorder {
    fn now(&self) -> SimTime {
        self.now
    }

    fn node(&self) -> u32 {
        HERE
    }

    fn rng(&mut self) -> &mut Stream {
        &mut self.rng
    }

    fn frame(&self, frame: u32) -> &Frame {
        &self.frames[self.live(frame)]
    }

    fn frame_mut(&mut self, frame: u32) -> &mut Frame {
        let i = self.live(frame);
        &mut self.frames[i]
    }

    fn request(&self, frame: u32) -> &Request {
        &self.requests[self.frame(frame).request as usize]
    }

    fn links(&self) -> &[Link] {
        &self.links
    }

    fn circuit_open(&self, link: usize) -> bool {
        self.open.contains(&link)
    }

    fn shard_serving(&self, link: usize) -> bool {
        !self.standing_by.contains(&link)
    }

    fn arrivals_exhausted(&self) -> bool {
        self.arrivals_left == Some(0)
    }

    fn set_levels(&mut self, busy: u32, queued: u64) {
        self.effects.push(Effect::Levels { busy, queued });
    }

    fn count(&mut self, outcome: Outcome) {
        self.effects.push(Effect::Counted { outcome });
    }

    fn start_work(&mut self, frame: u32, duration: SimTime) {
        let now = self.now;
        self.frame_mut(frame).begin_work(now);
        self.effects.push(Effect::WorkStarted { frame, duration });
    }

    fn unpin(&mut self, frame: u32, flag: u8) -> bool {
        let fate = self.frame_mut(frame).unpin(flag);
        self.settle(frame, fate);
        fate == Fate::Live
    }

    fn forward(&mut self, frame: u32, link: usize) {
        assert!(link < self.links.len(), "no link {link}");
        self.frame_mut(frame).call_out();
        self.called[frame as usize] = Some(link);
        self.effects.push(Effect::Forwarded { frame, link });
    }

    fn respond(&mut self, frame: u32, status: Status) {
        let fate = self.frame_mut(frame).answer();
        self.settle(frame, fate);
        self.effects.push(Effect::Responded {
            frame,
            outcome: status.outcome,
            origin: status.origin,
        });
    }

    fn set_timer(&mut self, frame: u32, delay: SimTime, tag: u16) {
        let i = self.live(frame);
        self.timed[i].push(tag);
        self.effects.push(Effect::TimerSet { frame, delay, tag });
    }

    fn set_node_timer(&mut self, delay: SimTime, tag: u32) -> TimerId {
        let id = self.node_timers.arm(HERE, tag);
        self.effects.push(Effect::NodeTimerSet { delay, tag, id });
        id
    }

    fn cancel_node_timer(&mut self, id: TimerId) {
        self.node_timers.cancel(id);
        self.effects.push(Effect::NodeTimerCancelled { id });
    }

    fn publish(&mut self, frame: u32, link: usize) {
        assert!(link < self.links.len(), "no link {link}");
        self.live(frame);
        self.effects.push(Effect::Published { frame, link });
    }

    fn begin_request(&mut self, key: u64, client_id: u64, op: Op, scan: bool, route: u16) -> u32 {
        if let Some(left) = self.arrivals_left.as_mut() {
            *left = left.saturating_sub(1);
        }
        let ask = Ask {
            key,
            op,
            route,
            client_id,
            scan,
            version: 0,
        };
        let frame = self.new_request(ask, 0);
        self.effects.push(Effect::RequestBegun {
            frame,
            key,
            client_id,
            op,
            route,
        });
        frame
    }

    fn finish(&mut self, frame: u32, status: Status) {
        self.live(frame);
        self.freed[frame as usize] = true;
        self.effects.push(Effect::Finished {
            frame,
            outcome: status.outcome,
            origin: status.origin,
        });
    }

    fn record_lookup(&mut self, frame: u32, hit: bool) {
        self.live(frame);
        self.effects.push(Effect::Lookup { frame, hit });
    }

    fn record_coalesced(&mut self, frame: u32) {
        self.live(frame);
        self.effects.push(Effect::Coalesced { frame });
    }

    fn record_served_stale(&mut self, frame: u32) {
        self.live(frame);
        self.effects.push(Effect::ServedStale { frame });
    }

    fn generate_at(&mut self, at: SimTime) {
        self.effects.push(Effect::Generated { at });
    }

    fn value(&self, frame: u32) -> u64 {
        self.values[self.live(frame)]
    }

    fn set_value(&mut self, frame: u32, value: u64) {
        let i = self.live(frame);
        self.values[i] = value;
    }

    fn store_write(&mut self, frame: u32) {
        let request = *self.request(frame);
        let held = self.store.entry(request.key).or_insert(0);
        *held = (*held).max(request.version);
    }

    fn store_read(&mut self, frame: u32) {
        let request = *self.request(frame);
        if !request.scan {
            let held = self.store.get(&request.key).copied().unwrap_or(0);
            self.set_value(frame, held);
        }
    }

    fn record_refill_race(&mut self, frame: u32) {
        self.live(frame);
        self.effects.push(Effect::RefillRace { frame });
    }

    fn copy_data(&mut self, from: usize, to: usize, key: u64) {
        self.effects.push(Effect::Copied { from, to, key });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::frames::QUEUED;

    #[test]
    #[should_panic(expected = "frame 0 used after it was freed")]
    fn a_freed_frame_cannot_be_touched() {
        let mut rec = Recorder::new(0);
        let a = rec.new_request(Ask::read(1), 1);
        rec.respond(a, rec.status(Outcome::Ok));
        rec.frame_mut(a).flags |= QUEUED;
    }

    /// A node that checks on something every 100 ms until told to stop: the shape of the
    /// health checks and probes to come, to exercise node timers through the recorder.
    #[derive(Default)]
    struct Heartbeat {
        beats: u32,
        next: Option<TimerId>,
    }

    const BEAT: u32 = 7;

    impl Behaviour for Heartbeat {
        type Config = super::super::queue::QueueConfig;

        fn build(_: &Self::Config, _: &crate::components::wiring::Wiring) -> Self {
            Heartbeat::default()
        }

        fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
            // A request stops the heartbeat and is answered at once.
            if let Some(id) = self.next.take() {
                ctx.cancel_node_timer(id);
            }
            let status = ctx.status(Outcome::Ok);
            ctx.respond(frame, status);
        }

        fn on_timer<E: Effects>(&mut self, ctx: &mut E, tag: u32) {
            assert_eq!(tag, BEAT, "the tag comes back");
            self.beats += 1;
            self.next = Some(ctx.set_node_timer(100 * 1_000_000, BEAT));
        }
    }

    #[test]
    fn node_timers_come_back_with_their_tag_and_a_cancelled_one_never_fires() {
        let mut rec = Recorder::new(0);
        let mut beat = Heartbeat::default();
        let first = rec.set_node_timer(1_000_000, BEAT);
        assert!(rec.node_timer(&mut beat, first));
        let second = beat.next.unwrap();
        assert_eq!(
            rec.take(),
            [
                Effect::NodeTimerSet {
                    delay: 1_000_000,
                    tag: BEAT,
                    id: first
                },
                Effect::NodeTimerSet {
                    delay: 100_000_000,
                    tag: BEAT,
                    id: second
                },
            ]
        );
        assert!(!rec.node_timer(&mut beat, first), "a timer fires once");
        rec.arrive(&mut beat, Ask::read(1));
        assert!(
            !rec.node_timer(&mut beat, second),
            "cancelled, it never fires"
        );
        assert_eq!(beat.beats, 1);
        assert!(rec
            .take()
            .contains(&Effect::NodeTimerCancelled { id: second }));
    }
}
