//! Play, pause, step, reset and run to end.
//!
//! Playing is an animation-frame loop: each frame turns the wall-clock time since the last
//! one into simulated time at the chosen speed, lets the engine catch up within a budget, and
//! paints. Running to the end is a loop of ~16 ms slices that yields to the page between them
//! through a `MessageChannel` (timers are clamped to 4 ms, frames come only every 16.7 ms), so
//! a million requests never freeze the page. Either way the signals hear from the run a few
//! times a second, not per event.

use super::clock::sim_span;
use super::session::Session;
use super::{Live, Phase};
use leptos::prelude::*;
use pattern_engine::time::SimTime;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessageEvent};

/// Engine time per animation frame, in wall-clock milliseconds: the rest of the frame is for
/// painting and the browser.
const FRAME_BUDGET_MS: f64 = 6.0;

/// Engine time per fast-forward slice before yielding to the page: well under the 50 ms that
/// makes a long task, long enough that the page's own work between slices (a frame, the
/// progress bar) stays a small share of the time.
const SLICE_MS: f64 = 16.0;

/// The most work, in milliseconds, spent catching a run up to a shared link's position.
const SEEK_BUDGET_MS: f64 = 3_000.0;

/// How often node badges update while playing.
const LEVELS_EVERY_MS: f64 = 100.0;

/// How often the numbers and charts update while running.
const NUMBERS_EVERY_MS: f64 = 400.0;

/// Wall-clock bookkeeping for the loops.
#[derive(Default)]
pub(super) struct Pace {
    /// When the last frame ran.
    last_frame_ms: f64,
    /// When badges and numbers were last published.
    levels_ms: f64,
    numbers_ms: f64,
    /// True while an animation-frame loop is scheduled (there is never more than one).
    looping: bool,
}

/// A `MessageChannel` whose messages run the next fast-forward slice.
pub(super) struct Yielder {
    channel: MessageChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Yielder {
    fn new(live: Live) -> Option<Yielder> {
        let channel = MessageChannel::new().ok()?;
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |_| live.fast_forward_slice());
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Yielder {
            channel,
            _on_message: on_message,
        })
    }

    fn post(&self) {
        let _ = self.channel.port2().post_message(&JsValue::NULL);
    }
}

/// Milliseconds on the page's monotonic clock.
pub(super) fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Live {
    /// Starts or resumes playing. A finished run starts again from the beginning.
    pub fn play(&self) {
        if matches!(self.phase.get_untracked(), Phase::Finished) {
            self.reset();
        }
        if !self.ensure_session() {
            return;
        }
        self.session.update_value(|s| {
            s.as_mut()
                .map(Session::resume_particles)
                .unwrap_or_default()
        });
        self.pace.update_value(|p| p.last_frame_ms = wall_ms());
        self.phase.set(Phase::Playing);
        self.schedule_frame();
    }

    /// Stops time; play resumes it.
    pub fn pause(&self) {
        if matches!(
            self.phase.get_untracked(),
            Phase::Playing | Phase::FastForwarding
        ) {
            self.phase.set(Phase::Paused);
            self.publish(true);
        }
    }

    /// Handles the next event, then waits.
    pub fn step(&self) {
        if matches!(self.phase.get_untracked(), Phase::Finished) || !self.ensure_session() {
            return;
        }
        self.phase.set(Phase::Paused);
        let wall = wall_ms();
        self.session.update_value(|s| {
            if let Some(s) = s.as_mut() {
                s.resume_particles();
                s.step(wall);
            }
        });
        self.after_progress(true);
    }

    /// Ends the run and forgets it.
    pub fn reset(&self) {
        self.session.set_value(None);
        self.phase.set(Phase::Idle);
        self.now.set(0);
        self.events.set(0);
        self.progress.set(0.0);
        self.particles.set(0);
        self.lagging.set(false);
        self.nodes.set(Vec::new());
        self.breakers.set(Vec::new());
        self.snapshot.set(None);
        self.selected.set(None);
        self.paint();
    }

    /// Starts a fresh run and takes it, paused, to `at` (where a shared link's player was).
    /// The catching up is capped at [`SEEK_BUDGET_MS`] of work, so a far position in a heavy
    /// scenario cannot freeze the page: the run then pauses short of `at`.
    pub fn start_paused_at(&self, at: SimTime) {
        self.reset();
        if !self.ensure_session() {
            return;
        }
        let started = wall_ms();
        self.session.update_value(|s| {
            if let Some(s) = s.as_mut() {
                s.advance(at, started + SEEK_BUDGET_MS, &wall_ms, started);
            }
        });
        self.phase.set(Phase::Paused);
        self.after_progress(true);
    }

    /// Runs to the end as fast as the page allows, with a progress bar.
    pub fn run_to_end(&self) {
        if matches!(self.phase.get_untracked(), Phase::Finished) || !self.ensure_session() {
            return;
        }
        self.phase.set(Phase::FastForwarding);
        self.paint();
        if self.yielder.with_value(Option::is_none) {
            let yielder = Yielder::new(*self);
            self.yielder.set_value(yielder);
        }
        self.yielder.with_value(|y| y.as_ref().map(Yielder::post));
    }

    /// Keeps the run in step with the document: a fault edit the simulation can take in
    /// place (an injection, a heal) keeps it going; any other change to what the engine runs
    /// restarts it, saying so.
    pub fn follow_document(&self) {
        let doc = self.editor.doc;
        let stale = self
            .session
            .try_update_value(|s| {
                s.as_mut()
                    .is_some_and(|s| !doc.with_untracked(|d| s.follow(d)))
            })
            .unwrap_or(false);
        if stale {
            self.reset();
            self.editor.notice.set(Some(
                "The diagram changed, so the run was reset. Press play to run the new one."
                    .to_string(),
            ));
        }
    }

    /// Starts a session from the document if there is none; false (with a notice) if the
    /// document cannot run.
    fn ensure_session(&self) -> bool {
        if self.session.with_value(Option::is_some) {
            return true;
        }
        match self.editor.doc.with_untracked(Session::start) {
            Ok(session) => {
                self.session.set_value(Some(session));
                self.selected.set(None);
                true
            }
            Err(message) => {
                self.editor.notice.set(Some(message));
                false
            }
        }
    }

    fn schedule_frame(&self) {
        let already = self.pace.with_value(|p| p.looping);
        if already {
            return;
        }
        self.pace.update_value(|p| p.looping = true);
        let live = *self;
        request_animation_frame(move || live.frame());
    }

    /// One animation frame while playing.
    fn frame(&self) {
        self.pace.update_value(|p| p.looping = false);
        if self.phase.get_untracked() != Phase::Playing {
            return;
        }
        let now_ms = wall_ms();
        let dt = self.pace.with_value(|p| now_ms - p.last_frame_ms);
        self.pace.update_value(|p| p.last_frame_ms = now_ms);
        let speed = self.speed.get_untracked();
        let reached = self.session.try_update_value(|s| {
            s.as_mut().map(|s| {
                let until = s.sim().now().saturating_add(sim_span(dt, speed));
                s.advance(until, now_ms + FRAME_BUDGET_MS, &wall_ms, now_ms)
            })
        });
        if let Some(Some(reached)) = reached {
            if self.lagging.get_untracked() == reached {
                self.lagging.set(!reached);
            }
        }
        self.after_progress(false);
        if self.phase.get_untracked() == Phase::Playing {
            self.schedule_frame();
        }
    }

    /// One fast-forward slice; schedules the next unless the run is over or was paused.
    fn fast_forward_slice(&self) {
        if self.phase.get_untracked() != Phase::FastForwarding {
            return;
        }
        let deadline = wall_ms() + SLICE_MS;
        self.session.update_value(|s| {
            if let Some(s) = s.as_mut() {
                s.fast_forward(deadline, &wall_ms);
            }
        });
        self.after_progress(false);
        if self.phase.get_untracked() == Phase::FastForwarding {
            self.yielder.with_value(|y| y.as_ref().map(Yielder::post));
        }
    }

    /// Publishes where the run stands and paints; finishes the run if it is over. `all`
    /// publishes everything now instead of at the usual pace.
    fn after_progress(&self, all: bool) {
        let Some((now, events, progress, particles, finished)) = self.session.with_value(|s| {
            s.as_ref().map(|s| {
                (
                    s.sim().now(),
                    s.sim().events(),
                    s.progress(),
                    s.flights().flights().len(),
                    s.sim().is_finished(),
                )
            })
        }) else {
            return;
        };
        self.now.set(now);
        self.events.set(events);
        self.progress.set(progress);
        self.particles.set(particles);
        self.publish(all || finished);
        self.paint();
        if finished {
            self.phase.set(Phase::Finished);
            self.lagging.set(false);
        }
    }

    /// Copies node levels and numbers into their signals, at most at their pace unless `all`.
    fn publish(&self, all: bool) {
        let now_ms = wall_ms();
        let (levels_due, numbers_due) = self.pace.with_value(|p| {
            (
                all || now_ms - p.levels_ms >= LEVELS_EVERY_MS,
                all || now_ms - p.numbers_ms >= NUMBERS_EVERY_MS,
            )
        });
        if levels_due {
            let levels = self
                .session
                .try_update_value(|s| s.as_mut().map(Session::node_levels))
                .flatten();
            if let Some(levels) = levels {
                self.nodes.set(levels);
            }
            // Edges hear of their breakers only when one changed, not ten times a second.
            let breakers = self
                .session
                .with_value(|s| s.as_ref().map(Session::breakers));
            if let Some(b) = breakers.filter(|b| self.breakers.with_untracked(|now| now != b)) {
                self.breakers.set(b);
            }
            self.pace.update_value(|p| p.levels_ms = now_ms);
        }
        // A finished run's numbers are final: keep its snapshot (and any text made from it).
        let settled = self
            .snapshot
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.is_final));
        if numbers_due && !settled {
            let snapshot = self
                .session
                .with_value(|s| s.as_ref().map(Session::snapshot));
            if let Some(snapshot) = snapshot {
                self.snapshot.set(Some(std::sync::Arc::new(snapshot)));
            }
            self.pace.update_value(|p| p.numbers_ms = now_ms);
        }
    }

    /// Paints the particles as they are now.
    pub(super) fn paint(&self) {
        let corners: Vec<(f64, f64)> = self
            .editor
            .doc
            .with_untracked(|d| d.nodes.iter().map(|n| (n.x, n.y)).collect());
        let selected = self.selected.get_untracked().map(|i| i as u32);
        let playing = self.phase.get_untracked() == Phase::Playing;
        let wall = wall_ms();
        self.session.with_value(|session| {
            self.surface.update_value(|surface| {
                if let Some(surface) = surface.as_mut() {
                    surface.paint(session.as_ref(), &corners, wall, selected, playing);
                }
            });
        });
    }

    /// Selects the traced request whose particle is under the client point, if any.
    pub fn pick(&self, client: (f64, f64)) -> bool {
        let Some(point) = self
            .surface
            .with_value(|s| s.as_ref().and_then(|s| s.to_canvas(client)))
        else {
            return false;
        };
        let corners: Vec<(f64, f64)> = self
            .editor
            .doc
            .with_untracked(|d| d.nodes.iter().map(|n| (n.x, n.y)).collect());
        let radius = self
            .surface
            .with_value(|s| s.as_ref().map_or(10.0, |s| s.pick_radius()));
        let picked = self.session.with_value(|s| {
            s.as_ref().and_then(|s| {
                s.flights()
                    .traced_near(&corners, s.sim().now(), point, radius)
            })
        });
        match picked {
            Some(trace) => {
                self.select_trace(trace as usize);
                true
            }
            None => false,
        }
    }

    /// Shows the trace at `index` (with the latest numbers, so it is complete so far).
    pub fn select_trace(&self, index: usize) {
        self.selected.set(Some(index));
        self.publish(true);
        self.paint();
    }
}
