//! Autosave when the browser will not store any more: the user is told, in words that name the
//! problem, and the diagram in memory keeps working. The storage is made to refuse the way a
//! full one does, by throwing a `QuotaExceededError` from `Storage.prototype.setItem`.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use pattern_playground::{document, App};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn storage_prototype() -> JsValue {
    let window = web_sys::window().unwrap();
    let class = js_sys::Reflect::get(&window, &"Storage".into()).unwrap();
    js_sys::Reflect::get(&class, &"prototype".into()).unwrap()
}

/// Makes every `setItem` throw as a full storage does; returns the real one, to put back.
fn fill_the_quota() -> JsValue {
    let prototype = storage_prototype();
    let real = js_sys::Reflect::get(&prototype, &"setItem".into()).unwrap();
    let full = js_sys::Function::new_with_args(
        "key, value",
        "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');",
    );
    js_sys::Reflect::set(&prototype, &"setItem".into(), &full).unwrap();
    real
}

fn restore_set_item(real: &JsValue) {
    js_sys::Reflect::set(&storage_prototype(), &"setItem".into(), real).unwrap();
}

fn by_testid(root: &HtmlElement, id: &str) -> Option<HtmlElement> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

#[wasm_bindgen_test]
async fn a_full_quota_is_reported_and_the_diagram_keeps_working() {
    storage().clear().unwrap();
    let root: HtmlElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap()
        .unchecked_into();
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap()
        .append_child(&root)
        .unwrap();
    std::mem::forget(mount_to(root.clone(), App));
    settle().await;

    let real = fill_the_quota();
    by_testid(&root, "palette-cache").unwrap().click();
    settle().await;
    let notice = by_testid(&root, "notice").unwrap().text_content().unwrap();
    let added = by_testid(&root, "node-cache_1").is_some();
    // Undo still works on the document in memory while nothing can be saved.
    by_testid(&root, "undo").unwrap().click();
    settle().await;
    let undone = by_testid(&root, "node-cache_1").is_none();
    let saved = storage()
        .get_item(pattern_playground::state::autosave::KEY)
        .unwrap();
    restore_set_item(&real);

    assert!(
        notice.contains("not being saved") && notice.contains("storage") && notice.contains("full"),
        "the notice names the problem: {notice}"
    );
    assert!(
        added,
        "the new component is on the canvas even though it was not saved"
    );
    assert!(undone, "undo works while saving fails");
    let saved = pattern_engine::scenario::from_json(&saved.expect("the first visit was saved"));
    assert!(
        saved.unwrap().node("cache_1").is_none(),
        "the refused save wrote nothing"
    );
    let header = by_testid(&root, "header").unwrap().text_content().unwrap();
    assert!(
        header.contains("Pattern Playground"),
        "the page is not blank"
    );
    assert_eq!(
        root.query_selector_all("[data-testid^='node-']")
            .unwrap()
            .length() as usize,
        document::default_scenario().nodes.len()
    );
}
