//! A shard router's shards during a run: a heat strip over the router's node, one cell per
//! shard in edge order (the engine's `ShardTable` order), coloured by the shard's share of the
//! calls the router sent over the last updates, its keys in its title, a shard standing by
//! drawn hatched.
//!
//! Why the share of routed calls and not the shard's utilisation: the share is what the
//! router's placement decides, so it is what a reshard or a skewed range visibly changes; a
//! shard's busy share mixes in its own capacity (a slow database is hot on an even share),
//! and its badge shows that already.

use super::badges::utilisation_colour;
use super::{Live, NodeLive};
use crate::diagram::geometry::NODE_W;
use leptos::prelude::*;
use pattern_engine::components::shard_router::ShardTable;

/// How quickly a cell's share follows the calls of the last update (per update, 0 to 1): a
/// few updates' memory, so the strip reads steadily at a hundred calls a second.
const SMOOTHING: f64 = 0.3;

/// The strip's cells' height, and their top (above the node, with a gap), in diagram units.
const STRIP_H_TEXT: &str = "8";
const STRIP_Y_TEXT: &str = "-13";

/// A shard router's state for its badge.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShardLive {
    /// Per shard, in edge order.
    pub cells: Vec<ShardCell>,
    /// Keys whose shard changed at a reshard, over the run.
    pub moved_keys: u64,
    /// Reads of a moving key, which asked both shards.
    pub moved_slow: u64,
    /// Keys still waiting to be copied.
    pub moving: u64,
}

/// One shard as its cell shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ShardCell {
    /// True if the router places keys on it now.
    pub serving: bool,
    /// Keys written through the router whose data is on it.
    pub keys: u64,
    /// Its share of the calls the router sent lately, smoothed (0 to 1).
    pub share: f64,
}

/// What a session keeps of one router between two updates: the calls each shard had been
/// sent, and the smoothed shares.
#[derive(Clone, Debug, Default)]
pub struct ShardHeat {
    routed: Vec<u64>,
    share: Vec<f64>,
}

impl ShardHeat {
    /// The router's state from `table`, its shards now, with each share moved toward the
    /// shard's part of the calls sent since the last update. No call since: shares stay.
    pub fn update(&mut self, table: &ShardTable) -> ShardLive {
        let n = table.shards.len();
        self.routed.resize(n, 0);
        self.share.resize(n, 0.0);
        let sent = |i: usize| table.shards[i].routed.saturating_sub(self.routed[i]);
        let total: u64 = (0..n).map(sent).sum();
        if total > 0 {
            for i in 0..n {
                let part = sent(i) as f64 / total as f64;
                self.share[i] += (part - self.share[i]) * SMOOTHING;
            }
        }
        for (before, row) in self.routed.iter_mut().zip(&table.shards) {
            *before = row.routed;
        }
        ShardLive {
            cells: table
                .shards
                .iter()
                .zip(&self.share)
                .map(|(row, &share)| ShardCell {
                    serving: row.serving,
                    keys: row.keys,
                    share,
                })
                .collect(),
            moved_keys: table.moved_keys,
            moved_slow: table.moved_slow,
            moving: table.moving,
        }
    }
}

/// How hot a cell is, 0 to 1: its share against an even share of the `serving` shards, so an
/// even spread is the middle of the scale, no calls cold and twice its share or more hot.
pub fn heat(share: f64, serving: usize) -> f64 {
    (share * serving as f64 / 2.0).clamp(0.0, 1.0)
}

/// The strip over the router `id`'s node, following `level` (its badge's). Its cells are
/// written by one effect, not declared with a reactive closure per attribute (six a cell):
/// declared, the strip cost the first load 4.5 KB gzipped, written, 3.3 KB (measured, see
/// docs/ARCHITECTURE.md, "Shards in the app").
#[component]
pub fn ShardStrip(id: String, level: Memo<Option<NodeLive>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let strip = NodeRef::<leptos::svg::G>::new();
    Effect::new(move |_| {
        let Some(g) = strip.get() else {
            return;
        };
        live.editor.doc.with(|d| {
            // The router's shards: the ends of its edges, in edge order, as the engine has them.
            let shards = || {
                d.edges
                    .iter()
                    .filter(|e| e.from == id)
                    .map(|e| e.to.as_str())
            };
            let count = shards().count();
            level.with(|l| {
                paint(
                    &g,
                    shards(),
                    count,
                    l.as_ref().and_then(|l| l.shards.as_ref()),
                )
            });
        });
    });
    view! { <g class="shard-strip" data-testid="shard-strip" node_ref=strip></g> }
}

/// Writes the strip `g`: its moves, and one cell per shard in `shards` (`count` of them) with
/// what `table` says of it (nothing yet before the first update). Cells are reused from one update to the next,
/// so a cell's title stays up while the pointer rests on it.
fn paint<'a>(
    g: &web_sys::Element,
    shards: impl Iterator<Item = &'a str>,
    count: usize,
    table: Option<&ShardLive>,
) {
    let set = |el: &web_sys::Element, name: &str, value: &str| {
        let _ = el.set_attribute(name, value);
    };
    if let Some(t) = table {
        set(g, "data-moving", &t.moving.to_string());
        set(g, "data-moved", &t.moved_keys.to_string());
        set(g, "data-moved-slow", &t.moved_slow.to_string());
    }
    fit_cells(g, count);
    let width = NODE_W / count.max(1) as f64;
    let serving = table.map_or(0, |t| t.cells.iter().filter(|c| c.serving).count());
    let mut cell = g.first_element_child();
    for (i, shard) in shards.enumerate() {
        let Some(el) = cell else {
            return;
        };
        set(&el, "data-shard", shard);
        set(&el, "x", &(i as f64 * width + 1.0).to_string());
        set(&el, "width", &(width - 2.0).max(1.0).to_string());
        if let Some(c) = table.and_then(|t| t.cells.get(i)) {
            set(&el, "data-keys", &c.keys.to_string());
            set(
                &el,
                "data-serving",
                if c.serving { "true" } else { "false" },
            );
            set(&el, "data-share", &format!("{:.3}", c.share));
            if c.serving {
                set(&el, "fill", &utilisation_colour(heat(c.share, serving)));
            } else {
                // The stylesheet's: a cell standing by is drawn empty, not cold.
                let _ = el.remove_attribute("fill");
            }
            let state = if c.serving { "" } else { " · standing by" };
            let title = format!(
                "{shard}: {} keys · {:.0}% of calls{state}",
                c.keys,
                c.share * 100.0
            );
            if let Some(t) = el.first_element_child() {
                t.set_text_content(Some(&title));
            }
        }
        cell = el.next_element_sibling();
    }
}

/// Makes `g` hold exactly `count` cells (a `rect` with a `title` each), keeping those it has.
fn fit_cells(g: &web_sys::Element, count: usize) {
    const SVG: Option<&str> = Some("http://www.w3.org/2000/svg");
    while g.child_element_count() as usize > count {
        if let Some(last) = g.last_element_child() {
            last.remove();
        }
    }
    let document = document();
    while (g.child_element_count() as usize) < count {
        let (Ok(rect), Ok(title)) = (
            document.create_element_ns(SVG, "rect"),
            document.create_element_ns(SVG, "title"),
        ) else {
            return;
        };
        for (name, value) in [
            ("class", "shard-cell"),
            ("data-testid", "shard-cell"),
            ("rx", "2"),
            ("height", STRIP_H_TEXT),
            ("y", STRIP_Y_TEXT),
        ] {
            let _ = rect.set_attribute(name, value);
        }
        let _ = rect.append_child(&title);
        let _ = g.append_child(&rect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::components::shard_router::ShardRow;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn table(rows: &[(bool, u64, u64)], moving: u64) -> ShardTable {
        ShardTable {
            shards: rows
                .iter()
                .map(|&(serving, keys, routed)| ShardRow {
                    serving,
                    keys,
                    routed,
                })
                .collect(),
            moved_keys: 7,
            moved_slow: 3,
            moving,
        }
    }

    // Natively too (`cargo test -p pattern-playground --lib`): plain logic.
    #[wasm_bindgen_test(unsupported = test)]
    fn shares_follow_the_calls_since_the_last_update_and_hold_without_calls() {
        let mut heat = ShardHeat::default();
        let first = heat.update(&table(&[(true, 5, 30), (true, 9, 10), (false, 0, 0)], 2));
        assert_eq!(first.cells.len(), 3);
        assert!((first.cells[0].share - 0.75 * SMOOTHING).abs() < 1e-12);
        assert!((first.cells[1].share - 0.25 * SMOOTHING).abs() < 1e-12);
        assert_eq!(first.cells[2].share, 0.0);
        assert_eq!((first.cells[1].keys, first.cells[2].serving), (9, false));
        assert_eq!(
            (first.moved_keys, first.moved_slow, first.moving),
            (7, 3, 2)
        );
        // Only the calls since: the first shard gets none of the next 40.
        let second = heat.update(&table(&[(true, 5, 30), (true, 9, 50), (false, 0, 0)], 0));
        let expected = 0.75 * SMOOTHING * (1.0 - SMOOTHING);
        assert!((second.cells[0].share - expected).abs() < 1e-12);
        assert!(second.cells[1].share > first.cells[1].share);
        // No call at all: the shares stay as they were.
        let idle = heat.update(&table(&[(true, 5, 30), (true, 9, 50), (false, 0, 0)], 0));
        assert_eq!(idle.cells, second.cells);
        // An even spread from then on: both serving shards settle on half each.
        let settled = (1..=80)
            .map(|k| {
                heat.update(&table(
                    &[(true, 5, 30 + k), (true, 9, 50 + k), (false, 0, 0)],
                    0,
                ))
            })
            .last()
            .unwrap();
        for cell in &settled.cells[..2] {
            assert!((cell.share - 0.5).abs() < 1e-9, "{settled:?}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_even_share_is_the_middle_of_the_heat_scale() {
        assert_eq!(heat(0.25, 4), 0.5);
        assert_eq!(heat(0.0, 4), 0.0);
        assert_eq!(heat(0.5, 4), 1.0);
        assert_eq!(heat(0.9, 4), 1.0);
        assert_eq!(heat(0.5, 0), 0.0);
    }
}
