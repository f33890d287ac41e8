//! Arrival processes: when a client's requests are created. Poisson and constant rates, and
//! non-homogeneous Poisson bursts and ramps (sampled by thinning, bounded: see [`Gaps::next`]),
//! with their JSON and link forms, their bounds, and the compiled sampler of the gap to the
//! next arrival.

use crate::bounds::Bound;
use crate::distributions::{exponential, Duration};
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::Stream;
use crate::time::{SimTime, NANOS_PER_S};

/// A client's rates, per second: `rate_per_s`, `base_rate_per_s`, `burst_rate_per_s`,
/// `from_per_s`, `to_per_s`. Every arrival is an event, so the top caps what a simulated
/// second of one client costs.
pub const RATE: Bound = Bound::new(
    0.001,
    1e7,
    "from one request in 17 minutes to ten million a second, more than one client of a \
     diagram sends: each arrival is an event, so this caps a simulated second's arrivals \
     (a base rate between bursts and a ramp's ends may also be 0)",
);

/// A burst's `period_s` and `burst_s` and a ramp's `over_s`, in seconds.
pub const SECONDS: Bound = Bound::new(
    0.001,
    3e7,
    "from a millisecond (anything shorter is a step, not a burst or a ramp) to about a year, \
     three times the longest run",
);

/// A closed loop's `users`.
pub const USERS: Bound = Bound::new(
    1.0,
    1e6,
    "each user is a request or a think waiting in the run's event queue: a million is a city",
);

/// An arrival process.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrival {
    /// Independent arrivals at a steady mean rate (exponential gaps): open-loop web traffic.
    Poisson {
        /// Mean requests per second, within [`RATE`].
        rate_per_s: f64,
    },
    /// Exactly evenly spaced arrivals.
    Constant {
        /// Requests per second, within [`RATE`].
        rate_per_s: f64,
    },
    /// Poisson traffic that jumps to a burst rate for `burst_s` at the start of every period.
    Bursts {
        /// Rate between bursts: 0 or within [`RATE`].
        base_rate_per_s: f64,
        /// Rate during a burst, within [`RATE`].
        burst_rate_per_s: f64,
        /// Time from one burst's start to the next, within [`SECONDS`].
        period_s: f64,
        /// How long each burst lasts, within [`SECONDS`] and at most `period_s`.
        burst_s: f64,
    },
    /// Poisson traffic whose rate climbs linearly, then holds.
    Ramp {
        /// Rate at time zero: 0 or within [`RATE`].
        from_per_s: f64,
        /// Rate reached at `over_s` and held after: 0 or within [`RATE`] (not both 0).
        to_per_s: f64,
        /// Length of the climb, within [`SECONDS`].
        over_s: f64,
    },
    /// A closed loop: `users` people, each sending one request, waiting for its answer, then
    /// thinking for `think_time` before the next (each starts after a first think). The load
    /// follows the system's speed: a slow system is sent less, as real users send.
    ClosedLoop {
        /// How many users, within [`USERS`].
        users: u32,
        /// The pause between an answer and the user's next request.
        think_time: Duration,
    },
}

impl Arrival {
    /// The highest rate this process ever reaches, per second (for a closed loop, what its
    /// users would send if every answer were instant).
    pub fn peak_rate_per_s(&self) -> f64 {
        match *self {
            Arrival::ClosedLoop {
                users,
                ref think_time,
            } => f64::from(users) * 1000.0 / think_time.mean_ms().max(1e-6),
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                ..
            } => base_rate_per_s.max(burst_rate_per_s),
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                ..
            } => from_per_s.max(to_per_s),
        }
    }
}

/// Written as `{"poisson": {"rate_per_s": 100.0}}`.
impl FromJson for Arrival {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let known = ["poisson", "constant", "bursts", "ramp", "closed_loop"];
        let (name, settings) = variant(value, &[], &known)?;
        match name {
            "closed_loop" => variant_fields(name, settings, &["users", "think_time"], |f| {
                Ok(Arrival::ClosedLoop {
                    users: f.req("users")?,
                    think_time: f.req("think_time")?,
                })
            }),
            "poisson" => variant_fields(name, settings, &["rate_per_s"], |f| {
                Ok(Arrival::Poisson {
                    rate_per_s: f.req("rate_per_s")?,
                })
            }),
            "constant" => variant_fields(name, settings, &["rate_per_s"], |f| {
                Ok(Arrival::Constant {
                    rate_per_s: f.req("rate_per_s")?,
                })
            }),
            "bursts" => {
                let known = ["base_rate_per_s", "burst_rate_per_s", "period_s", "burst_s"];
                variant_fields(name, settings, &known, |f| {
                    Ok(Arrival::Bursts {
                        base_rate_per_s: f.req("base_rate_per_s")?,
                        burst_rate_per_s: f.req("burst_rate_per_s")?,
                        period_s: f.req("period_s")?,
                        burst_s: f.req("burst_s")?,
                    })
                })
            }
            _ => variant_fields(name, settings, &["from_per_s", "to_per_s", "over_s"], |f| {
                Ok(Arrival::Ramp {
                    from_per_s: f.req("from_per_s")?,
                    to_per_s: f.req("to_per_s")?,
                    over_s: f.req("over_s")?,
                })
            }),
        }
    }
}

impl ToJson for Arrival {
    fn to_tree(&self) -> Json {
        match *self {
            Arrival::ClosedLoop {
                users,
                ref think_time,
            } => Json::tagged(
                "closed_loop",
                Json::object([
                    ("users", users.to_tree()),
                    ("think_time", think_time.to_tree()),
                ]),
            ),
            Arrival::Poisson { rate_per_s } => Json::tagged(
                "poisson",
                Json::object([("rate_per_s", rate_per_s.to_tree())]),
            ),
            Arrival::Constant { rate_per_s } => Json::tagged(
                "constant",
                Json::object([("rate_per_s", rate_per_s.to_tree())]),
            ),
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => Json::tagged(
                "bursts",
                Json::object([
                    ("base_rate_per_s", base_rate_per_s.to_tree()),
                    ("burst_rate_per_s", burst_rate_per_s.to_tree()),
                    ("period_s", period_s.to_tree()),
                    ("burst_s", burst_s.to_tree()),
                ]),
            ),
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => Json::tagged(
                "ramp",
                Json::object([
                    ("from_per_s", from_per_s.to_tree()),
                    ("to_per_s", to_per_s.to_tree()),
                    ("over_s", over_s.to_tree()),
                ]),
            ),
        }
    }
}

/// A compiled arrival process: the next gap from `now`.
#[derive(Clone, Debug)]
pub(crate) enum Gaps {
    Poisson {
        mean_gap_ns: f64,
    },
    Constant {
        gap: SimTime,
    },
    /// Non-homogeneous Poisson by thinning: candidates at the peak rate, each kept with
    /// probability rate(t) / peak; after [`MAX_CANDIDATES`] rejections in a row, sampled
    /// exactly instead, from then on (`handed_over`).
    Thinned {
        peak_per_ns: f64,
        shape: Arrival,
        handed_over: bool,
    },
    /// No arrival follows another by a gap: a closed loop's come after answers.
    Never,
}

/// The most candidates thinning draws for one arrival (about 0.1 ms of work)
/// before it samples the rest of the way exactly, by inverting the integrated rate; the
/// client's later arrivals are then all sampled exactly.
///
/// Thinning is kept because it is what every burst and ramp ran with before (a shared link
/// replays the same arrivals): as long as every arrival comes within this many candidates, as
/// it does unless the rate stays far below the peak for long, the draws are the same as they
/// always were. Where the rate is far below the peak (a base rate of 0 between rare short
/// bursts, the start of a ramp from 0 to its top over a year) thinning drew up to ~10^14
/// candidates for one arrival; the exact method costs a few steps whatever the rates. Handing
/// over is itself exact: a Poisson process starts afresh at any time its past chose, so no
/// arrival is lost or added. Once handed over the draws differ from thinning's anyway, so the
/// client stays exact rather than pay the bound again for each arrival (44 µs an event on that
/// ramp, against 0.03 µs: the throughput benchmark's arrivals table).
pub(crate) const MAX_CANDIDATES: u32 = 10_000;

impl Gaps {
    pub(crate) fn new(arrival: &Arrival) -> Self {
        match *arrival {
            Arrival::Poisson { rate_per_s } => Gaps::Poisson {
                mean_gap_ns: NANOS_PER_S / rate_per_s,
            },
            Arrival::Constant { rate_per_s } => Gaps::Constant {
                gap: libm::round(NANOS_PER_S / rate_per_s).max(1.0) as SimTime,
            },
            Arrival::Bursts { .. } | Arrival::Ramp { .. } => Gaps::Thinned {
                peak_per_ns: arrival.peak_rate_per_s() / NANOS_PER_S,
                shape: arrival.clone(),
                handed_over: false,
            },
            // The client draws each user's thinks itself: no gap follows an arrival.
            Arrival::ClosedLoop { .. } => Gaps::Never,
        }
    }

    /// The time of the next arrival after `now`, or `None` if there will be none (a ramp that
    /// has come down to zero, or a next arrival past the end of simulated time). At most
    /// [`MAX_CANDIDATES`] thinning candidates, then a few exact steps (and only those for every
    /// later arrival).
    pub(crate) fn next(&mut self, now: SimTime, rng: &mut Stream) -> Option<SimTime> {
        self.next_within(now, rng, MAX_CANDIDATES)
    }

    /// [`Gaps::next`] with at most `candidates` thinning candidates (0: exact sampling only).
    pub(crate) fn next_within(
        &mut self,
        now: SimTime,
        rng: &mut Stream,
        candidates: u32,
    ) -> Option<SimTime> {
        match self {
            Gaps::Poisson { mean_gap_ns } => {
                Some(now.saturating_add(gap(exponential(rng, *mean_gap_ns))))
            }
            Gaps::Constant { gap } => Some(now.saturating_add(*gap)),
            Gaps::Never => None,
            Gaps::Thinned {
                peak_per_ns,
                shape,
                handed_over,
            } => {
                let peak_per_ns = *peak_per_ns;
                let mut t = now;
                for _ in 0..if *handed_over { 0 } else { candidates } {
                    if ends_at_zero(shape, t) {
                        return None;
                    }
                    t = t.saturating_add(gap(exponential(rng, 1.0 / peak_per_ns)));
                    let keep = rate_per_ns(shape, t) / peak_per_ns;
                    if rng.chance(keep) {
                        return Some(t);
                    }
                }
                *handed_over = true;
                exact_next(shape, t, rng)
            }
        }
    }
}

/// A gap of at least one nanosecond, so the clock always moves on.
fn gap(ns: f64) -> SimTime {
    (libm::round(ns) as SimTime).max(1)
}

/// True once a ramp has come down to a rate of zero and holds it: no arrival will come.
fn ends_at_zero(shape: &Arrival, t: SimTime) -> bool {
    matches!(*shape, Arrival::Ramp { to_per_s, over_s, .. }
        if to_per_s <= 0.0 && t as f64 / NANOS_PER_S >= over_s)
}

fn rate_per_ns(shape: &Arrival, t: SimTime) -> f64 {
    let secs = t as f64 / NANOS_PER_S;
    let per_s = match *shape {
        Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
        Arrival::Bursts {
            base_rate_per_s,
            burst_rate_per_s,
            period_s,
            burst_s,
        } => {
            if secs % period_s < burst_s {
                burst_rate_per_s
            } else {
                base_rate_per_s
            }
        }
        Arrival::Ramp {
            from_per_s,
            to_per_s,
            over_s,
        } => from_per_s + (to_per_s - from_per_s) * (secs / over_s).min(1.0),
        Arrival::ClosedLoop { .. } => 0.0,
    };
    per_s / NANOS_PER_S
}

/// The next arrival after `t` of a burst or ramp process, exactly: draw a unit exponential
/// `e` and find the time by which the process's integrated rate has grown by `e` (inversion of
/// the cumulative rate). A few steps whatever the rates; `None` past the end of simulated time.
fn exact_next(shape: &Arrival, t: SimTime, rng: &mut Stream) -> Option<SimTime> {
    let from = t as f64 / NANOS_PER_S;
    let e = exponential(rng, 1.0);
    let at = match *shape {
        Arrival::Bursts {
            base_rate_per_s,
            burst_rate_per_s,
            period_s,
            burst_s,
        } => bursts_after(
            from,
            e,
            [burst_rate_per_s, base_rate_per_s],
            period_s,
            burst_s,
        )?,
        Arrival::Ramp {
            from_per_s,
            to_per_s,
            over_s,
        } => ramp_after(from, e, from_per_s, to_per_s, over_s)?,
        _ => return None,
    };
    let offset = (at - from) * NANOS_PER_S;
    // Past u64 nanoseconds (584 years) no run can see it.
    if offset.is_nan() || offset >= (SimTime::MAX - t) as f64 {
        return None;
    }
    t.checked_add(gap(offset))
}

/// When a periodic burst process (`rates`: in a burst, between bursts) first accumulates `e`
/// of integrated rate after `from`, in seconds: the rest of the current period segment by
/// segment, then whole periods skipped arithmetically, then the segments of the period it
/// lands in. `None` if the rates are 0 throughout.
fn bursts_after(from: f64, mut e: f64, rates: [f64; 2], period: f64, burst: f64) -> Option<f64> {
    let per_period = rates[0] * burst + rates[1] * (period - burst);
    if !(per_period > 0.0 && per_period.is_finite()) {
        return None;
    }
    let mut start = from - from % period;
    let mut at = from;
    // Four segments at most: up to two to finish this period, then (after the skip) two of
    // the period the arrival lands in; rounding may leave a sliver for one more period, and
    // past six segments the arrival is placed where they end.
    for _ in 0..6 {
        let in_burst = at - start < burst;
        let (rate, end) = if in_burst {
            (rates[0], start + burst)
        } else {
            (rates[1], start + period)
        };
        let mass = rate * (end - at);
        if e < mass {
            return Some(at + e / rate);
        }
        e -= mass;
        at = end;
        if !in_burst {
            // At a period's end: skip the whole periods the remaining mass spans.
            let whole = libm::floor(e / per_period);
            e = (e - whole * per_period).max(0.0);
            start = end + whole * period;
            at = start;
        }
        if !at.is_finite() {
            return None;
        }
    }
    Some(at)
}

/// When a ramp (rate `from_rate` at 0 climbing linearly to `to_rate` at `over`, then held)
/// first accumulates `e` of integrated rate after `from`, in seconds: on the climb the root of
/// `r·x + k·x²/2 = e` (`r` the rate at `from`, `k` the slope), then `e / to_rate`. `None` if
/// the ramp has come down to 0 first.
fn ramp_after(from: f64, mut e: f64, from_rate: f64, to_rate: f64, over: f64) -> Option<f64> {
    let mut at = from;
    if at < over {
        let slope = (to_rate - from_rate) / over;
        let r = from_rate + slope * at;
        let mass = (r + to_rate) / 2.0 * (over - at);
        if e < mass {
            // The stable form of (−r + √(r² + 2ke)) / k, also right for k = 0 and k < 0.
            let root = libm::sqrt((r * r + 2.0 * slope * e).max(0.0));
            let x = if e > 0.0 { 2.0 * e / (r + root) } else { 0.0 };
            return Some((at + x).min(over));
        }
        e -= mass;
        at = over;
    }
    (to_rate > 0.0).then(|| at + e / to_rate)
}

impl Arrival {
    /// Problems with the process's values, as (field, message); fields are under `arrival`.
    /// Every number is within its bound ([`RATE`], [`SECONDS`], [`USERS`]), so the busiest
    /// accepted open-loop client creates at most ten million arrivals per simulated second.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let check = |field: &'static str, bound: &Bound, x: f64| {
            let name = field.trim_start_matches("arrival.");
            bound.check(name, &x).map(|message| (field, message))
        };
        match *self {
            Arrival::ClosedLoop {
                users,
                ref think_time,
            } => {
                out.extend(check("arrival.users", &USERS, f64::from(users)));
                if let Some(p) = think_time.problem() {
                    out.push(("arrival.think_time", p.to_string()));
                }
            }
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => {
                out.extend(check("arrival.rate_per_s", &RATE, rate_per_s));
            }
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => {
                if base_rate_per_s != 0.0 {
                    out.extend(check("arrival.base_rate_per_s", &RATE, base_rate_per_s));
                }
                out.extend(check("arrival.burst_rate_per_s", &RATE, burst_rate_per_s));
                out.extend(check("arrival.period_s", &SECONDS, period_s));
                out.extend(check("arrival.burst_s", &SECONDS, burst_s));
                if burst_s > period_s {
                    out.push((
                        "arrival.burst_s",
                        "a burst lasts no longer than its period".into(),
                    ));
                }
            }
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => {
                if from_per_s != 0.0 {
                    out.extend(check("arrival.from_per_s", &RATE, from_per_s));
                }
                if to_per_s != 0.0 {
                    out.extend(check("arrival.to_per_s", &RATE, to_per_s));
                }
                if from_per_s == 0.0 && to_per_s == 0.0 {
                    out.push((
                        "arrival.to_per_s",
                        "a ramp from 0 to 0 sends nothing: give it a rate".into(),
                    ));
                }
                out.extend(check("arrival.over_s", &SECONDS, over_s));
            }
        }
        out
    }

    /// True for users who wait for answers: the rate follows the system's speed.
    pub fn is_closed_loop(&self) -> bool {
        matches!(self, Arrival::ClosedLoop { .. })
    }

    /// The mean rate over the long run, per second, for capacity hints.
    pub fn mean_rate_per_s(&self) -> f64 {
        match *self {
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => rate_per_s,
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => (burst_rate_per_s * burst_s + base_rate_per_s * (period_s - burst_s)) / period_s,
            Arrival::Ramp { to_per_s, .. } => to_per_s,
            // At most: the users' rate if answers took no time.
            Arrival::ClosedLoop { .. } => self.peak_rate_per_s(),
        }
    }
}

/// A number > 0 and at most [`SECONDS`]' top (a route's weight).
pub fn positive_seconds(x: f64) -> bool {
    x.is_finite() && x > 0.0 && x <= SECONDS.most
}

/// In a version-2 link: a variant tag (constant, append-only), then the parameters in order.
impl LinkValue for Arrival {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        let (tag, values): (u8, &[f64]) = match self {
            Arrival::ClosedLoop { users, think_time } => {
                w.byte(4);
                w.varint(u64::from(*users));
                return think_time.write(w, ids);
            }
            Arrival::Poisson { rate_per_s } => (0, std::slice::from_ref(rate_per_s)),
            Arrival::Constant { rate_per_s } => (1, std::slice::from_ref(rate_per_s)),
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => (
                2,
                &[*base_rate_per_s, *burst_rate_per_s, *period_s, *burst_s],
            ),
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => (3, &[*from_per_s, *to_per_s, *over_s]),
        };
        w.byte(tag);
        for &v in values {
            w.number(v);
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            4 => Arrival::ClosedLoop {
                users: r.u32(field)?,
                think_time: Duration::read(r, ids, field)?,
            },
            0 => Arrival::Poisson {
                rate_per_s: r.number(field)?,
            },
            1 => Arrival::Constant {
                rate_per_s: r.number(field)?,
            },
            2 => Arrival::Bursts {
                base_rate_per_s: r.number(field)?,
                burst_rate_per_s: r.number(field)?,
                period_s: r.number(field)?,
                burst_s: r.number(field)?,
            },
            3 => Arrival::Ramp {
                from_per_s: r.number(field)?,
                to_per_s: r.number(field)?,
                over_s: r.number(field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrivals(arrival: Arrival, until_s: f64) -> Vec<f64> {
        let mut gaps = Gaps::new(&arrival);
        let mut rng = Stream::from_seed(8);
        let mut t = 0;
        let mut out = Vec::new();
        loop {
            match gaps.next(t, &mut rng) {
                Some(next) if (next as f64 / NANOS_PER_S) < until_s => t = next,
                _ => return out,
            }
            out.push(t as f64 / NANOS_PER_S);
        }
    }

    #[test]
    fn poisson_and_constant_rates_are_kept() {
        let p = arrivals(Arrival::Poisson { rate_per_s: 1000.0 }, 100.0);
        assert!((p.len() as f64 - 100_000.0).abs() < 1_500.0, "{}", p.len());
        let c = arrivals(Arrival::Constant { rate_per_s: 1000.0 }, 10.0);
        assert_eq!(c.len(), 9_999);
    }

    #[test]
    fn bursts_arrive_faster_inside_the_burst() {
        let shape = Arrival::Bursts {
            base_rate_per_s: 100.0,
            burst_rate_per_s: 1000.0,
            period_s: 10.0,
            burst_s: 2.0,
        };
        let times = arrivals(shape, 200.0);
        let inside = times.iter().filter(|t| *t % 10.0 < 2.0).count() as f64;
        let outside = times.len() as f64 - inside;
        // Theory: 1000/s for 2 s and 100/s for 8 s per period, 20 periods.
        assert!((inside - 40_000.0).abs() < 1_000.0, "{inside}");
        assert!((outside - 16_000.0).abs() < 600.0, "{outside}");
    }

    #[test]
    fn a_ramp_climbs_then_holds() {
        let shape = Arrival::Ramp {
            from_per_s: 0.0,
            to_per_s: 1000.0,
            over_s: 10.0,
        };
        let times = arrivals(shape, 20.0);
        let first_half = times.iter().filter(|t| **t < 10.0).count() as f64;
        let second_half = times.len() as f64 - first_half;
        // Theory: 5,000 during the climb (area of the triangle), 10,000 at the held rate.
        assert!((first_half - 5_000.0).abs() < 300.0, "{first_half}");
        assert!((second_half - 10_000.0).abs() < 400.0, "{second_half}");
    }

    /// The thinning every burst and ramp ran with before candidates were bounded: the
    /// reference the bounded sampler must agree with whenever an arrival comes in time.
    fn unbounded_thinning(shape: &Arrival, now: SimTime, rng: &mut Stream) -> Option<SimTime> {
        let peak_per_ns = shape.peak_rate_per_s() / NANOS_PER_S;
        let mut t = now;
        loop {
            if ends_at_zero(shape, t) {
                return None;
            }
            t = t.saturating_add(gap(exponential(rng, 1.0 / peak_per_ns)));
            if rng.chance(rate_per_ns(shape, t) / peak_per_ns) {
                return Some(t);
            }
        }
    }

    #[test]
    fn ordinary_bursts_and_ramps_draw_exactly_what_they_always_drew() {
        let shapes = [
            Arrival::Bursts {
                base_rate_per_s: 100.0,
                burst_rate_per_s: 1000.0,
                period_s: 10.0,
                burst_s: 2.0,
            },
            // 8,000 empty candidates between bursts on average: still within the bound.
            Arrival::Bursts {
                base_rate_per_s: 0.0,
                burst_rate_per_s: 1000.0,
                period_s: 10.0,
                burst_s: 2.0,
            },
            Arrival::Ramp {
                from_per_s: 0.0,
                to_per_s: 1000.0,
                over_s: 10.0,
            },
            Arrival::Ramp {
                from_per_s: 100.0,
                to_per_s: 0.0,
                over_s: 1.0,
            },
        ];
        for shape in shapes {
            let mut gaps = Gaps::new(&shape);
            let (mut old_rng, mut new_rng) = (Stream::from_seed(3), Stream::from_seed(3));
            let (mut old_t, mut new_t) = (0, 0);
            for i in 0..30_000 {
                let old = unbounded_thinning(&shape, old_t, &mut old_rng);
                let new = gaps.next(new_t, &mut new_rng);
                assert_eq!(old, new, "{shape:?}, arrival {i}");
                match (old, new) {
                    (Some(a), Some(b)) => (old_t, new_t) = (a, b),
                    _ => break,
                }
            }
        }
    }

    #[test]
    fn rare_tiny_bursts_with_nothing_between_them_come_at_once() {
        // Thinning needs ~3·10^13 candidates to land one in a millisecond a year (the freeze
        // on open); each call now costs at most MAX_CANDIDATES of them and a few exact steps.
        let rare = Arrival::Bursts {
            base_rate_per_s: 0.0,
            burst_rate_per_s: 0.001,
            period_s: 3e7,
            burst_s: 0.001,
        };
        assert!(rare.problems().is_empty());
        let mut gaps = Gaps::new(&rare);
        let mut rng = Stream::from_seed(1);
        // 10^-6 expected arrivals a period: the next one is past the end of simulated time.
        assert_eq!(gaps.next(0, &mut rng), None);
        // Ten thousand arrivals in every 1 ms burst, a year apart: each gap between bursts
        // would have been 3·10^14 candidates.
        let dense = Arrival::Bursts {
            base_rate_per_s: 0.0,
            burst_rate_per_s: 1e7,
            period_s: 3e7,
            burst_s: 0.001,
        };
        let mut gaps = Gaps::new(&dense);
        let mut t = 0;
        let mut per_burst = [0u32; 3];
        for _ in 0..25_000 {
            t = gaps.next(t, &mut rng).expect("a next burst");
            let secs = t as f64 / NANOS_PER_S;
            // A double holds a year in seconds to 4 ns: that close to the burst is in it.
            assert!(secs % 3e7 < 0.001 + 1e-8, "{secs} is outside every burst");
            per_burst[(secs / 3e7) as usize] += 1;
        }
        // Theory: Poisson with mean 10,000 per burst (sd 100).
        for n in &per_burst[..2] {
            assert!((9_600..10_400).contains(n), "{per_burst:?}");
        }
    }

    #[test]
    fn exact_sampling_alone_keeps_the_rates() {
        let count = |shape: Arrival, until_s: f64| {
            let mut gaps = Gaps::new(&shape);
            let mut rng = Stream::from_seed(17);
            let mut t = 0;
            let mut out = Vec::new();
            while let Some(next) = gaps.next_within(t, &mut rng, 0) {
                if next as f64 / NANOS_PER_S >= until_s {
                    break;
                }
                t = next;
                out.push(t as f64 / NANOS_PER_S);
            }
            out
        };
        let times = count(
            Arrival::Bursts {
                base_rate_per_s: 100.0,
                burst_rate_per_s: 1000.0,
                period_s: 10.0,
                burst_s: 2.0,
            },
            200.0,
        );
        let inside = times.iter().filter(|t| *t % 10.0 < 2.0).count() as f64;
        let outside = times.len() as f64 - inside;
        // Theory: 1000/s for 2 s and 100/s for 8 s per period, 20 periods.
        assert!((inside - 40_000.0).abs() < 1_000.0, "{inside}");
        assert!((outside - 16_000.0).abs() < 600.0, "{outside}");
        // A climb from 0 to 1000/s over 10 s: 5,000 then 10,000 at the held rate; within the
        // climb the count up to t grows as t² (a quarter by half-way).
        let times = count(
            Arrival::Ramp {
                from_per_s: 0.0,
                to_per_s: 1000.0,
                over_s: 10.0,
            },
            20.0,
        );
        let before = |s: f64| times.iter().filter(|t| **t < s).count() as f64;
        assert!((before(5.0) - 1_250.0).abs() < 150.0, "{}", before(5.0));
        assert!((before(10.0) - 5_000.0).abs() < 300.0, "{}", before(10.0));
        assert!(
            (times.len() as f64 - 15_000.0).abs() < 500.0,
            "{}",
            times.len()
        );
        // Down from 1000/s to 0 over 2 s: 1,000 arrivals, then none ever.
        let down = count(
            Arrival::Ramp {
                from_per_s: 1000.0,
                to_per_s: 0.0,
                over_s: 2.0,
            },
            1e9,
        );
        assert!(
            (down.len() as f64 - 1_000.0).abs() < 130.0,
            "{}",
            down.len()
        );
        assert!(down.iter().all(|t| *t <= 2.0));
        let first_half = down.iter().filter(|t| **t < 1.0).count() as f64;
        // Theory: three quarters of them in the first second.
        assert!(
            (first_half / down.len() as f64 - 0.75).abs() < 0.05,
            "{first_half}"
        );
    }

    #[test]
    fn handing_over_to_exact_sampling_loses_and_adds_nothing() {
        // 50,000 empty candidates a period on average, beyond the bound: every gap between
        // bursts is handed over. Theory: 10,000 arrivals per burst, none between.
        let shape = Arrival::Bursts {
            base_rate_per_s: 0.0,
            burst_rate_per_s: 1000.0,
            period_s: 60.0,
            burst_s: 10.0,
        };
        let times = arrivals(shape, 600.0);
        assert!(times.iter().all(|t| t % 60.0 < 10.0));
        assert!(
            (times.len() as f64 - 100_000.0).abs() < 1_500.0,
            "{}",
            times.len()
        );
    }

    #[test]
    fn every_number_is_refused_outside_its_bound_naming_it() {
        let bursts = |base: f64, burst: f64, period: f64, length: f64| Arrival::Bursts {
            base_rate_per_s: base,
            burst_rate_per_s: burst,
            period_s: period,
            burst_s: length,
        };
        let fields = |a: Arrival| -> Vec<&'static str> {
            a.problems().into_iter().map(|(field, _)| field).collect()
        };
        assert_eq!(fields(bursts(0.0, 1e7, 3e7, 0.001)), Vec::<&str>::new());
        assert_eq!(
            fields(bursts(-1.0, 2e7, 0.0, f64::NAN)),
            [
                "arrival.base_rate_per_s",
                "arrival.burst_rate_per_s",
                "arrival.period_s",
                "arrival.burst_s"
            ]
        );
        assert_eq!(fields(bursts(1.0, 2.0, 1.0, 2.0)), ["arrival.burst_s"]);
        let (field, message) = &bursts(0.0, 1e8, 1.0, 0.5).problems()[0];
        assert_eq!(*field, "arrival.burst_rate_per_s");
        assert!(
            message.starts_with(
                "burst_rate_per_s is 100,000,000; it must be from 0.001 to 10,000,000: "
            ),
            "{message}"
        );
        let ramp = |from: f64, to: f64, over: f64| Arrival::Ramp {
            from_per_s: from,
            to_per_s: to,
            over_s: over,
        };
        assert_eq!(fields(ramp(0.0, 5.0, 1.0)), Vec::<&str>::new());
        assert_eq!(fields(ramp(0.0, 0.0, 1.0)), ["arrival.to_per_s"]);
        assert_eq!(
            fields(ramp(1e-4, 1.0, 3.1e7)),
            ["arrival.from_per_s", "arrival.over_s"]
        );
        let users = Arrival::ClosedLoop {
            users: 1_000_001,
            think_time: Duration::exponential(1.0),
        };
        assert_eq!(fields(users), ["arrival.users"]);
        assert_eq!(
            fields(Arrival::Poisson { rate_per_s: 0.0 }),
            ["arrival.rate_per_s"]
        );
    }

    #[test]
    fn once_handed_over_a_client_samples_exactly_from_then_on() {
        // From 0 to ten million a second over a year: at first the rate is a billionth of
        // the peak, so the first arrival exhausts the candidates; every later one would too
        // for months of simulated time, at the bound's cost each.
        let ramp = Arrival::Ramp {
            from_per_s: 0.0,
            to_per_s: 1e7,
            over_s: 3e7,
        };
        let mut gaps = Gaps::new(&ramp);
        let mut rng = Stream::from_seed(2);
        let first = gaps.next(0, &mut rng).unwrap();
        assert!(matches!(
            gaps,
            Gaps::Thinned {
                handed_over: true,
                ..
            }
        ));
        let mut exact = Gaps::new(&ramp);
        let mut exact_rng = rng.clone();
        let (mut t, mut u) = (first, first);
        for _ in 0..1000 {
            t = gaps.next(t, &mut rng).unwrap();
            u = exact.next_within(u, &mut exact_rng, 0).unwrap();
            assert_eq!(t, u);
        }
        // Theory: the count by time t is t²/6 (rate t/3 per second): 1,001 arrivals by ~77 s.
        let secs = t as f64 / NANOS_PER_S;
        assert!((secs - (6.0f64 * 1001.0).sqrt()).abs() < 5.0, "{secs}");
    }
}
