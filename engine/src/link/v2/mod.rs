//! Link version 2, what the app writes: `2.<base64url of raw deflate, with version 1's preset
//! dictionary, of the compact encoding>`. Where version 1's tables are frozen copies, version 2
//! reads the declarations themselves, which carry constant tags for everything a link names: a
//! kind's `link_tag` (components/spec.rs), each config field's `tag` (components/settings.rs),
//! each choice's variant tags (beside the choice). Tags are append-only and a default, once
//! shipped, never changes, so a link shared today opens to the same diagram forever; one that
//! names a tag this build does not know was made by a newer playground and says so.
//! tests/link_v2.rs pins every tag and default.
//!
//! Layout: `document` (the scenario), `faults` (its timeline of faults), `names` (ids and
//! labels), `value` (the encoding of one value, and the tagged tables).

mod document;
mod faults;
mod names;
mod value;

pub use super::refs::IdIndex;
pub use super::wire::{Reader, Writer};
pub(super) use document::{read, write};
pub use value::{
    unknown_field, unknown_variant, FieldCodec, LinkValue, NodeId, NodeIds, Plain, Tags,
};

use super::{EngineVersion, LinkError, Playback};
use crate::components::{Component, Kind};
use crate::scenario::Scenario;

/// The version this module reads and writes: the text before the first `.` of its links.
pub const VERSION: u32 = 2;

/// The version-2 link for `scenario` (the text after `#`), with the player's position if
/// given, saying `engine` made it. [`super::encode`] is this with the running engine.
pub fn encode(scenario: &Scenario, playback: Option<Playback>, engine: EngineVersion) -> String {
    super::pack(VERSION, &write(scenario, playback.as_ref(), engine))
}

/// Everything that gives a version-2 link its meaning and is declared in data, as canonical
/// text, one line each: every kind's tag and name, and every table's fields with their tag and
/// default (the run, each kind's config, an edge). tests/link_v2.rs keeps a copy and checks
/// that every line of it is still here: lines may be added, never changed or removed.
/// (Choices' variant tags live in code beside each choice; the pinned links cover them.)
pub fn tables() -> String {
    let mut out = String::new();
    for &kind in Kind::ALL {
        out.push_str(&format!("kind {} {}\n", kind.spec().link_tag, kind.name()));
    }
    let mut tables = vec![("run", crate::scenario::RunSpec::FIELDS)];
    tables.extend(Kind::ALL.iter().map(|k| (k.name(), k.fields())));
    tables.push(("keys", crate::workload::KeySpace::FIELDS));
    tables.push(("retry", crate::scenario::RetryPolicy::FIELDS));
    tables.push(("breaker", crate::scenario::BreakerPolicy::FIELDS));
    tables.push(("hedge", crate::scenario::HedgePolicy::FIELDS));
    for (name, fields) in tables {
        for f in fields {
            let default = crate::json::compact(&(f.default)());
            out.push_str(&format!("{name} {} {} = {default}\n", f.tag, f.name));
        }
    }
    out.push_str(&document::edge_table());
    out
}

impl Component {
    /// Writes the configuration as its kind's table of non-default fields.
    pub(crate) fn write_link(&self, w: &mut Writer, ids: &IdIndex) {
        self.config_link_write(w, ids);
    }

    /// Reads a configuration of `kind` written by [`Component::write_link`].
    pub(crate) fn read_link(kind: Kind, r: &mut Reader, ids: &[String]) -> Result<Self, LinkError> {
        Component::config_link_read(kind, r, ids).map_err(|e| match e {
            LinkError::Malformed { field, problem } => LinkError::Malformed {
                field: format!("config.{field}"),
                problem,
            },
            other => other,
        })
    }
}
