//! The first-visit hint: three ways to start, under the canvas toolbar. It goes for good (a
//! flag in localStorage) as soon as it has done its job: the person presses Play, changes the
//! diagram (adding a component, opening an example or a file), or says "Got it". It lies over
//! the canvas's top-left, where no control is, and the fit keeps the diagram clear of it.

use leptos::prelude::*;

use crate::live::{Live, Phase};
use crate::state::Editor;

/// Where the hint's "seen" flag is kept. Journeys set it before the page loads, so their
/// screenshots and clicks never meet the hint unless they look for it.
pub const HINT_SEEN_KEY: &str = "pattern-playground/hint-seen/v1";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn already_seen() -> bool {
    storage().is_some_and(|s| matches!(s.get_item(HINT_SEEN_KEY), Ok(Some(_))))
}

fn remember_seen() {
    if let Some(s) = storage() {
        // A full or refused storage only means the hint comes back next visit.
        let _ = s.set_item(HINT_SEEN_KEY, "1");
    }
}

/// The hint, until it has been used; `on_dismiss` runs when it goes (the canvas refits).
#[component]
pub fn FirstVisitHint(on_dismiss: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let shown = RwSignal::new(!already_seen());
    let dismiss = move || {
        if shown.get_untracked() {
            remember_seen();
            shown.set(false);
            // After the hint is gone from the page, so the fit sees the room it left.
            request_animation_frame(on_dismiss);
        }
    };
    // Any change to the document, or a run, means the person has started.
    Effect::watch(move || editor.doc.track(), move |_, _, _| dismiss(), false);
    Effect::watch(
        move || live.phase.get() != Phase::Idle,
        move |started, _, _| {
            if *started {
                dismiss();
            }
        },
        false,
    );
    view! {
        <Show when=move || shown.get()>
            <aside class="first-hint" data-testid="first-hint" data-covers-diagram="" aria-label="How to start">
                <p class="first-hint-title">"New here? Three ways to start:"</p>
                <ol>
                    <li><strong>"Press Play"</strong>" to watch requests travel through this system."</li>
                    <li><strong>"Drag a component in"</strong>" from the Components (tap one on a phone)."</li>
                    <li><strong>"Open an example"</strong>" from the examples menu."</li>
                </ol>
                <button type="button" data-testid="first-hint-dismiss" on:click=move |_| dismiss()>"Got it"</button>
            </aside>
        </Show>
    }
}
