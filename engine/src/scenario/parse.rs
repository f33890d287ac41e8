//! A scenario as JSON, read and written: the file format of docs/scenario-format.md. Reading
//! reports shape errors with the node and field at fault; meaning errors (an edge to a missing
//! node, a negative rate) are left to [`super::validate`], which finds them all.

use super::{Edge, Node, RunSpec, Scenario, FORMAT_VERSION, MAX_EDGES, MAX_NODES};
use crate::components::{Component, Kind};
use crate::json::{self, Fields, FromJson, Json, ReadError, ToJson};
use std::fmt;

/// The largest scenario text accepted (the same cap as a decoded link).
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Why a text is not a scenario at all (before validation can even look at it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// The text is larger than [`MAX_TEXT_BYTES`].
    TooLarge {
        /// Its size, when known: a stream is refused as soon as it passes the limit, and the
        /// rest is never read.
        bytes: Option<usize>,
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
            ParseError::TooLarge { bytes: Some(bytes) } => write!(
                f,
                "the scenario is {bytes} bytes; the limit is {MAX_TEXT_BYTES} bytes"
            ),
            ParseError::TooLarge { bytes: None } => write!(
                f,
                "the scenario is more than {MAX_TEXT_BYTES} bytes; the limit is \
                 {MAX_TEXT_BYTES} bytes"
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

/// A scenario whose JSON, even compact, is over [`MAX_TEXT_BYTES`]: saved, it would be refused
/// when opened, so nothing saves it (see [`Scenario::to_saved_json`]). It reads as the end of
/// a sentence: "the diagram is {this}".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLargeToSave {
    /// The size of its compact JSON.
    pub compact_bytes: usize,
}

impl TooLargeToSave {
    /// Refuses a compact text of `compact_bytes` over the limit.
    pub fn check(compact_bytes: usize) -> Result<(), TooLargeToSave> {
        if compact_bytes > MAX_TEXT_BYTES {
            Err(TooLargeToSave { compact_bytes })
        } else {
            Ok(())
        }
    }
}

impl fmt::Display for TooLargeToSave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} bytes of JSON even without indentation, over the limit of {MAX_TEXT_BYTES} \
             bytes (1 MiB) for a file or a saved diagram",
            self.compact_bytes
        )
    }
}

impl std::error::Error for TooLargeToSave {}

/// Reads a scenario from JSON text.
pub fn from_json(text: &str) -> Result<Scenario, ParseError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge {
            bytes: Some(text.len()),
        });
    }
    let tree = json::parse(text).map_err(|e| ParseError::Invalid(format!("not JSON: {e}")))?;
    // Look at the version before the shape, so a newer format is named as such rather than
    // reported as a confusing unknown field.
    let version = match &tree {
        Json::Object(fields) => fields.iter().find(|(k, _)| k == "version").map(|(_, v)| v),
        other => {
            return Err(ParseError::Invalid(format!(
                "a scenario is a JSON object, not {}",
                other.describe()
            )))
        }
    };
    match version {
        Some(&Json::Integer(v)) if v > u64::from(FORMAT_VERSION) => {
            return Err(ParseError::FutureVersion { found: v })
        }
        Some(Json::Integer(_)) => {}
        _ => {
            return Err(ParseError::Invalid(
                "`version` is missing or not a whole number; this playground writes version 1"
                    .into(),
            ))
        }
    }
    let scenario = Scenario::from_tree(&tree).map_err(|e| ParseError::Invalid(e.to_string()))?;
    if scenario.nodes.len() > MAX_NODES || scenario.edges.len() > MAX_EDGES {
        return Err(ParseError::Invalid(format!(
            "the scenario has {} nodes and {} edges; the limits are {MAX_NODES} and {MAX_EDGES}",
            scenario.nodes.len(),
            scenario.edges.len()
        )));
    }
    Ok(scenario)
}

impl FromJson for Scenario {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let known = [
            "version",
            "name",
            "description",
            "seed",
            "run",
            "nodes",
            "edges",
            "faults",
        ];
        let f = Fields::of(value, &known)?;
        Ok(Scenario {
            version: f.req("version")?,
            name: f.or("name", String::new())?,
            description: f.or("description", String::new())?,
            seed: f.or("seed", 0)?,
            run: f.or("run", RunSpec::default())?,
            nodes: read_nodes(f.get("nodes"))?,
            edges: f.or("edges", Vec::new())?,
            faults: f.or("faults", Vec::new())?,
        })
    }
}

impl ToJson for Scenario {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("version", self.version.to_tree()),
            ("name", self.name.to_tree()),
        ]);
        if !self.description.is_empty() {
            out.push("description", self.description.to_tree());
        }
        out.push("seed", self.seed.to_tree());
        out.push("run", self.run.to_tree());
        out.push("nodes", self.nodes.to_tree());
        out.push("edges", self.edges.to_tree());
        if !self.faults.is_empty() {
            out.push("faults", self.faults.to_tree());
        }
        out
    }
}

/// The nodes, with a fault in one named by the node's id when it has one: `node `db`
/// (database): config: unknown field `conections`; …`.
fn read_nodes(value: Option<&Json>) -> Result<Vec<Node>, ReadError> {
    let items = match value {
        Some(Json::Array(items)) => items,
        Some(other) => {
            let found = other.describe();
            return Err(ReadError::new(format!(
                "nodes: expected an array, found {found}"
            )));
        }
        None => return Err(ReadError::new("missing field `nodes`")),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            Node::from_tree(item).map_err(|e| {
                let who = node_name(item).unwrap_or_else(|| format!("nodes[{i}]"));
                ReadError::new(format!("{who}: {e}"))
            })
        })
        .collect()
}

/// "node `db` (database)", from whatever of the id and kind can be read.
fn node_name(item: &Json) -> Option<String> {
    let Json::Object(fields) = item else {
        return None;
    };
    let text = |key: &str| match fields.iter().find(|(k, _)| k == key) {
        Some((_, Json::String(s))) => Some(s.as_str()),
        _ => None,
    };
    let id = text("id")?;
    Some(match text("kind").and_then(Kind::from_name) {
        Some(kind) => format!("node `{id}` ({})", kind.name()),
        None => format!("node `{id}`"),
    })
}

/// On disk a node is its kind and config side by side; config may be left out or partial.
impl FromJson for Node {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(value, &["id", "kind", "label", "x", "y", "config"])?;
        let kind: Kind = f.req("kind")?;
        let empty = Json::Object(Vec::new());
        let config = match f.get("config") {
            None | Some(Json::Null) => &empty,
            Some(config) => config,
        };
        let component = Component::from_config(kind, config)
            .map_err(|e| ReadError::new(format!("config: {e}")))?;
        Ok(Node {
            id: f.req("id")?,
            label: f.or("label", String::new())?,
            x: f.or("x", 0.0)?,
            y: f.or("y", 0.0)?,
            component,
        })
    }
}

impl ToJson for Node {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("id", self.id.to_tree()),
            (
                "kind",
                Json::String(self.component.kind().name().to_string()),
            ),
        ]);
        if !self.label.is_empty() {
            out.push("label", self.label.to_tree());
        }
        out.push("x", self.x.to_tree());
        out.push("y", self.y.to_tree());
        out.push("config", self.component.to_config());
        out
    }
}

impl FromJson for Edge {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let f = Fields::of(
            value,
            &[
                "from",
                "to",
                "latency_ms",
                "weight",
                "probability",
                "timeout_ms",
                "deadline_ms",
                "bulkhead",
                "retry",
                "breaker",
                "hedge",
            ],
        )?;
        Ok(Edge {
            from: f.req("from")?,
            to: f.req("to")?,
            latency_ms: f.or("latency_ms", 0.0)?,
            weight: f.or("weight", 1.0)?,
            probability: f.or("probability", 1.0)?,
            timeout_ms: f.or("timeout_ms", None)?,
            deadline_ms: f.or("deadline_ms", None)?,
            bulkhead: f.or("bulkhead", None)?,
            retry: f.or("retry", None)?,
            breaker: f.or("breaker", None)?,
            hedge: f.or("hedge", None)?,
        })
    }
}

/// A weight or probability of 1 (the default) and policies not set are left out.
impl ToJson for Edge {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("from", self.from.to_tree()),
            ("to", self.to.to_tree()),
            ("latency_ms", self.latency_ms.to_tree()),
        ]);
        if self.weight != 1.0 {
            out.push("weight", self.weight.to_tree());
        }
        if self.probability != 1.0 {
            out.push("probability", self.probability.to_tree());
        }
        if let Some(t) = self.timeout_ms {
            out.push("timeout_ms", t.to_tree());
        }
        if let Some(d) = self.deadline_ms {
            out.push("deadline_ms", d.to_tree());
        }
        if let Some(b) = self.bulkhead {
            out.push("bulkhead", b.to_tree());
        }
        if let Some(r) = &self.retry {
            out.push("retry", r.to_tree());
        }
        if let Some(b) = &self.breaker {
            out.push("breaker", b.to_tree());
        }
        if let Some(h) = &self.hedge {
            out.push("hedge", h.to_tree());
        }
        out
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

    /// A client calling `services` services, each with a measured profile of `samples` times:
    /// laid out, each time is a line of its own, so the indents outweigh the numbers.
    fn profiled(services: usize, samples: usize) -> Scenario {
        use crate::components::service::ServiceConfig;
        use crate::distributions::Duration;
        let mut s = from_json(r#"{"version": 1, "name": "Profiled", "nodes": []}"#).unwrap();
        let node = |id: String, component| Node {
            label: id.to_ascii_uppercase(),
            id,
            x: 0.0,
            y: 0.0,
            component,
        };
        s.nodes
            .push(node("client".into(), Component::default_of(Kind::Client)));
        for i in 0..services {
            let profile = (0..samples).map(|j| 1.0 + (i * samples + j) as f64 / 1000.0);
            let config = ServiceConfig {
                service_time: Duration::Empirical {
                    samples_ms: profile.collect(),
                },
                ..ServiceConfig::default()
            };
            s.nodes
                .push(node(format!("s{i}"), Component::Service(config)));
            if i > 0 {
                s.edges.push(Edge::new("s0", &format!("s{i}"), 1.0));
            }
        }
        s.edges.push(Edge::new("client", "s0", 1.0));
        s
    }

    #[test]
    fn a_save_too_large_laid_out_is_written_compact_and_opens_again() {
        let s = profiled(12, 10_000);
        assert!(super::super::validate(&s)
            .iter()
            .all(|d| d.severity != crate::scenario::Severity::Error));
        let pretty = s.to_json();
        let compact = s.to_compact_json();
        assert!(pretty.len() > MAX_TEXT_BYTES, "{}", pretty.len());
        assert!(compact.len() <= MAX_TEXT_BYTES, "{}", compact.len());
        assert!(matches!(
            from_json(&pretty),
            Err(ParseError::TooLarge { .. })
        ));
        assert_eq!(from_json(&compact).unwrap(), s);
        assert_eq!(s.to_saved_json().unwrap(), compact);
        assert_eq!(s.check_saveable(), Ok(()));

        // A small scenario is saved laid out, as before.
        let small = profiled(2, 10);
        assert_eq!(small.to_saved_json().unwrap(), small.to_json());
        assert_eq!(from_json(&small.to_compact_json()).unwrap(), small);
    }

    #[test]
    fn a_scenario_too_large_even_compact_is_not_saved_and_the_refusal_names_the_limit() {
        let s = profiled(20, 10_000);
        let bytes = s.to_compact_json().len();
        assert!(bytes > MAX_TEXT_BYTES);
        let refusal = s.to_saved_json().unwrap_err();
        assert_eq!(
            refusal,
            TooLargeToSave {
                compact_bytes: bytes
            }
        );
        assert_eq!(s.check_saveable(), Err(refusal));
        let text = refusal.to_string();
        assert!(
            text.contains(&bytes.to_string()) && text.contains("limit of 1048576 bytes (1 MiB)"),
            "{text}"
        );
    }

    #[test]
    fn too_large_text_is_refused_unread() {
        let text = " ".repeat(MAX_TEXT_BYTES + 1);
        assert!(matches!(from_json(&text), Err(ParseError::TooLarge { .. })));
    }
}
