//! The primitives of the compact encoding: varints, numbers, positions and strings, written by
//! [`Writer`] and read back, with every bound checked, by [`Reader`].
//!
//! ```text
//! varint   unsigned LEB128: 7 bits a byte, low bits first, high bit = more follows
//! string   varint byte length, then UTF-8
//! number   varint (payload << 2 | form):
//!            form 0  payload = zigzag(value) for whole values up to 2^53
//!            form 1  payload = zigzag(value * 1000) when that is whole and divides back exactly
//!            form 2  payload 0, then the f64's 8 bytes, little-endian (anything else)
//! position varint (payload << 2 | form):
//!            form 0  payload = zigzag(value / 20) on the editor's 20-unit grid
//!            form 1  payload = zigzag(value) for other whole values
//!            form 2  payload 0, then the f64's 8 bytes (fractions from free placement)
//! ```
//! Every form gives back the exact f64 (the encoder checks before it picks one), except that
//! -0 is written as 0: the two compare equal, and the editor makes -0 only by snapping.

use super::LinkError;

const FORM_WHOLE: u64 = 0;
const FORM_MILLI: u64 = 1;
const FORM_RAW: u64 = 2;
const FORM_GRID: u64 = 0;
const FORM_WHOLE_UNITS: u64 = 1;
/// The editor's grid; positions on it take one byte up to ±300 units, two up to ±40,000.
const GRID: f64 = 20.0;
/// Whole numbers up to this magnitude convert to i64 and back exactly.
const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53

/// Appends the compact encoding's primitives to a byte buffer.
#[derive(Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }

    /// One byte.
    pub fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    /// An unsigned LEB128 varint.
    pub fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// Bytes as they are.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// A count of what follows.
    pub fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    /// A length-prefixed UTF-8 string.
    pub fn string(&mut self, s: &str) {
        self.count(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// A number, in the shortest form that gives it back exactly.
    pub fn number(&mut self, v: f64) {
        if let Some(i) = whole(v) {
            self.varint((zigzag(i) << 2) | FORM_WHOLE);
        } else if let Some(m) = whole(v * 1000.0).filter(|&m| m as f64 / 1000.0 == v) {
            self.varint((zigzag(m) << 2) | FORM_MILLI);
        } else {
            self.raw(v);
        }
    }

    /// A canvas coordinate: grid cells when on the grid, else whole units, else exact.
    pub fn position(&mut self, v: f64) {
        if let Some(cells) = whole(v / GRID).filter(|&c| c as f64 * GRID == v) {
            self.varint((zigzag(cells) << 2) | FORM_GRID);
        } else if let Some(i) = whole(v) {
            self.varint((zigzag(i) << 2) | FORM_WHOLE_UNITS);
        } else {
            self.raw(v);
        }
    }

    fn raw(&mut self, v: f64) {
        self.varint(FORM_RAW);
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
}

/// The value as an i64 if it is a whole number that converts back exactly.
fn whole(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && v.abs() <= EXACT_LIMIT).then_some(v as i64)
}

fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}

fn unzigzag(u: u64) -> i64 {
    (u >> 1) as i64 ^ -((u & 1) as i64)
}

/// Reads the compact encoding's primitives from a byte slice. Nothing here can panic or
/// allocate more than the input's size: every length is checked against the bytes left.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    /// Succeeds only if every byte was read.
    pub fn finish(&self) -> Result<(), LinkError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(malformed(
                "end of data",
                format!("{n} unexpected bytes follow the scenario"),
            )),
        }
    }

    /// One byte.
    pub fn byte(&mut self, field: &str) -> Result<u8, LinkError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| malformed(field, "the data ends before it"))?;
        self.at += 1;
        Ok(b)
    }

    /// An unsigned LEB128 varint of at most 10 bytes that fits in 64 bits.
    pub fn varint(&mut self, field: &str) -> Result<u64, LinkError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(field)?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(malformed(field, "the number does not fit in 64 bits"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(malformed(field, "the number runs on past 10 bytes"))
    }

    /// A varint that must fit in a u32.
    pub fn u32(&mut self, field: &str) -> Result<u32, LinkError> {
        let v = self.varint(field)?;
        u32::try_from(v).map_err(|_| malformed(field, format!("{v} is larger than {}", u32::MAX)))
    }

    /// A count of items that each take at least one byte, so it cannot exceed the bytes left:
    /// this is what keeps a forged count from reserving a huge allocation.
    pub fn count(&mut self, field: &str) -> Result<usize, LinkError> {
        let n = self.varint(field)?;
        self.remaining_at_least(n, field)
    }

    /// `n` as a usize if at least `n` bytes are left (each item takes one or more).
    pub fn remaining_at_least(&self, n: u64, field: &str) -> Result<usize, LinkError> {
        match usize::try_from(n) {
            Ok(n) if n <= self.remaining() => Ok(n),
            _ => Err(malformed(
                field,
                format!(
                    "claims {n} items but only {} bytes are left",
                    self.remaining()
                ),
            )),
        }
    }

    /// A length-prefixed UTF-8 string.
    pub fn string(&mut self, field: &str) -> Result<String, LinkError> {
        let len = self.varint(field)?;
        self.text(len, field)
    }

    /// `len` bytes of UTF-8.
    pub fn text(&mut self, len: u64, field: &str) -> Result<String, LinkError> {
        let len = self.remaining_at_least(len, field)?;
        let end = self.at.saturating_add(len);
        let bytes = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| malformed(field, "the text runs past the end of the data"))?;
        self.at = end;
        String::from_utf8(bytes.to_vec()).map_err(|_| malformed(field, "the text is not UTF-8"))
    }

    /// A number written by [`Writer::number`].
    pub fn number(&mut self, field: &str) -> Result<f64, LinkError> {
        let v = self.varint(field)?;
        match v & 3 {
            FORM_WHOLE => Ok(unzigzag(v >> 2) as f64),
            FORM_MILLI => Ok(unzigzag(v >> 2) as f64 / 1000.0),
            _ => self.raw(v, field),
        }
    }

    /// A coordinate written by [`Writer::position`].
    pub fn position(&mut self, field: &str) -> Result<f64, LinkError> {
        let v = self.varint(field)?;
        match v & 3 {
            FORM_GRID => Ok(unzigzag(v >> 2) as f64 * GRID),
            FORM_WHOLE_UNITS => Ok(unzigzag(v >> 2) as f64),
            _ => self.raw(v, field),
        }
    }

    fn raw(&mut self, form: u64, field: &str) -> Result<f64, LinkError> {
        if form != FORM_RAW {
            return Err(malformed(field, format!("unknown number form {form}")));
        }
        let end = self.at.saturating_add(8);
        let bytes: [u8; 8] = self
            .bytes
            .get(self.at..end)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| malformed(field, "the data ends inside a number"))?;
        self.at = end;
        // No field of a scenario may be NaN or infinite (JSON cannot even write them), so no
        // link that ever opened held one; refusing them here keeps a forged one from reaching
        // the bounds, which let links open with values outside them.
        let number = f64::from_le_bytes(bytes);
        if !number.is_finite() {
            return Err(malformed(field, "the number is not finite"));
        }
        Ok(number)
    }
}

/// A [`LinkError::Malformed`] for `field`.
pub fn malformed(field: &str, problem: impl Into<String>) -> LinkError {
    LinkError::Malformed {
        field: field.to_string(),
        problem: problem.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers_round_trip(
        values: &[f64],
        write: fn(&mut Writer, f64),
        read: fn(&mut Reader, &str) -> Result<f64, LinkError>,
    ) -> Vec<usize> {
        values
            .iter()
            .map(|&v| {
                let mut w = Writer::default();
                write(&mut w, v);
                let bytes = w.finish();
                let mut r = Reader::new(&bytes);
                let back = read(&mut r, "x").unwrap();
                assert_eq!(
                    back.to_bits(),
                    if v == 0.0 {
                        0.0f64.to_bits()
                    } else {
                        v.to_bits()
                    },
                    "{v}"
                );
                r.finish().unwrap();
                bytes.len()
            })
            .collect()
    }

    #[test]
    fn numbers_come_back_exactly_in_the_shortest_form() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            20.0,
            0.5,
            0.001,
            1e7,
            86_400_000.0,
            0.1,
            0.3,
            1.0 / 3.0,
            1e-9,
            1e300,
            -2.5e-7,
            f64::MAX,
            f64::MIN_POSITIVE,
            9_007_199_254_740_992.0,
            9_007_199_254_740_993.0,
        ];
        let sizes = numbers_round_trip(&values, Writer::number, |r, f| r.number(f));
        assert_eq!(&sizes[..7], &[1, 1, 1, 1, 2, 2, 1]);
        assert_eq!(sizes[11], 9, "a third is written raw");
        // What no scenario may hold is written (any scenario can be) but never read back.
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut w = Writer::default();
            w.number(v);
            let refused = Reader::new(&w.finish()).number("x").unwrap_err();
            assert!(refused.to_string().contains("not finite"), "{refused}");
        }
    }

    #[test]
    fn positions_on_the_grid_are_short() {
        let values = [0.0, 20.0, -40.0, 1260.0, 7.0, 30.0, 12.5, -0.25, 1e12, 1e-3];
        let sizes = numbers_round_trip(&values, Writer::position, |r, f| r.position(f));
        assert_eq!(&sizes[..6], &[1, 1, 1, 2, 1, 2]);
        assert_eq!(sizes[6], 9);
    }

    #[test]
    fn varints_cover_u64_and_refuse_overflow() {
        for v in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut w = Writer::default();
            w.varint(v);
            assert_eq!(Reader::new(&w.finish()).varint("v").unwrap(), v);
        }
        let too_big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(Reader::new(&too_big).varint("v").is_err());
        let too_long = [0x80; 11];
        assert!(Reader::new(&too_long).varint("v").is_err());
        assert!(Reader::new(&[0x80]).varint("v").is_err());
    }

    #[test]
    fn counts_and_strings_cannot_claim_more_than_is_left() {
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
        let err = r.count("nodes").unwrap_err().to_string();
        assert!(
            err.contains("nodes") && err.contains("only 2 bytes"),
            "{err}"
        );
        assert!(Reader::new(&[3, b'a', b'b']).string("label").is_err());
        assert!(Reader::new(&[2, 0xc3, 0x28]).string("label").is_err());
        assert_eq!(Reader::new(&[2, 0xc3, 0xa9]).string("l").unwrap(), "é");
    }

    #[test]
    fn unknown_number_forms_are_named() {
        let err = Reader::new(&[3])
            .number("latency_ms")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("latency_ms") && err.contains("form 3"),
            "{err}"
        );
        assert!(Reader::new(&[2, 0, 0]).number("x").is_err());
    }
}
