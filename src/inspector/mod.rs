//! The inspector: the settings of whatever is selected, edited in place, and the validator's
//! findings under them.
//!
//! - nothing selected: the run settings ([`run`]);
//! - one node: its label, its kind's configuration and its connections ([`node`]); each kind's
//!   form is in its file under `src/kinds/`, built on `form` and the controls in [`fields`],
//!   [`lists`] and `routing`;
//! - one edge (`edge:<from>:<to>` in the selection): latency, weight, probability ([`edge`]),
//!   retries, a circuit breaker, a hedge ([`edge_policies`]);
//! - one fault of the timeline (`fault:<index>`): its kind, settings, times, target ([`fault`]);
//! - with a run under way, a node's or an edge's panel also injects faults now ([`inject`]);
//! - several: how many, and Delete.
//!
//! Every control commits on `change` through [`commit`]: the edit is tried on a copy of the
//! document and validated first; a value the validator refuses shows next to its field and the
//! document stays as it was, an accepted one is one undo step.

pub mod connections;
pub mod diagnostics;
pub mod edge;
pub mod edge_policies;
pub mod fault;
pub mod fields;
pub(crate) mod form;
pub mod inject;
pub mod lists;
pub mod node;
pub(crate) mod routing;
pub mod run;

use leptos::prelude::*;
use pattern_engine::scenario::{validate, Diagnostic, Scenario, Severity, Target};

use crate::diagram::{selected_edge, selected_fault};
use crate::shell::layout::Layout;
use crate::state::{ops, Editor};
use diagnostics::Diagnostics;
use edge::EdgeForm;
use fault::FaultForm;
use node::NodeForm;
use run::RunForm;

/// What a control does with a value it has parsed: `Err` carries the message to show inline.
pub type Commit<T> = Callback<T, Result<(), String>>;

/// What the selection holds, as far as the inspector cares.
#[derive(Clone, Debug, PartialEq)]
enum Selected {
    Nothing,
    Node(String),
    Edge(String, String),
    Fault(usize),
    Many(Vec<String>),
}

fn classify(ids: &[String]) -> Selected {
    match ids {
        [] => Selected::Nothing,
        [one] => match (selected_edge(one), selected_fault(one)) {
            (Some((from, to)), _) => Selected::Edge(from, to),
            (_, Some(index)) => Selected::Fault(index),
            _ => Selected::Node(one.clone()),
        },
        many => Selected::Many(many.to_vec()),
    }
}

/// The right panel: the form for the selection, then the diagnostics.
#[component]
pub fn Inspector() -> impl IntoView {
    let editor = expect_context::<Editor>();
    // Re-renders the body only when what is selected changes, not on document edits.
    let selected = Memo::new(move |_| editor.selection.with(|ids| classify(ids)));
    // In the app the panel can be closed (the page's layout decides where it shows).
    let layout = use_context::<Layout>();
    view! {
        <aside class="panel inspector" aria-label="Inspector" data-testid="inspector">
            <div class="panel-head">
                <h2 class="panel-title">"Inspector"</h2>
                {layout.map(|layout| view! {
                    <button type="button" class="panel-close" data-testid="inspector-close"
                        aria-label="Close the inspector"
                        on:click=move |_| layout.inspector_asked.set(Some(false))>"×"</button>
                })}
            </div>
            <div class="inspector-body">
                {move || match selected.get() {
                    Selected::Nothing => view! { <RunForm /> }.into_any(),
                    Selected::Node(id) => view! { <NodeForm id /> }.into_any(),
                    Selected::Edge(from, to) => view! { <EdgeForm from to /> }.into_any(),
                    Selected::Fault(index) => view! { <FaultForm index /> }.into_any(),
                    Selected::Many(ids) => view! { <ManySelected ids /> }.into_any(),
                }}
            </div>
            <Diagnostics />
        </aside>
    }
}

/// Several things selected: how many, and a way to delete them all.
#[component]
fn ManySelected(ids: Vec<String>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let count = ids.len();
    let delete = move |_| {
        let faults: Vec<usize> = ids.iter().filter_map(|id| selected_fault(id)).collect();
        let (edges, nodes): (Vec<&String>, Vec<&String>) = ids
            .iter()
            .filter(|id| crate::diagram::is_node_entry(id) || id.starts_with("edge:"))
            .partition(|id| id.starts_with("edge:"));
        let nodes: Vec<String> = nodes.into_iter().cloned().collect();
        let edges: Vec<(String, String)> = edges
            .into_iter()
            .filter_map(|e| match classify(std::slice::from_ref(e)) {
                Selected::Edge(f, t) => Some((f, t)),
                _ => None,
            })
            .collect();
        editor.apply(|doc| {
            ops::delete_faults(doc, &faults);
            ops::delete(doc, &nodes, &edges);
            Ok(())
        });
        editor.selection.set(Vec::new());
    };
    view! {
        <section class="inspector-many">
            <p class="inspector-empty">{format!("{count} items selected")}</p>
            <p class="muted">"Select a single node or edge to edit its settings."</p>
            <button type="button" class="inspector-danger" data-testid="inspector-delete"
                on:click=delete>
                {format!("Delete {count} items")}
            </button>
        </section>
    }
}

/// Applies `change` to the document as one undo step, unless the validator then finds an
/// error about `target` that is about `field` or was not there before; that error's message
/// comes back and the document is untouched.
///
/// Only running `change` is generic; the rest is [`commit_next`], compiled once: every field
/// of every form commits through here, and inlining the clone, the two validations and the
/// undo step into each of them cost the first load about 17 KB of wasm (docs/benchmarks.md).
pub fn commit(
    editor: Editor,
    target: &Target,
    field: &str,
    change: impl FnOnce(&mut Scenario),
) -> Result<(), String> {
    let before = editor.doc.get_untracked();
    let mut next = before.clone();
    change(&mut next);
    commit_next(editor, before, next, target, field)
}

/// [`commit`] once `next` is made from `before`.
#[inline(never)]
fn commit_next(
    editor: Editor,
    before: Scenario,
    next: Scenario,
    target: &Target,
    field: &str,
) -> Result<(), String> {
    if let Some(message) = refusal(&validate(&before), &validate(&next), target, field) {
        return Err(message);
    }
    editor.apply(move |doc| {
        *doc = next;
        Ok(())
    });
    Ok(())
}

/// The first error in `after` about `target` that concerns `field` or is new since `before`.
fn refusal(
    before: &[Diagnostic],
    after: &[Diagnostic],
    target: &Target,
    field: &str,
) -> Option<String> {
    let concerns = |d: &Diagnostic| {
        d.field.as_deref().is_some_and(|f| {
            f == field
                || field
                    .strip_prefix(f)
                    .is_some_and(|rest| rest.starts_with('.'))
                || f.strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    after
        .iter()
        .filter(|d| d.severity == Severity::Error && d.target == *target)
        .find(|d| concerns(d) || !before.contains(d))
        .map(|d| d.message.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::edge_selection;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn selections_are_classified() {
        assert_eq!(classify(&[]), Selected::Nothing);
        assert_eq!(classify(&["db".into()]), Selected::Node("db".into()));
        assert_eq!(
            classify(&[edge_selection("a", "b")]),
            Selected::Edge("a".into(), "b".into())
        );
        assert_eq!(
            classify(&[crate::diagram::fault_selection(3)]),
            Selected::Fault(3)
        );
        assert!(matches!(
            classify(&["a".into(), "b".into()]),
            Selected::Many(_)
        ));
    }
}
