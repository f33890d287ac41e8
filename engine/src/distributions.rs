//! Probability distributions, sampled with `libm` so every target draws the same numbers.

use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::random::Stream;
use crate::time::{from_ms, SimTime, NANOS_PER_MS};

/// The longest duration a scenario may state (one day, in milliseconds): far beyond any
/// request, and far from where simulated time (u64 nanoseconds) could overflow.
pub const MAX_MS: f64 = 86_400_000.0;

/// True for a number of milliseconds from 0 to [`MAX_MS`].
pub fn valid_ms(ms: f64) -> bool {
    ms.is_finite() && (0.0..=MAX_MS).contains(&ms)
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
}

impl Duration {
    /// An exponential duration with the given mean.
    pub fn exponential(mean_ms: f64) -> Self {
        Duration::Exponential { mean_ms }
    }

    /// A constant duration.
    pub fn constant(ms: f64) -> Self {
        Duration::Constant { ms }
    }

    /// The mean, in milliseconds: what capacity planning and the validator's hints use.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Duration::Constant { ms } => ms,
            Duration::Exponential { mean_ms } => mean_ms,
            Duration::LogNormal { median_ms, sigma } => median_ms * libm::exp(sigma * sigma / 2.0),
        }
    }

    /// Why the parameters cannot be sampled, if they cannot.
    pub fn problem(&self) -> Option<&'static str> {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        match *self {
            Duration::Constant { ms } if !valid_ms(ms) => {
                Some("must be a number of milliseconds from 0 to 86,400,000 (a day)")
            }
            Duration::Exponential { mean_ms } if !(valid_ms(mean_ms) && mean_ms > 0.0) => {
                Some("the mean must be a number of milliseconds > 0, at most a day")
            }
            Duration::LogNormal { median_ms, .. } if !(valid_ms(median_ms) && median_ms > 0.0) => {
                Some("the median must be a number of milliseconds > 0, at most a day")
            }
            Duration::LogNormal { sigma, .. } if !(ok(sigma) && sigma <= 4.0) => {
                Some("sigma must be between 0 and 4 (1 is already a very heavy tail)")
            }
            _ => None,
        }
    }

    /// Compiles the distribution into a sampler with its constants worked out once.
    pub fn sampler(&self) -> Sampler {
        match *self {
            Duration::Constant { ms } => Sampler::Constant(from_ms(ms)),
            Duration::Exponential { mean_ms } => Sampler::Exponential {
                mean_ns: mean_ms * NANOS_PER_MS,
            },
            Duration::LogNormal { median_ms, sigma } => Sampler::LogNormal {
                mu: libm::log(median_ms * NANOS_PER_MS),
                sigma,
            },
        }
    }
}

/// Written as `{"exponential": {"mean_ms": 10.0}}`.
impl FromJson for Duration {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &[], &["constant", "exponential", "log_normal"])?;
        match name {
            "constant" => variant_fields(name, settings, &["ms"], |f| {
                Ok(Duration::Constant { ms: f.req("ms")? })
            }),
            "exponential" => variant_fields(name, settings, &["mean_ms"], |f| {
                Ok(Duration::Exponential {
                    mean_ms: f.req("mean_ms")?,
                })
            }),
            _ => variant_fields(name, settings, &["median_ms", "sigma"], |f| {
                Ok(Duration::LogNormal {
                    median_ms: f.req("median_ms")?,
                    sigma: f.req("sigma")?,
                })
            }),
        }
    }
}

impl ToJson for Duration {
    fn to_tree(&self) -> Json {
        match *self {
            Duration::Constant { ms } => {
                Json::tagged("constant", Json::object([("ms", ms.to_tree())]))
            }
            Duration::Exponential { mean_ms } => Json::tagged(
                "exponential",
                Json::object([("mean_ms", mean_ms.to_tree())]),
            ),
            Duration::LogNormal { median_ms, sigma } => Json::tagged(
                "log_normal",
                Json::object([
                    ("median_ms", median_ms.to_tree()),
                    ("sigma", sigma.to_tree()),
                ]),
            ),
        }
    }
}

/// A ready-to-draw [`Duration`], in nanoseconds.
#[derive(Clone, Copy, Debug)]
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
}

impl Sampler {
    /// Draws one duration.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> SimTime {
        let ns = match *self {
            Sampler::Constant(t) => return t,
            Sampler::Exponential { mean_ns } => exponential(rng, mean_ns),
            Sampler::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
        };
        libm::round(ns) as SimTime
    }
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
/// table, so a key space of millions costs nothing to set up.
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

    /// Draws a rank in `1..=n`.
    pub fn sample(&self, rng: &mut Stream) -> u64 {
        loop {
            let u = self.h_integral_n + rng.open01() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inv(u);
            let k = libm::round(x).clamp(1.0, self.n);
            if k - x <= self.squeeze || u >= self.h_integral(k + 0.5) - self.h(k) {
                return k as u64;
            }
        }
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

/// In a version-2 link: a variant tag (constant, append-only), then the parameters in order.
impl LinkValue for Duration {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        match *self {
            Duration::Constant { ms } => {
                w.byte(Duration::CONSTANT);
                w.number(ms);
            }
            Duration::Exponential { mean_ms } => {
                w.byte(Duration::EXPONENTIAL);
                w.number(mean_ms);
            }
            Duration::LogNormal { median_ms, sigma } => {
                w.byte(Duration::LOG_NORMAL);
                w.number(median_ms);
                w.number(sigma);
            }
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
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
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}

impl Duration {
    const CONSTANT: u8 = 0;
    const EXPONENTIAL: u8 = 1;
    const LOG_NORMAL: u8 = 2;
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
}
