//! Operations on the scenario document, as plain functions: what every editor gesture (drop
//! from the palette, drag, connect, delete, duplicate) does to the data. Each either changes
//! the document or explains why it will not, and never leaves it half-changed.

use pattern_engine::components::{Component, Kind};
use pattern_engine::scenario::{Edge, Node, Scenario, MAX_EDGES, MAX_NODES};

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
    match ka {
        Kind::Client if outs > 0 => {
            return Err(
                "a client sends to one entry point; put a load balancer in front of several".into(),
            )
        }
        Kind::Cache if outs > 0 => return Err("a cache stands in front of one store".into()),
        _ => {}
    }
    if kb == Kind::Worker && s.edges.iter().any(|e| e.to == to) {
        return Err("a worker takes jobs from one queue; give each queue its own workers".into());
    }
    if s.edges.len() >= MAX_EDGES {
        return Err(format!("a scenario holds at most {MAX_EDGES} connections"));
    }
    s.edges.push(Edge::new(from, to, NEW_EDGE_LATENCY_MS));
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

/// Copies the nodes in `ids`, offset a little, with the edges between them. Returns the new ids.
pub fn duplicate(s: &mut Scenario, ids: &[String]) -> Result<Vec<String>, String> {
    let originals: Vec<Node> = s
        .nodes
        .iter()
        .filter(|n| ids.contains(&n.id))
        .cloned()
        .collect();
    if s.nodes.len() + originals.len() > MAX_NODES {
        return Err(format!("a scenario holds at most {MAX_NODES} components"));
    }
    let mut renamed = Vec::new();
    for original in &originals {
        let kind = original.component.kind();
        let id = add_node(
            s,
            kind,
            original.x + DUPLICATE_OFFSET,
            original.y + DUPLICATE_OFFSET,
        )?;
        let copy = s.nodes.last_mut().expect("just added");
        copy.component = original.component.clone();
        copy.label = format!("{} copy", original.label);
        renamed.push((original.id.clone(), id));
    }
    let new_id = |old: &str| {
        renamed
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, n)| n.clone())
    };
    let inner: Vec<Edge> = s
        .edges
        .iter()
        .filter_map(|e| {
            Some(Edge {
                from: new_id(&e.from)?,
                to: new_id(&e.to)?,
                ..e.clone()
            })
        })
        .collect();
    s.edges.extend(inner);
    Ok(renamed.into_iter().map(|(_, n)| n).collect())
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
