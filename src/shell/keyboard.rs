//! Keyboard shortcuts for the editor. Keys typed into a form field belong to the field.

use crate::state::{ops, Editor};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Listens on the window for the editor's shortcuts: Delete / Backspace, Ctrl/Cmd+Z (undo),
/// Ctrl/Cmd+Shift+Z or Ctrl+Y (redo), Ctrl/Cmd+D (duplicate), Ctrl/Cmd+A (select all).
pub fn install(editor: Editor) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing_in_a_field(&ev) {
            return;
        }
        let command = ev.ctrl_key() || ev.meta_key();
        let key = ev.key().to_lowercase();
        let selection = editor.selection.get_untracked();
        let handled = match (command, ev.shift_key(), key.as_str()) {
            (false, _, "delete" | "backspace") if !selection.is_empty() => {
                editor.apply(|doc| {
                    ops::delete(doc, &selection, &[]);
                    Ok(())
                });
                editor.selection.set(Vec::new());
                true
            }
            (true, false, "z") => {
                editor.undo();
                true
            }
            (true, true, "z") | (true, false, "y") => {
                editor.redo();
                true
            }
            (true, false, "d") if !selection.is_empty() => {
                if let Some(copies) = editor.apply(|doc| ops::duplicate(doc, &selection)) {
                    editor.selection.set(copies);
                }
                true
            }
            (true, false, "a") => {
                let all = editor
                    .doc
                    .with_untracked(|s| s.nodes.iter().map(|n| n.id.clone()).collect());
                editor.selection.set(all);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
