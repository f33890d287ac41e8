//! What the colours and shapes mean (`legend`): one entry per particle look, from the same
//! table the painter draws with, plus the node badges.

use super::flights::Look;
use leptos::prelude::*;

/// The legend strip.
#[component]
pub fn Legend() -> impl IntoView {
    view! {
        <ul class="legend" data-testid="legend" aria-label="Legend">
            {Look::ALL.iter().map(|look| view! {
                <li data-look=look.name()>
                    <span class="legend-swatch" class:square=look.is_square()
                        style=format!("--swatch: {}", look.colour()) aria-hidden="true"></span>
                    {look.meaning()}
                </li>
            }).collect_view()}
            <li>
                <span class="legend-swatch ringed" aria-hidden="true"></span>
                "ringed: a sampled request, click it for its trace"
            </li>
            <li>
                <span class="legend-swatch pile" aria-hidden="true"></span>
                "dots above a node: requests waiting in its queue"
            </li>
            <li>
                <span class="legend-swatch utilisation" aria-hidden="true"></span>
                "node ring: how busy it is, green idle to red saturated"
            </li>
            <li>
                <span class="legend-swatch trouble" aria-hidden="true"></span>
                "red badge: requests it dropped or failed"
            </li>
        </ul>
    }
}
