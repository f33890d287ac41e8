//! The page frame: five panels on a CSS grid (see `style/main.css`); which of them show, and
//! how, at each window width is decided in [`layout`].
//!
//! ```text
//! +-----------------------------------------+
//! | header                                  |
//! +----+-----------------------+------------+
//! |pal-| canvas                | inspector  |
//! |ette+-----------------------+            |
//! |rail| fault timeline        |            |
//! +----+-----------------------+------------+
//! | dock: controls, headline numbers, tabs  |
//! +-----------------------------------------+
//! ```

mod canvas;
mod dock;
mod header;
mod hint;
mod inspector;
mod keyboard;
pub mod layout;
mod palette;

use leptos::prelude::*;

use crate::diagram::{BreakerMarks, EdgeMarks, PaletteDrag, SpaceHeld};
use crate::live::{BreakerLive, Live};
use crate::share::gallery::shelf::Shelf;
use crate::share::{self, Gallery, GalleryOpen, LinkNotes};
use crate::state::autosave::{self, Restored};
use crate::state::Editor;
use crate::timeline::FaultTimeline;
use crate::{document, hook};
use canvas::CanvasArea;
use dock::Dock;
use header::Header;
use inspector::Inspector;
use layout::Layout;
use palette::Palette;

/// The whole app. It opens the work saved in this browser, or the reference architecture on a
/// first visit, then the share link in the address bar if there is one, and keeps `window.__playground.scenario` and the saved copy in step with every
/// change.
#[component]
pub fn App() -> impl IntoView {
    let (initial, notice) = match autosave::restore() {
        Restored::Scenario(s) => (s, None),
        Restored::Nothing => (document::default_scenario(), None),
        Restored::Unreadable(message) => (document::default_scenario(), Some(message)),
    };
    hook::publish(Some(&initial.to_json()), None);
    let editor = Editor::new(initial);
    editor.notice.set(notice);
    provide_context(editor);
    let live = Live::new(editor);
    provide_context(live);
    let link_notes = LinkNotes(RwSignal::new(None));
    provide_context(link_notes);
    let shelf = Shelf::new();
    provide_context(shelf);
    provide_context(GalleryOpen(RwSignal::new(false)));
    provide_context(PaletteDrag(RwSignal::new(None)));
    provide_context(edge_marks(editor, live));
    provide_context(breaker_marks(editor, live));
    let layout = Layout::install();
    provide_context(layout);
    let selected = settled_selection(editor, layout);
    let space = SpaceHeld(RwSignal::new(false));
    let help = keyboard::HelpOpen(RwSignal::new(false));
    let fit = keyboard::FitRequests(RwSignal::new(0));
    provide_context(space);
    provide_context(help);
    provide_context(fit);
    keyboard::install(editor, space, help, fit);
    // After the autosave is restored, so a link in the address bar can keep it aside.
    share::address::install(editor, live, link_notes, shelf);

    // Effects only talk to the outside world (the test hook, the browser's storage) or keep
    // the run in step with the document.
    Effect::new(move |_| {
        let json = editor.doc.with(|s| s.to_json());
        let summary = live
            .final_snapshot()
            .map(|snapshot| Box::new(move || snapshot.text().to_string()) as hook::SummaryText);
        hook::publish_with(Some(&json), summary);
    });
    Effect::new(move |_| {
        editor.doc.track();
        live.follow_document();
    });
    Effect::new(move |first: Option<()>| {
        let result = editor.doc.with(autosave::save);
        // A restored or default document needs no saving until it changes.
        if first.is_some() {
            if let Err(message) = result {
                editor.notice.set(Some(message));
            }
        }
    });
    view! {
        <div class="app" data-testid="app"
            data-width=move || layout.width.get().name()
            data-palette=move || layout.palette().name()
            data-inspector=move || layout.inspector(selected.get()).name()
            data-dock=move || if layout.dock_open.get() { "open" } else { "folded" }>
            <Header />
            <Palette />
            <CanvasArea />
            <FaultTimeline />
            <Inspector />
            <Dock />
            <Gallery />
        </div>
    }
}

/// The edges the faults in force cut or slow, while a run shows them (recomputed as its time
/// moves, but the edges only hear of a change).
fn edge_marks(editor: Editor, live: Live) -> EdgeMarks {
    EdgeMarks(Memo::new(move |_| {
        if !live.phase.get().has_run() {
            return Vec::new();
        }
        let now = live.now.get();
        editor.doc.with(|d| {
            if d.faults.is_empty() {
                return Vec::new();
            }
            let mark = |e: &pattern_engine::scenario::Edge| {
                let m = crate::state::faults::edge_mark(&d.faults, &e.from, &e.to, now)?;
                Some((e.from.clone(), e.to.clone(), m))
            };
            d.edges.iter().filter_map(mark).collect()
        })
    }))
}

/// Each circuit breaker's state while a run shows it, by its edge's ends (the run's edges are
/// the document's, in the same order: an edit of them starts a new run).
fn breaker_marks(editor: Editor, live: Live) -> BreakerMarks {
    BreakerMarks(Memo::new(move |_| {
        live.breakers.with(|states| {
            editor.doc.with(|d| {
                let mark = |(e, b): (&pattern_engine::scenario::Edge, &Option<BreakerLive>)| {
                    let (state, _) = (*b)?;
                    Some((e.from.clone(), e.to.clone(), state.name()))
                };
                d.edges.iter().zip(states).filter_map(mark).collect()
            })
        })
    }))
}

/// Whether something is selected, for the inspector to open on, changed only once no pointer
/// is pressed: opening it narrows the canvas, which must not happen under a node being dragged.
/// A new selection also forgets the person's last open-or-close, so the inspector shows it.
fn settled_selection(editor: Editor, layout: Layout) -> RwSignal<bool> {
    let settled = RwSignal::new(false);
    let pressed = StoredValue::new(false);
    let settle = move || {
        let now = editor.selection.with_untracked(|s| !s.is_empty());
        if settled.get_untracked() != now {
            settled.set(now);
        }
    };
    Effect::new(move |_| {
        let any = editor.selection.with(|s| !s.is_empty());
        if any {
            layout.inspector_asked.set(None);
        }
        if !pressed.get_value() {
            settle();
        }
    });
    // Captured, so the press is known before the canvas selects anything on it (an effect
    // can run between two listeners of one event).
    on_window_capture("pointerdown", move || pressed.set_value(true));
    for release in ["pointerup", "pointercancel"] {
        on_window_capture(release, move || {
            pressed.set_value(false);
            settle();
        });
    }
    settled
}

/// Runs `handler` on every `event` of the window, in the capture phase, for the page's life.
fn on_window_capture(event: &str, handler: impl Fn() + 'static) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let closure = Closure::<dyn Fn()>::new(handler);
    let _ = window().add_event_listener_with_callback_and_bool(
        event,
        closure.as_ref().unchecked_ref(),
        true,
    );
    closure.forget();
}
