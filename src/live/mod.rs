//! The live view: press play and watch the engine run the diagram.
//!
//! - [`clock`]: wall-clock time to simulated time (speeds from hop-by-hop to 10,000×).
//! - [`flights`]: the engine's motions as particles: where each is, how it looks.
//! - `session`: one run (the simulation and the particles), not reactive.
//! - `driver`: play, pause, step, reset, run to end; the animation-frame loop and the
//!   fast-forward loop that yields to the page through a `MessageChannel`.
//! - `painter`: particles on a `<canvas>` over the diagram (thousands of SVG elements would
//!   not hold 60 frames per second); `badges`: each node's live state, in SVG; `shards`: a
//!   shard router's heat strip, one cell per shard.
//! - `controls`, `cards`, `charts`, `waterfall`, `legend`: the dock's parts (see `shell::dock`).
//! - `inject`: faults injected into the run under way and healed, taken in place.
//!
//! Signals carry only what the page shows, updated a few times a second at most; the
//! simulation and the particles stay outside the reactive system.

mod badges;
mod cards;
mod charts;
pub mod clock;
mod controls;
mod driver;
pub mod flights;
mod inject;
mod legend;
mod painter;
mod session;
mod shards;
mod stopped;
pub mod waterfall;

pub use badges::{compact_count, NodeBadges};
pub use cards::{Headline, MetricCards, SummaryText};
pub use charts::{downsample, nice_top, Charts};
pub use controls::RunControls;
pub use legend::Legend;
pub use painter::ParticleLayer;
pub use shards::ShardLive;
pub use stopped::StoppedBanner;
pub use waterfall::{RequestList, TraceView};

use crate::state::Editor;
use leptos::prelude::*;
use pattern_engine::sim::{BreakerCounts, BreakerState};
use pattern_engine::time::SimTime;
use pattern_engine::Summary;
use session::Session;
use std::sync::{Arc, OnceLock};

/// True if the person asked their system for less motion: runs then start in slow motion.
fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Where the run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No run: the diagram is being edited.
    Idle,
    /// Requests are moving.
    Playing,
    /// Stopped mid-run; play resumes it.
    Paused,
    /// Running to the end as fast as the page allows, without particles.
    FastForwarding,
    /// Over: the summary is final.
    Finished,
}

impl Phase {
    /// True while a run exists (anything but idle).
    pub fn has_run(self) -> bool {
        self != Phase::Idle
    }
}

/// One node's state, for its badge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeLive {
    /// Busy servers over servers, smoothed; None for nodes without servers.
    pub utilisation: Option<f64>,
    /// Requests waiting.
    pub queued: u64,
    /// What it holds over what it can hold, for a kind that reports a fill (a cache's keys).
    pub fill: Option<f64>,
    /// For a kind that looks keys up (a cache), hits over lookups since the warm-up.
    pub hit_ratio: Option<f64>,
    /// Requests it refused because its queue was full.
    pub dropped: u64,
    /// Requests that failed or timed out here.
    pub failed: u64,
    /// What the faults in force do to it now, in words ("down", "slow ×3"); empty if nothing.
    pub fault: String,
    /// True while it is crashed: the badge greys it out.
    pub down: bool,
    /// True while it is a shard standing by (its router places no keys on it): dimmed.
    pub standby: bool,
    /// For a shard router, its shards and the keys moving between them.
    pub shards: Option<ShardLive>,
    /// Pieces of work it finished for nobody (every caller had given up), and their time in
    /// seconds.
    pub wasted: (u64, f64),
    /// For a cache with single flight, the misses that waited for a fill on its way.
    pub coalesced: u64,
    /// For a cache with stale-if-error, the reads it answered from a stale copy.
    pub served_stale: u64,
    /// Retries its calls sent, for a node with a retry policy on an edge out.
    pub retries: Option<u64>,
    /// Hedges its calls sent and, of them, the ones that answered first, for a node that
    /// hedges.
    pub hedges: Option<(u64, u64)>,
}

/// A circuit breaker as the page shows it: its state and how often it changed.
pub type BreakerLive = (BreakerState, BreakerCounts);

/// The run's numbers as the page shows them.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The summary so far (final once the run is over).
    pub summary: Summary,
    /// True once the run is over: the summary is final.
    pub is_final: bool,
    /// Client requests in flight.
    pub in_flight: u64,
    /// Requests waiting in queues right now.
    pub queued: u64,
    /// The summary as the command-line tool prints it, made on first request: a long run's
    /// is megabytes, and making it eagerly would be the one long task of a fast-forward.
    text: Arc<OnceLock<String>>,
}

impl Snapshot {
    /// A snapshot of `summary` and where the run stands.
    pub fn new(summary: Summary, is_final: bool, in_flight: u64, queued: u64) -> Self {
        Snapshot {
            summary,
            is_final,
            in_flight,
            queued,
            text: Arc::default(),
        }
    }

    /// The summary exactly as `simulate` prints it.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.summary.to_json())
    }
}

/// The live view's state, shared as context (`expect_context::<Live>()`).
#[derive(Clone, Copy)]
pub struct Live {
    /// Where the run stands.
    pub phase: RwSignal<Phase>,
    /// Simulated seconds per wall-clock second.
    pub speed: RwSignal<f64>,
    /// Simulated time now.
    pub now: RwSignal<SimTime>,
    /// Events the engine has handled so far (`Simulation::events`).
    pub events: RwSignal<u64>,
    /// How far the run is, 0 to 1.
    pub progress: RwSignal<f64>,
    /// Particles on screen.
    pub particles: RwSignal<usize>,
    /// Each node's state, in scenario order.
    pub nodes: RwSignal<Vec<NodeLive>>,
    /// Each edge's circuit breaker, in scenario order (`None` for an edge without one).
    pub breakers: RwSignal<Vec<Option<BreakerLive>>>,
    /// The latest numbers.
    pub snapshot: RwSignal<Option<Arc<Snapshot>>>,
    /// The trace being shown, as an index into the summary's traces.
    pub selected: RwSignal<Option<usize>>,
    /// True when the engine could not keep up with the chosen speed in the last frame.
    pub lagging: RwSignal<bool>,
    editor: Editor,
    session: StoredValue<Option<Session>, LocalStorage>,
    surface: StoredValue<Option<painter::Surface>, LocalStorage>,
    pace: StoredValue<driver::Pace, LocalStorage>,
    yielder: StoredValue<Option<driver::Yielder>, LocalStorage>,
}

impl Live {
    /// A live view of `editor`'s document, with no run.
    pub fn new(editor: Editor) -> Self {
        Live {
            phase: RwSignal::new(Phase::Idle),
            speed: RwSignal::new(if prefers_reduced_motion() {
                clock::REDUCED_MOTION_SPEED
            } else {
                clock::DEFAULT_SPEED
            }),
            now: RwSignal::new(0),
            events: RwSignal::new(0),
            progress: RwSignal::new(0.0),
            particles: RwSignal::new(0),
            nodes: RwSignal::new(Vec::new()),
            breakers: RwSignal::new(Vec::new()),
            snapshot: RwSignal::new(None),
            selected: RwSignal::new(None),
            lagging: RwSignal::new(false),
            editor,
            session: StoredValue::new_local(None),
            surface: StoredValue::new_local(None),
            pace: StoredValue::new_local(driver::Pace::default()),
            yielder: StoredValue::new_local(None),
        }
    }

    /// The final snapshot, once a run is over (for `window.__playground.summary`).
    pub fn final_snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .with(|s| s.as_ref().filter(|s| s.is_final).cloned())
    }
}
