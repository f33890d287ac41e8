//! Opening a share link (the address bar's routing is [`super::address`]), keeping the
//! previous diagram one click away, and the banner that says what happened.
//!
//! Opening never destroys work. The current document is saved (the autosave) before the link
//! is even decoded, and copied to [`PREVIOUS_KEY`] before it is replaced, so the banner's
//! "Restore previous diagram" brings it back (and the replacement is one undo step as well).
//! A link that does not open changes nothing and says why. The fragment is cleared afterwards,
//! so a reload does not open the link again over later edits.

use leptos::prelude::*;
use pattern_engine::link;
use pattern_engine::scenario::{from_json, Scenario};

use crate::live::Live;
use crate::state::{autosave, Editor};

/// Where the diagram a link replaced is kept, for "Restore previous diagram".
pub const PREVIOUS_KEY: &str = "pattern-playground/before-link/v1";

/// What opening a link has to say, shown in a banner until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkNote {
    /// What happened, in words.
    pub message: String,
    /// True if a link replaced the diagram and the previous one was kept.
    pub can_restore: bool,
}

/// The banner's content, as app-wide context.
#[derive(Clone, Copy)]
pub struct LinkNotes(pub RwSignal<Option<LinkNote>>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The link in a location's fragment (`#1.abc…` gives `1.abc…`), if there is one.
pub fn link_in(hash: &str) -> Option<&str> {
    let text = hash.strip_prefix('#').unwrap_or(hash);
    (!text.trim().is_empty()).then_some(text)
}

/// Opens `text` (a link without its `#`): on success the document becomes the link's
/// scenario and the previous one is kept; on failure nothing changes. `live` is where a
/// link's speed and position go, if it has them.
pub fn open_link(editor: Editor, live: Option<Live>, text: &str) -> LinkNote {
    // The risky step comes after the current work is safely stored.
    let _ = editor.doc.with_untracked(autosave::save);
    match link::decode(text.trim()) {
        Err(error) => LinkNote {
            message: format!(
                "This link could not be opened: {error}. Your current diagram was kept."
            ),
            can_restore: false,
        },
        Ok(decoded) => {
            let name = decoded.scenario.name.clone();
            let kept = replace_keeping_previous(editor, live, decoded.scenario.clone());
            if let (Some(live), Some(playback)) = (live, decoded.playback) {
                live.speed.set(playback.speed);
                if playback.at_ns > 0 {
                    live.start_paused_at(playback.at_ns);
                }
            }
            LinkNote {
                message: opened_message(&name, kept, decoded.engine_note()),
                can_restore: kept,
            }
        }
    }
}

/// Makes `scenario` the document (one undo step), keeping the current one for "Restore
/// previous diagram"; true if it was kept. The caller has saved the current work first.
pub fn replace_keeping_previous(editor: Editor, live: Option<Live>, scenario: Scenario) -> bool {
    let kept = editor.doc.with_untracked(keep_previous);
    if let Some(live) = live {
        // The old run would only be reset with a "diagram changed" notice.
        live.reset();
    }
    editor.replace(scenario);
    kept
}

/// What the banner says of the diagram that was replaced.
pub fn previous_kept(kept: bool) -> &'static str {
    if kept {
        "Your previous diagram is kept: restore it with the button, or Undo."
    } else {
        "Undo brings your previous diagram back."
    }
}

fn opened_message(name: &str, kept: bool, engine_note: Option<String>) -> String {
    let previous = previous_kept(kept);
    let note = engine_note.map_or(String::new(), |n| format!(" Note: {n}."));
    format!("Opened the shared diagram \u{201c}{name}\u{201d}. {previous}{note}")
}

/// Stores the diagram about to be replaced (compact, as the autosave does, so it opens
/// again); false if it is too large to open again or the browser would not store it.
fn keep_previous(scenario: &Scenario) -> bool {
    let Ok(text) = autosave::saved_text(scenario) else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(PREVIOUS_KEY, &text).is_ok())
}

/// Brings back the diagram the last opened link replaced (one undoable step).
pub fn restore_previous(editor: Editor) -> Result<(), String> {
    let storage = storage().ok_or("this browser does not let the page read saved work")?;
    let text = storage
        .get_item(PREVIOUS_KEY)
        .ok()
        .flatten()
        .ok_or("the previous diagram is no longer stored in this browser")?;
    let scenario =
        from_json(&text).map_err(|e| format!("the previous diagram could not be read: {e}"))?;
    editor.replace(scenario);
    let _ = storage.remove_item(PREVIOUS_KEY);
    Ok(())
}

/// The banner that says what opening a link did, with "Restore previous diagram".
#[component]
pub fn LinkBanner() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let LinkNotes(notes) = expect_context::<LinkNotes>();
    let restore = move |_| {
        let message = match restore_previous(editor) {
            Ok(()) => "Your previous diagram is back.".to_string(),
            Err(reason) => format!("Nothing was restored: {reason}."),
        };
        notes.set(Some(LinkNote {
            message,
            can_restore: false,
        }));
    };
    view! {
        <Show when=move || notes.with(Option::is_some)>
            <div class="link-banner" role="status" data-testid="link-notice">
                <span class="link-banner-text">
                    {move || notes.with(|n| n.as_ref().map(|n| n.message.clone()))}
                </span>
                <Show when=move || notes.with(|n| n.as_ref().is_some_and(|n| n.can_restore))>
                    <button type="button" data-testid="restore-previous" on:click=restore>
                        "Restore previous diagram"
                    </button>
                </Show>
                <button type="button" class="link-banner-close" aria-label="Dismiss"
                    data-testid="link-notice-dismiss" on:click=move |_| notes.set(None)>"×"</button>
            </div>
        </Show>
    }
}
