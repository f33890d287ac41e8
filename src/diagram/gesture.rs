//! Pointer gestures on the canvas as a pure state machine: no DOM, no signals.
//!
//! [`Gestures`] holds the [`Gesture`] under way and the touch pointers that are down. Each
//! pointer event becomes one call (`press`, `pointer_move`, `release`, `pointer_cancel`,
//! `escape`) over plain inputs: client points, what the press landed on ([`Hit`]), the modifier
//! keys, the pointer's id and kind, and a read-only [`Scene`] (the document, the selection, the
//! canvas's place on screen). A call updates the state and returns the [`Effect`]s for the
//! canvas to apply: preview the document, record or roll back one undo step, connect, select,
//! move the view, capture the pointer. `diagram::canvas` turns DOM events into these calls and
//! applies what comes back, so everything a gesture decides is tested here with plain values.
//!
//! ```text
//!              press node ──> Moving ──── release ──> Idle (commit one step)
//!             press port ──> Connecting ─ release on another node ──> Idle (connect)
//!   Idle ── press background ──> Panning ─ release, not moved ──> Idle (clear selection)
//!     shift+press background ──> Selecting ─ release ──> Idle (select what the box meets)
//!          a second finger, from any state ──> Pinching (a drag is rolled back)
//!          Escape or a cancelled pointer, from any state ──> Idle (a drag is rolled back)
//! ```

use super::geometry::{node_at, nodes_in, pinch, scale, screen_to_canvas, snap, ViewBox};
use super::{edge_selection, selected_edge};
use crate::state::ops;
use pattern_engine::Scenario;

/// How far (client pixels, |dx| + |dy|) a press on the background must travel to be a pan
/// rather than a click that clears the selection.
const CLICK_SLOP_PX: f64 = 3.0;

/// What the pointer is doing on the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Gesture {
    /// Nothing under way.
    #[default]
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

/// What a gesture draws over the diagram while it lasts.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// The selection rectangle, corners in canvas units.
    SelectionBox {
        /// One corner.
        start: (f64, f64),
        /// The corner under the pointer.
        at: (f64, f64),
    },
    /// The edge being drawn from `from`'s output port to the pointer at `at`.
    PendingEdge {
        /// The calling node.
        from: String,
        /// The pointer, in canvas units.
        at: (f64, f64),
    },
}

/// What a press landed on.
#[derive(Clone, Debug, PartialEq)]
pub enum Hit {
    /// The canvas itself, between the nodes and edges.
    Background,
    /// A node's box (its input port included).
    Node(String),
    /// A node's output port, where connections are drawn from.
    Port(String),
    /// The edge from one node to another.
    Edge {
        /// The caller.
        from: String,
        /// The callee.
        to: String,
    },
}

/// The pointer an event comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pointer {
    /// The browser's pointer id.
    pub id: i32,
    /// A finger or a pen rather than the mouse: only these are tracked, since the mouse is one
    /// pointer and never pinches.
    pub touch: bool,
    /// The first pointer of a new touch.
    pub primary: bool,
}

/// The modifier keys during an event.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Keys {
    /// Shift: a press on the background draws a selection box; on a node, toggles it.
    pub shift: bool,
    /// Alt: a drag places nodes freely (whole units) instead of on the grid.
    pub alt: bool,
    /// The space bar is held: any press pans, as in most canvas tools.
    pub space: bool,
}

/// Where the canvas is on screen and what it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Screen {
    /// The SVG's box in client pixels: left, top, width, height.
    pub rect: (f64, f64, f64, f64),
    /// The part of the canvas in view.
    pub view: ViewBox,
}

impl Screen {
    /// The canvas point under the client point `at`, or None outside the canvas.
    pub fn canvas_point(&self, at: (f64, f64)) -> Option<(f64, f64)> {
        let (left, top, width, height) = self.rect;
        let inside = at.0 >= left && at.0 <= left + width && at.1 >= top && at.1 <= top + height;
        inside.then(|| screen_to_canvas(self.rect, self.view, at))
    }
}

/// What a gesture may read of the editor at the moment of an event.
#[derive(Clone, Copy, Debug)]
pub struct Scene<'a> {
    /// The document as it is now (during a drag, with the drag's preview).
    pub doc: &'a Scenario,
    /// The selection: node ids and `edge:<from>:<to>` entries.
    pub selection: &'a [String],
    /// The canvas on screen.
    pub screen: Screen,
}

/// A pointer pressed.
#[derive(Clone, Debug, PartialEq)]
pub struct Press {
    /// Which pointer.
    pub pointer: Pointer,
    /// Where, in client pixels.
    pub at: (f64, f64),
    /// What it landed on.
    pub hit: Hit,
    /// The modifier keys.
    pub keys: Keys,
    /// The main button (left mouse button, a finger, a pen's tip) rather than another one.
    pub main_button: bool,
}

/// What the canvas must do after an event, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Show `0` as the document without recording an undo step: the live part of a drag.
    Preview(Scenario),
    /// The gesture that began on the document `0` is over: record it as one undo step, if it
    /// changed anything.
    Commit(Scenario),
    /// Put the document `0` back, as if the gesture had never happened.
    Restore(Scenario),
    /// Connect `from` to `to` as one undo step (or show why they may not be connected).
    Connect {
        /// The caller.
        from: String,
        /// The callee.
        to: String,
    },
    /// Make this the selection.
    Select(Vec<String>),
    /// Show this part of the canvas.
    View(ViewBox),
    /// Send the pointer's later events to the canvas, even once it has left it, so that a drag
    /// sees its own release.
    Capture(i32),
    /// The press belongs to a node, a port or an edge: what lies under the diagram (the
    /// particle picker) must not see it.
    Consume,
}

/// The touch (and pen) pointers down on the canvas, with where each is now (client pixels).
#[derive(Clone, Debug, Default, PartialEq)]
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

/// The canvas's pointer state: the gesture under way and the touch pointers that are down.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gestures {
    gesture: Gesture,
    touches: Touches,
}

impl Gestures {
    /// The gesture under way.
    pub fn gesture(&self) -> &Gesture {
        &self.gesture
    }

    /// What the gesture under way draws over the diagram, if anything.
    pub fn overlay(&self) -> Option<Overlay> {
        match &self.gesture {
            Gesture::Selecting { start, at } => Some(Overlay::SelectionBox {
                start: *start,
                at: *at,
            }),
            Gesture::Connecting { from, at } => Some(Overlay::PendingEdge {
                from: from.clone(),
                at: *at,
            }),
            _ => None,
        }
    }

    /// A pointer went down. A second finger turns whatever the first began into a pinch, even
    /// on a node; otherwise the press goes to what it landed on. The space bar sends every
    /// press to the background, so any drag pans.
    pub fn press(&mut self, press: &Press, scene: &Scene) -> Vec<Effect> {
        let mut out = Vec::new();
        if press.pointer.touch {
            self.track_finger(press.pointer, press.at, scene.screen.view, &mut out);
        }
        let pinching = matches!(self.gesture, Gesture::Pinching { .. });
        match &press.hit {
            Hit::Edge { from, to } if !press.keys.space => {
                out.push(Effect::Consume);
                out.push(Effect::Select(vec![edge_selection(from, to)]));
            }
            Hit::Node(id) if !press.keys.space && !pinching => {
                self.press_node(id, press, scene, &mut out)
            }
            Hit::Port(id) if !press.keys.space && !pinching => {
                self.press_port(id, press, scene, &mut out)
            }
            _ if pinching => {}
            _ => self.press_background(press, scene, &mut out),
        }
        out
    }

    /// A touch pointer went down at `at`: with two down, a pinch starts from the `view` and
    /// rolls back a drag the first finger began.
    fn track_finger(
        &mut self,
        pointer: Pointer,
        at: (f64, f64),
        view: ViewBox,
        out: &mut Vec<Effect>,
    ) {
        // The first finger of a new touch: whatever is still tracked lost its release.
        if pointer.primary {
            self.touches = Touches::default();
        }
        let Some(start) = self.touches.place(pointer.id, at) else {
            return;
        };
        self.abandon(out);
        self.gesture = Gesture::Pinching { start, view };
        out.push(Effect::Capture(pointer.id));
    }

    /// A press on a node selects it (Shift toggles it) and starts dragging the selection.
    fn press_node(&mut self, id: &str, press: &Press, scene: &Scene, out: &mut Vec<Effect>) {
        out.push(Effect::Consume);
        if !press.main_button {
            return;
        }
        let selection = pressed_selection(scene.selection, id, press.keys.shift);
        out.push(Effect::Select(selection.clone()));
        let Some(start) = scene.screen.canvas_point(press.at) else {
            return;
        };
        if !selection.is_empty() {
            self.gesture = Gesture::Moving {
                ids: selection,
                start,
                before: scene.doc.clone(),
            };
            out.push(Effect::Capture(press.pointer.id));
        }
    }

    /// A press on an output port starts drawing an edge from its node.
    fn press_port(&mut self, id: &str, press: &Press, scene: &Scene, out: &mut Vec<Effect>) {
        out.push(Effect::Consume);
        if let Some(at) = scene.screen.canvas_point(press.at) {
            self.gesture = Gesture::Connecting {
                from: id.to_string(),
                at,
            };
            out.push(Effect::Capture(press.pointer.id));
        }
    }

    /// A press on the background pans, or with Shift draws a selection box.
    fn press_background(&mut self, press: &Press, scene: &Scene, out: &mut Vec<Effect>) {
        let Some(point) = scene.screen.canvas_point(press.at) else {
            return;
        };
        self.gesture = if press.keys.shift {
            Gesture::Selecting {
                start: point,
                at: point,
            }
        } else {
            Gesture::Panning {
                from: press.at,
                view: scene.screen.view,
                moved: false,
            }
        };
        out.push(Effect::Capture(press.pointer.id));
    }

    /// A pointer moved to `at` (client pixels).
    pub fn pointer_move(
        &mut self,
        pointer: Pointer,
        at: (f64, f64),
        keys: Keys,
        scene: &Scene,
    ) -> Vec<Effect> {
        if self.touches.tracks(pointer.id) {
            let fingers = self.touches.place(pointer.id, at);
            if let (Gesture::Pinching { start, view }, Some(now)) = (&self.gesture, fingers) {
                return vec![Effect::View(pinch(scene.screen.rect, *view, *start, now))];
            }
        }
        // Panning follows the pointer even when it leaves the canvas.
        if let Gesture::Panning { from, view, moved } = &mut self.gesture {
            let offset = (at.0 - from.0, at.1 - from.1);
            *moved |= offset.0.abs() + offset.1.abs() > CLICK_SLOP_PX;
            return vec![Effect::View(panned(*view, offset, scene.screen))];
        }
        let Some(point) = scene.screen.canvas_point(at) else {
            return Vec::new();
        };
        match &mut self.gesture {
            Gesture::Selecting { at, .. } | Gesture::Connecting { at, .. } => *at = point,
            Gesture::Moving { ids, start, before } => {
                let (dx, dy) = drag_offset(before, ids, *start, point, keys.alt);
                let mut moved = before.clone();
                ops::move_nodes(&mut moved, ids, dx, dy);
                return vec![Effect::Preview(moved)];
            }
            Gesture::Panning { .. } | Gesture::Pinching { .. } | Gesture::Idle => {}
        }
        Vec::new()
    }

    /// A pointer was released at `at`: whatever gesture is under way ends, whichever pointer
    /// it was (lifting one finger of a pinch ends the pinch).
    pub fn release(&mut self, pointer: Pointer, at: (f64, f64), scene: &Scene) -> Vec<Effect> {
        self.touches.lift(pointer.id);
        let point = scene.screen.canvas_point(at);
        match std::mem::take(&mut self.gesture) {
            Gesture::Moving { before, .. } => vec![Effect::Commit(before)],
            Gesture::Connecting { from, .. } => point
                .and_then(|p| node_at(&scene.doc.nodes, p))
                .filter(|to| to.id != from)
                .map(|to| Effect::Connect {
                    from,
                    to: to.id.clone(),
                })
                .into_iter()
                .collect(),
            Gesture::Panning { moved: false, .. } => vec![Effect::Select(Vec::new())],
            Gesture::Selecting { start, at } => {
                vec![Effect::Select(boxed_selection(scene, start, at))]
            }
            Gesture::Panning { .. } | Gesture::Pinching { .. } | Gesture::Idle => Vec::new(),
        }
    }

    /// The browser took the pointer away (a system gesture, a lost touch): as Escape.
    pub fn pointer_cancel(&mut self, pointer: Pointer) -> Vec<Effect> {
        self.touches.lift(pointer.id);
        self.escape()
    }

    /// Escape abandons the gesture under way; a drag goes back to where it began.
    pub fn escape(&mut self) -> Vec<Effect> {
        let mut out = Vec::new();
        self.abandon(&mut out);
        out
    }

    /// Ends the gesture under way, putting back the document a drag began on. The gesture is
    /// then idle until the caller starts the next one.
    fn abandon(&mut self, out: &mut Vec<Effect>) {
        if let Gesture::Moving { before, .. } = std::mem::take(&mut self.gesture) {
            out.push(Effect::Restore(before));
        }
    }
}

/// `view` moved with a pointer that has travelled `offset` client pixels over `screen`, so the
/// canvas point it pressed stays under it.
fn panned(view: ViewBox, offset: (f64, f64), screen: Screen) -> ViewBox {
    let k = scale(screen.rect.2, screen.rect.3, view);
    ViewBox {
        x: view.x - offset.0 / k,
        y: view.y - offset.1 / k,
        ..view
    }
}

/// The selection after a press on node `id`: with `shift` the node is toggled; otherwise it
/// becomes the only selected node, unless it was already selected (so a drag takes the whole
/// selection along).
fn pressed_selection(selection: &[String], id: &str, shift: bool) -> Vec<String> {
    let mut next = selection.to_vec();
    if shift {
        match next.iter().position(|s| s == id) {
            Some(i) => {
                next.remove(i);
            }
            None => next.push(id.to_string()),
        }
    } else if !next.iter().any(|s| s == id) {
        next = vec![id.to_string()];
    }
    next
}

/// The selection after a selection box from `start` to `at`: the nodes already selected plus
/// every node the box meets; selected edges are dropped.
fn boxed_selection(scene: &Scene, start: (f64, f64), at: (f64, f64)) -> Vec<String> {
    let mut next: Vec<String> = scene
        .selection
        .iter()
        .filter(|entry| selected_edge(entry).is_none())
        .cloned()
        .collect();
    for id in nodes_in(&scene.doc.nodes, start, at) {
        if !next.contains(&id) {
            next.push(id);
        }
    }
    next
}

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

#[cfg(test)]
mod tests {
    //! The machine driven as a person would drive the canvas, with its effects applied to plain
    //! values the way `diagram::canvas` applies them to the editor. They run natively
    //! (`cargo test -p pattern-playground --lib`) and in the browser with the other tests.

    use super::*;
    use crate::diagram::geometry::GRID;
    use crate::document::default_scenario;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The canvas fills 1400 x 700 client pixels at the page's corner and shows canvas units
    /// one to one, so a client point is the canvas point of the same numbers.
    const RECT: (f64, f64, f64, f64) = (0.0, 0.0, 1400.0, 700.0);
    const FITTED: ViewBox = ViewBox {
        x: 0.0,
        y: 0.0,
        w: 1400.0,
        h: 700.0,
    };

    const MOUSE: Pointer = Pointer {
        id: 1,
        touch: false,
        primary: true,
    };

    /// A finger; `primary` if it is the first of a new touch.
    fn finger(id: i32, primary: bool) -> Pointer {
        Pointer {
            id,
            touch: true,
            primary,
        }
    }

    fn node(id: &str) -> Hit {
        Hit::Node(id.to_string())
    }

    const SHIFT: Keys = Keys {
        shift: true,
        alt: false,
        space: false,
    };

    /// The machine's name for its state, as tldraw's tests name the state they expect.
    fn state(g: &Gesture) -> &'static str {
        match g {
            Gesture::Idle => "idle",
            Gesture::Moving { .. } => "moving",
            Gesture::Panning { .. } => "panning",
            Gesture::Selecting { .. } => "selecting",
            Gesture::Connecting { .. } => "connecting",
            Gesture::Pinching { .. } => "pinching",
        }
    }

    /// A canvas without a DOM: the machine, and an editor made of plain values that takes
    /// its effects as `Editor` does (a commit records a step only if the document changed; a
    /// connection goes through `ops::connect`, a refusal becomes the notice).
    struct FakeCanvas {
        gestures: Gestures,
        doc: Scenario,
        selection: Vec<String>,
        view: ViewBox,
        /// The documents undo would go back to, oldest first.
        undo: Vec<Scenario>,
        notice: Option<String>,
        captured: Vec<i32>,
        /// True if the last press was consumed by a node, a port or an edge.
        consumed: bool,
    }

    impl FakeCanvas {
        fn new() -> Self {
            FakeCanvas {
                gestures: Gestures::default(),
                doc: default_scenario(),
                selection: Vec::new(),
                view: FITTED,
                undo: Vec::new(),
                notice: None,
                captured: Vec::new(),
                consumed: false,
            }
        }

        fn selected(mut self, ids: &[&str]) -> Self {
            self.selection = ids.iter().map(|s| s.to_string()).collect();
            self
        }

        fn state(&self) -> &'static str {
            state(self.gestures.gesture())
        }

        fn at(&self, id: &str) -> (f64, f64) {
            let n = self.doc.node(id).expect("the node exists");
            (n.x, n.y)
        }

        /// Runs one event against the scene as it is now, then applies its effects.
        fn event(&mut self, f: impl FnOnce(&mut Gestures, &Scene) -> Vec<Effect>) {
            let scene = Scene {
                doc: &self.doc,
                selection: &self.selection,
                screen: Screen {
                    rect: RECT,
                    view: self.view,
                },
            };
            let effects = f(&mut self.gestures, &scene);
            effects.into_iter().for_each(|e| self.apply(e));
        }

        fn press_with(&mut self, pointer: Pointer, at: (f64, f64), hit: Hit, keys: Keys) {
            self.consumed = false;
            let press = Press {
                pointer,
                at,
                hit,
                keys,
                main_button: true,
            };
            self.event(|g, scene| g.press(&press, scene));
        }

        fn press(&mut self, pointer: Pointer, at: (f64, f64), hit: Hit) {
            self.press_with(pointer, at, hit, Keys::default());
        }

        fn move_to(&mut self, pointer: Pointer, at: (f64, f64)) {
            self.event(|g, scene| g.pointer_move(pointer, at, Keys::default(), scene));
        }

        fn release(&mut self, pointer: Pointer, at: (f64, f64)) {
            self.event(|g, scene| g.release(pointer, at, scene));
        }

        fn apply(&mut self, effect: Effect) {
            match effect {
                Effect::Preview(doc) | Effect::Restore(doc) => self.doc = doc,
                Effect::Commit(before) => {
                    if before != self.doc {
                        self.undo.push(before);
                    }
                }
                Effect::Connect { from, to } => {
                    let mut next = self.doc.clone();
                    match ops::connect(&mut next, &from, &to) {
                        Ok(()) => self.undo.push(std::mem::replace(&mut self.doc, next)),
                        Err(reason) => self.notice = Some(reason),
                    }
                }
                Effect::Select(selection) => self.selection = selection,
                Effect::View(view) => self.view = view,
                Effect::Capture(id) => self.captured.push(id),
                Effect::Consume => self.consumed = true,
            }
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_press_on_a_node_selects_and_drags_it_onto_the_grid_as_one_undo_step() {
        let mut c = FakeCanvas::new().selected(&["user"]);
        let original = c.doc.clone();
        assert_eq!(c.at("service_b"), (680.0, 440.0));

        c.press(MOUSE, (700.0, 460.0), node("service_b"));
        assert_eq!(c.state(), "moving");
        assert_eq!(c.selection, ["service_b"], "a press selects only the node");
        assert!(
            c.consumed,
            "the particle picker under the canvas never sees it"
        );
        assert_eq!(c.captured, [MOUSE.id]);

        // Under half a grid step the node stays on its grid point: the grid is the threshold.
        c.move_to(MOUSE, (709.0, 451.0));
        assert_eq!(c.doc, original);

        // 587, 501 snap to 580, 500; nothing else moves.
        c.move_to(MOUSE, (607.0, 521.0));
        assert_eq!(c.at("service_b"), (580.0, 500.0));
        assert_eq!(
            c.at("service_a"),
            original.node("service_a").map(|n| (n.x, n.y)).unwrap()
        );
        assert!(c.undo.is_empty(), "a drag under way records nothing yet");

        c.release(MOUSE, (607.0, 521.0));
        assert_eq!(c.state(), "idle");
        assert_eq!(
            c.undo,
            [original],
            "one gesture, one step, back to before the drag"
        );
        assert_eq!(c.at("service_b"), (580.0, 500.0));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_drag_that_ends_where_it_began_records_no_step() {
        let mut c = FakeCanvas::new();
        c.press(MOUSE, (700.0, 460.0), node("service_b"));
        c.move_to(MOUSE, (760.0, 460.0));
        c.move_to(MOUSE, (702.0, 461.0));
        c.release(MOUSE, (702.0, 461.0));
        assert_eq!(c.state(), "idle");
        assert!(c.undo.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_drag_takes_the_whole_selection_along_and_shift_toggles_a_node() {
        let mut c = FakeCanvas::new().selected(&["service_a", "service_b"]);
        c.press(MOUSE, (700.0, 180.0), node("service_a"));
        assert_eq!(
            c.selection,
            ["service_a", "service_b"],
            "pressing a selected node keeps the rest"
        );
        c.move_to(MOUSE, (740.0, 200.0));
        assert_eq!(
            (c.at("service_a"), c.at("service_b")),
            ((720.0, 180.0), (720.0, 460.0))
        );
        c.release(MOUSE, (740.0, 200.0));
        assert_eq!(c.undo.len(), 1);

        c.press_with(MOUSE, (730.0, 200.0), node("service_a"), SHIFT);
        assert_eq!(c.selection, ["service_b"]);
        c.release(MOUSE, (730.0, 200.0));
        c.press_with(MOUSE, (730.0, 480.0), node("service_b"), SHIFT);
        assert!(c.selection.is_empty());
        assert_eq!(
            c.state(),
            "idle",
            "with nothing selected there is nothing to drag"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn alt_places_dragged_nodes_on_whole_units_instead_of_the_grid() {
        let doc = default_scenario();
        let ids = vec!["user".to_string()];
        let user = doc.node("user").unwrap();
        let start = (user.x + 5.0, user.y + 5.0);
        let point = (start.0 + 33.4, start.1 - 12.6);
        let (dx, dy) = drag_offset(&doc, &ids, start, point, false);
        assert_eq!(((user.x + dx) % GRID, (user.y + dy) % GRID), (0.0, 0.0));
        let (dx, dy) = drag_offset(&doc, &ids, start, point, true);
        assert_eq!((user.x + dx, user.y + dy), (user.x + 33.0, user.y - 13.0));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn escape_mid_drag_puts_the_nodes_back_and_the_release_records_nothing() {
        let mut c = FakeCanvas::new();
        let original = c.doc.clone();
        c.press(MOUSE, (700.0, 460.0), node("service_b"));
        c.move_to(MOUSE, (800.0, 300.0));
        assert_ne!(c.doc, original);
        c.event(|g, _| g.escape());
        assert_eq!(c.state(), "idle");
        assert_eq!(c.doc, original);
        c.release(MOUSE, (800.0, 300.0));
        assert!(c.undo.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_press_on_the_background_pans_and_a_click_there_clears_the_selection() {
        let mut c = FakeCanvas::new().selected(&["user"]);
        c.press(MOUSE, (600.0, 600.0), Hit::Background);
        assert_eq!(c.state(), "panning");
        assert!(
            !c.consumed,
            "a background press still reaches the particle picker"
        );
        c.move_to(MOUSE, (650.0, 630.0));
        // The canvas point under the press stays under the pointer.
        assert_eq!((c.view.x, c.view.y, c.view.w), (-50.0, -30.0, 1400.0));
        c.release(MOUSE, (650.0, 630.0));
        assert_eq!(c.selection, ["user"], "a pan keeps the selection");
        assert!(c.undo.is_empty() && c.doc == default_scenario());

        // A press that moves no more than 3 pixels is a click.
        c.press(MOUSE, (600.0, 600.0), Hit::Background);
        c.move_to(MOUSE, (602.0, 601.0));
        c.release(MOUSE, (602.0, 601.0));
        assert!(c.selection.is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn shift_on_the_background_draws_a_box_that_adds_the_nodes_it_meets() {
        let mut c = FakeCanvas::new().selected(&["user", "edge:user:lb"]);
        c.press_with(MOUSE, (660.0, 100.0), Hit::Background, SHIFT);
        assert_eq!(c.state(), "selecting");
        c.move_to(MOUSE, (700.0, 480.0));
        assert_eq!(
            c.gestures.overlay(),
            Some(Overlay::SelectionBox {
                start: (660.0, 100.0),
                at: (700.0, 480.0)
            })
        );
        c.release(MOUSE, (700.0, 480.0));
        assert_eq!(
            c.selection,
            ["user", "service_a", "service_b"],
            "edges leave the selection"
        );
        assert_eq!(c.gestures.overlay(), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn with_the_space_bar_held_a_press_on_a_node_or_an_edge_pans() {
        let mut c = FakeCanvas::new().selected(&["lb"]);
        let space = Keys {
            space: true,
            ..Keys::default()
        };
        c.press_with(MOUSE, (20.0, 320.0), node("user"), space);
        assert_eq!(c.state(), "panning");
        assert!(!c.consumed);
        c.move_to(MOUSE, (120.0, 320.0));
        assert_eq!(c.view.x, -100.0);
        c.release(MOUSE, (120.0, 320.0));
        let edge = Hit::Edge {
            from: "lb".into(),
            to: "gateway".into(),
        };
        c.press_with(MOUSE, (400.0, 328.0), edge, space);
        assert_eq!(c.state(), "panning");
        assert_eq!(c.selection, ["lb"], "the edge is not selected");
        assert_eq!(c.doc, default_scenario());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_press_on_an_edge_selects_only_that_edge_and_starts_nothing() {
        let mut c = FakeCanvas::new().selected(&["user", "lb"]);
        c.press(
            MOUSE,
            (400.0, 328.0),
            Hit::Edge {
                from: "lb".into(),
                to: "gateway".into(),
            },
        );
        assert_eq!(c.selection, ["edge:lb:gateway"]);
        assert!(c.consumed && c.captured.is_empty());
        assert_eq!(c.state(), "idle");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_press_with_another_button_on_a_node_does_nothing_but_is_kept_from_the_picker() {
        let mut c = FakeCanvas::new().selected(&["user"]);
        let right = Press {
            pointer: MOUSE,
            at: (700.0, 460.0),
            hit: node("service_b"),
            keys: Keys::default(),
            main_button: false,
        };
        c.event(|g, scene| g.press(&right, scene));
        assert_eq!(c.state(), "idle");
        assert_eq!(c.selection, ["user"]);
        assert!(c.consumed);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_second_finger_turns_a_drag_into_a_pinch_and_rolls_the_drag_back() {
        let mut c = FakeCanvas::new();
        let original = c.doc.clone();
        let (first, second) = (finger(11, true), finger(12, false));
        c.press(first, (700.0, 460.0), node("service_b"));
        c.move_to(first, (600.0, 520.0));
        assert_eq!(c.at("service_b"), (580.0, 500.0));

        // Even landing on another node, the second finger pinches.
        c.press(second, (930.0, 520.0), node("cache_b"));
        assert_eq!(c.state(), "pinching");
        assert_eq!(c.doc, original, "the drag is rolled back");
        assert_eq!(
            c.selection,
            ["service_b"],
            "the second finger selects nothing"
        );
        assert_eq!(c.captured, [11, 12]);

        // Spreading the fingers from 330 to 660 pixels apart halves the view, and the canvas
        // point that was between them (765, 520) is still between them.
        c.move_to(second, (1260.0, 520.0));
        assert_eq!(c.view.w, 700.0);
        let between = screen_to_canvas(RECT, c.view, (930.0, 520.0));
        assert!((between.0 - 765.0).abs() < 1e-9 && (between.1 - 520.0).abs() < 1e-9);

        // Lifting either finger ends the pinch; the other one then moves nothing.
        c.release(second, (1260.0, 520.0));
        assert_eq!(c.state(), "idle");
        let view = c.view;
        c.move_to(first, (300.0, 300.0));
        assert_eq!((c.view, &c.doc), (view, &original));
        c.release(first, (300.0, 300.0));
        assert!(c.undo.is_empty(), "a rolled-back drag is no step");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_finger_whose_release_was_lost_is_forgotten_when_a_new_touch_begins() {
        let mut c = FakeCanvas::new();
        // A finger pans, and its release never arrives.
        c.press(finger(21, true), (600.0, 600.0), Hit::Background);
        c.move_to(finger(21, true), (610.0, 600.0));
        // The next touch starts with a primary pointer: a drag, not a pinch with the lost one.
        c.press(finger(22, true), (700.0, 460.0), node("service_b"));
        assert_eq!(c.state(), "moving");
        c.move_to(finger(22, true), (800.0, 460.0));
        c.release(finger(22, true), (800.0, 460.0));
        assert_eq!(c.at("service_b"), (780.0, 440.0));
        assert_eq!(c.undo.len(), 1);

        // A release from a pointer the canvas never saw pressed still ends the gesture.
        c.press(MOUSE, (700.0, 460.0), node("user"));
        c.release(finger(99, false), (0.0, 0.0));
        assert_eq!(c.state(), "idle");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_cancelled_pointer_rolls_back_its_drag_and_is_no_longer_tracked() {
        let mut c = FakeCanvas::new();
        let original = c.doc.clone();
        c.press(finger(31, true), (700.0, 460.0), node("service_b"));
        c.move_to(finger(31, true), (800.0, 300.0));
        c.event(|g, _| g.pointer_cancel(finger(31, true)));
        assert_eq!((c.state(), &c.doc), ("idle", &original));
        // Were finger 31 still tracked, this one would start a pinch.
        c.press(finger(32, false), (20.0, 320.0), node("user"));
        assert_eq!(c.state(), "moving");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_connection_is_drawn_from_an_output_port_to_another_node() {
        let mut c = FakeCanvas::new();
        let original = c.doc.clone();
        // service_b's output port sits on the middle of its right-hand side.
        c.press(MOUSE, (820.0, 468.0), Hit::Port("service_b".into()));
        assert_eq!(c.state(), "connecting");
        assert!(c.consumed);
        c.move_to(MOUSE, (990.0, 190.0));
        assert_eq!(
            c.gestures.overlay(),
            Some(Overlay::PendingEdge {
                from: "service_b".into(),
                at: (990.0, 190.0)
            })
        );
        c.release(MOUSE, (990.0, 190.0));
        assert_eq!(c.state(), "idle");
        assert!(c
            .doc
            .edges
            .iter()
            .any(|e| e.from == "service_b" && e.to == "cache_a"));
        assert_eq!(c.undo, [original], "a connection is one step");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_connection_released_on_its_own_node_or_the_background_connects_nothing() {
        let mut c = FakeCanvas::new();
        for release_at in [(700.0, 460.0), (600.0, 600.0), (2000.0, 100.0)] {
            c.press(MOUSE, (820.0, 468.0), Hit::Port("service_b".into()));
            c.move_to(MOUSE, release_at);
            c.release(MOUSE, release_at);
            assert_eq!(c.state(), "idle");
        }
        assert!(c.undo.is_empty() && c.notice.is_none());

        // A refused connection changes nothing and says why.
        c.press(MOUSE, (820.0, 468.0), Hit::Port("service_b".into()));
        c.release(MOUSE, (20.0, 320.0));
        assert!(c.undo.is_empty());
        assert!(c
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("nothing can call it"));
    }
}
