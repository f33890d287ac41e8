//! Link version 0, the legacy long form: the scenario's JSON exactly as the command-line tool
//! reads it, deflated. Opening one migrates it through the JSON reader, which knows every
//! scenario-format version, so old links open in new playgrounds.

use super::wire::malformed;
use super::LinkError;
use crate::scenario::{from_json, Scenario};

/// The scenario as compact JSON (the same document `Scenario::to_json` writes, without
/// indentation).
pub fn write(scenario: &Scenario) -> String {
    crate::json::compact(&crate::json::ToJson::to_tree(scenario))
}

/// Reads the JSON inside a version-0 link.
pub fn read(data: &[u8]) -> Result<Scenario, LinkError> {
    let text = std::str::from_utf8(data)
        .map_err(|e| malformed("scenario JSON", format!("not UTF-8 text ({e})")))?;
    from_json(text).map_err(LinkError::Json)
}
