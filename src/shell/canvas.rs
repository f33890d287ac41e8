//! The centre: a toolbar, the editable diagram, a minimap, a status line for refusals, the
//! first-visit hint and the help overlay. The view fits the diagram on start, whenever a new
//! document opens, and whenever the canvas changes size, until the person pans or zooms.

use leptos::html::Main;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::hint::FirstVisitHint;
use super::keyboard::{FitRequests, HelpOpen, SHORTCUTS};
use super::layout::{Layout, Shown};
use crate::diagram::fitting::{fit_clear, Rect};
use crate::diagram::geometry::{centre_on, fit, zoom_at, ViewBox, NODE_H, NODE_W};
use crate::diagram::EditorCanvas;
use crate::document;
use crate::live::{Live, NodeBadges, ParticleLayer, StoppedBanner};
use crate::share::examples::open_reference;
use crate::share::LinkBanner;
use crate::state::Editor;

/// How much one press of a zoom button zooms.
const ZOOM_STEP: f64 = 1.25;

/// What the canvas's elements that lie over the diagram are marked with: a fit keeps clear
/// of each one shown.
const COVERS: &str = "[data-covers-diagram]";

/// The view and whether it is still the last fit (so a new size fits again).
#[derive(Clone, Copy)]
struct Fitter {
    view: RwSignal<ViewBox>,
    area: NodeRef<Main>,
    /// The view the last fit made; the person has panned or zoomed once the view differs.
    fitted: StoredValue<Option<ViewBox>>,
}

impl Fitter {
    /// Fits the diagram into the part of the canvas nothing covers.
    fn fit(&self, editor: Editor) {
        let Some(area) = self.area.get_untracked() else {
            return;
        };
        let r = area.get_bounding_client_rect();
        let size = (r.width(), r.height());
        let covers = covers_in(&area, (r.left(), r.top()));
        let view = editor
            .doc
            .with_untracked(|s| fit_clear(&s.nodes, size, &covers))
            .unwrap_or_else(|| editor.doc.with_untracked(|s| fit(&s.nodes)));
        self.fitted.set_value(Some(view));
        self.view.set(view);
    }

    /// Fits again if the view is still the last fit: the person has not panned or zoomed.
    fn refit_unless_moved(&self, editor: Editor) {
        if self.fitted.get_value() == Some(self.view.get_untracked()) {
            self.fit(editor);
        }
    }
}

/// The shown elements over the canvas that a fit keeps clear of, relative to its corner.
fn covers_in(area: &web_sys::HtmlElement, origin: (f64, f64)) -> Vec<Rect> {
    let Ok(list) = area.query_selector_all(COVERS) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.get_bounding_client_rect())
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)
        .map(|r| Rect {
            x: r.left() - origin.0,
            y: r.top() - origin.1,
            w: r.width(),
            h: r.height(),
        })
        .collect()
}

/// Calls `fitter.refit_unless_moved` whenever the canvas changes size (the observer also
/// reports the first size, which is the start-up fit).
fn watch_size(fitter: Fitter, editor: Editor) {
    fitter.area.on_load(move |area| {
        let on_resize = Closure::<dyn FnMut()>::new(move || fitter.refit_unless_moved(editor));
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&area);
            // Both live as long as the page.
            std::mem::forget(observer);
        }
        on_resize.forget();
    });
}

/// The drawing surface with its toolbar, minimap, status line and help.
#[component]
pub fn CanvasArea() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let layout = expect_context::<Layout>();
    let FitRequests(fit_requests) = expect_context::<FitRequests>();
    let HelpOpen(help) = expect_context::<HelpOpen>();
    let view: RwSignal<ViewBox> = RwSignal::new(editor.doc.with_untracked(|s| fit(&s.nodes)));
    let fitter = Fitter {
        view,
        area: NodeRef::new(),
        fitted: StoredValue::new(Some(view.get_untracked())),
    };
    watch_size(fitter, editor);
    Effect::watch(
        move || (fit_requests.get(), editor.replaced.get()),
        move |_, _, _| fitter.fit(editor),
        false,
    );
    // Folding the minimap or dismissing the hint frees room: use it if the view is a fit.
    Effect::watch(
        move || (layout.minimap_open.get(), layout.width.get()),
        move |_, _, _| fitter.refit_unless_moved(editor),
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
        }
    };
    let selected = move || editor.selection.with(|s| !s.is_empty());
    let inspector_open = move || layout.inspector(selected()).is_open();
    let toggle_inspector = move |_| {
        let open = inspector_open();
        layout.inspector_asked.set(Some(!open));
    };
    let palette_open = move || layout.palette_open.get();
    view! {
        <main class="canvas" aria-label="Canvas" data-testid="canvas" node_ref=fitter.area
            on:pointerdown=move |ev| { live.pick((ev.client_x() as f64, ev.client_y() as f64)); }>
            <div class="canvas-toolbar" role="toolbar" aria-label="Canvas tools" data-covers-diagram="">
                <button type="button" class="panel-toggle" data-testid="palette-toggle"
                    title="Show every component, with search" aria-controls="palette"
                    aria-expanded=move || palette_open().to_string()
                    on:click=move |_| layout.palette_open.update(|o| *o = !*o)>"Components"</button>
                <span class="canvas-caption" data-testid="canvas-caption">{caption}</span>
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
                <button type="button" data-testid="help" title="Shortcuts (?)" aria-label="Shortcuts"
                    aria-expanded=move || help.get().to_string()
                    on:click=move |_| help.update(|open| *open = !*open)>"?"</button>
                <button type="button" class="panel-toggle" data-testid="inspector-toggle"
                    title="Show or hide the inspector: settings of the selection, or of the run"
                    aria-controls="inspector" aria-expanded=move || inspector_open().to_string()
                    class:attention=move || selected() && !inspector_open()
                    on:click=toggle_inspector>"Inspector"</button>
            </div>
            <Show when=empty>
                <EmptyCanvas />
            </Show>
            <EditorCanvas view />
            <NodeBadges view />
            <ParticleLayer view />
            <Minimap view />
            <FirstVisitHint on_dismiss=move || fitter.refit_unless_moved(editor) />
            <p class="canvas-notice" role="status" data-testid="notice">
                {move || editor.notice.get()}
            </p>
            <LinkBanner />
            <StoppedBanner />
            <Show when=move || help.get()>
                <HelpOverlay />
            </Show>
            <Show when=move || layout.palette() == Shown::Sheet || layout.inspector(selected()) == Shown::Sheet>
                <button type="button" class="sheet-backdrop" aria-label="Close the panel"
                    on:click=move |_| {
                        layout.palette_open.set(false);
                        layout.inspector_asked.set(Some(false));
                    }></button>
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
    let layout = expect_context::<Layout>();
    let open = layout.minimap_open;
    view! {
        <div class="minimap-box" data-covers-diagram="" data-open=move || open.get().to_string()>
            <button type="button" class="minimap-toggle" data-testid="minimap-toggle"
                aria-expanded=move || open.get().to_string()
                aria-label=move || if open.get() { "Fold the minimap" } else { "Show the minimap" }
                title=move || if open.get() { "Fold the minimap" } else { "Show the minimap" }
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "×" } else { "Map" }}
            </button>
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
        </div>
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

/// What an empty canvas says: how to start, two ways.
#[component]
fn EmptyCanvas() -> impl IntoView {
    let layout = expect_context::<Layout>();
    let editor = expect_context::<Editor>();
    view! {
        <div class="canvas-empty" data-testid="canvas-empty">
            <h2 class="canvas-empty-title">"Your diagram is empty"</h2>
            <p>
                "Start with a client: drag it in from the components (or tap it there), put a "
                "load balancer and a few services behind it, a cache in front of the database, "
                "then press Play to watch every request find its way."
            </p>
            <p>"Or open a finished one from the examples."</p>
            <div class="canvas-empty-actions">
                <button type="button" data-testid="empty-components"
                    on:click=move |_| layout.palette_open.set(true)>"Show the components"</button>
                <button type="button" data-testid="empty-example"
                    on:click=move |_| open_reference(editor)>"Open the reference architecture"</button>
            </div>
        </div>
    }
}
