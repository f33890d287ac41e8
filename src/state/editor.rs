//! The editor as app-wide context: the document signal, its undo history, the selection, and
//! a notice line for refusals ("a database calls nothing"). Every change goes through here, so
//! every change can be undone and nothing half-applied ever reaches the document.

use super::History;
use leptos::prelude::*;
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
    /// Whether undo / redo would do anything (for the buttons).
    pub can_undo: RwSignal<bool>,
    /// See `can_undo`.
    pub can_redo: RwSignal<bool>,
}

impl Editor {
    /// An editor on `initial`, with empty history.
    pub fn new(initial: Scenario) -> Self {
        Editor {
            doc: RwSignal::new(initial),
            selection: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            history: StoredValue::new(History::default()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
        }
    }

    /// Runs `op` on a copy of the document. If it succeeds and changed something, the copy
    /// becomes the document and one undo step is recorded; if it fails, the document is
    /// untouched and the reason is shown.
    pub fn apply<T>(&self, op: impl FnOnce(&mut Scenario) -> Result<T, String>) -> Option<T> {
        let before = self.doc.get_untracked();
        let mut next = before.clone();
        match op(&mut next) {
            Ok(value) => {
                if next != before {
                    self.record(before);
                    self.doc.set(next);
                }
                self.notice.set(None);
                Some(value)
            }
            Err(reason) => {
                self.notice.set(Some(reason));
                None
            }
        }
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

    /// Replaces the whole document (New, open a file or link) as one undoable step.
    pub fn replace(&self, scenario: Scenario) {
        self.apply(|doc| {
            *doc = scenario;
            Ok(())
        });
        self.selection.set(Vec::new());
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

    fn forget_missing_selection(&self) {
        let doc = self.doc;
        self.selection
            .update(|ids| doc.with_untracked(|s| ids.retain(|id| s.node(id).is_some())));
    }
}
