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

/// Height of the strip, and its gap above the node, in diagram units.
const STRIP_H: f64 = 8.0;
const STRIP_GAP: f64 = 5.0;

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

/// The strip over the router `id`'s node, following `level` (its badge's).
#[component]
pub fn ShardStrip(id: String, level: Memo<Option<NodeLive>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let shards = Memo::new(move |_| {
        live.editor.doc.with(|d| {
            d.edges
                .iter()
                .filter(|e| e.from == id)
                .map(|e| e.to.clone())
                .collect::<Vec<_>>()
        })
    });
    let table = Memo::new(move |_| level.with(|l| l.as_ref().and_then(|l| l.shards.clone())));
    let read = move |f: fn(&ShardLive) -> u64| move || table.with(|t| t.as_ref().map(f));
    let serving = move || {
        table.with(|t| {
            t.as_ref()
                .map_or(0, |t| t.cells.iter().filter(|c| c.serving).count())
        })
    };
    let cells = move || {
        let ids = shards.get();
        let width = NODE_W / ids.len().max(1) as f64;
        ids.into_iter()
            .enumerate()
            .map(|(i, shard)| {
                let cell = move || table.with(|t| t.as_ref().and_then(|t| t.cells.get(i).copied()));
                let title = {
                    let shard = shard.clone();
                    move || {
                        cell().map_or(String::new(), |c| {
                            let state = if c.serving { "" } else { " · standing by" };
                            format!(
                                "{shard}: {} keys · {:.0}% of calls{state}",
                                c.keys,
                                c.share * 100.0
                            )
                        })
                    }
                };
                view! {
                    <rect class="shard-cell" data-testid="shard-cell" data-shard=shard
                        x=i as f64 * width + 1.0 y=-(STRIP_GAP + STRIP_H)
                        width=(width - 2.0).max(1.0) height=STRIP_H rx="2"
                        data-keys=move || cell().map(|c| c.keys.to_string())
                        data-serving=move || cell().map(|c| c.serving.to_string())
                        data-share=move || cell().map(|c| format!("{:.3}", c.share))
                        fill=move || cell().filter(|c| c.serving).map(|c| utilisation_colour(heat(c.share, serving())))>
                        <title>{title}</title>
                    </rect>
                }
            })
            .collect_view()
    };
    view! {
        <g class="shard-strip" data-testid="shard-strip"
            data-moving=read(|t| t.moving) data-moved=read(|t| t.moved_keys)
            data-moved-slow=read(|t| t.moved_slow)>
            {cells}
        </g>
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
