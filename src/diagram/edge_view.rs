//! One edge on the canvas: an arrow from the caller to the callee, with its one-way latency,
//! drawn broken while a fault cuts or slows it, and, in a run, by its circuit breaker's state
//! (`data-breaker`: dashed red with an "open" mark while open, dashed amber half-open).
//! A press on it only says what it landed on ([`PressTarget`]); the canvas selects it.

use super::canvas::PressTarget;
use super::geometry::edge_path;
use super::gesture::Hit;
use super::{edge_selection, BreakerMarks, EdgeMarks};
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
    let breakers = use_context::<BreakerMarks>();
    let breaker = {
        let (from, to) = (from.clone(), to.clone());
        move || {
            let BreakerMarks(marks) = breakers?;
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
            let latency = format!("{} ms", edge.latency_ms);
            Some((path, label_at, latency, edge.breaker.is_some()))
        })
    });
    move || {
        let (path, (lx, ly), latency, has_breaker) = shape.get()?;
        Some(view! {
            <g class="edge" class:selected=move || selected.get() data-testid=testid.clone()
                data-fault=mark.clone() data-breaker=breaker.clone() on:pointerdown=press.clone()>
                // A wide invisible stroke makes a thin edge easy to pick.
                <path class="edge-hit" d=path.clone() />
                <path class="edge-line" d=path marker-end="url(#arrow)" />
                <text class="edge-label" x=lx y=ly text-anchor="middle">{latency}</text>
                // Shown by the style sheet only while the breaker is open.
                {has_breaker.then(|| view! {
                    <text class="edge-breaker-mark" x=lx y=ly + 14.0 text-anchor="middle">"open"</text>
                })}
            </g>
        })
    }
}
