//! Operations on the scenario document, as plain functions: what every editor gesture (drop
//! from the palette, drag, connect, delete, duplicate, copy and paste) does to the data. Each either changes
//! the document or explains why it will not, and never leaves it half-changed.

use pattern_engine::components::{Component, Kind};
use pattern_engine::scenario::{
    Edge, FaultKind, FaultTarget, Node, Scenario, MAX_EDGES, MAX_NODES,
};

/// Latency given to a new edge; people adjust it in the inspector.
pub const NEW_EDGE_LATENCY_MS: f64 = 1.0;
/// How far a duplicate sits from its original.
pub const DUPLICATE_OFFSET: f64 = 40.0;

/// Adds a component of `kind` at (`x`, `y`) with its default configuration. Returns its id
/// (`<kind>_<n>`, the first free n) or why it cannot be added.
pub fn add_node(s: &mut Scenario, kind: Kind, x: f64, y: f64) -> Result<String, String> {
    if s.nodes.len() >= MAX_NODES {
        return Err(format!("a scenario holds at most {MAX_NODES} components"));
    }
    let n = (1..)
        .find(|n| s.node(&format!("{}_{n}", kind.name())).is_none())
        .unwrap_or(1);
    let id = format!("{}_{n}", kind.name());
    s.nodes.push(Node {
        id: id.clone(),
        label: format!("{} {n}", kind.title()),
        x,
        y,
        component: Component::default_of(kind),
    });
    Ok(id)
}

/// Moves the nodes named in `ids` by (`dx`, `dy`).
pub fn move_nodes(s: &mut Scenario, ids: &[String], dx: f64, dy: f64) {
    for node in s.nodes.iter_mut().filter(|n| ids.contains(&n.id)) {
        node.x += dx;
        node.y += dy;
    }
}

/// Connects `from` to `to`, or says why that connection would not make sense.
pub fn connect(s: &mut Scenario, from: &str, to: &str) -> Result<(), String> {
    if let Some(reason) = connection_refusal(s, from, to) {
        return Err(reason);
    }
    s.edges.push(Edge::new(from, to, NEW_EDGE_LATENCY_MS));
    Ok(())
}

/// Every other node `from` might call, in diagram order, each with the reason it may not (the
/// same reason [`connect`] would give), for a keyboard user choosing a target.
pub fn connection_targets(s: &Scenario, from: &str) -> Vec<(String, Option<String>)> {
    s.nodes
        .iter()
        .filter(|n| n.id != from)
        .map(|n| (n.id.clone(), connection_refusal(s, from, &n.id)))
        .collect()
}

/// Why `from` may not call `to` (None if it may): the kinds' declared rules, shared with
/// validation (who may call whom, how many edges each side allows), and the editor's own (no
/// duplicate, the size limit).
pub fn connection_refusal(s: &Scenario, from: &str, to: &str) -> Option<String> {
    refusal(s, from, to).err()
}

fn refusal(s: &Scenario, from: &str, to: &str) -> Result<(), String> {
    let (Some(a), Some(b)) = (s.node(from), s.node(to)) else {
        return Err("both ends must be components on the canvas".into());
    };
    let (ka, kb) = (a.component.kind(), b.component.kind());
    if from == to {
        return Err("a component cannot call itself".into());
    }
    if s.edges.iter().any(|e| e.from == from && e.to == to) {
        return Err(format!("{} already calls {}", a.label, b.label));
    }
    if let Some(problem) = ka.connection_problem(kb) {
        return Err(problem);
    }
    let outs = s.edges.iter().filter(|e| e.from == from).count();
    let ins = s.edges.iter().filter(|e| e.to == to).count();
    let limits = [
        (&ka.spec().rules.max_callees, outs),
        (&kb.spec().rules.max_callers, ins),
    ];
    for (limit, count) in limits {
        if let Some(limit) = limit.as_ref().filter(|l| count >= l.most) {
            return Err(limit.message.into());
        }
    }
    if s.edges.len() >= MAX_EDGES {
        return Err(format!("a scenario holds at most {MAX_EDGES} connections"));
    }
    Ok(())
}

/// Deletes the nodes in `ids` (with every edge touching them and every reference to them in
/// other nodes' configs) and the edges in `edges`.
pub fn delete(s: &mut Scenario, ids: &[String], edges: &[(String, String)]) {
    s.nodes.retain(|n| !ids.contains(&n.id));
    s.edges.retain(|e| {
        !ids.contains(&e.from)
            && !ids.contains(&e.to)
            && !edges.iter().any(|(f, t)| *f == e.from && *t == e.to)
    });
    for node in &mut s.nodes {
        forget_references(&mut node.component, &node.id, s.edges.as_slice(), ids);
    }
    forget_faults(s, ids);
}

/// Deletes the faults at `indices` (positions in the list, any order).
pub fn delete_faults(s: &mut Scenario, indices: &[usize]) {
    let mut i = 0;
    s.faults.retain(|_| {
        i += 1;
        !indices.contains(&(i - 1))
    });
}

/// Drops the faults on deleted nodes and on edges that no longer exist, in the same step as
/// the deletion; a fault on several nodes or a partition keeps the nodes that are left.
fn forget_faults(s: &mut Scenario, deleted: &[String]) {
    let edges = &s.edges;
    let gone = |id: &String| deleted.contains(id);
    s.faults.retain_mut(|fault| match &mut fault.target {
        FaultTarget::Node(id) => !gone(id),
        FaultTarget::Edge { from, to } => edges.iter().any(|e| e.from == *from && e.to == *to),
        FaultTarget::Nodes(ids) => {
            ids.retain(|id| !gone(id));
            !ids.is_empty()
        }
        FaultTarget::Nowhere => match &mut fault.kind {
            FaultKind::Partition { groups } => {
                for group in groups.iter_mut() {
                    group.retain(|id| !gone(id));
                }
                groups.retain(|g| !g.is_empty());
                groups.len() >= 2
            }
            _ => true,
        },
    });
}

/// Drops config entries that name deleted nodes or edges that no longer exist.
fn forget_references(component: &mut Component, id: &str, edges: &[Edge], deleted: &[String]) {
    let connected = |to: &String| edges.iter().any(|e| e.from == id && e.to == *to);
    match component {
        Component::ApiGateway(g) => g
            .routes
            .retain(|r| !deleted.contains(&r.to) && connected(&r.to)),
        Component::Service(c) => c.calls.retain(|to| !deleted.contains(to) && connected(to)),
        _ => {}
    }
}

/// The part of `s` made of the nodes in `ids` and the edges among them: what Copy puts on the
/// clipboard. It is a scenario of its own (same run settings, nothing outside it), so it can
/// also be written out as JSON.
pub fn copy(s: &Scenario, ids: &[String]) -> Scenario {
    let inside = |id: &String| ids.contains(id);
    Scenario {
        nodes: s.nodes.iter().filter(|n| inside(&n.id)).cloned().collect(),
        edges: s
            .edges
            .iter()
            .filter(|e| inside(&e.from) && inside(&e.to))
            .cloned()
            .collect(),
        // A copy is of the components, never of what breaks them.
        faults: Vec::new(),
        ..s.clone()
    }
}

/// Adds a copy of every node of `fragment`, moved by `offset`, with fresh ids (`<kind>_<n>`),
/// and the fragment's edges between the copies. A copy's routes and call order follow the
/// copies; entries naming nodes outside the fragment are dropped, since nothing connects the
/// copy to them. Returns the new ids in the fragment's order, or why nothing was added.
pub fn paste(
    s: &mut Scenario,
    fragment: &Scenario,
    offset: (f64, f64),
) -> Result<Vec<String>, String> {
    if s.nodes.len() + fragment.nodes.len() > MAX_NODES {
        return Err(format!("a scenario holds at most {MAX_NODES} components"));
    }
    if s.edges.len() + fragment.edges.len() > MAX_EDGES {
        return Err(format!("a scenario holds at most {MAX_EDGES} connections"));
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for original in &fragment.nodes {
        let (x, y) = (original.x + offset.0, original.y + offset.1);
        let id = add_node(s, original.component.kind(), x, y)?;
        let copy = s.nodes.last_mut().expect("just added");
        copy.component = original.component.clone();
        copy.label = original.label.clone();
        renamed.push((original.id.clone(), id));
    }
    let new_id = |old: &str| {
        renamed
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, n)| n.clone())
    };
    for node in s.nodes.iter_mut().rev().take(renamed.len()) {
        follow_copies(&mut node.component, &new_id);
    }
    let inner = fragment.edges.iter().filter_map(|e| {
        Some(Edge {
            from: new_id(&e.from)?,
            to: new_id(&e.to)?,
            ..e.clone()
        })
    });
    s.edges.extend(inner.collect::<Vec<_>>());
    Ok(renamed.into_iter().map(|(_, n)| n).collect())
}

/// Points a copied config's node references at the copies (`new_id`), dropping the ones that
/// have no copy.
fn follow_copies(component: &mut Component, new_id: &impl Fn(&str) -> Option<String>) {
    match component {
        Component::ApiGateway(g) => g.routes.retain_mut(|r| match new_id(&r.to) {
            Some(id) => {
                r.to = id;
                true
            }
            None => false,
        }),
        Component::Service(c) => {
            c.calls = c.calls.iter().filter_map(|to| new_id(to)).collect();
        }
        _ => {}
    }
}

/// Copies the nodes in `ids`, offset a little, with the edges between them (a copy and a paste
/// in one step; the copies' labels say they are copies). Returns the new ids.
pub fn duplicate(s: &mut Scenario, ids: &[String]) -> Result<Vec<String>, String> {
    let fragment = copy(s, ids);
    let copies = paste(s, &fragment, (DUPLICATE_OFFSET, DUPLICATE_OFFSET))?;
    for node in s.nodes.iter_mut().filter(|n| copies.contains(&n.id)) {
        node.label = format!("{} copy", node.label);
    }
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::scenario::{validate, Severity};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn empty() -> Scenario {
        crate::document::empty_scenario()
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[wasm_bindgen_test]
    fn added_nodes_get_the_first_free_id_and_a_readable_label() {
        let mut s = empty();
        assert_eq!(
            add_node(&mut s, Kind::Service, 0.0, 0.0).unwrap(),
            "service_1"
        );
        assert_eq!(
            add_node(&mut s, Kind::Service, 0.0, 0.0).unwrap(),
            "service_2"
        );
        delete(&mut s, &ids(&["service_1"]), &[]);
        assert_eq!(
            add_node(&mut s, Kind::Service, 10.0, 20.0).unwrap(),
            "service_1"
        );
        let node = s.node("service_1").unwrap();
        assert_eq!(
            (node.label.as_str(), node.x, node.y),
            ("Service 1", 10.0, 20.0)
        );
    }

    #[wasm_bindgen_test]
    fn a_built_diagram_validates_and_runs() {
        let mut s = empty();
        let c = add_node(&mut s, Kind::Client, 0.0, 0.0).unwrap();
        let svc = add_node(&mut s, Kind::Service, 200.0, 0.0).unwrap();
        let db = add_node(&mut s, Kind::Database, 400.0, 0.0).unwrap();
        connect(&mut s, &c, &svc).unwrap();
        connect(&mut s, &svc, &db).unwrap();
        assert!(validate(&s).iter().all(|d| d.severity != Severity::Error));
        let mut sim = pattern_engine::Simulation::new(&s).unwrap();
        sim.run_to_end();
        assert!(sim.summary().requests.completed > 0);
    }

    #[wasm_bindgen_test]
    fn invalid_connections_are_refused_with_a_reason_and_change_nothing() {
        let mut s = empty();
        let c = add_node(&mut s, Kind::Client, 0.0, 0.0).unwrap();
        let a = add_node(&mut s, Kind::Service, 0.0, 0.0).unwrap();
        let b = add_node(&mut s, Kind::Service, 0.0, 0.0).unwrap();
        let db = add_node(&mut s, Kind::Database, 0.0, 0.0).unwrap();
        connect(&mut s, &c, &a).unwrap();
        let before = s.clone();
        let reason = |s: &mut Scenario, from: &str, to: &str| connect(s, from, to).unwrap_err();
        assert!(reason(&mut s, &a, &c).contains("nothing can call it"));
        assert!(reason(&mut s, &db, &a).contains("calls nothing"));
        assert!(reason(&mut s, &c, &a).contains("already calls"));
        assert!(reason(&mut s, &c, &b).contains("load balancer"));
        assert!(reason(&mut s, &a, &a).contains("itself"));
        assert_eq!(s, before);
    }

    #[wasm_bindgen_test]
    fn moving_moves_only_the_selection() {
        let mut s = empty();
        let a = add_node(&mut s, Kind::Cache, 0.0, 0.0).unwrap();
        let b = add_node(&mut s, Kind::Cache, 100.0, 0.0).unwrap();
        move_nodes(&mut s, std::slice::from_ref(&a), 20.0, -40.0);
        assert_eq!(
            (s.node(&a).unwrap().x, s.node(&a).unwrap().y),
            (20.0, -40.0)
        );
        assert_eq!(s.node(&b).unwrap().x, 100.0);
    }

    #[wasm_bindgen_test]
    fn deleting_a_node_takes_its_edges_and_the_references_to_it() {
        let mut s = crate::document::default_scenario();
        delete(&mut s, &ids(&["service_a"]), &[]);
        assert!(s.node("service_a").is_none());
        assert!(s
            .edges
            .iter()
            .all(|e| e.from != "service_a" && e.to != "service_a"));
        let Component::ApiGateway(g) = &s.node("gateway").unwrap().component else {
            panic!("gateway")
        };
        assert!(
            g.routes.iter().all(|r| r.to != "service_a"),
            "the route to it is gone"
        );
        delete(&mut s, &[], &[("user".to_string(), "lb".to_string())]);
        assert!(!s.edges.iter().any(|e| e.from == "user"));
        assert!(s.node("user").is_some());
    }

    #[wasm_bindgen_test]
    fn deleting_takes_the_faults_of_what_it_deletes_and_a_copy_takes_none() {
        use pattern_engine::scenario::Fault;
        let mut s = crate::document::default_scenario();
        let fault = |target: FaultTarget, kind: FaultKind| Fault {
            at_s: 1.0,
            for_s: None,
            target,
            kind,
        };
        let edge = |from: &str, to: &str| FaultTarget::Edge {
            from: from.into(),
            to: to.into(),
        };
        let latency = FaultKind::Latency {
            factor: 2.0,
            plus_ms: 0.0,
        };
        s.faults = vec![
            fault(FaultTarget::Node("db_a".into()), FaultKind::Crash),
            fault(edge("cache_a", "db_a"), latency.clone()),
            fault(edge("user", "lb"), latency),
            fault(FaultTarget::Nodes(ids(&["db_a", "db_b"])), FaultKind::Pause),
            fault(
                FaultTarget::Nowhere,
                FaultKind::Partition {
                    groups: vec![ids(&["db_a"]), ids(&["service_a", "cache_a"])],
                },
            ),
        ];
        assert!(copy(&s, &ids(&["db_a", "cache_a"])).faults.is_empty());
        delete(&mut s, &ids(&["db_a"]), &[]);
        assert_eq!(s.faults.len(), 2, "{:?}", s.faults);
        assert_eq!(s.faults[0].target, edge("user", "lb"));
        assert_eq!(s.faults[1].target, FaultTarget::Nodes(ids(&["db_b"])));
    }

    #[wasm_bindgen_test]
    fn a_paste_gets_fresh_ids_the_inner_edges_and_routes_that_follow_the_copies() {
        let mut s = crate::document::default_scenario();
        let fragment = copy(&s, &ids(&["gateway", "service_a", "cache_a"]));
        assert_eq!(fragment.nodes.len(), 3);
        // Only the edges among the copied nodes come along.
        assert!(fragment
            .edges
            .iter()
            .all(|e| e.from != "lb" && e.to != "db_a"));
        let before = s.clone();

        let pasted = paste(&mut s, &fragment, (20.0, 20.0)).unwrap();
        assert_eq!(pasted, ids(&["api_gateway_1", "service_1", "cache_1"]));
        for (id, original) in pasted.iter().zip(["gateway", "service_a", "cache_a"]) {
            assert!(id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
            let (copy, from) = (s.node(id).unwrap(), before.node(original).unwrap());
            assert_eq!((copy.x, copy.y), (from.x + 20.0, from.y + 20.0));
            assert_eq!(copy.label, from.label);
        }
        assert!(s
            .edges
            .iter()
            .any(|e| e.from == "api_gateway_1" && e.to == "service_1"));
        assert!(s
            .edges
            .iter()
            .any(|e| e.from == "service_1" && e.to == "cache_1"));
        let Component::ApiGateway(g) = &s.node("api_gateway_1").unwrap().component else {
            panic!("gateway")
        };
        assert!(
            g.routes.iter().all(|r| r.to == "service_1"),
            "routes to copied services follow the copy; routes to others are dropped: {g:?}"
        );
        assert_eq!(
            &s.nodes[..before.nodes.len()],
            &before.nodes[..],
            "the originals stay"
        );
        let new_errors = validate(&s)
            .into_iter()
            .filter(|d| d.severity == Severity::Error && !validate(&before).contains(d))
            .filter(|d| d.code != "no_path" && d.code != "unreachable")
            .collect::<Vec<_>>();
        assert!(new_errors.is_empty(), "{new_errors:?}");
    }

    #[wasm_bindgen_test]
    fn a_paste_that_would_pass_the_size_limit_changes_nothing() {
        let mut s = empty();
        for _ in 0..MAX_NODES - 1 {
            add_node(&mut s, Kind::Service, 0.0, 0.0).unwrap();
        }
        let fragment = copy(&s, &ids(&["service_1", "service_2"]));
        let before = s.clone();
        assert!(paste(&mut s, &fragment, (20.0, 20.0)).is_err());
        assert_eq!(s, before);
    }

    #[wasm_bindgen_test]
    fn connection_targets_give_the_same_reasons_as_connect() {
        let s = crate::document::default_scenario();
        let targets = connection_targets(&s, "user");
        assert_eq!(targets.len(), s.nodes.len() - 1);
        for (to, refusal) in targets {
            let mut copy = s.clone();
            assert_eq!(
                connect(&mut copy, "user", &to).err(),
                refusal,
                "user -> {to}"
            );
        }
        let from_db = connection_targets(&s, "db_a");
        assert!(from_db.iter().all(|(_, refusal)| refusal.is_some()));
        let to_service = from_db.iter().find(|(to, _)| to == "service_a").unwrap();
        assert!(to_service.1.as_deref().unwrap().contains("calls nothing"));
    }

    #[wasm_bindgen_test]
    fn duplicates_copy_config_and_inner_edges() {
        let mut s = crate::document::default_scenario();
        let copies = duplicate(&mut s, &ids(&["cache_b", "db_b"])).unwrap();
        assert_eq!(copies, ids(&["cache_1", "database_1"]));
        assert_eq!(
            s.node("cache_1").unwrap().component,
            s.node("cache_b").unwrap().component
        );
        assert!(s
            .edges
            .iter()
            .any(|e| e.from == "cache_1" && e.to == "database_1"));
        assert_eq!(
            s.node("cache_1").unwrap().x,
            s.node("cache_b").unwrap().x + DUPLICATE_OFFSET
        );
    }
}
