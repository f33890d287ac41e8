//! One node on the canvas: its box, icon, label, kind and ports. A press on it only says what
//! it landed on ([`PressTarget`]); the canvas decides what the press does.

use super::canvas::PressTarget;
use super::geometry::{NODE_H, NODE_W};
use super::gesture::Hit;
use super::icons::KindIcon;
use crate::state::Editor;
use leptos::prelude::*;

/// The kind's icon on a node: its size and left edge.
const NODE_ICON: f64 = 20.0;
const NODE_ICON_X: f64 = 9.0;
/// The texts are centred in the room right of the icon.
const NODE_TEXT_X: f64 = (NODE_ICON_X + NODE_ICON + NODE_W) / 2.0;

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
    let label = move || {
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
    };
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
            aria-label=move || format!("{}, {}", label(), kind.title())
            on:pointerdown=press
            on:focus=focus
        >
            <rect class="node-box" width=NODE_W height=NODE_H rx="8" />
            <KindIcon kind class="node-icon" size=NODE_ICON x=NODE_ICON_X y=(NODE_H - NODE_ICON) / 2.0 />
            <text class="node-label" x=NODE_TEXT_X y="24" text-anchor="middle">{label}</text>
            <text class="node-kind" x=NODE_TEXT_X y="42" text-anchor="middle">{kind.title()}</text>
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
