//! A scenario's diagram in miniature for its gallery tile: each node a box coloured by its
//! kind's palette group, each edge a line between centres; no text, so it is drawn from the
//! document alone. Groups are engine names and coordinates whole numbers, so the markup holds
//! nothing from the file as text.

use pattern_engine::scenario::Scenario;

use crate::diagram::geometry::{NODE_H, NODE_W};

/// Room kept around the nodes, in canvas units.
const MARGIN: f64 = 20.0;

/// One node's box: its top-left corner and its kind's palette group.
#[derive(Clone, Debug, PartialEq)]
pub struct Tile {
    /// Left edge, canvas units.
    pub x: f64,
    /// Top edge, canvas units.
    pub y: f64,
    /// The kind's palette group (`traffic`, `compute`, ...), which sets its colour.
    pub group: &'static str,
}

/// What a thumbnail draws: its view box, the node boxes and the edges (from and to centres).
#[derive(Clone, Debug, PartialEq)]
pub struct Sketch {
    /// `min-x min-y width height`, framing every node with a margin.
    pub view_box: String,
    /// The nodes.
    pub tiles: Vec<Tile>,
    /// The edges, as `(x1, y1, x2, y2)` between node centres.
    pub lines: Vec<(f64, f64, f64, f64)>,
}

/// The sketch of `scenario`'s diagram; an empty diagram gets an empty frame.
pub fn sketch(scenario: &Scenario) -> Sketch {
    let tiles: Vec<Tile> = scenario
        .nodes
        .iter()
        .map(|n| Tile {
            x: n.x,
            y: n.y,
            group: n.component.kind().group().name(),
        })
        .collect();
    let centre = |id: &str| {
        scenario
            .node(id)
            .map(|n| (n.x + NODE_W / 2.0, n.y + NODE_H / 2.0))
    };
    let lines = scenario
        .edges
        .iter()
        .filter_map(|e| {
            let (x1, y1) = centre(&e.from)?;
            let (x2, y2) = centre(&e.to)?;
            Some((x1, y1, x2, y2))
        })
        .collect();
    let (x0, y0, x1, y1) = tiles.iter().fold(
        (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ),
        |(x0, y0, x1, y1), t| {
            (
                x0.min(t.x),
                y0.min(t.y),
                x1.max(t.x + NODE_W),
                y1.max(t.y + NODE_H),
            )
        },
    );
    let view_box = if tiles.is_empty() {
        format!("0 0 {} {}", NODE_W as i64, NODE_H as i64)
    } else {
        format!(
            "{} {} {} {}",
            (x0 - MARGIN).floor() as i64,
            (y0 - MARGIN).floor() as i64,
            (x1 - x0 + 2.0 * MARGIN).ceil() as i64,
            (y1 - y0 + 2.0 * MARGIN).ceil() as i64
        )
    };
    Sketch {
        view_box,
        tiles,
        lines,
    }
}

/// The sketch as SVG markup for the inside of the tile's `<svg>`: set as its inner HTML, so
/// the gallery's views hold one string per thumbnail rather than an element per shape.
pub fn markup(sketch: &Sketch) -> String {
    let mut svg = String::new();
    for (x1, y1, x2, y2) in &sketch.lines {
        svg.push_str(&format!(
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" class="gallery-thumb-edge"/>"#,
            x1.round() as i64,
            y1.round() as i64,
            x2.round() as i64,
            y2.round() as i64
        ));
    }
    for tile in &sketch.tiles {
        svg.push_str(&format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="10" class="gallery-thumb-node group-{}"/>"#,
            tile.x.round() as i64,
            tile.y.round() as i64,
            NODE_W as i64,
            NODE_H as i64,
            tile.group
        ));
    }
    svg
}
