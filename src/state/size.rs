//! How large the document's saved text is, measured again cheaply after each edit.
//!
//! The saved text is the scenario's compact JSON (`autosave`), and the editor refuses an edit
//! that would take it past the limit a file or the saved copy may have. Writing a large
//! document's JSON again on every edit costs (about 20 ms in headless Chromium for 860 KB of
//! measured service times), while an edit changes one node or a few: so [`SavedSize`] keeps
//! the size of each node's and edge's JSON from the last measurement and writes again only the
//! ones that differ (relabelling one of that document's services: 2.5 ms, nearly all of it
//! writing that service's 10,000 times; on the default scenario 0.01 ms). Compact JSON has no
//! whitespace, so the document's size is exactly its frame (the scenario without nodes and
//! edges) plus its parts and the commas between them. (A map by id found the unchanged parts
//! as well, and cost the first load 7.5 KB gzipped; this is a walk along the list.)

use pattern_engine::json::{compact, ToJson};
use pattern_engine::scenario::{Edge, Node, Scenario};

/// How far past an entry that changed the measurement looks for the next unchanged one: an
/// edit that deletes more parts in a row than this writes the rest again, once.
const LOOK_AHEAD: usize = 32;

/// The nodes and edges last measured, in the document's order, each with the size of its
/// compact JSON.
#[derive(Default)]
pub struct SavedSize {
    nodes: Vec<(Node, usize)>,
    edges: Vec<(Edge, usize)>,
}

impl SavedSize {
    /// The length in bytes of `s.to_compact_json()`, writing only the nodes and edges that
    /// changed since the last call.
    pub fn measure(&mut self, s: &Scenario) -> usize {
        let frame = Scenario {
            version: s.version,
            name: s.name.clone(),
            description: s.description.clone(),
            seed: s.seed,
            run: s.run.clone(),
            nodes: Vec::new(),
            edges: Vec::new(),
            faults: Vec::new(),
        };
        let commas = s.nodes.len().saturating_sub(1) + s.edges.len().saturating_sub(1);
        frame.to_compact_json().len()
            + commas
            + measure_parts(&mut self.nodes, &s.nodes)
            + measure_parts(&mut self.edges, &s.edges)
    }
}

/// The total compact JSON size of `parts`, taking each unchanged part's size from `last` (an
/// edit keeps the order of what it does not touch: it changes parts in place, appends, or
/// deletes), then keeps `parts` with their sizes in `last` for the next time.
fn measure_parts<T: ToJson + PartialEq + Clone>(last: &mut Vec<(T, usize)>, parts: &[T]) -> usize {
    let mut old: Vec<Option<(T, usize)>> = std::mem::take(last).into_iter().map(Some).collect();
    let mut next = 0;
    let mut total = 0;
    for part in parts {
        let window = next..old.len().min(next + LOOK_AHEAD);
        let found = window
            .into_iter()
            .find(|&k| old[k].as_ref().is_some_and(|(was, _)| was == part));
        let entry = match found.and_then(|k| {
            next = k + 1;
            old[k].take()
        }) {
            Some(entry) => entry,
            None => (part.clone(), compact(&part.to_tree()).len()),
        };
        total += entry.1;
        last.push(entry);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ops;
    use pattern_engine::components::Kind;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_measure_is_the_compact_texts_length_through_every_kind_of_edit() {
        let mut meter = SavedSize::default();
        let mut s = crate::document::default_scenario();
        let check = |meter: &mut SavedSize, s: &Scenario| {
            assert_eq!(meter.measure(s), s.to_compact_json().len());
        };
        check(&mut meter, &s);
        check(&mut meter, &s);
        let ids: Vec<String> = s.nodes.iter().take(3).map(|n| n.id.clone()).collect();
        ops::duplicate(&mut s, &ids).unwrap();
        check(&mut meter, &s);
        s.nodes[1].label = "A label with \"quotes\" and ünïcödé".into();
        s.description = "Changed\n".into();
        check(&mut meter, &s);
        ops::delete(&mut s, &ids[..1], &[]);
        check(&mut meter, &s);
        s.edges[0].latency_ms = 12.5;
        check(&mut meter, &s);
        s.nodes.clear();
        s.edges.clear();
        check(&mut meter, &s);
        ops::add_node(&mut s, Kind::Cache, 0.0, 0.0).unwrap();
        check(&mut meter, &s);
        check(
            &mut SavedSize::default(),
            &crate::document::empty_scenario(),
        );
    }
}
