//! "Break it now": with a run under way, the selected node's or edge's inspector offers a
//! button per fault kind that can strike it (the validator says which) and one that heals
//! the faults in force on it. Both go through `Live::inject` and `Live::heal`, so the run takes
//! them in place.

use leptos::prelude::*;
use pattern_engine::scenario::FaultTarget;

use crate::live::Live;
use crate::state::{faults, Editor};

/// The live fault buttons for `target`, shown while a run can take them (nothing without a
/// live view, as in the inspector's own tests).
#[component]
pub fn LiveFaults(target: FaultTarget) -> impl IntoView {
    let live = use_context::<Live>()?;
    let editor = expect_context::<Editor>();
    let target = StoredValue::new(target);
    let in_force = move || {
        let now = live.now.get();
        editor
            .doc
            .with(|d| target.with_value(|t| faults::in_force_on(d, t, now)))
    };
    // Plain closures, not memos: each memo's closure is compiled on its own (the bundle).
    let buttons =
        move || {
            let kinds = editor
                .doc
                .with(|d| target.with_value(|t| faults::injectable(d, t)));
            kinds.into_iter().map(|name| view! {
            <button type="button" data-testid=format!("inject-{name}")
                on:click=move |_| { live.inject(name, target.get_value()); }>{name}</button>
        }).collect_view()
        };
    let shown = move || {
        live.is_going().then(|| view! {
            <section class="inspector-live-faults" aria-label="Faults in the run">
                <h4 class="inspector-subheading">"Break it now"</h4>
                <div class="inject-buttons">
                    {buttons}
                    <button type="button" data-testid="heal" disabled=move || in_force().is_empty()
                        on:click=move |_| live.heal(&in_force())>"Heal"</button>
                </div>
            </section>
        })
    };
    Some(shown)
}
