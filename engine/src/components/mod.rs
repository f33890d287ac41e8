//! Component kinds. Each kind lives in its own file: its declaration ([`KindSpec`]: names,
//! palette group, link tag, connection rules), its configuration (part of the scenario document)
//! with its validation, and its runtime state machine reacting to "a request arrives", "work
//! finishes", "a response comes back" and "a timer fires".
//!
//! This module only lists the kinds, once, in [`kinds!`]; the enums and their delegation follow
//! from that list. Adding a kind is one line here (docs/ARCHITECTURE.md, "Adding a kind").

pub mod api_gateway;
pub mod cache;
mod calls;
pub mod client;
pub mod database;
mod effects;
pub mod load_balancer;
mod lru;
pub mod queue;
#[cfg(test)]
mod recorder;
pub mod scatter_gather;
pub mod service;
pub(crate) mod settings;
pub mod shard_router;
pub mod spec;
mod station;
pub mod wiring;
pub mod worker;

pub(crate) use effects::Effects;
pub use settings::FieldDoc;
pub use spec::{DataRole, Group, KindSpec, Rules};
pub use station::{Slowdown, QUEUE_PLACES, SERVERS};

use crate::json::{FromJson, Json, ReadError, ToJson};
use crate::link::v2::{IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;
use crate::sim::context::Ctx;
use crate::sim::events::Status;
use crate::sim::frames::CHILD_OUT;
use std::fmt;
use wiring::{Around, Wiring, WiringProblem};

/// What a kind reports about its own state beyond the counters every node has, each figure
/// `None` for kinds that have no such thing. The live view draws what is there.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Gauges {
    /// How much it holds and how much it can hold (a cache's keys).
    pub fill: Option<(u64, u64)>,
}

/// A kind's configuration: what the scenario document holds for a node of that kind.
pub trait Config: Clone + fmt::Debug + Default + PartialEq + FromJson + ToJson + LinkValue {
    /// Problems with the configuration's own values, as (field, message) pairs.
    fn problems(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// Values outside their bounds inside a field's variant (an arrival's rate, a popularity's
    /// exponent), as (field, message): reported as `out_of_bounds` like the declared bounds
    /// of the config's own fields, so a link saved before such a bound still opens.
    fn nested_bound_problems(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// How many requests a node of this config works on at once (0 if it does no queued work).
    fn servers(&self) -> u32 {
        0
    }

    /// Problems between the config's references and the node's surroundings (a call order
    /// naming a node it is not connected to).
    fn wiring_problems(&self, _around: &Around) -> Vec<WiringProblem> {
        Vec::new()
    }

    /// The named routes a node of this config sends requests on (a client's).
    fn route_names(&self) -> Vec<&str> {
        Vec::new()
    }

    /// True if a node of this config may stop waiting for calls it made (a service with a
    /// timeout, a scatter-gather answering on a quorum): a call lost on the way never holds
    /// it for good, and its callees' work may be for nobody.
    fn gives_up(&self) -> bool {
        false
    }
}

/// A kind's runtime: one state machine per node. Handlers a kind does not need keep their
/// defaults (a response is passed back to the caller unchanged; everything else is ignored).
///
/// Handlers write their effects through [`Effects`] and are generic over it: the simulation
/// compiles them for its `Ctx` alone, unit tests for a recorder. Dispatch is a `match` over
/// [`NodeState`], so no handler call goes through a pointer.
pub(crate) trait Behaviour: Sized {
    /// The configuration it is built from.
    type Config: Config;

    /// The runtime for a node with this config and these surroundings.
    fn build(config: &Self::Config, wiring: &Wiring) -> Self;

    /// A traffic source's next arrival is due.
    #[inline]
    fn on_generate<E: Effects>(&mut self, _ctx: &mut E) {}

    /// A request reaches the node.
    #[inline]
    fn on_arrive<E: Effects>(&mut self, _ctx: &mut E, _frame: u32) {}

    /// Local work on a frame finishes.
    #[inline]
    fn on_work_done<E: Effects>(&mut self, _ctx: &mut E, _frame: u32) {}

    /// A call made from `frame` is answered (the frame has not answered yet).
    #[inline]
    fn on_response<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        ctx.respond(frame, status);
    }

    /// A timer set for `frame` fires (the frame has not answered yet).
    #[inline]
    fn on_timeout<E: Effects>(&mut self, _ctx: &mut E, _frame: u32, _tag: u16) {}

    /// A node timer set with `tag` fires.
    #[inline]
    fn on_timer<E: Effects>(&mut self, _ctx: &mut E, _tag: u32) {}

    /// What the node reports about itself beyond the counters every node has (a cache its
    /// fill), for the live view.
    fn gauges(&self) -> Gauges {
        Gauges::default()
    }

    /// A `flush` fault: the node forgets the data it keeps in memory (a cache its keys).
    fn forget(&mut self) {}

    /// The shards serving may have changed (an `add_shard` or `remove_shard` fault began or
    /// ended, or the run starts): a shard router places its keys again.
    #[inline]
    fn on_reshard<E: Effects>(&mut self, _ctx: &mut E) {}

    /// A shard router's shards and moves, for the live view and the summary.
    fn shard_table(&self) -> Option<shard_router::ShardTable> {
        None
    }

    /// An answer to the call made from `frame` arrives: the call's pin clears, and
    /// `on_response` runs unless the frame has answered meanwhile (an orphan's answer is
    /// dropped). Not for kinds to override: the simulation and the tests' recorder both
    /// deliver answers through it.
    #[inline]
    fn receive<E: Effects>(&mut self, ctx: &mut E, frame: u32, status: Status) {
        if ctx.unpin(frame, CHILD_OUT) {
            self.on_response(ctx, frame, status);
        }
    }
}

/// Declares every kind from one list, `Variant => module::Runtime(Config)`, in palette order;
/// `module::SPEC` is the kind's declaration. The runtime's `Behaviour::Config` must be that
/// config (building a node would not compile otherwise).
macro_rules! kinds {
    ($($variant:ident => $module:ident :: $runtime:ident ( $config:ident )),+ $(,)?) => {
        /// The kinds of component, as the scenario names them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $(
                #[doc = concat!("See [`", stringify!($module), "`].")]
                $variant,
            )+
        }

        impl Kind {
            /// Every kind, in palette order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),+];

            /// The kind's declaration.
            pub fn spec(self) -> &'static KindSpec {
                match self {
                    $(Kind::$variant => &$module::SPEC,)+
                }
            }

            /// Its configuration's declared fields, in declaration order.
            pub fn fields(self) -> &'static [FieldDoc] {
                match self {
                    $(Kind::$variant => $module::$config::FIELDS,)+
                }
            }
        }

        /// A component's kind with its configuration.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Component {
            $(
                #[doc = concat!("A `", stringify!($module), "` and its configuration.")]
                $variant($module::$config),
            )+
        }

        impl Component {
            /// The kind.
            pub fn kind(&self) -> Kind {
                match self {
                    $(Component::$variant(_) => Kind::$variant,)+
                }
            }

            /// A component of `kind` with its default configuration (what the palette drops).
            pub fn default_of(kind: Kind) -> Self {
                match kind {
                    $(Kind::$variant => Component::$variant(Default::default()),)+
                }
            }

            /// Reads the configuration of a `kind` from JSON (fields left out take their
            /// defaults).
            pub fn from_config(kind: Kind, config: &Json) -> Result<Self, ReadError> {
                Ok(match kind {
                    $(Kind::$variant => Component::$variant(FromJson::from_tree(config)?),)+
                })
            }

            /// The configuration as JSON.
            pub fn to_config(&self) -> Json {
                match self {
                    $(Component::$variant(c) => c.to_tree(),)+
                }
            }

            /// Problems with the configuration's own values, as (field, message) pairs.
            pub fn problems(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Component::$variant(c) => c.problems(),)+
                }
            }

            /// The configuration's values outside their declared bounds, as (field, message).
            pub fn bound_problems(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Component::$variant(c) => {
                        let mut out = c.bound_problems();
                        out.extend(Config::nested_bound_problems(c));
                        out
                    })+
                }
            }

            /// Problems between the configuration's references and the node's surroundings.
            pub fn wiring_problems(&self, around: &Around) -> Vec<WiringProblem> {
                match self {
                    $(Component::$variant(c) => c.wiring_problems(around),)+
                }
            }

            /// The named routes the component sends requests on.
            pub fn route_names(&self) -> Vec<&str> {
                match self {
                    $(Component::$variant(c) => c.route_names(),)+
                }
            }

            /// Writes the configuration as a version-2 link table.
            pub(crate) fn config_link_write(&self, w: &mut Writer, ids: &IdIndex) {
                match self {
                    $(Component::$variant(c) => c.write(w, ids),)+
                }
            }

            /// Reads a `kind`'s configuration from a version-2 link table.
            pub(crate) fn config_link_read(
                kind: Kind,
                r: &mut Reader,
                ids: &[String],
            ) -> Result<Self, LinkError> {
                Ok(match kind {
                    $(Kind::$variant => Component::$variant(LinkValue::read(r, ids, "config")?),)+
                })
            }

            /// How many requests the component can work on at once (0 if it does no queued
            /// work).
            pub fn servers(&self) -> u32 {
                match self {
                    $(Component::$variant(c) => c.servers(),)+
                }
            }

            /// True if the component stops waiting for its calls by itself.
            pub fn gives_up(&self) -> bool {
                match self {
                    $(Component::$variant(c) => c.gives_up(),)+
                }
            }
        }

        /// A component's runtime state: one state machine per node.
        pub(crate) enum NodeState {
            $($variant($module::$runtime),)+
        }

        impl NodeState {
            /// The runtime of a node with this component and surroundings.
            pub(crate) fn build(component: &Component, wiring: &Wiring) -> Self {
                match component {
                    $(Component::$variant(c) => NodeState::$variant(Behaviour::build(c, wiring)),)+
                }
            }

            /// A traffic source's next arrival is due.
            #[inline]
            pub(crate) fn on_generate(&mut self, ctx: &mut Ctx) {
                match self {
                    $(NodeState::$variant(n) => n.on_generate(ctx),)+
                }
            }

            /// A request reaches the node.
            #[inline]
            pub(crate) fn on_arrive(&mut self, ctx: &mut Ctx, frame: u32) {
                match self {
                    $(NodeState::$variant(n) => n.on_arrive(ctx, frame),)+
                }
            }

            /// Local work on a frame finishes.
            #[inline]
            pub(crate) fn on_work_done(&mut self, ctx: &mut Ctx, frame: u32) {
                match self {
                    $(NodeState::$variant(n) => n.on_work_done(ctx, frame),)+
                }
            }

            /// An answer to the call made from `frame` arrives (see [`Behaviour::receive`]).
            #[inline]
            /// What the node reports about itself.
            pub(crate) fn gauges(&self) -> Gauges {
                match self {
                    $(NodeState::$variant(n) => n.gauges(),)+
                }
            }

            /// A `flush` fault strikes the node.
            pub(crate) fn forget(&mut self) {
                match self {
                    $(NodeState::$variant(n) => n.forget(),)+
                }
            }

            /// The shards serving may have changed.
            pub(crate) fn on_reshard(&mut self, ctx: &mut Ctx) {
                match self {
                    $(NodeState::$variant(n) => n.on_reshard(ctx),)+
                }
            }

            /// A shard router's shards and moves.
            pub(crate) fn shard_table(&self) -> Option<shard_router::ShardTable> {
                match self {
                    $(NodeState::$variant(n) => n.shard_table(),)+
                }
            }

            /// Always inlined: the loop's answer delivery is one of the hottest paths, and
            /// with a second caller (a call's timeout) the compiler moved it out of line
            /// (measured: 2% more instructions per event).
            #[inline(always)]
            pub(crate) fn receive(&mut self, ctx: &mut Ctx, frame: u32, status: Status) {
                match self {
                    $(NodeState::$variant(n) => n.receive(ctx, frame, status),)+
                }
            }

            /// A timer set for `frame` fires (the frame has not answered yet).
            #[inline]
            pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx, frame: u32, tag: u16) {
                match self {
                    $(NodeState::$variant(n) => n.on_timeout(ctx, frame, tag),)+
                }
            }

            /// A node timer fires.
            #[inline]
            pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, tag: u32) {
                match self {
                    $(NodeState::$variant(n) => n.on_timer(ctx, tag),)+
                }
            }
        }
    };
}

kinds! {
    Client => client::Client(ClientConfig),
    LoadBalancer => load_balancer::LoadBalancer(LoadBalancerConfig),
    ApiGateway => api_gateway::Gateway(GatewayConfig),
    Service => service::Service(ServiceConfig),
    Cache => cache::Cache(CacheConfig),
    Database => database::Database(DatabaseConfig),
    Queue => queue::Queue(QueueConfig),
    Worker => worker::Worker(WorkerConfig),
    ScatterGather => scatter_gather::ScatterGather(ScatterGatherConfig),
    ShardRouter => shard_router::ShardRouter(ShardRouterConfig),
}

impl Kind {
    /// The name used in scenario files and test ids.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kind with this file name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// How people call it.
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// Its palette section.
    pub fn group(self) -> Group {
        self.spec().group
    }
}

/// Written as its name, `"load_balancer"`.
impl FromJson for Kind {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let name = String::from_tree(value)?;
        Kind::from_name(&name).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            ReadError::new(format!(
                "unknown kind `{name}`; it is one of {}",
                names.join(", ")
            ))
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
