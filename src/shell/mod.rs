//! The page frame: five panels on a CSS grid (see `style/main.css`).
//!
//! ```text
//! +-----------------------------------------+
//! | header                                  |
//! +---------+---------------------+---------+
//! | palette | canvas              | inspec- |
//! |         |                     | tor     |
//! +---------+---------------------+---------+
//! | run bar                                 |
//! +-----------------------------------------+
//! ```

mod canvas;
mod header;
mod inspector;
mod palette;
mod run_bar;

use leptos::prelude::*;

use crate::{document, hook};
use canvas::CanvasArea;
use header::Header;
use inspector::Inspector;
use palette::Palette;
use run_bar::RunBar;

/// The whole app, opened on the default scenario. Mounting it also publishes
/// `window.__playground` (with that scenario), so the hook exists as soon as there is something
/// on screen for a test to look at.
#[component]
pub fn App() -> impl IntoView {
    let scenario = document::default_scenario();
    hook::publish(Some(&scenario.to_json()), None);
    view! {
        <div class="app" data-testid="app">
            <Header />
            <Palette />
            <CanvasArea scenario />
            <Inspector />
            <RunBar />
        </div>
    }
}
