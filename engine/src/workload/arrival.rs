//! Arrival processes: when a client's requests are created. Poisson and constant rates, and
//! non-homogeneous Poisson bursts and ramps (sampled by thinning), with their JSON and link
//! forms, their bounds, and the compiled sampler of the gap to the next arrival.

use crate::distributions::{exponential, Duration};
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::Stream;
use crate::time::{SimTime, NANOS_PER_S};

/// The slowest steady rate a client may have, per second.
pub const MIN_RATE_PER_S: f64 = 0.001;

/// The fastest rate a client may have, per second.
pub const MAX_RATE_PER_S: f64 = 1e7;

/// The longest burst period or ramp, in seconds (about a year).
pub const MAX_SECONDS: f64 = 3e7;

/// An arrival process.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrival {
    /// Independent arrivals at a steady mean rate (exponential gaps): open-loop web traffic.
    Poisson {
        /// Mean requests per second.
        rate_per_s: f64,
    },
    /// Exactly evenly spaced arrivals.
    Constant {
        /// Requests per second.
        rate_per_s: f64,
    },
    /// Poisson traffic that jumps to a burst rate for `burst_s` at the start of every period.
    Bursts {
        /// Rate between bursts.
        base_rate_per_s: f64,
        /// Rate during a burst.
        burst_rate_per_s: f64,
        /// Time from one burst's start to the next.
        period_s: f64,
        /// How long each burst lasts.
        burst_s: f64,
    },
    /// Poisson traffic whose rate climbs linearly, then holds.
    Ramp {
        /// Rate at time zero.
        from_per_s: f64,
        /// Rate reached at `over_s` and held after.
        to_per_s: f64,
        /// Length of the climb.
        over_s: f64,
    },
    /// A closed loop: `users` people, each sending one request, waiting for its answer, then
    /// thinking for `think_time` before the next (each starts after a first think). The load
    /// follows the system's speed: a slow system is sent less, as real users send.
    ClosedLoop {
        /// How many users.
        users: u32,
        /// The pause between an answer and the user's next request.
        think_time: Duration,
    },
}

/// The most users a closed-loop client may have.
pub const MAX_USERS: u32 = 1_000_000;

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
    /// probability rate(t) / peak.
    Thinned {
        peak_per_ns: f64,
        shape: Arrival,
    },
    /// No arrival follows another by a gap: a closed loop's come after answers.
    Never,
}

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
            },
            // The client draws each user's thinks itself: no gap follows an arrival.
            Arrival::ClosedLoop { .. } => Gaps::Never,
        }
    }

    /// The time of the next arrival after `now`, or `None` if there will be none (a ramp that
    /// has come down to zero).
    pub(crate) fn next(&self, now: SimTime, rng: &mut Stream) -> Option<SimTime> {
        match self {
            Gaps::Poisson { mean_gap_ns } => {
                Some(now.saturating_add(gap(exponential(rng, *mean_gap_ns))))
            }
            Gaps::Constant { gap } => Some(now.saturating_add(*gap)),
            Gaps::Never => None,
            Gaps::Thinned { peak_per_ns, shape } => {
                let mut t = now;
                loop {
                    if ends_at_zero(shape, t) {
                        return None;
                    }
                    t = t.saturating_add(gap(exponential(rng, 1.0 / peak_per_ns)));
                    let keep = rate_per_ns(shape, t) / peak_per_ns;
                    if rng.chance(keep) {
                        return Some(t);
                    }
                }
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

impl Arrival {
    /// Problems with the process's values, as (field, message); fields are under `arrival`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        // A rate may be 0 (between bursts) or from one request in about 17 minutes up to ten
        // million a second; durations are seconds, at most [`MAX_SECONDS`].
        let rate = |x: f64| x == 0.0 || (MIN_RATE_PER_S..=MAX_RATE_PER_S).contains(&x);
        let positive_rate = |x: f64| x != 0.0 && rate(x);
        match *self {
            Arrival::ClosedLoop {
                users,
                ref think_time,
            } => {
                if !(1..=MAX_USERS).contains(&users) {
                    out.push((
                        "arrival.users",
                        format!("a closed loop has from 1 to {MAX_USERS} users"),
                    ));
                }
                if let Some(p) = think_time.problem() {
                    out.push(("arrival.think_time", p.to_string()));
                }
            }
            Arrival::Poisson { rate_per_s } | Arrival::Constant { rate_per_s } => {
                if !positive_rate(rate_per_s) {
                    out.push((
                        "arrival.rate_per_s",
                        "the rate must be from 0.001 to 10,000,000 requests per second".into(),
                    ));
                }
            }
            Arrival::Bursts {
                base_rate_per_s,
                burst_rate_per_s,
                period_s,
                burst_s,
            } => {
                if !rate(base_rate_per_s) || !positive_rate(burst_rate_per_s) {
                    out.push((
                        "arrival",
                        "rates are 0 or from 0.001 to 10,000,000 per second, and the burst rate is above 0".into(),
                    ));
                }
                if !positive_seconds(period_s) || !positive_seconds(burst_s) || burst_s > period_s {
                    out.push((
                        "arrival.burst_s",
                        "a burst must last > 0 s and no longer than its period".into(),
                    ));
                }
            }
            Arrival::Ramp {
                from_per_s,
                to_per_s,
                over_s,
            } => {
                if !rate(from_per_s) || !rate(to_per_s) || from_per_s.max(to_per_s) <= 0.0 {
                    out.push((
                        "arrival",
                        "ramp rates are 0 or from 0.001 to 10,000,000 per second, not both 0"
                            .into(),
                    ));
                }
                if !positive_seconds(over_s) {
                    out.push(("arrival.over_s", "the ramp must last > 0 s".into()));
                }
            }
        }
        out
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

/// A number of seconds > 0 and at most [`MAX_SECONDS`] (also a fine bound for a weight).
pub fn positive_seconds(x: f64) -> bool {
    x.is_finite() && x > 0.0 && x <= MAX_SECONDS
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
        let gaps = Gaps::new(&arrival);
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
}
