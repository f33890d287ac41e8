//! Opening a shipped example: from the gallery, and from a link `#example=<name>`. The files
//! are fetched ([`super::gallery::shelf`]); only their index is compiled in
//! ([`super::gallery::index`]), and the default scenario, which is the first document
//! (`crate::document`).
//!
//! Opening an example is opening a link: the current work is saved first, kept for "Restore
//! previous diagram", and replaced in one undo step; a file that does not open changes
//! nothing, and the banner says why.

use leptos::prelude::*;

use super::gallery::index::{self, Entry};
use super::gallery::shelf::Shelf;
use super::open::{previous_kept, replace_keeping_previous, LinkNote, LinkNotes};
use crate::document;
use crate::live::Live;
use crate::state::{autosave, Editor};

/// What a fragment that opens an example starts with: `#example=goodput-collapse`.
pub const FRAGMENT_FIELD: &str = "example=";

/// The most of an unknown name the banner repeats: a link may hold anything.
const SHOWN_CHARS: usize = 40;

/// Opens the compiled-in reference architecture (the empty canvas's button), having saved the
/// current document first; one undo step.
pub fn open_reference(editor: Editor) {
    let _ = editor.doc.with_untracked(autosave::save);
    editor.replace(document::default_scenario());
}

/// Opens the example `name` from a link's `example` field; an unknown name changes nothing
/// and the banner names the field and the name.
pub fn open_named(editor: Editor, live: Option<Live>, notes: LinkNotes, shelf: Shelf, name: &str) {
    match index::entry(name) {
        Some(entry) => open_entry(editor, live, notes, shelf, entry),
        None => notes.0.set(Some(unknown_name(name))),
    }
}

/// What the banner says of a link whose `example` field names no example.
pub fn unknown_name(name: &str) -> LinkNote {
    let (shown, more) = match name.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => (&name[..cut], "…"),
        None => (name, ""),
    };
    LinkNote {
        message: format!(
            "This link's `example` field names no example (\u{201c}{shown}{more}\u{201d}); \
             the Examples gallery lists them. Your current diagram was kept."
        ),
        can_restore: false,
    }
}

/// Fetches `entry`'s file (or takes it from the shelf) and opens it; the banner says what
/// happened.
pub fn open_entry(
    editor: Editor,
    live: Option<Live>,
    notes: LinkNotes,
    shelf: Shelf,
    entry: Entry,
) {
    // The risky step comes after the current work is safely stored.
    let _ = editor.doc.with_untracked(autosave::save);
    leptos::task::spawn_local(async move {
        let note = match shelf.scenario(entry).await {
            Ok(scenario) => {
                let kept = replace_keeping_previous(editor, live, scenario);
                LinkNote {
                    message: format!(
                        "Opened the example \u{201c}{}\u{201d}. {}",
                        title(entry),
                        previous_kept(kept)
                    ),
                    can_restore: kept,
                }
            }
            Err(reason) => LinkNote {
                message: format!(
                    "The example \u{201c}{}\u{201d} could not be opened: {reason}. Your \
                     current diagram was kept.",
                    title(entry)
                ),
                can_restore: false,
            },
        };
        notes.0.set(Some(note));
    });
}

/// The entry's label with its half: "Goodput collapse, cured".
pub fn title(entry: Entry) -> String {
    match entry.half {
        index::Half::Cure => format!("{}, cured", entry.story.label),
        index::Half::Problem | index::Half::Only => entry.story.label.to_string(),
    }
}
