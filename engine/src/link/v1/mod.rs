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
//! The writer is here too, frozen with the reader: the app writes version 1 until a newer
//! version takes over, and the tests and the fuzz loop make links with it.
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

/// The version this module reads and writes: the text before the first `.` of its links.
pub const VERSION: u32 = 1;

/// The version-1 link for `scenario` (the text after `#`), with the player's position if
/// given, saying `engine` made it; `None` if the scenario holds a kind or choice version 1
/// does not have (the app writes version 2; this writer is kept for the tests).
pub fn encode(
    scenario: &Scenario,
    playback: Option<Playback>,
    engine: EngineVersion,
) -> Option<String> {
    let data = write(scenario, playback.as_ref(), engine)?;
    Some(super::pack(VERSION, &data))
}

/// Version 1's tables as canonical text: the byte, name and title of every kind, the field
/// order and defaults of every table, the codes of every choice's variants. The tests pin its
/// hash: if it changes, version-1 links have changed meaning.
pub fn frozen_tables() -> String {
    tables::canonical_text()
}
