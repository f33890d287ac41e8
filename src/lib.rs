//! Pattern Playground: drag distributed-system components onto a canvas, press play, and watch
//! the `pattern-engine` simulation send requests through them.
//!
//! # Layout
//!
//! - [`shell`]: the page frame, one file per panel (header, palette, canvas area, inspector, run
//!   bar), composed by [`App`]. The panels fill in as the editor and live view land.
//! - [`document`]: the scenario the playground opens with (the shipped reference architecture).
//! - [`diagram`]: a scenario drawn as nodes and latency-labelled edges on the canvas, and the
//!   pointer gestures that edit it (a pure state machine, tested without a DOM).
//! - [`inspector`]: the selected node's, edge's or run's settings as form controls that refuse
//!   invalid values inline, and the validator's diagnostics, each selecting what it names.
//! - `kinds`: the app's side of each kind, one file per kind (its icon, its inspector form, what
//!   its badge adds), listed once in its `mod.rs`: the app's only `match` over kinds.
//! - [`live`]: the run: play, pause, step, speed, run to end; particles on a canvas over the
//!   diagram, node badges, charts, headline numbers, sampled requests' waterfalls.
//! - [`state`]: the editor's document operations (add, move, connect, delete, duplicate, and
//!   the fault timeline's) and undo/redo history.
//! - [`timeline`]: the fault timeline under the canvas: a lane per target, a bar per fault to
//!   drag, stretch and select, chips to drag new faults from, the run's time cursor.
//! - [`share`]: share links (making and opening them), JSON export and import, the example
//!   menu, the diagram as SVG or PNG.
//! - [`hook`]: the read-only `window.__playground` object that tests and scripts read (version,
//!   scenario, summary).
//! - [`crash`]: the panic hook that replaces a blank page with a visible "reload" banner.
//!
//! `src/main.rs` only installs the panic hook and mounts [`App`], so browser tests mount the very
//! same component.

pub mod crash;
pub mod diagram;
pub mod document;
pub mod hook;
pub mod inspector;
mod kinds;
pub mod live;
pub mod share;
pub mod shell;
pub mod state;
pub mod timeline;

pub use shell::App;

// Unit tests inside the library run in the same headless Chromium as tests/.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
