//! Database: a pool of connections in front of a FIFO queue, with separate read and write
//! times. It calls nothing: every request ends here and the answer goes back.

use super::settings::settings;
use super::spec::{DataRole, KindSpec, Peers, Rules};
use super::station::{Admission, Slowdown, Station, QUEUE_PLACES, SERVERS};
use super::wiring::Wiring;
use super::{Behaviour, Config, Effects, Group};
use crate::distributions::{Duration, Sampler};
use crate::sim::events::Outcome;
use crate::sim::frames::{Op, WORKING};

/// A database's declaration.
pub const SPEC: KindSpec = KindSpec {
    name: "database",
    title: "Database",
    group: Group::Data,
    link_tag: 6,
    outcomes: &[Outcome::DroppedQueueFull],
    rules: Rules {
        has_queue: true,
        data: DataRole::Store,
        callees: Peers::Nobody("a database answers and calls nothing; it is the end of a path"),
        ..Rules::OPEN
    },
};

settings! {
    /// A database's capacity and speed.
    pub struct DatabaseConfig as "database" {
        /// Queries served in parallel.
        connections: u32 = 10, tag 1, always, within SERVERS;
        /// Waiting places; a query arriving to a full queue is dropped. `None`: unbounded.
        queue_capacity: Option<u64> = None, tag 2, changed, within QUEUE_PLACES;
        /// Time to serve a read.
        read_time: Duration = Duration::exponential(5.0), tag 3, always;
        /// Time to serve a write.
        write_time: Duration = Duration::exponential(15.0), tag 4, always;
        /// How a query's time grows with the connections busy at once (none: it does not).
        slowdown: Slowdown = Slowdown::None, tag 5, changed;
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
        if let Some(p) = self.slowdown.problem() {
            out.push(("slowdown", p.into()));
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
    slowdown: Slowdown,
}

impl Behaviour for Database {
    type Config = DatabaseConfig;

    fn build(config: &DatabaseConfig, _wiring: &Wiring) -> Self {
        Database::new(config)
    }

    fn on_arrive<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        match self.station.admit(ctx, frame) {
            Admission::Serve => self.start(ctx, frame),
            Admission::Wait => {}
            Admission::Full => ctx.refuse(frame, Outcome::DroppedQueueFull),
        }
    }

    fn on_work_done<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        if let Some(next) = self.station.release(ctx, frame) {
            self.start(ctx, next);
        }
        if ctx.unpin(frame, WORKING) {
            // The query takes effect as it completes: a write is applied, a read answers with
            // what the store holds now.
            match ctx.request(frame).op {
                Op::Write => ctx.store_write(frame),
                Op::Read => ctx.store_read(frame),
            }
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
            slowdown: config.slowdown,
        }
    }

    fn start<E: Effects>(&mut self, ctx: &mut E, frame: u32) {
        let sampler = match ctx.request(frame).op {
            Op::Read => &self.read,
            Op::Write => &self.write,
        };
        let duration = sampler.sample(ctx.rng());
        let duration = self.slowdown.apply(duration, self.station.busy());
        ctx.start_work(frame, duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::recorder::{Ask, Effect::*, Recorder, HERE};
    use crate::time::SimTime;

    const READ: SimTime = 5_000_000;
    const WRITE: SimTime = 15_000_000;

    fn database(connections: u32, queue_capacity: Option<u64>) -> Database {
        Database::new(&DatabaseConfig {
            connections,
            queue_capacity,
            read_time: Duration::constant(5.0),
            write_time: Duration::constant(15.0),
            slowdown: Slowdown::None,
        })
    }

    #[test]
    fn under_a_slowdown_each_busy_connection_stretches_the_next_query() {
        let mut db = Database::new(&DatabaseConfig {
            connections: 3,
            queue_capacity: None,
            read_time: Duration::constant(5.0),
            write_time: Duration::constant(15.0),
            slowdown: Slowdown::Linear { per_busy: 0.5 },
        });
        let mut rec = Recorder::new(0);
        let durations: Vec<SimTime> = (0..3)
            .map(|k| {
                let frame = rec.arrive(&mut db, Ask::read(k));
                rec.take()
                    .into_iter()
                    .find_map(|e| match e {
                        WorkStarted { frame: f, duration } if f == frame => Some(duration),
                        _ => None,
                    })
                    .unwrap()
            })
            .collect();
        // Alone 5 ms; with one other busy 1.5 times; with two others twice.
        assert_eq!(durations, [READ, READ * 3 / 2, READ * 2]);
    }

    #[test]
    fn reads_and_writes_take_their_own_times() {
        let (mut db, mut rec) = (database(2, None), Recorder::new(0));
        let r = rec.arrive(&mut db, Ask::read(1));
        let w = rec.arrive(&mut db, Ask::write(1));
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: r,
                    duration: READ
                },
                Levels { busy: 2, queued: 0 },
                WorkStarted {
                    frame: w,
                    duration: WRITE
                },
            ]
        );
    }

    #[test]
    fn a_busy_pool_queues_then_refuses() {
        let (mut db, mut rec) = (database(1, Some(1)), Recorder::new(0));
        rec.arrive(&mut db, Ask::read(1));
        rec.take();
        rec.arrive(&mut db, Ask::read(2));
        let c = rec.arrive(&mut db, Ask::read(3));
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 1 },
                Counted {
                    outcome: Outcome::DroppedQueueFull
                },
                Responded {
                    frame: c,
                    outcome: Outcome::DroppedQueueFull,
                    origin: HERE
                },
            ]
        );
    }

    #[test]
    fn finished_work_starts_the_next_then_answers() {
        let (mut db, mut rec) = (database(1, None), Recorder::new(0));
        let a = rec.arrive(&mut db, Ask::read(1));
        let b = rec.arrive(&mut db, Ask::write(2));
        rec.take();
        rec.at_ms(5.0);
        rec.work_done(&mut db, a);
        rec.at_ms(20.0);
        rec.work_done(&mut db, b);
        let ok = |frame| Responded {
            frame,
            outcome: Outcome::Ok,
            origin: HERE,
        };
        assert_eq!(
            rec.take(),
            [
                Levels { busy: 1, queued: 0 },
                WorkStarted {
                    frame: b,
                    duration: WRITE
                },
                ok(a),
                Levels { busy: 0, queued: 0 },
                ok(b),
            ]
        );
        assert!(rec.is_free(a) && rec.is_free(b));
    }
}
