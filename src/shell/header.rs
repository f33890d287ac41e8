//! The top bar: product name, what it does, and which build this is.

use leptos::prelude::*;

use crate::hook::VERSION;
use crate::share::ShareBar;

/// The product name and tagline on the left, the share and export controls and the version on
/// the right.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header" data-testid="header">
            <div class="brand">
                <Logo />
                <div>
                    <h1 class="brand-name">"Pattern Playground"</h1>
                    <p class="brand-tagline">
                        "Build a distributed system, press play, watch every request travel."
                    </p>
                </div>
            </div>
            <ShareBar />
            <span class="version" title="App version">
                {format!("v{VERSION}")}
            </span>
        </header>
    }
}

/// A client calling a balancer that fans out to two services, drawn inline so the header needs no extra request (and looks the
/// same in browser tests, which serve no static files).
#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="brand-logo" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M5 16 H15 M15 16 L26 7 M15 16 L26 25" class="brand-logo-edge" />
            <circle cx="5" cy="16" r="3.5" class="brand-logo-node" />
            <circle cx="15" cy="16" r="5" class="brand-logo-node" />
            <circle cx="26" cy="7" r="4" class="brand-logo-node" />
            <circle cx="26" cy="25" r="4" class="brand-logo-node" />
        </svg>
    }
}
