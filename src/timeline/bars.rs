//! A lane and its bars. A bar is placed in percent of the axis, so it needs no layout to
//! draw; pressing it starts a [`BarDrag`] (the pointer is captured, so the drag follows it off
//! the bar), moving previews the document, releasing commits one undo step through the
//! validator or, if the pointer never moved, selects the fault. Arrow keys move a focused bar
//! along the grid (Shift: ten steps); Delete deletes it (the editor's shortcut).

use super::axis::{percent, snap, STEP_S};
use super::drag::{BarDrag, Part};
use super::lanes::Lane;
use crate::diagram::fault_selection;
use crate::state::{faults, Editor};
use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One lane: its label and its track of bars.
#[component]
pub fn LaneRow(
    /// The lane.
    lane: Lane,
    /// Its position among the lanes (`data-lane`, for a drop to find its target).
    at: usize,
    /// The axis's span, seconds.
    span: Memo<f64>,
    /// The bar drag under way, shared by the lanes.
    drag: StoredValue<Option<BarDrag>>,
) -> impl IntoView {
    let title = lane.label.clone();
    view! {
        <div class="timeline-row" data-testid=format!("timeline-lane-{}", lane.key) data-lane=at>
            <span class="timeline-label" title=title>{lane.label}</span>
            <div class="timeline-track">
                {lane.faults.into_iter().map(|index| view! { <FaultBar index span drag /> }).collect_view()}
            </div>
        </div>
    }
}

/// The bar of the fault at `index`.
#[component]
fn FaultBar(index: usize, span: Memo<f64>, drag: StoredValue<Option<BarDrag>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let fault = Memo::new(move |_| editor.doc.with(|d| d.faults.get(index).cloned()));
    let entry = fault_selection(index);
    let selected = move || editor.selection.with(|s| s.first() == Some(&entry));
    let select = move || editor.selection.set(vec![fault_selection(index)]);
    let place = move || {
        let span = span.get();
        fault.with(|f| {
            f.as_ref().map(|f| {
                let from = percent(f.at_s, span);
                let to = f.until_s().map_or(100.0, |end| percent(end, span));
                format!("left:{from:.2}%;width:{:.2}%", (to - from).max(0.5))
            })
        })
    };
    let kind = move || fault.with(|f| f.as_ref().map_or("", |f| f.kind.name()));
    let press = move |ev: PointerEvent| {
        let bar = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let (Some(bar), Some(f)) = (bar, fault.get_untracked()) else {
            return;
        };
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        let part = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map_or(Part::Body, |el| Part::named(el.get_attribute("data-part")));
        let width = bar
            .parent_element()
            .map_or(0.0, |track| track.get_bounding_client_rect().width());
        let _ = bar.set_pointer_capture(ev.pointer_id());
        drag.set_value(Some(BarDrag {
            index,
            part,
            from_x: ev.client_x() as f64,
            width,
            span: span.get_untracked(),
            fault: f,
            before: editor.doc.get_untracked(),
            moved: false,
        }));
    };
    let moving = move |ev: PointerEvent| {
        let x = ev.client_x() as f64;
        let next = drag
            .try_update_value(|d| {
                let d = d.as_mut()?;
                d.follow(x).then(|| d.dragged(x, ev.alt_key()))
            })
            .flatten();
        if let Some(next) = next.filter(|n| fault.with_untracked(|f| f.as_ref() != Some(n))) {
            editor.preview(|doc| doc.faults[index] = next);
        }
    };
    let release = move |ev: PointerEvent| {
        let Some(d) = drag.try_update_value(Option::take).flatten() else {
            return;
        };
        if !d.moved {
            select();
            return;
        }
        let next = d.dragged(ev.client_x() as f64, ev.alt_key());
        editor.cancel_gesture(d.before);
        settle(editor, index, next);
        select();
    };
    let cancel = move |_| {
        if let Some(d) = drag.try_update_value(Option::take).flatten() {
            editor.cancel_gesture(d.before);
        }
    };
    let key = move |ev: KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => -STEP_S,
            "ArrowRight" => STEP_S,
            _ => return,
        };
        ev.prevent_default();
        let step = if ev.shift_key() { 10.0 * step } else { step };
        if let Some(mut f) = fault.get_untracked() {
            f.at_s = snap(f.at_s + step, false);
            settle(editor, index, f);
        }
    };
    view! {
        <div class=move || format!("fault-bar fault-{}", kind())
            class:open=move || fault.with(|f| f.as_ref().is_some_and(|f| f.for_s.is_none()))
            class:selected=selected
            data-testid=format!("fault-{index}") role="button" tabindex="0"
            aria-label=move || fault.with(|f| f.as_ref().map(faults::describe))
            style=place
            on:pointerdown=press on:pointermove=moving on:pointerup=release on:pointercancel=cancel
            on:keydown=key on:focus=move |_| select()>
            <span class="fault-grip" data-part="start"></span>
            {kind}
            <span class="fault-grip fault-grip-end" data-part="end"></span>
        </div>
    }
}

/// Commits `fault` at `index`, or shows why not in the status line.
fn settle(editor: Editor, index: usize, fault: pattern_engine::scenario::Fault) {
    if let Err(problem) = faults::commit(editor, index, fault) {
        editor.notice.set(Some(problem));
    }
}
