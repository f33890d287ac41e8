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
mod keyboard;
mod palette;
mod run_bar;

use leptos::prelude::*;

use crate::diagram::{PaletteDrag, SpaceHeld};
use crate::live::Live;
use crate::share::{self, LinkNotes};
use crate::state::autosave::{self, Restored};
use crate::state::Editor;
use crate::{document, hook};
use canvas::CanvasArea;
use header::Header;
use inspector::Inspector;
use palette::Palette;
use run_bar::RunBar;

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
    provide_context(PaletteDrag(RwSignal::new(None)));
    let space = SpaceHeld(RwSignal::new(false));
    let help = keyboard::HelpOpen(RwSignal::new(false));
    let fit = keyboard::FitRequests(RwSignal::new(0));
    provide_context(space);
    provide_context(help);
    provide_context(fit);
    keyboard::install(editor, space, help, fit);
    // After the autosave is restored, so a link in the address bar can keep it aside.
    share::open::install(editor, live, link_notes);

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
        <div class="app" data-testid="app">
            <Header />
            <Palette />
            <CanvasArea />
            <Inspector />
            <RunBar />
        </div>
    }
}
