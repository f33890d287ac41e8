//! The editable diagram: nodes as labelled boxes with ports, edges as arrows with their
//! latency. Press a node to select and drag it (snapping to the grid unless Alt is held), press
//! an output port and release on another node to connect them; on a touch screen one finger
//! does the same and two pinch to zoom and pan. A drag is one undo step; Escape cancels it.
//!
//! - [`gesture`]: the pointer gestures as a pure state machine: events in, effects out.
//! - `canvas`: the `<svg>` and the adapter that turns its pointer events into gesture events
//!   and applies the effects to the editor and the view.
//! - `node_view`, `edge_view`: one node, one edge. Views are fine-grained: each reads only its
//!   own slice of the document, so a drag re-renders what moved and nothing else.
//! - [`geometry`]: sizes, the view box, hit tests, edge paths; [`icons`]: one icon per kind.
//! - [`fitting`]: the view that shows the diagram largest in the part of the canvas that the
//!   toolbar, the minimap and the hint leave clear.
//! - `labels`: a node's label in lines that fit its box.

mod canvas;
mod edge_view;
pub mod fitting;
pub mod geometry;
pub mod gesture;
pub mod icons;
pub mod labels;
mod node_view;

pub use canvas::EditorCanvas;

use leptos::prelude::*;
use pattern_engine::components::Kind;

/// A drag from the palette, shared by the palette (which starts it) and the canvas (which
/// takes the drop).
#[derive(Clone, Copy)]
pub struct PaletteDrag(pub RwSignal<Option<Kind>>);

/// What the faults in force do to edges now, for drawing them: `(from, to, mark)` with the
/// mark "cut" (a partition separates its ends) or "slow" (a latency fault holds it). Provided
/// by the live view; without it edges are drawn plain.
#[derive(Clone, Copy)]
pub struct EdgeMarks(pub Memo<Vec<(String, String, &'static str)>>);

/// Each circuit breaker's state while a run shows it: `(from, to, state)`, the state `closed`,
/// `open` or `half_open`. Provided by the live view; without it edges carry no breaker state.
#[derive(Clone, Copy)]
pub struct BreakerMarks(pub Memo<Vec<(String, String, &'static str)>>);

/// True while the space bar is held: any drag then pans, as in most canvas tools.
#[derive(Clone, Copy)]
pub struct SpaceHeld(pub RwSignal<bool>);

/// How an edge is named in the selection (node ids never contain `:`).
pub fn edge_selection(from: &str, to: &str) -> String {
    format!("edge:{from}:{to}")
}

/// How a fault on the timeline is named in the selection, by its index in the document.
pub fn fault_selection(index: usize) -> String {
    format!("fault:{index}")
}

/// The fault a selection entry names, if it names one.
pub fn selected_fault(entry: &str) -> Option<usize> {
    entry.strip_prefix("fault:")?.parse().ok()
}

/// True if a selection entry names a node (not an edge or a fault).
pub fn is_node_entry(entry: &str) -> bool {
    !entry.contains(':')
}

/// The edge a selection entry names, if it names one.
pub fn selected_edge(entry: &str) -> Option<(String, String)> {
    let mut parts = entry.strip_prefix("edge:")?.splitn(2, ':');
    Some((parts.next()?.to_string(), parts.next()?.to_string()))
}
