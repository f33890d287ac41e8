//! The editable diagram: nodes as labelled boxes with ports, edges as arrows with their
//! latency. Pointer gestures are an explicit state ([`Gesture`]): press a node to select and
//! drag it (snapping to the grid unless Alt is held), press an output port and release on
//! another node to connect them; on a touch screen one finger does the same and two pinch to
//! zoom and pan. A drag is one undo step; Escape cancels it.
//!
//! Views are fine-grained: each node and edge reads only its own slice of the document, so a
//! drag re-renders what moved and nothing else.

pub mod geometry;
pub mod icons;

use crate::state::{ops, Editor};
use geometry::{
    edge_path, node_at, nodes_in, pinch, scale, screen_to_canvas, snap, zoom_at, ViewBox, NODE_H,
    NODE_W,
};
use icons::KindIcon;
use leptos::ev::PointerEvent;
use leptos::prelude::*;
use pattern_engine::components::Kind;
use pattern_engine::Scenario;

/// What the pointer is doing on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub enum Gesture {
    /// Nothing under way.
    Idle,
    /// Dragging the nodes `ids`, which started at `start`; `before` is the document as it was,
    /// to compute positions from and to restore on Escape.
    Moving {
        /// The dragged nodes.
        ids: Vec<String>,
        /// Canvas point where the drag began.
        start: (f64, f64),
        /// The document before the drag.
        before: Scenario,
    },
    /// Dragging the view: it follows the pointer from `from` (client pixels); `view` is where
    /// it was. A press that does not move is a click on the background: it clears the selection.
    Panning {
        /// Client point where the press began.
        from: (f64, f64),
        /// The view when it began.
        view: ViewBox,
        /// True once the pointer has really moved.
        moved: bool,
    },
    /// Shift-dragging a selection rectangle from `start` to `at` (canvas units).
    Selecting {
        /// One corner.
        start: (f64, f64),
        /// The other corner, under the pointer.
        at: (f64, f64),
    },
    /// Drawing a new edge from `from` towards the pointer at `at`.
    Connecting {
        /// The calling node.
        from: String,
        /// The pointer, in canvas units.
        at: (f64, f64),
    },
    /// Two fingers on the canvas: spreading them zooms, moving them together pans. `start` is
    /// where they were (client pixels) when the second one landed, `view` the view then.
    Pinching {
        /// The two fingers' first positions.
        start: [(f64, f64); 2],
        /// The view when the pinch began.
        view: ViewBox,
    },
}

impl Gesture {
    /// True while two fingers hold the canvas: other presses then start nothing.
    fn is_pinching(&self) -> bool {
        matches!(self, Gesture::Pinching { .. })
    }
}

/// The touch (and pen) pointers down on the canvas, with where each is now (client pixels).
/// The mouse is left out: it has one pointer and never pinches.
#[derive(Clone, Debug, Default)]
struct Touches(Vec<(i32, (f64, f64))>);

impl Touches {
    /// Records where pointer `id` is; returns the first two positions once two are down.
    fn place(&mut self, id: i32, at: (f64, f64)) -> Option<[(f64, f64); 2]> {
        match self.0.iter_mut().find(|(p, _)| *p == id) {
            Some(entry) => entry.1 = at,
            None => self.0.push((id, at)),
        }
        self.pair()
    }

    /// Forgets pointer `id` (lifted or cancelled).
    fn lift(&mut self, id: i32) {
        self.0.retain(|(p, _)| *p != id);
    }

    fn tracks(&self, id: i32) -> bool {
        self.0.iter().any(|(p, _)| *p == id)
    }

    fn pair(&self) -> Option<[(f64, f64); 2]> {
        match self.0.as_slice() {
            [a, b, ..] => Some([a.1, b.1]),
            _ => None,
        }
    }
}

/// A drag from the palette, shared by the palette (which starts it) and the canvas (which
/// takes the drop).
#[derive(Clone, Copy)]
pub struct PaletteDrag(pub RwSignal<Option<Kind>>);

/// True while the space bar is held: any drag then pans, as in most canvas tools.
#[derive(Clone, Copy)]
pub struct SpaceHeld(pub RwSignal<bool>);

/// How an edge is named in the selection (node ids never contain `:`).
pub fn edge_selection(from: &str, to: &str) -> String {
    format!("edge:{from}:{to}")
}

/// The edge a selection entry names, if it names one.
pub fn selected_edge(entry: &str) -> Option<(String, String)> {
    let mut parts = entry.strip_prefix("edge:")?.splitn(2, ':');
    Some((parts.next()?.to_string(), parts.next()?.to_string()))
}

/// The canvas showing the document through `view`.
#[component]
pub fn EditorCanvas(view: RwSignal<ViewBox>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let palette_drag = expect_context::<PaletteDrag>();
    let svg = NodeRef::<leptos::svg::Svg>::new();
    let gesture = RwSignal::new(Gesture::Idle);
    provide_context(GestureCtx(gesture));

    let to_canvas = move |x: i32, y: i32| -> Option<(f64, f64)> {
        let rect = svg.get_untracked()?.get_bounding_client_rect();
        let bounds = (rect.left(), rect.top(), rect.width(), rect.height());
        let inside = (x as f64) >= bounds.0
            && (x as f64) <= bounds.0 + bounds.2
            && (y as f64) >= bounds.1
            && (y as f64) <= bounds.1 + bounds.3;
        inside.then(|| screen_to_canvas(bounds, view.get_untracked(), (x as f64, y as f64)))
    };
    provide_context(CanvasPoint(Callback::new(move |(x, y)| to_canvas(x, y))));

    let capture = move |ev: &PointerEvent| {
        if let Some(el) = svg.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let client = |ev: &PointerEvent| (ev.client_x() as f64, ev.client_y() as f64);
    let touches = StoredValue::new(Touches::default());
    // Runs before any node's handler (capture phase), so a second finger landing on a node
    // still starts a pinch, and a drag the first finger began is abandoned for it.
    let on_touch_down = move |ev: PointerEvent| {
        if ev.pointer_type() == "mouse" {
            return;
        }
        // The first finger of a new touch: whatever is still tracked lost its release.
        if ev.is_primary() {
            touches.set_value(Touches::default());
        }
        let Some(start) = touches
            .try_update_value(|t| t.place(ev.pointer_id(), client(&ev)))
            .flatten()
        else {
            return;
        };
        if let Gesture::Moving { before, .. } = gesture.get_untracked() {
            editor.cancel_gesture(before);
        }
        gesture.set(Gesture::Pinching {
            start,
            view: view.get_untracked(),
        });
        capture(&ev);
    };
    let on_press = move |ev: PointerEvent| {
        ev.prevent_default();
        if gesture.with_untracked(Gesture::is_pinching) {
            return;
        }
        let Some(point) = to_canvas(ev.client_x(), ev.client_y()) else {
            return;
        };
        let next = if ev.shift_key() {
            Gesture::Selecting {
                start: point,
                at: point,
            }
        } else {
            Gesture::Panning {
                from: client(&ev),
                view: view.get_untracked(),
                moved: false,
            }
        };
        gesture.set(next);
        capture(&ev);
    };
    let on_move = move |ev: PointerEvent| {
        if touches.with_value(|t| t.tracks(ev.pointer_id())) {
            let now = touches
                .try_update_value(|t| t.place(ev.pointer_id(), client(&ev)))
                .flatten();
            if let (Gesture::Pinching { start, view: from }, Some(now), Some(el)) =
                (gesture.get_untracked(), now, svg.get_untracked())
            {
                let r = el.get_bounding_client_rect();
                let rect = (r.left(), r.top(), r.width(), r.height());
                view.set(pinch(rect, from, start, now));
                return;
            }
        }
        // Panning follows the pointer even when it leaves the canvas.
        if let Gesture::Panning {
            from,
            view: start,
            moved,
        } = gesture.get_untracked()
        {
            let Some(el) = svg.get_untracked() else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let (dx, dy) = (client(&ev).0 - from.0, client(&ev).1 - from.1);
            let k = scale(rect.width(), rect.height(), start);
            view.set(ViewBox {
                x: start.x - dx / k,
                y: start.y - dy / k,
                ..start
            });
            if !moved && dx.abs() + dy.abs() > 3.0 {
                gesture.set(Gesture::Panning {
                    from,
                    view: start,
                    moved: true,
                });
            }
            return;
        }
        let Some(point) = to_canvas(ev.client_x(), ev.client_y()) else {
            return;
        };
        match gesture.get_untracked() {
            Gesture::Selecting { start, .. } => {
                gesture.set(Gesture::Selecting { start, at: point })
            }
            Gesture::Moving { ids, start, before } => {
                let (dx, dy) = drag_offset(&before, &ids, start, point, ev.alt_key());
                editor.preview(|doc| {
                    *doc = before.clone();
                    ops::move_nodes(doc, &ids, dx, dy);
                });
            }
            Gesture::Connecting { from, .. } => {
                gesture.set(Gesture::Connecting { from, at: point })
            }
            Gesture::Panning { .. } | Gesture::Pinching { .. } | Gesture::Idle => {}
        }
    };
    let on_up = move |ev: PointerEvent| {
        touches.update_value(|t| t.lift(ev.pointer_id()));
        let point = to_canvas(ev.client_x(), ev.client_y());
        match gesture.get_untracked() {
            Gesture::Moving { before, .. } => editor.finish_gesture(before),
            Gesture::Connecting { from, .. } => {
                let target = point.and_then(|p| {
                    editor
                        .doc
                        .with_untracked(|s| node_at(&s.nodes, p).map(|n| n.id.clone()))
                });
                if let Some(to) = target.filter(|to| *to != from) {
                    editor.apply(|doc| ops::connect(doc, &from, &to));
                }
            }
            Gesture::Panning { moved: false, .. } => editor.selection.set(Vec::new()),
            Gesture::Selecting { start, at } => {
                let inside = editor.doc.with_untracked(|s| nodes_in(&s.nodes, start, at));
                editor.selection.update(|sel| {
                    sel.retain(|id| selected_edge(id).is_none());
                    for id in inside {
                        if !sel.contains(&id) {
                            sel.push(id);
                        }
                    }
                });
            }
            Gesture::Panning { .. } | Gesture::Pinching { .. } | Gesture::Idle => {}
        }
        gesture.set(Gesture::Idle);
    };
    // The wheel zooms around the pointer (a trackpad pinch arrives as a wheel with Ctrl).
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        if let Some(point) = to_canvas(ev.client_x(), ev.client_y()) {
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
        if let Some((x, y)) = to_canvas(ev.client_x(), ev.client_y()) {
            let (x, y) = (snap(x - NODE_W / 2.0), snap(y - NODE_H / 2.0));
            if let Some(id) = editor.apply(|doc| ops::add_node(doc, kind, x, y)) {
                editor.selection.set(vec![id]);
            }
        }
    });
    // Escape, or the browser taking the pointer away, abandons the gesture.
    let cancel = move || {
        if let Gesture::Moving { before, .. } = gesture.get_untracked() {
            editor.cancel_gesture(before);
        }
        gesture.set(Gesture::Idle);
    };
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            cancel();
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
            node_ref=svg
            class="diagram"
            viewBox=move || view.get().attr()
            preserveAspectRatio="xMidYMid meet"
            role="application"
            aria-label="Diagram: drag components to move them, drag from a right-hand port to a component to connect"
            on:pointerdown=on_press
            on:pointermove=on_move
            on:wheel=on_wheel
            on:pointerup=on_up
            on:pointerdown:capture=on_touch_down
            on:pointercancel=move |ev: PointerEvent| {
                touches.update_value(|t| t.lift(ev.pointer_id()));
                cancel();
            }
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
                    <NodeView id svg />
                </For>
            </g>
            <PendingEdge gesture />
            <RubberBand gesture />
        </svg>
    }
}

/// The gesture signal, for node views to start drags and connections.
#[derive(Clone, Copy)]
struct GestureCtx(RwSignal<Gesture>);

/// Converts client pixels to a canvas point (None outside the canvas).
#[derive(Clone, Copy)]
struct CanvasPoint(Callback<(i32, i32), Option<(f64, f64)>>);

/// How far the dragged nodes move for a pointer at `point`: the first node lands on the grid,
/// or with `free` on a whole canvas unit (a share link stores whole positions, so a fractional
/// one would not come back exactly); the others keep their offsets from it.
fn drag_offset(
    before: &Scenario,
    ids: &[String],
    start: (f64, f64),
    point: (f64, f64),
    free: bool,
) -> (f64, f64) {
    let (dx, dy) = (point.0 - start.0, point.1 - start.1);
    let place = if free { f64::round } else { snap };
    match ids.first().and_then(|id| before.node(id)) {
        Some(n) => (place(n.x + dx) - n.x, place(n.y + dy) - n.y),
        None => (place(dx), place(dy)),
    }
}

/// The kind's icon on a node: its size and left edge.
const NODE_ICON: f64 = 20.0;
const NODE_ICON_X: f64 = 9.0;
/// The texts are centred in the room right of the icon.
const NODE_TEXT_X: f64 = (NODE_ICON_X + NODE_ICON + NODE_W) / 2.0;

/// One node: its box, icon, label, kind and ports.
#[component]
fn NodeView(id: String, svg: NodeRef<leptos::svg::Svg>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let GestureCtx(gesture) = expect_context::<GestureCtx>();
    let CanvasPoint(to_canvas) = expect_context::<CanvasPoint>();
    let SpaceHeld(space) = expect_context::<SpaceHeld>();
    let node = {
        let id = id.clone();
        Memo::new(move |_| editor.doc.with(|s| s.node(&id).cloned()))
    };
    let selected = {
        let id = id.clone();
        Memo::new(move |_| editor.selection.with(|sel| sel.contains(&id)))
    };
    let capture = move |ev: &PointerEvent| {
        if let Some(el) = svg.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let press = {
        let id = id.clone();
        move |ev: PointerEvent| {
            if space.get_untracked() || gesture.with_untracked(Gesture::is_pinching) {
                return; // the canvas pans or zooms
            }
            // No text selection or native drag may start: either would swallow the pointerup.
            ev.prevent_default();
            ev.stop_propagation();
            if ev.button() != 0 {
                return;
            }
            let id = id.clone();
            editor.selection.update(|sel| {
                if ev.shift_key() {
                    match sel.iter().position(|s| *s == id) {
                        Some(i) => {
                            sel.remove(i);
                        }
                        None => sel.push(id),
                    }
                } else if !sel.contains(&id) {
                    *sel = vec![id];
                }
            });
            let Some(start) = to_canvas.run((ev.client_x(), ev.client_y())) else {
                return;
            };
            let ids = editor.selection.get_untracked();
            if !ids.is_empty() {
                gesture.set(Gesture::Moving {
                    ids,
                    start,
                    before: editor.doc.get_untracked(),
                });
                capture(&ev);
            }
        }
    };
    let press_port = {
        let id = id.clone();
        move |ev: PointerEvent| {
            if space.get_untracked() || gesture.with_untracked(Gesture::is_pinching) {
                return;
            }
            ev.prevent_default();
            ev.stop_propagation();
            if let Some(at) = to_canvas.run((ev.client_x(), ev.client_y())) {
                gesture.set(Gesture::Connecting {
                    from: id.clone(),
                    at,
                });
                capture(&ev);
            }
        }
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

/// One edge: an arrow from the caller to the callee, with its one-way latency.
#[component]
fn EdgeView(from: String, to: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let SpaceHeld(space) = expect_context::<SpaceHeld>();
    let testid = format!("edge-{from}-{to}");
    let entry = edge_selection(&from, &to);
    let selected = {
        let entry = entry.clone();
        Memo::new(move |_| editor.selection.with(|sel| sel.contains(&entry)))
    };
    let press = move |ev: PointerEvent| {
        if space.get_untracked() {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        editor.selection.set(vec![entry.clone()]);
    };
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

/// The selection rectangle while shift-dragging.
#[component]
fn RubberBand(gesture: RwSignal<Gesture>) -> impl IntoView {
    move || {
        let Gesture::Selecting { start, at } = gesture.get() else {
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
fn PendingEdge(gesture: RwSignal<Gesture>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    move || {
        let Gesture::Connecting { from, at } = gesture.get() else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_drag_lands_on_the_grid_or_with_alt_on_whole_units() {
        let doc = crate::document::default_scenario();
        let ids = vec!["user".to_string()];
        let user = doc.node("user").unwrap();
        let start = (user.x + 5.0, user.y + 5.0);
        let point = (start.0 + 33.4, start.1 - 12.6);
        let (dx, dy) = drag_offset(&doc, &ids, start, point, false);
        assert_eq!(
            (
                (user.x + dx) % geometry::GRID,
                (user.y + dy) % geometry::GRID
            ),
            (0.0, 0.0)
        );
        let (dx, dy) = drag_offset(&doc, &ids, start, point, true);
        assert_eq!((user.x + dx, user.y + dy), (user.x + 33.0, user.y - 13.0));
    }
}
