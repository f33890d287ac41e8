//! Validation: everything wrong with a scenario, as a list of diagnostics, never a panic.
//! Errors stop a run; hints teach ("the cache has nothing behind it on a miss"). Every
//! diagnostic names the node, edge or field it is about, so the editor can select it.

use super::{Scenario, FORMAT_VERSION, MAX_EDGES, MAX_NODES};
use crate::bounds::{plain, OUT_OF_BOUNDS};
use crate::components::wiring::Around;
use crate::components::{Kind, Rules};
use crate::json::{Json, ToJson};
use std::collections::{HashMap, HashSet};

/// The longest run, in simulated seconds (about four months).
pub const MAX_RUN_SECONDS: f64 = 1e7;
/// The most requests one run may create.
pub const MAX_RUN_REQUESTS: u64 = 1_000_000_000;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The scenario cannot run until this is fixed.
    Error,
    /// It runs, but probably not as meant.
    Hint,
}

/// What a diagnostic is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The scenario as a whole.
    Scenario,
    /// The run settings.
    Run,
    /// A node, by id.
    Node(String),
    /// An edge, by its ends.
    Edge {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
    },
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or hint.
    pub severity: Severity,
    /// A stable machine-readable code.
    pub code: &'static str,
    /// What it is about.
    pub target: Target,
    /// The field at fault, if one (`config.workers`, `latency_ms`).
    pub field: Option<String>,
    /// What is wrong and how to fix it, in a sentence a learner understands.
    pub message: String,
}

impl Severity {
    /// How it is written, in messages and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Hint => "hint",
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = self.severity.name();
        let place = match &self.target {
            Target::Scenario => String::new(),
            Target::Run => "run".to_string(),
            Target::Node(id) => format!("node `{id}`"),
            Target::Edge { from, to } => format!("edge {from} -> {to}"),
        };
        let field = self
            .field
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        let sep = if place.is_empty() && field.is_empty() {
            ""
        } else {
            ": "
        };
        write!(f, "{severity}: {place}{field}{sep}{}", self.message)
    }
}

// The JSON the editor and the tests read: `{"severity": "error", "code": …, "target": …,
// "field": …, "message": …}`, the field left out when there is none (the shape serde's derive
// gave, which the engine no longer depends on).

/// Written as `"error"` or `"hint"`.
impl ToJson for Severity {
    fn to_tree(&self) -> Json {
        Json::String(self.name().to_string())
    }
}

/// Written as `"scenario"`, `"run"`, `{"node": "db"}` or `{"edge": {"from": "api", "to": "db"}}`.
impl ToJson for Target {
    fn to_tree(&self) -> Json {
        match self {
            Target::Scenario => Json::String("scenario".into()),
            Target::Run => Json::String("run".into()),
            Target::Node(id) => Json::tagged("node", id.to_tree()),
            Target::Edge { from, to } => Json::tagged(
                "edge",
                Json::object([("from", from.to_tree()), ("to", to.to_tree())]),
            ),
        }
    }
}

impl ToJson for Diagnostic {
    fn to_tree(&self) -> Json {
        let mut out = Json::object([
            ("severity", self.severity.to_tree()),
            ("code", Json::String(self.code.to_string())),
            ("target", self.target.to_tree()),
        ]);
        if let Some(field) = &self.field {
            out.push("field", field.to_tree());
        }
        out.push("message", self.message.to_tree());
        out
    }
}

pub(crate) struct Findings(Vec<Diagnostic>);

impl Findings {
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        target: Target,
        field: Option<&str>,
        message: String,
    ) {
        self.push(Severity::Error, code, target, field, message);
    }

    pub(super) fn hint(
        &mut self,
        code: &'static str,
        target: Target,
        field: Option<&str>,
        message: String,
    ) {
        self.push(Severity::Hint, code, target, field, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        target: Target,
        field: Option<&str>,
        message: String,
    ) {
        self.0.push(Diagnostic {
            severity,
            code,
            target,
            field: field.map(str::to_string),
            message,
        });
    }
}

/// Everything wrong with `scenario`, errors first.
pub fn validate(scenario: &Scenario) -> Vec<Diagnostic> {
    let mut out = Findings(Vec::new());
    check_header(scenario, &mut out);
    check_run(scenario, &mut out);
    check_requests_a_duration_makes(scenario, &mut out);
    let ids = check_nodes(scenario, &mut out);
    check_edges(scenario, &ids, &mut out);
    super::policies::check_memory(scenario, &mut out);
    super::faults::check_faults(scenario, &mut out);
    if out.0.iter().all(|d| d.severity != Severity::Error) {
        // The graph checks assume every edge names real nodes.
        check_shapes(scenario, &mut out);
        check_cycles(scenario, &mut out);
    }
    // Errors first, each group in the order found (a partition, not a sort: a stable sort
    // would add kilobytes of generic code to the browser bundle for this one call).
    let (mut errors, warnings): (Vec<_>, Vec<_>) = out
        .0
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    errors.extend(warnings);
    errors
}

fn check_header(s: &Scenario, out: &mut Findings) {
    if s.version != FORMAT_VERSION {
        out.error(
            "version",
            Target::Scenario,
            Some("version"),
            format!(
                "this playground reads format version {FORMAT_VERSION}, not {}",
                s.version
            ),
        );
    }
    if s.nodes.len() > MAX_NODES || s.edges.len() > MAX_EDGES {
        out.error(
            "too_large",
            Target::Scenario,
            None,
            format!(
                "{} nodes and {} edges; the limits are {MAX_NODES} and {MAX_EDGES}",
                s.nodes.len(),
                s.edges.len()
            ),
        );
    }
    // An entry point is a node of a kind nothing may call: a traffic source.
    if !s.nodes.iter().any(|n| !n.component.kind().accepts_calls()) {
        out.hint(
            "no_entry_point",
            Target::Scenario,
            None,
            "no entry point: add a client so requests have somewhere to come from".into(),
        );
    }
}

fn check_run(s: &Scenario, out: &mut Findings) {
    let run = &s.run;
    let finite_pos = |x: f64| x.is_finite() && x > 0.0;
    let seconds = |x: f64| x.is_finite() && (0.0..=MAX_RUN_SECONDS).contains(&x);
    match (run.requests, run.duration_s) {
        (Some(_), Some(_)) => out.error(
            "run_stop",
            Target::Run,
            None,
            "give either `requests` or `duration_s`, not both".into(),
        ),
        (None, None) => out.error(
            "run_stop",
            Target::Run,
            None,
            "say when the run ends: `requests` (a count) or `duration_s` (seconds)".into(),
        ),
        (Some(0), None) => out.error(
            "run_requests",
            Target::Run,
            Some("requests"),
            "the run needs at least one request".into(),
        ),
        (None, Some(d)) if !(finite_pos(d) && seconds(d)) => out.error(
            "run_duration",
            Target::Run,
            Some("duration_s"),
            "the duration must be a number of seconds > 0, at most 10,000,000".into(),
        ),
        (Some(n), None) if n > MAX_RUN_REQUESTS => out.error(
            "run_requests",
            Target::Run,
            Some("requests"),
            format!("a run may have at most {MAX_RUN_REQUESTS} requests"),
        ),
        _ => {}
    }
    if !seconds(run.warmup_s) {
        out.error(
            "run_warmup",
            Target::Run,
            Some("warmup_s"),
            "the warm-up must be a number of seconds from 0 to 10,000,000".into(),
        );
    } else if run.duration_s.is_some_and(|d| run.warmup_s >= d) {
        out.error(
            "run_warmup",
            Target::Run,
            Some("warmup_s"),
            "the warm-up is as long as the run: nothing would be measured".into(),
        );
    }
    if !(finite_pos(run.window_s) && run.window_s >= 1e-3) {
        out.error(
            "run_window",
            Target::Run,
            Some("window_s"),
            "the window must be at least 0.001 s".into(),
        );
    }
    if run.trace_every == 0 {
        out.error(
            "run_trace",
            Target::Run,
            Some("trace_every"),
            "trace one request in N: N must be at least 1".into(),
        );
    }
    for (field, message) in run.bound_problems() {
        out.error(OUT_OF_BOUNDS, Target::Run, Some(field), message);
    }
    if run.hop_limit == Some(0) {
        out.error(
            "run_hop_limit",
            Target::Run,
            Some("hop_limit"),
            "a hop limit of 0 lets no request through".into(),
        );
    }
}

/// A timed run's clients must not make more requests than a counted run may have: rate times
/// duration is what bounds a `duration_s` run (a closed loop's rate follows the system, and the
/// run budget stops one that never lets the clock move).
fn check_requests_a_duration_makes(s: &Scenario, out: &mut Findings) {
    let Some(duration) = s.run.duration_s.filter(|d| d.is_finite() && *d > 0.0) else {
        return;
    };
    let rate = s.open_loop_rate_per_s();
    let requests = rate * duration;
    if requests > MAX_RUN_REQUESTS as f64 {
        out.error(
            OUT_OF_BOUNDS,
            Target::Run,
            Some("duration_s"),
            format!(
                "the clients make {} requests a second, so {} s is {} requests; a run may have \
                 at most {}: shorten the run or lower the rates",
                plain(rate),
                plain(duration),
                plain(requests.round()),
                plain(MAX_RUN_REQUESTS as f64)
            ),
        );
    }
}

fn check_nodes<'a>(s: &'a Scenario, out: &mut Findings) -> HashSet<&'a str> {
    let mut ids = HashSet::new();
    for node in &s.nodes {
        let target = || Target::Node(node.id.clone());
        let valid = !node.id.is_empty()
            && node.id.len() <= 64
            && node
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            out.error(
                "node_id",
                target(),
                Some("id"),
                "an id is 1 to 64 characters of a-z, 0-9 and _".into(),
            );
        }
        if !ids.insert(node.id.as_str()) {
            out.error(
                "duplicate_id",
                target(),
                Some("id"),
                "another node has the same id".into(),
            );
        }
        if !(node.x.is_finite() && node.y.is_finite()) {
            out.error(
                "position",
                target(),
                Some("x"),
                "the position must be finite numbers".into(),
            );
        }
        let problems = node.component.problems();
        // A field's own message ("a service needs at least one worker") says more than its
        // bound's, so a field with one is not reported twice.
        let bounds = node.component.bound_problems();
        let unexplained: Vec<_> = bounds
            .into_iter()
            .filter(|(field, _)| problems.iter().all(|(named, _)| named != field))
            .collect();
        for (field, message) in problems {
            out.error(
                "config",
                target(),
                Some(&format!("config.{field}")),
                message,
            );
        }
        for (field, message) in unexplained {
            out.error(
                OUT_OF_BOUNDS,
                target(),
                Some(&format!("config.{field}")),
                message,
            );
        }
    }
    ids
}

fn check_edges(s: &Scenario, ids: &HashSet<&str>, out: &mut Findings) {
    let mut seen = HashSet::new();
    for e in &s.edges {
        let target = || Target::Edge {
            from: e.from.clone(),
            to: e.to.clone(),
        };
        for (end, id) in [("from", &e.from), ("to", &e.to)] {
            if !ids.contains(id.as_str()) {
                out.error(
                    "edge_missing_node",
                    target(),
                    Some(end),
                    format!("there is no node `{id}`"),
                );
            }
        }
        if e.from == e.to {
            out.error(
                "self_loop",
                target(),
                None,
                "a node cannot call itself".into(),
            );
        }
        if !seen.insert((&e.from, &e.to)) {
            out.error(
                "duplicate_edge",
                target(),
                None,
                "these two nodes are already connected".into(),
            );
        }
        if !crate::distributions::valid_ms(e.latency_ms) {
            out.error(
                "edge_latency",
                target(),
                Some("latency_ms"),
                "latency must be a number of milliseconds from 0 to 86,400,000 (a day)".into(),
            );
        }
        if !(e.weight.is_finite() && e.weight > 0.0) {
            out.error(
                "edge_weight",
                target(),
                Some("weight"),
                "the weight must be a number > 0".into(),
            );
        }
        if !(0.0..=1.0).contains(&e.probability) {
            out.error(
                "edge_probability",
                target(),
                Some("probability"),
                "the call probability is a fraction between 0 and 1".into(),
            );
        }
        check_edge_policies(e, out);
    }
}

/// An edge's timeout, deadline and bulkhead, each on its own.
fn check_edge_policies(e: &super::Edge, out: &mut Findings) {
    let target = || Target::Edge {
        from: e.from.clone(),
        to: e.to.clone(),
    };
    let milliseconds =
        |t: Option<f64>| t.is_none_or(|t| crate::distributions::valid_ms(t) && t > 0.0);
    if !milliseconds(e.timeout_ms) {
        out.error(
            "edge_timeout",
            target(),
            Some("timeout_ms"),
            "the timeout must be a number of milliseconds > 0, at most a day".into(),
        );
    }
    if !milliseconds(e.deadline_ms) {
        out.error(
            "edge_deadline",
            target(),
            Some("deadline_ms"),
            "the deadline must be a number of milliseconds > 0, at most a day".into(),
        );
    }
    if let Some(limit) = e.bulkhead {
        if !BULKHEAD.holds(f64::from(limit)) {
            let why = BULKHEAD.refusal("bulkhead", f64::from(limit));
            out.error("out_of_bounds", target(), Some("bulkhead"), why);
        }
    }
    let problems = [
        e.retry.as_ref().map(|p| p.problems()),
        e.breaker.as_ref().map(|p| p.problems()),
        e.hedge.as_ref().map(|p| p.problems()),
    ];
    for (field, message) in problems.into_iter().flatten().flatten() {
        out.error("edge_policy", target(), Some(&field), message);
    }
    if e.retry.is_some() && e.hedge.is_some() {
        out.error(
            "hedge_with_retries",
            target(),
            Some("hedge"),
            "an edge hedges or retries, not both: a hedge is already a second attempt (to \
             retry as well, put the retry on the edge into the caller)"
                .into(),
        );
    }
}

/// How many calls a bulkhead lets out at once: as many as a pool may have workers.
pub const BULKHEAD: crate::bounds::Bound = crate::bounds::Bound::new(
    1.0,
    10_000.0,
    "a bulkhead holds at most as many calls as a pool has workers (ten thousand)",
);

/// Which kinds may call which, how many edges each kind needs, and config cross-references
/// (each kind's `Config::wiring_problems`).
fn check_shapes(s: &Scenario, out: &mut Findings) {
    let kind: HashMap<&str, Kind> = s
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.component.kind()))
        .collect();
    fn outs<'a>(s: &'a Scenario, id: &'a str) -> impl Iterator<Item = &'a super::Edge> {
        s.edges.iter().filter(move |e| e.from == id)
    }
    fn ins<'a>(s: &'a Scenario, id: &'a str) -> impl Iterator<Item = &'a super::Edge> {
        s.edges.iter().filter(move |e| e.to == id)
    }
    for e in &s.edges {
        let (from, to) = (kind[e.from.as_str()], kind[e.to.as_str()]);
        let target = || Target::Edge {
            from: e.from.clone(),
            to: e.to.clone(),
        };
        let refused = from.connection_problem(to);
        if let Some(message) = refused {
            out.error("edge_kinds", target(), None, message);
        }
        if e.probability != 1.0 && !from.spec().rules.calls_with_probability {
            out.error(
                "edge_probability",
                target(),
                Some("probability"),
                "only a service's or a worker's calls can be made with a probability".into(),
            );
        }
        if e.deadline_ms.is_some() && from != Kind::Client {
            out.error(
                "deadline_not_from_client",
                target(),
                Some("deadline_ms"),
                "a deadline starts where the request does: only a client's edge sets one (it \
                 travels with the request to every hop)"
                    .into(),
            );
        }
        if to.spec().rules.holds_jobs && from != Kind::Queue {
            for (set, field) in [
                (e.timeout_ms.is_some(), "timeout_ms"),
                (e.bulkhead.is_some(), "bulkhead"),
                (e.retry.is_some(), "retry"),
                (e.breaker.is_some(), "breaker"),
                (e.hedge.is_some(), "hedge"),
            ] {
                if set {
                    out.error(
                        "policy_on_publish",
                        target(),
                        Some(field),
                        "a publish to a queue does not wait for an answer: nothing times it \
                         out, holds a place, retries, breaks or hedges it"
                            .into(),
                    );
                }
            }
        }
    }
    // Sets for the per-entry lookups below, so that a config with thousands of calls or routes
    // (a forged link, say) costs a lookup per entry, not a scan of every edge.
    let connected: HashSet<(&str, &str)> = s
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    let routes: HashSet<&str> = s
        .nodes
        .iter()
        .flat_map(|n| n.component.route_names())
        .collect();
    for node in &s.nodes {
        let id = node.id.as_str();
        let target = || Target::Node(node.id.clone());
        let callees: Vec<&str> = outs(s, id).map(|e| e.to.as_str()).collect();
        let rules = &node.component.kind().spec().rules;
        check_edge_counts(rules, target, callees.len(), ins(s, id).count(), out);
        let around = Around {
            id,
            callees,
            connected: &connected,
            kinds: &kind,
            routes: &routes,
        };
        for p in node.component.wiring_problems(&around) {
            let severity = if p.stops_run {
                Severity::Error
            } else {
                Severity::Hint
            };
            let field = format!("config.{}", p.field);
            out.push(severity, p.code, target(), Some(&field), p.message);
        }
        if node.component.kind().accepts_calls() && ins(s, id).count() == 0 {
            out.hint(
                "unreachable",
                target(),
                None,
                "nothing calls this node, so it never sees a request".into(),
            );
        }
    }
}

/// The kind's rules on how many edges a node needs and allows.
fn check_edge_counts(
    rules: &Rules,
    target: impl Fn() -> Target,
    n_out: usize,
    n_in: usize,
    out: &mut Findings,
) {
    if let (0, Some(f)) = (n_out, &rules.without_callees) {
        let severity = if f.stops_run {
            Severity::Error
        } else {
            Severity::Hint
        };
        out.push(severity, f.code, target(), None, f.message.into());
    }
    for (limit, count) in [(&rules.max_callees, n_out), (&rules.max_callers, n_in)] {
        if let Some(limit) = limit.as_ref().filter(|l| count > l.most) {
            out.error(limit.code, target(), None, limit.message.into());
        }
    }
}

/// A call loop makes requests circle forever unless a hop limit stops them.
fn check_cycles(s: &Scenario, out: &mut Findings) {
    if s.run.hop_limit.is_some() {
        return;
    }
    if let Some(cycle) = find_cycle(s) {
        out.error(
            "cycle",
            Target::Node(cycle[0].clone()),
            None,
            format!(
            "calls loop: {} -> {}; remove an edge or set run.hop_limit so looping requests fail",
            cycle.join(" -> "), cycle[0]),
        );
    }
}

/// A cycle of node ids, if the call graph has one (iterative depth-first search).
fn find_cycle(s: &Scenario) -> Option<Vec<String>> {
    let index: HashMap<&str, usize> = s
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut adjacency = vec![Vec::new(); s.nodes.len()];
    for e in &s.edges {
        adjacency[index[e.from.as_str()]].push(index[e.to.as_str()]);
    }
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; s.nodes.len()];
    for root in 0..s.nodes.len() {
        if state[root] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(&to) = adjacency[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        path.push((to, 0));
                    }
                    1 => {
                        let start = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        return Some(
                            path[start..]
                                .iter()
                                .map(|&(n, _)| s.nodes[n].id.clone())
                                .collect(),
                        );
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                path.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::compact;

    fn diagnostic(severity: Severity, target: Target, field: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity,
            code: "edge_latency",
            target,
            field: field.map(str::to_string),
            message: "Raise it.".into(),
        }
    }

    /// The texts are what serde's derive wrote for the same diagnostics.
    #[test]
    fn diagnostics_are_written_in_the_shape_serde_gave_them() {
        let cases = [
            (
                diagnostic(Severity::Error, Target::Scenario, None),
                r#"{"severity":"error","code":"edge_latency","target":"scenario","message":"Raise it."}"#,
            ),
            (
                diagnostic(Severity::Hint, Target::Run, None),
                r#"{"severity":"hint","code":"edge_latency","target":"run","message":"Raise it."}"#,
            ),
            (
                diagnostic(
                    Severity::Error,
                    Target::Node("db".into()),
                    Some("latency_ms"),
                ),
                r#"{"severity":"error","code":"edge_latency","target":{"node":"db"},"field":"latency_ms","message":"Raise it."}"#,
            ),
            (
                diagnostic(
                    Severity::Hint,
                    Target::Edge {
                        from: "api".into(),
                        to: "db \"x\"".into(),
                    },
                    Some("latency_ms"),
                ),
                r#"{"severity":"hint","code":"edge_latency","target":{"edge":{"from":"api","to":"db \"x\""}},"field":"latency_ms","message":"Raise it."}"#,
            ),
        ];
        for (diagnostic, text) in cases {
            assert_eq!(compact(&diagnostic.to_tree()), text);
        }
    }
}
