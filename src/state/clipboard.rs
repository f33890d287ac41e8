//! The in-app clipboard: Copy keeps a fragment of the diagram (the copied nodes and the edges
//! among them, see [`ops::copy`]); each Paste drops it one grid step further along, so pasting
//! repeatedly fans the copies out instead of stacking them on one spot.
//!
//! The fragment's JSON is also offered to the system clipboard, where the browser allows it;
//! that is a convenience only, so a refusal is ignored.

use pattern_engine::Scenario;

use super::ops;
use crate::diagram::geometry::GRID;

/// What was last copied, and how many times it has been pasted since.
#[derive(Clone, Debug, Default)]
pub struct Clipboard {
    fragment: Option<Scenario>,
    pasted: u32,
}

impl Clipboard {
    /// Keeps the nodes `ids` of `s` (with the edges among them); false if there is none.
    pub fn copy(&mut self, s: &Scenario, ids: &[String]) -> bool {
        let fragment = ops::copy(s, ids);
        if fragment.nodes.is_empty() {
            return false;
        }
        offer_to_system_clipboard(&fragment.to_json());
        self.fragment = Some(fragment);
        self.pasted = 0;
        true
    }

    /// The fragment and where the next paste puts it (one grid step past the last), if
    /// anything was copied.
    pub fn next_paste(&self) -> Option<(&Scenario, (f64, f64))> {
        let step = GRID * f64::from(self.pasted + 1);
        self.fragment.as_ref().map(|f| (f, (step, step)))
    }

    /// Records that the fragment was pasted once more.
    pub fn pasted(&mut self) {
        self.pasted += 1;
    }
}

/// Writes `text` to the system clipboard if the browser offers the asynchronous clipboard API,
/// quietly: without permission or focus the browser refuses, and the in-app copy still works.
fn offer_to_system_clipboard(text: &str) {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &name.into()).ok();
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(clipboard) = get(&window, "navigator")
        .and_then(|n| get(&n, "clipboard"))
        .filter(|c| c.is_object())
    else {
        return;
    };
    let Some(write) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return;
    };
    // A refusal must not surface as an unhandled rejection on the console.
    if let Some(catch) = get(&promise, "catch").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = catch.call1(&promise, &Closure::once_into_js(|_: JsValue| {}));
    }
}
