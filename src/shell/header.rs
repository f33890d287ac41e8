//! The top bar: product name, what it does, and which build this is.

use leptos::prelude::*;

use super::layout::Layout;
use crate::hook::VERSION;
use crate::share::ShareBar;

/// The product name and tagline on the left, the share and export controls and the version on
/// the right. On a phone the controls fold into a menu under one button (the same elements,
/// shown as a drop-down, so no test id is on the page twice).
#[component]
pub fn Header() -> impl IntoView {
    let layout = expect_context::<Layout>();
    let menu = layout.menu_open;
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            menu.set(false);
        }
    };
    view! {
        <header class="app-header" data-testid="header">
            <div class="brand">
                <Logo />
                <div class="brand-text">
                    <h1 class="brand-name">"Pattern Playground"</h1>
                    <p class="brand-tagline">
                        "Build a distributed system, press play, watch every request travel."
                    </p>
                </div>
            </div>
            <button type="button" class="header-menu" data-testid="header-menu"
                aria-expanded=move || menu.get().to_string() aria-controls="header-actions"
                on:click=move |_| menu.update(|open| *open = !*open)>"Menu"</button>
            <div class="header-actions" id="header-actions" data-open=move || menu.get().to_string()
                on:keydown=close_on_escape>
                <ShareBar />
                <span class="version" title="App version">
                    {format!("v{VERSION}")}
                </span>
            </div>
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
