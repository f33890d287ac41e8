//! Fitting the diagram into the part of the canvas nothing covers. The toolbar lies over the
//! canvas's top, the minimap over a corner, a hint under the toolbar: a fit that ignored them
//! would put nodes under them. Each cover can be stepped around on one of its sides; the fit
//! tries every way and keeps the one that shows the diagram largest.
//!
//! Plain arithmetic on rectangles, tested without a browser page.

use super::geometry::{ViewBox, NODE_H, NODE_W};
use pattern_engine::scenario::Node;

/// Room kept between the diagram and the clear area's edges, CSS pixels.
pub const FIT_MARGIN_PX: f64 = 16.0;

/// The most a fit zooms in: a diagram of two nodes is not blown up to fill a wide screen.
pub const MAX_FIT_SCALE: f64 = 1.25;

/// Covers beyond this many are not stepped around (4⁴ ways to try is plenty).
const MAX_COVERS: usize = 4;

/// A rectangle in CSS pixels, relative to the canvas's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// What is left of `self` on one `side` of `cover`.
    fn beside(&self, cover: &Rect, side: usize) -> Rect {
        let mut r = *self;
        match side {
            0 => {
                // Below it.
                let top = cover.bottom().max(r.y);
                r.h = (r.bottom() - top).max(0.0);
                r.y = top;
            }
            1 => r.h = (cover.y - r.y).clamp(0.0, r.h), // above it
            2 => {
                // Right of it.
                let left = cover.right().max(r.x);
                r.w = (r.right() - left).max(0.0);
                r.x = left;
            }
            _ => r.w = (cover.x - r.x).clamp(0.0, r.w), // left of it
        }
        r
    }
}

/// The nodes' bounding box in canvas units, None for no nodes.
pub fn bounds(nodes: &[Node]) -> Option<Rect> {
    let first = nodes.first()?;
    let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.x, first.y);
    for n in nodes {
        x0 = x0.min(n.x);
        y0 = y0.min(n.y);
        x1 = x1.max(n.x);
        y1 = y1.max(n.y);
    }
    Some(Rect {
        x: x0,
        y: y0,
        w: x1 - x0 + NODE_W,
        h: y1 - y0 + NODE_H,
    })
}

/// The scale at which a box of `size` canvas units fits in `room` pixels with the margin.
fn scale_in(room: &Rect, size: (f64, f64)) -> f64 {
    let w = (room.w - 2.0 * FIT_MARGIN_PX).max(0.0);
    let h = (room.h - 2.0 * FIT_MARGIN_PX).max(0.0);
    (w / size.0).min(h / size.1)
}

/// The part of a canvas `size` pixels large, clear of `covers`, in which a diagram of
/// `diagram` canvas units (width, height) shows largest.
pub fn clear_area(size: (f64, f64), covers: &[Rect], diagram: (f64, f64)) -> Rect {
    let whole = Rect {
        x: 0.0,
        y: 0.0,
        w: size.0,
        h: size.1,
    };
    let covers: Vec<Rect> = covers
        .iter()
        .filter(|c| c.w > 0.0 && c.h > 0.0 && c.overlaps(&whole))
        .take(MAX_COVERS)
        .copied()
        .collect();
    let ways = 4usize.pow(covers.len() as u32);
    let mut best = whole;
    let mut best_key = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for way in 0..ways {
        let mut room = whole;
        let mut choice = way;
        for cover in &covers {
            if cover.overlaps(&room) {
                room = room.beside(cover, choice % 4);
            }
            choice /= 4;
        }
        let key = (scale_in(&room, diagram), room.w * room.h);
        if key > best_key {
            best_key = key;
            best = room;
        }
    }
    best
}

/// The view of a canvas `size` pixels large that shows `nodes` as large as they fit in the
/// part clear of `covers` (at most [`MAX_FIT_SCALE`]), centred there. The view has the
/// canvas's own proportions, so the SVG's centring adds nothing to it. None without nodes or
/// without room.
pub fn fit_clear(nodes: &[Node], size: (f64, f64), covers: &[Rect]) -> Option<ViewBox> {
    let b = bounds(nodes)?;
    let room = clear_area(size, covers, (b.w, b.h));
    let scale = scale_in(&room, (b.w, b.h)).min(MAX_FIT_SCALE);
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    let (room_cx, room_cy) = (room.x + room.w / 2.0, room.y + room.h / 2.0);
    let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
    Some(ViewBox {
        x: cx - room_cx / scale,
        y: cy - room_cy / scale,
        w: size.0 / scale,
        h: size.1 / scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::geometry::{test_node as node, view_transform};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Where a canvas point lands on screen under `view`, as the SVG draws it.
    fn on_screen(size: (f64, f64), view: ViewBox, p: (f64, f64)) -> (f64, f64) {
        let (scale, dx, dy) = view_transform(size, view);
        (p.0 * scale + dx, p.1 * scale + dy)
    }

    #[wasm_bindgen_test]
    fn a_wide_diagram_steps_above_a_minimap_rather_than_shrinking_beside_it() {
        let size = (1000.0, 600.0);
        let toolbar = Rect {
            x: 0.0,
            y: 0.0,
            w: 1000.0,
            h: 48.0,
        };
        let minimap = Rect {
            x: 860.0,
            y: 500.0,
            w: 128.0,
            h: 88.0,
        };
        let nodes = [node(0.0, 0.0), node(1160.0, 0.0), node(580.0, 300.0)];
        let view = fit_clear(&nodes, size, &[toolbar, minimap]).unwrap();
        // Every node's box lies clear of both covers.
        for n in &nodes {
            let (x0, y0) = on_screen(size, view, (n.x, n.y));
            let (x1, y1) = on_screen(size, view, (n.x + NODE_W, n.y + NODE_H));
            assert!(x0 >= 0.0 && x1 <= size.0, "inside: {x0} {x1}");
            assert!(y0 >= toolbar.h, "below the toolbar: {y0}");
            assert!(y1 <= minimap.y, "above the minimap: {y1}");
        }
        // The scale is set by the width: the minimap took nothing from it.
        let (scale, _, _) = view_transform(size, view);
        let expected = (size.0 - 2.0 * FIT_MARGIN_PX) / 1300.0;
        assert!((scale - expected).abs() < 1e-9, "{scale} vs {expected}");
    }

    #[wasm_bindgen_test]
    fn a_tall_diagram_steps_left_of_a_minimap() {
        let size = (1000.0, 600.0);
        let minimap = Rect {
            x: 860.0,
            y: 500.0,
            w: 128.0,
            h: 88.0,
        };
        let nodes = [node(0.0, 0.0), node(0.0, 1000.0)];
        let view = fit_clear(&nodes, size, &[minimap]).unwrap();
        let (scale, _, _) = view_transform(size, view);
        assert!(
            ((scale - (600.0 - 32.0) / 1056.0).abs()) < 1e-9,
            "full height kept"
        );
        let (x1, _) = on_screen(size, view, (NODE_W, 0.0));
        assert!(x1 <= minimap.x);
    }

    #[wasm_bindgen_test]
    fn a_small_diagram_is_not_blown_up_and_no_nodes_is_no_fit() {
        let size = (1000.0, 600.0);
        let view = fit_clear(&[node(100.0, 100.0)], size, &[]).unwrap();
        let (scale, _, _) = view_transform(size, view);
        assert_eq!(scale, MAX_FIT_SCALE);
        let (x, y) = on_screen(size, view, (100.0 + NODE_W / 2.0, 100.0 + NODE_H / 2.0));
        assert!(
            (x - 500.0).abs() < 1e-9 && (y - 300.0).abs() < 1e-9,
            "centred"
        );
        assert_eq!(fit_clear(&[], size, &[]), None);
        assert_eq!(fit_clear(&[node(0.0, 0.0)], (0.0, 0.0), &[]), None);
    }
}
