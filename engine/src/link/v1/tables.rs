//! The shapes of version 1's frozen tables (a field and its default, a choice's variants), and
//! their canonical text: every code, name, title, field order and default that gives a
//! version-1 link its meaning, in one string whose hash `tests/link_v1.rs` pins.
//!
//! The tables themselves sit beside the code that reads them: the kinds in `kinds.rs`, each
//! kind's fields in `configs.rs`, the run's and an edge's in `document.rs`, the variants of
//! each choice in `choices.rs`.

use super::choices::{self, Choice};
use super::document;
use super::kinds::KINDS;
use crate::components::client::{Arrival, Popularity};
use crate::components::load_balancer::Algorithm;
use crate::distributions::Duration;
use crate::link::wire::Writer;
use std::fmt::Write as _;

/// One field of a table: its name and what a clear mask bit stands for.
pub struct Field {
    /// The field's name, as the scenario file spells it (`keys.count`).
    pub name: &'static str,
    /// The value a link that leaves the field out means.
    pub default: Value,
}

impl Field {
    /// A field and its default.
    pub const fn new(name: &'static str, default: Value) -> Self {
        Field { name, default }
    }
}

/// A default, in version 1's terms.
pub enum Value {
    /// A whole number (a count, a capacity, a seed-like setting).
    Whole(u64),
    /// A number.
    Number(f64),
    /// An optional setting that is not set (`None`).
    Absent,
    /// A list with nothing in it.
    Empty,
    /// A flag that is not set.
    Off,
    /// A distribution.
    Duration(Duration),
    /// An arrival process.
    Arrival(Arrival),
    /// A key popularity.
    Popularity(Popularity),
    /// A load-balancing algorithm.
    Algorithm(Algorithm),
}

impl Value {
    /// The value as the canonical text shows it: scalars as numbers, choices as the bytes
    /// version 1 writes for them (their variant code, then their parameters).
    fn text(&self) -> String {
        let mut w = Writer::default();
        match self {
            Value::Whole(n) => return n.to_string(),
            Value::Number(x) => return x.to_string(),
            Value::Absent => return "absent".into(),
            Value::Empty => return "empty".into(),
            Value::Off => return "off".into(),
            Value::Duration(d) => {
                if let Err(e) = choices::write_duration(&mut w, d) {
                    return e.to_string();
                }
            }
            Value::Arrival(a) => {
                if let Err(e) = choices::write_arrival(&mut w, a) {
                    return e.to_string();
                }
            }
            Value::Popularity(p) => choices::write_popularity(&mut w, p),
            Value::Algorithm(a) => {
                if let Err(e) = choices::write_algorithm(&mut w, a) {
                    return e.to_string();
                }
            }
        }
        let bytes: Vec<String> = w.finish().iter().map(|b| format!("{b:02x}")).collect();
        format!("bytes({})", bytes.join(" "))
    }
}

/// Version 1's tables as text, one line per table or variant, in a fixed order. Any change
/// to a code, a name, a title, a field's place or a default changes this text, and with it
/// the hash the tests pin; that is the point: those may never change.
pub fn canonical_text() -> String {
    let mut out = format!(
        "link version {}\nscenario format {}\n",
        super::VERSION,
        document::SCENARIO_FORMAT
    );
    let _ = writeln!(out, "run:{}", fields_text(document::RUN));
    let _ = writeln!(out, "edge:{}", fields_text(document::EDGE));
    for (code, kind) in KINDS.iter().enumerate() {
        let _ = writeln!(
            out,
            "kind {code} {} \"{}\":{}",
            kind.name,
            kind.title,
            fields_text(kind.fields)
        );
    }
    for choice in choices::ALL {
        choice_text(&mut out, choice);
    }
    out
}

/// ` name=default` for each field, in table order.
fn fields_text(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| format!(" {}={}", f.name, f.default.text()))
        .collect()
}

/// `<choice> <code> <variant>(<parameters>)` for each variant.
fn choice_text(out: &mut String, choice: &Choice) {
    for (code, variant) in choice.variants.iter().enumerate() {
        let _ = writeln!(
            out,
            "{} {code} {}({})",
            choice.name,
            variant.name,
            variant.params.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_every_table() {
        let text = canonical_text();
        assert!(text.contains("kind 6 queue \"Message queue\": capacity=absent\n"));
        assert!(text.contains(" workers=4 queue_capacity=absent service_time=bytes(01 50) "));
        assert!(text.contains("run: requests=10000 duration_s=absent warmup_s=0 window_s=1 "));
        assert!(text.contains("algorithm 6 consistent_hash(virtual_nodes)\n"));
        assert_eq!(text.lines().count(), 4 + KINDS.len() + 3 + 4 + 2 + 7 + 4);
    }
}
