//! The scenario as a file: export the JSON the command-line tool reads, import it back.
//!
//! What Export writes always imports again: laid-out JSON when that is within
//! [`MAX_TEXT_BYTES`], compact JSON when only that is ([`pattern_engine::Scenario::to_saved_json`]),
//! and nothing, with the reason, when even compact JSON is over the limit. Import applies the
//! limit to the text it parses.

use leptos::prelude::*;
use pattern_engine::scenario::{from_json, ParseError, MAX_TEXT_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url};

use crate::state::{autosave, Editor};

/// A file name made from a scenario's name: lowercase letters, digits and dashes only, so it
/// is valid on every system (`My API v2` gives `my-api-v2`).
pub fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "scenario".to_string()
    } else {
        stem.to_string()
    }
}

/// Makes the browser download `blob` as `file_name`.
pub fn download_blob(blob: &Blob, file_name: &str) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(blob).map_err(|_| "the browser refused")?;
    let anchor: HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the browser refused")?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The download has started from the URL; revoking it later frees the blob.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Makes the browser download `text` as `file_name`.
pub fn download_text(text: &str, mime: &str, file_name: &str) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused")?;
    download_blob(&blob, file_name)
}

/// The text Export writes for `scenario`, or why there is none: see the module doc.
pub fn export_text(scenario: &pattern_engine::Scenario) -> Result<String, String> {
    scenario
        .to_saved_json()
        .map_err(|too_large| format!("the diagram is {too_large}"))
}

/// Downloads the document as `<name>.json`.
#[component]
pub fn ExportJson() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let export = move |_| {
        let (json, stem) = editor
            .doc
            .with_untracked(|s| (export_text(s), file_stem(&s.name)));
        let saved =
            json.and_then(|json| download_text(&json, "application/json", &format!("{stem}.json")));
        if let Err(reason) = saved {
            editor
                .notice
                .set(Some(format!("The file could not be saved: {reason}.")));
        }
    };
    view! {
        <button type="button" data-testid="export-json" title="Download the scenario as JSON"
            on:click=export>"Export JSON"</button>
    }
}

/// A labelled file input that opens a scenario file (one undoable step).
#[component]
pub fn ImportJson() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|files| files.get(0));
        // Cleared so that choosing the same file again is a change too.
        input.set_value("");
        if let Some(file) = file {
            leptos::task::spawn_local(async move { import_file(editor, file).await });
        }
    };
    view! {
        <label class="file-button" title="Open a scenario JSON file">
            "Import JSON"
            <input type="file" accept=".json,application/json" data-testid="import-json"
                on:change=pick />
        </label>
    }
}

async fn import_file(editor: Editor, file: web_sys::File) {
    let name = file.name();
    match read_scenario(&file).await {
        Ok(scenario) => {
            // The risky step comes after the current work is safely stored.
            let _ = editor.doc.with_untracked(autosave::save);
            editor.replace(scenario);
            editor.notice.set(Some(format!(
                "Opened {name}. Undo brings the previous diagram back."
            )));
        }
        Err(reason) => editor.notice.set(Some(format!(
            "{name} could not be opened: {reason}. Nothing was changed."
        ))),
    }
}

/// Bytes a file may have beyond the text's limit: a UTF-8 byte-order mark, which reading the
/// file as text drops.
const BOM_BYTES: f64 = 3.0;

/// The scenario in `file`, or why it is not one (Import's reading, without the editor).
pub async fn read_scenario(file: &web_sys::File) -> Result<pattern_engine::Scenario, String> {
    // A file that cannot hold a text within the limit is refused unread: a huge file should not
    // be loaded into memory at all. The limit itself is the parser's, on the text it parses.
    if file.size() > MAX_TEXT_BYTES as f64 + BOM_BYTES {
        // usize is 32 bits in wasm: a larger size is "more than the limit".
        let bytes = (file.size() <= usize::MAX as f64).then_some(file.size() as usize);
        return Err(ParseError::TooLarge { bytes }.to_string());
    }
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("the browser could not read the file")?;
    from_json(&text).map_err(|e| e.to_string())
}
