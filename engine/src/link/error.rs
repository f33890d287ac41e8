//! Why a link does not open. Each variant's message is written for the person who clicked or
//! pasted the link: what is wrong, and where that is known, what to do about it.

use super::{MAX_INFLATED_BYTES, MAX_LINK_CHARS, NEWEST_LINK_VERSION};
use crate::scenario::ParseError;
use std::fmt;

/// Why [`super::decode`] refused a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after the `#`. Copy the whole link.
    Empty,
    /// The text does not start with a link version such as `1.`: it is not a playground link,
    /// or its beginning was lost when it was copied.
    NoVersion,
    /// Made by a newer playground whose link format this one cannot read. Open it there.
    NewerVersion {
        /// The version named by the link, as written (it may not even fit a number).
        found: String,
    },
    /// A link of a version this build reads, holding something it does not know (a kind, a
    /// field or a variant added later): a newer playground made it.
    NewerPart {
        /// What it is, as "a service field (tag 9)".
        what: String,
    },
    /// Longer than any link the playground writes ([`MAX_LINK_CHARS`]).
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A character base64url does not use: the link was altered, or cut where a character
    /// was replaced (by a mail client, say).
    NotBase64 {
        /// The character.
        character: char,
        /// Its 1-based position in the link (the text after `#`, version included).
        position: usize,
    },
    /// The base64url text has a length or final character no encoder writes: usually a link
    /// cut short.
    Base64Truncated,
    /// The compressed data ends early: the link was cut short.
    Truncated,
    /// The compressed data is damaged (not valid deflate).
    Corrupt,
    /// The compressed data decompresses to more than [`MAX_INFLATED_BYTES`]; decompression
    /// stopped there. No real scenario is that large.
    TooLarge,
    /// Bytes follow the end of the compressed data: two links run together, or junk appended.
    TrailingData {
        /// How many.
        bytes: usize,
    },
    /// More nodes than a scenario may have.
    TooManyNodes {
        /// The count the link claims.
        found: u64,
    },
    /// More edges than a scenario may have.
    TooManyEdges {
        /// The count the link claims.
        found: u64,
    },
    /// The decompressed data does not follow the compact format.
    Malformed {
        /// The field being read, such as `node 3 (db_a) config.read_time`.
        field: String,
        /// What was wrong with it.
        problem: String,
    },
    /// A version-0 link whose JSON is not a scenario.
    Json(ParseError),
    /// The link holds a scenario, but one that cannot run: the validator's error messages.
    Invalid(Vec<String>),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link is empty: copy the whole address, including what follows `#`"),
            LinkError::NoVersion => write!(
                f,
                "this is not a Pattern Playground link: it should start with a version such as `{NEWEST_LINK_VERSION}.`; \
                 perhaps its beginning was lost when it was copied"
            ),
            LinkError::NewerVersion { found } => write!(
                f,
                "the link was made by a newer version (link v{found}); this app reads up to \
                 v{NEWEST_LINK_VERSION}: open it with a newer Pattern Playground"
            ),
            LinkError::NewerPart { what } => write!(
                f,
                "the link was made by a newer version of Pattern Playground: it holds {what} \
                 that this one does not know; open it with a newer Pattern Playground"
            ),
            LinkError::TooLong { chars } => write!(
                f,
                "the link is {chars} characters long; no scenario link is longer than {MAX_LINK_CHARS}"
            ),
            LinkError::NotBase64 { character, position } => write!(
                f,
                "the link is not base64url: character {character:?} at position {position} \
                 does not belong in a link (it may have been altered when copied)"
            ),
            LinkError::Base64Truncated => write!(
                f,
                "the link is truncated: its length or last character is impossible for \
                 base64url, so it was probably cut short; copy the whole link"
            ),
            LinkError::Truncated => write!(
                f,
                "the link is truncated: its compressed data ends early; copy the whole link"
            ),
            LinkError::Corrupt => write!(
                f,
                "the link is corrupt: its compressed data is damaged and cannot be decompressed"
            ),
            LinkError::TooLarge => write!(
                f,
                "the link decompresses to more than {MAX_INFLATED_BYTES} bytes; no scenario is \
                 that large, so it was not opened"
            ),
            LinkError::TrailingData { bytes } => write!(
                f,
                "the link is corrupt: {bytes} unexpected bytes follow its compressed data \
                 (two links pasted together?)"
            ),
            LinkError::TooManyNodes { found } => write!(
                f,
                "the link holds {found} nodes; a scenario has at most {}",
                crate::scenario::MAX_NODES
            ),
            LinkError::TooManyEdges { found } => write!(
                f,
                "the link holds {found} edges; a scenario has at most {}",
                crate::scenario::MAX_EDGES
            ),
            LinkError::Malformed { field, problem } => {
                write!(f, "the link is damaged: {field}: {problem}")
            }
            LinkError::Json(e) => write!(f, "the link's scenario cannot be read: {e}"),
            LinkError::Invalid(errors) => write!(
                f,
                "the link's scenario cannot run: {}",
                errors.join("; ")
            ),
        }
    }
}

impl std::error::Error for LinkError {}
