//! One edge on the canvas: an arrow from the caller to the callee, with its one-way latency.
//! A press on it only says what it landed on ([`PressTarget`]); the canvas selects it.

use super::canvas::PressTarget;
use super::edge_selection;
use super::geometry::edge_path;
use super::gesture::Hit;
use crate::state::Editor;
use leptos::prelude::*;

/// One edge: an arrow from the caller to the callee, with its one-way latency.
#[component]
pub(super) fn EdgeView(from: String, to: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let target = expect_context::<PressTarget>();
    let testid = format!("edge-{from}-{to}");
    let selected = {
        let entry = edge_selection(&from, &to);
        Memo::new(move |_| editor.selection.with(|sel| sel.contains(&entry)))
    };
    let hit = Hit::Edge {
        from: from.clone(),
        to: to.clone(),
    };
    let press = move |_| target.record(hit.clone());
    let shape = Memo::new(move |_| {
        editor.doc.with(|s| {
            let edge = s.edges.iter().find(|e| e.from == from && e.to == to)?;
            let (path, label_at) = edge_path(s.node(&from)?, s.node(&to)?);
            Some((path, label_at, format!("{} ms", edge.latency_ms)))
        })
    });
    move || {
        let (path, (lx, ly), latency) = shape.get()?;
        Some(view! {
            <g class="edge" class:selected=move || selected.get() data-testid=testid.clone() on:pointerdown=press.clone()>
                // A wide invisible stroke makes a thin edge easy to pick.
                <path class="edge-hit" d=path.clone() />
                <path class="edge-line" d=path marker-end="url(#arrow)" />
                <text class="edge-label" x=lx y=ly text-anchor="middle">{latency}</text>
            </g>
        })
    }
}
