//! Reading a scenario from JSON with messages that name the node and field at fault.

use super::{Node, Scenario, FORMAT_VERSION, MAX_EDGES, MAX_NODES};
use crate::components::{Component, Kind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest scenario text accepted (the same cap as a decoded link).
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Why a text is not a scenario at all (before validation can even look at it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The text is larger than [`MAX_TEXT_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Made by a newer version of the playground; update to open it.
    FutureVersion {
        /// The version found.
        found: u64,
    },
    /// Not JSON, or JSON of the wrong shape; the message names the place.
    Invalid(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooLarge { bytes } => write!(
                f,
                "the scenario is {bytes} bytes; the limit is {MAX_TEXT_BYTES} bytes"
            ),
            ParseError::FutureVersion { found } => write!(
                f,
                "the scenario is format version {found}, newer than this playground's \
                 version {FORMAT_VERSION}; open it with a newer Pattern Playground"
            ),
            ParseError::Invalid(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Reads a scenario from JSON text. Shape errors are reported here; meaning errors (an edge to
/// a missing node, a negative rate) are left to [`super::validate`], which finds them all.
pub fn from_json(text: &str) -> Result<Scenario, ParseError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge { bytes: text.len() });
    }
    // Look at the version before the shape, so a newer format is named as such rather than
    // reported as a confusing missing field.
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<serde_json::Value>,
    }
    let peek: VersionOnly =
        serde_json::from_str(text).map_err(|e| ParseError::Invalid(json_error(&e)))?;
    match peek.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v > FORMAT_VERSION as u64 => return Err(ParseError::FutureVersion { found: v }),
        Some(_) => {}
        None => {
            return Err(ParseError::Invalid(
                "`version` is missing or not a whole number; this playground writes version 1"
                    .into(),
            ))
        }
    }
    let scenario: Scenario =
        serde_json::from_str(text).map_err(|e| ParseError::Invalid(json_error(&e)))?;
    if scenario.nodes.len() > MAX_NODES || scenario.edges.len() > MAX_EDGES {
        return Err(ParseError::Invalid(format!(
            "the scenario has {} nodes and {} edges; the limits are {MAX_NODES} and {MAX_EDGES}",
            scenario.nodes.len(),
            scenario.edges.len()
        )));
    }
    Ok(scenario)
}

fn json_error(e: &serde_json::Error) -> String {
    format!("{e}")
}

/// The on-disk shape of a node: kind and config side by side, config optional.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNode {
    id: String,
    kind: Kind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    label: String,
    #[serde(default)]
    x: f64,
    #[serde(default)]
    y: f64,
    #[serde(default)]
    config: serde_json::Value,
}

impl TryFrom<RawNode> for Node {
    type Error = String;

    fn try_from(raw: RawNode) -> Result<Self, Self::Error> {
        let config = match raw.config {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other,
        };
        let component = Component::from_config(raw.kind, config)
            .map_err(|e| format!("node `{}` ({}): config: {e}", raw.id, raw.kind.name()))?;
        Ok(Node {
            id: raw.id,
            label: raw.label,
            x: raw.x,
            y: raw.y,
            component,
        })
    }
}

impl From<Node> for RawNode {
    fn from(node: Node) -> Self {
        RawNode {
            id: node.id,
            kind: node.component.kind(),
            label: node.label,
            x: node.x,
            y: node.y,
            config: node.component.to_config(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_version_is_named_before_anything_else() {
        let err = from_json(r#"{"version": 9, "nodes": "whatever"}"#).unwrap_err();
        assert_eq!(err, ParseError::FutureVersion { found: 9 });
        assert!(err.to_string().contains("newer"));
    }

    #[test]
    fn a_config_typo_names_the_node_and_the_field() {
        let text =
            r#"{"version":1,"nodes":[{"id":"db","kind":"database","config":{"conections":3}}]}"#;
        let err = from_json(text).unwrap_err().to_string();
        assert!(err.contains("node `db`"), "{err}");
        assert!(err.contains("conections"), "{err}");
    }

    #[test]
    fn an_unknown_kind_is_refused_with_the_known_ones() {
        let text = r#"{"version":1,"nodes":[{"id":"x","kind":"mainframe"}]}"#;
        let err = from_json(text).unwrap_err().to_string();
        assert!(
            err.contains("mainframe") && err.contains("load_balancer"),
            "{err}"
        );
    }

    #[test]
    fn not_json_is_an_error_not_a_panic() {
        assert!(matches!(from_json("{"), Err(ParseError::Invalid(_))));
        assert!(matches!(from_json(""), Err(ParseError::Invalid(_))));
        assert!(matches!(from_json("[]"), Err(ParseError::Invalid(_))));
    }

    #[test]
    fn config_may_be_left_out_for_defaults() {
        let text = r#"{"version":1,"nodes":[{"id":"db","kind":"database"}]}"#;
        let s = from_json(text).unwrap();
        assert_eq!(s.nodes[0].component.kind(), Kind::Database);
    }

    #[test]
    fn too_large_text_is_refused_unread() {
        let text = " ".repeat(MAX_TEXT_BYTES + 1);
        assert!(matches!(from_json(&text), Err(ParseError::TooLarge { .. })));
    }
}
