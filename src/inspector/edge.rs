//! One selected edge (`edge:<from>:<to>` in the selection): its latency, its weight for a
//! weighted load balancer, its call probability, and its policies: the caller's timeout, a
//! client's deadline for the whole request, a bulkhead on the calls out along it; retries, a
//! circuit breaker and a hedge are in [`super::edge_policies`].

use leptos::prelude::*;
use pattern_engine::scenario::{Edge, FaultTarget, Target};

use super::commit;
use super::edge_policies::{EdgeCtx, EdgePolicies};
use super::fields::{NumberField, OptionalNumberField, RatioField};
use super::inject::LiveFaults;
use crate::state::{ops, Editor};

/// The form for the edge from `from` to `to`.
#[component]
pub fn EdgeForm(from: String, to: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let ends = StoredValue::new((from.clone(), to.clone()));
    let edge = Memo::new(move |_| {
        editor.doc.with(|d| {
            ends.with_value(|(f, t)| d.edges.iter().find(|e| e.from == *f && e.to == *t).cloned())
        })
    });
    let read = move |get: fn(&Edge) -> f64| {
        Signal::derive(move || edge.with(|e| e.as_ref().map_or(0.0, get)))
    };
    let write =
        move |field: &'static str, set: fn(&mut Edge, f64)| edge_commit(editor, ends, field, set);
    let read_optional = move |get: fn(&Edge) -> Option<f64>| {
        Signal::derive(move || edge.with(|e| e.as_ref().and_then(get)))
    };
    let write_optional = move |field: &'static str, set: fn(&mut Edge, Option<f64>)| {
        edge_commit(editor, ends, field, set)
    };
    // A deadline starts where the request does: only a client's edge has the field.
    let from_client = Memo::new(move |_| {
        editor.doc.with(|d| {
            ends.with_value(|(f, _)| {
                d.node(f)
                    .is_some_and(|n| n.component.kind() == pattern_engine::components::Kind::Client)
            })
        })
    });
    let delete = move |_| {
        let pair = ends.get_value();
        editor.apply(|doc| {
            ops::delete(doc, &[], &[pair]);
            Ok(())
        });
        editor.selection.set(Vec::new());
    };
    let testid = format!("inspector-edge-{from}-{to}");
    view! {
        <section class="inspector-edge" aria-labelledby="inspector-edge-heading" data-testid=testid>
            <span class="inspector-kind group-edge">"Connection"</span>
            <h3 class="inspector-heading" id="inspector-edge-heading">
                <code>{from}</code> " → " <code>{to}</code>
            </h3>
            <Show
                when=move || edge.with(Option::is_some)
                fallback=|| view! { <p class="muted">"This connection is no longer in the diagram."</p> }
            >
                <LiveFaults target=ends.with_value(|(f, t)| FaultTarget::Edge { from: f.clone(), to: t.clone() }) />
                <NumberField id="inspector-latency_ms".to_string() label="Latency (one way)" unit="ms"
                    value=read(|e| e.latency_ms) commit=write("latency_ms", |e, v| e.latency_ms = v) />
                <NumberField id="inspector-weight".to_string() label="Weight"
                    unit="for weighted balancing"
                    value=read(|e| e.weight) commit=write("weight", |e, v| e.weight = v) />
                <RatioField id="inspector-probability".to_string() label="Call probability"
                    value=read(|e| e.probability)
                    commit=write("probability", |e, v| e.probability = v) />
                <OptionalNumberField id="inspector-timeout_ms".to_string() label="Timeout (each call)"
                    unit="ms" none_label="None" default=1000.0
                    value=read_optional(|e| e.timeout_ms)
                    commit=write_optional("timeout_ms", |e, v| e.timeout_ms = v) />
                <Show when=move || from_client.get()>
                    <OptionalNumberField id="inspector-deadline_ms".to_string()
                        label="Deadline (whole request, checked at every hop)"
                        unit="ms" none_label="None" default=1000.0
                        value=read_optional(|e| e.deadline_ms)
                        commit=write_optional("deadline_ms", |e, v| e.deadline_ms = v) />
                </Show>
                <OptionalNumberField id="inspector-bulkhead".to_string()
                    label="Bulkhead (calls out at once)" unit="calls" none_label="None"
                    default=4.0 integer=true
                    value=read_optional(|e| e.bulkhead.map(f64::from))
                    commit=write_optional("bulkhead", |e, v| {
                        // Validation names a count out of bounds; the cast saturates.
                        e.bulkhead = v.map(|v| v as u32)
                    }) />
                <EdgePolicies ctx=EdgeCtx { editor, ends, edge } />
                <button type="button" class="inspector-danger" data-testid="inspector-delete"
                    on:click=delete>
                    "Delete connection"
                </button>
            </Show>
        </section>
    }
}

/// What a field of the edge between `ends` does with a parsed value: `set` it on the edge, as
/// one validated, undoable step.
pub(super) fn edge_commit<T: Clone + Send + Sync + 'static>(
    editor: Editor,
    ends: StoredValue<(String, String)>,
    field: &'static str,
    set: fn(&mut Edge, T),
) -> super::Commit<T> {
    Callback::new(move |v: T| {
        let (f, t) = ends.get_value();
        let target = Target::Edge {
            from: f.clone(),
            to: t.clone(),
        };
        commit(editor, &target, field, move |doc| {
            if let Some(e) = doc.edges.iter_mut().find(|e| e.from == f && e.to == t) {
                set(e, v);
            }
        })
    })
}
