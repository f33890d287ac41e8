//! Keeping the user's work across reloads: the document is saved to localStorage as it
//! changes and restored on the next visit. A saved document that cannot be read is kept aside
//! (never overwritten) and the user is told; a full quota is reported, not ignored.

use pattern_engine::scenario::{from_json, Scenario};

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

/// Saves the document; an error says why it could not be saved (a full quota, storage off).
pub fn save(scenario: &Scenario) -> Result<(), String> {
    let storage = storage().ok_or("this browser does not let the page save your work")?;
    storage.set_item(KEY, &scenario.to_json()).map_err(|_| {
        "your work could not be saved: the browser's storage for this page is full".to_string()
    })
}
