//! A service: two stacked servers; its workers, queue, service time, timeout and call order.

use leptos::prelude::*;
use pattern_engine::components::service::ServiceConfig;

use super::station::{Access, SlowdownFields, StationFields};
use super::KindView;
use crate::inspector::fields::{CheckboxField, DurationField, OptionalNumberField};
use crate::inspector::form::{impl_config, Form, NodeCtx};
use crate::inspector::routing::CallOrder;

impl_config!(ServiceConfig => Service);

/// The service's side of the app.
pub struct Service;

impl KindView for Service {
    fn icon() -> AnyView {
        // Two stacked servers.
        view! {
            <rect x="3" y="4" width="18" height="7" rx="1.5" />
            <rect x="3" y="13" width="18" height="7" rx="1.5" />
            <path d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <ServiceForm ctx /> }.into_any()
    }
}

#[component]
fn ServiceForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<ServiceConfig>::new(ctx);
    view! {
        <StationFields f pool="workers" pool_label="Workers"
            pool_size=Access { get: |c| c.workers, set: |c, v| c.workers = v }
            queue=Access { get: |c| c.queue_capacity, set: |c, v| c.queue_capacity = v } />
        <DurationField id=f.id("service_time") label="Service time"
            value=f.read(|c| c.service_time.clone())
            commit=f.write("service_time", |c, v| c.service_time = v) />
        <OptionalNumberField id=f.id("timeout_ms") label="Timeout" unit="ms" none_label="None"
            default=1000.0 value=f.read(|c| c.timeout_ms)
            commit=f.write("timeout_ms", |c, v| c.timeout_ms = v) />
        <CheckboxField id=f.id("release_while_waiting")
            label="Free the worker while waiting on calls"
            value=f.read(|c| c.release_while_waiting)
            commit=f.write("release_while_waiting", |c, v| c.release_while_waiting = v) />
        <SlowdownFields f slowdown=Access { get: |c| c.slowdown, set: |c, v| c.slowdown = v } />
        <CallOrder f />
    }
}
