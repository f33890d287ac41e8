//! Probability distributions, sampled with `libm` so every target draws the same numbers. Every
//! parameter is within a [`Bound`], and every draw takes a bounded number of steps: inversion
//! where there is one, and the two rejection samplers (gamma, Zipf) give up after
//! [`MAX_TRIES`] tries, which never happens in practice (see there).

use crate::bounds::Bound;
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::Stream;
use crate::time::{from_ms, SimTime, NANOS_PER_MS};
use std::borrow::Cow;

/// The longest duration a scenario may state (one day, in milliseconds): far beyond any
/// request, and far from where simulated time (u64 nanoseconds) could overflow.
pub const MAX_MS: f64 = 86_400_000.0;

/// Every time a distribution names, in milliseconds (`ms`, `mean_ms`, `median_ms`, `min_ms`,
/// `max_ms`, `scale_ms`, each of `samples_ms`); a mean, median, scale or Pareto minimum is
/// also above 0.
pub const MS: Bound = Bound::new(
    0.0,
    MAX_MS,
    "a day at most: far beyond any request, and far from where simulated time could overflow",
);

/// True for a number of milliseconds from 0 to [`MAX_MS`].
pub fn valid_ms(ms: f64) -> bool {
    MS.holds(ms)
}

/// How long one piece of work takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Duration {
    /// Always the same.
    Constant {
        /// The duration, in milliseconds.
        ms: f64,
    },
    /// Memoryless: the textbook service time of M/M/c queues.
    Exponential {
        /// The mean, in milliseconds.
        mean_ms: f64,
    },
    /// A long right tail, as real request latencies have. `ln(duration)` is normal.
    LogNormal {
        /// The median (p50), in milliseconds.
        median_ms: f64,
        /// The standard deviation of `ln(duration)`; 0.5 is a moderate tail, 1.0 a heavy one.
        sigma: f64,
    },
    /// Any time between two bounds, equally likely: work of a known size with some jitter.
    Uniform {
        /// The shortest, in milliseconds.
        min_ms: f64,
        /// The longest, in milliseconds (above `min_ms`).
        max_ms: f64,
    },
    /// Gamma with a mean and a shape: a whole shape k is Erlang-k, the sum of k exponential
    /// phases, more regular than exponential; a shape below 1 is burstier.
    Gamma {
        /// The mean, in milliseconds.
        mean_ms: f64,
        /// The shape k (the squared coefficient of variation is 1/k); 1 is exponential.
        shape: f64,
    },
    /// Weibull: `scale · (−ln U)^(1/shape)`. A shape below 1 is a heavy (stretched
    /// exponential) tail, 1 is exponential, above 1 ever more regular.
    Weibull {
        /// The scale, in milliseconds (the 63rd percentile).
        scale_ms: f64,
        /// The shape.
        shape: f64,
    },
    /// Pareto cut off at both ends: a power-law tail (most work short, a few pieces very long)
    /// with a finite worst case, as file sizes and job lengths have.
    BoundedPareto {
        /// The shortest, in milliseconds (> 0).
        min_ms: f64,
        /// The longest, in milliseconds (above `min_ms`).
        max_ms: f64,
        /// The tail index: the smaller, the heavier the tail.
        alpha: f64,
    },
    /// One of the listed times, each equally likely: a measured latency profile.
    Empirical {
        /// The times to pick from, in milliseconds (a time may be listed more than once).
        samples_ms: Vec<f64>,
    },
}

/// A [`Duration::LogNormal`]'s `sigma`.
pub const SIGMA: Bound = Bound::new(
    0.0,
    4.0,
    "at 4 the mean is already 3,000 times the median (e^8): it comes from draws too rare for a \
     run to see (1 is a very heavy tail)",
);
/// A [`Duration::Gamma`]'s `shape`. Below 0.1 the median is a thousandth of the mean; above
/// 1,000 the coefficient of variation is 3%.
pub const GAMMA_SHAPE: Bound = Bound::new(
    0.1,
    1_000.0,
    "below 0.1 the mean comes from rare, huge draws no run sees enough of; above 1,000 the time \
     varies by 3%, which a constant says more plainly (1 is exponential, a whole k Erlang-k)",
);
/// A [`Duration::Weibull`]'s `shape`. At 0.2 the mean is already 120 times the scale and the
/// coefficient of variation 16 (heavier than a log-normal with sigma 2); at 20 it is 6%.
pub const WEIBULL_SHAPE: Bound = Bound::new(
    0.2,
    20.0,
    "at 0.2 the mean is already 120 times the scale, at 20 the time varies by 6% (below 1 a \
     heavy tail, 1 is exponential)",
);
/// A [`Duration::BoundedPareto`]'s `alpha`. Measured heavy tails lie between 1 and 2; at 0.1
/// the times spread almost evenly on a log scale, at 10 nearly all sit at the minimum.
pub const PARETO_ALPHA: Bound = Bound::new(
    0.1,
    10.0,
    "at 0.1 the times spread evenly on a log scale, at 10 nearly all sit at the minimum \
     (measured systems show 1 to 2)",
);
/// How many times a [`Duration::Empirical`] lists: each is kept in memory, and a list is
/// written out in full in a share link.
pub const EMPIRICAL_SAMPLES: Bound = Bound::new(
    1.0,
    10_000.0,
    "plenty for a measured profile, and at most about 90 KB of a share link",
);
/// The most times a [`Duration::Empirical`] may list ([`EMPIRICAL_SAMPLES`]' top).
pub const MAX_EMPIRICAL_SAMPLES: usize = EMPIRICAL_SAMPLES.most as usize;

/// The most tries of a rejection sampler (gamma, Zipf) for one draw. Each accepts at least
/// 95% of its tries for every parameter within bounds (measured over the whole range: the
/// mean is under 1.04 tries, the most seen in 20,000 draws 4), so 32 rejections in a row have
/// a probability below 10^-40: the cap bounds the work of a draw without changing any draw a
/// run will ever make. Should it ever be reached, the last try's value is taken.
pub const MAX_TRIES: u32 = 32;

impl Duration {
    /// The distributions, as scenario files name them.
    pub const NAMES: [&'static str; 8] = [
        "constant",
        "exponential",
        "log_normal",
        "uniform",
        "gamma",
        "weibull",
        "bounded_pareto",
        "empirical",
    ];

    /// An exponential duration with the given mean.
    pub fn exponential(mean_ms: f64) -> Self {
        Duration::Exponential { mean_ms }
    }

    /// A constant duration.
    pub fn constant(ms: f64) -> Self {
        Duration::Constant { ms }
    }

    /// The name scenario files use (one of [`Duration::NAMES`]).
    pub fn name(&self) -> &'static str {
        match self {
            Duration::Constant { .. } => "constant",
            Duration::Exponential { .. } => "exponential",
            Duration::LogNormal { .. } => "log_normal",
            Duration::Uniform { .. } => "uniform",
            Duration::Gamma { .. } => "gamma",
            Duration::Weibull { .. } => "weibull",
            Duration::BoundedPareto { .. } => "bounded_pareto",
            Duration::Empirical { .. } => "empirical",
        }
    }

    /// The mean, in milliseconds: what capacity planning and the validator's hints use.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Duration::Constant { ms } => ms,
            Duration::Exponential { mean_ms } | Duration::Gamma { mean_ms, .. } => mean_ms,
            Duration::LogNormal { median_ms, sigma } => median_ms * libm::exp(sigma * sigma / 2.0),
            Duration::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
            Duration::Weibull { scale_ms, shape } => scale_ms * libm::tgamma(1.0 + 1.0 / shape),
            Duration::BoundedPareto {
                min_ms,
                max_ms,
                alpha,
            } => bounded_pareto_moment(min_ms, max_ms, alpha, 1.0),
            Duration::Empirical { ref samples_ms } if samples_ms.is_empty() => 0.0,
            Duration::Empirical { ref samples_ms } => {
                samples_ms.iter().sum::<f64>() / samples_ms.len() as f64
            }
        }
    }

    /// Why the parameters cannot be sampled, if they cannot; the message names the parameter,
    /// its value and its bound.
    pub fn problem(&self) -> Option<Cow<'static, str>> {
        let within = |field: &str, bound: &Bound, x: f64| bound.check(field, &x);
        let positive = |field: &str, ms: f64| {
            within(field, &MS, ms).or_else(|| {
                (ms == 0.0).then(|| {
                    format!("{field} is 0; it must be above 0 (for no time at all, use constant)")
                })
            })
        };
        let ordered = |min_ms: f64, max_ms: f64, hint: &str| {
            (min_ms >= max_ms).then(|| format!("min_ms must be below max_ms{hint}"))
        };
        let problem = match *self {
            Duration::Constant { ms } => within("ms", &MS, ms),
            Duration::Exponential { mean_ms } => positive("mean_ms", mean_ms),
            Duration::LogNormal { median_ms, sigma } => {
                positive("median_ms", median_ms).or_else(|| within("sigma", &SIGMA, sigma))
            }
            Duration::Uniform { min_ms, max_ms } => within("min_ms", &MS, min_ms)
                .or_else(|| within("max_ms", &MS, max_ms))
                .or_else(|| {
                    ordered(
                        min_ms,
                        max_ms,
                        " (for a time that never varies, use constant)",
                    )
                }),
            Duration::Gamma { mean_ms, shape } => {
                positive("mean_ms", mean_ms).or_else(|| within("shape", &GAMMA_SHAPE, shape))
            }
            Duration::Weibull { scale_ms, shape } => {
                positive("scale_ms", scale_ms).or_else(|| within("shape", &WEIBULL_SHAPE, shape))
            }
            Duration::BoundedPareto {
                min_ms,
                max_ms,
                alpha,
            } => positive("min_ms", min_ms)
                .or_else(|| within("max_ms", &MS, max_ms))
                .or_else(|| ordered(min_ms, max_ms, ""))
                .or_else(|| within("alpha", &PARETO_ALPHA, alpha)),
            Duration::Empirical { ref samples_ms } => empirical_problem(samples_ms),
        };
        problem.map(Cow::Owned)
    }

    /// Compiles the distribution into a sampler with its constants worked out once.
    pub fn sampler(&self) -> Sampler {
        let ns = |ms: f64| ms * NANOS_PER_MS;
        match *self {
            Duration::Constant { ms } => Sampler::Constant(from_ms(ms)),
            Duration::Exponential { mean_ms } => Sampler::Exponential {
                mean_ns: ns(mean_ms),
            },
            Duration::LogNormal { median_ms, sigma } => Sampler::LogNormal {
                mu: libm::log(ns(median_ms)),
                sigma,
            },
            Duration::Uniform { min_ms, max_ms } => Sampler::Uniform {
                min_ns: ns(min_ms),
                width_ns: ns(max_ms - min_ms),
            },
            Duration::Gamma { mean_ms, shape } => {
                // Marsaglia and Tsang need a shape of at least 1: below it, draw with shape + 1
                // and multiply by U^(1/shape).
                let (a, boost) = if shape < 1.0 {
                    (shape + 1.0, Some(1.0 / shape))
                } else {
                    (shape, None)
                };
                let d = a - 1.0 / 3.0;
                Sampler::Gamma {
                    d,
                    c: 1.0 / libm::sqrt(9.0 * d),
                    boost,
                    scale_ns: ns(mean_ms) / shape,
                }
            }
            Duration::Weibull { scale_ms, shape } => Sampler::Weibull {
                scale_ns: ns(scale_ms),
                inv_shape: 1.0 / shape,
            },
            Duration::BoundedPareto {
                min_ms,
                max_ms,
                alpha,
            } => Sampler::BoundedPareto {
                min_ns: ns(min_ms),
                // 1 − (min/max)^alpha, accurate when it is small.
                span: -libm::expm1(-alpha * libm::log(max_ms / min_ms)),
                inv_alpha: 1.0 / alpha,
            },
            Duration::Empirical { ref samples_ms } if samples_ms.is_empty() => Sampler::Constant(0),
            Duration::Empirical { ref samples_ms } => {
                Sampler::Empirical(samples_ms.iter().map(|&ms| from_ms(ms)).collect())
            }
        }
    }
}

/// What is wrong with an empirical distribution's list, naming the sample.
fn empirical_problem(samples_ms: &[f64]) -> Option<String> {
    if samples_ms.is_empty() {
        return Some("samples_ms needs at least one sample".into());
    }
    if let Some(problem) = EMPIRICAL_SAMPLES.check("samples_ms", &samples_ms.len()) {
        return Some(problem);
    }
    samples_ms
        .iter()
        .enumerate()
        .find_map(|(i, &ms)| MS.check(&format!("samples_ms[{i}]"), &ms))
}

/// `E[X^m]` of a Pareto with tail index `alpha` bounded to `[min, max]`:
/// `alpha · min^m · ℓ · g((m − alpha) ℓ) / (1 − e^(−alpha ℓ))` with `ℓ = ln(max/min)` and
/// `g(x) = (e^x − 1)/x`, which stays exact where the textbook form divides 0 by 0 (m = alpha).
fn bounded_pareto_moment(min: f64, max: f64, alpha: f64, m: f64) -> f64 {
    let l = libm::log(max / min);
    alpha * libm::pow(min, m) * l * helper_expm1_over_x((m - alpha) * l) / -libm::expm1(-alpha * l)
}

/// Written as `{"exponential": {"mean_ms": 10.0}}`.
impl FromJson for Duration {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &[], &Self::NAMES)?;
        match name {
            "constant" => variant_fields(name, settings, &["ms"], |f| {
                Ok(Duration::Constant { ms: f.req("ms")? })
            }),
            "exponential" => variant_fields(name, settings, &["mean_ms"], |f| {
                Ok(Duration::Exponential {
                    mean_ms: f.req("mean_ms")?,
                })
            }),
            "log_normal" => variant_fields(name, settings, &["median_ms", "sigma"], |f| {
                Ok(Duration::LogNormal {
                    median_ms: f.req("median_ms")?,
                    sigma: f.req("sigma")?,
                })
            }),
            "uniform" => variant_fields(name, settings, &["min_ms", "max_ms"], |f| {
                Ok(Duration::Uniform {
                    min_ms: f.req("min_ms")?,
                    max_ms: f.req("max_ms")?,
                })
            }),
            "gamma" => variant_fields(name, settings, &["mean_ms", "shape"], |f| {
                Ok(Duration::Gamma {
                    mean_ms: f.req("mean_ms")?,
                    shape: f.req("shape")?,
                })
            }),
            "weibull" => variant_fields(name, settings, &["scale_ms", "shape"], |f| {
                Ok(Duration::Weibull {
                    scale_ms: f.req("scale_ms")?,
                    shape: f.req("shape")?,
                })
            }),
            "bounded_pareto" => {
                variant_fields(name, settings, &["min_ms", "max_ms", "alpha"], |f| {
                    Ok(Duration::BoundedPareto {
                        min_ms: f.req("min_ms")?,
                        max_ms: f.req("max_ms")?,
                        alpha: f.req("alpha")?,
                    })
                })
            }
            _ => variant_fields(name, settings, &["samples_ms"], |f| {
                Ok(Duration::Empirical {
                    samples_ms: f.req("samples_ms")?,
                })
            }),
        }
    }
}

impl ToJson for Duration {
    fn to_tree(&self) -> Json {
        let settings = match self {
            Duration::Constant { ms } => Json::object([("ms", ms.to_tree())]),
            Duration::Exponential { mean_ms } => Json::object([("mean_ms", mean_ms.to_tree())]),
            Duration::LogNormal { median_ms, sigma } => Json::object([
                ("median_ms", median_ms.to_tree()),
                ("sigma", sigma.to_tree()),
            ]),
            Duration::Uniform { min_ms, max_ms } => {
                Json::object([("min_ms", min_ms.to_tree()), ("max_ms", max_ms.to_tree())])
            }
            Duration::Gamma { mean_ms, shape } => {
                Json::object([("mean_ms", mean_ms.to_tree()), ("shape", shape.to_tree())])
            }
            Duration::Weibull { scale_ms, shape } => {
                Json::object([("scale_ms", scale_ms.to_tree()), ("shape", shape.to_tree())])
            }
            Duration::BoundedPareto {
                min_ms,
                max_ms,
                alpha,
            } => Json::object([
                ("min_ms", min_ms.to_tree()),
                ("max_ms", max_ms.to_tree()),
                ("alpha", alpha.to_tree()),
            ]),
            Duration::Empirical { samples_ms } => {
                Json::object([("samples_ms", samples_ms.to_tree())])
            }
        };
        Json::tagged(self.name(), settings)
    }
}

/// A ready-to-draw [`Duration`], in nanoseconds.
#[derive(Clone, Debug)]
pub enum Sampler {
    /// Always this many nanoseconds.
    Constant(SimTime),
    /// Exponential with this mean.
    Exponential {
        /// Mean in nanoseconds.
        mean_ns: f64,
    },
    /// `exp(N(mu, sigma))` nanoseconds.
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
    /// `min_ns + width_ns · U`.
    Uniform {
        /// The shortest, in nanoseconds.
        min_ns: f64,
        /// The longest minus the shortest.
        width_ns: f64,
    },
    /// Gamma by Marsaglia and Tsang (2000): `d · v` for a shape `d + 1/3`, times
    /// `U^boost` when the shape is below 1, times the scale.
    Gamma {
        /// The shape drawn (at least 1) minus 1/3.
        d: f64,
        /// `1/√(9d)`.
        c: f64,
        /// `1/shape`, for a shape below 1 (drawn as shape + 1).
        boost: Option<f64>,
        /// The scale (mean / shape), in nanoseconds.
        scale_ns: f64,
    },
    /// `scale_ns · (−ln U)^inv_shape`, by inversion.
    Weibull {
        /// The scale, in nanoseconds.
        scale_ns: f64,
        /// `1/shape`.
        inv_shape: f64,
    },
    /// `min_ns · (1 − U · span)^(−inv_alpha)`, by inversion.
    BoundedPareto {
        /// The shortest, in nanoseconds.
        min_ns: f64,
        /// `1 − (min/max)^alpha`: the probability mass between the bounds.
        span: f64,
        /// `1/alpha`.
        inv_alpha: f64,
    },
    /// One of these, uniformly.
    Empirical(Box<[SimTime]>),
}

impl Sampler {
    /// Draws one duration.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> SimTime {
        let ns = match *self {
            Sampler::Constant(t) => return t,
            Sampler::Exponential { mean_ns } => exponential(rng, mean_ns),
            Sampler::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
            Sampler::Uniform { min_ns, width_ns } => min_ns + width_ns * rng.open01(),
            Sampler::Gamma {
                d,
                c,
                boost,
                scale_ns,
            } => {
                let g = marsaglia_tsang(rng, d, c);
                let g = match boost {
                    Some(inv_shape) => g * libm::pow(rng.open01(), inv_shape),
                    None => g,
                };
                g * scale_ns
            }
            Sampler::Weibull {
                scale_ns,
                inv_shape,
            } => scale_ns * libm::pow(-libm::log(rng.open01()), inv_shape),
            Sampler::BoundedPareto {
                min_ns,
                span,
                inv_alpha,
            } => min_ns * libm::pow(1.0 - rng.open01() * span, -inv_alpha),
            Sampler::Empirical(ref samples) => {
                return samples[rng.below(samples.len() as u64) as usize]
            }
        };
        libm::round(ns) as SimTime
    }
}

/// A standard gamma variate of shape `d + 1/3` (at least 1), with `c = 1/√(9d)`: Marsaglia
/// and Tsang's squeeze-and-reject on a transformed normal, which accepts over 95% of tries
/// for every shape; at most [`MAX_TRIES`] tries (then the last, or the mode `d`).
fn marsaglia_tsang(rng: &mut Stream, d: f64, c: f64) -> f64 {
    let mut last = d;
    for _ in 0..MAX_TRIES {
        let x = standard_normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = rng.open01();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
            return d * v;
        }
        last = d * v;
    }
    last
}

/// An exponential variate with the given mean, by inversion.
#[inline]
pub fn exponential(rng: &mut Stream, mean: f64) -> f64 {
    -mean * libm::log(rng.open01())
}

/// A standard normal variate (Box-Muller; one of the pair is discarded to keep no hidden state).
pub fn standard_normal(rng: &mut Stream) -> f64 {
    let r = libm::sqrt(-2.0 * libm::log(rng.open01()));
    r * libm::cos(std::f64::consts::TAU * rng.open01())
}

/// Zipf popularity over ranks `1..=n` with exponent `s`: rank k has weight `k^-s`.
///
/// Rejection-inversion sampling (Hörmann and Derflinger, 1996): constant time per draw and no
/// table, so set-up and memory do not grow with `n` (a key space of 10^15 costs what one of 10
/// does). Ranks are worked out in doubles, exact for every whole number below 2^53.
#[derive(Clone, Debug)]
pub struct Zipf {
    n: f64,
    s: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    squeeze: f64,
}

impl Zipf {
    /// A sampler over `1..=n`; `n >= 1`, `s > 0`.
    pub fn new(n: u64, s: f64) -> Self {
        let mut z = Zipf {
            n: n as f64,
            s,
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            squeeze: 0.0,
        };
        z.h_integral_x1 = z.h_integral(1.5) - 1.0;
        z.h_integral_n = z.h_integral(z.n + 0.5);
        z.squeeze = 2.0 - z.h_integral_inv(z.h_integral(2.5) - z.h(2.0));
        z
    }

    /// Draws a rank in `1..=n`, in at most [`MAX_TRIES`] tries (over 96% of tries are
    /// accepted for every `n` and `s` within bounds; should all fail, the last is taken).
    pub fn sample(&self, rng: &mut Stream) -> u64 {
        let mut k = 1.0;
        for _ in 0..MAX_TRIES {
            let u = self.h_integral_n + rng.open01() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inv(u);
            k = libm::round(x).clamp(1.0, self.n);
            if k - x <= self.squeeze || u >= self.h_integral(k + 0.5) - self.h(k) {
                break;
            }
        }
        (k as u64).max(1) // a NaN (no bound admits one) is rank 1
    }

    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.s * libm::log(x))
    }

    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        helper_expm1_over_x((1.0 - self.s) * log_x) * log_x
    }

    fn h_integral_inv(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.s)).max(-1.0);
        libm::exp(helper_log1p_over_x(t) * x)
    }
}

/// `(e^x - 1) / x`, accurate near zero.
fn helper_expm1_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x))
    }
}

/// `ln(1 + x) / x`, accurate near zero.
fn helper_log1p_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// In a version-2 link: a variant tag (constant, append-only), then the parameters in order
/// (an empirical list as a count, then its numbers).
impl LinkValue for Duration {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        match self {
            Duration::Constant { ms } => {
                w.byte(Duration::CONSTANT);
                w.number(*ms);
            }
            Duration::Exponential { mean_ms } => {
                w.byte(Duration::EXPONENTIAL);
                w.number(*mean_ms);
            }
            Duration::LogNormal { median_ms, sigma } => {
                w.byte(Duration::LOG_NORMAL);
                w.number(*median_ms);
                w.number(*sigma);
            }
            Duration::Uniform { min_ms, max_ms } => {
                w.byte(Duration::UNIFORM);
                w.number(*min_ms);
                w.number(*max_ms);
            }
            Duration::Gamma { mean_ms, shape } => {
                w.byte(Duration::GAMMA);
                w.number(*mean_ms);
                w.number(*shape);
            }
            Duration::Weibull { scale_ms, shape } => {
                w.byte(Duration::WEIBULL);
                w.number(*scale_ms);
                w.number(*shape);
            }
            Duration::BoundedPareto {
                min_ms,
                max_ms,
                alpha,
            } => {
                w.byte(Duration::BOUNDED_PARETO);
                w.number(*min_ms);
                w.number(*max_ms);
                w.number(*alpha);
            }
            Duration::Empirical { samples_ms } => {
                w.byte(Duration::EMPIRICAL);
                samples_ms.write(w, ids);
            }
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            Duration::CONSTANT => Duration::Constant {
                ms: r.number(field)?,
            },
            Duration::EXPONENTIAL => Duration::Exponential {
                mean_ms: r.number(field)?,
            },
            Duration::LOG_NORMAL => Duration::LogNormal {
                median_ms: r.number(field)?,
                sigma: r.number(field)?,
            },
            Duration::UNIFORM => Duration::Uniform {
                min_ms: r.number(field)?,
                max_ms: r.number(field)?,
            },
            Duration::GAMMA => Duration::Gamma {
                mean_ms: r.number(field)?,
                shape: r.number(field)?,
            },
            Duration::WEIBULL => Duration::Weibull {
                scale_ms: r.number(field)?,
                shape: r.number(field)?,
            },
            Duration::BOUNDED_PARETO => Duration::BoundedPareto {
                min_ms: r.number(field)?,
                max_ms: r.number(field)?,
                alpha: r.number(field)?,
            },
            Duration::EMPIRICAL => Duration::Empirical {
                samples_ms: Vec::read(r, ids, field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

/// Variant tags in a version-2 link: append-only, never reused or renumbered.
impl Duration {
    const CONSTANT: u8 = 0;
    const EXPONENTIAL: u8 = 1;
    const LOG_NORMAL: u8 = 2;
    const UNIFORM: u8 = 3;
    const GAMMA: u8 = 4;
    const WEIBULL: u8 = 5;
    const BOUNDED_PARETO: u8 = 6;
    const EMPIRICAL: u8 = 7;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_and_var(samples: &[f64]) -> (f64, f64) {
        let n = samples.len() as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn exponential_mean_and_variance_match_theory() {
        // Theory: mean 4 ms, variance mean^2 = 16 ms^2.
        let mut rng = Stream::from_seed(11);
        let s = Duration::exponential(4.0).sampler();
        let xs: Vec<f64> = (0..400_000)
            .map(|_| s.sample(&mut rng) as f64 / 1e6)
            .collect();
        let (m, v) = mean_and_var(&xs);
        assert!((m - 4.0).abs() / 4.0 < 0.01, "mean {m}");
        assert!((v - 16.0).abs() / 16.0 < 0.03, "variance {v}");
    }

    #[test]
    fn log_normal_median_and_mean_match_theory() {
        // Theory: median 10 ms; mean = median * e^(sigma^2/2) = 10 * e^0.125 = 11.331 ms.
        let d = Duration::LogNormal {
            median_ms: 10.0,
            sigma: 0.5,
        };
        let s = d.sampler();
        let mut rng = Stream::from_seed(5);
        let mut xs: Vec<f64> = (0..400_000)
            .map(|_| s.sample(&mut rng) as f64 / 1e6)
            .collect();
        let (m, _) = mean_and_var(&xs);
        assert!((m - d.mean_ms()).abs() / d.mean_ms() < 0.01, "mean {m}");
        xs.sort_by(f64::total_cmp);
        let median = xs[xs.len() / 2];
        assert!((median - 10.0).abs() < 0.1, "median {median}");
    }

    #[test]
    fn constant_is_constant() {
        let mut rng = Stream::from_seed(0);
        let s = Duration::constant(2.5).sampler();
        assert!((0..100).all(|_| s.sample(&mut rng) == 2_500_000));
    }

    #[test]
    fn zipf_frequencies_match_the_probability_mass_function() {
        for (n, s) in [(10u64, 1.0), (1000, 0.8), (50, 1.5)] {
            let z = Zipf::new(n, s);
            let mut rng = Stream::from_seed(n);
            let draws = 300_000;
            let mut counts = vec![0u64; n as usize + 1];
            for _ in 0..draws {
                let k = z.sample(&mut rng);
                assert!((1..=n).contains(&k));
                counts[k as usize] += 1;
            }
            let norm: f64 = (1..=n).map(|k| (k as f64).powf(-s)).sum();
            for k in 1..=5u64 {
                let expected = (k as f64).powf(-s) / norm * draws as f64;
                let got = counts[k as usize] as f64;
                let sd = expected.sqrt();
                assert!(
                    (got - expected).abs() < 5.0 * sd,
                    "n={n} s={s} rank {k}: {got} vs {expected:.0}"
                );
            }
        }
    }

    #[test]
    fn problems_are_named() {
        assert!(Duration::exponential(0.0).problem().is_some());
        assert!(Duration::constant(-1.0).problem().is_some());
        assert!(Duration::exponential(3.0).problem().is_none());
    }

    /// One of each distribution added after the first three, as the JSON writer writes it.
    fn new_variants() -> [(&'static str, Duration); 5] {
        [
            (
                r#"{"uniform":{"min_ms":2.0,"max_ms":10.0}}"#,
                Duration::Uniform {
                    min_ms: 2.0,
                    max_ms: 10.0,
                },
            ),
            (
                r#"{"gamma":{"mean_ms":4.0,"shape":3.0}}"#,
                Duration::Gamma {
                    mean_ms: 4.0,
                    shape: 3.0,
                },
            ),
            (
                r#"{"weibull":{"scale_ms":3.0,"shape":0.5}}"#,
                Duration::Weibull {
                    scale_ms: 3.0,
                    shape: 0.5,
                },
            ),
            (
                r#"{"bounded_pareto":{"min_ms":1.0,"max_ms":1000.0,"alpha":1.5}}"#,
                Duration::BoundedPareto {
                    min_ms: 1.0,
                    max_ms: 1000.0,
                    alpha: 1.5,
                },
            ),
            (
                r#"{"empirical":{"samples_ms":[1.0,2.0,2.0,10.5]}}"#,
                Duration::Empirical {
                    samples_ms: vec![1.0, 2.0, 2.0, 10.5],
                },
            ),
        ]
    }

    /// The first draws of each sampler from one seed, in nanoseconds: the same natively and in
    /// wasm (libm only). A change here changes every run using the distribution: re-pin on
    /// purpose, never to make a test pass.
    #[test]
    fn seeded_draws_are_pinned() {
        let pinned: [&[SimTime]; 5] = [
            &[4_185_354, 2_143_640, 8_910_369, 6_059_573], // uniform 2..10 ms
            &[8_303_834, 4_782_180, 2_443_133, 872_394],   // gamma, mean 4 ms, shape 3
            &[5_051_793, 48_478_446, 64_315, 1_380_532],   // weibull 3 ms, shape 0.5
            &[1_237_013, 1_012_152, 3_777_018, 1_603_326], // bounded pareto 1..1000, 1.5
            &[2_000_000, 1_000_000, 10_500_000, 2_000_000], // empirical
        ];
        for ((_, d), expected) in new_variants().into_iter().zip(pinned) {
            let s = d.sampler();
            let mut rng = Stream::from_seed(2024);
            let draws: Vec<SimTime> = (0..4).map(|_| s.sample(&mut rng)).collect();
            assert_eq!(draws, expected, "{d:?}");
        }
    }

    #[test]
    fn new_variants_read_and_write_the_documented_json() {
        use crate::json::{compact, parse};
        for (text, d) in new_variants() {
            assert_eq!(Duration::from_tree(&parse(text).unwrap()).unwrap(), d);
            assert_eq!(compact(&d.to_tree()), text);
            assert_eq!(d.problem(), None, "{text}");
            assert!(Duration::NAMES.contains(&d.name()));
        }
        let err = Duration::from_tree(&parse(r#"{"gamma":{"mean_ms":4}}"#).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "gamma: missing field `shape`");
        let err = Duration::from_tree(&parse(r#"{"empirical":{"samples_ms":[1,"x"]}}"#).unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "empirical.samples_ms[1]: expected a number, found a string"
        );
    }

    /// Variant tags are constants of the link format: pinned here, byte for byte.
    #[test]
    fn each_variant_keeps_its_link_tag_and_reads_back() {
        let ids = IdIndex::new(std::iter::empty());
        let old = [
            Duration::constant(0.5),
            Duration::exponential(10.0),
            Duration::LogNormal {
                median_ms: 4.0,
                sigma: 0.5,
            },
        ];
        let all = old
            .into_iter()
            .chain(new_variants().into_iter().map(|(_, d)| d));
        for (d, tag) in all.zip(0u8..) {
            let mut w = Writer::default();
            d.write(&mut w, &ids);
            let bytes = w.finish();
            assert_eq!(bytes[0], tag, "{d:?}");
            let mut r = Reader::new(&bytes);
            assert_eq!(Duration::read(&mut r, &[], "service_time").unwrap(), d);
            r.finish().unwrap();
        }
        let err = Duration::read(&mut Reader::new(&[8, 0]), &[], "service_time").unwrap_err();
        assert!(err.to_string().contains("service_time (tag 8)"), "{err}");
        // A forged sample count larger than the bytes left is refused before allocating.
        let err = Duration::read(&mut Reader::new(&[7, 0xff, 0x7f]), &[], "t").unwrap_err();
        assert!(err.to_string().contains('t'), "{err}");
    }

    #[test]
    fn bounds_hold_at_their_edges_and_the_refusals_name_the_parameter() {
        let day = MAX_MS;
        let accepted = [
            Duration::Uniform {
                min_ms: 0.0,
                max_ms: day,
            },
            Duration::Gamma {
                mean_ms: day,
                shape: 0.1,
            },
            Duration::Gamma {
                mean_ms: 0.001,
                shape: 1000.0,
            },
            Duration::Weibull {
                scale_ms: day,
                shape: 0.2,
            },
            Duration::Weibull {
                scale_ms: 1.0,
                shape: 20.0,
            },
            Duration::BoundedPareto {
                min_ms: 0.001,
                max_ms: day,
                alpha: 0.1,
            },
            Duration::BoundedPareto {
                min_ms: 1.0,
                max_ms: 2.0,
                alpha: 10.0,
            },
            Duration::Empirical {
                samples_ms: vec![0.0; MAX_EMPIRICAL_SAMPLES],
            },
        ];
        for d in &accepted {
            assert_eq!(d.problem(), None, "{d:?}");
        }
        let refused = [
            (
                Duration::Uniform {
                    min_ms: -1.0,
                    max_ms: 5.0,
                },
                "min_ms is -1; it must be from 0 to 86,400,000: a day at most",
            ),
            (
                Duration::Uniform {
                    min_ms: 1.0,
                    max_ms: day * 1.01,
                },
                "max_ms is 87,264,000; it must be from 0 to 86,400,000",
            ),
            (
                Duration::Uniform {
                    min_ms: 5.0,
                    max_ms: 5.0,
                },
                "min_ms must be below max_ms",
            ),
            (
                Duration::Gamma {
                    mean_ms: 0.0,
                    shape: 2.0,
                },
                "mean_ms is 0; it must be above 0",
            ),
            (
                Duration::Gamma {
                    mean_ms: 1.0,
                    shape: 0.099,
                },
                "shape is 0.099; it must be from 0.1 to 1,000: below 0.1",
            ),
            (
                Duration::Gamma {
                    mean_ms: 1.0,
                    shape: f64::NAN,
                },
                "shape is not a number; it must be from 0.1 to 1,000",
            ),
            (
                Duration::Weibull {
                    scale_ms: f64::INFINITY,
                    shape: 1.0,
                },
                "scale_ms is infinite; it must be from 0 to 86,400,000",
            ),
            (
                Duration::Weibull {
                    scale_ms: 1.0,
                    shape: 20.5,
                },
                "shape is 20.5; it must be from 0.2 to 20: ",
            ),
            (
                Duration::BoundedPareto {
                    min_ms: 0.0,
                    max_ms: 5.0,
                    alpha: 1.0,
                },
                "min_ms is 0; it must be above 0",
            ),
            (
                Duration::BoundedPareto {
                    min_ms: 1.0,
                    max_ms: day + 1.0,
                    alpha: 1.0,
                },
                "max_ms is 86,400,001; it must be from 0 to 86,400,000",
            ),
            (
                Duration::BoundedPareto {
                    min_ms: 6.0,
                    max_ms: 5.0,
                    alpha: 1.0,
                },
                "min_ms must be below max_ms",
            ),
            (
                Duration::BoundedPareto {
                    min_ms: 1.0,
                    max_ms: 5.0,
                    alpha: 0.0,
                },
                "alpha is 0; it must be from 0.1 to 10: ",
            ),
            (
                Duration::Empirical { samples_ms: vec![] },
                "samples_ms needs at least one sample",
            ),
            (
                Duration::Empirical {
                    samples_ms: vec![1.0; MAX_EMPIRICAL_SAMPLES + 1],
                },
                "samples_ms is 10,001; it must be from 1 to 10,000: ",
            ),
            (
                Duration::Empirical {
                    samples_ms: vec![1.0, 2.0, -3.0, f64::NAN],
                },
                "samples_ms[2] is -3; it must be from 0 to 86,400,000",
            ),
        ];
        for (d, message) in &refused {
            let problem = d.problem().unwrap_or_else(|| panic!("{d:?} was accepted"));
            assert!(problem.starts_with(message), "{d:?}: {problem}");
        }
    }

    #[test]
    fn bounded_draws_stay_within_their_bounds_and_reach_both_ends() {
        let mut rng = Stream::from_seed(21);
        for (d, lo, hi) in [
            (
                Duration::Uniform {
                    min_ms: 2.0,
                    max_ms: 3.0,
                },
                2.0,
                3.0,
            ),
            (
                Duration::BoundedPareto {
                    min_ms: 1.0,
                    max_ms: 50.0,
                    alpha: 0.5,
                },
                1.0,
                50.0,
            ),
        ] {
            let s = d.sampler();
            let xs: Vec<f64> = (0..100_000)
                .map(|_| s.sample(&mut rng) as f64 / 1e6)
                .collect();
            let (min, max) = xs
                .iter()
                .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
            assert!(min >= lo && max <= hi, "{d:?}: {min} to {max}");
            let reach = (hi - lo) * 0.01;
            assert!(
                min < lo + reach && max > hi - reach,
                "{d:?}: {min} to {max}"
            );
        }
    }

    #[test]
    fn empirical_picks_only_and_every_listed_sample() {
        let s = Duration::Empirical {
            samples_ms: vec![1.0, 2.5, 2.5, 7.0],
        }
        .sampler();
        let mut rng = Stream::from_seed(4);
        let mut counts = std::collections::BTreeMap::new();
        for _ in 0..40_000 {
            *counts.entry(s.sample(&mut rng)).or_insert(0u32) += 1;
        }
        let keys: Vec<SimTime> = counts.keys().copied().collect();
        assert_eq!(keys, [1_000_000, 2_500_000, 7_000_000]);
        // 2.5 is listed twice: twice as likely (20,000 of 40,000, binomial sd 100).
        assert!((19_600..20_400).contains(&counts[&2_500_000]), "{counts:?}");
    }

    #[test]
    fn gamma_below_shape_one_is_boosted_and_above_is_not() {
        let boosted = Duration::Gamma {
            mean_ms: 1.0,
            shape: 0.5,
        };
        let Sampler::Gamma { d, boost, .. } = boosted.sampler() else {
            panic!("a gamma sampler")
        };
        assert_eq!(boost, Some(2.0));
        assert!((d - (1.5 - 1.0 / 3.0)).abs() < 1e-15);
        let plain = Duration::Gamma {
            mean_ms: 1.0,
            shape: 3.0,
        };
        assert!(matches!(
            plain.sampler(),
            Sampler::Gamma { boost: None, .. }
        ));
    }

    #[test]
    fn bounded_pareto_mean_is_exact_at_alpha_one_and_continuous_across_it() {
        // alpha = 1: E[X] = L H ln(H/L) / (H - L), where the general formula divides 0 by 0.
        let (l, h) = (2.0, 800.0);
        let mean = |alpha: f64| {
            Duration::BoundedPareto {
                min_ms: l,
                max_ms: h,
                alpha,
            }
            .mean_ms()
        };
        let exact = l * h * (h / l).ln() / (h - l);
        assert!((mean(1.0) - exact).abs() / exact < 1e-12, "{}", mean(1.0));
        for near in [1.0 - 1e-9, 1.0 + 1e-9] {
            assert!((mean(near) - exact).abs() / exact < 1e-7, "{}", mean(near));
        }
        // alpha = 2.5, by the textbook form: alpha L^alpha (H^(1-alpha) - L^(1-alpha)) /
        // ((1 - alpha) (1 - (L/H)^alpha)).
        let a: f64 = 2.5;
        let textbook = a * l.powf(a) * (h.powf(1.0 - a) - l.powf(1.0 - a))
            / ((1.0 - a) * (1.0 - (l / h).powf(a)));
        assert!((mean(a) - textbook).abs() / textbook < 1e-12);
    }

    #[test]
    fn rejection_samplers_stop_after_their_tries_even_when_every_try_fails() {
        // Parameters no bound admits make every try fail: before the cap these never returned.
        let mut rng = Stream::from_seed(9);
        assert!(marsaglia_tsang(&mut rng, f64::NAN, f64::NAN).is_nan());
        let z = Zipf::new(10, f64::NAN);
        assert!((1..=10).contains(&z.sample(&mut rng)));
        // Within bounds the cap changes nothing: the extremes draw their theoretical means.
        for (shape, tolerance) in [(GAMMA_SHAPE.least, 0.05), (GAMMA_SHAPE.most, 0.001)] {
            let s = Duration::Gamma {
                mean_ms: 1.0,
                shape,
            }
            .sampler();
            let n = 200_000;
            let mean = (0..n).map(|_| s.sample(&mut rng) as f64).sum::<f64>() / n as f64;
            assert!(
                (mean / 1e6 - 1.0).abs() < tolerance,
                "shape {shape}: {mean}"
            );
        }
    }

    #[test]
    fn zipf_over_the_largest_key_space_costs_what_a_small_one_does() {
        // No table: the sampler is five numbers whatever n, and a uniform-ish exponent spreads
        // over the whole range.
        assert_eq!(
            std::mem::size_of_val(&Zipf::new(1_000_000_000_000_000, 0.001)),
            std::mem::size_of_val(&Zipf::new(10, 1.0))
        );
        let z = Zipf::new(1_000_000_000_000_000, 0.001);
        let mut rng = Stream::from_seed(12);
        let n = 20_000;
        let mean = (0..n).map(|_| z.sample(&mut rng) as f64).sum::<f64>() / n as f64;
        assert!((mean / 5e14 - 1.0).abs() < 0.03, "{mean:e}");
    }
}
