//! The scenario as a file: export the JSON the command-line tool reads, import it back.

use leptos::prelude::*;
use pattern_engine::scenario::{from_json, MAX_TEXT_BYTES};
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

/// Downloads the document as `<name>.json`.
#[component]
pub fn ExportJson() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let export = move |_| {
        let (json, stem) = editor
            .doc
            .with_untracked(|s| (s.to_json(), file_stem(&s.name)));
        if let Err(reason) = download_text(&json, "application/json", &format!("{stem}.json")) {
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

async fn read_scenario(file: &web_sys::File) -> Result<pattern_engine::Scenario, String> {
    // Refused before reading: a huge file should not be loaded into memory at all.
    if file.size() > MAX_TEXT_BYTES as f64 {
        return Err(format!(
            "the file is {} bytes; the limit is {MAX_TEXT_BYTES} bytes",
            file.size()
        ));
    }
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("the browser could not read the file")?;
    from_json(&text).map_err(|e| e.to_string())
}
