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
    let scale = (width / view.w).min(height / view.h);
    let offset_x = left + (width - view.w * scale) / 2.0;
    let offset_y = top + (height - view.h * scale) / 2.0;
    (
        view.x + (point.0 - offset_x) / scale,
        view.y + (point.1 - offset_y) / scale,
    )
}

/// The node whose box contains `point`, the topmost (last drawn) first.
pub fn node_at(nodes: &[Node], point: (f64, f64)) -> Option<&Node> {
    nodes.iter().rev().find(|n| {
        point.0 >= n.x && point.0 <= n.x + NODE_W && point.1 >= n.y && point.1 <= n.y + NODE_H
    })
}

/// Rounds a canvas coordinate to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// An edge's SVG path from the border of `from`'s box to the border of `to`'s box, along the
/// line between their centres, and the point for its label (the middle, nudged above).
pub fn edge_path(from: &Node, to: &Node) -> (String, (f64, f64)) {
    let centre = |n: &Node| (n.x + NODE_W / 2.0, n.y + NODE_H / 2.0);
    let (a, b) = (centre(from), centre(to));
    let start = border_point(a, b);
    let end = border_point(b, a);
    let label = ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0 - 6.0);
    (
        format!("M {} {} L {} {}", start.0, start.1, end.0, end.1),
        label,
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::components::{Component, Kind};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn node(x: f64, y: f64) -> Node {
        Node {
            id: "n".into(),
            label: String::new(),
            x,
            y,
            component: Component::default_of(Kind::Service),
        }
    }

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
    fn side_by_side_nodes_are_joined_edge_to_edge() {
        let (path, label) = edge_path(&node(0.0, 0.0), &node(300.0, 0.0));
        assert_eq!(path, "M 140 28 L 300 28");
        assert_eq!(label, (220.0, 22.0));
    }
}
