//! The example scenarios shipped in `public/scenarios/`, compiled in (a few kilobytes) so the
//! menu works offline and needs no request.

use leptos::prelude::*;
use pattern_engine::scenario::{from_json, Scenario};

use crate::document::DEFAULT_SCENARIO;
use crate::state::{autosave, Editor};

/// One menu entry: its stable name (for `example-<name>`), its label, its file's text.
pub struct Example {
    /// The name in `data-testid="example-<name>"` and the menu's value.
    pub name: &'static str,
    /// What the menu shows.
    pub label: &'static str,
    /// The scenario file, exactly as shipped.
    pub json: &'static str,
}

/// Every shipped scenario, in menu order.
pub const EXAMPLES: [Example; 6] = [
    Example {
        name: "default",
        label: "Reference architecture",
        json: DEFAULT_SCENARIO,
    },
    Example {
        name: "mm1",
        label: "M/M/1 queue",
        json: include_str!("../../public/scenarios/validation/mm1.json"),
    },
    Example {
        name: "mmc",
        label: "M/M/c queue (Erlang C)",
        json: include_str!("../../public/scenarios/validation/mmc.json"),
    },
    Example {
        name: "mm1k",
        label: "M/M/1/K queue (blocking)",
        json: include_str!("../../public/scenarios/validation/mm1k.json"),
    },
    Example {
        name: "jackson",
        label: "Open Jackson network",
        json: include_str!("../../public/scenarios/validation/jackson.json"),
    },
    Example {
        name: "mm4",
        label: "M/M/4 benchmark",
        json: include_str!("../../public/scenarios/bench/mm4.json"),
    },
];

/// The example called `name`, read. The shipped files are checked by the tests.
pub fn example(name: &str) -> Option<Result<Scenario, String>> {
    let found = EXAMPLES.iter().find(|e| e.name == name)?;
    Some(from_json(found.json).map_err(|e| e.to_string()))
}

/// Opens the example called `name` in place of the document (one undoable step), having
/// saved the current one first.
pub fn open_example(editor: Editor, name: &str) {
    match example(name) {
        Some(Ok(scenario)) => {
            let _ = editor.doc.with_untracked(autosave::save);
            editor.replace(scenario);
        }
        Some(Err(reason)) => editor.notice.set(Some(reason)),
        None => {}
    }
}

/// A menu of the examples; choosing one replaces the document (one undoable step).
#[component]
pub fn ExamplesMenu() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let choose = move |ev: leptos::ev::Event| {
        open_example(editor, &event_target_value(&ev));
        // Back to the prompt, so the same example can be chosen again.
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        select.set_value("");
    };
    view! {
        <select class="examples" data-testid="examples" aria-label="Open an example" on:change=choose>
            <option value="" selected>"Examples…"</option>
            {EXAMPLES
                .iter()
                .map(|e| {
                    view! {
                        <option value=e.name data-testid=format!("example-{}", e.name)>{e.label}</option>
                    }
                })
                .collect_view()}
        </select>
    }
}
