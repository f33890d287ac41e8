//! The Examples gallery in a real browser: its index, its search, its keyboard use, what it
//! says when a file cannot be fetched (the test runner serves no `scenarios/`), and links
//! `#example=<name>` whose name is unknown or hostile.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use pattern_engine::scenario::from_json;
use pattern_playground::share::examples::open_named;
use pattern_playground::share::gallery::index::{self, STORIES};
use pattern_playground::share::gallery::search::{matches, one_line};
use pattern_playground::share::gallery::shelf::Shelf;
use pattern_playground::share::gallery::thumbnail::sketch;
use pattern_playground::share::LinkNotes;
use pattern_playground::state::{autosave, Editor};
use pattern_playground::{document, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn storage() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

/// Waits `ms` milliseconds of browser time (fetches answer on their own schedule).
async fn wait(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn mount_app() -> HtmlElement {
    let root: HtmlElement = window()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap()
        .unchecked_into();
    window()
        .document()
        .unwrap()
        .body()
        .unwrap()
        .append_child(&root)
        .unwrap();
    std::mem::forget(mount_to(root.clone(), App));
    root
}

fn find(root: &HtmlElement, testid: &str) -> Option<HtmlElement> {
    root.query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// Whether the element `testid` is on screen (not inside anything hidden or closed).
fn shown(root: &HtmlElement, testid: &str) -> bool {
    find(root, testid).is_some_and(|e| e.offset_parent().is_some())
}

/// Whether the gallery's dialog is open.
fn gallery_open(root: &HtmlElement) -> bool {
    find(root, "gallery").is_some_and(|d| d.has_attribute("open"))
}

fn active_testid() -> Option<String> {
    window()
        .document()
        .unwrap()
        .active_element()
        .and_then(|e| e.get_attribute("data-testid"))
}

fn press(key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    window()
        .document()
        .unwrap()
        .active_element()
        .unwrap()
        .dispatch_event(&event)
        .unwrap();
}

/// Types `text` into the gallery's search field, as an `input` event.
async fn search_for(root: &HtmlElement, text: &str) {
    let search: HtmlInputElement = find(root, "gallery-search").unwrap().unchecked_into();
    search.set_value(text);
    search
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
fn a_tile_shows_the_first_sentence_of_the_first_line() {
    assert_eq!(
        one_line("One queue. Theory: W = 1/(mu - lambda)."),
        "One queue."
    );
    assert_eq!(
        one_line("  Utilisation 0.7 here\nSecond line. More."),
        "Utilisation 0.7 here"
    );
    assert_eq!(one_line(""), "");
    let mm1 = from_json(include_str!("../public/scenarios/validation/mm1.json")).unwrap();
    assert!(one_line(&mm1.description).ends_with("(utilisation 0.7)."));
}

#[wasm_bindgen_test]
fn search_keeps_stories_whose_label_group_or_description_has_every_word() {
    let story = |name| STORIES.iter().find(|s| s.name == name).unwrap();
    let pool = story("pool-exhaustion");
    assert!(matches(pool, &[], ""));
    assert!(matches(pool, &[], "BULKHEAD"));
    assert!(matches(pool, &[], "pool bulk"));
    assert!(!matches(pool, &[], "pool retries"));
    assert!(matches(
        pool,
        &["A slow database holds every worker."],
        "slow database"
    ));
    assert!(!matches(story("mm1"), &[], "deadline"));
    assert!(matches(story("mm1"), &[], "queueing"));
}

#[wasm_bindgen_test]
fn a_thumbnail_frames_every_node_and_draws_every_edge() {
    let jackson = from_json(include_str!("../public/scenarios/validation/jackson.json")).unwrap();
    let sketch = sketch(&jackson);
    assert_eq!(sketch.tiles.len(), jackson.nodes.len());
    assert_eq!(sketch.lines.len(), jackson.edges.len());
    let frame: Vec<f64> = sketch
        .view_box
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    for tile in &sketch.tiles {
        assert!(
            tile.x >= frame[0] && tile.x <= frame[0] + frame[2],
            "{tile:?} {frame:?}"
        );
        assert!(
            tile.y >= frame[1] && tile.y <= frame[1] + frame[3],
            "{tile:?} {frame:?}"
        );
    }
}

/// `#example=` with a name no example has, however hostile, changes nothing and names the
/// field; it never panics.
#[wasm_bindgen_test]
fn an_unknown_or_hostile_example_name_changes_nothing_and_names_the_field() {
    let long = "x".repeat(100_000);
    for name in [
        "nope",
        "",
        "../default",
        "mm1%00",
        "\u{202e}evil",
        "<script>",
        long.as_str(),
    ] {
        let owner = Owner::new();
        owner.with(|| {
            storage().clear().unwrap();
            let editor = Editor::new(document::default_scenario());
            editor.doc.with_untracked(autosave::save).unwrap();
            let before = editor.doc.get_untracked();
            let notes = LinkNotes(RwSignal::new(None));
            open_named(editor, None, notes, Shelf::new(), name);
            let note = notes.0.get_untracked().expect("the banner says why");
            assert!(note.message.contains("`example` field"), "{}", note.message);
            assert!(
                note.message.contains("current diagram was kept"),
                "{}",
                note.message
            );
            assert!(note.message.chars().count() < 300, "{}", note.message);
            assert!(!note.can_restore);
            assert_eq!(editor.doc.get_untracked(), before);
            assert!(!editor.can_undo.get_untracked());
        });
    }
    assert!(index::entry("goodput-collapse-cured").is_some());
}

/// The whole app: the gallery opens from the header with focus in its search field, lists
/// every entry, says which files could not be fetched, hides what a search leaves out, moves between
/// entries with the arrow keys and closes on Escape, giving focus back to its button.
#[wasm_bindgen_test]
async fn the_gallery_is_usable_from_the_keyboard_and_says_what_failed() {
    storage().clear().unwrap();
    let root = mount_app();
    leptos::task::tick().await;
    let button = find(&root, "examples").expect("the header has an Examples button");
    button.focus().unwrap();
    button.click();
    leptos::task::tick().await;
    assert!(gallery_open(&root), "the dialog opens");
    assert_eq!(active_testid().as_deref(), Some("gallery-search"));
    for entry in index::entries() {
        assert!(
            find(&root, &format!("example-{}", entry.name())).is_some(),
            "{} is listed",
            entry.name()
        );
    }

    // The test runner serves no scenarios: every tile says so, naming the file.
    wait(300).await;
    let mm1 = find(&root, "example-mm1").unwrap();
    assert_eq!(mm1.get_attribute("data-state").as_deref(), Some("failed"));
    let text = mm1.text_content().unwrap();
    assert!(
        text.contains("scenarios/validation/mm1.json") && text.contains("404"),
        "{text}"
    );

    search_for(&root, "bulkhead").await;
    assert!(shown(&root, "example-pool-exhaustion"));
    assert!(shown(&root, "example-pool-exhaustion-cured"));
    assert!(!shown(&root, "example-mm1"));
    search_for(&root, "no such thing").await;
    // Every story is hidden (the stylesheet, which this test page has not, then shows
    // `gallery-none`: the journey checks that).
    for entry in index::entries() {
        assert!(
            !shown(&root, &format!("example-{}", entry.name())),
            "{}",
            entry.name()
        );
    }
    search_for(&root, "").await;

    find(&root, "example-default").unwrap().focus().unwrap();
    press("ArrowDown");
    assert_eq!(active_testid().as_deref(), Some("example-goodput-collapse"));
    press("ArrowRight");
    assert_eq!(
        active_testid().as_deref(),
        Some("example-goodput-collapse-cured")
    );
    press("ArrowUp");
    assert_eq!(active_testid().as_deref(), Some("example-goodput-collapse"));
    press("End");
    assert_eq!(active_testid().as_deref(), Some("example-mm4"));
    press("Home");
    assert_eq!(active_testid().as_deref(), Some("example-default"));

    press("Escape");
    leptos::task::tick().await;
    assert!(!gallery_open(&root), "Escape closes the dialog");
    assert_eq!(active_testid().as_deref(), Some("examples"));
}

/// Opening an entry whose file cannot be fetched keeps the document and says why.
#[wasm_bindgen_test]
async fn an_example_that_cannot_be_fetched_changes_nothing() {
    let owner = Owner::new();
    let (editor, notes) = owner.with(|| {
        storage().clear().unwrap();
        let editor = Editor::new(document::default_scenario());
        let notes = LinkNotes(RwSignal::new(None));
        open_named(editor, None, notes, Shelf::new(), "goodput-collapse-cured");
        (editor, notes)
    });
    for _ in 0..40 {
        if notes.0.get_untracked().is_some() {
            break;
        }
        wait(50).await;
    }
    let note = notes
        .0
        .get_untracked()
        .expect("the banner says what happened");
    assert!(
        note.message.contains("Goodput collapse, cured")
            && note
                .message
                .contains("scenarios/patterns/goodput-collapse-cured.json")
            && note.message.contains("current diagram was kept"),
        "{}",
        note.message
    );
    assert_eq!(editor.doc.get_untracked(), document::default_scenario());
    assert!(!editor.can_undo.get_untracked());
}
