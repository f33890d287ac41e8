//! The centre: a toolbar, the editable diagram, a minimap, a status line for refusals and the
//! help overlay.

use leptos::prelude::*;

use super::keyboard::{FitRequests, HelpOpen, SHORTCUTS};
use crate::diagram::geometry::{centre_on, fit, zoom_at, ViewBox, NODE_H, NODE_W};
use crate::diagram::EditorCanvas;
use crate::document;
use crate::live::{Live, NodeBadges, ParticleLayer, StoppedBanner, TraceView};
use crate::share::LinkBanner;
use crate::state::Editor;

/// How much one press of a zoom button zooms.
const ZOOM_STEP: f64 = 1.25;

/// The drawing surface with its toolbar, minimap, status line and help.
#[component]
pub fn CanvasArea() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let FitRequests(fit_requests) = expect_context::<FitRequests>();
    let HelpOpen(help) = expect_context::<HelpOpen>();
    let view: RwSignal<ViewBox> = RwSignal::new(editor.doc.with_untracked(|s| fit(&s.nodes)));
    Effect::watch(
        move || fit_requests.get(),
        move |_, _, _| view.set(editor.doc.with_untracked(|s| fit(&s.nodes))),
        false,
    );
    let caption = move || {
        editor
            .doc
            .with(|s| format!("{} · {} components", s.name, s.nodes.len()))
    };
    let empty = move || editor.doc.with(|s| s.nodes.is_empty());
    let zoom = move |factor: f64| view.update(|v| *v = zoom_at(*v, v.centre(), factor));
    let start_new = move |_| {
        let sure = window()
            .confirm_with_message("Start a new, empty diagram? Undo brings the current one back.")
            .unwrap_or(false);
        if sure {
            editor.replace(document::empty_scenario());
            view.set(fit(&[]));
        }
    };
    view! {
        <main class="canvas" aria-label="Canvas" data-testid="canvas"
            on:pointerdown=move |ev| { live.pick((ev.client_x() as f64, ev.client_y() as f64)); }>
            <div class="canvas-toolbar" role="toolbar" aria-label="Canvas tools">
                <span class="canvas-caption">{caption}</span>
                <button type="button" data-testid="new" title="Start a new, empty diagram" on:click=start_new>"New"</button>
                <button type="button" data-testid="undo" title="Undo (Ctrl+Z)"
                    disabled=move || !editor.can_undo.get() on:click=move |_| editor.undo()>"Undo"</button>
                <button type="button" data-testid="redo" title="Redo (Ctrl+Shift+Z)"
                    disabled=move || !editor.can_redo.get() on:click=move |_| editor.redo()>"Redo"</button>
                <button type="button" data-testid="zoom-out" title="Zoom out" aria-label="Zoom out"
                    on:click=move |_| zoom(ZOOM_STEP)>"−"</button>
                <button type="button" data-testid="zoom-in" title="Zoom in" aria-label="Zoom in"
                    on:click=move |_| zoom(1.0 / ZOOM_STEP)>"+"</button>
                <button type="button" data-testid="fit" title="Fit the diagram in view (F)"
                    on:click=move |_| fit_requests.update(|n| *n += 1)>"Fit"</button>
                <button type="button" data-testid="help" title="Shortcuts (?)" aria-expanded=move || help.get().to_string()
                    on:click=move |_| help.update(|open| *open = !*open)>"?"</button>
            </div>
            <Show when=empty>
                <EmptyCanvas />
            </Show>
            <EditorCanvas view />
            <NodeBadges view />
            <ParticleLayer view />
            <TraceView />
            <Minimap view />
            <p class="canvas-notice" role="status" data-testid="notice">
                {move || editor.notice.get()}
            </p>
            <LinkBanner />
            <StoppedBanner />
            <Show when=move || help.get()>
                <HelpOverlay />
            </Show>
        </main>
    }
}

/// The whole diagram in miniature with the part in view outlined; click to look there.
#[component]
fn Minimap(view: RwSignal<ViewBox>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let svg = NodeRef::<leptos::svg::Svg>::new();
    // The map shows the diagram and the view, whichever reaches further.
    let area = Memo::new(move |_| {
        let d = editor.doc.with(|s| fit(&s.nodes));
        let v = view.get();
        let (x0, y0) = (d.x.min(v.x), d.y.min(v.y));
        let (x1, y1) = ((d.x + d.w).max(v.x + v.w), (d.y + d.h).max(v.y + v.h));
        ViewBox {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    });
    let look_at = move |ev: leptos::ev::PointerEvent| {
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let r = el.get_bounding_client_rect();
        let point = crate::diagram::geometry::screen_to_canvas(
            (r.left(), r.top(), r.width(), r.height()),
            area.get_untracked(),
            (ev.client_x() as f64, ev.client_y() as f64),
        );
        view.update(|v| *v = centre_on(*v, point));
    };
    let boxes = move || {
        editor.doc.with(|s| {
            s.nodes
                .iter()
                .map(|n| {
                    let class = format!("minimap-node node-{}", n.component.kind().name());
                    view! { <rect class=class x=n.x y=n.y width=NODE_W height=NODE_H rx="8" /> }
                })
                .collect_view()
        })
    };
    view! {
        <svg
            node_ref=svg
            class="minimap"
            data-testid="minimap"
            role="img"
            aria-label="Minimap: click to look at that part of the diagram"
            viewBox=move || area.get().attr()
            preserveAspectRatio="xMidYMid meet"
            on:pointerdown=look_at
        >
            {boxes}
            <rect class="minimap-view" x=move || view.get().x y=move || view.get().y
                width=move || view.get().w height=move || view.get().h />
        </svg>
    }
}

/// Every shortcut, over the canvas.
#[component]
fn HelpOverlay() -> impl IntoView {
    let HelpOpen(help) = expect_context::<HelpOpen>();
    view! {
        <div class="help-overlay" role="dialog" aria-label="Keyboard and pointer shortcuts">
            <h2>"Shortcuts"</h2>
            <dl>
                {SHORTCUTS.iter().map(|(keys, what)| view! { <dt>{*keys}</dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <button type="button" on:click=move |_| help.set(false)>"Close"</button>
        </div>
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
