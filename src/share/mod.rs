//! Sharing and shipping a diagram: the header's share controls.
//!
//! - [`panel`]: the Share button's panel: the link, Copy, "include the run's position".
//! - [`address`]: the address bar's fragment, on start-up and on `hashchange`: a link or
//!   `#example=<name>`.
//! - [`open`]: opening a link, keeping the previous diagram one click away, and the banner
//!   that says what happened.
//! - [`files`]: export and import of the scenario as the JSON file the command-line tool reads.
//! - [`examples`]: opening a shipped example (from the gallery or `#example=<name>`).
//! - [`gallery`]: the Examples gallery, the examples' index and their fetched files.
//! - [`image`]: the diagram as a standalone SVG or a 2× PNG.
//!
//! The app parses no untrusted input here: links go through `pattern_engine::link::decode`,
//! files through `pattern_engine::scenario::from_json`.

pub mod address;
pub mod examples;
pub mod files;
pub mod gallery;
pub mod image;
pub mod open;
pub mod panel;

use leptos::prelude::*;

pub use gallery::{Gallery, GalleryOpen};
pub use open::{LinkBanner, LinkNote, LinkNotes};

/// The header's share, file, image and example controls.
#[component]
pub fn ShareBar() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="share-bar" role="toolbar" aria-label="Share and export">
            <gallery::ExamplesButton />
            <files::ImportJson />
            <files::ExportJson />
            <image::ExportSvg />
            <image::ExportPng />
            <div class="share-anchor">
                <button type="button" class="share-button" data-testid="share"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>"Share"</button>
                <Show when=move || open.get()>
                    <panel::SharePanel close=move || open.set(false) />
                </Show>
            </div>
        </div>
    }
}
