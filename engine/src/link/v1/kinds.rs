//! Version 1's kinds: the byte that names a kind in a link (its position in [`KINDS`]), the
//! name and title the editor's ids and labels are made of (`service_3` / `Service 3`, see
//! names.rs), and the kind's config table (configs.rs).
//!
//! ```text
//! 0 client         Client          4 cache      Cache
//! 1 load_balancer  Load balancer   5 database   Database
//! 2 api_gateway    API gateway     6 queue      Message queue
//! 3 service        Service         7 worker     Worker
//! ```
//! This is the engine's palette order, names and titles as they were when version 1 was made,
//! copied rather than asked of `Kind`: a kind inserted or renamed in the engine must not
//! change what an old link's byte, id or label means. A kind the engine gains later has no
//! byte here.

use super::configs;
use super::tables::Field;
use super::Unwritable;
use crate::components::{Component, Kind};
use crate::link::wire::{malformed, Reader};
use crate::link::LinkError;

/// Reads a kind's configuration, given every node's id (for references).
pub type ConfigReader = fn(&mut Reader, &[String]) -> Result<Component, LinkError>;

/// One kind as version 1 knows it.
pub struct KindEntry {
    /// The engine's kind it opens as.
    pub kind: Kind,
    /// The editor's ids for it are `<name>_<n>`.
    pub name: &'static str,
    /// The editor's labels for it are `<title> <n>`.
    pub title: &'static str,
    /// Its config table: field order and defaults.
    pub fields: &'static [Field],
    /// Reads that table.
    pub read_config: ConfigReader,
}

/// Every kind version 1 has; a kind's byte is its position.
pub static KINDS: [KindEntry; 8] = [
    KindEntry {
        kind: Kind::Client,
        name: "client",
        title: "Client",
        fields: configs::CLIENT,
        read_config: configs::read_client,
    },
    KindEntry {
        kind: Kind::LoadBalancer,
        name: "load_balancer",
        title: "Load balancer",
        fields: configs::LOAD_BALANCER,
        read_config: configs::read_load_balancer,
    },
    KindEntry {
        kind: Kind::ApiGateway,
        name: "api_gateway",
        title: "API gateway",
        fields: configs::API_GATEWAY,
        read_config: configs::read_api_gateway,
    },
    KindEntry {
        kind: Kind::Service,
        name: "service",
        title: "Service",
        fields: configs::SERVICE,
        read_config: configs::read_service,
    },
    KindEntry {
        kind: Kind::Cache,
        name: "cache",
        title: "Cache",
        fields: configs::CACHE,
        read_config: configs::read_cache,
    },
    KindEntry {
        kind: Kind::Database,
        name: "database",
        title: "Database",
        fields: configs::DATABASE,
        read_config: configs::read_database,
    },
    KindEntry {
        kind: Kind::Queue,
        name: "queue",
        title: "Message queue",
        fields: configs::QUEUE,
        read_config: configs::read_queue,
    },
    KindEntry {
        kind: Kind::Worker,
        name: "worker",
        title: "Worker",
        fields: configs::WORKER,
        read_config: configs::read_worker,
    },
];

/// Reads a kind's byte.
pub fn read(r: &mut Reader) -> Result<&'static KindEntry, LinkError> {
    let b = r.byte("kind")?;
    KINDS
        .get(usize::from(b))
        .ok_or_else(|| malformed("kind", format!("unknown kind {b}")))
}

/// A kind's byte and entry, for writing; a kind the engine gained after the freeze has none
/// (a newer link version writes it).
pub fn of(kind: Kind) -> Result<(u8, &'static KindEntry), Unwritable> {
    let code = KINDS
        .iter()
        .position(|entry| entry.kind == kind)
        .ok_or_else(|| Unwritable::new(format!("the kind `{}`", kind.name())))?;
    Ok((code as u8, &KINDS[code]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_past_the_table_is_an_unknown_kind() {
        for (code, entry) in KINDS.iter().enumerate() {
            let read = read(&mut Reader::new(&[code as u8])).unwrap();
            assert!(std::ptr::eq(read, entry));
            let (written, written_entry) = of(read.kind).unwrap();
            assert_eq!(usize::from(written), code);
            assert!(std::ptr::eq(written_entry, entry));
        }
        for b in [8, 9, 255] {
            let err = read(&mut Reader::new(&[b])).err().expect("refused");
            assert_eq!(
                err.to_string(),
                format!("the link is damaged: kind: unknown kind {b}")
            );
        }
    }
}
