//! The left panel: every component kind, grouped by the job it does (each kind's declaration
//! names its group), with a search box. Press
//! an entry and drag it onto the canvas, or activate it (click, Enter) to add it in the middle
//! of the diagram.

use leptos::prelude::*;
use pattern_engine::components::{Group, Kind};

use super::layout::{Layout, Shown};
use crate::diagram::geometry::{snap, NODE_H, NODE_W};
use crate::diagram::icons::KindIcon;
use crate::diagram::PaletteDrag;
use crate::state::{ops, Editor};

/// The component groups as headed sections, filtered by the search box.
#[component]
pub fn Palette() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let layout = expect_context::<Layout>();
    view! {
        <aside class="panel palette" aria-label="Components" data-testid="palette">
            <div class="panel-head">
                <h2 class="panel-title">"Components"</h2>
                <button type="button" class="panel-close" data-testid="palette-close"
                    aria-label="Close the components" on:click=move |_| layout.palette_open.set(false)>"×"</button>
            </div>
            <input
                class="palette-search"
                type="search"
                placeholder="Search components"
                aria-label="Search components"
                data-testid="palette-search"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            {Group::ALL.into_iter().map(|group| view! { <PaletteGroup group query /> }).collect_view()}
        </aside>
    }
}

/// One group: its heading, a line on what it holds, and its entries.
#[component]
fn PaletteGroup(group: Group, query: RwSignal<String>) -> impl IntoView {
    let slug = group.name();
    let heading_id = format!("palette-group-{slug}");
    let labelled_by = heading_id.clone();
    // The per-group class only picks the group's colour (style/main.css).
    let class = format!("palette-group palette-group-{slug}");
    let matches = move |kind: Kind| {
        let q = query.get().to_ascii_lowercase();
        q.is_empty()
            || kind.title().to_ascii_lowercase().contains(&q)
            || group.title().to_ascii_lowercase().contains(&q)
    };
    let visible = move || group.kinds().any(matches);
    view! {
        <section class=class aria-labelledby=labelled_by hidden=move || !visible()>
            <h3 class="palette-group-name" id=heading_id>
                {group.title()}
            </h3>
            <p class="palette-group-about">{group.about()}</p>
            <ul class="palette-entries">
                {group.kinds().map(|kind| view! {
                    <li hidden=move || !matches(kind)><PaletteEntry kind /></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One kind: a button that adds it (click, Enter) or starts a drag onto the canvas.
#[component]
fn PaletteEntry(kind: Kind) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let layout = expect_context::<Layout>();
    let PaletteDrag(drag) = expect_context::<PaletteDrag>();
    let add_in_view = move |_| {
        // On a phone the palette is a sheet over the canvas: out of the way of what was added.
        if layout.palette() == Shown::Sheet {
            layout.palette_open.set(false);
        }
        let centre = crate::diagram::geometry::fit(&editor.doc.get_untracked().nodes).centre();
        let (x, y) = (snap(centre.0 - NODE_W / 2.0), snap(centre.1 - NODE_H / 2.0));
        if let Some(id) = editor.apply(|doc| ops::add_node(doc, kind, x, y)) {
            editor.selection.set(vec![id]);
        }
    };
    view! {
        <button
            type="button"
            class=format!("palette-entry palette-entry-{}", kind.name())
            aria-label=kind.title()
            data-testid=format!("palette-{}", kind.name())
            title=format!("Drag onto the canvas, or press to add a {}", kind.title().to_ascii_lowercase())
            on:pointerdown=move |ev| {
                ev.prevent_default(); // no text selection while dragging
                drag.set(Some(kind));
            }
            on:click=add_in_view
        >
            <KindIcon kind class="palette-entry-icon" size=16.0 />
            // The name is hidden on the rail; the button keeps it as its accessible name.
            <span class="palette-entry-name">{kind.title()}</span>
        </button>
    }
}
