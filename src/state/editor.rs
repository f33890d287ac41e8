//! The editor as app-wide context: the document signal, its undo history, the selection, and
//! a notice line for refusals ("a database calls nothing"). Every change goes through here, so
//! every change can be undone and nothing half-applied ever reaches the document.

use super::clipboard::Clipboard;
use super::size::SavedSize;
use super::{ops, History};
use crate::diagram::{is_node_entry, selected_edge, selected_fault};
use leptos::prelude::*;
use pattern_engine::scenario::TooLargeToSave;
use pattern_engine::Scenario;

/// A small `Copy` handle to the editor's signals; get it with `expect_context::<Editor>()`.
#[derive(Clone, Copy)]
pub struct Editor {
    /// The scenario being edited: the single source of truth.
    pub doc: RwSignal<Scenario>,
    /// Ids of the selected nodes.
    pub selection: RwSignal<Vec<String>>,
    /// The last refusal or warning, for the status line.
    pub notice: RwSignal<Option<String>>,
    history: StoredValue<History>,
    clipboard: StoredValue<Clipboard>,
    size: StoredValue<SavedSize>,
    /// Whether undo / redo would do anything (for the buttons).
    pub can_undo: RwSignal<bool>,
    /// See `can_undo`.
    pub can_redo: RwSignal<bool>,
    /// Counts whole new documents (an example, a link, a file, New): the canvas fits each.
    pub replaced: RwSignal<u32>,
}

impl Editor {
    /// An editor on `initial`, with empty history.
    pub fn new(initial: Scenario) -> Self {
        Editor {
            doc: RwSignal::new(initial),
            selection: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            history: StoredValue::new(History::default()),
            clipboard: StoredValue::new(Clipboard::default()),
            size: StoredValue::new(SavedSize::default()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            replaced: RwSignal::new(0),
        }
    }

    /// Runs `op` on a copy of the document. If it succeeds and changed something, the copy
    /// becomes the document and one undo step is recorded; if it fails, or would make the
    /// document too large to save (see `size_refusal`), the document is untouched and the
    /// reason is shown.
    pub fn apply<T>(&self, op: impl FnOnce(&mut Scenario) -> Result<T, String>) -> Option<T> {
        self.commit(op, true)
    }

    /// [`Editor::apply`], with the size check or without it (a whole new document is not an
    /// edit that makes the work unsaveable: opening it says whether it can be saved). Only
    /// running `op` is generic; the rest is [`Editor::settle`], compiled once.
    fn commit<T>(
        &self,
        op: impl FnOnce(&mut Scenario) -> Result<T, String>,
        check_size: bool,
    ) -> Option<T> {
        let before = self.doc.get_untracked();
        let mut next = before.clone();
        match op(&mut next) {
            Ok(value) => self.settle(before, next, check_size).then_some(value),
            Err(reason) => {
                self.notice.set(Some(reason));
                None
            }
        }
    }

    /// Makes `next`, the result of an operation on `before`, the document (one undo step, if
    /// anything changed), unless the size check refuses it; true if it was accepted.
    fn settle(&self, before: Scenario, next: Scenario, check_size: bool) -> bool {
        let changed = next != before;
        if check_size && changed {
            if let Some(reason) = self.size_refusal(&before, &next) {
                self.notice.set(Some(reason));
                return false;
            }
        }
        if changed {
            self.record(before);
            self.doc.set(next);
        }
        self.notice.set(None);
        true
    }

    /// Changes the document without recording a step: the live part of a gesture (a drag).
    /// The gesture ends with [`Editor::finish_gesture`] or [`Editor::cancel_gesture`].
    pub fn preview(&self, f: impl FnOnce(&mut Scenario)) {
        self.doc.update(f);
    }

    /// Ends a gesture that started from `before`: one undo step, if anything changed.
    pub fn finish_gesture(&self, before: Scenario) {
        if self.doc.with_untracked(|now| *now != before) {
            self.record(before);
        }
    }

    /// Abandons a gesture: the document goes back to `before`, as if nothing happened.
    pub fn cancel_gesture(&self, before: Scenario) {
        self.doc.set(before);
    }

    /// Goes back one step.
    pub fn undo(&self) {
        self.travel(History::undo);
    }

    /// Goes forward one step.
    pub fn redo(&self) {
        self.travel(History::redo);
    }

    /// Moves through history: `step` trades the current document for another, if it can.
    fn travel(&self, step: fn(&mut History, Scenario) -> Option<Scenario>) {
        let current = self.doc.get_untracked();
        if let Some(other) = self
            .history
            .try_update_value(|h| step(h, current))
            .flatten()
        {
            self.doc.set(other);
            self.forget_missing_selection();
        }
        self.refresh_flags();
    }

    /// Replaces the whole document (New, open a file or link) as one undoable step. A document
    /// too large to save is opened all the same; the autosave then says why it is not saved.
    pub fn replace(&self, scenario: Scenario) {
        self.commit(
            |doc| {
                *doc = scenario;
                Ok(())
            },
            false,
        );
        self.selection.set(Vec::new());
        self.replaced.update(|n| *n += 1);
    }

    /// The selected nodes (edges and faults in the selection are left out).
    pub fn selected_nodes(&self) -> Vec<String> {
        self.selection.with_untracked(|sel| {
            sel.iter()
                .filter(|entry| is_node_entry(entry))
                .cloned()
                .collect()
        })
    }

    /// Copies the selected nodes and the edges among them; false if no node is selected.
    pub fn copy(&self) -> bool {
        let ids = self.selected_nodes();
        let doc = self.doc;
        self.clipboard
            .try_update_value(|c| doc.with_untracked(|s| c.copy(s, &ids)))
            .unwrap_or(false)
    }

    /// Copies the selected nodes, then deletes them (one undo step); false if none is selected.
    pub fn cut(&self) -> bool {
        if !self.copy() {
            return false;
        }
        let ids = self.selected_nodes();
        self.apply(|doc| {
            ops::delete(doc, &ids, &[]);
            Ok(())
        });
        self.selection.set(Vec::new());
        true
    }

    /// Pastes what was copied one grid step past the last paste, with fresh ids, as one undo
    /// step, and selects the copies; false if nothing was copied or the paste was refused.
    pub fn paste(&self) -> bool {
        let Some((fragment, offset)) = self
            .clipboard
            .with_value(|c| c.next_paste().map(|(f, o)| (f.clone(), o)))
        else {
            return false;
        };
        let Some(copies) = self.apply(|doc| ops::paste(doc, &fragment, offset)) else {
            return false;
        };
        self.clipboard.update_value(Clipboard::pasted);
        self.selection.set(copies);
        true
    }

    /// Why the edit from `before` to `next` is refused for size, if it is: `next` could not be
    /// saved (its compact JSON is over the limit a file or the saved copy may have, so it would
    /// not open again; see `autosave`), and it is no smaller than `before`. An edit that
    /// shrinks a document already over the limit (one opened from a large link) is let
    /// through, so it can be made saveable. Measuring writes only what changed
    /// ([`SavedSize`]); drags preview without it.
    fn size_refusal(&self, before: &Scenario, next: &Scenario) -> Option<String> {
        let measure = |s: &Scenario| {
            self.size
                .try_update_value(|size| size.measure(s))
                .unwrap_or_else(|| s.to_compact_json().len())
        };
        let too_large = TooLargeToSave::check(measure(next)).err()?;
        if too_large.compact_bytes < measure(before) {
            return None;
        }
        Some(format!(
            "Not done: the diagram would be {too_large}, so it could no longer be saved."
        ))
    }

    fn record(&self, before: Scenario) {
        self.history.update_value(|h| h.record(before));
        self.refresh_flags();
    }

    fn refresh_flags(&self) {
        let (undo, redo) = self.history.with_value(|h| (h.can_undo(), h.can_redo()));
        self.can_undo.set(undo);
        self.can_redo.set(redo);
    }

    /// Drops from the selection whatever the document no longer holds: a node by its id, an
    /// edge by its `edge:<from>:<to>` entry (an edge that still exists stays selected).
    fn forget_missing_selection(&self) {
        let doc = self.doc;
        self.selection
            .update(|entries| doc.with_untracked(|s| entries.retain(|e| still_there(s, e))));
    }
}

/// True if the selection entry `entry` names a node, an edge or a fault that `s` holds.
fn still_there(s: &Scenario, entry: &str) -> bool {
    if let Some(index) = selected_fault(entry) {
        return index < s.faults.len();
    }
    match selected_edge(entry) {
        Some((from, to)) => s.edges.iter().any(|e| e.from == from && e.to == to),
        None => s.node(entry).is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::edge_selection;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn undo_and_redo_keep_a_selected_edge_that_still_exists_and_drop_a_gone_one() {
        let editor = Editor::new(crate::document::default_scenario());
        let kept = edge_selection("user", "lb");
        let gone = edge_selection("lb", "gateway");
        editor.apply(|doc| {
            ops::move_nodes(doc, &["user".to_string()], 20.0, 0.0);
            Ok(())
        });
        editor.selection.set(vec![kept.clone(), "user".to_string()]);
        editor.undo();
        assert_eq!(
            editor.selection.get_untracked(),
            vec![kept.clone(), "user".to_string()],
            "an edge that is still there stays selected"
        );

        editor.apply(|doc| {
            ops::delete(doc, &[], &[("lb".to_string(), "gateway".to_string())]);
            Ok(())
        });
        editor.undo();
        editor.selection.set(vec![gone.clone(), kept.clone()]);
        editor.redo();
        assert_eq!(editor.selection.get_untracked(), vec![kept]);
    }

    #[wasm_bindgen_test]
    fn paste_is_one_undo_step_selects_the_copies_and_keeps_offsetting() {
        let editor = Editor::new(crate::document::default_scenario());
        let original = editor
            .doc
            .with_untracked(|s| s.node("cache_a").cloned().unwrap());
        editor
            .selection
            .set(vec!["cache_a".to_string(), "db_a".to_string()]);
        assert!(editor.copy());
        assert!(editor.paste());
        assert_eq!(editor.selection.get_untracked(), ["cache_1", "database_1"]);
        assert!(editor.paste());
        assert_eq!(editor.selection.get_untracked(), ["cache_2", "database_2"]);
        let doc = editor.doc.get_untracked();
        let at = |id: &str| doc.node(id).map(|n| (n.x, n.y)).unwrap();
        assert_eq!(at("cache_1"), (original.x + 20.0, original.y + 20.0));
        assert_eq!(at("cache_2"), (original.x + 40.0, original.y + 40.0));
        assert!(doc
            .edges
            .iter()
            .any(|e| e.from == "cache_2" && e.to == "database_2"));

        editor.undo();
        let doc = editor.doc.get_untracked();
        assert!(doc.node("cache_2").is_none() && doc.node("database_2").is_none());
        assert!(doc.node("cache_1").is_some(), "one paste, one step");
        assert!(
            editor.selection.get_untracked().is_empty(),
            "the undone copies are no longer selected"
        );
    }

    #[wasm_bindgen_test]
    fn cut_removes_the_nodes_and_paste_brings_copies_back() {
        let editor = Editor::new(crate::document::default_scenario());
        editor.selection.set(vec![
            "worker".to_string(),
            edge_selection("queue", "worker"),
        ]);
        assert!(editor.cut());
        assert!(editor.doc.with_untracked(|s| s.node("worker").is_none()));
        assert!(editor.paste());
        assert_eq!(editor.selection.get_untracked(), ["worker_1"]);
        editor.undo();
        editor.undo();
        assert!(editor.doc.with_untracked(|s| s.node("worker").is_some()));
        editor.selection.set(Vec::new());
        assert!(!editor.copy(), "nothing selected, nothing copied");
    }
}
