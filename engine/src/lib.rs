//! # pattern-engine
//!
//! The simulation behind Pattern Playground: a deterministic discrete-event simulator of
//! distributed-system architectures, and the scenario document it runs. Pure Rust with no web
//! dependencies: the app runs it in the browser, and tests, benchmarks and the `simulate`
//! command-line tool run it natively, with identical results for the same scenario and seed.
//!
//! # Layout
//! - [`scenario`]: the document (nodes, edges, run settings), reading it from JSON, and
//!   validation into diagnostics.
//! - [`link`]: share links, the scenario as the text after `#` in a URL (compact, deflated,
//!   base64url), and the only decoder of untrusted input, hardened and fuzzed; each link
//!   version keeps its own reader (version 1 frozen in [`link::v1`]; the app writes
//!   [`link::v2`], whose tags are constant), so a shared link never changes meaning.
//! - [`components`]: one file per component kind (client, load balancer, API gateway, service,
//!   cache, database, queue, worker): its declaration, its config and its state machine.
//! - [`workload`]: what clients send: arrival processes and key spaces.
//! - [`routing`]: load-balancing algorithms and the consistent-hash ring, as plain functions.
//! - [`sim`]: the event queue, request and frame arenas, and [`Simulation`], which advances a
//!   run in slices of any size.
//! - [`metrics`]: latency histograms, per-node statistics, time series, hop traces, and the
//!   [`Summary`] every report is made from.
//! - [`distributions`], [`random`], [`time`]: portable sampling, per-node random streams,
//!   integer-nanosecond time.
//!
//! # A run in four lines
//! ```
//! let text = include_str!("../../public/scenarios/validation/mm1.json");
//! let scenario = pattern_engine::scenario::from_json(text).unwrap();
//! let mut sim = pattern_engine::Simulation::new(&scenario).unwrap();
//! sim.run_to_end();
//! assert!(sim.summary().latency_ms.p99 > 0.0);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bounds;
pub mod components;
pub mod distributions;
pub mod json;
pub mod link;
pub mod metrics;
pub mod random;
pub mod routing;
pub mod scenario;
pub mod sim;
pub mod time;
pub mod workload;

pub use metrics::Summary;
pub use scenario::Scenario;
pub use sim::Simulation;

/// The engine's version, recorded in every summary: numbers may differ between versions.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
