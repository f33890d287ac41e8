//! The centre: where the diagram is drawn and the requests travel.

use leptos::prelude::*;
use pattern_engine::Scenario;

use crate::diagram::Diagram;

/// The drawing surface: the scenario's diagram under a caption naming it, or how to begin when
/// the diagram is empty.
#[component]
pub fn CanvasArea(scenario: Scenario) -> impl IntoView {
    let body = if scenario.nodes.is_empty() {
        view! { <EmptyCanvas /> }.into_any()
    } else {
        let caption = format!("{} · {} components", scenario.name, scenario.nodes.len());
        view! {
            <p class="canvas-caption" title=scenario.description.clone()>{caption}</p>
            <Diagram scenario />
        }
        .into_any()
    };
    view! {
        <main class="canvas" aria-label="Canvas" data-testid="canvas">
            {body}
        </main>
    }
}

/// What an empty canvas says.
#[component]
fn EmptyCanvas() -> impl IntoView {
    view! {
        <div class="canvas-empty">
            <h2 class="canvas-empty-title">"Your diagram is empty"</h2>
            <p>
                "Start with a client, put a load balancer and a few services behind it, "
                "add a cache in front of the database, then press play to watch every "
                "request find its way."
            </p>
        </div>
    }
}
