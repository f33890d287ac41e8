//! Keeping the user's work across reloads: the document is saved to localStorage as it
//! changes and restored on the next visit. A saved document that cannot be read is kept aside
//! (never overwritten) and the user is told; a full quota is reported, not ignored.
//!
//! The saved copy is compact JSON (no indents: nobody reads it, and it is the smallest text
//! [`from_json`] opens), and a document whose compact JSON is over
//! [`pattern_engine::scenario::MAX_TEXT_BYTES`] is not saved at all, since it would be refused
//! on the next visit: the copy saved before stays, and the user is told why.

use pattern_engine::scenario::{from_json, Scenario, TooLargeToSave};

/// Where the current document is kept.
pub const KEY: &str = "pattern-playground/autosave/v1";
/// Where an unreadable saved document is moved, so it is not lost.
pub const SET_ASIDE_KEY: &str = "pattern-playground/autosave/unreadable";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What was found on opening.
pub enum Restored {
    /// Nothing saved yet (a first visit).
    Nothing,
    /// The saved document.
    Scenario(Scenario),
    /// A saved document that cannot be read; it was set aside. The message says why.
    Unreadable(String),
}

/// Reads the saved document.
pub fn restore() -> Restored {
    let Some(storage) = storage() else {
        return Restored::Nothing;
    };
    let Ok(Some(text)) = storage.get_item(KEY) else {
        return Restored::Nothing;
    };
    match from_json(&text) {
        Ok(scenario) => Restored::Scenario(scenario),
        Err(e) => {
            let kept = storage.set_item(SET_ASIDE_KEY, &text).is_ok();
            let _ = storage.remove_item(KEY);
            let where_ = if kept {
                format!(" It is kept in localStorage under \"{SET_ASIDE_KEY}\".")
            } else {
                String::new()
            };
            Restored::Unreadable(format!(
                "Your saved diagram could not be read ({e}), so the default opened instead.{where_}"
            ))
        }
    }
}

/// The text the browser keeps for `scenario`: its compact JSON, if that opens again.
pub fn saved_text(scenario: &Scenario) -> Result<String, TooLargeToSave> {
    let text = scenario.to_compact_json();
    TooLargeToSave::check(text.len())?;
    Ok(text)
}

/// Saves the document; an error says why it could not be saved (too large to open again, a
/// full quota, storage off). The document in memory is untouched either way: only the saved
/// copy falls behind.
pub fn save(scenario: &Scenario) -> Result<(), String> {
    let text = saved_text(scenario).map_err(|too_large| {
        format!(
            "Your work is not being saved: the diagram is {too_large}. Until it is smaller, a \
             reload loses the latest changes."
        )
    })?;
    let storage = storage().ok_or("this browser does not let the page save your work")?;
    storage
        .set_item(KEY, &text)
        .map_err(|error| why_not_saved(&error))
}

/// Says why `setItem` threw, in words: a full quota is the common case and has a remedy.
fn why_not_saved(error: &wasm_bindgen::JsValue) -> String {
    let name = js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    // Firefox once named the same condition NS_ERROR_DOM_QUOTA_REACHED.
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        "Your work is not being saved: this browser's storage for the page is full (quota \
         exceeded). Until there is room, a reload loses the latest changes."
            .to_string()
    } else {
        let reason = if name.is_empty() {
            "an unknown error"
        } else {
            &name
        };
        format!(
            "Your work is not being saved: the browser refused to store it ({reason}). Until \
             then, a reload loses the latest changes."
        )
    }
}
