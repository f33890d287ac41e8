//! The canvas: the `<svg>` that draws the diagram, and the adapter between its events and the
//! gesture machine ([`Gestures`]). Each pointer event becomes one machine event over plain
//! values; the effects that come back are applied to the editor, the view and the pointer.
//! Nothing here decides what a gesture does.

use super::edge_view::EdgeView;
use super::geometry::{snap, zoom_at, ViewBox, NODE_H, NODE_W};
use super::gesture::{Effect, Gestures, Hit, Keys, Overlay, Pointer, Press, Scene, Screen};
use super::node_view::NodeView;
use super::{PaletteDrag, SpaceHeld};
use crate::state::{ops, Editor};
use leptos::ev::PointerEvent;
use leptos::prelude::*;

/// What the press being dispatched landed on. The node, port or edge under the pointer records
/// itself while the event bubbles up to the canvas, the innermost first (a port inside a node
/// is the port); the canvas's own handler, which runs next, takes it. Nothing stops the event
/// before it reaches the canvas, so a recorded hit never outlives its press.
#[derive(Clone, Copy)]
pub(super) struct PressTarget(StoredValue<Option<Hit>>);

impl PressTarget {
    /// Records `hit` unless something inside it already did.
    pub(super) fn record(&self, hit: Hit) {
        self.0.update_value(|recorded| {
            recorded.get_or_insert(hit);
        });
    }

    /// What the press landed on; the background if no element recorded itself.
    fn take(&self) -> Hit {
        self.0
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or(Hit::Background)
    }
}

/// Everything a gesture's effects can touch, as one `Copy` handle for the event handlers.
#[derive(Clone, Copy)]
struct Adapter {
    editor: Editor,
    view: RwSignal<ViewBox>,
    svg: NodeRef<leptos::svg::Svg>,
    gestures: StoredValue<Gestures>,
    overlay: RwSignal<Option<Overlay>>,
    space: RwSignal<bool>,
}

impl Adapter {
    /// Where the canvas is on screen now, and what it shows.
    fn screen(&self) -> Option<Screen> {
        let r = self.svg.get_untracked()?.get_bounding_client_rect();
        Some(Screen {
            rect: (r.left(), r.top(), r.width(), r.height()),
            view: self.view.get_untracked(),
        })
    }

    /// The canvas point under a client point (None outside the canvas).
    fn canvas_point(&self, at: (f64, f64)) -> Option<(f64, f64)> {
        self.screen()?.canvas_point(at)
    }

    /// Runs one machine event against the editor as it is now, then applies its effects.
    fn dispatch(
        &self,
        ev: &web_sys::Event,
        event: impl FnOnce(&mut Gestures, &Scene) -> Vec<Effect>,
    ) {
        let Some(screen) = self.screen() else {
            return;
        };
        let effects = self.editor.doc.with_untracked(|doc| {
            self.editor.selection.with_untracked(|selection| {
                let scene = Scene {
                    doc,
                    selection,
                    screen,
                };
                self.gestures.try_update_value(|g| event(g, &scene))
            })
        });
        self.settle(ev, effects.unwrap_or_default());
    }

    /// Applies `effects` in order, then redraws the gesture's overlay if it changed.
    fn settle(&self, ev: &web_sys::Event, effects: Vec<Effect>) {
        for effect in effects {
            self.apply(ev, effect);
        }
        let overlay = self.gestures.with_value(Gestures::overlay);
        if self.overlay.with_untracked(|shown| *shown != overlay) {
            self.overlay.set(overlay);
        }
    }

    fn apply(&self, ev: &web_sys::Event, effect: Effect) {
        match effect {
            Effect::Preview(doc) => self.editor.preview(|shown| *shown = doc),
            Effect::Commit(before) => self.editor.finish_gesture(before),
            Effect::Restore(before) => self.editor.cancel_gesture(before),
            Effect::Connect { from, to } => {
                self.editor.apply(|doc| ops::connect(doc, &from, &to));
            }
            Effect::Select(selection) => self.editor.selection.set(selection),
            Effect::View(view) => self.view.set(view),
            Effect::Capture(pointer) => {
                if let Some(el) = self.svg.get_untracked() {
                    let _ = el.set_pointer_capture(pointer);
                }
            }
            Effect::Consume => ev.stop_propagation(),
        }
    }

    fn keys(&self, ev: &PointerEvent) -> Keys {
        Keys {
            shift: ev.shift_key(),
            alt: ev.alt_key(),
            space: self.space.get_untracked(),
        }
    }
}

fn pointer(ev: &PointerEvent) -> Pointer {
    Pointer {
        id: ev.pointer_id(),
        touch: ev.pointer_type() != "mouse",
        primary: ev.is_primary(),
    }
}

fn client(ev: &PointerEvent) -> (f64, f64) {
    (ev.client_x() as f64, ev.client_y() as f64)
}

/// The canvas showing the document through `view`.
#[component]
pub fn EditorCanvas(view: RwSignal<ViewBox>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let palette_drag = expect_context::<PaletteDrag>();
    let SpaceHeld(space) = expect_context::<SpaceHeld>();
    let target = PressTarget(StoredValue::new(None));
    provide_context(target);
    let overlay = RwSignal::new(None);
    let adapter = Adapter {
        editor,
        view,
        svg: NodeRef::new(),
        gestures: StoredValue::new(Gestures::default()),
        overlay,
        space,
    };

    let on_press = move |ev: PointerEvent| {
        // No text selection or native drag may start: either would swallow the pointerup.
        ev.prevent_default();
        let press = Press {
            pointer: pointer(&ev),
            at: client(&ev),
            hit: target.take(),
            keys: adapter.keys(&ev),
            main_button: ev.button() == 0,
        };
        adapter.dispatch(&ev, |g, scene| g.press(&press, scene));
    };
    let on_move = move |ev: PointerEvent| {
        let keys = adapter.keys(&ev);
        adapter.dispatch(&ev, |g, scene| {
            g.pointer_move(pointer(&ev), client(&ev), keys, scene)
        });
    };
    let on_up = move |ev: PointerEvent| {
        adapter.dispatch(&ev, |g, scene| g.release(pointer(&ev), client(&ev), scene));
    };
    // The browser taking the pointer away abandons the gesture, as Escape does.
    let on_cancel = move |ev: PointerEvent| {
        let effects = adapter
            .gestures
            .try_update_value(|g| g.pointer_cancel(pointer(&ev)))
            .unwrap_or_default();
        adapter.settle(&ev, effects);
    };
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            let effects = adapter
                .gestures
                .try_update_value(Gestures::escape)
                .unwrap_or_default();
            adapter.settle(&ev, effects);
        }
    });
    // The wheel zooms around the pointer (a trackpad pinch arrives as a wheel with Ctrl).
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        if let Some(point) = adapter.canvas_point(at) {
            let factor = (ev.delta_y() * 0.0015).clamp(-0.5, 0.5).exp();
            view.update(|v| *v = zoom_at(*v, point, factor));
        }
    };
    // Drops from the palette land wherever the pointer is released over the canvas, whatever
    // element the press began on (touch keeps sending events to where it started).
    let drop = window_event_listener(leptos::ev::pointerup, move |ev| {
        let Some(kind) = palette_drag.0.get_untracked() else {
            return;
        };
        palette_drag.0.set(None);
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        if let Some((x, y)) = adapter.canvas_point(at) {
            let (x, y) = (snap(x - NODE_W / 2.0), snap(y - NODE_H / 2.0));
            if let Some(id) = editor.apply(|doc| ops::add_node(doc, kind, x, y)) {
                editor.selection.set(vec![id]);
            }
        }
    });
    on_cleanup(move || {
        drop.remove();
        escape.remove();
    });

    let node_ids = move || {
        editor
            .doc
            .with(|s| s.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    };
    let edge_keys = move || {
        editor.doc.with(|s| {
            s.edges
                .iter()
                .map(|e| (e.from.clone(), e.to.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <svg
            node_ref=adapter.svg
            class="diagram"
            viewBox=move || view.get().attr()
            preserveAspectRatio="xMidYMid meet"
            role="application"
            aria-label="Diagram: drag components to move them, drag from a right-hand port to a component to connect"
            on:pointerdown=on_press
            on:pointermove=on_move
            on:wheel=on_wheel
            on:pointerup=on_up
            on:pointercancel=on_cancel
        >
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="edge-arrow" />
                </marker>
            </defs>
            <g class="edges">
                <For each=edge_keys key=|k| k.clone() let((from, to))>
                    <EdgeView from to />
                </For>
            </g>
            <g class="nodes">
                <For each=node_ids key=|id| id.clone() let(id)>
                    <NodeView id />
                </For>
            </g>
            <PendingEdge overlay />
            <RubberBand overlay />
        </svg>
    }
}

/// The selection rectangle while shift-dragging.
#[component]
fn RubberBand(overlay: RwSignal<Option<Overlay>>) -> impl IntoView {
    move || {
        let Some(Overlay::SelectionBox { start, at }) = overlay.get() else {
            return None;
        };
        Some(view! {
            <rect
                class="selection-box"
                data-testid="selection-box"
                x=start.0.min(at.0)
                y=start.1.min(at.1)
                width=(start.0 - at.0).abs()
                height=(start.1 - at.1).abs()
            />
        })
    }
}

/// The edge being drawn, from the source's output port to the pointer.
#[component]
fn PendingEdge(overlay: RwSignal<Option<Overlay>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    move || {
        let Some(Overlay::PendingEdge { from, at }) = overlay.get() else {
            return None;
        };
        let (x, y) = editor
            .doc
            .with(|s| s.node(&from).map(|n| (n.x + NODE_W, n.y + NODE_H / 2.0)))?;
        Some(view! {
            <path class="edge-line edge-pending" d=format!("M {x} {y} L {} {}", at.0, at.1) />
        })
    }
}
