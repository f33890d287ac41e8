//! A database: a cylinder; its connections, queue, and read and write times.

use leptos::prelude::*;
use pattern_engine::components::database::DatabaseConfig;

use super::station::{Access, SlowdownFields, StationFields};
use super::KindView;
use crate::inspector::fields::DurationField;
use crate::inspector::form::{impl_config, Form, NodeCtx};

impl_config!(DatabaseConfig => Database);

/// The database's side of the app.
pub struct Database;

impl KindView for Database {
    fn icon() -> AnyView {
        // A cylinder.
        view! {
            <ellipse cx="12" cy="5.5" rx="8" ry="3" />
            <path d="M4 5.5v13c0 1.7 3.6 3 8 3s8-1.3 8-3v-13" />
            <path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <DatabaseForm ctx /> }.into_any()
    }
}

#[component]
fn DatabaseForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<DatabaseConfig>::new(ctx);
    view! {
        <StationFields f pool="connections" pool_label="Connections"
            pool_size=Access { get: |c| c.connections, set: |c, v| c.connections = v }
            queue=Access { get: |c| c.queue_capacity, set: |c, v| c.queue_capacity = v } />
        <DurationField id=f.id("read_time") label="Read time"
            value=f.read(|c| c.read_time.clone())
            commit=f.write("read_time", |c, v| c.read_time = v) />
        <DurationField id=f.id("write_time") label="Write time"
            value=f.read(|c| c.write_time.clone())
            commit=f.write("write_time", |c, v| c.write_time = v) />
        <SlowdownFields f slowdown=Access { get: |c| c.slowdown, set: |c, v| c.slowdown = v } />
    }
}
