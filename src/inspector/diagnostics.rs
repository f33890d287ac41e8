//! The validator's findings, errors first. Each is a button that selects what it is about.

use leptos::prelude::*;
use pattern_engine::scenario::{validate, Diagnostic, Severity, Target};

use crate::diagram::{edge_selection, fault_selection};
use crate::state::Editor;

/// The test id of a finding's row: `diagnostic-<code>-<node id | scenario | run>`; an edge's
/// is `diagnostic-<code>-edge-<from>-<to>`.
pub fn testid(d: &Diagnostic) -> String {
    let place = match &d.target {
        Target::Scenario => "scenario".to_string(),
        Target::Run => "run".to_string(),
        Target::Node(id) => id.clone(),
        Target::Edge { from, to } => format!("edge-{from}-{to}"),
    };
    format!("diagnostic-{}-{place}", d.code)
}

/// Where a finding is, in words.
fn place(d: &Diagnostic) -> String {
    let what = match &d.target {
        Target::Scenario => "Scenario".to_string(),
        Target::Run => "Run settings".to_string(),
        Target::Node(id) => id.clone(),
        Target::Edge { from, to } => format!("{from} → {to}"),
    };
    match &d.field {
        Some(field) => format!("{what} · {field}"),
        None => what,
    }
}

/// The panel at the bottom of the inspector.
#[component]
pub fn Diagnostics() -> impl IntoView {
    let editor = expect_context::<Editor>();
    // `validate` lists the errors first.
    let found = Memo::new(move |_| editor.doc.with(validate));
    let counts = move || {
        found.with(|all| {
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            (errors, all.len() - errors)
        })
    };
    view! {
        <section class="diagnostics" aria-labelledby="diagnostics-heading" data-testid="diagnostics">
            <h3 class="diagnostics-heading" id="diagnostics-heading">
                "Diagnostics"
                <span class="diagnostics-count">
                    {move || {
                        let (e, h) = counts();
                        match (e, h) {
                            (0, 0) => String::new(),
                            (e, h) => format!("{e} error{} · {h} hint{}",
                                if e == 1 { "" } else { "s" }, if h == 1 { "" } else { "s" }),
                        }
                    }}
                </span>
            </h3>
            <Show
                when=move || found.with(|all| !all.is_empty())
                fallback=|| view! {
                    <p class="diagnostics-none" data-testid="diagnostics-none">"No problems found."</p>
                }
            >
                <ul class="diagnostics-list">
                    {move || found.get().into_iter().map(|d| view! { <Finding d /> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// One finding: severity, message, place; pressing it selects what it names.
#[component]
fn Finding(d: Diagnostic) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let error = d.severity == Severity::Error;
    let target = d.target.clone();
    // A finding about a fault selects the fault (`faults[2].for_s`).
    let fault = d
        .field
        .as_deref()
        .and_then(|f| f.strip_prefix("faults["))
        .and_then(|rest| rest.split(']').next()?.parse().ok());
    let select = move |_| {
        let selection = match &target {
            _ if fault.is_some() => fault.map(fault_selection).into_iter().collect(),
            Target::Node(id) => vec![id.clone()],
            Target::Edge { from, to } => vec![edge_selection(from, to)],
            Target::Run | Target::Scenario => Vec::new(),
        };
        editor.selection.set(selection);
    };
    view! {
        <li>
            <button
                type="button"
                class=if error { "diagnostic diagnostic-error" } else { "diagnostic diagnostic-hint" }
                data-testid=testid(&d)
                on:click=select
            >
                <span class="diagnostic-severity">{if error { "Error" } else { "Hint" }}</span>
                <span class="diagnostic-message">{d.message.clone()}</span>
                <span class="diagnostic-place">{place(&d)}</span>
            </button>
        </li>
    }
}
