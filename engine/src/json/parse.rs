//! JSON text to a [`Json`] tree (RFC 8259, strict: no comments, no trailing commas). Errors
//! say what was expected and where, as "line 3, column 14".

use super::Json;

/// The deepest nesting accepted: far beyond any scenario, and shallow enough that a hostile
/// text (a link is untrusted input) cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON value that fills the whole text (surrounding whitespace aside).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser {
        text: text.as_bytes(),
        at: 0,
    };
    let value = p.value(0).map_err(|msg| p.located(&msg))?;
    p.skip_space();
    if p.at < p.text.len() {
        return Err(p.located("trailing characters after the JSON value"));
    }
    Ok(value)
}

/// The `f64` nearest to a decimal number's text (`-12.5e3`), correctly rounded, as the
/// standard library's parser gives it; `None` if it is not a number. This one is for the
/// browser bundle: lexical's compact mode is about 12 KB smaller gzipped than the standard
/// library's tables (docs/ARCHITECTURE.md, "Bundle size"), and a test checks that both agree.
/// Every number the app reads goes through here, so the standard parser is never linked in.
pub fn parse_decimal(text: &str) -> Option<f64> {
    use lexical_parse_float::FromLexical;
    f64::from_lexical(text.as_bytes()).ok()
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    /// `msg` with the line and column of the current position.
    fn located(&self, msg: &str) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters, not bytes (UTF-8 continuation bytes are skipped).
        let column = 1 + before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        format!("{msg} at line {line}, column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after any whitespace) or says what was expected instead.
    fn expect(&mut self, byte: u8, what: &str) -> Result<(), String> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected {what}"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        self.skip_space();
        match self.peek() {
            None => Err("unexpected end of the text; expected a value".into()),
            Some(b'{') => self.nested(depth, Self::object),
            Some(b'[') => self.nested(depth, Self::array),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(_) => Err("expected a value".into()),
        }
    }

    fn nested(
        &mut self,
        depth: usize,
        read: fn(&mut Self, usize) -> Result<Json, String>,
    ) -> Result<Json, String> {
        if depth >= MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.at += 1; // the opening bracket
        read(self, depth + 1)
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err("expected a value".into())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err("expected `,` or `]`".into()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        let mut fields = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(fields));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err("expected a key in double quotes".into());
            }
            let key = self.string()?;
            self.expect(b':', "`:`")?;
            fields.push((key, self.value(depth)?));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                _ => return Err("expected `,` or `}`".into()),
            }
        }
    }

    /// A string, from its opening quote to past its closing one.
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters up to the next quote, backslash or control.
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            // The text is a &str and the run stops only at ASCII bytes, so it is whole UTF-8.
            out.push_str(std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err("a control character must be escaped in a string".into()),
                None => return Err("unexpected end of the text inside a string".into()),
            }
        }
    }

    /// The character an escape stands for (the backslash already consumed).
    fn escape(&mut self) -> Result<char, String> {
        let byte = self
            .peek()
            .ok_or("unexpected end of the text inside a string")?;
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err("unknown escape in a string".into()),
        })
    }

    /// `\uXXXX`, or a surrogate pair of two of them.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.text[self.at..].starts_with(b"\\u") {
                return Err("a lone surrogate in a `\\u` escape".into());
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err("a lone surrogate in a `\\u` escape".into());
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| "a lone surrogate in a `\\u` escape".into())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or("expected four hex digits after `\\u`")?;
        self.at += 4;
        Ok(digits)
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("expected a digit".into()),
        }
        let mut whole = !negative;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
            whole = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits()?;
            whole = false;
        }
        // Only ASCII digits and signs were consumed.
        let literal = std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        if whole {
            if let Ok(n) = literal.parse::<u64>() {
                return Ok(Json::Integer(n));
            }
        }
        match parse_decimal(literal) {
            Some(x) if x.is_finite() => Ok(Json::Number(x)),
            _ => Err("number out of range".into()),
        }
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), String> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err("expected a digit".into());
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn values_of_every_kind() {
        let v =
            parse(r#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n"} "#)
                .unwrap();
        assert_eq!(
            v,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Integer(1),
                        Json::Number(-2.0),
                        Json::Number(3.5),
                        Json::Number(1000.0),
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Null,
                    ])
                ),
                ("b".into(), Json::String("xé😀\n".into())),
            ])
        );
    }

    #[test]
    fn whole_numbers_beyond_f64_stay_exact() {
        assert_eq!(parse("18446744073709551615"), Ok(Json::Integer(u64::MAX)));
        assert_eq!(
            parse("18446744073709551616"),
            Ok(Json::Number(18446744073709551616.0))
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(
            error("{\n  \"a\": 1,\n}"),
            "expected a key in double quotes at line 3, column 1"
        );
        assert_eq!(error("[1 2]"), "expected `,` or `]` at line 1, column 4");
        assert_eq!(
            error(""),
            "unexpected end of the text; expected a value at line 1, column 1"
        );
        assert_eq!(
            error("{} x"),
            "trailing characters after the JSON value at line 1, column 4"
        );
        assert!(error("\"é\u{1}\"").ends_with("line 1, column 3"));
        assert!(error("01").starts_with("trailing characters"));
        assert!(error("1e999").starts_with("number out of range"));
        assert!(error("-").starts_with("expected a digit"));
        assert!(error("1.").starts_with("expected a digit"));
        assert!(error("\"\\ud800\"").starts_with("a lone surrogate"));
        assert!(error("\"\\x\"").starts_with("unknown escape"));
        assert!(error("nul").starts_with("expected a value"));
    }

    /// `parse_decimal` must give exactly what the standard library's parser gives.
    #[test]
    fn decimals_read_as_the_standard_library_reads_them() {
        use rand_core::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let check = |text: &str| {
            let ours = parse_decimal(text).map(f64::to_bits);
            let std = text.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(ours, std, "{text}");
        };
        let hard = [
            "0",
            "-0",
            "1",
            "0.1",
            "1e-7",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "9007199254740993",
            "9007199254740992.5",
            "1e23",
            "8.98846567431158e307",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "0.000000000000000000000001",
            "123456789012345678901234567890.12345678901234567890",
            "+5",
            ".5",
            "5.",
            "1e400",
            "4.9406564584124654e-324",
            "7.2057594037927933e16",
        ];
        for text in hard {
            check(text);
        }
        for _ in 0..100_000 {
            let x = f64::from_bits(rng.next_u64());
            if !x.is_finite() {
                continue;
            }
            check(&format!("{x:?}"));
            check(&format!("{x:e}"));
            // Exactly halfway between two neighbouring doubles above 2^53, the hardest
            // rounding case: (2m + 1) * 2^(e - 1) for a 53-bit m, written out in full.
            let m = (1u128 << 52) | u128::from(rng.next_u64() >> 12);
            let e = rng.next_u64() % 12 + 1;
            check(&((2 * m + 1) << (e - 1)).to_string());
            // A plain decimal of up to 25 digits with an exponent.
            let digits = rng.next_u64() % 10_000_000_000_000_000_000;
            let exponent = (rng.next_u64() % 700) as i64 - 350;
            check(&format!(
                "{digits}.{}e{exponent}",
                rng.next_u64() % 1_000_000
            ));
        }
    }

    /// Files and version-0 links are untrusted: damaged text is an error with a message, never
    /// a panic, and whatever still reads writes back to text that reads the same.
    #[test]
    fn damaged_scenario_text_is_an_error_not_a_panic() {
        use crate::scenario::from_json;
        use rand_core::{Rng, SeedableRng};
        let original = include_str!("../../../public/scenarios/default.json").as_bytes();
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(11);
        let alphabet = b"{}[],:\"\\-+.0123456789eEtrufalsn \n\t\x01\xc3\xa9";
        let (mut read, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let mut bytes = original.to_vec();
            for _ in 0..1 + rng.next_u64() % 3 {
                let at = (rng.next_u64() % bytes.len() as u64) as usize;
                match rng.next_u64() % 3 {
                    0 => bytes[at] = alphabet[(rng.next_u64() % alphabet.len() as u64) as usize],
                    1 => bytes.truncate(at.max(1)),
                    _ => {
                        bytes.remove(at);
                    }
                }
            }
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            match from_json(text) {
                Err(e) => {
                    assert!(!e.to_string().is_empty(), "an error without a message");
                    refused += 1;
                }
                Ok(scenario) => {
                    assert_eq!(from_json(&scenario.to_json()), Ok(scenario));
                    read += 1;
                }
            }
        }
        assert!(
            read > 100 && refused > 10_000,
            "read {read}, refused {refused}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(error(&deep).starts_with("nested more than 64 levels deep"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
