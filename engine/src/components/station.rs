//! A pool of identical servers in front of one FIFO queue: the shared core of a service's
//! workers, a database's connections. Queue capacity counts waiting places only, so a station
//! holds at most `servers + capacity` requests.

use super::Effects;
use crate::bounds::Bound;
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::sim::events::Outcome;
use crate::sim::frames::{ANSWERED, HOLDS_SERVER, QUEUED};
use crate::time::SimTime;
use std::collections::VecDeque;

/// How many servers a pool may have: beyond ten thousand a pool is no longer what limits a
/// system, and every busy one is a request the run holds.
pub const SERVERS: Bound = Bound::new(
    1.0,
    10_000.0,
    "a pool larger than ten thousand is never the bottleneck; use more nodes",
);

/// How many requests may wait in one queue: every waiting request is held in memory, and the
/// run stops at a million in flight anyway.
pub const QUEUE_PLACES: Bound = Bound::new(
    0.0,
    1_000_000.0,
    "every waiting request is held in memory; leave it empty for no limit",
);

/// What happened to a request that reached the station.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// A server was free and is now held by the request: start its work.
    Serve,
    /// All servers are busy; it waits its turn.
    Wait,
    /// All servers are busy and the queue is full: refuse it.
    Full,
}

/// Servers and their queue.
#[derive(Debug)]
pub struct Station {
    servers: u32,
    busy: u32,
    capacity: Option<u64>,
    /// Waiting frames, oldest first. Frames that timed out while waiting stay here until they
    /// reach the front (removal from the middle would cost a scan) but are not counted.
    fifo: VecDeque<u32>,
    waiting: u64,
}

impl Station {
    /// `servers` servers (at least 1) and room for `capacity` waiting requests (`None`: no limit).
    pub fn new(servers: u32, capacity: Option<u64>) -> Self {
        Station {
            servers: servers.max(1),
            busy: 0,
            capacity,
            fifo: VecDeque::new(),
            waiting: 0,
        }
    }

    /// Admits `frame`: it gets a server, a place in the queue, or nothing.
    #[inline]
    pub fn admit<E: Effects>(&mut self, ctx: &mut E, frame: u32) -> Admission {
        if self.busy < self.servers {
            self.busy += 1;
            ctx.frame_mut(frame).flags |= HOLDS_SERVER;
            ctx.set_levels(self.busy, self.waiting);
            Admission::Serve
        } else if self.capacity.is_some_and(|c| self.waiting >= c) {
            Admission::Full
        } else {
            self.fifo.push_back(frame);
            self.waiting += 1;
            ctx.frame_mut(frame).flags |= QUEUED;
            ctx.set_levels(self.busy, self.waiting);
            Admission::Wait
        }
    }

    /// Frees the server `frame` holds. Returns the next waiting frame, which now holds that
    /// server and must be started, if any.
    #[inline]
    pub fn release<E: Effects>(&mut self, ctx: &mut E, frame: u32) -> Option<u32> {
        ctx.frame_mut(frame).flags &= !HOLDS_SERVER;
        while let Some(next) = self.fifo.pop_front() {
            if ctx.frame(next).has(ANSWERED) {
                ctx.unpin(next, QUEUED); // gave up while waiting: just forget it
                continue;
            }
            self.waiting -= 1;
            if ctx.expired(next) {
                // Its deadline passed while it waited: refused before any work is done.
                ctx.set_levels(self.busy, self.waiting);
                ctx.refuse(next, Outcome::DeadlineExceeded);
                ctx.unpin(next, QUEUED);
                continue;
            }
            ctx.frame_mut(next).flags = (ctx.frame(next).flags & !QUEUED) | HOLDS_SERVER;
            ctx.set_levels(self.busy, self.waiting);
            return Some(next);
        }
        self.busy -= 1;
        ctx.set_levels(self.busy, self.waiting);
        None
    }

    /// Servers at work right now.
    #[inline]
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// A waiting frame gave up; it no longer counts as waiting.
    pub fn abandon_waiting<E: Effects>(&mut self, ctx: &mut E) {
        self.waiting -= 1;
        ctx.set_levels(self.busy, self.waiting);
    }
}

/// How a station's work grows with its load: overloaded systems slow down as they fill (lock
/// contention, cache thrashing, garbage collection), so a request started while `busy`
/// servers work (itself included) takes its sampled time times a factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slowdown {
    /// The same speed whatever the load.
    None,
    /// `1 + per_busy · (busy − 1)`: each other busy server adds a fixed share.
    Linear {
        /// The share each other busy server adds (0.1: ten busy servers take 1.9 times as long).
        per_busy: f64,
    },
    /// `(1 + per_busy)^(busy − 1)`: each other busy server multiplies the time.
    Exponential {
        /// The growth per other busy server (0.05: ten busy servers take 1.55 times as long).
        per_busy: f64,
    },
}

/// The largest factor a slowdown applies: beyond it the station has stopped in all but name.
pub const MAX_SLOWDOWN: f64 = 1e6;

impl Slowdown {
    /// The factor for a request started while `busy` servers work, itself included.
    pub fn factor(self, busy: u32) -> f64 {
        let others = f64::from(busy.saturating_sub(1));
        let factor = match self {
            Slowdown::None => 1.0,
            Slowdown::Linear { per_busy } => 1.0 + per_busy * others,
            Slowdown::Exponential { per_busy } => libm::pow(1.0 + per_busy, others),
        };
        factor.min(MAX_SLOWDOWN)
    }

    /// `duration` stretched for `busy` servers at work.
    #[inline]
    pub fn apply(self, duration: SimTime, busy: u32) -> SimTime {
        match self {
            Slowdown::None => duration,
            // A float-to-integer cast saturates, so a huge product stays the longest time.
            _ => libm::round(duration as f64 * self.factor(busy)) as SimTime,
        }
    }

    /// The name scenario files use.
    pub fn name(self) -> &'static str {
        match self {
            Slowdown::None => "none",
            Slowdown::Linear { .. } => "linear",
            Slowdown::Exponential { .. } => "exponential",
        }
    }

    /// What is wrong with the value, if anything.
    pub fn problem(self) -> Option<&'static str> {
        match self {
            Slowdown::Linear { per_busy } if !(0.0..=10.0).contains(&per_busy) => {
                Some("a linear slowdown adds from 0 to 10 times the work per busy server")
            }
            Slowdown::Exponential { per_busy } if !(0.0..=1.0).contains(&per_busy) => {
                Some("an exponential slowdown grows the work by 0 to 1 (100%) per busy server")
            }
            _ => None,
        }
    }
}

/// Written as `"none"`, `{"linear": {"per_busy": 0.1}}` or `{"exponential": {"per_busy": 0.05}}`.
impl FromJson for Slowdown {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["none"], &["linear", "exponential"])?;
        match name {
            "none" => Ok(Slowdown::None),
            "linear" => variant_fields(name, settings, &["per_busy"], |f| {
                Ok(Slowdown::Linear {
                    per_busy: f.req("per_busy")?,
                })
            }),
            _ => variant_fields(name, settings, &["per_busy"], |f| {
                Ok(Slowdown::Exponential {
                    per_busy: f.req("per_busy")?,
                })
            }),
        }
    }
}

impl ToJson for Slowdown {
    fn to_tree(&self) -> Json {
        match *self {
            Slowdown::None => Json::String("none".into()),
            Slowdown::Linear { per_busy } | Slowdown::Exponential { per_busy } => Json::tagged(
                self.name(),
                Json::object([("per_busy", per_busy.to_tree())]),
            ),
        }
    }
}

/// In a version-2 link: a variant tag (constant, append-only), then the growth.
impl LinkValue for Slowdown {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        match *self {
            Slowdown::None => w.byte(0),
            Slowdown::Linear { per_busy } => {
                w.byte(1);
                w.number(per_busy);
            }
            Slowdown::Exponential { per_busy } => {
                w.byte(2);
                w.number(per_busy);
            }
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => Slowdown::None,
            1 => Slowdown::Linear {
                per_busy: r.number(field)?,
            },
            2 => Slowdown::Exponential {
                per_busy: r.number(field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

#[cfg(test)]
mod slowdown_tests {
    use super::*;

    #[test]
    fn the_factor_follows_its_formula() {
        let linear = Slowdown::Linear { per_busy: 0.1 };
        assert_eq!(linear.factor(1), 1.0, "alone, no slowdown");
        assert!((linear.factor(10) - 1.9).abs() < 1e-12);
        let exponential = Slowdown::Exponential { per_busy: 0.05 };
        assert!((exponential.factor(10) - 1.05f64.powi(9)).abs() < 1e-12);
        assert_eq!(Slowdown::None.apply(1234, 50), 1234);
        assert_eq!(linear.apply(1_000_000, 11), 2_000_000);
    }

    #[test]
    fn a_runaway_slowdown_is_capped_and_never_wraps() {
        let steep = Slowdown::Exponential { per_busy: 1.0 };
        assert_eq!(steep.factor(100_000), MAX_SLOWDOWN);
        assert_eq!(steep.apply(SimTime::MAX / 2, 100_000), SimTime::MAX);
    }

    #[test]
    fn bad_growths_are_named() {
        assert!(Slowdown::Linear { per_busy: -1.0 }.problem().is_some());
        assert!(Slowdown::Exponential { per_busy: 2.0 }.problem().is_some());
        assert!(Slowdown::Exponential { per_busy: 0.5 }.problem().is_none());
    }
}
