//! Particles on a `<canvas>` laid over the diagram. One path per look per frame, so 5,000
//! requests in flight cost a few thousand `arc` calls and six fills, not 5,000 DOM nodes.
//! The canvas shows the same part of the diagram as the SVG under it: both map the view box
//! with "scale to fit, centred" ([`view_transform`]).

use super::flights::Look;
use super::session::Session;
use super::{Live, Phase};
use crate::diagram::geometry::{screen_to_canvas, view_transform, ViewBox, NODE_W};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::f64::consts::TAU;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Particle radius, canvas units.
const RADIUS: f64 = 4.0;

/// Particles never shrink below this many screen pixels, however far out the view is zoomed.
const MIN_RADIUS_PX: f64 = 2.0;

/// How close (screen pixels) a click must be to a particle to pick it.
const PICK_PX: f64 = 12.0;

/// Above this many particles they are drawn as squares: a software canvas fills 5,000 small
/// rectangles about seven times faster than 5,000 circles (measured in headless Chromium), and
/// in a crowd the shape is not what anyone reads.
const CROWD: usize = 1_000;

/// While playing, the canvas's size is read once in this many frames (see `Surface::size`).
const MEASURE_EVERY: u32 = 30;

/// Queued requests drawn as dots above a node, at most.
const PILE_MAX: u64 = 40;

/// Dots per row in a pile.
const PILE_ROW: u64 = 10;

/// The canvas and what painting it needs between frames (reused buffers: painting allocates
/// nothing once they have grown).
pub(super) struct Surface {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    view: RwSignal<ViewBox>,
    /// Particle positions by look, at each look's [`Look::index`].
    buckets: [Vec<(f64, f64)>; Look::COUNT],
    traced: Vec<(f64, f64, bool)>,
    /// Canvas units per CSS pixel, as last painted.
    units_per_px: f64,
    /// The canvas's CSS size and pixel ratio as last measured, and frames since then.
    measured: (f64, f64, f64),
    frames_since_measure: u32,
}

impl Surface {
    fn new(canvas: HtmlCanvasElement, view: RwSignal<ViewBox>) -> Option<Surface> {
        let context = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Surface {
            canvas,
            context,
            view,
            buckets: Default::default(),
            traced: Vec::new(),
            units_per_px: 1.0,
            measured: (0.0, 0.0, 1.0),
            frames_since_measure: MEASURE_EVERY,
        })
    }

    /// The canvas's CSS size and pixel ratio. Reading an element's size forces the page's
    /// layout when anything changed since the last frame, so while playing it is measured
    /// every [`MEASURE_EVERY`] frames (and on every paint that is not part of playing).
    fn size(&mut self, remeasure: bool) -> (f64, f64, f64) {
        self.frames_since_measure += 1;
        if remeasure || self.frames_since_measure >= MEASURE_EVERY {
            self.frames_since_measure = 0;
            self.measured = self.fit_buffer();
        }
        self.measured
    }

    /// Matches the canvas's pixel buffer to its size on screen; returns the CSS size.
    fn fit_buffer(&self) -> (f64, f64, f64) {
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let (w, h) = (
            self.canvas.client_width() as f64,
            self.canvas.client_height() as f64,
        );
        let (bw, bh) = ((w * ratio).round() as u32, (h * ratio).round() as u32);
        if self.canvas.width() != bw || self.canvas.height() != bh {
            self.canvas.set_width(bw);
            self.canvas.set_height(bh);
        }
        (w, h, ratio)
    }

    /// Paints `session`'s particles (or nothing) for nodes at `corners`.
    pub(super) fn paint(
        &mut self,
        session: Option<&Session>,
        corners: &[(f64, f64)],
        wall_ms: f64,
        selected: Option<u32>,
        playing: bool,
    ) {
        let (w, h, ratio) = self.size(!playing);
        let ctx = &self.context;
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, w * ratio, h * ratio);
        let Some(session) = session else {
            return;
        };
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let (scale, dx, dy) = view_transform((w, h), self.view.get_untracked());
        self.units_per_px = 1.0 / scale;
        let _ = ctx.set_transform(
            ratio * scale,
            0.0,
            0.0,
            ratio * scale,
            ratio * dx,
            ratio * dy,
        );
        let radius = RADIUS.max(MIN_RADIUS_PX / scale);
        self.paint_piles(session, corners, radius);
        self.sort_flights(session, corners, selected);
        self.paint_flights(radius);
        self.paint_falls(session, corners, wall_ms, radius);
    }

    /// Requests waiting at a node, as a pile of dots above it.
    fn paint_piles(&self, session: &Session, corners: &[(f64, f64)], radius: f64) {
        let ctx = &self.context;
        ctx.set_fill_style_str("#94a3b8");
        ctx.begin_path();
        let step = radius * 1.8;
        for (stats, &(x, y)) in session.sim().node_stats().iter().zip(corners) {
            for k in 0..stats.queued.min(PILE_MAX) {
                let (col, row) = ((k % PILE_ROW) as f64, (k / PILE_ROW) as f64);
                let cx = x + NODE_W / 2.0 + (col - (PILE_ROW as f64 - 1.0) / 2.0) * step;
                let cy = y - radius - 2.0 - row * step;
                ctx.move_to(cx + radius * 0.7, cy);
                let _ = ctx.arc(cx, cy, radius * 0.7, 0.0, TAU);
            }
        }
        ctx.fill();
    }

    /// Positions of everything in flight, bucketed by look.
    fn sort_flights(&mut self, session: &Session, corners: &[(f64, f64)], selected: Option<u32>) {
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        self.traced.clear();
        let now = session.sim().now();
        for flight in session.flights().flights() {
            let Some(at) = flight.position(corners, now) else {
                continue;
            };
            self.buckets[flight.look.index()].push(at);
            if let Some(trace) = flight.trace {
                self.traced.push((at.0, at.1, Some(trace) == selected));
            }
        }
    }

    fn paint_flights(&self, radius: f64) {
        let ctx = &self.context;
        let crowded = self.buckets.iter().map(Vec::len).sum::<usize>() > CROWD;
        for (look, bucket) in Look::all().zip(&self.buckets) {
            if bucket.is_empty() {
                continue;
            }
            ctx.set_fill_style_str(look.colour());
            if crowded {
                let side = radius * 2.0;
                for &(x, y) in bucket {
                    ctx.fill_rect(x - radius, y - radius, side, side);
                }
                continue;
            }
            ctx.begin_path();
            for &(x, y) in bucket {
                if look.is_square() {
                    ctx.rect(x - radius, y - radius, radius * 2.0, radius * 2.0);
                } else {
                    ctx.move_to(x + radius, y);
                    let _ = ctx.arc(x, y, radius, 0.0, TAU);
                }
            }
            ctx.fill();
        }
        // Sampled requests wear a ring: those can be clicked for their trace.
        ctx.set_stroke_style_str("#0f172a");
        ctx.set_line_width(radius * 0.35);
        ctx.begin_path();
        for &(x, y, _) in &self.traced {
            ctx.move_to(x + radius * 1.6, y);
            let _ = ctx.arc(x, y, radius * 1.6, 0.0, TAU);
        }
        ctx.stroke();
        ctx.set_line_width(radius * 0.6);
        ctx.set_stroke_style_str("#f43f5e");
        ctx.begin_path();
        for &(x, y, _) in self.traced.iter().filter(|t| t.2) {
            ctx.move_to(x + radius * 2.6, y);
            let _ = ctx.arc(x, y, radius * 2.6, 0.0, TAU);
        }
        ctx.stroke();
    }

    fn paint_falls(&self, session: &Session, corners: &[(f64, f64)], wall_ms: f64, radius: f64) {
        let ctx = &self.context;
        for fall in session.flights().falls() {
            if let Some((x, y, alpha)) = fall.position(corners, wall_ms) {
                ctx.set_global_alpha(alpha);
                ctx.set_fill_style_str(fall.look.colour());
                ctx.begin_path();
                ctx.move_to(x + radius, y);
                let _ = ctx.arc(x, y, radius, 0.0, TAU);
                ctx.fill();
            }
        }
        ctx.set_global_alpha(1.0);
    }

    /// The canvas point under a client (page) point, if it is over the canvas.
    pub(super) fn to_canvas(&self, client: (f64, f64)) -> Option<(f64, f64)> {
        let rect = self.canvas.get_bounding_client_rect();
        let inside = client.0 >= rect.left()
            && client.0 <= rect.right()
            && client.1 >= rect.top()
            && client.1 <= rect.bottom();
        inside.then(|| {
            screen_to_canvas(
                (rect.left(), rect.top(), rect.width(), rect.height()),
                self.view.get_untracked(),
                client,
            )
        })
    }

    /// How near (canvas units) a click must be to a particle.
    pub(super) fn pick_radius(&self) -> f64 {
        PICK_PX * self.units_per_px
    }
}

/// The particle canvas, over the diagram showing `view`.
#[component]
pub fn ParticleLayer(view: RwSignal<ViewBox>) -> impl IntoView {
    let live = expect_context::<Live>();
    let canvas = NodeRef::<Canvas>::new();
    canvas.on_load(move |element| {
        live.surface.set_value(Surface::new(element, view));
        live.paint();
    });
    // While playing every frame paints; otherwise panning, zooming or moving a node repaints.
    Effect::new(move |_| {
        view.track();
        live.editor.doc.track();
        live.selected.track();
        if live.phase.get_untracked() != Phase::Playing {
            live.paint();
        }
    });
    view! {
        <canvas
            node_ref=canvas
            class="live-particles"
            aria-hidden="true"
            data-testid="particles"
            data-count=move || live.particles.get()
        />
    }
}
