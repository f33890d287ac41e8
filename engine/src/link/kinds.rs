//! Each kind's configuration as a field table: a mask of the fields that differ from the
//! kind's defaults, then those fields in table order. A node left at its defaults costs one
//! byte. The tables are part of link format 1: fields may only be appended, never reordered.
//!
//! ```text
//! client         arrival, keys.count, keys.popularity, read_ratio, clients, routes
//! load_balancer  algorithm
//! api_gateway    routes
//! service        workers, queue_capacity, service_time, timeout_ms, release_while_waiting,
//!                calls
//! cache          capacity_keys, ttl_ms, lookup_ms
//! database       connections, queue_capacity, read_time, write_time
//! queue          capacity
//! worker         concurrency, service_time
//! ```
//! Choices (a distribution, an arrival process, an algorithm, a route match) are a byte
//! naming the variant, then its parameters in declaration order.

use super::fields::{FieldMask, FieldWriter};
use super::refs::{self, IdIndex};
use super::wire::{malformed, Reader, Writer};
use super::LinkError;
use crate::components::api_gateway::{GatewayConfig, Match, Route};
use crate::components::cache::CacheConfig;
use crate::components::client::{Arrival, ClientConfig, Popularity, WeightedRoute};
use crate::components::database::DatabaseConfig;
use crate::components::load_balancer::{Algorithm, LoadBalancerConfig};
use crate::components::queue::QueueConfig;
use crate::components::service::ServiceConfig;
use crate::components::worker::WorkerConfig;
use crate::components::{Component, Kind};
use crate::distributions::Duration;

/// The byte that names a kind in a link (its palette position).
pub fn kind_byte(kind: Kind) -> u8 {
    Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u8
}

/// The kind a byte names.
pub fn kind_of(r: &mut Reader) -> Result<Kind, LinkError> {
    let b = r.byte("kind")?;
    Kind::ALL
        .get(usize::from(b))
        .copied()
        .ok_or_else(|| malformed("kind", format!("unknown kind {b}")))
}

/// Writes a component's non-default configuration.
pub fn write_config(w: &mut Writer, component: &Component, ids: &IdIndex) {
    let mut f = FieldWriter::new();
    match component {
        Component::Client(c) => client(&mut f, c),
        Component::LoadBalancer(c) => {
            let d = LoadBalancerConfig::default();
            f.field(c.algorithm != d.algorithm, |w| algorithm(w, &c.algorithm));
        }
        Component::ApiGateway(c) => {
            f.field(!c.routes.is_empty(), |w| gateway_routes(w, &c.routes, ids));
        }
        Component::Service(c) => service(&mut f, c, ids),
        Component::Cache(c) => {
            let d = CacheConfig::default();
            f.field(c.capacity_keys != d.capacity_keys, |w| {
                w.varint(c.capacity_keys)
            })
            .field(c.ttl_ms.is_some(), |w| w.number(c.ttl_ms.unwrap_or(0.0)))
            .field(c.lookup_ms != d.lookup_ms, |w| w.number(c.lookup_ms));
        }
        Component::Database(c) => {
            let d = DatabaseConfig::default();
            f.field(c.connections != d.connections, |w| {
                w.varint(c.connections.into())
            })
            .field(c.queue_capacity.is_some(), |w| {
                w.varint(c.queue_capacity.unwrap_or(0))
            })
            .field(c.read_time != d.read_time, |w| duration(w, &c.read_time))
            .field(c.write_time != d.write_time, |w| duration(w, &c.write_time));
        }
        Component::Queue(c) => {
            f.field(c.capacity.is_some(), |w| w.varint(c.capacity.unwrap_or(0)));
        }
        Component::Worker(c) => {
            let d = WorkerConfig::default();
            f.field(c.concurrency != d.concurrency, |w| {
                w.varint(c.concurrency.into())
            })
            .field(c.service_time != d.service_time, |w| {
                duration(w, &c.service_time)
            });
        }
    }
    f.finish(w);
}

fn client(f: &mut FieldWriter, c: &ClientConfig) {
    let d = ClientConfig::default();
    f.field(c.arrival != d.arrival, |w| arrival(w, &c.arrival))
        .field(c.keys.count != d.keys.count, |w| w.varint(c.keys.count))
        .field(c.keys.popularity != d.keys.popularity, |w| {
            popularity(w, &c.keys.popularity)
        })
        .field(c.read_ratio != d.read_ratio, |w| w.number(c.read_ratio))
        .field(c.clients != d.clients, |w| w.varint(c.clients))
        .field(!c.routes.is_empty(), |w| {
            w.count(c.routes.len());
            for r in &c.routes {
                w.string(&r.name);
                w.number(r.weight);
            }
        });
}

fn service(f: &mut FieldWriter, c: &ServiceConfig, ids: &IdIndex) {
    let d = ServiceConfig::default();
    f.field(c.workers != d.workers, |w| w.varint(c.workers.into()))
        .field(c.queue_capacity.is_some(), |w| {
            w.varint(c.queue_capacity.unwrap_or(0))
        })
        .field(c.service_time != d.service_time, |w| {
            duration(w, &c.service_time)
        })
        .field(c.timeout_ms.is_some(), |w| {
            w.number(c.timeout_ms.unwrap_or(0.0))
        })
        .flag(c.release_while_waiting)
        .field(!c.calls.is_empty(), |w| {
            w.count(c.calls.len());
            for call in &c.calls {
                ids.write(w, call);
            }
        });
}

fn duration(w: &mut Writer, d: &Duration) {
    match *d {
        Duration::Constant { ms } => {
            w.byte(0);
            w.number(ms);
        }
        Duration::Exponential { mean_ms } => {
            w.byte(1);
            w.number(mean_ms);
        }
        Duration::LogNormal { median_ms, sigma } => {
            w.byte(2);
            w.number(median_ms);
            w.number(sigma);
        }
    }
}

fn arrival(w: &mut Writer, a: &Arrival) {
    match *a {
        Arrival::Poisson { rate_per_s } => {
            w.byte(0);
            w.number(rate_per_s);
        }
        Arrival::Constant { rate_per_s } => {
            w.byte(1);
            w.number(rate_per_s);
        }
        Arrival::Bursts {
            base_rate_per_s,
            burst_rate_per_s,
            period_s,
            burst_s,
        } => {
            w.byte(2);
            for v in [base_rate_per_s, burst_rate_per_s, period_s, burst_s] {
                w.number(v);
            }
        }
        Arrival::Ramp {
            from_per_s,
            to_per_s,
            over_s,
        } => {
            w.byte(3);
            for v in [from_per_s, to_per_s, over_s] {
                w.number(v);
            }
        }
    }
}

fn popularity(w: &mut Writer, p: &Popularity) {
    match *p {
        Popularity::Uniform => w.byte(0),
        Popularity::Zipf { s } => {
            w.byte(1);
            w.number(s);
        }
    }
}

fn algorithm(w: &mut Writer, a: &Algorithm) {
    let byte = match a {
        Algorithm::RoundRobin => 0,
        Algorithm::WeightedRoundRobin => 1,
        Algorithm::Random => 2,
        Algorithm::LeastConnections => 3,
        Algorithm::IpHash => 4,
        Algorithm::PowerOfTwo => 5,
        Algorithm::ConsistentHash { .. } => 6,
    };
    w.byte(byte);
    if let Algorithm::ConsistentHash { virtual_nodes } = a {
        w.varint((*virtual_nodes).into());
    }
}

fn gateway_routes(w: &mut Writer, routes: &[Route], ids: &IdIndex) {
    w.count(routes.len());
    for route in routes {
        match &route.matches {
            Match::Any => w.byte(0),
            Match::Read => w.byte(1),
            Match::Write => w.byte(2),
            Match::Route(name) => {
                w.byte(3);
                w.string(name);
            }
        }
        ids.write(w, &route.to);
    }
}

/// Reads the configuration of a `kind`; `ids` are every node's id, for references.
pub fn read_config(r: &mut Reader, kind: Kind, ids: &[String]) -> Result<Component, LinkError> {
    Ok(match kind {
        Kind::Client => Component::Client(read_client(r)?),
        Kind::LoadBalancer => {
            let mut f = FieldMask::read(r, "config", 1)?;
            let mut c = LoadBalancerConfig::default();
            if f.next() {
                c.algorithm = read_algorithm(r)?;
            }
            Component::LoadBalancer(c)
        }
        Kind::ApiGateway => {
            let mut f = FieldMask::read(r, "config", 1)?;
            let mut c = GatewayConfig::default();
            if f.next() {
                c.routes = read_gateway_routes(r, ids)?;
            }
            Component::ApiGateway(c)
        }
        Kind::Service => Component::Service(read_service(r, ids)?),
        Kind::Cache => {
            let mut f = FieldMask::read(r, "config", 3)?;
            let mut c = CacheConfig::default();
            if f.next() {
                c.capacity_keys = r.varint("config.capacity_keys")?;
            }
            if f.next() {
                c.ttl_ms = Some(r.number("config.ttl_ms")?);
            }
            if f.next() {
                c.lookup_ms = r.number("config.lookup_ms")?;
            }
            Component::Cache(c)
        }
        Kind::Database => {
            let mut f = FieldMask::read(r, "config", 4)?;
            let mut c = DatabaseConfig::default();
            if f.next() {
                c.connections = r.u32("config.connections")?;
            }
            if f.next() {
                c.queue_capacity = Some(r.varint("config.queue_capacity")?);
            }
            if f.next() {
                c.read_time = read_duration(r, "config.read_time")?;
            }
            if f.next() {
                c.write_time = read_duration(r, "config.write_time")?;
            }
            Component::Database(c)
        }
        Kind::Queue => {
            let mut f = FieldMask::read(r, "config", 1)?;
            let mut c = QueueConfig::default();
            if f.next() {
                c.capacity = Some(r.varint("config.capacity")?);
            }
            Component::Queue(c)
        }
        Kind::Worker => {
            let mut f = FieldMask::read(r, "config", 2)?;
            let mut c = WorkerConfig::default();
            if f.next() {
                c.concurrency = r.u32("config.concurrency")?;
            }
            if f.next() {
                c.service_time = read_duration(r, "config.service_time")?;
            }
            Component::Worker(c)
        }
    })
}

fn read_client(r: &mut Reader) -> Result<ClientConfig, LinkError> {
    let mut f = FieldMask::read(r, "config", 6)?;
    let mut c = ClientConfig::default();
    if f.next() {
        c.arrival = read_arrival(r)?;
    }
    if f.next() {
        c.keys.count = r.varint("config.keys.count")?;
    }
    if f.next() {
        c.keys.popularity = match r.byte("config.keys.popularity")? {
            0 => Popularity::Uniform,
            1 => Popularity::Zipf {
                s: r.number("config.keys.popularity.s")?,
            },
            b => return Err(unknown("config.keys.popularity", "popularity", b)),
        };
    }
    if f.next() {
        c.read_ratio = r.number("config.read_ratio")?;
    }
    if f.next() {
        c.clients = r.varint("config.clients")?;
    }
    if f.next() {
        let n = r.count("config.routes")?;
        c.routes = Vec::with_capacity(n);
        for _ in 0..n {
            c.routes.push(WeightedRoute {
                name: r.string("config.routes.name")?,
                weight: r.number("config.routes.weight")?,
            });
        }
    }
    Ok(c)
}

fn read_service(r: &mut Reader, ids: &[String]) -> Result<ServiceConfig, LinkError> {
    let mut f = FieldMask::read(r, "config", 6)?;
    let mut c = ServiceConfig::default();
    if f.next() {
        c.workers = r.u32("config.workers")?;
    }
    if f.next() {
        c.queue_capacity = Some(r.varint("config.queue_capacity")?);
    }
    if f.next() {
        c.service_time = read_duration(r, "config.service_time")?;
    }
    if f.next() {
        c.timeout_ms = Some(r.number("config.timeout_ms")?);
    }
    c.release_while_waiting = f.next();
    if f.next() {
        let n = r.count("config.calls")?;
        c.calls = Vec::with_capacity(n);
        for _ in 0..n {
            c.calls.push(refs::read(r, ids, "config.calls")?);
        }
    }
    Ok(c)
}

fn read_duration(r: &mut Reader, field: &str) -> Result<Duration, LinkError> {
    Ok(match r.byte(field)? {
        0 => Duration::Constant {
            ms: r.number(field)?,
        },
        1 => Duration::Exponential {
            mean_ms: r.number(field)?,
        },
        2 => Duration::LogNormal {
            median_ms: r.number(field)?,
            sigma: r.number(field)?,
        },
        b => return Err(unknown(field, "distribution", b)),
    })
}

fn read_arrival(r: &mut Reader) -> Result<Arrival, LinkError> {
    const FIELD: &str = "config.arrival";
    Ok(match r.byte(FIELD)? {
        0 => Arrival::Poisson {
            rate_per_s: r.number(FIELD)?,
        },
        1 => Arrival::Constant {
            rate_per_s: r.number(FIELD)?,
        },
        2 => Arrival::Bursts {
            base_rate_per_s: r.number(FIELD)?,
            burst_rate_per_s: r.number(FIELD)?,
            period_s: r.number(FIELD)?,
            burst_s: r.number(FIELD)?,
        },
        3 => Arrival::Ramp {
            from_per_s: r.number(FIELD)?,
            to_per_s: r.number(FIELD)?,
            over_s: r.number(FIELD)?,
        },
        b => return Err(unknown(FIELD, "arrival process", b)),
    })
}

fn read_algorithm(r: &mut Reader) -> Result<Algorithm, LinkError> {
    const FIELD: &str = "config.algorithm";
    Ok(match r.byte(FIELD)? {
        0 => Algorithm::RoundRobin,
        1 => Algorithm::WeightedRoundRobin,
        2 => Algorithm::Random,
        3 => Algorithm::LeastConnections,
        4 => Algorithm::IpHash,
        5 => Algorithm::PowerOfTwo,
        6 => Algorithm::ConsistentHash {
            virtual_nodes: r.u32(FIELD)?,
        },
        b => return Err(unknown(FIELD, "algorithm", b)),
    })
}

fn read_gateway_routes(r: &mut Reader, ids: &[String]) -> Result<Vec<Route>, LinkError> {
    const FIELD: &str = "config.routes";
    let n = r.count(FIELD)?;
    let mut routes = Vec::with_capacity(n);
    for _ in 0..n {
        let matches = match r.byte(FIELD)? {
            0 => Match::Any,
            1 => Match::Read,
            2 => Match::Write,
            3 => Match::Route(r.string(FIELD)?),
            b => return Err(unknown(FIELD, "route match", b)),
        };
        let to = refs::read(r, ids, FIELD)?;
        routes.push(Route { matches, to });
    }
    Ok(routes)
}

fn unknown(field: &str, what: &str, byte: u8) -> LinkError {
    malformed(field, format!("unknown {what} {byte}"))
}
