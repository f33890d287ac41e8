//! Database: a pool of connections in front of a FIFO queue, with separate read and write
//! times. It calls nothing: every request ends here and the answer goes back.

use super::settings::settings;
use super::spec::{KindSpec, Peers, Rules};
use super::station::{Admission, Station};
use super::wiring::Wiring;
use super::{Behaviour, Config, Group};
use crate::distributions::{Duration, Sampler};
use crate::sim::context::Ctx;
use crate::sim::events::Outcome;
use crate::sim::frames::{Op, WORKING};

/// A database's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "database",
    title: "Database",
    group: Group::Data,
    link_tag: 6,
    rules: Rules {
        has_queue: true,
        callees: Peers::Nobody("a database answers and calls nothing; it is the end of a path"),
        ..Rules::OPEN
    },
};

settings! {
    /// A database's capacity and speed.
    pub struct DatabaseConfig as "database" {
        /// Queries served in parallel.
        connections: u32 = 10, tag 1, always;
        /// Waiting places; a query arriving to a full queue is dropped. `None`: unbounded.
        queue_capacity: Option<u64> = None, tag 2, changed;
        /// Time to serve a read.
        read_time: Duration = Duration::exponential(5.0), tag 3, always;
        /// Time to serve a write.
        write_time: Duration = Duration::exponential(15.0), tag 4, always;
    }
}

impl Config for DatabaseConfig {
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.connections == 0 {
            out.push((
                "connections",
                "a database needs at least one connection".into(),
            ));
        }
        if let Some(p) = self.read_time.problem() {
            out.push(("read_time", p.into()));
        }
        if let Some(p) = self.write_time.problem() {
            out.push(("write_time", p.into()));
        }
        out
    }

    fn servers(&self) -> u32 {
        self.connections
    }
}

/// The runtime state of a database.
pub struct Database {
    station: Station,
    read: Sampler,
    write: Sampler,
}

impl Behaviour for Database {
    type Config = DatabaseConfig;

    fn build(config: &DatabaseConfig, _wiring: &Wiring) -> Self {
        Database::new(config)
    }

    fn on_arrive(&mut self, ctx: &mut Ctx, frame: u32) {
        match self.station.admit(ctx, frame) {
            Admission::Serve => self.start(ctx, frame),
            Admission::Wait => {}
            Admission::Full => ctx.refuse(frame, Outcome::DroppedQueueFull),
        }
    }

    fn on_work_done(&mut self, ctx: &mut Ctx, frame: u32) {
        if let Some(next) = self.station.release(ctx, frame) {
            self.start(ctx, next);
        }
        if ctx.unpin(frame, WORKING) {
            let status = ctx.status(Outcome::Ok);
            ctx.respond(frame, status);
        }
    }
}

impl Database {
    pub(crate) fn new(config: &DatabaseConfig) -> Self {
        Database {
            station: Station::new(config.connections, config.queue_capacity),
            read: config.read_time.sampler(),
            write: config.write_time.sampler(),
        }
    }

    fn start(&mut self, ctx: &mut Ctx, frame: u32) {
        let sampler = match ctx.request(frame).op {
            Op::Read => self.read,
            Op::Write => self.write,
        };
        let duration = sampler.sample(ctx.rng());
        ctx.start_work(frame, duration);
    }
}
