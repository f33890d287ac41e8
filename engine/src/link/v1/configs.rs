//! Version 1's table of each kind's configuration: its fields in order, the value each field
//! has when the link leaves it out, and how the table is read and written. A mask says which
//! fields differ from those defaults, then those fields follow in table order, so a node left
//! at its defaults costs one byte.
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
//! The defaults are version 1's own copies of the engine's `Default` impls as they were when
//! version 1 was made, not the live ones: a default changed in the engine must not change
//! what an old link opens to. Every config is built with each version-1 field named, so a
//! field the engine gains later stops the build here until it is given `..Default::default()`
//! (a version-1 link never had it, so the engine's default is what it means).
//!
//! Choices (a distribution, an algorithm, ...) are in choices.rs.

use super::choices::{
    algorithm_bytes, arrival_bytes, duration_bytes, read_algorithm, read_arrival, read_duration,
    read_match, read_popularity, write_match, write_popularity,
};
use super::tables::{Field, Value};
use super::Unwritable;
use crate::components::api_gateway::{GatewayConfig, Route};
use crate::components::cache::CacheConfig;
use crate::components::client::{Arrival, ClientConfig, KeySpace, Popularity, WeightedRoute};
use crate::components::database::DatabaseConfig;
use crate::components::load_balancer::{Algorithm, LoadBalancerConfig};
use crate::components::queue::QueueConfig;
use crate::components::service::ServiceConfig;
use crate::components::worker::WorkerConfig;
use crate::components::Component;
use crate::distributions::Duration;
use crate::link::fields::{FieldMask, FieldWriter};
use crate::link::refs::{self, IdIndex};
use crate::link::wire::{Reader, Writer};
use crate::link::LinkError;

// Version 1's defaults. Options (absent), lists (empty) and flags (off) default to nothing
// and are written when set; the tables below say so.
const CLIENT_ARRIVAL: Arrival = Arrival::Poisson { rate_per_s: 100.0 };
const CLIENT_KEYS_COUNT: u64 = 10_000;
const CLIENT_KEYS_POPULARITY: Popularity = Popularity::Uniform;
const CLIENT_READ_RATIO: f64 = 0.9;
const CLIENT_CLIENTS: u64 = 1000;
const LOAD_BALANCER_ALGORITHM: Algorithm = Algorithm::RoundRobin;
const SERVICE_WORKERS: u32 = 4;
const SERVICE_SERVICE_TIME: Duration = Duration::Exponential { mean_ms: 10.0 };
const CACHE_CAPACITY_KEYS: u64 = 1_000;
const CACHE_LOOKUP_MS: f64 = 1.0;
const DATABASE_CONNECTIONS: u32 = 10;
const DATABASE_READ_TIME: Duration = Duration::Exponential { mean_ms: 5.0 };
const DATABASE_WRITE_TIME: Duration = Duration::Exponential { mean_ms: 15.0 };
const WORKER_CONCURRENCY: u32 = 2;
const WORKER_SERVICE_TIME: Duration = Duration::Exponential { mean_ms: 20.0 };

/// A client's table.
pub const CLIENT: &[Field] = &[
    Field::new("arrival", Value::Arrival(CLIENT_ARRIVAL)),
    Field::new("keys.count", Value::Whole(CLIENT_KEYS_COUNT)),
    Field::new("keys.popularity", Value::Popularity(CLIENT_KEYS_POPULARITY)),
    Field::new("read_ratio", Value::Number(CLIENT_READ_RATIO)),
    Field::new("clients", Value::Whole(CLIENT_CLIENTS)),
    Field::new("routes", Value::Empty),
];

/// A load balancer's table.
pub const LOAD_BALANCER: &[Field] = &[Field::new(
    "algorithm",
    Value::Algorithm(LOAD_BALANCER_ALGORITHM),
)];

/// An API gateway's table.
pub const API_GATEWAY: &[Field] = &[Field::new("routes", Value::Empty)];

/// A service's table.
pub const SERVICE: &[Field] = &[
    Field::new("workers", Value::Whole(SERVICE_WORKERS as u64)),
    Field::new("queue_capacity", Value::Absent),
    Field::new("service_time", Value::Duration(SERVICE_SERVICE_TIME)),
    Field::new("timeout_ms", Value::Absent),
    Field::new("release_while_waiting", Value::Off),
    Field::new("calls", Value::Empty),
];

/// A cache's table.
pub const CACHE: &[Field] = &[
    Field::new("capacity_keys", Value::Whole(CACHE_CAPACITY_KEYS)),
    Field::new("ttl_ms", Value::Absent),
    Field::new("lookup_ms", Value::Number(CACHE_LOOKUP_MS)),
];

/// A database's table.
pub const DATABASE: &[Field] = &[
    Field::new("connections", Value::Whole(DATABASE_CONNECTIONS as u64)),
    Field::new("queue_capacity", Value::Absent),
    Field::new("read_time", Value::Duration(DATABASE_READ_TIME)),
    Field::new("write_time", Value::Duration(DATABASE_WRITE_TIME)),
];

/// A message queue's table.
pub const QUEUE: &[Field] = &[Field::new("capacity", Value::Absent)];

/// A worker's table.
pub const WORKER: &[Field] = &[
    Field::new("concurrency", Value::Whole(WORKER_CONCURRENCY as u64)),
    Field::new("service_time", Value::Duration(WORKER_SERVICE_TIME)),
];

/// Reads a table's mask, refusing bits for fields the table does not have.
fn mask(r: &mut Reader, table: &[Field]) -> Result<FieldMask, LinkError> {
    FieldMask::read(r, "config", table.len() as u32)
}

/// Reads a client's configuration.
pub fn read_client(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, CLIENT)?;
    let arrival = f.next_or(CLIENT_ARRIVAL, || read_arrival(r, "config.arrival"))?;
    let count = f.next_or(CLIENT_KEYS_COUNT, || r.varint("config.keys.count"))?;
    let popularity = f.next_or(CLIENT_KEYS_POPULARITY, || {
        read_popularity(r, "config.keys.popularity")
    })?;
    let read_ratio = f.next_or(CLIENT_READ_RATIO, || r.number("config.read_ratio"))?;
    let clients = f.next_or(CLIENT_CLIENTS, || r.varint("config.clients"))?;
    let routes = f.next_or(Vec::new(), || read_weighted_routes(r))?;
    Ok(Component::Client(ClientConfig {
        arrival,
        keys: KeySpace { count, popularity },
        read_ratio,
        clients,
        routes,
        // Version-1 links were frozen before scans existed.
        scan_ratio: 0.0,
    }))
}

fn read_weighted_routes(r: &mut Reader) -> Result<Vec<WeightedRoute>, LinkError> {
    let n = r.count("config.routes")?;
    let mut routes = Vec::with_capacity(n);
    for _ in 0..n {
        routes.push(WeightedRoute {
            name: r.string("config.routes.name")?,
            weight: r.number("config.routes.weight")?,
        });
    }
    Ok(routes)
}

/// Reads a load balancer's configuration.
pub fn read_load_balancer(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, LOAD_BALANCER)?;
    let algorithm = f.next_or(LOAD_BALANCER_ALGORITHM, || {
        read_algorithm(r, "config.algorithm")
    })?;
    Ok(Component::LoadBalancer(LoadBalancerConfig { algorithm }))
}

/// Reads an API gateway's configuration; `ids` are every node's id, for the routes' targets.
pub fn read_api_gateway(r: &mut Reader, ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, API_GATEWAY)?;
    let routes = f.next_or(Vec::new(), || read_gateway_routes(r, ids))?;
    Ok(Component::ApiGateway(GatewayConfig { routes }))
}

fn read_gateway_routes(r: &mut Reader, ids: &[String]) -> Result<Vec<Route>, LinkError> {
    const FIELD: &str = "config.routes";
    let n = r.count(FIELD)?;
    let mut routes = Vec::with_capacity(n);
    for _ in 0..n {
        let matches = read_match(r, FIELD)?;
        let to = refs::read(r, ids, FIELD)?;
        routes.push(Route { matches, to });
    }
    Ok(routes)
}

/// Reads a service's configuration; `ids` are every node's id, for its calls.
pub fn read_service(r: &mut Reader, ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, SERVICE)?;
    let workers = f.next_or(SERVICE_WORKERS, || r.u32("config.workers"))?;
    let queue_capacity = f.next_or(None, || r.varint("config.queue_capacity").map(Some))?;
    let service_time = f.next_or(SERVICE_SERVICE_TIME, || {
        read_duration(r, "config.service_time")
    })?;
    let timeout_ms = f.next_or(None, || r.number("config.timeout_ms").map(Some))?;
    let release_while_waiting = f.next();
    let calls = f.next_or(Vec::new(), || read_calls(r, ids))?;
    Ok(Component::Service(ServiceConfig {
        workers,
        queue_capacity,
        service_time,
        timeout_ms,
        release_while_waiting,
        calls,
        // Settings version 1 never had: their defaults.
        ..ServiceConfig::default()
    }))
}

fn read_calls(r: &mut Reader, ids: &[String]) -> Result<Vec<String>, LinkError> {
    let n = r.count("config.calls")?;
    let mut calls = Vec::with_capacity(n);
    for _ in 0..n {
        calls.push(refs::read(r, ids, "config.calls")?);
    }
    Ok(calls)
}

/// Reads a cache's configuration.
pub fn read_cache(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, CACHE)?;
    let capacity_keys = f.next_or(CACHE_CAPACITY_KEYS, || r.varint("config.capacity_keys"))?;
    let ttl_ms = f.next_or(None, || r.number("config.ttl_ms").map(Some))?;
    let lookup_ms = f.next_or(CACHE_LOOKUP_MS, || r.number("config.lookup_ms"))?;
    Ok(Component::Cache(CacheConfig {
        capacity_keys,
        ttl_ms,
        lookup_ms,
        // Version 1 predates single flight and stale-if-error.
        coalesce: false,
        stale_if_error_ms: None,
    }))
}

/// Reads a database's configuration.
pub fn read_database(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, DATABASE)?;
    let connections = f.next_or(DATABASE_CONNECTIONS, || r.u32("config.connections"))?;
    let queue_capacity = f.next_or(None, || r.varint("config.queue_capacity").map(Some))?;
    let read_time = f.next_or(DATABASE_READ_TIME, || read_duration(r, "config.read_time"))?;
    let write_time = f.next_or(DATABASE_WRITE_TIME, || {
        read_duration(r, "config.write_time")
    })?;
    Ok(Component::Database(DatabaseConfig {
        connections,
        queue_capacity,
        read_time,
        write_time,
        // Settings version 1 never had: their defaults.
        ..DatabaseConfig::default()
    }))
}

/// Reads a message queue's configuration.
pub fn read_queue(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, QUEUE)?;
    let capacity = f.next_or(None, || r.varint("config.capacity").map(Some))?;
    Ok(Component::Queue(QueueConfig { capacity }))
}

/// Reads a worker's configuration.
pub fn read_worker(r: &mut Reader, _ids: &[String]) -> Result<Component, LinkError> {
    let mut f = mask(r, WORKER)?;
    let concurrency = f.next_or(WORKER_CONCURRENCY, || r.u32("config.concurrency"))?;
    let service_time = f.next_or(WORKER_SERVICE_TIME, || {
        read_duration(r, "config.service_time")
    })?;
    Ok(Component::Worker(WorkerConfig {
        concurrency,
        service_time,
    }))
}

/// Writes a component's fields that differ from version 1's defaults, in table order, or
/// refuses (writing nothing) a choice version 1 has no code for.
pub fn write(w: &mut Writer, component: &Component, ids: &IdIndex) -> Result<(), Unwritable> {
    let mut f = FieldWriter::new();
    match component {
        Component::Client(c) => write_client(&mut f, c)?,
        Component::LoadBalancer(c) => {
            let algorithm = algorithm_bytes(&c.algorithm).map_err(|e| e.at("algorithm"))?;
            f.field(c.algorithm != LOAD_BALANCER_ALGORITHM, |w| {
                w.bytes(&algorithm)
            });
        }
        Component::ApiGateway(c) => {
            f.field(!c.routes.is_empty(), |w| {
                write_gateway_routes(w, &c.routes, ids)
            });
        }
        Component::Service(c) => write_service(&mut f, c, ids)?,
        Component::Cache(c) => {
            f.field(c.capacity_keys != CACHE_CAPACITY_KEYS, |w| {
                w.varint(c.capacity_keys)
            })
            .field(c.ttl_ms.is_some(), |w| w.number(c.ttl_ms.unwrap_or(0.0)))
            .field(c.lookup_ms != CACHE_LOOKUP_MS, |w| w.number(c.lookup_ms));
        }
        Component::Database(c) => write_database(&mut f, c)?,
        Component::Queue(c) => {
            f.field(c.capacity.is_some(), |w| w.varint(c.capacity.unwrap_or(0)));
        }
        Component::Worker(c) => {
            let service_time = duration_of(&c.service_time, "service_time")?;
            f.field(c.concurrency != WORKER_CONCURRENCY, |w| {
                w.varint(c.concurrency.into())
            })
            .field(c.service_time != WORKER_SERVICE_TIME, |w| {
                w.bytes(&service_time)
            });
        }
        // Kinds the engine gained after version 1: only a newer link version holds them.
        other => {
            let kind = other.kind().name();
            return Err(Unwritable::new(format!("the kind `{kind}`")));
        }
    }
    f.finish(w);
    Ok(())
}

/// A distribution's bytes; a refusal names `field`.
fn duration_of(d: &Duration, field: &str) -> Result<Vec<u8>, Unwritable> {
    duration_bytes(d).map_err(|e| e.at(field))
}

fn write_client(f: &mut FieldWriter, c: &ClientConfig) -> Result<(), Unwritable> {
    let arrival = arrival_bytes(&c.arrival).map_err(|e| e.at("arrival"))?;
    f.field(c.arrival != CLIENT_ARRIVAL, |w| w.bytes(&arrival))
        .field(c.keys.count != CLIENT_KEYS_COUNT, |w| {
            w.varint(c.keys.count)
        })
        .field(c.keys.popularity != CLIENT_KEYS_POPULARITY, |w| {
            write_popularity(w, &c.keys.popularity)
        })
        .field(c.read_ratio != CLIENT_READ_RATIO, |w| {
            w.number(c.read_ratio)
        })
        .field(c.clients != CLIENT_CLIENTS, |w| w.varint(c.clients))
        .field(!c.routes.is_empty(), |w| {
            w.count(c.routes.len());
            for r in &c.routes {
                w.string(&r.name);
                w.number(r.weight);
            }
        });
    Ok(())
}

fn write_gateway_routes(w: &mut Writer, routes: &[Route], ids: &IdIndex) {
    w.count(routes.len());
    for route in routes {
        write_match(w, &route.matches);
        ids.write(w, &route.to);
    }
}

fn write_service(f: &mut FieldWriter, c: &ServiceConfig, ids: &IdIndex) -> Result<(), Unwritable> {
    let service_time = duration_of(&c.service_time, "service_time")?;
    f.field(c.workers != SERVICE_WORKERS, |w| w.varint(c.workers.into()))
        .field(c.queue_capacity.is_some(), |w| {
            w.varint(c.queue_capacity.unwrap_or(0))
        })
        .field(c.service_time != SERVICE_SERVICE_TIME, |w| {
            w.bytes(&service_time)
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
    Ok(())
}

fn write_database(f: &mut FieldWriter, c: &DatabaseConfig) -> Result<(), Unwritable> {
    let read_time = duration_of(&c.read_time, "read_time")?;
    let write_time = duration_of(&c.write_time, "write_time")?;
    f.field(c.connections != DATABASE_CONNECTIONS, |w| {
        w.varint(c.connections.into())
    })
    .field(c.queue_capacity.is_some(), |w| {
        w.varint(c.queue_capacity.unwrap_or(0))
    })
    .field(c.read_time != DATABASE_READ_TIME, |w| w.bytes(&read_time))
    .field(c.write_time != DATABASE_WRITE_TIME, |w| {
        w.bytes(&write_time)
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config left at version 1's defaults is one byte, the empty mask, and reads back as
    /// those defaults, whatever the engine's `Default` impls say by then.
    #[test]
    fn an_empty_mask_means_version_1s_defaults() {
        let service = read_service(&mut Reader::new(&[0]), &[]).unwrap();
        let Component::Service(c) = &service else {
            panic!("{service:?}")
        };
        assert_eq!(
            (c.workers, &c.service_time, c.queue_capacity),
            (4, &Duration::Exponential { mean_ms: 10.0 }, None)
        );
        let mut w = Writer::default();
        write(&mut w, &service, &IdIndex::new(std::iter::empty())).unwrap();
        assert_eq!(w.finish(), [0]);
        let client = read_client(&mut Reader::new(&[0]), &[]).unwrap();
        let Component::Client(c) = client else {
            panic!("{client:?}")
        };
        assert_eq!((c.keys.count, c.read_ratio, c.clients), (10_000, 0.9, 1000));
    }

    #[test]
    fn a_mask_bit_past_the_table_is_refused() {
        let err = read_worker(&mut Reader::new(&[0b100]), &[]).unwrap_err();
        assert!(
            err.to_string()
                .contains("config: names fields this version does not have (mask 0x4)"),
            "{err}"
        );
        read_worker(&mut Reader::new(&[0b10, 0, 0]), &[]).unwrap();
    }
}
