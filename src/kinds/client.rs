//! A client: a person; its arrival process (open, or a closed loop of users), its key space and popularity, its read ratio, its
//! share of scans, its callers and its named routes.

use leptos::prelude::*;
use pattern_engine::components::client::{Arrival, ClientConfig, Popularity};
use pattern_engine::distributions::Duration;

use super::KindView;
use crate::inspector::fields::{DurationField, NumberField, RatioField, SelectField};
use crate::inspector::form::{impl_config, Config, Form, NodeCtx, MAX_COUNT, MAX_U32};
use crate::inspector::routing::ClientRoutes;

impl_config!(ClientConfig => Client);

/// The client's side of the app.
pub struct Client;

impl KindView for Client {
    fn icon() -> AnyView {
        // A person: head and shoulders.
        view! {
            <circle cx="12" cy="8" r="4" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <ClientForm ctx /> }.into_any()
    }
}

const ARRIVALS: &[(&str, &str)] = &[
    ("poisson", "Poisson (random, steady)"),
    ("constant", "Constant (evenly spaced)"),
    ("bursts", "Bursts"),
    ("ramp", "Ramp"),
    ("closed_loop", "Closed loop (users who wait, then think)"),
];

fn arrival_name(a: &Arrival) -> &'static str {
    match a {
        Arrival::Poisson { .. } => "poisson",
        Arrival::Constant { .. } => "constant",
        Arrival::Bursts { .. } => "bursts",
        Arrival::Ramp { .. } => "ramp",
        Arrival::ClosedLoop { .. } => "closed_loop",
    }
}

/// Another arrival process with about the same mean rate.
fn arrival_of(c: &ClientConfig, name: &str) -> Arrival {
    let rate = c.mean_rate_per_s();
    match name {
        "constant" => Arrival::Constant { rate_per_s: rate },
        "bursts" => Arrival::Bursts {
            base_rate_per_s: rate,
            burst_rate_per_s: rate * 5.0,
            period_s: 10.0,
            burst_s: 1.0,
        },
        "ramp" => Arrival::Ramp {
            from_per_s: 0.0,
            to_per_s: rate,
            over_s: 10.0,
        },
        // Ten users whose thinking alone would send about the same rate.
        "closed_loop" => Arrival::ClosedLoop {
            users: 10,
            think_time: Duration::exponential(10.0 * 1000.0 / rate.max(0.001)),
        },
        _ => Arrival::Poisson { rate_per_s: rate },
    }
}

const POPULARITY: &[(&str, &str)] = &[("uniform", "Uniform"), ("zipf", "Zipf (hot keys)")];

/// A number inside the client's arrival process: its label, unit, and how to read and write it.
type ArrivalParam = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Arrival) -> f64,
    fn(&mut Arrival, f64),
);

fn arrival_params(name: &str) -> Vec<ArrivalParam> {
    macro_rules! p {
        ($field:literal, $label:literal, $unit:literal, $variant:ident { $f:ident }) => {
            (
                concat!("arrival.", $field),
                $label,
                $unit,
                |a: &Arrival| match a {
                    Arrival::$variant { $f, .. } => *$f,
                    _ => 0.0,
                },
                |a: &mut Arrival, v: f64| {
                    if let Arrival::$variant { $f, .. } = a {
                        *$f = v
                    }
                },
            )
        };
    }
    match name {
        "poisson" => vec![p!("rate_per_s", "Rate", "/s", Poisson { rate_per_s })],
        "constant" => vec![p!("rate_per_s", "Rate", "/s", Constant { rate_per_s })],
        "bursts" => vec![
            p!(
                "base_rate_per_s",
                "Base rate",
                "/s",
                Bursts { base_rate_per_s }
            ),
            p!(
                "burst_rate_per_s",
                "Burst rate",
                "/s",
                Bursts { burst_rate_per_s }
            ),
            p!("period_s", "Period", "s", Bursts { period_s }),
            p!("burst_s", "Burst length", "s", Bursts { burst_s }),
        ],
        // Its users are a count and its think time a distribution: own fields, below.
        "closed_loop" => Vec::new(),
        _ => vec![
            p!("from_per_s", "From", "/s", Ramp { from_per_s }),
            p!("to_per_s", "To", "/s", Ramp { to_per_s }),
            p!("over_s", "Over", "s", Ramp { over_s }),
        ],
    }
}

#[component]
fn ClientForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<ClientConfig>::new(ctx);
    let arrival = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("poisson", |c| arrival_name(&c.arrival)))
    });
    let zipf = Memo::new(move |_| {
        f.config.with(|c| {
            c.as_ref()
                .is_some_and(|c| matches!(c.keys.popularity, Popularity::Zipf { .. }))
        })
    });
    let params = move || {
        arrival_params(arrival.get())
            .into_iter()
            .map(|(field, label, unit, get, set)| {
                let value = Signal::derive(move || {
                    f.config
                        .with(|c| c.as_ref().map_or(0.0, |c| get(&c.arrival)))
                });
                let commit = Callback::new(move |v: f64| {
                    f.ctx.change(&format!("config.{field}"), move |node| {
                        if let Some(c) = ClientConfig::of_mut(&mut node.component) {
                            set(&mut c.arrival, v);
                        }
                    })
                });
                view! { <NumberField id=f.id(field) label unit value commit /> }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field-group">
            <legend>"Arrivals"</legend>
            <SelectField id=f.id("arrival") label="Process" options=ARRIVALS
                value=Signal::derive(move || arrival.get())
                commit=Callback::new(move |v: &'static str| {
                    f.ctx.change("config.arrival", move |node| {
                        if let Some(c) = ClientConfig::of_mut(&mut node.component) {
                            if arrival_name(&c.arrival) != v {
                                c.arrival = arrival_of(c, v);
                            }
                        }
                    })
                }) />
            {params}
            <Show when=move || arrival.get() == "closed_loop">
                <NumberField id=f.id("arrival.users") label="Users" unit="waiting, then thinking"
                    integer=true max=MAX_U32
                    value=f.read(|c| match c.arrival { Arrival::ClosedLoop { users, .. } => f64::from(users), _ => 0.0 })
                    commit=f.write("arrival.users", |c, v: f64| {
                        if let Arrival::ClosedLoop { users, .. } = &mut c.arrival {
                            *users = v as u32;
                        }
                    }) />
                <DurationField id=f.id("arrival.think_time") label="Think time"
                    value=f.read(|c| match &c.arrival {
                        Arrival::ClosedLoop { think_time, .. } => think_time.clone(),
                        _ => Duration::exponential(1000.0),
                    })
                    commit=f.write("arrival.think_time", |c, v| {
                        if let Arrival::ClosedLoop { think_time, .. } = &mut c.arrival {
                            *think_time = v;
                        }
                    }) />
            </Show>
        </fieldset>
        <fieldset class="field-group">
            <legend>"Keys"</legend>
            <NumberField id=f.id("keys.count") label="Key space" unit="keys" integer=true
                max=MAX_COUNT value=f.read(|c| c.keys.count as f64)
                commit=f.write("keys.count", |c, v: f64| c.keys.count = v as u64) />
            <SelectField id=f.id("keys.popularity") label="Popularity" options=POPULARITY
                value=Signal::derive(move || if zipf.get() { "zipf" } else { "uniform" })
                commit=f.write("keys.popularity", |c, v: &'static str| {
                    c.keys.popularity = match (v, &c.keys.popularity) {
                        ("zipf", Popularity::Zipf { s }) => Popularity::Zipf { s: *s },
                        ("zipf", _) => Popularity::Zipf { s: 1.0 },
                        _ => Popularity::Uniform,
                    };
                }) />
            <Show when=move || zipf.get()>
                <NumberField id=f.id("keys.popularity.s") label="Zipf exponent"
                    value=f.read(|c| match c.keys.popularity { Popularity::Zipf { s } => s, _ => 0.0 })
                    commit=f.write("keys.popularity.s", |c, v: f64| {
                        if let Popularity::Zipf { s } = &mut c.keys.popularity {
                            *s = v;
                        }
                    }) />
            </Show>
        </fieldset>
        <RatioField id=f.id("read_ratio") label="Read ratio"
            value=f.read(|c| c.read_ratio)
            commit=f.write("read_ratio", |c, v| c.read_ratio = v) />
        // Reads without a shard key: a shard router sends each to every shard serving.
        <RatioField id=f.id("scan_ratio") label="Scans (share of reads)"
            value=f.read(|c| c.scan_ratio)
            commit=f.write("scan_ratio", |c, v| c.scan_ratio = v) />
        <NumberField id=f.id("clients") label="Distinct callers" unit="callers" integer=true
            max=MAX_COUNT value=f.read(|c| c.clients as f64)
            commit=f.write("clients", |c, v: f64| c.clients = v as u64) />
        <ClientRoutes f />
    }
}
