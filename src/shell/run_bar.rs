//! The bottom bar: run controls, the headline numbers, and (once a run exists) the charts,
//! the sampled requests with the selected one's waterfall, and the summary text.

use crate::live::{Charts, Legend, Live, MetricCards, RequestList, RunControls, SummaryText};
use leptos::prelude::*;

/// Controls and numbers always; charts and traces while a run exists.
#[component]
pub fn RunBar() -> impl IntoView {
    let live = expect_context::<Live>();
    view! {
        <section class="run-bar" aria-label="Run controls and metrics" data-testid="run-bar">
            <RunControls />
            <MetricCards />
            <Legend />
            <Show when=move || live.phase.get().has_run()>
                <div class="run-details">
                    <Charts />
                    <RequestList />
                </div>
                <SummaryText />
            </Show>
        </section>
    }
}
