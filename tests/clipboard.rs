//! Copy, cut and paste from the keyboard on the mounted app: Ctrl+C copies the selected nodes
//! (and the edges among them), Ctrl+V pastes them one grid step further each time with fresh
//! ids and selects them, as one undoable change; Ctrl+X cuts.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use pattern_playground::state::autosave;
use pattern_playground::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn mount_app() -> HtmlElement {
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let document = window().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    std::mem::forget(mount_to(root.clone(), App));
    root
}

/// Presses Ctrl + `key` on the page, as the keyboard would.
fn press_ctrl(key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    window().dispatch_event(&event).unwrap();
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

fn node(root: &HtmlElement, id: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!("[data-testid='node-{id}']"))
        .unwrap()
}

fn selected(root: &HtmlElement) -> Vec<String> {
    let list = root.query_selector_all(".node.selected").unwrap();
    (0..list.length())
        .map(|i| {
            let el: web_sys::Element = list.item(i).unwrap().unchecked_into();
            el.get_attribute("data-testid").unwrap()
        })
        .collect()
}

fn saved() -> pattern_engine::Scenario {
    let storage = window().local_storage().unwrap().unwrap();
    pattern_engine::scenario::from_json(&storage.get_item(autosave::KEY).unwrap().unwrap()).unwrap()
}

/// Selects a node by focusing it, as Tab does.
fn select(root: &HtmlElement, id: &str) {
    let el: HtmlElement = node(root, id).unwrap().unchecked_into();
    el.focus().unwrap();
}

#[wasm_bindgen_test]
async fn copy_and_paste_twice_then_undo_and_cut() {
    let root = mount_app();
    settle().await;
    // Focusing a node selects it, as Tab does.
    select(&root, "service_b");
    settle().await;
    assert_eq!(selected(&root), ["node-service_b"]);

    press_ctrl("c");
    press_ctrl("v");
    settle().await;
    assert!(node(&root, "service_1").is_some());
    assert_eq!(selected(&root), ["node-service_1"], "the paste is selected");
    press_ctrl("v");
    settle().await;
    assert_eq!(selected(&root), ["node-service_2"]);

    let doc = saved();
    let x = |id: &str| doc.node(id).unwrap().x;
    assert_eq!(x("service_1") - x("service_b"), 20.0);
    assert_eq!(
        x("service_2") - x("service_b"),
        40.0,
        "each paste one step further"
    );
    assert_eq!(
        doc.node("service_2").unwrap().component,
        doc.node("service_b").unwrap().component
    );

    press_ctrl("z");
    settle().await;
    assert!(
        node(&root, "service_2").is_none(),
        "a paste is one undo step"
    );
    assert!(node(&root, "service_1").is_some());

    select(&root, "service_1");
    settle().await;
    press_ctrl("x");
    settle().await;
    assert!(node(&root, "service_1").is_none(), "cut removes it");
    press_ctrl("v");
    settle().await;
    assert!(
        node(&root, "service_1").is_some(),
        "and paste brings a copy back"
    );
}
