//! The address bar: on start-up, and whenever a link is pasted into the open tab
//! (`hashchange`), a fragment holding a share link opens it ([`super::open`]) and one naming
//! an example, `#example=<name>`, opens that ([`super::examples`]); then the fragment is
//! cleared. Kept apart so that opening links and opening examples, which share their steps,
//! do not depend on each other through it.

use leptos::prelude::*;

use super::gallery::shelf::Shelf;
use super::open::{link_in, open_link, LinkNotes};
use crate::live::Live;
use crate::state::Editor;

/// The example named in a location's fragment (`#example=mm1` gives `mm1`), if it names one
/// (the name may still be unknown: [`super::examples::open_named`] says so).
pub fn example_in(hash: &str) -> Option<&str> {
    hash.strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix(super::examples::FRAGMENT_FIELD)
}

/// Opens the link or the example in the address bar, if any, then clears the fragment.
pub fn open_from_address_bar(editor: Editor, live: Live, notes: LinkNotes, shelf: Shelf) {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if let Some(name) = example_in(&hash) {
        super::examples::open_named(editor, Some(live), notes, shelf, name);
    } else if let Some(text) = link_in(&hash) {
        notes.0.set(Some(open_link(editor, Some(live), text)));
    } else {
        return;
    }
    clear_fragment();
}

/// Removes the fragment from the address without a reload or a history entry, so that a
/// reload shows the autosaved work instead of opening the link again.
fn clear_fragment() {
    let window = window();
    let address = super::panel::page_address();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// Opens a link (or an example) in the address bar now, and whenever one is pasted into it
/// later; `shelf` holds the example files already fetched.
pub fn install(editor: Editor, live: Live, notes: LinkNotes, shelf: Shelf) {
    open_from_address_bar(editor, live, notes, shelf);
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        open_from_address_bar(editor, live, notes, shelf);
    });
    on_cleanup(move || handle.remove());
}
