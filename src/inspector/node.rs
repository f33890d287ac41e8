//! One selected node: its id, its label, and its kind's configuration.
//!
//! The form reads the node through one `Memo`, so an edit elsewhere in the document (another
//! node dragged, an edge added) does not re-render it.

use leptos::prelude::*;
use pattern_engine::components::api_gateway::GatewayConfig;
use pattern_engine::components::cache::CacheConfig;
use pattern_engine::components::client::{Arrival, ClientConfig, Popularity};
use pattern_engine::components::database::DatabaseConfig;
use pattern_engine::components::load_balancer::{Algorithm, LoadBalancerConfig};
use pattern_engine::components::queue::QueueConfig;
use pattern_engine::components::service::ServiceConfig;
use pattern_engine::components::worker::WorkerConfig;
use pattern_engine::components::{Component, Kind};
use pattern_engine::scenario::{Node, Target};

use super::connections::Connections;
use super::fields::{
    CheckboxField, DurationField, FieldError, NumberField, OptionalNumberField, RatioField,
    SelectField,
};
use super::routing::{CallOrder, ClientRoutes, GatewayRules};
use super::{commit, Commit};
use crate::state::Editor;

/// The most a `u32` count holds.
const MAX_U32: f64 = u32::MAX as f64;
/// The most a `u64` count holds exactly as a number field reads it.
const MAX_COUNT: f64 = 9_007_199_254_740_991.0;

/// What every part of the form needs: the editor, the node's id, and the node's memo.
#[derive(Clone, Copy)]
pub(super) struct NodeCtx {
    pub(super) editor: Editor,
    pub(super) id: StoredValue<String>,
    node: Memo<Option<Node>>,
}

impl NodeCtx {
    /// Changes the node as one undo step, unless the validator refuses `field`.
    fn change(self, field: &str, f: impl FnOnce(&mut Node)) -> Result<(), String> {
        let id = self.id.get_value();
        commit(self.editor, &Target::Node(id.clone()), field, move |doc| {
            if let Some(node) = doc.nodes.iter_mut().find(|n| n.id == id) {
                f(node);
            }
        })
    }
}

/// A kind's configuration type, found inside a [`Component`].
pub(super) trait Config: Clone + Default + PartialEq + Send + Sync + 'static {
    fn of(c: &Component) -> Option<&Self>;
    fn of_mut(c: &mut Component) -> Option<&mut Self>;
}

macro_rules! config {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl Config for $t {
            fn of(c: &Component) -> Option<&Self> {
                match c {
                    Component::$v(x) => Some(x),
                    _ => None,
                }
            }
            fn of_mut(c: &mut Component) -> Option<&mut Self> {
                match c {
                    Component::$v(x) => Some(x),
                    _ => None,
                }
            }
        }
    )*};
}

config!(
    ClientConfig => Client,
    LoadBalancerConfig => LoadBalancer,
    GatewayConfig => ApiGateway,
    ServiceConfig => Service,
    CacheConfig => Cache,
    DatabaseConfig => Database,
    QueueConfig => Queue,
    WorkerConfig => Worker,
);

/// Reads and writes one kind's configuration of the selected node.
pub(super) struct Form<C: Config> {
    pub(super) ctx: NodeCtx,
    pub(super) config: Memo<Option<C>>,
}

impl<C: Config> Clone for Form<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Config> Copy for Form<C> {}

impl<C: Config> Form<C> {
    fn new(ctx: NodeCtx) -> Self {
        let node = ctx.node;
        let config = Memo::new(move |_| {
            node.with(|n| n.as_ref().and_then(|n| C::of(&n.component).cloned()))
        });
        Form { ctx, config }
    }

    /// The id of the control for `field`.
    pub(super) fn id(self, field: &str) -> String {
        format!("inspector-{}", field.replace('.', "-"))
    }

    /// One value of the configuration, as a signal.
    pub(super) fn read<T: Clone + Send + Sync + 'static>(
        self,
        get: impl Fn(&C) -> T + Send + Sync + 'static,
    ) -> Signal<T> {
        let config = self.config;
        Signal::derive(move || {
            config.with(|c| match c {
                Some(c) => get(c),
                None => get(&C::default()),
            })
        })
    }

    /// Sets one value of the configuration; `field` names it as the validator does.
    pub(super) fn write<T: 'static>(
        self,
        field: &'static str,
        set: impl Fn(&mut C, T) + Copy + Send + Sync + 'static,
    ) -> Commit<T> {
        Callback::new(move |v: T| {
            self.ctx.change(&format!("config.{field}"), move |node| {
                if let Some(c) = C::of_mut(&mut node.component) {
                    set(c, v);
                }
            })
        })
    }
}

/// The form for the node `id`.
#[component]
pub fn NodeForm(id: String) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let stored = StoredValue::new(id.clone());
    let node = Memo::new(move |_| {
        editor
            .doc
            .with(|d| stored.with_value(|id| d.node(id).cloned()))
    });
    let ctx = NodeCtx {
        editor,
        id: stored,
        node,
    };
    let kind = Memo::new(move |_| node.with(|n| n.as_ref().map(|n| n.component.kind())));
    let heading_id = format!("inspector-node-{id}");
    let labelled_by = heading_id.clone();
    let testid = format!("inspector-node-{id}");
    view! {
        <section class="inspector-node" aria-labelledby=labelled_by data-testid=testid>
            {move || kind.get().map(|k| view! {
                <span class=format!("inspector-kind group-{}", k.group().name())>{k.title()}</span>
            })}
            <h3 class="inspector-heading" id=heading_id>
                {move || node.with(|n| n.as_ref().map(|n| n.label.clone()).unwrap_or_default())}
            </h3>
            <p class="inspector-id">"id " <code>{id}</code></p>
            <LabelField ctx />
            {move || match kind.get() {
                Some(Kind::Client) => view! { <ClientForm ctx /> }.into_any(),
                Some(Kind::LoadBalancer) => view! { <LoadBalancerForm ctx /> }.into_any(),
                Some(Kind::ApiGateway) => view! { <GatewayForm ctx /> }.into_any(),
                Some(Kind::Service) => view! { <ServiceForm ctx /> }.into_any(),
                Some(Kind::Cache) => view! { <CacheForm ctx /> }.into_any(),
                Some(Kind::Database) => view! { <DatabaseForm ctx /> }.into_any(),
                Some(Kind::Queue) => view! { <QueueForm ctx /> }.into_any(),
                Some(Kind::Worker) => view! { <WorkerForm ctx /> }.into_any(),
                None => view! { <p class="muted">"This component is no longer in the diagram."</p> }
                    .into_any(),
            }}
            <Connections id=stored.get_value() />
        </section>
    }
}

/// The node's display name.
#[component]
fn LabelField(ctx: NodeCtx) -> impl IntoView {
    let error = RwSignal::new(None);
    let node = ctx.node;
    view! {
        <div class="field">
            <label for="inspector-label">"Label"</label>
            <input
                id="inspector-label"
                type="text"
                prop:value=move || node.with(|n| n.as_ref().map(|n| n.label.clone()).unwrap_or_default())
                on:change=move |ev| {
                    let label = event_target_value(&ev).trim().to_string();
                    error.set(ctx.change("label", move |n| n.label = label).err());
                }
            />
            <FieldError id="inspector-label-error".to_string() error />
        </div>
    }
}

/// How to read and write one value of a configuration.
struct Access<C, T> {
    get: fn(&C) -> T,
    set: fn(&mut C, T),
}

/// What services and databases share as queueing stations: a pool serving in parallel (the
/// config field `pool`, shown as `pool_label`) and the places where requests wait for it.
#[component]
fn StationFields<C: Config>(
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
        <CallOrder f />
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
    }
}

#[component]
fn CacheForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<CacheConfig>::new(ctx);
    view! {
        <NumberField id=f.id("capacity_keys") label="Capacity" unit="keys" integer=true
            max=MAX_COUNT value=f.read(|c| c.capacity_keys as f64)
            commit=f.write("capacity_keys", |c, v: f64| c.capacity_keys = v as u64) />
        <OptionalNumberField id=f.id("ttl_ms") label="Time to live" unit="ms" none_label="None"
            default=30000.0 value=f.read(|c| c.ttl_ms)
            commit=f.write("ttl_ms", |c, v| c.ttl_ms = v) />
        <NumberField id=f.id("lookup_ms") label="Lookup time" unit="ms"
            value=f.read(|c| c.lookup_ms)
            commit=f.write("lookup_ms", |c, v| c.lookup_ms = v) />
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

const ALGORITHMS: &[(&str, &str)] = &[
    ("round_robin", "Round robin"),
    ("weighted_round_robin", "Weighted round robin"),
    ("random", "Random"),
    ("least_connections", "Least connections"),
    ("ip_hash", "IP hash (sticky)"),
    ("power_of_two", "Power of two choices"),
    ("consistent_hash", "Consistent hashing"),
];

fn algorithm_of(name: &str) -> Algorithm {
    match name {
        "weighted_round_robin" => Algorithm::WeightedRoundRobin,
        "random" => Algorithm::Random,
        "least_connections" => Algorithm::LeastConnections,
        "ip_hash" => Algorithm::IpHash,
        "power_of_two" => Algorithm::PowerOfTwo,
        "consistent_hash" => Algorithm::ConsistentHash { virtual_nodes: 100 },
        _ => Algorithm::RoundRobin,
    }
}

#[component]
fn LoadBalancerForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<LoadBalancerConfig>::new(ctx);
    let name = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("round_robin", |c| c.algorithm.name()))
    });
    view! {
        <SelectField id=f.id("algorithm") label="Algorithm" options=ALGORITHMS
            value=Signal::derive(move || name.get())
            commit=f.write("algorithm", |c, v: &'static str| {
                if c.algorithm.name() != v {
                    c.algorithm = algorithm_of(v);
                }
            }) />
        <Show when=move || name.get() == "consistent_hash">
            <NumberField id=f.id("algorithm.virtual_nodes") label="Virtual nodes" unit="per backend"
                integer=true max=MAX_U32
                value=f.read(|c| match c.algorithm { Algorithm::ConsistentHash { virtual_nodes } => virtual_nodes as f64, _ => 0.0 })
                commit=f.write("algorithm.virtual_nodes", |c, v: f64| {
                    if let Algorithm::ConsistentHash { virtual_nodes } = &mut c.algorithm {
                        *virtual_nodes = v as u32;
                    }
                }) />
        </Show>
    }
}

#[component]
fn GatewayForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<GatewayConfig>::new(ctx);
    view! { <GatewayRules f /> }
}

const ARRIVALS: &[(&str, &str)] = &[
    ("poisson", "Poisson (random, steady)"),
    ("constant", "Constant (evenly spaced)"),
    ("bursts", "Bursts"),
    ("ramp", "Ramp"),
];

fn arrival_name(a: &Arrival) -> &'static str {
    match a {
        Arrival::Poisson { .. } => "poisson",
        Arrival::Constant { .. } => "constant",
        Arrival::Bursts { .. } => "bursts",
        Arrival::Ramp { .. } => "ramp",
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
        <NumberField id=f.id("clients") label="Distinct callers" unit="callers" integer=true
            max=MAX_COUNT value=f.read(|c| c.clients as f64)
            commit=f.write("clients", |c, v: f64| c.clients = v as u64) />
        <ClientRoutes f />
    }
}
