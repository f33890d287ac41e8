//! Link version 1, frozen: `1.<base64url of raw deflate, with [`DICTIONARY`], of the compact
//! encoding>`. A link already shared must open to the same diagram forever, so everything
//! that gives a version-1 link its meaning is a copy owned here, not asked of the engine: the
//! byte of each kind and the names and titles the editor's ids and labels are made of
//! (`kinds`), each kind's field order and defaults (`configs`), the run's and an edge's
//! (`document`), the codes of each choice's variants (`choices`), and the preset dictionary
//! (`dictionary`). The engine may insert kinds, rename them, retitle them, reorder its palette
//! or change a default; none of that reaches this module. What it still builds is today's
//! [`Scenario`], the output type; a field the engine gains later is given its default where
//! each config is built (configs.rs says how), since no version-1 link has it.
//!
//! The primitives (wire.rs, fields.rs, refs.rs, the deflate and base64url layers) are shared
//! with the link versions around this one; what they already read may not change either.
//! `tests/link_v1.rs` pins all of it: the link of every shipped scenario, read back and
//! rewritten byte for byte, and hashes of [`DICTIONARY`] and of [`frozen_tables`].
//!
//! The writer is here too, frozen with the reader, for the tests that rewrite the pinned links
//! byte for byte and for the fuzz loop's corpus; the app writes version 2 ([`super::encode`]).
//! What the engine gained after the freeze (a kind, a distribution, an algorithm) has no
//! version-1 code: [`encode`] refuses it with [`Unwritable`], naming it.
//!
//! Layout: `kinds` (the kind table), `configs` (each kind's config table), `choices` (variant
//! codes), `names` (ids and labels), `document` (the whole scenario, both ways), `tables`
//! (the tables' shapes and their canonical text), `dictionary`.

mod choices;
mod configs;
mod dictionary;
pub(super) mod document;
mod kinds;
pub(super) mod names;
mod tables;

pub use dictionary::DICTIONARY;
pub(super) use document::{read, write};

use super::{EngineVersion, Playback};
use crate::scenario::Scenario;
use std::fmt;

/// The version this module reads and writes: the text before the first `.` of its links.
pub const VERSION: u32 = 1;

/// The version-1 link for `scenario` (the text after `#`), with the player's position if
/// given, saying `engine` made it; or, writing nothing, what in the scenario version 1 has no
/// code for.
pub fn encode(
    scenario: &Scenario,
    playback: Option<Playback>,
    engine: EngineVersion,
) -> Result<String, Unwritable> {
    let data = write(scenario, playback.as_ref(), engine)?;
    // A setting the engine gained after the freeze has no place in version 1's tables, and a
    // link without it would open to something else: read it back to be sure it is the same.
    let same = read(&data).is_ok_and(|back| back.scenario == *scenario);
    if !same {
        return Err(Unwritable::new("a setting added after version 1".into()));
    }
    Ok(super::pack(VERSION, &data))
}

/// What link version 1 cannot hold: a kind or a choice's variant the engine gained after the
/// freeze. Share such a scenario with a version-2 link ([`super::encode`]), which holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unwritable {
    what: String,
    place: String,
}

impl Unwritable {
    /// `what` (such as "the distribution `gamma`") has no version-1 code.
    pub(crate) fn new(what: String) -> Self {
        Unwritable {
            what,
            place: String::new(),
        }
    }

    /// The same refusal, seen from the part of the scenario that holds it (`step` names it).
    pub(crate) fn at(mut self, step: &str) -> Self {
        self.place = if self.place.is_empty() {
            step.to_string()
        } else {
            format!("{step} {}", self.place)
        };
        self
    }
}

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "link version 1 cannot hold {}", self.what)?;
        if !self.place.is_empty() {
            write!(f, " ({})", self.place)?;
        }
        write!(f, "; a version-2 link can")
    }
}

impl std::error::Error for Unwritable {}

/// Version 1's tables as canonical text: the byte, name and title of every kind, the field
/// order and defaults of every table, the codes of every choice's variants. The tests pin its
/// hash: if it changes, version-1 links have changed meaning.
pub fn frozen_tables() -> String {
    tables::canonical_text()
}
