//! One fault of the timeline (`fault:<index>` in the selection): its kind, what it strikes,
//! when it starts, how long it lasts and its kind's own numbers. Every control commits through
//! `state::faults::commit`, which refuses a value the validator finds wrong (its message names
//! the field) and changes nothing; an accepted one is one undo step. The kind's numbers come
//! from one table, so every kind's form is the same few lines of view.

use leptos::prelude::*;
use pattern_engine::scenario::{Fault, FaultKind};

use super::fields::{CheckboxField, NumberField, OptionalNumberField, SelectField, TextField};
use crate::live::Live;
use crate::state::{faults, ops, Editor};

/// A number a kind has: its control's id, label and unit, how to read it (None: the kind has
/// no such number) and how to write it.
struct Setting {
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    read: fn(&FaultKind) -> Option<f64>,
    write: fn(&mut FaultKind, f64),
}

const SETTINGS: [Setting; 3] = [
    Setting {
        id: "inspector-fault-factor",
        label: "Factor",
        unit: "×",
        read: |k| match k {
            FaultKind::Slow { factor }
            | FaultKind::Spike { factor }
            | FaultKind::Latency { factor, .. } => Some(*factor),
            _ => None,
        },
        write: |k, v| {
            if let FaultKind::Slow { factor }
            | FaultKind::Spike { factor }
            | FaultKind::Latency { factor, .. } = k
            {
                *factor = v;
            }
        },
    },
    Setting {
        id: "inspector-fault-plus_ms",
        label: "Plus",
        unit: "ms",
        read: |k| match k {
            FaultKind::Latency { plus_ms, .. } => Some(*plus_ms),
            _ => None,
        },
        write: |k, v| {
            if let FaultKind::Latency { plus_ms, .. } = k {
                *plus_ms = v;
            }
        },
    },
    Setting {
        id: "inspector-fault-fraction",
        label: "Share failed",
        unit: "0 to 1",
        read: |k| match k {
            FaultKind::Errors { fraction, .. } => Some(*fraction),
            _ => None,
        },
        write: |k, v| {
            if let FaultKind::Errors { fraction, .. } = k {
                *fraction = v;
            }
        },
    },
];

/// The form for the fault at `index`.
#[component]
pub fn FaultForm(index: usize) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let fault = Memo::new(move |_| editor.doc.with(|d| d.faults.get(index).cloned()));
    // The fault as it is now, changed by `f`, committed: a refusal comes back to the field.
    let change = move |f: &dyn Fn(&mut Fault)| {
        let Some(mut next) = fault.get_untracked() else {
            return Ok(());
        };
        f(&mut next);
        faults::commit(editor, index, next)
    };
    let read = move |get: fn(&Fault) -> Option<f64>| {
        Signal::derive(move || fault.with(|f| f.as_ref().and_then(get)))
    };
    let kind = Signal::derive(move || fault.with(|f| f.as_ref().map_or("", |f| f.kind.name())));
    let choose = Callback::new(move |name: &'static str| {
        let doc = editor.doc.get_untracked();
        change(&|f| *f = faults::with_kind(f, name, &doc))
    });
    // A partition names its groups where another fault names its target.
    let target = Signal::derive(move || {
        fault.with(|f| match f.as_ref().map(|f| (&f.kind, &f.target)) {
            Some((FaultKind::Partition { groups }, _)) => faults::groups_text(groups),
            Some((_, target)) => faults::target_text(target),
            None => String::new(),
        })
    });
    let set_target = Callback::new(move |text: String| {
        change(&|f| match &mut f.kind {
            FaultKind::Partition { groups } => *groups = faults::parse_groups(&text),
            _ => f.target = faults::parse_target(&text),
        })
    });
    let numbers = move || {
        kind.track();
        let shown = fault.with_untracked(|f| f.as_ref().map(|f| f.kind.clone()));
        SETTINGS
            .iter()
            .filter(|s| shown.as_ref().and_then(s.read).is_some())
            .map(|s| {
                let value = Signal::derive(move || {
                    fault.with(|f| f.as_ref().and_then(|f| (s.read)(&f.kind)).unwrap_or(0.0))
                });
                let commit = Callback::new(move |v: f64| change(&|f| (s.write)(&mut f.kind, v)));
                view! { <NumberField id=s.id.to_string() label=s.label unit=s.unit value commit /> }
            })
            .collect_view()
    };
    let after_work = Signal::derive(move || {
        fault.with(|f| {
            matches!(
                f.as_ref().map(|f| &f.kind),
                Some(FaultKind::Errors {
                    after_work: true,
                    ..
                })
            )
        })
    });
    let set_after_work = Callback::new(move |v: bool| {
        change(&|f| {
            if let FaultKind::Errors { after_work, .. } = &mut f.kind {
                *after_work = v;
            }
        })
    });
    let delete = move |_| {
        editor.apply(|doc| {
            ops::delete_faults(doc, &[index]);
            Ok(())
        });
        editor.selection.set(Vec::new());
    };
    view! {
        <section class="inspector-fault" aria-labelledby="inspector-fault-heading" data-testid="inspector-fault">
            <span class="inspector-kind group-fault">"Fault"</span>
            <h3 class="inspector-heading" id="inspector-fault-heading">
                {move || fault.with(|f| f.as_ref().map(faults::describe))}
            </h3>
            <SelectField id="inspector-fault-kind".to_string() label="Kind" options=&faults::KINDS
                value=kind commit=choose />
            <TextField id="inspector-fault-target".to_string()
                label="Strikes: a node id, ids by commas, from->to; a partition: groups split by |"
                value=target commit=set_target />
            <NumberField id="inspector-fault-at_s".to_string() label="Starts at" unit="s"
                value=Signal::derive(move || fault.with(|f| f.as_ref().map_or(0.0, |f| f.at_s)))
                commit=Callback::new(move |v: f64| change(&|f| f.at_s = v)) />
            <OptionalNumberField id="inspector-fault-for_s".to_string() label="Lasts" unit="s"
                none_label="To the end" default=1.0 value=read(|f| f.for_s)
                commit=Callback::new(move |v: Option<f64>| change(&|f| f.for_s = v)) />
            {numbers}
            {move || (kind.get() == "errors").then(|| view! {
                <CheckboxField id="inspector-fault-after_work".to_string()
                    label="Fail after the work (it is wasted)" value=after_work commit=set_after_work />
            })}
            <HealNow index fault />
            <button type="button" class="inspector-danger" data-testid="fault-delete"
                on:click=delete>"Delete fault"</button>
        </section>
    }
}

/// "Heal now", while the run under way has the fault in force.
#[component]
fn HealNow(index: usize, fault: Memo<Option<Fault>>) -> impl IntoView {
    let live = use_context::<Live>()?;
    let healable = move || {
        let now = live.now.get();
        live.is_going() && fault.with(|f| f.as_ref().is_some_and(|f| faults::in_force(f, now)))
    };
    Some(view! {
        <Show when=healable>
            <button type="button" data-testid="heal" on:click=move |_| live.heal(&[index])>"Heal now"</button>
        </Show>
    })
}
