//! The Share panel: the full link in a read-only field, a Copy button, whether to include the
//! run's speed and position, and the link's length.

use leptos::html::Input;
use leptos::prelude::*;
use pattern_engine::link::{self, Playback};
use wasm_bindgen_futures::JsFuture;

use crate::live::Live;
use crate::state::Editor;

/// The page's address without its fragment: what a link's `#` follows.
pub fn page_address() -> String {
    let href = window().location().href().unwrap_or_default();
    match href.split_once('#') {
        Some((address, _)) => address.to_string(),
        None => href,
    }
}

/// The panel under the Share button. Only exists while open, so the link is only encoded
/// while someone looks at it (with the position included it changes every frame of a run).
#[component]
pub fn SharePanel(close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let live = expect_context::<Live>();
    let include_playback = RwSignal::new(false);
    let copy_status = RwSignal::new(None::<&'static str>);
    let field = NodeRef::<Input>::new();
    let address = page_address();
    let url = Memo::new(move |_| {
        let playback = include_playback.get().then(|| Playback {
            speed: live.speed.get(),
            at_ns: live.now.get(),
        });
        let fragment = editor.doc.with(|s| link::encode(s, playback));
        format!("{address}#{fragment}")
    });
    // A new link is not what was copied.
    Effect::new(move |_| {
        url.track();
        copy_status.set(None);
    });
    let copy = move |_| {
        if let Some(input) = field.get_untracked() {
            input.select();
        }
        copy_to_clipboard(url.get_untracked(), copy_status);
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close();
        }
    };
    view! {
        <div class="share-panel" role="dialog" aria-label="Share this diagram" on:keydown=close_on_escape>
            <label class="share-field">
                <span>"Link to this diagram"</span>
                <input type="text" readonly data-testid="share-link" node_ref=field
                    prop:value=move || url.get() on:focus=move |_| {
                        if let Some(input) = field.get_untracked() {
                            input.select();
                        }
                    } />
            </label>
            <div class="share-row">
                <button type="button" data-testid="share-copy" on:click=copy>"Copy"</button>
                <span class="share-length" data-testid="share-length">
                    {move || format!("{} characters", url.with(|u| u.chars().count()))}
                </span>
                <span class="share-copied" role="status">{move || copy_status.get()}</span>
            </div>
            <label class="share-check">
                <input type="checkbox" data-testid="share-playback"
                    prop:checked=move || include_playback.get()
                    on:change=move |ev| include_playback.set(event_target_checked(&ev)) />
                "include the run's speed and position"
            </label>
        </div>
    }
}

/// Writes `text` to the clipboard; where the browser refuses (no permission, an old
/// browser), the field's text is already selected, so the status says to press Ctrl+C.
fn copy_to_clipboard(text: String, status: RwSignal<Option<&'static str>>) {
    let navigator = window().navigator();
    // Pages not served over HTTPS (or localhost) have no `navigator.clipboard` at all.
    if !js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false) {
        status.set(Some("Selected: press Ctrl+C to copy"));
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let copied = JsFuture::from(promise).await.is_ok();
        status.set(Some(if copied {
            "Copied"
        } else {
            "Selected: press Ctrl+C to copy"
        }));
    });
}
