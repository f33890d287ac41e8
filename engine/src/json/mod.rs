//! The scenario's JSON: a small document tree, a parser, a pretty printer, and typed reading.
//!
//! Why our own and not serde's derive: the browser bundle has a 400 KB budget, and serde's
//! derived readers and writers (a visitor per struct, instantiated per deserializer) with
//! serde_json behind them cost 38 KB of it gzipped (docs/ARCHITECTURE.md, "Bundle size"). The
//! scenario format is small and fixed, so each type states its own fields in a few lines (next
//! to the type, in its own file), and the messages name the path to the fault (`run.warmup_s: expected a number, found a string`).
//!
//! Numbers keep whole numbers exact ([`Json::Integer`]): a seed is any `u64`, beyond what an
//! `f64` holds. Other numbers are read correctly rounded ([`parse_decimal`]) and written as
//! their shortest round-tripping digits in a layout this module owns (`number.rs`), so a
//! number written and read back is bit-for-bit the same, and a summary's text (which the
//! pinned hashes hash) does not depend on any formatter's layout.

mod number;
mod parse;
mod read;
mod write;

pub use parse::{parse, parse_decimal, MAX_DEPTH};
pub use read::{variant, variant_fields, variant_value, Fields, FromJson, ReadError};
pub use write::{compact, pretty, ToJson};

/// A JSON value. Objects keep their keys in order (the printer writes them as given).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative whole number written without a fraction or exponent that fits a `u64`.
    Integer(u64),
    /// Any other number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in the order its keys were written.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// What kind of value this is, for messages ("expected a number, found a string").
    pub fn describe(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Integer(_) | Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// An object from `(key, value)` pairs, in this order.
    pub fn object<const N: usize>(fields: [(&str, Json); N]) -> Json {
        Json::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    /// Adds `key: value` at the end of an object (does nothing to other values).
    pub fn push(&mut self, key: &str, value: Json) {
        if let Json::Object(fields) = self {
            fields.push((key.to_string(), value));
        }
    }

    /// A one-key object: how an enum variant with data is written (`{"zipf": {"s": 1.1}}`).
    pub fn tagged(tag: &str, value: Json) -> Json {
        Json::Object(vec![(tag.to_string(), value)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_written_reads_back_as_the_same_tree() {
        let tree = Json::object([
            ("seed", Json::Integer(u64::MAX)),
            ("rate", Json::Number(0.1 + 0.2)),
            ("tiny", Json::Number(5e-324)),
            ("neg", Json::Number(-3.5)),
            (
                "name",
                Json::String("a \"quoted\"\n\tname \u{1} ünï".into()),
            ),
            (
                "list",
                Json::Array(vec![Json::Null, Json::Bool(true), Json::Array(vec![])]),
            ),
            ("empty", Json::Object(vec![])),
        ]);
        assert_eq!(parse(&pretty(&tree)).unwrap(), tree);
    }
}
