//! A JSON number's text: the shortest digits that read back as the same `f64`, laid out by our
//! own rules.
//!
//! The layout is serde_json's, which wrote our files and summaries before our own printer:
//! plain notation from 1e-5 up to 1e16 (`0.00001`, `1000000000000000.0`, always with a digit
//! after the point), an exponent outside it (`1e-7`, `1.5e+16`). The pinned summary hashes are
//! hashes of this text, so it is decided here, in code we own, and not by a formatter whose
//! layout may change (`{:?}`'s, which the printer used to patch, is not promised across
//! compiler versions).
//!
//! The digits come from ryu, whose whole promise is the shortest digits that round-trip (the
//! nearest such when several are as short). Its text's layout is not part of that promise, so
//! we take only the digits and the decimal point's place from it, which any notation of the
//! same number gives alike ([`Decimal::read`]). One rule is ours: when the number lies exactly
//! halfway between two shortest candidates (2000000000000000.25, between `…0.2` and `…0.3`),
//! ryu (and serde_json today) takes the even one, but `{:?}` took the larger, and so did every
//! text we have pinned; we move up to the larger.

use std::ops::RangeInclusive;

/// The powers of ten (as in `d.ddd × 10^exponent`) written in plain notation; numbers outside
/// get an exponent. Where serde_json switched.
const PLAIN_EXPONENTS: RangeInclusive<i32> = -5..=15;

/// Writes `x` as its shortest round-tripping decimal. JSON has no NaN or infinity: those are
/// written as `null`, which reading refuses where a number is required.
pub(super) fn write_number(out: &mut String, x: f64) {
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    let decimal = Decimal::shortest(x.abs());
    if PLAIN_EXPONENTS.contains(&decimal.exponent()) {
        decimal.write_plain(out);
    } else {
        decimal.write_scientific(out);
    }
}

/// A positive number as significant digits and the place of the decimal point among them.
#[derive(Debug, PartialEq)]
struct Decimal {
    /// ASCII digits, neither the first nor the last a zero.
    digits: String,
    /// How many digits stand before the point in plain notation: 3 for `123.45`, 5 for
    /// `12300.0`, and -2 for `0.00123` (zero or less is that many zeros after `0.`).
    point: i32,
}

impl Decimal {
    /// The shortest digits that read back as `x` (finite and above zero), the nearest to `x`
    /// of those, and of two as near the larger.
    fn shortest(x: f64) -> Decimal {
        let nearest = Decimal::read(ryu::Buffer::new().format_finite(x));
        if nearest.is_halfway_below(x) {
            nearest.next_up()
        } else {
            nearest
        }
    }

    /// The digits and point of an unsigned decimal numeral in any layout: `123.45`,
    /// `1.2345e2`, `12345E-2` and `0.0012345e5` all give `12345` with the point after 3.
    fn read(numeral: &str) -> Decimal {
        let (mantissa, exponent) = numeral.split_once(['e', 'E']).unwrap_or((numeral, "0"));
        let mut decimal = Decimal {
            digits: String::new(),
            point: whole_exponent(exponent),
        };
        let mut before_point = true;
        for byte in mantissa.bytes() {
            match byte {
                b'.' => before_point = false,
                // A zero ahead of the first significant digit only moves the point.
                b'0' if decimal.digits.is_empty() => decimal.point -= i32::from(!before_point),
                digit => {
                    decimal.digits.push(char::from(digit));
                    decimal.point += i32::from(before_point);
                }
            }
        }
        let significant = decimal.digits.trim_end_matches('0').len();
        decimal.digits.truncate(significant);
        decimal
    }

    /// Whether `x` is exactly these digits plus half a unit in their last place, so that the
    /// digits one unit up are exactly as near to it. Decided in whole numbers: `x` is
    /// `odd × 2^twos`, and digits `D` with last place `10^q` plus half a unit are
    /// `(2D + 1) × 5^q × 2^(q - 1)`, whose `2D + 1` and `5^q` are odd.
    fn is_halfway_below(&self, x: f64) -> bool {
        let (odd, twos) = odd_times_power_of_two(x);
        let last_place = self.point - self.digits.len() as i32;
        if twos != last_place - 1 {
            return false;
        }
        // At most 17 digits, so `2D + 1` is below 2^58 and `odd` below 2^53: a side that
        // overflows a u64 is the larger.
        let halfway = 2 * self.whole_number() + 1;
        let five_to = |power: i32| 5u64.checked_pow(power.unsigned_abs());
        if last_place < 0 {
            five_to(last_place).and_then(|p| p.checked_mul(odd)) == Some(halfway)
        } else {
            five_to(last_place).and_then(|p| p.checked_mul(halfway)) == Some(odd)
        }
    }

    /// The digits as one whole number (there are at most 17).
    fn whole_number(&self) -> u64 {
        self.digits
            .bytes()
            .fold(0, |n, digit| 10 * n + u64::from(digit - b'0'))
    }

    /// These digits plus one unit in their last place.
    fn next_up(self) -> Decimal {
        let up = (self.whole_number() + 1).to_string();
        // 0.99 up is 1.0: one digit more before the point.
        let carried = (up.len() - self.digits.len()) as i32;
        Decimal {
            digits: up.trim_end_matches('0').to_string(),
            point: self.point + carried,
        }
    }

    /// The power of ten of the first digit: `x = d.ddd × 10^exponent`.
    fn exponent(&self) -> i32 {
        self.point - 1
    }

    /// `123.45`, `0.00123`, `12300.0`: always a point with a digit after it, so the text reads
    /// as a number with a fraction (JSON readers keep whole numbers apart).
    fn write_plain(&self, out: &mut String) {
        match usize::try_from(self.point) {
            Ok(whole) if whole > 0 => {
                self.push_digits(out, whole);
                if whole >= self.digits.len() {
                    push_zeros(out, whole - self.digits.len());
                    out.push_str(".0");
                }
            }
            _ => {
                out.push_str("0.");
                push_zeros(out, self.point.unsigned_abs() as usize);
                out.push_str(&self.digits);
            }
        }
    }

    /// `1e-7`, `1.5e+16`: one digit before the point, the rest (if any) after it, and an
    /// exponent that always has its sign.
    fn write_scientific(&self, out: &mut String) {
        self.push_digits(out, 1);
        out.push('e');
        if self.exponent() > 0 {
            out.push('+');
        }
        out.push_str(&self.exponent().to_string());
    }

    /// The digits with a point after the first `whole` of them, if more follow.
    fn push_digits(&self, out: &mut String, whole: usize) {
        for (i, digit) in self.digits.chars().enumerate() {
            if i == whole {
                out.push('.');
            }
            out.push(digit);
        }
    }
}

fn push_zeros(out: &mut String, count: usize) {
    out.extend(std::iter::repeat_n('0', count));
}

/// An exponent's digits with an optional sign (`-7`, `+16`, `16`) as a number. (By hand
/// rather than `str::parse`, whose error path the browser bundle would carry for text that is
/// always well formed.)
fn whole_exponent(text: &str) -> i32 {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(digits) => (-1, digits),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    sign * digits
        .bytes()
        .fold(0, |n, digit| 10 * n + i32::from(digit - b'0'))
}

/// `x` (finite, above zero) exactly as an odd whole number times a power of two.
fn odd_times_power_of_two(x: f64) -> (u64, i32) {
    const FRACTION_BITS: u32 = 52;
    let bits = x.to_bits();
    let biased_exponent = (bits >> FRACTION_BITS) as i32;
    let fraction = bits & ((1 << FRACTION_BITS) - 1);
    // x = whole × 2^power; subnormals (biased exponent 0) have no hidden bit.
    let (whole, power) = match biased_exponent {
        0 => (fraction, -1074),
        _ => (fraction | 1 << FRACTION_BITS, biased_exponent - 1075),
    };
    let zeros = whole.trailing_zeros();
    (whole >> zeros, power + zeros as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_decimal;
    use rand_core::{Rng, SeedableRng};
    use rand_pcg::Pcg64Mcg;

    fn text(x: f64) -> String {
        let mut out = String::new();
        write_number(&mut out, x);
        out
    }

    /// The printer as it was before it owned its layout, kept only as this test's reference: it
    /// pins today's layout, so the pinned summary hashes stay valid. It leans on `{:?}`, whose
    /// format is not promised: if a compiler release changes it, this oracle (not the printer)
    /// is what is wrong, and the pinned hashes in tests/scenarios.rs still hold the printer to
    /// the old text.
    fn debug_layout(x: f64) -> String {
        if !x.is_finite() {
            return "null".into();
        }
        let text = format!("{x:?}");
        match text.split_once('e') {
            Some((mantissa, "-5")) => {
                let (sign, digits) = match mantissa.strip_prefix('-') {
                    Some(digits) => ("-", digits),
                    None => ("", mantissa),
                };
                format!("{sign}0.0000{}", digits.replace('.', ""))
            }
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent}")
            }
            _ => text,
        }
    }

    #[test]
    fn numbers_are_laid_out_as_before() {
        let cases = [
            (6.703364163024697e-5, "0.00006703364163024697"),
            (-1e-5, "-0.00001"),
            (1e-4, "0.0001"),
            (1e-6, "1e-6"),
            (1.25e-6, "1.25e-6"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123.45, "123.45"),
            (0.1, "0.1"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            // Exactly halfway between two shortest candidates: the larger. (Written as sums,
            // each exact, as clippy refuses literals of that many digits.)
            (2e15 + 0.25, "2000000000000000.3"),
            (3413953996551.0 + 0.53125, "3413953996551.5313"),
            (-(119033505364871.0 + 0.125), "-119033505364871.13"),
        ];
        for (x, expected) in cases {
            assert_eq!(text(x), expected);
            assert_eq!(parse_decimal(expected).map(f64::to_bits), Some(x.to_bits()));
        }
    }

    #[test]
    fn numbers_json_cannot_hold_are_null() {
        assert_eq!(text(f64::NAN), "null");
        assert_eq!(text(f64::INFINITY), "null");
        assert_eq!(text(f64::NEG_INFINITY), "null");
    }

    #[test]
    fn digits_and_point_are_the_same_in_any_notation() {
        let expected = Decimal {
            digits: "12345".into(),
            point: 3,
        };
        for numeral in [
            "123.45",
            "1.2345e2",
            "12345E-2",
            "0.0012345e5",
            "123.450",
            "1.2345e+2",
        ] {
            assert_eq!(Decimal::read(numeral), expected, "{numeral}");
        }
        let read = Decimal::read;
        assert_eq!(read("0.00001").point, -4);
        assert_eq!(read("1e16").point, 17);
        assert_eq!(read("12300.0").digits, "123");
        assert_eq!(read("12300.0").point, 5);
        assert_eq!(read("0.99").next_up(), read("1.0"));
        assert_eq!(read("1.25").next_up(), read("1.26"));
    }

    /// One case of the million: a sign and one of seven kinds of number, so every kind gets a
    /// seventh of the draws.
    fn random_case(rng: &mut Pcg64Mcg, kind: u64) -> f64 {
        let magnitude = match kind {
            // Any finite bit pattern: mostly huge or tiny, every exponent equally often.
            0 => f64::from_bits(rng.next_u64() >> 1).min(f64::MAX),
            // A subnormal: fewer than 17 significant digits' worth of bits.
            1 => f64::from_bits(rng.next_u64() >> 12),
            // A "nice" decimal as a person types it: k/1000, k/10, k/10^7.
            2 => (rng.next_u64() % 10_000_000) as f64 / 10f64.powi((rng.next_u64() % 8) as i32),
            // A whole number, up to beyond 2^53 where not every integer is a double.
            3 => (rng.next_u64() >> (rng.next_u64() % 64)) as f64,
            // Up to 17 digits near the ends of the range.
            4 => {
                let exponent = 250 + rng.next_u64() % 59;
                let sign = if rng.next_u64() % 2 == 0 { "" } else { "-" };
                let digits = rng.next_u64() % 100_000_000_000_000_000;
                parse_decimal(&format!("{digits}e{sign}{exponent}")).unwrap_or(0.0)
            }
            // Within a few thousand doubles of a power of ten, where the digit count and the
            // choice between plain and exponent notation change.
            5 => {
                let power = parse_decimal(&format!("1e{}", rng.next_u64() % 40)).unwrap();
                let below = rng.next_u64() % 2 == 0;
                let offset = rng.next_u64() % 4096;
                let bits = power.to_bits();
                f64::from_bits(if below { bits - offset } else { bits + offset })
                    / [1e0, 1e10, 1e20][(rng.next_u64() % 3) as usize]
            }
            // Between 1e-7 and 1e18, spread evenly over the powers of ten.
            _ => 10f64.powf(rng.next_u64() as f64 / u64::MAX as f64 * 25.0 - 7.0),
        };
        if rng.next_u64() % 2 == 0 {
            magnitude
        } else {
            -magnitude
        }
    }

    /// The edges: zero, the ends of the range and of the subnormals, and every power of ten
    /// with its neighbours and one to nine times it.
    fn edge_cases() -> Vec<f64> {
        let mut cases = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::from_bits((1 << 52) - 1),
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
        ];
        for exponent in -324..=308 {
            for digit in 1..=9 {
                let Some(x) = parse_decimal(&format!("{digit}e{exponent}")) else {
                    continue;
                };
                let bits = x.to_bits();
                let neighbours = [bits.saturating_sub(1), bits, bits + 1];
                cases.extend(
                    neighbours
                        .map(f64::from_bits)
                        .iter()
                        .filter(|x| x.is_finite()),
                );
            }
        }
        cases
    }

    /// The layout the printer owns is byte for byte the `{:?}`-based one it replaced.
    #[test]
    fn a_million_doubles_print_as_the_debug_based_printer_printed_them() {
        const RANDOM: u64 = 1_000_000;
        let mut rng = Pcg64Mcg::seed_from_u64(14);
        let random = (0..RANDOM).map(|i| random_case(&mut rng, i % 7));
        let cases: Vec<f64> = edge_cases().into_iter().chain(random).collect();
        let mut differ = Vec::new();
        for &x in &cases {
            let (ours, reference) = (text(x), debug_layout(x));
            if ours != reference {
                differ.push(format!("{:#x}: {ours} instead of {reference}", x.to_bits()));
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {} differ, the first: {:?}",
            differ.len(),
            cases.len(),
            &differ[..differ.len().min(10)]
        );
    }
}
