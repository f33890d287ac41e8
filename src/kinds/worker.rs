//! A worker: a cog; how many jobs it takes at once and how long each takes.

use leptos::prelude::*;
use pattern_engine::components::worker::WorkerConfig;

use super::KindView;
use crate::inspector::fields::{DurationField, NumberField};
use crate::inspector::form::{impl_config, Form, NodeCtx, MAX_U32};

impl_config!(WorkerConfig => Worker);

/// The worker's side of the app.
pub struct Worker;

impl KindView for Worker {
    fn icon() -> AnyView {
        // A cog.
        view! {
            <circle cx="12" cy="12" r="5.5" />
            <circle cx="12" cy="12" r="2" />
            <path d="M12 2.5v4M12 17.5v4M2.5 12h4M17.5 12h4M5.3 5.3l2.8 2.8M15.9 15.9l2.8 2.8M5.3 18.7l2.8-2.8M15.9 8.1l2.8-2.8" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <WorkerForm ctx /> }.into_any()
    }
}

#[component]
fn WorkerForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<WorkerConfig>::new(ctx);
    view! {
        <NumberField id=f.id("concurrency") label="Concurrency" unit="jobs at once" integer=true
            max=MAX_U32 value=f.read(|c| c.concurrency as f64)
            commit=f.write("concurrency", |c, v: f64| c.concurrency = v as u32) />
        <DurationField id=f.id("service_time") label="Time per job"
            value=f.read(|c| c.service_time.clone())
            commit=f.write("service_time", |c, v| c.service_time = v) />
    }
}
