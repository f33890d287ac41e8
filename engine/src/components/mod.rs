//! Component kinds. Each kind lives in its own file: its configuration (part of the scenario
//! document), its validation, and its runtime state machine reacting to "a request arrives",
//! "work finishes", "a response comes back" and "a timer fires".
//!
//! This module only names the kinds and delegates to them.

pub mod api_gateway;
pub mod cache;
mod calls;
pub mod client;
pub mod database;
pub mod load_balancer;
mod lru;
pub mod queue;
pub mod service;
mod station;
pub mod worker;

use crate::json::{FromJson, Json, ReadError, ToJson};
use crate::sim::context::Ctx;
use crate::sim::events::Status;
use std::fmt;

/// The kinds of component, as the scenario names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A traffic source.
    Client,
    /// Spreads requests over its backends.
    LoadBalancer,
    /// Routes requests by operation or named route.
    ApiGateway,
    /// Does work with a pool of workers and calls its dependencies.
    Service,
    /// Answers reads it has seen recently; passes misses and writes on.
    Cache,
    /// A store with a pool of connections.
    Database,
    /// A message queue: publishers hand it jobs, workers drain it.
    Queue,
    /// Consumes jobs from a queue.
    Worker,
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

impl Kind {
    /// Every kind, in palette order.
    pub const ALL: [Kind; 8] = [
        Kind::Client,
        Kind::LoadBalancer,
        Kind::ApiGateway,
        Kind::Service,
        Kind::Cache,
        Kind::Database,
        Kind::Queue,
        Kind::Worker,
    ];

    /// The name used in scenario files and test ids.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::LoadBalancer => "load_balancer",
            Kind::ApiGateway => "api_gateway",
            Kind::Service => "service",
            Kind::Cache => "cache",
            Kind::Database => "database",
            Kind::Queue => "queue",
            Kind::Worker => "worker",
        }
    }

    /// The kind with this file name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// How people call it.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Client => "Client",
            Kind::LoadBalancer => "Load balancer",
            Kind::ApiGateway => "API gateway",
            Kind::Service => "Service",
            Kind::Cache => "Cache",
            Kind::Database => "Database",
            Kind::Queue => "Message queue",
            Kind::Worker => "Worker",
        }
    }

    /// True if requests may be sent to this kind.
    pub fn accepts_calls(self) -> bool {
        self != Kind::Client
    }

    /// Why a `self` may not call a `to`, if it may not. The validator and the editor both ask
    /// this, so a refused connection reads the same everywhere.
    pub fn connection_problem(self, to: Kind) -> Option<String> {
        match (self, to) {
            (_, Kind::Client) => Some("a client only sends requests; nothing can call it".into()),
            (Kind::Database, _) => {
                Some("a database answers and calls nothing; it is the end of a path".into())
            }
            (Kind::Queue, k) if k != Kind::Worker => Some(format!(
                "a message queue hands jobs to workers only, not to a {}",
                k.title().to_ascii_lowercase()
            )),
            (k, Kind::Worker) if k != Kind::Queue => {
                Some("a worker takes jobs from a message queue; connect the queue to it".into())
            }
            (k, Kind::Queue) if k != Kind::Service => {
                Some("only a service publishes to a message queue".into())
            }
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A component's kind with its configuration.
#[derive(Clone, Debug, PartialEq)]
pub enum Component {
    /// See [`client::ClientConfig`].
    Client(client::ClientConfig),
    /// See [`load_balancer::LoadBalancerConfig`].
    LoadBalancer(load_balancer::LoadBalancerConfig),
    /// See [`api_gateway::GatewayConfig`].
    ApiGateway(api_gateway::GatewayConfig),
    /// See [`service::ServiceConfig`].
    Service(service::ServiceConfig),
    /// See [`cache::CacheConfig`].
    Cache(cache::CacheConfig),
    /// See [`database::DatabaseConfig`].
    Database(database::DatabaseConfig),
    /// See [`queue::QueueConfig`].
    Queue(queue::QueueConfig),
    /// See [`worker::WorkerConfig`].
    Worker(worker::WorkerConfig),
}

impl Component {
    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            Component::Client(_) => Kind::Client,
            Component::LoadBalancer(_) => Kind::LoadBalancer,
            Component::ApiGateway(_) => Kind::ApiGateway,
            Component::Service(_) => Kind::Service,
            Component::Cache(_) => Kind::Cache,
            Component::Database(_) => Kind::Database,
            Component::Queue(_) => Kind::Queue,
            Component::Worker(_) => Kind::Worker,
        }
    }

    /// A component of `kind` with its default configuration (what the palette drops).
    pub fn default_of(kind: Kind) -> Self {
        match kind {
            Kind::Client => Component::Client(Default::default()),
            Kind::LoadBalancer => Component::LoadBalancer(Default::default()),
            Kind::ApiGateway => Component::ApiGateway(Default::default()),
            Kind::Service => Component::Service(Default::default()),
            Kind::Cache => Component::Cache(Default::default()),
            Kind::Database => Component::Database(Default::default()),
            Kind::Queue => Component::Queue(Default::default()),
            Kind::Worker => Component::Worker(Default::default()),
        }
    }

    /// Reads the configuration of a `kind` from JSON (fields left out take their defaults).
    pub fn from_config(kind: Kind, config: &Json) -> Result<Self, ReadError> {
        Ok(match kind {
            Kind::Client => Component::Client(FromJson::from_tree(config)?),
            Kind::LoadBalancer => Component::LoadBalancer(FromJson::from_tree(config)?),
            Kind::ApiGateway => Component::ApiGateway(FromJson::from_tree(config)?),
            Kind::Service => Component::Service(FromJson::from_tree(config)?),
            Kind::Cache => Component::Cache(FromJson::from_tree(config)?),
            Kind::Database => Component::Database(FromJson::from_tree(config)?),
            Kind::Queue => Component::Queue(FromJson::from_tree(config)?),
            Kind::Worker => Component::Worker(FromJson::from_tree(config)?),
        })
    }

    /// The configuration as JSON.
    pub fn to_config(&self) -> Json {
        match self {
            Component::Client(c) => c.to_tree(),
            Component::LoadBalancer(c) => c.to_tree(),
            Component::ApiGateway(c) => c.to_tree(),
            Component::Service(c) => c.to_tree(),
            Component::Cache(c) => c.to_tree(),
            Component::Database(c) => c.to_tree(),
            Component::Queue(c) => c.to_tree(),
            Component::Worker(c) => c.to_tree(),
        }
    }

    /// Problems with the configuration's own values, as (field, message) pairs.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        match self {
            Component::Client(c) => c.problems(),
            Component::LoadBalancer(_) | Component::ApiGateway(_) | Component::Queue(_) => {
                Vec::new()
            }
            Component::Service(c) => c.problems(),
            Component::Cache(c) => c.problems(),
            Component::Database(c) => c.problems(),
            Component::Worker(c) => c.problems(),
        }
    }

    /// How many requests the component can work on at once (0 if it does no queued work).
    pub fn servers(&self) -> u32 {
        match self {
            Component::Service(c) => c.workers,
            Component::Database(c) => c.connections,
            Component::Worker(c) => c.concurrency,
            _ => 0,
        }
    }
}

/// A component's runtime state: one state machine per node.
pub(crate) enum NodeState {
    Client(client::Client),
    LoadBalancer(load_balancer::LoadBalancer),
    ApiGateway(api_gateway::Gateway),
    Service(service::Service),
    Cache(cache::Cache),
    Database(database::Database),
    Queue(queue::Queue),
    Worker(worker::Worker),
}

impl NodeState {
    /// A client's next arrival is due.
    pub(crate) fn on_generate(&mut self, ctx: &mut Ctx) {
        if let NodeState::Client(c) = self {
            c.on_generate(ctx);
        }
    }

    /// A request reaches the node.
    pub(crate) fn on_arrive(&mut self, ctx: &mut Ctx, frame: u32) {
        match self {
            NodeState::Client(_) => {}
            NodeState::LoadBalancer(n) => n.on_arrive(ctx, frame),
            NodeState::ApiGateway(n) => n.on_arrive(ctx, frame),
            NodeState::Service(n) => n.on_arrive(ctx, frame),
            NodeState::Cache(n) => n.on_arrive(ctx, frame),
            NodeState::Database(n) => n.on_arrive(ctx, frame),
            NodeState::Queue(n) => n.on_arrive(ctx, frame),
            NodeState::Worker(n) => n.on_arrive(ctx, frame),
        }
    }

    /// Local work on a frame finishes.
    pub(crate) fn on_work_done(&mut self, ctx: &mut Ctx, frame: u32) {
        match self {
            NodeState::Service(n) => n.on_work_done(ctx, frame),
            NodeState::Cache(n) => n.on_work_done(ctx, frame),
            NodeState::Database(n) => n.on_work_done(ctx, frame),
            NodeState::Worker(n) => n.on_work_done(ctx, frame),
            _ => {}
        }
    }

    /// A call made from `frame` is answered.
    pub(crate) fn on_response(&mut self, ctx: &mut Ctx, frame: u32, status: Status) {
        match self {
            NodeState::Client(n) => n.on_response(ctx, frame, status),
            NodeState::LoadBalancer(n) => n.on_response(ctx, frame, status),
            // A gateway and a database add nothing on the way back.
            NodeState::ApiGateway(_) | NodeState::Database(_) => ctx.respond(frame, status),
            NodeState::Cache(n) => n.on_response(ctx, frame, status),
            NodeState::Service(n) => n.on_response(ctx, frame, status),
            NodeState::Queue(n) => n.on_response(ctx, frame, status),
            NodeState::Worker(n) => n.on_response(ctx, frame, status),
        }
    }

    /// A timer set for `frame` fires (the frame has not answered yet).
    pub(crate) fn on_timeout(&mut self, ctx: &mut Ctx, frame: u32) {
        if let NodeState::Service(n) = self {
            n.on_timeout(ctx, frame);
        }
    }
}
