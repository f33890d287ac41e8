//! Keyboard shortcuts for the editor. Keys typed into a form field belong to the field.
//! The help overlay lists them all ([`SHORTCUTS`]).

use crate::diagram::geometry::GRID;
use crate::diagram::{selected_edge, selected_fault, SpaceHeld};
use crate::state::{ops, Editor};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Every shortcut, as the help overlay shows it: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 15] = [
    (
        "Drag from the palette",
        "add a component where you drop it (Enter adds it in the middle)",
    ),
    (
        "Drag a component",
        "move it (Alt: without snapping to the grid)",
    ),
    (
        "Drag from a right-hand port",
        "connect to the component you release on",
    ),
    (
        "Drag a fault chip onto a component, a connection or a lane",
        "add the fault there; drag its bar to move it, its ends to stretch it (Alt: finer)",
    ),
    ("Click, Shift+click", "select, add to the selection"),
    (
        "Shift+drag the background",
        "select everything the rectangle touches",
    ),
    ("Drag the background, Space+drag, two fingers", "pan"),
    (
        "Wheel, pinch (trackpad or two fingers), + / − buttons",
        "zoom around the pointer",
    ),
    ("Arrow keys (Shift: faster)", "move the selection"),
    ("Delete, Backspace", "delete the selection"),
    ("Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z", "undo, redo"),
    ("Ctrl/Cmd+D, Ctrl/Cmd+A", "duplicate, select all"),
    (
        "Ctrl/Cmd+C, Ctrl/Cmd+X, Ctrl/Cmd+V",
        "copy, cut, paste (each paste one grid step further)",
    ),
    ("F", "fit the diagram in view"),
    (
        "?, Escape",
        "show or hide this help; Escape also cancels a drag",
    ),
];

/// The help overlay's visibility.
#[derive(Clone, Copy)]
pub struct HelpOpen(pub RwSignal<bool>);

/// A request to fit the diagram in view, counted so each press is a new request.
#[derive(Clone, Copy)]
pub struct FitRequests(pub RwSignal<u32>);

/// Listens on the window for the editor's shortcuts (see [`SHORTCUTS`]).
pub fn install(editor: Editor, space: SpaceHeld, help: HelpOpen, fit: FitRequests) {
    let up = window_event_listener(leptos::ev::keyup, move |ev| {
        if ev.key() == " " {
            space.0.set(false);
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing_in_a_field(&ev) {
            return;
        }
        let command = ev.ctrl_key() || ev.meta_key();
        let key = ev.key().to_ascii_lowercase();
        let selection = editor.selection.get_untracked();
        let nodes = editor.selected_nodes();
        let step = if ev.shift_key() { 5.0 * GRID } else { GRID };
        let handled = match (command, ev.shift_key(), key.as_str()) {
            (false, _, " ") => {
                space.0.set(true);
                true
            }
            (false, _, "delete" | "backspace") if !selection.is_empty() => {
                let edges: Vec<(String, String)> =
                    selection.iter().filter_map(|s| selected_edge(s)).collect();
                let faults: Vec<usize> =
                    selection.iter().filter_map(|s| selected_fault(s)).collect();
                editor.apply(|doc| {
                    ops::delete_faults(doc, &faults);
                    ops::delete(doc, &nodes, &edges);
                    Ok(())
                });
                editor.selection.set(Vec::new());
                true
            }
            (false, _, "arrowleft" | "arrowright" | "arrowup" | "arrowdown")
                if !nodes.is_empty() =>
            {
                let (dx, dy) = match key.as_str() {
                    "arrowleft" => (-step, 0.0),
                    "arrowright" => (step, 0.0),
                    "arrowup" => (0.0, -step),
                    _ => (0.0, step),
                };
                editor.apply(|doc| {
                    ops::move_nodes(doc, &nodes, dx, dy);
                    Ok(())
                });
                true
            }
            (false, _, "?") => {
                help.0.update(|open| *open = !*open);
                true
            }
            (false, _, "escape") if help.0.get_untracked() => {
                help.0.set(false);
                true
            }
            (false, false, "f") => {
                fit.0.update(|n| *n += 1);
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
            (true, false, "d") if !nodes.is_empty() => {
                if let Some(copies) = editor.apply(|doc| ops::duplicate(doc, &nodes)) {
                    editor.selection.set(copies);
                }
                true
            }
            (true, false, "c") if !nodes.is_empty() => editor.copy(),
            (true, false, "x") if !nodes.is_empty() => editor.cut(),
            (true, false, "v") => editor.paste(),
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
    on_cleanup(move || {
        handle.remove();
        up.remove();
    });
}

fn typing_in_a_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
