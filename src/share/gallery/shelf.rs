//! The example files, fetched from beside the page and kept once read, so the gallery's
//! descriptions and thumbnails and the opening of an example need each file only once.

use leptos::prelude::*;
use pattern_engine::scenario::{from_json, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::index::Entry;

/// Where one example's file is.
#[derive(Clone, Debug)]
pub enum Load {
    /// Asked for, not here yet.
    Loading,
    /// Fetched and read.
    Ready(Scenario),
    /// Why it could not be fetched or read, in words.
    Failed(String),
}

/// The files asked for so far, by entry name (a dozen, so a list); app-wide context, so
/// reopening the gallery fetches nothing again.
#[derive(Clone, Copy)]
pub struct Shelf(pub RwSignal<Vec<(String, Load)>>);

impl Shelf {
    /// An empty shelf.
    pub fn new() -> Self {
        Shelf(RwSignal::new(Vec::new()))
    }

    /// Reads what is known of `entry`'s file (tracked).
    pub fn with<T>(self, entry: Entry, f: impl FnOnce(Option<&Load>) -> T) -> T {
        let name = entry.name();
        self.0
            .with(|files| f(files.iter().find(|(n, _)| *n == name).map(|(_, l)| l)))
    }

    /// Shelves `load` as what is known of `name`'s file.
    fn put(self, name: String, load: Load) {
        self.0
            .update(|files| match files.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = load,
                None => files.push((name, load)),
            });
    }

    /// Starts fetching `entry`'s file unless it is here or on its way; a failed one is tried
    /// again.
    pub fn request(self, entry: Entry) {
        let known =
            untrack(|| self.with(entry, |l| matches!(l, Some(Load::Loading | Load::Ready(_)))));
        if known {
            return;
        }
        self.put(entry.name(), Load::Loading);
        leptos::task::spawn_local(async move {
            let _ = self.scenario(entry).await;
        });
    }

    /// `entry`'s scenario: the one on the shelf, or fetched now (and shelved).
    pub async fn scenario(self, entry: Entry) -> Result<Scenario, String> {
        let shelved = untrack(|| {
            self.with(entry, |l| match l {
                Some(Load::Ready(scenario)) => Some(scenario.clone()),
                _ => None,
            })
        });
        if let Some(scenario) = shelved {
            return Ok(scenario);
        }
        let path = entry.path();
        let result = fetch_scenario(&path)
            .await
            .map_err(|reason| format!("{path}: {reason}"));
        let load = match &result {
            Ok(scenario) => Load::Ready(scenario.clone()),
            Err(reason) => Load::Failed(reason.clone()),
        };
        self.put(entry.name(), load);
        result
    }
}

impl Default for Shelf {
    fn default() -> Self {
        Shelf::new()
    }
}

/// The scenario at `path` (relative to the page), read as Import reads a file: the text's
/// size limit, the parser and its checks; or what went wrong, in words.
pub async fn fetch_scenario(path: &str) -> Result<Scenario, String> {
    let text = fetch_text(path).await?;
    from_json(&text).map_err(|e| e.to_string())
}

async fn fetch_text(path: &str) -> Result<String, String> {
    let unreachable =
        || "the browser could not fetch it (offline, or the site is down)".to_string();
    let response = JsFuture::from(window().fetch_with_str(path))
        .await
        .map_err(|_| unreachable())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response.text().map_err(|_| unreachable())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| "the browser could not read the answer as text".to_string())
}
