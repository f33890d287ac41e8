//! A queue: jobs waiting in line; its capacity.

use leptos::prelude::*;
use pattern_engine::components::queue::QueueConfig;

use super::KindView;
use crate::inspector::fields::OptionalNumberField;
use crate::inspector::form::{impl_config, Form, NodeCtx};

impl_config!(QueueConfig => Queue);

/// The queue's side of the app.
pub struct Queue;

impl KindView for Queue {
    fn icon() -> AnyView {
        // Jobs waiting in line, moving right.
        view! {
            <rect x="2.5" y="8" width="4.5" height="8" rx="1" />
            <rect x="9.5" y="8" width="4.5" height="8" rx="1" />
            <path d="M17 12h4.5M19.5 9.5l2 2.5-2 2.5" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <QueueForm ctx /> }.into_any()
    }
}

#[component]
fn QueueForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<QueueConfig>::new(ctx);
    view! {
        <OptionalNumberField id=f.id("capacity") label="Capacity" unit="jobs"
            none_label="Unbounded" integer=true default=10000.0
            value=f.read(|c| c.capacity.map(|q| q as f64))
            commit=f.write("capacity", |c, v: Option<f64>| c.capacity = v.map(|v| v as u64)) />
    }
}
