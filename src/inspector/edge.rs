//! One selected edge (`edge:<from>:<to>` in the selection): its latency, its weight for a
//! weighted load balancer, and its call probability.

use leptos::prelude::*;
use pattern_engine::scenario::{Edge, FaultTarget, Target};

use super::commit;
use super::fields::{NumberField, RatioField};
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
    let write = move |field: &'static str, set: fn(&mut Edge, f64)| {
        Callback::new(move |v: f64| {
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
    };
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
                <button type="button" class="inspector-danger" data-testid="inspector-delete"
                    on:click=delete>
                    "Delete connection"
                </button>
            </Show>
        </section>
    }
}
