//! The fault timeline: the strip under the canvas (the layout's `timeline` grid row, there
//! with the dock folded too) where a run's faults are laid out in time and edited.
//!
//! - [`axis`]: the time axis (its span, time to percent and pixels, the 0.1 s grid, ticks).
//! - [`lanes`]: one lane per target the faults strike, each holding its faults by index.
//! - [`drag`]: dragging a bar (move it, stretch either end) as pure arithmetic.
//! - `bars`: a lane and its bars, with their pointer and keyboard handling.
//! - `chips`: the fault kinds as chips to drag onto a lane, a component or a connection (or
//!   to press with one selected), and where a drop lands.
//!
//! Every edit is a document operation (`state::faults`): one undo step, checked by the
//! validator. A selected bar opens in the inspector (`fault:<index>` in the selection); with a
//! run going, the time cursor moves across the bars.

pub mod axis;
mod bars;
mod chips;
pub mod drag;
pub mod lanes;

use crate::inspector::fields::show;
use crate::live::Live;
use crate::state::Editor;
use bars::LaneRow;
use chips::{FaultChips, FaultDrag};
use drag::BarDrag;
use leptos::prelude::*;
use pattern_engine::time::as_secs;

/// The strip: the chips, then a lane per target with its bars on a shared time axis.
#[component]
pub fn FaultTimeline() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let lanes = Memo::new(move |_| editor.doc.with(lanes::lanes));
    let now_s = move || {
        if live.phase.get().has_run() {
            as_secs(live.now.get())
        } else {
            0.0
        }
    };
    let span = Memo::new(move |_| {
        let now = now_s();
        editor.doc.with(|d| axis::span_s(d, now))
    });
    let drag = FaultDrag(RwSignal::new(None));
    chips::install_drop(drag, span, lanes);
    let bar_drag = StoredValue::new(None::<BarDrag>);
    // Escape abandons a bar's drag, as it does a drag on the canvas.
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            if let Some(d) = bar_drag.try_update_value(Option::take).flatten() {
                editor.cancel_gesture(d.before);
            }
        }
    });
    on_cleanup(move || escape.remove());
    let ticks = move || {
        let span = span.get();
        axis::ticks(span)
            .into_iter()
            .map(|t| {
                let left = format!("left:{:.2}%", axis::percent(t, span));
                view! { <span class="timeline-tick" style=left>{show(t)}" s"</span> }
            })
            .collect_view()
    };
    let cursor = move || format!("left:{:.2}%", axis::percent(now_s(), span.get()));
    view! {
        <section class="timeline" data-testid="timeline" aria-label="Fault timeline"
            data-dragging=move || drag.0.get().is_some().then_some("")>
            <div class="timeline-head">
                <span class="timeline-title">"Faults"</span>
                <FaultChips drag span />
                <span class="timeline-hint">"drag onto a component, a connection or a lane"</span>
            </div>
            {move || lanes.with(|l| !l.is_empty()).then(|| view! {
                <div class="timeline-lanes">
                    <div class="timeline-row timeline-axis" aria-hidden="true">
                        <span></span>
                        <div class="timeline-track">{ticks}</div>
                    </div>
                    {move || lanes.get().into_iter().enumerate().map(|(at, lane)| view! {
                        <LaneRow lane at span drag=bar_drag />
                    }).collect_view()}
                    <div class="timeline-now" aria-hidden="true">
                        <div class="timeline-cursor" data-testid="timeline-cursor"
                            hidden=move || !live.phase.get().has_run() style=cursor></div>
                    </div>
                </div>
            })}
        </section>
    }
}
