//! What the app saves opens again: Export and the autosave stay within the 1 MiB limit that
//! Import, the saved copy and links apply (laid out when that fits, compact when only that
//! does, nothing when neither does, with the reason), and an edit that would make the diagram
//! too large to save even compact is refused, naming the limit.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use pattern_engine::components::service::ServiceConfig;
use pattern_engine::components::{Component, Kind};
use pattern_engine::distributions::Duration;
use pattern_engine::scenario::{from_json, Scenario, MAX_TEXT_BYTES};
use pattern_playground::document;
use pattern_playground::share::files::{export_text, read_scenario};
use pattern_playground::state::autosave::{self, Restored};
use pattern_playground::state::{ops, Editor};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A client and `services` services, each with a measured profile of 10,000 times (the most a
/// profile may list): laid out, every time is a line of its own.
fn profiled(services: usize) -> Scenario {
    let mut s = document::empty_scenario();
    s.name = "Profiled".into();
    ops::add_node(&mut s, Kind::Client, 0.0, 0.0).unwrap();
    for i in 0..services {
        let id = ops::add_node(&mut s, Kind::Service, 220.0, 140.0 * i as f64).unwrap();
        let samples_ms = (0..10_000)
            .map(|j| 1.0 + (i * 10_000 + j) as f64 / 1000.0)
            .collect();
        s.nodes.last_mut().unwrap().component = Component::Service(ServiceConfig {
            service_time: Duration::Empirical { samples_ms },
            ..ServiceConfig::default()
        });
        if i == 0 {
            ops::connect(&mut s, "client_1", &id).unwrap();
        }
    }
    s
}

fn all_ids(s: &Scenario) -> Vec<String> {
    s.nodes.iter().map(|n| n.id.clone()).collect()
}

#[wasm_bindgen_test]
fn a_diagram_too_large_laid_out_is_exported_and_autosaved_compact_and_opens_again() {
    let s = profiled(12);
    assert!(
        s.to_json().len() > MAX_TEXT_BYTES,
        "the premise: too large laid out"
    );

    let exported = export_text(&s).unwrap();
    assert!(exported.len() <= MAX_TEXT_BYTES, "{}", exported.len());
    assert!(!exported.contains('\n'), "written compact");
    assert_eq!(from_json(&exported).unwrap(), s, "the export imports again");

    storage().clear().unwrap();
    autosave::save(&s).unwrap();
    let saved = storage().get_item(autosave::KEY).unwrap().unwrap();
    assert!(saved.len() <= MAX_TEXT_BYTES);
    match autosave::restore() {
        Restored::Scenario(restored) => assert_eq!(restored, s),
        _ => panic!("the saved copy did not open again"),
    }

    // A diagram that fits laid out is exported laid out, as before; the autosave is compact.
    let small = document::default_scenario();
    assert_eq!(export_text(&small).unwrap(), small.to_json());
    autosave::save(&small).unwrap();
    let saved = storage().get_item(autosave::KEY).unwrap().unwrap();
    assert_eq!(saved, small.to_compact_json());
    assert_eq!(from_json(&saved).unwrap(), small);
}

#[wasm_bindgen_test]
fn a_diagram_too_large_even_compact_is_not_saved_and_the_reason_names_the_limit() {
    storage().clear().unwrap();
    let small = document::default_scenario();
    autosave::save(&small).unwrap();
    let huge = profiled(20);
    let bytes = huge.to_compact_json().len();
    assert!(
        bytes > MAX_TEXT_BYTES,
        "the premise: too large even compact"
    );

    let not_saved = autosave::save(&huge).unwrap_err();
    assert!(
        not_saved.contains("not being saved")
            && not_saved.contains(&format!("{bytes} bytes"))
            && not_saved.contains("limit of 1048576 bytes (1 MiB)"),
        "{not_saved}"
    );
    let saved = storage().get_item(autosave::KEY).unwrap().unwrap();
    assert_eq!(
        from_json(&saved).unwrap(),
        small,
        "the copy saved before is kept"
    );

    let not_exported = export_text(&huge).unwrap_err();
    assert!(
        not_exported.contains("limit of 1048576 bytes (1 MiB)"),
        "{not_exported}"
    );
}

#[wasm_bindgen_test]
fn an_edit_that_would_make_the_diagram_unsaveable_is_refused_and_changes_nothing() {
    let owner = Owner::new();
    owner.with(|| {
        let start = profiled(8);
        let twice = {
            let mut s = start.clone();
            ops::duplicate(&mut s, &all_ids(&start)).unwrap();
            s.to_compact_json().len()
        };
        assert!(
            start.to_compact_json().len() <= MAX_TEXT_BYTES && twice > MAX_TEXT_BYTES,
            "the premise: one copy fits, two do not"
        );
        let editor = Editor::new(start.clone());

        // Copy everything and paste it: refused, with the limit named.
        editor.selection.set(all_ids(&start));
        assert!(editor.copy());
        assert!(!editor.paste(), "the paste is refused");
        let notice = editor.notice.get_untracked().unwrap_or_default();
        assert!(
            notice.contains("could no longer be saved")
                && notice.contains("limit of 1048576 bytes (1 MiB)"),
            "{notice}"
        );
        assert_eq!(editor.doc.get_untracked(), start, "nothing changed");
        assert!(!editor.can_undo.get_untracked(), "no undo step either");

        // Duplicate is refused alike.
        let ids = all_ids(&start);
        assert!(editor.apply(|doc| ops::duplicate(doc, &ids)).is_none());
        assert_eq!(editor.doc.get_untracked(), start);

        // A small paste still works.
        editor.selection.set(vec!["client_1".to_string()]);
        assert!(editor.copy());
        assert!(editor.paste());
        assert!(editor.doc.with_untracked(|s| s.node("client_2").is_some()));
    });
}

#[wasm_bindgen_test]
fn a_diagram_opened_too_large_to_save_can_be_made_smaller() {
    let owner = Owner::new();
    owner.with(|| {
        let editor = Editor::new(document::default_scenario());
        let huge = profiled(20);
        // Opening a whole document is not refused (the autosave says it is not saved) ...
        editor.replace(huge.clone());
        assert_eq!(editor.doc.get_untracked(), huge);
        // ... and deleting from it is allowed, though it is still too large ...
        editor.apply(|doc| {
            ops::delete(doc, &["service_20".to_string()], &[]);
            Ok(())
        });
        assert!(editor
            .doc
            .with_untracked(|s| s.node("service_20").is_none()));
        // ... but making it larger is not.
        assert!(editor
            .apply(|doc| ops::add_node(doc, Kind::Cache, 0.0, 0.0))
            .is_none());
        let mut smaller = editor.doc.get_untracked();
        let ids: Vec<String> = (2..=19).map(|i| format!("service_{i}")).collect();
        ops::delete(&mut smaller, &ids, &[]);
        assert!(smaller.check_saveable().is_ok());
    });
}

/// A file named `name` holding `bytes`, as the file picker gives it.
fn file(bytes: &[u8], name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap()
}

#[wasm_bindgen_test]
async fn an_exported_file_imports_again_and_import_measures_the_text_it_parses() {
    let s = profiled(12);
    let exported = export_text(&s).unwrap();
    let opened = read_scenario(&file(exported.as_bytes(), "profiled.json")).await;
    assert_eq!(opened.unwrap(), s, "Export, then Import: the same diagram");

    // Over the limit: refused unread, with the parser's words.
    let over = vec![b' '; MAX_TEXT_BYTES + 4];
    let refusal = read_scenario(&file(&over, "over.json")).await.unwrap_err();
    assert_eq!(
        refusal,
        format!(
            "the scenario is {} bytes; the limit is {MAX_TEXT_BYTES} bytes",
            MAX_TEXT_BYTES + 4
        )
    );

    // A byte-order mark is not part of the text: a file of the limit and a mark is read, and
    // its text (the limit exactly) is parsed.
    let mut marked = vec![0xef, 0xbb, 0xbf];
    marked.extend(vec![b' '; MAX_TEXT_BYTES]);
    let parsed = read_scenario(&file(&marked, "marked.json"))
        .await
        .unwrap_err();
    assert!(parsed.starts_with("not JSON"), "{parsed}");
    let mut marked = vec![0xef, 0xbb, 0xbf];
    marked.extend(small_text().as_bytes());
    assert!(read_scenario(&file(&marked, "small.json")).await.is_ok());
}

fn small_text() -> String {
    document::default_scenario().to_json()
}
