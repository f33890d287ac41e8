//! Where things go on the canvas: node size, the view box that fits a diagram, and the path of
//! an edge between two node boxes.

use pattern_engine::scenario::Node;

/// Width of a node box, in canvas units.
pub const NODE_W: f64 = 140.0;
/// Height of a node box.
pub const NODE_H: f64 = 56.0;
/// Room around the diagram when fitting it.
const MARGIN: f64 = 40.0;

/// The SVG `viewBox` that shows every node with a margin (a default area when empty).
pub fn fit(nodes: &[Node]) -> String {
    if nodes.is_empty() {
        return format!("0 0 {} {}", 4.0 * NODE_W, 4.0 * NODE_H);
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
    format!("{min_x} {min_y} {} {}", max_x - min_x, max_y - min_y)
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
            fit(&[node(0.0, 0.0), node(300.0, 100.0)]),
            "-40 -40 520 236"
        );
    }

    #[wasm_bindgen_test]
    fn side_by_side_nodes_are_joined_edge_to_edge() {
        let (path, label) = edge_path(&node(0.0, 0.0), &node(300.0, 0.0));
        assert_eq!(path, "M 140 28 L 300 28");
        assert_eq!(label, (220.0, 22.0));
    }
}
