//! The run settings, shown while nothing is selected: when the run stops, the seed, the
//! warm-up and the metrics window.

use leptos::prelude::*;
use pattern_engine::scenario::{RunSpec, Target};

use super::commit;
use super::fields::{NumberField, SelectField};
use crate::state::Editor;

const STOPS: &[(&str, &str)] = &[
    ("requests", "After a number of requests"),
    ("duration", "After a simulated time"),
];

/// The largest whole number a number field reads exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_991.0;

/// The help line and the run's settings.
#[component]
pub fn RunForm() -> impl IntoView {
    let editor = expect_context::<Editor>();
    let run = Memo::new(move |_| editor.doc.with(|d| (d.run.clone(), d.seed)));
    let timed =
        Memo::new(move |_| run.with(|(r, _)| r.requests.is_none() && r.duration_s.is_some()));
    let read = move |get: fn(&RunSpec) -> f64| Signal::derive(move || run.with(|(r, _)| get(r)));
    let write = move |field: &'static str, set: fn(&mut RunSpec, f64)| {
        Callback::new(move |v: f64| {
            commit(editor, &Target::Run, field, move |doc| set(&mut doc.run, v))
        })
    };
    let stop = Callback::new(move |v: &'static str| {
        commit(editor, &Target::Run, "requests", move |doc| {
            let r = &mut doc.run;
            match v {
                "duration" if r.duration_s.is_none() || r.requests.is_some() => {
                    r.requests = None;
                    r.duration_s = Some(60.0);
                }
                "requests" if r.requests.is_none() || r.duration_s.is_some() => {
                    r.requests = Some(10_000);
                    r.duration_s = None;
                }
                _ => {}
            }
        })
    });
    let seed = Callback::new(move |v: f64| {
        commit(editor, &Target::Scenario, "seed", move |doc| {
            doc.seed = v as u64
        })
    });
    view! {
        <p class="inspector-empty">"Select a node or an edge to edit it."</p>
        <section class="inspector-run" aria-labelledby="inspector-run-heading">
            <h3 class="inspector-heading" id="inspector-run-heading">"Run settings"</h3>
            <SelectField id="inspector-run-stop".to_string() label="The run stops" options=STOPS
                value=Signal::derive(move || if timed.get() { "duration" } else { "requests" })
                commit=stop />
            <Show
                when=move || timed.get()
                fallback=move || view! {
                    <NumberField id="inspector-run-requests".to_string() label="Requests"
                        unit="requests" integer=true max=MAX_EXACT
                        value=read(|r| r.requests.unwrap_or(0) as f64)
                        commit=write("requests", |r, v| r.requests = Some(v as u64)) />
                }
            >
                <NumberField id="inspector-run-duration_s".to_string() label="Duration" unit="s"
                    value=read(|r| r.duration_s.unwrap_or(0.0))
                    commit=write("duration_s", |r, v| r.duration_s = Some(v)) />
            </Show>
            <NumberField id="inspector-run-seed".to_string() label="Seed" integer=true max=MAX_EXACT
                value=Signal::derive(move || run.with(|(_, seed)| *seed as f64)) commit=seed />
            <NumberField id="inspector-run-warmup_s".to_string() label="Warm-up (not measured)"
                unit="s" value=read(|r| r.warmup_s)
                commit=write("warmup_s", |r, v| r.warmup_s = v) />
            <NumberField id="inspector-run-window_s".to_string() label="Metrics window" unit="s"
                value=read(|r| r.window_s)
                commit=write("window_s", |r, v| r.window_s = v) />
        </section>
    }
}
