//! The fault kinds as chips. Drag one onto a lane (it starts where it is dropped), a
//! component or a connection on the canvas; or press one (click, Enter) with a component or a
//! connection selected. With a run going, a fault dropped or pressed onto the canvas is
//! injected now (`Live::inject`, taken in place); otherwise it starts a quarter of the way
//! along the axis and lasts a tenth of it. A partition dropped on a node cuts it off from its
//! neighbours, on a connection cuts its ends apart.

use super::axis::{self, STEP_S};
use super::lanes::{Lane, LaneTarget};
use crate::diagram::selected_edge;
use crate::live::Live;
use crate::state::faults::{self, KINDS};
use crate::state::Editor;
use leptos::prelude::*;
use pattern_engine::scenario::{Fault, FaultKind, FaultTarget};

/// The chip being dragged, by kind name.
#[derive(Clone, Copy)]
pub struct FaultDrag(pub RwSignal<Option<&'static str>>);

/// Where a fault was dropped or pressed onto, and when (a lane gives the time).
struct Spot {
    target: LaneTarget,
    at_s: Option<f64>,
}

/// The chips, one per kind.
#[component]
pub fn FaultChips(drag: FaultDrag, span: Memo<f64>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let press = move |name: &'static str| {
        let Some(target) = selected_target(editor) else {
            editor.notice.set(Some(
                "Select a component or a connection first, or drag the fault onto one.".into(),
            ));
            return;
        };
        let spot = Spot {
            target: LaneTarget::Strikes(target),
            at_s: None,
        };
        place(editor, live, name, spot, span.get_untracked());
    };
    view! {
        <div class="fault-chips" role="group" aria-label="Add a fault">
            {KINDS.iter().map(|&(name, _)| view! {
                <button type="button" class=format!("fault-chip fault-{name}")
                    data-testid=format!("fault-chip-{name}")
                    on:pointerdown=move |ev| {
                        ev.prevent_default(); // no text selection while dragging
                        drag.0.set(Some(name));
                    }
                    on:click=move |_| press(name)>{name}</button>
            }).collect_view()}
        </div>
    }
}

/// The one node or edge selected, as a fault's target.
fn selected_target(editor: Editor) -> Option<FaultTarget> {
    let entries = editor.selection.get_untracked();
    let [one] = entries.as_slice() else {
        return None;
    };
    match selected_edge(one) {
        Some((from, to)) => Some(FaultTarget::Edge { from, to }),
        None if crate::diagram::is_node_entry(one) => Some(FaultTarget::Node(one.clone())),
        None => None,
    }
}

/// Takes the drop of a dragged chip wherever the pointer is released (touch keeps sending
/// events to where it began, so the spot is found under the pointer, not from the event's
/// target).
pub fn install_drop(drag: FaultDrag, span: Memo<f64>, lanes: Memo<Vec<Lane>>) {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let up = window_event_listener(leptos::ev::pointerup, move |ev| {
        let Some(name) = drag.0.get_untracked() else {
            return;
        };
        drag.0.set(None);
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        let span = span.get_untracked();
        let spot = document()
            .element_from_point(x as f32, y as f32)
            .and_then(|el| spot_at(&el, x, span, ev.alt_key(), lanes));
        if let Some(spot) = spot {
            place(editor, live, name, spot, span);
        }
    });
    on_cleanup(move || up.remove());
}

/// What lies under a drop at client x `x` in element `el`: a lane (and the time there), a
/// node or an edge of the diagram.
fn spot_at(
    el: &web_sys::Element,
    x: f64,
    span: f64,
    fine: bool,
    lanes: Memo<Vec<Lane>>,
) -> Option<Spot> {
    let closest = |selector: &str| el.closest(selector).ok().flatten();
    if let Some(row) = closest("[data-lane]") {
        let at: usize = row.get_attribute("data-lane")?.parse().ok()?;
        let track = row
            .query_selector(".timeline-track")
            .ok()??
            .get_bounding_client_rect();
        let t = axis::seconds_per(x - track.left(), track.width(), span);
        return Some(Spot {
            target: lanes.with_untracked(|l| l.get(at).map(|l| l.target.clone()))?,
            at_s: Some(axis::snap(t, fine)),
        });
    }
    let testid = |selector: &str| closest(selector)?.get_attribute("data-testid");
    let target = if let Some(id) = testid("svg.diagram [data-testid^='node-']") {
        FaultTarget::Node(id.strip_prefix("node-")?.to_string())
    } else {
        // Node ids have no `-`, so `edge-<from>-<to>` splits at its second `-`.
        let id = testid("svg.diagram [data-testid^='edge-']")?;
        let (from, to) = id.strip_prefix("edge-")?.split_once('-')?;
        FaultTarget::Edge {
            from: from.into(),
            to: to.into(),
        }
    };
    Some(Spot {
        target: LaneTarget::Strikes(target),
        at_s: None,
    })
}

/// Adds a fault of kind `name` at `spot` (see the module's doc for when it starts).
fn place(editor: Editor, live: Live, name: &'static str, spot: Spot, span: f64) {
    let fault = match (spot.target, spot.at_s) {
        (LaneTarget::Strikes(target), None) if live.live_now().is_some() => {
            if let Some(index) = live.inject(name, target) {
                editor
                    .selection
                    .set(vec![crate::diagram::fault_selection(index)]);
            }
            return;
        }
        (target, at_s) => {
            let at_s = at_s.unwrap_or_else(|| axis::snap(span / 4.0, false));
            let for_s = Some(axis::snap(span / 10.0, false).max(STEP_S));
            match fault_on(name, target, at_s, for_s, editor) {
                Ok(fault) => fault,
                Err(why) => {
                    editor.notice.set(Some(why.into()));
                    return;
                }
            }
        }
    };
    faults::add(editor, fault);
    live.follow_document();
}

/// A fault of kind `name` on a lane's `target`.
fn fault_on(
    name: &'static str,
    target: LaneTarget,
    at_s: f64,
    for_s: Option<f64>,
    editor: Editor,
) -> Result<Fault, &'static str> {
    match (target, name) {
        (LaneTarget::Strikes(target), _) => {
            Ok(editor.doc.with_untracked(|d| faults::new_fault(name, target, at_s, for_s, d)))
        }
        (LaneTarget::Partition(groups), "partition") => Ok(Fault {
            at_s,
            for_s,
            target: FaultTarget::Nowhere,
            kind: FaultKind::Partition { groups },
        }),
        (LaneTarget::Partition(_), _) => {
            Err("A partition's lane holds partitions: drop this fault onto a component or a connection.")
        }
    }
}
