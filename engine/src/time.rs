//! Simulated time: integer nanoseconds, so sums and comparisons are exact on every target.

/// A point in (or span of) simulated time, in nanoseconds.
pub type SimTime = u64;

/// Nanoseconds in one millisecond.
pub const NANOS_PER_MS: f64 = 1e6;
/// Nanoseconds in one second.
pub const NANOS_PER_S: f64 = 1e9;

/// Converts milliseconds (as people write them in a scenario) to simulated time, rounding to
/// the nearest nanosecond. Negative or non-finite input (rejected by validation) maps to zero.
pub fn from_ms(ms: f64) -> SimTime {
    to_nanos(ms * NANOS_PER_MS)
}

/// Converts seconds to simulated time, rounding to the nearest nanosecond.
pub fn from_secs(s: f64) -> SimTime {
    to_nanos(s * NANOS_PER_S)
}

/// Simulated time as milliseconds, for reports.
pub fn as_ms(t: SimTime) -> f64 {
    t as f64 / NANOS_PER_MS
}

/// Simulated time as seconds, for reports.
pub fn as_secs(t: SimTime) -> f64 {
    t as f64 / NANOS_PER_S
}

fn to_nanos(ns: f64) -> SimTime {
    if ns.is_finite() && ns > 0.0 {
        // `as` saturates at u64::MAX, so absurd durations cannot wrap around.
        libm::round(ns) as SimTime
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip_whole_units() {
        assert_eq!(from_ms(20.0), 20_000_000);
        assert_eq!(from_secs(1.5), 1_500_000_000);
        assert_eq!(as_ms(from_ms(0.25)), 0.25);
        assert_eq!(as_secs(from_secs(3.0)), 3.0);
    }

    #[test]
    fn invalid_durations_become_zero() {
        assert_eq!(from_ms(-1.0), 0);
        assert_eq!(from_ms(f64::NAN), 0);
        assert_eq!(from_secs(f64::INFINITY), 0);
    }
}
