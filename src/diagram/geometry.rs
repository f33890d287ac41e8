//! Where things go on the canvas: node size, the view box that fits a diagram, and the path of
//! an edge between two node boxes.

use pattern_engine::scenario::Node;

/// Width of a node box, in canvas units.
pub const NODE_W: f64 = 140.0;
/// Height of a node box.
pub const NODE_H: f64 = 56.0;
/// Room around the diagram when fitting it.
const MARGIN: f64 = 40.0;

/// Grid spacing that dragged nodes snap to.
pub const GRID: f64 = 20.0;

/// The part of the canvas in view, in canvas units (an SVG `viewBox`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl ViewBox {
    /// As the `viewBox` attribute.
    pub fn attr(&self) -> String {
        format!("{} {} {} {}", self.x, self.y, self.w, self.h)
    }

    /// The middle, where keyboard-added nodes go.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// The view that shows every node with a margin (a default area when empty).
pub fn fit(nodes: &[Node]) -> ViewBox {
    if nodes.is_empty() {
        return ViewBox {
            x: 0.0,
            y: 0.0,
            w: 8.0 * NODE_W,
            h: 8.0 * NODE_H,
        };
    }
    let min_x = nodes.iter().map(|n| n.x).fold(f64::INFINITY, f64::min) - MARGIN;
    let min_y = nodes.iter().map(|n| n.y).fold(f64::INFINITY, f64::min) - MARGIN;
    let max_x = nodes
        .iter()
        .map(|n| n.x + NODE_W)
        .fold(f64::NEG_INFINITY, f64::max)
        + MARGIN;
    let max_y = nodes
        .iter()
        .map(|n| n.y + NODE_H)
        .fold(f64::NEG_INFINITY, f64::max)
        + MARGIN;
    ViewBox {
        x: min_x,
        y: min_y,
        w: max_x - min_x,
        h: max_y - min_y,
    }
}

/// A screen point (client pixels) as a canvas point, for an SVG laid out in `rect` (left, top,
/// width, height in client pixels) showing `view` scaled to fit and centred
/// (`preserveAspectRatio="xMidYMid meet"`).
pub fn screen_to_canvas(
    rect: (f64, f64, f64, f64),
    view: ViewBox,
    point: (f64, f64),
) -> (f64, f64) {
    let (left, top, width, height) = rect;
    let (scale, dx, dy) = view_transform((width, height), view);
    ((point.0 - left - dx) / scale, (point.1 - top - dy) / scale)
}

/// How an area of `size` pixels shows `view` scaled to fit and centred: a canvas point `p`
/// lands at pixel `p * scale + (dx, dy)`. The SVG does this itself; the particle layer, a
/// plain canvas over it, needs the same numbers.
pub fn view_transform(size: (f64, f64), view: ViewBox) -> (f64, f64, f64) {
    let (width, height) = size;
    let scale = (width / view.w).min(height / view.h);
    let dx = (width - view.w * scale) / 2.0 - view.x * scale;
    let dy = (height - view.h * scale) / 2.0 - view.y * scale;
    (scale, dx, dy)
}

/// The node whose box contains `point`, the topmost (last drawn) first.
pub fn node_at(nodes: &[Node], point: (f64, f64)) -> Option<&Node> {
    nodes.iter().rev().find(|n| {
        point.0 >= n.x && point.0 <= n.x + NODE_W && point.1 >= n.y && point.1 <= n.y + NODE_H
    })
}

/// Narrowest and widest view, in canvas units: from a few nodes filling the screen to a
/// diagram of hundreds at a glance.
pub const ZOOM_RANGE: (f64, f64) = (200.0, 40_000.0);

/// The view zoomed by `factor` (below 1 zooms in) around the canvas point `at`, which stays
/// where it is on screen. The width stays within [`ZOOM_RANGE`].
pub fn zoom_at(view: ViewBox, at: (f64, f64), factor: f64) -> ViewBox {
    let factor = factor.clamp(ZOOM_RANGE.0 / view.w, ZOOM_RANGE.1 / view.w);
    ViewBox {
        x: at.0 - (at.0 - view.x) * factor,
        y: at.1 - (at.1 - view.y) * factor,
        w: view.w * factor,
        h: view.h * factor,
    }
}

/// The view after two fingers moved from `before` to `now` (client pixels) over an SVG laid out
/// in `rect`, starting from `view`: zoomed by how much the fingers spread (within
/// [`ZOOM_RANGE`]) and moved so that the canvas point under their first midpoint stays under
/// their midpoint now. Moving both fingers together pans.
pub fn pinch(
    rect: (f64, f64, f64, f64),
    view: ViewBox,
    before: [(f64, f64); 2],
    now: [(f64, f64); 2],
) -> ViewBox {
    let mid = |p: [(f64, f64); 2]| ((p[0].0 + p[1].0) / 2.0, (p[0].1 + p[1].1) / 2.0);
    let spread = |p: [(f64, f64); 2]| (p[0].0 - p[1].0).hypot(p[0].1 - p[1].1);
    let anchor = screen_to_canvas(rect, view, mid(before));
    // Fingers on one spot give no ratio: keep the zoom and only follow the midpoint.
    let factor = match (spread(before), spread(now)) {
        (b, n) if b > 1.0 && n > 1.0 => b / n,
        _ => 1.0,
    };
    let zoomed = zoom_at(view, anchor, factor);
    let at_origin = ViewBox {
        x: 0.0,
        y: 0.0,
        ..zoomed
    };
    let offset = screen_to_canvas(rect, at_origin, mid(now));
    ViewBox {
        x: anchor.0 - offset.0,
        y: anchor.1 - offset.1,
        ..zoomed
    }
}

/// The view moved so that `at` is in its middle.
pub fn centre_on(view: ViewBox, at: (f64, f64)) -> ViewBox {
    ViewBox {
        x: at.0 - view.w / 2.0,
        y: at.1 - view.h / 2.0,
        ..view
    }
}

/// Screen pixels per canvas unit, for an SVG of `width` x `height` pixels showing `view`.
pub fn scale(width: f64, height: f64, view: ViewBox) -> f64 {
    (width / view.w).min(height / view.h)
}

/// Ids of the nodes whose boxes meet the rectangle with corners `a` and `b`.
pub fn nodes_in(nodes: &[Node], a: (f64, f64), b: (f64, f64)) -> Vec<String> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    nodes
        .iter()
        .filter(|n| n.x <= x1 && n.x + NODE_W >= x0 && n.y <= y1 && n.y + NODE_H >= y0)
        .map(|n| n.id.clone())
        .collect()
}

/// Rounds a canvas coordinate to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// An edge's SVG path from the border of `from`'s box to the border of `to`'s box, along the
/// line between their centres, and the point for its label (the middle, nudged above).
pub fn edge_path(from: &Node, to: &Node) -> (String, (f64, f64)) {
    let (start, end) = edge_ends((from.x, from.y), (to.x, to.y));
    let label = ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0 - 6.0);
    (
        format!("M {} {} L {} {}", start.0, start.1, end.0, end.1),
        label,
    )
}

/// Where an edge between the node boxes at `from` and `to` (top-left corners) leaves the first
/// and enters the second: on the boxes' borders, along the line between their centres. Edges
/// are drawn, and requests travel, between these two points.
pub fn edge_ends(from: (f64, f64), to: (f64, f64)) -> ((f64, f64), (f64, f64)) {
    let centre = |(x, y): (f64, f64)| (x + NODE_W / 2.0, y + NODE_H / 2.0);
    let (a, b) = (centre(from), centre(to));
    (border_point(a, b), border_point(b, a))
}

/// Where the ray from a box's centre `c` towards `toward` leaves the box.
fn border_point(c: (f64, f64), toward: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (toward.0 - c.0, toward.1 - c.1);
    if dx == 0.0 && dy == 0.0 {
        return c;
    }
    let sx = if dx != 0.0 {
        (NODE_W / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy != 0.0 {
        (NODE_H / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy);
    (c.0 + dx * s, c.1 + dy * s)
}

/// A service at (`x`, `y`), for the geometry tests here and in `fitting`.
#[cfg(test)]
pub(super) fn test_node(x: f64, y: f64) -> Node {
    use pattern_engine::components::{Component, Kind};
    Node {
        id: "n".into(),
        label: String::new(),
        x,
        y,
        component: Component::default_of(Kind::Service),
    }
}

#[cfg(test)]
mod tests {
    use super::test_node as node;
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_view_box_holds_every_node_with_a_margin() {
        assert_eq!(
            fit(&[node(0.0, 0.0), node(300.0, 100.0)]).attr(),
            "-40 -40 520 236"
        );
    }

    #[wasm_bindgen_test]
    fn screen_points_map_to_canvas_points_through_a_letterboxed_view() {
        // A 200 x 100 view in a 400 x 400 box at (10, 20): scale 2, centred vertically with
        // 100 px bands above and below.
        let view = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 200.0,
            h: 100.0,
        };
        let rect = (10.0, 20.0, 400.0, 400.0);
        assert_eq!(screen_to_canvas(rect, view, (10.0, 120.0)), (0.0, 0.0));
        assert_eq!(screen_to_canvas(rect, view, (410.0, 320.0)), (200.0, 100.0));
    }

    #[wasm_bindgen_test]
    fn hits_find_the_topmost_node_and_snapping_rounds_to_the_grid() {
        let nodes = [node(0.0, 0.0), node(100.0, 0.0)];
        assert_eq!(node_at(&nodes, (120.0, 10.0)).map(|n| n.x), Some(100.0));
        assert!(node_at(&nodes, (0.0, 100.0)).is_none());
        assert_eq!((snap(29.0), snap(31.0), snap(-9.0)), (20.0, 40.0, -0.0));
    }

    #[wasm_bindgen_test]
    fn zooming_keeps_the_point_under_the_pointer_still_and_stays_in_range() {
        let view = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 1000.0,
            h: 500.0,
        };
        let zoomed = zoom_at(view, (250.0, 100.0), 0.5);
        assert_eq!(
            zoomed,
            ViewBox {
                x: 125.0,
                y: 50.0,
                w: 500.0,
                h: 250.0
            }
        );
        // The point keeps its place as a fraction of the view: 1/4 across, 1/5 down.
        assert_eq!(
            ((250.0 - zoomed.x) / zoomed.w, (100.0 - zoomed.y) / zoomed.h),
            (0.25, 0.2)
        );
        assert_eq!(zoom_at(view, (0.0, 0.0), 1e-6).w, ZOOM_RANGE.0);
        assert_eq!(zoom_at(view, (0.0, 0.0), 1e6).w, ZOOM_RANGE.1);
    }

    #[wasm_bindgen_test]
    fn spreading_two_fingers_zooms_in_around_them_and_moving_both_pans() {
        let rect = (0.0, 0.0, 400.0, 400.0);
        let view = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 400.0,
        };
        let before = [(100.0, 200.0), (300.0, 200.0)];
        let spread = pinch(rect, view, before, [(50.0, 200.0), (350.0, 200.0)]);
        assert!(
            (spread.w - 400.0 * 200.0 / 300.0).abs() < 1e-9,
            "{spread:?}"
        );
        // The canvas point between the fingers is still between them.
        let under = screen_to_canvas(rect, spread, (200.0, 200.0));
        assert!((under.0 - 200.0).abs() < 1e-9 && (under.1 - 200.0).abs() < 1e-9);

        let panned = pinch(rect, view, before, [(150.0, 230.0), (350.0, 230.0)]);
        assert_eq!(
            panned,
            ViewBox {
                x: -50.0,
                y: -30.0,
                ..view
            }
        );
        let together = pinch(rect, view, [(5.0, 5.0); 2], [(15.0, 5.0); 2]);
        assert_eq!((together.x, together.w), (-10.0, 400.0));
    }

    #[wasm_bindgen_test]
    fn a_rubber_band_takes_every_node_it_touches() {
        let mut nodes = vec![node(0.0, 0.0), node(300.0, 0.0), node(0.0, 300.0)];
        for (i, n) in nodes.iter_mut().enumerate() {
            n.id = format!("n{i}");
        }
        assert_eq!(
            nodes_in(&nodes, (350.0, 100.0), (-10.0, 10.0)),
            ["n0", "n1"]
        );
        assert!(nodes_in(&nodes, (150.0, 100.0), (200.0, 200.0)).is_empty());
    }

    #[wasm_bindgen_test]
    fn side_by_side_nodes_are_joined_edge_to_edge() {
        let (path, label) = edge_path(&node(0.0, 0.0), &node(300.0, 0.0));
        assert_eq!(path, "M 140 28 L 300 28");
        assert_eq!(label, (220.0, 22.0));
    }
}
