//! One edge on the canvas: an arrow from the caller to the callee, with its one-way latency,
//! drawn broken while a fault cuts or slows it.
//! A press on it only says what it landed on ([`PressTarget`]); the canvas selects it.

use super::canvas::PressTarget;
use super::geometry::edge_path;
use super::gesture::Hit;
use super::{edge_selection, EdgeMarks};
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
    // A cut or slowed edge is drawn broken while the fault holds (`data-fault`).
    let marks = use_context::<EdgeMarks>();
    let mark = {
        let (from, to) = (from.clone(), to.clone());
        move || {
            let EdgeMarks(marks) = marks?;
            marks.with(|m| {
                m.iter()
                    .find(|(f, t, _)| *f == from && *t == to)
                    .map(|x| x.2)
            })
        }
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
            <g class="edge" class:selected=move || selected.get() data-testid=testid.clone()
                data-fault=mark.clone() on:pointerdown=press.clone()>
                // A wide invisible stroke makes a thin edge easy to pick.
                <path class="edge-hit" d=path.clone() />
                <path class="edge-line" d=path marker-end="url(#arrow)" />
                <text class="edge-label" x=lx y=ly text-anchor="middle">{latency}</text>
            </g>
        })
    }
}
