//! What services and databases share as queueing stations (as they do in the engine,
//! `components/station.rs`): a pool serving in parallel and a queue where requests wait for it.

use leptos::prelude::*;

use crate::inspector::fields::{NumberField, OptionalNumberField};
use crate::inspector::form::{Config, Form, MAX_U32};

/// How to read and write one value of a configuration.
pub struct Access<C, T> {
    /// Reads it.
    pub get: fn(&C) -> T,
    /// Writes it.
    pub set: fn(&mut C, T),
}

/// A station's pool (the config field `pool`, shown as `pool_label`) and its queue's capacity.
#[component]
pub fn StationFields<C: Config>(
    f: Form<C>,
    pool: &'static str,
    pool_label: &'static str,
    pool_size: Access<C, u32>,
    queue: Access<C, Option<u64>>,
) -> impl IntoView {
    let (size, resize) = (pool_size.get, pool_size.set);
    let (capacity, set_capacity) = (queue.get, queue.set);
    view! {
        <NumberField id=f.id(pool) label=pool_label unit="in parallel" integer=true max=MAX_U32
            value=f.read(move |c| f64::from(size(c)))
            commit=f.write(pool, move |c, v: f64| resize(c, v as u32)) />
        <OptionalNumberField id=f.id("queue_capacity") label="Queue capacity" unit="waiting"
            none_label="Unbounded" integer=true default=100.0
            value=f.read(move |c| capacity(c).map(|q| q as f64))
            commit=f.write("queue_capacity", move |c, v: Option<f64>| set_capacity(c, v.map(|v| v as u64))) />
    }
}
