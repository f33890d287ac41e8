//! The bottom bar: the state of the run and its headline numbers.

use leptos::prelude::*;

/// The numbers every run reports, in the order people read them.
const METRICS: [&str; 5] = ["p50", "p95", "p99", "Throughput", "Errors"];

/// Run status on the left, the metrics on the right; a dash until a run has produced a value.
#[component]
pub fn RunBar() -> impl IntoView {
    view! {
        <section class="run-bar" aria-label="Run controls and metrics" data-testid="run-bar">
            <p class="run-status">
                <span class="run-status-dot" aria-hidden="true"></span>
                "No run yet"
            </p>
            <dl class="metrics">
                {METRICS.into_iter().map(|name| view! { <Metric name /> }).collect_view()}
            </dl>
        </section>
    }
}

/// One metric: its name above its value.
#[component]
fn Metric(name: &'static str) -> impl IntoView {
    view! {
        <div class="metric">
            <dt>{name}</dt>
            <dd>"–"</dd>
        </div>
    }
}
