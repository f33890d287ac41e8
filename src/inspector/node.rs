//! One selected node: its kind, its label, its id, its kind's configuration and its
//! connections. The configuration's form is the kind's own (`kinds`); this panel is the same
//! for every kind.
//!
//! The panel reads the node through one `Memo`, so an edit elsewhere in the document (another
//! node dragged, an edge added) does not re-render it.

use leptos::prelude::*;

use super::connections::Connections;
use super::fields::FieldError;
use super::form::NodeCtx;
use super::inject::LiveFaults;
use crate::kinds;
use crate::state::Editor;
use pattern_engine::scenario::FaultTarget;

/// The form for the node `id`.
#[component]
pub fn NodeForm(id: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let stored = StoredValue::new(id.clone());
    let ctx = NodeCtx::new(editor, stored);
    let node = ctx.node;
    let kind = Memo::new(move |_| node.with(|n| n.as_ref().map(|n| n.component.kind())));
    let heading_id = format!("inspector-node-{id}");
    let labelled_by = heading_id.clone();
    let testid = format!("inspector-node-{id}");
    view! {
        <section class="inspector-node" aria-labelledby=labelled_by data-testid=testid>
            {move || kind.get().map(|k| view! {
                <span class=format!("inspector-kind group-{}", k.group().name())>{k.title()}</span>
            })}
            <h3 class="inspector-heading" id=heading_id>
                {move || node.with(|n| n.as_ref().map(|n| n.label.clone()).unwrap_or_default())}
            </h3>
            <p class="inspector-id">"id " <code>{id}</code></p>
            // First, while a run goes: breaking the node is what the person came for.
            <LiveFaults target=FaultTarget::Node(stored.get_value()) />
            <LabelField ctx />
            {move || match kind.get() {
                Some(kind) => kinds::form(kind, ctx),
                None => view! { <p class="muted">"This component is no longer in the diagram."</p> }
                    .into_any(),
            }}
            <Connections id=stored.get_value() />
        </section>
    }
}

/// The node's display name.
#[component]
fn LabelField(ctx: NodeCtx) -> impl IntoView {
    let error = RwSignal::new(None);
    let node = ctx.node;
    view! {
        <div class="field">
            <label for="inspector-label">"Label"</label>
            <input
                id="inspector-label"
                type="text"
                prop:value=move || node.with(|n| n.as_ref().map(|n| n.label.clone()).unwrap_or_default())
                on:change=move |ev| {
                    let label = event_target_value(&ev).trim().to_string();
                    error.set(ctx.change("label", move |n| n.label = label).err());
                }
            />
            <FieldError id="inspector-label-error".to_string() error />
        </div>
    }
}
