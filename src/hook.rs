//! `window.__playground`: a read-only window onto the app for browser tests and scripts.
//!
//! It holds `{ version, scenario, summary }`: the crate version, the current scenario as the JSON
//! string the command-line tool reads, and the last finished run's summary as the exact string
//! the command-line tool prints. The latter two are `null` until there is something to show.
//!
//! Read-only means: the object is frozen, and the `window` property is not writable, so a page
//! script cannot change what a test reads. Each [`publish`] swaps in a new frozen object.
//!
//! `summary` is a getter that makes its text on first read ([`publish_with`]): after a run of a
//! million requests the text is megabytes, and nobody should wait for it unless they read it.

use wasm_bindgen::prelude::*;

/// The name of the property on `window`.
pub const PROPERTY: &str = "__playground";

/// The app's version, as Cargo knows it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Makes the summary's text when it is first read.
pub type SummaryText = Box<dyn Fn() -> String>;

/// Replaces `window.__playground` with `{ version, scenario, summary }`; `None` becomes `null`.
pub fn publish(scenario: Option<&str>, summary: Option<&str>) {
    let summary = summary.map(|text| {
        let text = text.to_string();
        Box::new(move || text.clone()) as SummaryText
    });
    publish_with(scenario, summary);
}

/// Like [`publish`], with the summary made by `summary` on first read (then kept).
pub fn publish_with(scenario: Option<&str>, summary: Option<SummaryText>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let snapshot = js_sys::Object::new();
    set(&snapshot, "version", &JsValue::from_str(VERSION));
    set(&snapshot, "scenario", &nullable(scenario));
    match summary {
        Some(make) => define_getter(&snapshot, "summary", make),
        None => set(&snapshot, "summary", &JsValue::NULL),
    }
    js_sys::Object::freeze(&snapshot);

    // Configurable, so the next publish can redefine it; not writable, so nothing else can.
    let descriptor = js_sys::Object::new();
    set(&descriptor, "value", &snapshot);
    set(&descriptor, "writable", &JsValue::FALSE);
    set(&descriptor, "enumerable", &JsValue::TRUE);
    set(&descriptor, "configurable", &JsValue::TRUE);
    js_sys::Object::define_property(&window, &JsValue::from_str(PROPERTY), &descriptor);
}

/// Defines `key` on `target` as an enumerable getter returning `make()`, made once.
fn define_getter(target: &js_sys::Object, key: &str, make: SummaryText) {
    let mut made: Option<JsValue> = None;
    let getter = Closure::<dyn FnMut() -> JsValue>::new(move || {
        made.get_or_insert_with(|| JsValue::from_str(&make()))
            .clone()
    });
    let descriptor = js_sys::Object::new();
    // Owned by the JS function from here on: collected with the snapshot object.
    set(&descriptor, "get", &getter.into_js_value());
    set(&descriptor, "enumerable", &JsValue::TRUE);
    js_sys::Object::define_property(target, &JsValue::from_str(key), &descriptor);
}

fn nullable(text: Option<&str>) -> JsValue {
    text.map_or(JsValue::NULL, JsValue::from_str)
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a plain property on a fresh, unfrozen object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}
