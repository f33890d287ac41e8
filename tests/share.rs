//! Opening share links in a real browser: a bad link changes nothing and says why; a good one
//! replaces the document and keeps the previous one restorable.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use pattern_engine::link;
use pattern_playground::share::open::{open_link, restore_previous, PREVIOUS_KEY};
use pattern_playground::state::{autosave, Editor};
use pattern_playground::{document, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// An editor on the default scenario, with that scenario autosaved, as after a visit.
fn editor_with_saved_work() -> Editor {
    storage().clear().unwrap();
    let editor = Editor::new(document::default_scenario());
    editor.doc.with_untracked(autosave::save).unwrap();
    editor
}

fn saved() -> Option<String> {
    storage().get_item(autosave::KEY).unwrap()
}

/// A shipped example, as the gallery fetches it.
fn example(file: &str) -> pattern_engine::Scenario {
    let text = match file {
        "mm1" => include_str!("../public/scenarios/validation/mm1.json"),
        "jackson" => include_str!("../public/scenarios/validation/jackson.json"),
        other => panic!("no example {other} in this test"),
    };
    pattern_engine::scenario::from_json(text).unwrap()
}

fn good_link() -> String {
    link::encode(&example("mm1"), None)
}

/// A bad link leaves the document and the autosave as they were, and says what is wrong.
fn assert_refused(text: &str, names: &str) {
    let owner = Owner::new();
    owner.with(|| {
        let editor = editor_with_saved_work();
        let before_doc = editor.doc.get_untracked();
        let before_saved = saved();
        let note = open_link(editor, None, text);
        assert!(!note.can_restore);
        assert!(note.message.contains(names), "{text}: {}", note.message);
        assert!(
            note.message.contains("current diagram was kept"),
            "{}",
            note.message
        );
        assert_eq!(editor.doc.get_untracked(), before_doc);
        assert_eq!(saved(), before_saved);
        assert!(!editor.can_undo.get_untracked());
        assert_eq!(storage().get_item(PREVIOUS_KEY).unwrap(), None);
    });
}

#[wasm_bindgen_test]
fn a_corrupt_link_changes_nothing_and_says_so() {
    let good = good_link();
    let corrupt = format!("{}!{}", &good[..10], &good[11..]);
    assert_refused(&corrupt, "character");
}

#[wasm_bindgen_test]
fn a_truncated_link_changes_nothing_and_says_so() {
    let good = good_link();
    let cut = &good[..good.len() / 2];
    let message = link::decode(cut).unwrap_err().to_string();
    assert_refused(cut, &message);
}

#[wasm_bindgen_test]
fn a_link_from_a_future_version_changes_nothing_and_says_so() {
    let good = good_link();
    let future = format!("9{}", &good[1..]);
    assert_refused(&future, "newer");
}

#[wasm_bindgen_test]
fn a_good_link_replaces_the_document_and_keeps_the_previous_one() {
    let owner = Owner::new();
    owner.with(|| {
        let editor = editor_with_saved_work();
        let previous = editor.doc.get_untracked();
        let note = open_link(editor, None, &good_link());
        assert!(note.can_restore, "{}", note.message);
        assert!(note.message.contains("M/M/1 queue"), "{}", note.message);
        assert_eq!(editor.doc.get_untracked(), example("mm1"));
        // The work from before is stored aside, and one undo step away too.
        assert!(editor.can_undo.get_untracked());
        restore_previous(editor).unwrap();
        assert_eq!(editor.doc.get_untracked(), previous);
        assert_eq!(storage().get_item(PREVIOUS_KEY).unwrap(), None);
    });
}

/// The whole app, opened with a damaged link in the address bar: the saved diagram shows,
/// with a message; the fragment is cleared.
#[wasm_bindgen_test]
async fn the_app_opened_with_a_bad_link_keeps_the_saved_diagram() {
    storage().clear().unwrap();
    let mut saved_doc = example("jackson");
    saved_doc.name = "My saved work".into();
    autosave::save(&saved_doc).unwrap();
    let window = web_sys::window().unwrap();
    window.location().set_hash("1.AAAA!").unwrap();

    let container: HtmlElement = window
        .document()
        .unwrap()
        .create_element("div")
        .unwrap()
        .unchecked_into();
    window
        .document()
        .unwrap()
        .body()
        .unwrap()
        .append_child(&container)
        .unwrap();
    let handle = mount_to(container.clone(), App);
    leptos::task::tick().await;

    let banner = container
        .query_selector("[data-testid='link-notice']")
        .unwrap()
        .expect("a banner says what happened")
        .text_content()
        .unwrap();
    assert!(banner.contains("could not be opened"), "{banner}");
    assert!(banner.contains("current diagram was kept"), "{banner}");
    assert_eq!(saved(), Some(saved_doc.to_compact_json()));
    let caption = container
        .query_selector(".canvas-caption")
        .unwrap()
        .unwrap();
    assert!(caption.text_content().unwrap().contains("My saved work"));
    assert_eq!(window.location().hash().unwrap(), "");
    drop(handle);
}
