//! The centre: where the diagram is drawn and the requests travel.

use leptos::prelude::*;

/// The drawing surface, showing how to begin while the diagram is empty.
#[component]
pub fn CanvasArea() -> impl IntoView {
    view! {
        <main class="canvas" aria-label="Canvas" data-testid="canvas">
            <div class="canvas-empty">
                <h2 class="canvas-empty-title">"Your diagram is empty"</h2>
                <p>
                    "Start with a client, put a load balancer and a few services behind it, "
                    "add a cache in front of the database, then press play to watch every "
                    "request find its way."
                </p>
            </div>
        </main>
    }
}
