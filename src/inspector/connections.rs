//! A node's connections from the keyboard: a "Connect to…" choice of every other component
//! (the ones it may not call are listed too, disabled, with the reason the canvas would give)
//! and the node's outgoing connections, each with a Remove button.

use leptos::prelude::*;

use super::fields::FieldError;
use crate::state::{ops, Editor};

/// One other component as the choice lists it.
#[derive(Clone, Debug, PartialEq)]
struct Choice {
    id: String,
    name: String,
    refusal: Option<String>,
}

/// How a node is named in a list: its label, then its id.
pub(super) fn name_of(s: &pattern_engine::Scenario, id: &str) -> String {
    match s.node(id) {
        Some(n) if !n.label.is_empty() && n.label != n.id => format!("{} ({id})", n.label),
        _ => id.to_string(),
    }
}

/// The connections section of the node `id`'s form.
#[component]
pub fn Connections(id: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let from = StoredValue::new(id);
    let targets = Memo::new(move |_| {
        editor.doc.with(|s| {
            let from = from.get_value();
            ops::connection_targets(s, &from)
                .into_iter()
                .map(|(id, refusal)| Choice {
                    name: name_of(s, &id),
                    id,
                    refusal,
                })
                .collect::<Vec<_>>()
        })
    });
    let outgoing = Memo::new(move |_| {
        editor.doc.with(|s| {
            let from = from.get_value();
            s.edges
                .iter()
                .filter(|e| e.from == from)
                .map(|e| (e.to.clone(), name_of(s, &e.to), e.latency_ms))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="inspector-connections" aria-labelledby="inspector-connections-heading">
            <h4 class="inspector-subheading" id="inspector-connections-heading">"Connections"</h4>
            <ConnectTo from targets />
            <Show
                when=move || outgoing.with(|o| !o.is_empty())
                fallback=|| view! { <p class="muted">"Calls nothing yet."</p> }
            >
                <ul class="inspector-outgoing" aria-label="Outgoing connections">
                    <For each=move || outgoing.get() key=|(to, name, latency)| (to.clone(), name.clone(), latency.to_bits()) let((to, name, latency))>
                        <Outgoing from=from.get_value() to name latency />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// The choice of a component to call and the button that connects it.
#[component]
fn ConnectTo(from: StoredValue<String>, targets: Memo<Vec<Choice>>) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |_| {
        let to = chosen.get_untracked();
        if to.is_empty() {
            error.set(Some("choose a component to connect to".into()));
            return;
        }
        let from = from.get_value();
        let done = editor.apply(|doc| ops::connect(doc, &from, &to));
        error.set(match done {
            Some(()) => None,
            None => editor.notice.get_untracked(),
        });
        if done.is_some() {
            chosen.set(String::new());
        }
    };
    let options = move || {
        targets
            .get()
            .into_iter()
            .map(|t| {
                let text = match &t.refusal {
                    None => t.name.clone(),
                    Some(why) => format!("{}: {why}", t.name),
                };
                let value = t.id.clone();
                view! {
                    <option value=t.id disabled=t.refusal.is_some()
                        prop:selected=move || chosen.with(|c| *c == value)>{text}</option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for="connect-target">"Connect to…"</label>
            <div class="field-row">
                <select
                    id="connect-target"
                    data-testid="connect-target"
                    aria-describedby=move || error.with(|e| e.as_ref().map(|_| "connect-target-error"))
                    on:change=move |ev| {
                        chosen.set(event_target_value(&ev));
                        error.set(None);
                    }
                >
                    <option value="" prop:selected=move || chosen.with(String::is_empty)>
                        "Choose a component"
                    </option>
                    {options}
                </select>
                <button type="button" data-testid="connect-add" on:click=add>"Add connection"</button>
            </div>
            <FieldError id="connect-target-error".to_string() error />
        </div>
    }
}

/// One outgoing connection: where it goes, its latency, and a Remove button.
#[component]
fn Outgoing(from: String, to: String, name: String, latency: f64) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let testid = format!("edge-remove-{from}-{to}");
    let label = format!("Remove the connection to {name}");
    let remove = move |_| {
        let pair = (from.clone(), to.clone());
        editor.apply(|doc| {
            ops::delete(doc, &[], &[pair]);
            Ok(())
        });
    };
    view! {
        <li>
            <span>{format!("→ {name}, {latency} ms")}</span>
            <button type="button" class="inspector-remove" data-testid=testid aria-label=label.clone()
                title=label on:click=remove>"Remove"</button>
        </li>
    }
}
