//! The centre: a toolbar, the editable diagram, and a status line for refusals.

use leptos::prelude::*;

use crate::diagram::geometry::{fit, ViewBox};
use crate::diagram::EditorCanvas;
use crate::state::Editor;

/// The drawing surface with its toolbar (undo, redo, fit) and status line.
#[component]
pub fn CanvasArea() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let view: RwSignal<ViewBox> = RwSignal::new(editor.doc.with_untracked(|s| fit(&s.nodes)));
    let caption = move || {
        editor
            .doc
            .with(|s| format!("{} · {} components", s.name, s.nodes.len()))
    };
    let empty = move || editor.doc.with(|s| s.nodes.is_empty());
    view! {
        <main class="canvas" aria-label="Canvas" data-testid="canvas">
            <div class="canvas-toolbar" role="toolbar" aria-label="Canvas tools">
                <span class="canvas-caption">{caption}</span>
                <button type="button" data-testid="undo" title="Undo (Ctrl+Z)"
                    disabled=move || !editor.can_undo.get() on:click=move |_| editor.undo()>"Undo"</button>
                <button type="button" data-testid="redo" title="Redo (Ctrl+Shift+Z)"
                    disabled=move || !editor.can_redo.get() on:click=move |_| editor.redo()>"Redo"</button>
                <button type="button" data-testid="fit" title="Fit the diagram in view"
                    on:click=move |_| view.set(editor.doc.with_untracked(|s| fit(&s.nodes)))>"Fit"</button>
            </div>
            <Show when=empty>
                <EmptyCanvas />
            </Show>
            <EditorCanvas view />
            <p class="canvas-notice" role="status" data-testid="notice">
                {move || editor.notice.get()}
            </p>
        </main>
    }
}

/// What an empty canvas says.
#[component]
fn EmptyCanvas() -> impl IntoView {
    view! {
        <div class="canvas-empty">
            <h2 class="canvas-empty-title">"Your diagram is empty"</h2>
            <p>
                "Drag a client from the palette, put a load balancer and a few services behind "
                "it, add a cache in front of the database, then press play to watch every "
                "request find its way."
            </p>
        </div>
    }
}
