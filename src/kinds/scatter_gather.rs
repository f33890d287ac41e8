//! A scatter-gather: one line fanning out to three and back; its workers, queue, local work
//! and how many answers it waits for.

use leptos::prelude::*;
use pattern_engine::components::scatter_gather::{ScatterGatherConfig, WaitFor};

use super::station::{Access, StationFields};
use super::KindView;
use crate::inspector::fields::{DurationField, NumberField, SelectField};
use crate::inspector::form::{impl_config, Form, NodeCtx, MAX_U32};

impl_config!(ScatterGatherConfig => ScatterGather);

/// The scatter-gather's side of the app.
pub struct ScatterGather;

impl KindView for ScatterGather {
    fn icon() -> AnyView {
        // One line fanning out to three.
        view! {
            <circle cx="4.5" cy="12" r="2" />
            <circle cx="19.5" cy="5" r="2" />
            <circle cx="19.5" cy="12" r="2" />
            <circle cx="19.5" cy="19" r="2" />
            <path d="M6.5 12h11M6.3 11l11.4-5.4M6.3 13l11.4 5.4" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <ScatterGatherForm ctx /> }.into_any()
    }
}

const WAIT_FOR: &[(&str, &str)] = &[
    ("all", "All answers"),
    ("first", "The first answer"),
    ("quorum", "A quorum"),
];

fn wait_for_of(name: &str) -> WaitFor {
    match name {
        "first" => WaitFor::First,
        "quorum" => WaitFor::Quorum { answers: 2 },
        _ => WaitFor::All,
    }
}

#[component]
fn ScatterGatherForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<ScatterGatherConfig>::new(ctx);
    let name = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("all", |c| c.wait_for.name()))
    });
    view! {
        <StationFields f pool="workers" pool_label="Workers"
            pool_size=Access { get: |c| c.workers, set: |c, v| c.workers = v }
            queue=Access { get: |c| c.queue_capacity, set: |c, v| c.queue_capacity = v } />
        <DurationField id=f.id("service_time") label="Local work"
            value=f.read(|c| c.service_time.clone())
            commit=f.write("service_time", |c, v| c.service_time = v) />
        <SelectField id=f.id("wait_for") label="Answers when it has" options=WAIT_FOR
            value=Signal::derive(move || name.get())
            commit=f.write("wait_for", |c, v: &'static str| {
                if c.wait_for.name() != v {
                    c.wait_for = wait_for_of(v);
                }
            }) />
        <Show when=move || name.get() == "quorum">
            <NumberField id=f.id("wait_for.answers") label="Quorum" unit="ok answers"
                integer=true max=MAX_U32
                value=f.read(|c| match c.wait_for { WaitFor::Quorum { answers } => f64::from(answers), _ => 0.0 })
                commit=f.write("wait_for.answers", |c, v: f64| {
                    if let WaitFor::Quorum { answers } = &mut c.wait_for {
                        *answers = v as u32;
                    }
                }) />
        </Show>
    }
}
