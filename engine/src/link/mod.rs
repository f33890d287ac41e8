//! Share links: a scenario (and optionally where the player was) as the text after `#` in a
//! URL, and back. The only place the app reads untrusted input, so it lives here, in the
//! engine, where it is tested and fuzzed natively.
//!
//! ```text
//! 1.<base64url, no padding, of raw deflate (with a preset dictionary) of the compact encoding>
//! 0.<base64url, no padding, of raw deflate of the scenario's JSON>    the legacy, long form
//! ```
//! The link version comes first, in clear, so a link from a newer playground is named as such
//! before anything is decompressed, and each version has its own decoder: a version-0 link is
//! migrated through the JSON reader (which itself migrates scenario-format versions).
//!
//! [`decode`] never panics and never trusts a length: the text is capped, decompression stops
//! at [`MAX_INFLATED_BYTES`], counts are checked against the bytes left and against the
//! scenario limits, and the result must pass the same validation as a scenario file.
//!
//! Layout: [`base64url`] (the text), `deflate` (compression with a cap), `wire` (varints,
//! numbers, strings), `fields` (masks of non-default fields), `refs` (node references), the
//! primitives every version shares; [`v1`] (version 1, frozen: its kind, config and variant
//! tables, ids and labels, dictionary, and the document both ways), `legacy` (version 0);
//! `error` ([`LinkError`]).

pub mod base64url;
mod deflate;
mod error;
mod fields;
mod legacy;
mod refs;
pub mod v1;
pub mod v2;
mod wire;

pub use error::LinkError;

use crate::bounds::OUT_OF_BOUNDS;
use crate::scenario::{validate, Scenario, Severity};
use crate::time::SimTime;
use std::fmt;

/// The link version [`encode`] writes, and the newest [`decode`] reads.
pub const NEWEST_LINK_VERSION: u32 = 2;
/// The most a link may decompress to (1 MiB, the same cap as a scenario file).
pub const MAX_INFLATED_BYTES: usize = crate::scenario::MAX_TEXT_BYTES;
/// The longest link text read: what [`MAX_INFLATED_BYTES`] of incompressible data would take.
pub const MAX_LINK_CHARS: usize = MAX_INFLATED_BYTES / 3 * 4 + 4096;

/// Where the player was when the link was made; only written if the person sharing asks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playback {
    /// The speed multiplier the player ran at (simulated time per wall-clock time), > 0.
    pub speed: f64,
    /// The simulated time the player had reached.
    pub at_ns: SimTime,
}

/// The version of the engine that made a link: a different engine may give different numbers
/// for the same scenario and seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EngineVersion {
    /// Semver major.
    pub major: u32,
    /// Semver minor.
    pub minor: u32,
    /// Semver patch.
    pub patch: u32,
}

impl EngineVersion {
    /// This engine's version (the `pattern-engine` crate's).
    pub const CURRENT: EngineVersion = EngineVersion {
        major: parse_decimal(env!("CARGO_PKG_VERSION_MAJOR")),
        minor: parse_decimal(env!("CARGO_PKG_VERSION_MINOR")),
        patch: parse_decimal(env!("CARGO_PKG_VERSION_PATCH")),
    };

    /// One varint's worth: `major·10⁶ + minor·10³ + patch` (0.1.0 is 1000, two bytes).
    fn packed(self) -> u64 {
        u64::from(self.major) * 1_000_000 + u64::from(self.minor) * 1_000 + u64::from(self.patch)
    }

    fn from_packed(v: u64) -> Self {
        EngineVersion {
            major: u32::try_from(v / 1_000_000).unwrap_or(u32::MAX),
            minor: (v / 1_000 % 1_000) as u32,
            patch: (v % 1_000) as u32,
        }
    }
}

// The packing above needs minor and patch below 1000.
const _: () = assert!(EngineVersion::CURRENT.minor < 1000 && EngineVersion::CURRENT.patch < 1000);

const fn parse_decimal(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut value = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    value
}

impl fmt::Display for EngineVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What a link opens to.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The scenario, validated: it may still carry hints, and values outside bounds added
    /// after the link was made (it cannot run until those are fixed).
    pub scenario: Scenario,
    /// Where the player was, if the link says.
    pub playback: Option<Playback>,
    /// The engine that made the link; `None` for version-0 links, which did not record it.
    pub engine: Option<EngineVersion>,
    /// The link's format version (0 or 1).
    pub link_version: u32,
}

impl Decoded {
    /// A note to show with the opened scenario when its numbers may differ from what the
    /// person who shared it saw (another engine version made it), else `None`.
    pub fn engine_note(&self) -> Option<String> {
        let current = EngineVersion::CURRENT;
        match self.engine {
            None => Some(
                "this link does not say which engine made it; its numbers may differ from \
                 what its author saw"
                    .into(),
            ),
            Some(v) if v < current => Some(format!(
                "made with an older engine ({v}; this is {current}): numbers may differ"
            )),
            Some(v) if v > current => Some(format!(
                "made with a newer engine ({v}; this is {current}): numbers may differ"
            )),
            Some(_) => None,
        }
    }
}

/// The link for `scenario` (the text after `#`), with the player's position if given.
/// Deterministic: the same scenario always gives the same link. Any scenario can be written;
/// one that does not validate gives a link that [`decode`] refuses with the same diagnostics.
/// It is a version-2 link ([`v2::encode`]) made by this engine.
pub fn encode(scenario: &Scenario, playback: Option<Playback>) -> String {
    v2::encode(scenario, playback, EngineVersion::CURRENT)
}

/// The preset deflate dictionary of each link version: version 2 primes deflate with version
/// 1's (frozen) words.
fn dictionary(version: u32) -> &'static [u8] {
    match version {
        0 => b"",
        _ => v1::DICTIONARY,
    }
}

/// A version-0 link: the scenario's JSON, deflated. Several times longer than [`encode`]'s,
/// but any deflate tool can read it; kept so old links keep opening, and for tests.
pub fn encode_legacy(scenario: &Scenario) -> String {
    pack(0, legacy::write(scenario).as_bytes())
}

fn pack(version: u32, data: &[u8]) -> String {
    let compressed = deflate::compress(data, dictionary(version));
    format!("{version}.{}", base64url::encode(&compressed))
}

/// Opens a link: the text after `#` (a whole URL is accepted too; everything up to its last
/// `#` is ignored, as are surrounding spaces). Never panics; every refusal says what is wrong.
pub fn decode(link: &str) -> Result<Decoded, LinkError> {
    let unpacked = unpack(link)?;
    let decoded = match unpacked.version {
        0 => Decoded {
            scenario: legacy::read(&unpacked.data)?,
            playback: None,
            engine: None,
            link_version: 0,
        },
        v1::VERSION => {
            let contents = v1::read(&unpacked.data)?;
            Decoded {
                scenario: contents.scenario,
                playback: contents.playback,
                engine: Some(contents.engine),
                link_version: v1::VERSION,
            }
        }
        // `unpack` admits versions up to NEWEST_LINK_VERSION only, so this is version 2. A
        // newer version gets its own arm here and in `dictionary`; these stay as they are.
        _ => {
            let contents = v2::read(&unpacked.data)?;
            Decoded {
                scenario: contents.scenario,
                playback: contents.playback,
                engine: Some(contents.engine),
                link_version: v2::VERSION,
            }
        }
    };
    check(&decoded.scenario)?;
    Ok(decoded)
}

/// A link's version and its decompressed data, not yet interpreted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpacked {
    /// The link version ([`NEWEST_LINK_VERSION`] at most).
    pub version: u32,
    /// The decompressed bytes: compact data (version 1) or JSON (version 0).
    pub data: Vec<u8>,
}

/// The first half of [`decode`]: checks the version, then the text, then decompresses with
/// the cap. Useful to tools (and fuzzing) that look at the bytes inside a link.
pub fn unpack(link: &str) -> Result<Unpacked, LinkError> {
    let fragment = link.rsplit('#').next().unwrap_or(link).trim();
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let (version, body) = split_version(fragment)?;
    let chars = fragment.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { chars });
    }
    let compressed = base64url::decode(body).map_err(|e| match e {
        base64url::Base64Error::Character { character, index } => LinkError::NotBase64 {
            character,
            position: fragment.len() - body.len() + index + 1,
        },
        base64url::Base64Error::Length | base64url::Base64Error::TrailingBits => {
            LinkError::Base64Truncated
        }
    })?;
    let data = deflate::inflate(&compressed, dictionary(version))?;
    Ok(Unpacked { version, data })
}

/// Splits `<digits>.<body>`, refusing versions this build does not read.
fn split_version(fragment: &str) -> Result<(u32, &str), LinkError> {
    let (head, body) = fragment.split_once('.').ok_or(LinkError::NoVersion)?;
    if head.is_empty() || !head.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NoVersion);
    }
    match head.parse::<u32>() {
        Ok(v) if v <= NEWEST_LINK_VERSION => Ok((v, body)),
        _ => Err(LinkError::NewerVersion {
            found: head.chars().take(20).collect(),
        }),
    }
}

/// The most validation errors a refusal lists; a forged link can have hundreds of thousands.
const MAX_LISTED_ERRORS: usize = 20;

/// Refuses a scenario the validator has errors for, with their messages. A value outside a
/// bound is no reason to refuse: the link was valid when it was shared, before the bound
/// existed, so it opens with the problem in the diagnostics and cannot run until fixed. Nor is
/// a fault this engine cannot run yet: the diagram opens, and says so.
fn check(scenario: &Scenario) -> Result<(), LinkError> {
    let opens_anyway = [OUT_OF_BOUNDS, crate::scenario::faults::NOT_SIMULATED_YET];
    let all: Vec<String> = validate(scenario)
        .iter()
        .filter(|d| d.severity == Severity::Error && !opens_anyway.contains(&d.code))
        .map(|d| {
            let text = d.to_string();
            text.strip_prefix("error: ").unwrap_or(&text).to_string()
        })
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    let more = all.len().saturating_sub(MAX_LISTED_ERRORS);
    let mut errors: Vec<String> = all.into_iter().take(MAX_LISTED_ERRORS).collect();
    if more > 0 {
        errors.push(format!("and {more} more errors"));
    }
    Err(LinkError::Invalid(errors))
}

/// One fuzzing case, shared by the seeded robustness test (`cargo test`) and the libFuzzer
/// target in `engine/fuzz/`. The first byte picks what the rest is, so a fuzzer reaches every
/// layer: 0 the link text; 1 and 3 the compressed bytes of a version-2 or version-1 link (for
/// the inflater); 2 and 4 the decompressed compact data of a version-2 or version-1 link (for
/// the compact decoders, which a fuzzer would seldom reach through valid deflate).
///
/// Returns what [`decode`] returned.
///
/// # Panics
/// On purpose, when an invariant breaks (that is what a fuzzer looks for): a refusal with an
/// empty message, or a link that opens to a scenario that does not re-encode (as version 2,
/// what the app writes) to the same scenario, or whose re-encoding changes when encoded again.
pub fn fuzz_one(data: &[u8]) -> Result<Decoded, LinkError> {
    let (mode, rest) = data.split_first().map_or((0, data), |(&m, r)| (m % 5, r));
    let link = match mode {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => format!("2.{}", base64url::encode(rest)),
        2 => format!("2.{}", base64url::encode(&deflate::stored(rest))),
        3 => format!("1.{}", base64url::encode(rest)),
        _ => format!("1.{}", base64url::encode(&deflate::stored(rest))),
    };
    let result = decode(&link);
    match &result {
        Err(e) => assert!(!e.to_string().is_empty(), "an error without a message"),
        Ok(decoded) => {
            // Checked on the compact bytes: deflate and base64url are exact and deterministic
            // (their own tests say so), and compressing here would make fuzzing ten times slower.
            let engine = EngineVersion::CURRENT;
            let again = v2::write(&decoded.scenario, decoded.playback.as_ref(), engine);
            let reopened = v2::read(&again).expect("a re-encoded scenario reads back");
            assert_eq!(
                reopened.scenario, decoded.scenario,
                "re-encoding changed it"
            );
            assert_eq!(reopened.playback, decoded.playback);
            assert_eq!(
                v2::write(&reopened.scenario, reopened.playback.as_ref(), engine),
                again
            );
        }
    }
    result
}
