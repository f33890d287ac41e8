//! The dock under the canvas: one line that is always there (the run controls and the headline
//! numbers) and, when open, tabs for the rest of the run (every number, the charts, the
//! sampled requests with the chosen one's waterfall, the legend, the summary). It folds to its
//! line and is resized from its top edge, by pointer or with the arrow keys, so the canvas
//! keeps the room.

use super::layout::{clamp_dock_height, DockTab, Layout};
use crate::live::{
    Charts, Headline, Legend, Live, MetricCards, RequestList, RunControls, SummaryText, TraceView,
};
use leptos::prelude::*;

/// How far one arrow key moves the dock's edge, CSS pixels.
const KEY_STEP_PX: f64 = 24.0;

/// The dock: its line, and its tabs when open.
#[component]
pub fn Dock() -> impl IntoView {
    let layout = expect_context::<Layout>();
    let live = expect_context::<Live>();
    // Choosing a request (a ringed particle, or from the list) shows its waterfall.
    Effect::new(move |_| {
        if live.selected.get().is_some() {
            layout.show_tab(DockTab::Requests);
        }
    });
    let open = layout.dock_open;
    let body_height = move || {
        layout
            .dock_height
            .get()
            .map(|px| format!("{:.0}px", clamp_dock_height(px, layout.window_height.get())))
    };
    view! {
        <section class="dock" aria-label="Run controls and metrics" data-testid="run-bar"
            data-open=move || open.get().to_string()>
            <Show when=move || open.get()>
                <ResizeEdge />
            </Show>
            <div class="dock-line">
                <RunControls />
                <Headline />
                <button type="button" class="dock-toggle" data-testid="dock-toggle"
                    aria-expanded=move || open.get().to_string() aria-controls="dock-body"
                    title=move || if open.get() { "Fold the dock to one line" } else { "Open the dock: numbers, charts, requests, legend, summary" }
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "▾" } else { "▴" }}
                </button>
            </div>
            <div class="dock-tabs" role="tablist" aria-label="Run details" hidden=move || !open.get()>
                {DockTab::ALL.into_iter().map(|tab| view! { <TabButton tab /> }).collect_view()}
            </div>
            <div class="dock-body" id="dock-body" hidden=move || !open.get() style:height=body_height>
                <TabPanel tab=DockTab::Numbers><MetricCards /></TabPanel>
                <TabPanel tab=DockTab::Charts>
                    <Show when=move || live.phase.get().has_run()
                        fallback=|| view! { <p class="live-empty">"Press Play or Run to end: the charts follow the run."</p> }>
                        <Charts />
                    </Show>
                </TabPanel>
                <TabPanel tab=DockTab::Requests>
                    <div class="dock-requests">
                        <RequestList />
                        <TraceView />
                    </div>
                </TabPanel>
                <TabPanel tab=DockTab::Legend><Legend /></TabPanel>
                <TabPanel tab=DockTab::Summary>
                    <Show when=move || !live.phase.get().has_run()>
                        <p class="live-empty">"Run the diagram to the end for its summary."</p>
                    </Show>
                    <SummaryText />
                </TabPanel>
            </div>
        </section>
    }
}

/// One tab's button.
#[component]
fn TabButton(tab: DockTab) -> impl IntoView {
    let layout = expect_context::<Layout>();
    let chosen = move || layout.dock_tab.get() == tab;
    view! {
        <button type="button" role="tab" class="dock-tab" id=format!("dock-tab-{}", tab.name())
            data-testid=format!("dock-tab-{}", tab.name())
            aria-selected=move || chosen().to_string()
            aria-controls=format!("dock-panel-{}", tab.name())
            on:click=move |_| layout.show_tab(tab)>
            {tab.title()}
        </button>
    }
}

/// One tab's panel: always on the page (its test ids stay where journeys find them), shown
/// while its tab is chosen.
#[component]
fn TabPanel(tab: DockTab, children: Children) -> impl IntoView {
    let layout = expect_context::<Layout>();
    view! {
        <div class="dock-panel" role="tabpanel" id=format!("dock-panel-{}", tab.name())
            data-testid=format!("dock-panel-{}", tab.name())
            aria-labelledby=format!("dock-tab-{}", tab.name())
            hidden=move || layout.dock_tab.get() != tab>
            {children()}
        </div>
    }
}

/// The dock's top edge: drag it, or focus it and press the arrow keys, to resize the dock.
#[component]
fn ResizeEdge() -> impl IntoView {
    let layout = expect_context::<Layout>();
    // Where the drag started: the pointer's y and the body's height then.
    let dragging = StoredValue::new(None::<(f64, f64)>);
    let body_px = move || {
        document()
            .get_element_by_id("dock-body")
            .map_or(0.0, |el| el.get_bounding_client_rect().height())
    };
    let set_height = move |px: f64| {
        let window_px = layout.window_height.get_untracked();
        layout
            .dock_height
            .set(Some(clamp_dock_height(px, window_px)));
    };
    let down = move |ev: leptos::ev::PointerEvent| {
        dragging.set_value(Some((ev.client_y() as f64, body_px())));
        let target: web_sys::Element = event_target(&ev);
        let _ = target.set_pointer_capture(ev.pointer_id());
        ev.prevent_default();
    };
    let drag = move |ev: leptos::ev::PointerEvent| {
        if let Some((y0, h0)) = dragging.get_value() {
            // Dragging up makes the dock taller.
            set_height(h0 + y0 - ev.client_y() as f64);
        }
    };
    let up = move |_| dragging.set_value(None);
    let key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowUp" => KEY_STEP_PX,
            "ArrowDown" => -KEY_STEP_PX,
            _ => return,
        };
        ev.prevent_default();
        set_height(body_px() + step);
    };
    view! {
        <div class="dock-resize" role="separator" aria-orientation="horizontal" tabindex="0"
            aria-label="Resize the dock (arrow keys)" data-testid="dock-resize"
            aria-valuenow=move || layout.dock_height.get().map(|h| format!("{h:.0}"))
            on:pointerdown=down on:pointermove=drag on:pointerup=up on:pointercancel=up on:keydown=key>
        </div>
    }
}
