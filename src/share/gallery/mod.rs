//! The Examples gallery: a dialog opened from the header's Examples button, listing every
//! shipped example by group, each story's problem and cure side by side with its one-line
//! description and a thumbnail, and a search over labels, groups and descriptions.
//!
//! - [`index`]: the examples' names, labels, groups and files (all that is compiled in).
//! - [`shelf`]: the files, fetched when the gallery opens and kept once read.
//! - [`search`]: a description's one line, and which stories a search keeps.
//! - [`thumbnail`]: a diagram in miniature.
//! - `tile`: what an entry's button holds, as markup.
//!
//! Keyboard: opening moves focus to the search field; Tab and the arrow keys move between
//! entries, Enter opens one, Escape closes and gives focus back to the Examples button.
//!
//! The dialog is on the page from the start and shown with `showModal`; a search hides the
//! stories it leaves out, and a fetched file fills in its tile's text and thumbnail. Nothing
//! is mounted or unmounted on the way: a first version built on `<Show>`, memos and a view
//! per shape cost the first load 16.3 KB gzipped, this one 11.6 KB (docs/benchmarks.md).

pub mod index;
pub mod search;
pub mod shelf;
pub mod thumbnail;
mod tile;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use self::index::{Entry, Story, STORIES};
use self::shelf::{Load, Shelf};
use super::examples::open_entry;
use super::open::LinkNotes;
use crate::live::Live;
use crate::shell::layout::Layout;
use crate::state::Editor;

/// Whether the gallery is open, as app-wide context (the button is in the header's menu, the
/// dialog outside it, so that folding the menu cannot hide the dialog).
#[derive(Clone, Copy)]
pub struct GalleryOpen(pub RwSignal<bool>);

/// The class every openable entry carries, for moving between them with the arrow keys.
const ENTRY_CLASS: &str = "gallery-entry";

/// The header's Examples button: it shows the gallery and asks for every file.
#[component]
pub fn ExamplesButton() -> impl IntoView {
    let GalleryOpen(open) = expect_context::<GalleryOpen>();
    let shelf = expect_context::<Shelf>();
    let layout = use_context::<Layout>();
    let show = move |_| {
        if let Some(layout) = layout {
            layout.menu_open.set(false);
        }
        for entry in index::entries() {
            shelf.request(entry);
        }
        open.set(true);
        if let Some(dialog) = gallery_dialog() {
            // Modal: the page behind is inert, Tab stays inside, and the first control (the
            // search field) takes focus.
            let _ = dialog.show_modal();
            // The last search is kept, selected, so typing starts a new one.
            if let Some(search) = dialog
                .query_selector(".gallery-search")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                search.select();
            }
        }
    };
    view! {
        <button type="button" class="examples" data-testid="examples" aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string() on:click=show>"Examples"</button>
    }
}

/// The gallery's `<dialog>`, if the page has it.
fn gallery_dialog() -> Option<web_sys::HtmlDialogElement> {
    document()
        .query_selector(".gallery")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// Closes the gallery and gives focus back to the Examples button (or, on a phone where that
/// button is folded away in the menu, to the menu's button).
fn close(open: RwSignal<bool>) {
    if let Some(dialog) = gallery_dialog() {
        dialog.close();
    }
    open.set(false);
    let focus = |selector: &str| {
        document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|e| e.offset_parent().is_some())
            .is_some_and(|e| e.focus().is_ok())
    };
    if !focus("[data-testid=examples]") {
        focus("[data-testid=header-menu]");
    }
}

/// The gallery's dialog: modal while open, so focus stays inside it.
#[component]
pub fn Gallery() -> impl IntoView {
    let GalleryOpen(open) = expect_context::<GalleryOpen>();
    let query = RwSignal::new(String::new());
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" {
            ev.prevent_default();
            close(open);
        } else if gallery_dialog().is_some_and(|d| move_focus(&d, &key)) {
            ev.prevent_default();
        }
    };
    view! {
        <dialog class="gallery" aria-labelledby="gallery-title" data-testid="gallery"
            on:keydown=keydown
            on:close=move |_| open.set(false)>
            <div class="gallery-head">
                <h2 id="gallery-title">"Examples"</h2>
                <input type="search" class="gallery-search" data-testid="gallery-search"
                    placeholder="Search by name, pattern or description"
                    aria-label="Search the examples"
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <button type="button" class="gallery-close" data-testid="gallery-close"
                    aria-label="Close the examples" on:click=move |_| close(open)>"×"</button>
            </div>
            <GalleryGroups query />
        </dialog>
    }
}

/// Moves focus between the entries for an arrow key (Home and End go to the first and the
/// last); false if `key` is not one of them or focus is not on an entry.
fn move_focus(dialog: &web_sys::HtmlDialogElement, key: &str) -> bool {
    let Ok(list) = dialog.query_selector_all(&format!(".{ENTRY_CLASS}:not([hidden] *)")) else {
        return false;
    };
    let entries: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let active = document().active_element();
    let Some(at) = entries
        .iter()
        .position(|e| active.as_ref() == Some(e.unchecked_ref()))
    else {
        return false;
    };
    let last = entries.len() - 1;
    let to = match key {
        "ArrowDown" | "ArrowRight" => (at + 1).min(last),
        "ArrowUp" | "ArrowLeft" => at.saturating_sub(1),
        "Home" => 0,
        "End" => last,
        _ => return false,
    };
    let _ = entries[to].focus();
    true
}

/// Whether `story` matches the search, by its files' descriptions as far as they are here.
fn shown(shelf: Shelf, story: Story, query: &str) -> bool {
    let descriptions: Vec<String> = story
        .entries()
        .into_iter()
        .filter_map(|e| {
            shelf.with(e, |l| match l {
                Some(Load::Ready(s)) => Some(s.description.clone()),
                _ => None,
            })
        })
        .collect();
    let descriptions: Vec<&str> = descriptions.iter().map(String::as_str).collect();
    search::matches(&story, &descriptions, query)
}

/// Every story under its group's heading; a search hides the stories it leaves out, and the
/// stylesheet hides a group with none left and shows "no example matches" when no story is
/// (`:has`, rather than a reactive binding per group: less code in the first load).
#[component]
fn GalleryGroups(query: RwSignal<String>) -> impl IntoView {
    let shelf = expect_context::<Shelf>();
    let editor = expect_context::<Editor>();
    let live = use_context::<Live>();
    let notes = expect_context::<LinkNotes>();
    let GalleryOpen(open) = expect_context::<GalleryOpen>();
    // One handler for every entry: the entry is the button the click landed in.
    let click = move |ev: leptos::ev::MouseEvent| {
        let entry = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-example]").ok().flatten())
            .and_then(|e| e.get_attribute("data-example"))
            .and_then(|name| index::entry(&name));
        if let Some(entry) = entry {
            close(open);
            open_entry(editor, live, notes, shelf, entry);
        }
    };
    view! {
        <div class="gallery-groups" on:click=click>
            {index::groups()
                .into_iter()
                .map(|group| {
                    view! {
                        <section class="gallery-group" aria-label=group>
                            <h3>{group}</h3>
                            {STORIES
                                .iter()
                                .filter(|s| s.group == group)
                                .map(|&story| view! { <StoryTile story query /> })
                                .collect_view()}
                        </section>
                    }
                })
                .collect_view()}
            <p class="gallery-none" role="status" data-testid="gallery-none">
                "No example matches the search."
            </p>
        </div>
    }
}

/// One story: its label, then its problem and its cure side by side (or its one file).
#[component]
fn StoryTile(story: Story, query: RwSignal<String>) -> impl IntoView {
    let shelf = expect_context::<Shelf>();
    let entries = story.entries();
    let class = if entries.len() > 1 {
        "gallery-story gallery-pair"
    } else {
        "gallery-story"
    };
    view! {
        <article class=class data-testid=format!("story-{}", story.name)
            hidden=move || query.with(|q| !shown(shelf, story, q))>
            <h4 class="gallery-story-label">{story.label}</h4>
            <div class="gallery-halves">
                {entries.into_iter().map(|entry| view! { <EntryButton entry /> }).collect_view()}
            </div>
        </article>
    }
}

/// One openable file: its thumbnail, which half it is, and its one-line description (or
/// that it is loading, or why it could not be fetched). One click or Enter opens it (the
/// click is handled once, for every entry, by [`GalleryGroups`]).
#[component]
fn EntryButton(entry: Entry) -> impl IntoView {
    let shelf = expect_context::<Shelf>();
    let name = entry.name();
    view! {
        <button type="button" class=ENTRY_CLASS data-testid=format!("example-{name}")
            data-example=name
            data-state=move || shelf.with(entry, |l| match l {
                Some(Load::Ready(_)) => "ready",
                Some(Load::Failed(_)) => "failed",
                _ => "loading",
            })
            inner_html=move || shelf.with(entry, |l| tile::markup(entry, l))>
        </button>
    }
}
