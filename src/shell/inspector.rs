//! The right panel: the settings of whatever is selected.

use leptos::prelude::*;

/// Says what to do while nothing is selected.
#[component]
pub fn Inspector() -> impl IntoView {
    view! {
        <aside class="panel inspector" aria-label="Inspector" data-testid="inspector">
            <h2 class="panel-title">"Inspector"</h2>
            <p class="inspector-empty">"Select a node or an edge to edit it."</p>
            <p class="muted">
                "Its settings show here, with what it measured in the last run."
            </p>
        </aside>
    }
}
