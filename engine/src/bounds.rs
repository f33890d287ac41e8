//! Bounds: the range a number in a scenario may take, declared beside the field it limits
//! together with the reason for its limit, so that the worst scenario the validator accepts
//! still runs in bounded time and memory (a share link is untrusted input that opens on a
//! click). A value outside its bound is a validation error that names the field and the limit;
//! the scenario still opens, so no saved work is lost, but it cannot run until it is fixed.
//!
//! ```text
//! /// Keys held at most.
//! capacity_keys: u64 = 1_000, tag 1, always, within CACHE_KEYS;
//! ```

use std::fmt::Write;

/// The diagnostic code of a value outside its bound. Link decoding lets such scenarios open
/// (they were valid when saved, before the bound existed); running them is refused.
pub const OUT_OF_BOUNDS: &str = "out_of_bounds";

/// An inclusive range for a number, with the reason for its limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The least value allowed.
    pub least: f64,
    /// The most allowed.
    pub most: f64,
    /// Why the limit is where it is, for the refusal and the docs.
    pub why: &'static str,
}

impl Bound {
    /// A bound from `least` to `most`.
    pub const fn new(least: f64, most: f64, why: &'static str) -> Self {
        Bound { least, most, why }
    }

    /// True if `x` is a number inside the bound (NaN never is).
    pub fn holds(&self, x: f64) -> bool {
        x >= self.least && x <= self.most
    }

    /// The refusal for `field` when `value` is outside the bound, else `None`. A value that
    /// measures a part of itself names it: `algorithm.virtual_nodes is …`.
    pub fn check(&self, field: &str, value: &impl Measured) -> Option<String> {
        let x = value.measure()?;
        (!self.holds(x)).then(|| match value.part() {
            Some(part) => self.refusal(&format!("{field}.{part}"), x),
            None => self.refusal(field, x),
        })
    }

    /// "`field` is 2,000,000; it must be from 1 to 1,000,000: why".
    pub fn refusal(&self, field: &str, x: f64) -> String {
        format!(
            "{field} is {}; it must be from {} to {}: {}",
            plain(x),
            plain(self.least),
            plain(self.most),
            self.why
        )
    }

    /// "from 1 to 1,000,000", for documentation.
    pub fn range(&self) -> String {
        format!("from {} to {}", plain(self.least), plain(self.most))
    }
}

/// A value a [`Bound`] can measure: a number, or the length of a list.
pub trait Measured {
    /// The number to compare with the bound; `None` when there is nothing to bound (an
    /// absent optional value).
    fn measure(&self) -> Option<f64>;

    /// The name of what is measured when it is a part of the value rather than the value
    /// itself (a load balancer's `algorithm` is measured by a consistent hash's
    /// `virtual_nodes`); refusals then name `field.part`.
    fn part(&self) -> Option<&'static str> {
        None
    }
}

macro_rules! measured_number {
    ($($ty:ty),+) => {
        $(impl Measured for $ty {
            fn measure(&self) -> Option<f64> {
                Some(*self as f64)
            }
        })+
    };
}
measured_number!(u8, u16, u32, u64, usize, f64);

impl<T: Measured> Measured for Option<T> {
    fn measure(&self) -> Option<f64> {
        self.as_ref()?.measure()
    }

    fn part(&self) -> Option<&'static str> {
        self.as_ref()?.part()
    }
}

/// A list is bounded by its length.
impl<T> Measured for Vec<T> {
    fn measure(&self) -> Option<f64> {
        Some(self.len() as f64)
    }
}

/// A number as people read it: digits grouped by thousands, at most three decimals, huge and
/// tiny ones in scientific notation, NaN and infinities by name.
pub fn plain(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "not a number".into()
        } else if x > 0.0 {
            "infinite".into()
        } else {
            "minus infinity".into()
        };
    }
    let magnitude = x.abs();
    if magnitude >= 1e15 || (magnitude > 0.0 && magnitude < 1e-3) {
        return format!("{x:e}");
    }
    let rounded = format!("{:.3}", magnitude);
    let (whole, fraction) = rounded.split_once('.').unwrap_or((&rounded, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        let _ = write!(out, ".{fraction}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: Bound = Bound::new(1.0, 1e7, "every key is an entry the browser tab keeps");

    #[test]
    fn a_refusal_names_the_field_the_value_and_the_limit() {
        assert_eq!(KEYS.check("capacity_keys", &10_000_000u64), None);
        assert_eq!(
            KEYS.check("capacity_keys", &1_000_000_000_000u64).unwrap(),
            "capacity_keys is 1,000,000,000,000; it must be from 1 to 10,000,000: every key is \
             an entry the browser tab keeps"
        );
        assert!(KEYS.check("x", &0u64).is_some());
    }

    #[test]
    fn nan_is_outside_every_bound_and_absent_values_are_inside() {
        assert!(KEYS.check("x", &f64::NAN).unwrap().contains("not a number"));
        assert!(KEYS.check("x", &f64::INFINITY).is_some());
        assert_eq!(KEYS.check("x", &None::<u64>), None);
        assert!(KEYS.check("x", &Some(0u64)).is_some());
    }

    #[test]
    fn a_list_is_measured_by_its_length() {
        let two = Bound::new(0.0, 2.0, "two at most");
        assert_eq!(two.check("routes", &vec![1, 2]), None);
        assert!(two
            .check("routes", &vec![1, 2, 3])
            .unwrap()
            .starts_with("routes is 3;"));
    }

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(plain(1_000_000.0), "1,000,000");
        assert_eq!(plain(0.5), "0.5");
        assert_eq!(plain(-1234.25), "-1,234.25");
        assert_eq!(plain(100.0), "100");
        assert_eq!(plain(1e300), "1e300");
        assert_eq!(plain(0.0), "0");
    }
}
