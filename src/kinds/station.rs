//! What services and databases share as queueing stations (as they do in the engine,
//! `components/station.rs`): a pool serving in parallel and a queue where requests wait for it.

use leptos::prelude::*;

use pattern_engine::components::Slowdown;

use crate::inspector::fields::{NumberField, OptionalNumberField, SelectField};
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

const SLOWDOWNS: &[(&str, &str)] = &[
    ("none", "None"),
    ("linear", "Linear, per busy server"),
    ("exponential", "Exponential, per busy server"),
];

/// How the station's work grows with its load (the config field `slowdown`).
#[component]
pub fn SlowdownFields<C: Config>(f: Form<C>, slowdown: Access<C, Slowdown>) -> impl IntoView {
    let (get, set) = (slowdown.get, slowdown.set);
    let name = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("none", |c| get(c).name()))
    });
    view! {
        <SelectField id=f.id("slowdown") label="Slows down under load" options=SLOWDOWNS
            value=Signal::derive(move || name.get())
            commit=f.write("slowdown", move |c, v: &'static str| {
                if get(c).name() != v {
                    set(c, match v {
                        "linear" => Slowdown::Linear { per_busy: 0.1 },
                        "exponential" => Slowdown::Exponential { per_busy: 0.05 },
                        _ => Slowdown::None,
                    });
                }
            }) />
        <Show when=move || name.get() != "none">
            <NumberField id=f.id("slowdown.per_busy") label="Growth" unit="per other busy server"
                value=f.read(move |c| match get(c) {
                    Slowdown::Linear { per_busy } | Slowdown::Exponential { per_busy } => per_busy,
                    Slowdown::None => 0.0,
                })
                commit=f.write("slowdown.per_busy", move |c, v: f64| {
                    set(c, match get(c) {
                        Slowdown::Linear { .. } => Slowdown::Linear { per_busy: v },
                        Slowdown::Exponential { .. } => Slowdown::Exponential { per_busy: v },
                        Slowdown::None => Slowdown::None,
                    });
                }) />
        </Show>
    }
}
