//! Undo and redo: snapshots of the whole document. A scenario is small (at most 500 nodes),
//! so a snapshot per change is simpler and safer than inverse operations, and a gesture (a drag,
//! a typed value) is recorded once, at its end.

use pattern_engine::Scenario;

/// How many steps back undo can go.
pub const DEPTH: usize = 100;

/// The states before (past) and after (future) the current one.
#[derive(Clone, Debug, Default)]
pub struct History {
    past: Vec<Scenario>,
    future: Vec<Scenario>,
}

impl History {
    /// Records that the document was `before` and has now changed; clears the redo list.
    pub fn record(&mut self, before: Scenario) {
        if self.past.len() == DEPTH {
            self.past.remove(0);
        }
        self.past.push(before);
        self.future.clear();
    }

    /// The state to go back to from `current`, if any.
    pub fn undo(&mut self, current: Scenario) -> Option<Scenario> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    /// The state to go forward to from `current`, if any.
    pub fn redo(&mut self, current: Scenario) -> Option<Scenario> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    /// True if there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    /// True if there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ops;
    use pattern_engine::components::Kind;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Applies an operation the way the editor does: snapshot, change, record.
    fn apply(doc: &mut Scenario, history: &mut History, op: impl FnOnce(&mut Scenario)) {
        let before = doc.clone();
        op(doc);
        if *doc != before {
            history.record(before);
        }
    }

    #[wasm_bindgen_test]
    fn undo_and_redo_walk_back_and_forth_through_every_change() {
        let mut doc = crate::document::empty_scenario();
        let mut history = History::default();
        apply(&mut doc, &mut history, |s| {
            ops::add_node(s, Kind::Client, 0.0, 0.0).unwrap();
        });
        apply(&mut doc, &mut history, |s| {
            ops::add_node(s, Kind::Service, 200.0, 0.0).unwrap();
        });
        apply(&mut doc, &mut history, |s| {
            ops::connect(s, "client_1", "service_1").unwrap()
        });
        let built = doc.clone();

        for expected_nodes in [2, 1, 0] {
            doc = history.undo(doc).unwrap();
            assert_eq!(doc.nodes.len(), expected_nodes);
        }
        assert!(!history.can_undo());
        assert!(history.undo(doc.clone()).is_none());
        for _ in 0..3 {
            doc = history.redo(doc).unwrap();
        }
        assert_eq!(doc, built);
        assert!(!history.can_redo());
    }

    #[wasm_bindgen_test]
    fn a_new_change_after_undo_drops_the_redo_list_and_refusals_record_nothing() {
        let mut doc = crate::document::empty_scenario();
        let mut history = History::default();
        apply(&mut doc, &mut history, |s| {
            ops::add_node(s, Kind::Database, 0.0, 0.0).unwrap();
        });
        doc = history.undo(doc).unwrap();
        apply(&mut doc, &mut history, |s| {
            ops::add_node(s, Kind::Cache, 0.0, 0.0).unwrap();
        });
        assert!(!history.can_redo());
        apply(&mut doc, &mut history, |s| {
            assert!(ops::connect(s, "cache_1", "cache_1").is_err())
        });
        doc = history.undo(doc).unwrap();
        assert!(
            doc.nodes.is_empty(),
            "the refused connection left no step behind"
        );
    }

    #[wasm_bindgen_test]
    fn history_keeps_a_bounded_number_of_steps() {
        let mut history = History::default();
        let doc = crate::document::empty_scenario();
        for _ in 0..DEPTH + 20 {
            history.record(doc.clone());
        }
        let mut current = doc;
        let mut steps = 0;
        while let Some(previous) = history.undo(current.clone()) {
            current = previous;
            steps += 1;
        }
        assert_eq!(steps, DEPTH);
    }
}
