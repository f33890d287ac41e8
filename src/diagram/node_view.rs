//! One node on the canvas: its box, icon, label, kind and ports. A press on it only says what
//! it landed on ([`PressTarget`]); the canvas decides what the press does.

use super::canvas::PressTarget;
use super::geometry::{NODE_H, NODE_W};
use super::gesture::Hit;
use super::icons::KindIcon;
use super::labels::{label_width, lines, LABEL_ROOM, LABEL_X, NODE_ICON, NODE_ICON_X};
use crate::state::Editor;
use leptos::prelude::*;

/// Where the label's lines sit (their baselines): one line with the kind under it, or two or
/// three lines without it, the block centred in the box either way.
const ONE_LINE_Y: [f64; 1] = [25.0];
const KIND_Y: f64 = 43.0;
const TWO_LINES_Y: [f64; 2] = [23.0, 41.0];
const THREE_LINES_Y: [f64; 3] = [17.0, 33.0, 49.0];

/// One node: its box, icon, label, kind and ports.
#[component]
pub(super) fn NodeView(id: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let target = expect_context::<PressTarget>();
    let node = {
        let id = id.clone();
        Memo::new(move |_| editor.doc.with(|s| s.node(&id).cloned()))
    };
    let selected = {
        let id = id.clone();
        Memo::new(move |_| editor.selection.with(|sel| sel.contains(&id)))
    };
    // A node's kind never changes (a different kind is a different node), so the element is
    // built once; a move or a rename only updates an attribute or a text.
    let Some(kind) = node.with_untracked(|n| n.as_ref().map(|n| n.component.kind())) else {
        return ().into_any();
    };
    let transform =
        move || node.with(|n| n.as_ref().map(|n| format!("translate({} {})", n.x, n.y)));
    // A memo, so a move (which changes the node) does not touch what only the label decides:
    // its lines, the tooltip, the accessible name.
    let label = Memo::new(move |_| {
        node.with(|n| {
            n.as_ref()
                .map(|n| {
                    if n.label.is_empty() {
                        n.id.clone()
                    } else {
                        n.label.clone()
                    }
                })
                .unwrap_or_default()
        })
    });
    let wrapped = Memo::new(move |_| label.with(|l| lines(l, LABEL_ROOM, &label_width)));
    let focus = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            editor.selection.update(|sel| {
                if !sel.contains(&id) {
                    *sel = vec![id];
                }
            });
        }
    };
    let press = {
        let id = id.clone();
        move |_| target.record(Hit::Node(id.clone()))
    };
    let press_port = {
        let id = id.clone();
        move |_| target.record(Hit::Port(id.clone()))
    };
    view! {
        <g
            class=format!("node node-{}", kind.name())
            class:selected=move || selected.get()
            data-testid=format!("node-{id}")
            data-kind=kind.name()
            transform=transform
            tabindex="0"
            role="button"
            aria-label=move || format!("{}, {}", label.get(), kind.title())
            on:pointerdown=press
            on:focus=focus
        >
            <rect class="node-box" width=NODE_W height=NODE_H rx="8" />
            <KindIcon kind class="node-icon" size=NODE_ICON x=NODE_ICON_X y=(NODE_H - NODE_ICON) / 2.0 />
            <title>{move || format!("{} ({})", label.get(), kind.title())}</title>
            <text class="node-label" text-anchor="middle">
                {move || {
                    let lines = wrapped.get();
                    let ys: &[f64] = match lines.len() {
                        1 => &ONE_LINE_Y,
                        2 => &TWO_LINES_Y,
                        _ => &THREE_LINES_Y,
                    };
                    lines.into_iter().zip(ys).map(|(line, &y)| view! {
                        <tspan x=LABEL_X y=y>{line}</tspan>
                    }).collect_view()
                }}
            </text>
            <Show when=move || wrapped.with(|l| l.len() == 1)>
                <text class="node-kind" x=LABEL_X y=KIND_Y text-anchor="middle">{kind.title()}</text>
            </Show>
            {kind.accepts_calls().then(|| view! {
                <circle class="port port-in" cx="0" cy=NODE_H / 2.0 r="6" data-testid=format!("port-{id}-in") />
            })}
            {kind.makes_calls().then(|| view! {
                <circle
                    class="port port-out"
                    cx=NODE_W
                    cy=NODE_H / 2.0
                    r="7"
                    data-testid=format!("port-{id}-out")
                    on:pointerdown=press_port
                >
                    <title>"Drag to a component to connect"</title>
                </circle>
            })}
        </g>
    }
    .into_any()
}
