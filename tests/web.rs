//! The app shell in a real browser: mounts `App` the way `src/main.rs` does and looks for what a
//! person (and the later e2e journeys) rely on.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use pattern_playground::{crash, document, hook, App};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh `App` into its own container, so tests sharing the page do not see each
/// other's copies.
fn mount_app() -> HtmlElement {
    // Each test starts from a first visit: no work saved in this browser.
    storage().clear().unwrap();
    mount_without_clearing()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn by_testid(root: &HtmlElement, id: &str) -> HtmlElement {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
        .unchecked_into()
}

fn playground_field(name: &str) -> JsValue {
    let window = web_sys::window().unwrap();
    let object = js_sys::Reflect::get(&window, &hook::PROPERTY.into()).unwrap();
    js_sys::Reflect::get(&object, &name.into()).unwrap()
}

#[wasm_bindgen_test]
fn shell_has_every_panel() {
    let app = mount_app();
    for id in ["header", "palette", "canvas", "inspector", "run-bar"] {
        by_testid(&app, id);
    }
    let header = by_testid(&app, "header").text_content().unwrap();
    assert!(header.contains("Pattern Playground"), "header: {header}");
}

#[wasm_bindgen_test]
fn palette_is_a_labelled_aside_with_every_group() {
    let app = mount_app();
    let palette = by_testid(&app, "palette");
    assert_eq!(palette.tag_name(), "ASIDE");
    assert_eq!(
        palette.get_attribute("aria-label").as_deref(),
        Some("Components")
    );
    let headings = palette.query_selector_all("h3").unwrap();
    let names: Vec<String> = (0..headings.length())
        .map(|i| headings.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Traffic", "Routing", "Compute", "Data", "Messaging"]
    );
    // Every kind the engine supports has an entry: its name as text, and an icon that
    // assistive technology skips.
    for kind in pattern_engine::components::Kind::ALL {
        let entry = by_testid(&palette, &format!("palette-{}", kind.name()));
        assert_eq!(entry.text_content().unwrap().trim(), kind.title());
        let icon = entry
            .query_selector("svg")
            .unwrap()
            .unwrap_or_else(|| panic!("{} has an icon", kind.name()));
        assert_eq!(icon.get_attribute("aria-hidden").as_deref(), Some("true"));
        assert_eq!(
            icon.get_attribute("data-icon").as_deref(),
            Some(kind.name())
        );
        assert!(
            icon.child_element_count() > 0,
            "{} icon draws something",
            kind.name()
        );
    }
}

#[wasm_bindgen_test]
fn inspector_says_what_to_do_when_nothing_is_selected() {
    let app = mount_app();
    let text = by_testid(&app, "inspector").text_content().unwrap();
    assert!(
        text.contains("Select a node or an edge to edit it"),
        "inspector: {text}"
    );
}

#[wasm_bindgen_test]
fn mounting_publishes_the_version_and_the_default_scenario() {
    mount_app();
    assert_eq!(
        playground_field("version").as_string().as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    // The scenario is the JSON text the command-line tool reads: it reads back as the default.
    let text = playground_field("scenario")
        .as_string()
        .expect("a scenario");
    let scenario = pattern_engine::scenario::from_json(&text).expect("the tool could read it");
    assert_eq!(scenario, document::default_scenario());
    assert!(playground_field("summary").is_null(), "no run has finished");
}

#[wasm_bindgen_test]
fn the_canvas_draws_every_node_and_edge_of_the_default_scenario() {
    let app = mount_app();
    let canvas = by_testid(&app, "canvas");
    let scenario = document::default_scenario();
    for node in &scenario.nodes {
        let drawn = by_testid(&canvas, &format!("node-{}", node.id));
        assert_eq!(
            drawn.get_attribute("data-kind").as_deref(),
            Some(node.component.kind().name())
        );
        let text = drawn.text_content().unwrap();
        assert!(
            text.contains(&node.label),
            "{} shows its label: {text}",
            node.id
        );
    }
    for edge in &scenario.edges {
        let drawn = by_testid(&canvas, &format!("edge-{}-{}", edge.from, edge.to));
        let text = drawn.text_content().unwrap();
        assert_eq!(text, format!("{} ms", edge.latency_ms));
    }
    let caption = canvas.text_content().unwrap();
    assert!(
        caption.contains("Reference architecture · 11 components"),
        "{caption}"
    );
}

#[wasm_bindgen_test]
fn the_hook_changes_only_through_publish() {
    hook::publish(Some("{\"nodes\":[]}"), Some("{\"completed\":0}"));
    assert_eq!(
        playground_field("scenario").as_string().as_deref(),
        Some("{\"nodes\":[]}")
    );
    assert_eq!(
        playground_field("summary").as_string().as_deref(),
        Some("{\"completed\":0}")
    );

    // A page script can neither edit the object nor replace it.
    let window = web_sys::window().unwrap();
    let object = js_sys::Reflect::get(&window, &hook::PROPERTY.into()).unwrap();
    assert!(!js_sys::Reflect::set(&object, &"summary".into(), &JsValue::NULL).unwrap());
    assert!(!js_sys::Reflect::set(&window, &hook::PROPERTY.into(), &JsValue::NULL).unwrap());
    assert_eq!(
        playground_field("summary").as_string().as_deref(),
        Some("{\"completed\":0}")
    );

    hook::publish(None, None);
    assert!(playground_field("scenario").is_null());
}

#[wasm_bindgen_test]
fn crash_banner_appears_once_and_offers_a_reload() {
    crash::show_banner();
    crash::show_banner();
    let banners = document()
        .query_selector_all("[data-testid='crash-banner']")
        .unwrap();
    assert_eq!(banners.length(), 1);
    let banner: HtmlElement = banners.item(0).unwrap().unchecked_into();
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap();
    assert!(
        text.contains("Something broke; your work is saved"),
        "banner: {text}"
    );
    assert!(banner.query_selector("button").unwrap().is_some());
    banner.remove();
}

fn click(root: &HtmlElement, id: &str) {
    by_testid(root, id).click();
}

fn node_ids(app: &HtmlElement) -> Vec<String> {
    let nodes = app.query_selector_all("[data-testid^='node-']").unwrap();
    (0..nodes.length())
        .map(|i| {
            let el: web_sys::Element = nodes.item(i).unwrap().unchecked_into();
            el.get_attribute("data-testid").unwrap()
        })
        .collect()
}

fn saved() -> pattern_engine::Scenario {
    let text = storage()
        .get_item(pattern_playground::state::autosave::KEY)
        .unwrap()
        .expect("saved");
    pattern_engine::scenario::from_json(&text).unwrap()
}

#[wasm_bindgen_test]
async fn palette_entries_add_components_and_undo_redo_take_them_back() {
    let app = mount_app();
    let before = node_ids(&app).len();
    click(&app, "palette-cache");
    click(&app, "palette-cache");
    leptos::task::tick().await;
    let ids = node_ids(&app);
    assert_eq!(ids.len(), before + 2);
    assert!(ids.contains(&"node-cache_1".to_string()) && ids.contains(&"node-cache_2".to_string()));
    assert_eq!(
        saved().nodes.len(),
        before + 2,
        "the work is saved as it changes"
    );

    click(&app, "undo");
    leptos::task::tick().await;
    assert_eq!(node_ids(&app).len(), before + 1);
    click(&app, "redo");
    leptos::task::tick().await;
    assert_eq!(node_ids(&app).len(), before + 2);
    assert!(
        by_testid(&app, "redo").has_attribute("disabled"),
        "nothing left to redo"
    );
}

#[wasm_bindgen_test]
async fn saved_work_is_restored_and_unreadable_work_is_kept_aside_with_a_message() {
    let mut scenario = document::default_scenario();
    scenario.nodes.truncate(3);
    scenario.edges.clear();
    storage().clear().unwrap();
    storage()
        .set_item(
            pattern_playground::state::autosave::KEY,
            &scenario.to_json(),
        )
        .unwrap();
    let container = mount_without_clearing();
    leptos::task::tick().await;
    assert_eq!(node_ids(&container).len(), 3);

    storage()
        .set_item(pattern_playground::state::autosave::KEY, "{ not json")
        .unwrap();
    let container = mount_without_clearing();
    leptos::task::tick().await;
    let notice = by_testid(&container, "notice").text_content().unwrap();
    assert!(notice.contains("could not be read"), "{notice}");
    assert_eq!(
        node_ids(&container).len(),
        document::default_scenario().nodes.len()
    );
    assert_eq!(
        storage()
            .get_item(pattern_playground::state::autosave::SET_ASIDE_KEY)
            .unwrap()
            .as_deref(),
        Some("{ not json"),
        "the unreadable copy is not lost"
    );
}

/// Mounts a fresh `App` on whatever this browser has saved.
fn mount_without_clearing() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    // Keep the app mounted for the rest of the page's life; unmounting is not under test.
    std::mem::forget(mount_to(container.clone(), App));
    container
}
