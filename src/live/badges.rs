//! Each node's live state, drawn over it while a run exists: utilisation as the colour of a
//! ring (green idle, red saturated), queue depth as a bar, a cache's fill and hit ratio, the
//! retries and hedges its calls sent, and a red badge counting what it dropped or failed; a
//! crashed node greyed out, a shard standing by dimmed, a shard router's heat strip
//! (`shards`). An SVG layer with the diagram's view box, so it lines up with the nodes; it
//! updates ten times a second, not per frame.

use super::shards::ShardStrip;
use super::{Live, NodeLive};
use crate::diagram::geometry::{ViewBox, NODE_H, NODE_W};
use crate::kinds;
use leptos::prelude::*;
use pattern_engine::components::Kind;

/// Queue depth at which the bar is full.
const QUEUE_FULL: f64 = 20.0;

/// The ring colour for a utilisation from 0 (idle, green) to 1 (saturated, red).
pub fn utilisation_colour(utilisation: f64) -> String {
    let u = if utilisation.is_finite() {
        utilisation.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("hsl({:.0}, 75%, 45%)", 130.0 * (1.0 - u))
}

/// What the caption of a node of `kind` says: its busy share, its queue, then what its kind
/// adds (a cache's fill and hits).
pub fn caption(kind: Kind, level: &NodeLive) -> String {
    let mut parts = Vec::new();
    if !level.fault.is_empty() {
        parts.push(level.fault.clone());
    }
    if level.down {
        // A crashed node does nothing: its fading busy share would say otherwise.
        return parts.join(" · ");
    }
    if let Some(u) = level.utilisation {
        parts.push(format!("busy {:.0}%", u * 100.0));
    }
    if level.queued > 0 {
        parts.push(format!("{} waiting", level.queued));
    }
    kinds::caption(kind, level, &mut parts);
    policy_caption(level, &mut parts);
    if level.wasted.0 > 0 {
        // Work done for callers that had given up: what makes goodput collapse.
        let (count, seconds) = level.wasted;
        parts.push(format!("wasted {} ({seconds:.1} s)", compact_count(count)));
    }
    parts.join(" · ")
}

/// What a node's retry and hedge policies did: "120 retries", "40 hedges (12 won)"; nothing
/// until they did something (`data-retries` says 0 already).
fn policy_caption(level: &NodeLive, parts: &mut Vec<String>) {
    if let Some(n) = level.retries.filter(|&n| n > 0) {
        parts.push(format!("{} retries", compact_count(n)));
    }
    if let Some((sent, won)) = level.hedges.filter(|&(sent, _)| sent > 0) {
        parts.push(format!(
            "{} hedges ({} won)",
            compact_count(sent),
            compact_count(won)
        ));
    }
}

/// A count in at most four characters: 7, 950, 1.2k, 35k, 1.2M.
pub fn compact_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1e3),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// The badge layer over the diagram showing `view`.
#[component]
pub fn NodeBadges(view: RwSignal<ViewBox>) -> impl IntoView {
    let live = expect_context::<Live>();
    let ids = move || {
        live.editor
            .doc
            .with(|d| d.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <svg
            class="live-badges"
            viewBox=move || view.get().attr()
            preserveAspectRatio="xMidYMid meet"
            aria-hidden="true"
        >
            <Show when=move || live.phase.get().has_run()>
                <For each=ids key=|id| id.clone() let(id)>
                    <Badge id />
                </For>
            </Show>
        </svg>
    }
}

/// One node's badge. Its elements are built once; each attribute follows its own slice of
/// the node's level, so an update touches only what changed.
#[component]
fn Badge(id: String) -> impl IntoView {
    let live = expect_context::<Live>();
    let place = {
        let id = id.clone();
        Memo::new(move |_| {
            live.editor.doc.with(|d| {
                let index = d.nodes.iter().position(|n| n.id == id)?;
                let n = &d.nodes[index];
                Some((index, n.x, n.y))
            })
        })
    };
    let kind = {
        let id = id.clone();
        Memo::new(move |_| {
            live.editor
                .doc
                .with(|d| d.node(&id).map(|n| n.component.kind()))
        })
    };
    let level = Memo::new(move |_| {
        let index = place.get()?.0;
        live.nodes.with(|levels| levels.get(index).cloned())
    });
    let read =
        move |f: fn(&NodeLive) -> Option<String>| move || level.with(|l| l.as_ref().and_then(f));
    let utilisation = Memo::new(move |_| level.with(|l| l.as_ref().and_then(|l| l.utilisation)));
    let troubles =
        Memo::new(move |_| level.with(|l| l.as_ref().map_or(0, |l| l.dropped + l.failed)));
    let hidden = |shown: bool| if shown { "visible" } else { "hidden" };
    let strip_id = id.clone();
    view! {
        <g
            class="live-badge"
            data-testid=format!("live-{id}")
            visibility=move || hidden(level.with(Option::is_some))
            transform=move || place.get().map_or(String::new(), |(_, x, y)| format!("translate({x} {y})"))
            data-utilisation=read(|l| l.utilisation.map(|u| format!("{u:.3}")))
            data-queued=read(|l| Some(l.queued.to_string()))
            data-dropped=read(|l| Some(l.dropped.to_string()))
            data-failed=read(|l| Some(l.failed.to_string()))
            data-hit-ratio=read(|l| l.hit_ratio.map(|h| format!("{h:.3}")))
            data-fault=read(|l| Some(l.fault.clone()))
            data-retries=read(|l| l.retries.map(|n| n.to_string()))
            data-standby=read(|l| l.standby.then(|| "true".to_string()))
        >
            // A crashed node is greyed out while it is down.
            <rect class="live-down" x="0" y="0" width=NODE_W height=NODE_H rx="8"
                visibility=move || hidden(level.with(|l| l.as_ref().is_some_and(|l| l.down))) />
            // A shard standing by is dimmed: it holds no keys its router places now.
            <rect class="live-standby" x="0" y="0" width=NODE_W height=NODE_H rx="8"
                visibility=move || hidden(level.with(|l| l.as_ref().is_some_and(|l| l.standby))) />
            {move || (kind.get() == Some(Kind::ShardRouter)).then(|| view! { <ShardStrip id=strip_id.clone() level /> })}
            <rect class="live-ring" x="-4" y="-4" width=NODE_W + 8.0 height=NODE_H + 8.0 rx="11"
                visibility=move || hidden(utilisation.get().is_some())
                stroke=move || utilisation.get().map(utilisation_colour) />
            <rect class="live-queue" x="0" y=NODE_H + 5.0 height="5" rx="2"
                width=move || level.with(|l| l.as_ref().map_or(0.0, |l| (l.queued as f64 / QUEUE_FULL).min(1.0) * NODE_W)) />
            <text class="live-caption" x=NODE_W / 2.0 y=NODE_H + 22.0 text-anchor="middle">
                {move || level.with(|l| l.as_ref().zip(kind.get()).map(|(l, k)| caption(k, l)).unwrap_or_default())}
            </text>
            <g class="live-trouble" transform=format!("translate({NODE_W} 0)")
                visibility=move || hidden(troubles.get() > 0)>
                <title>{read(|l| Some(format!("{} dropped, {} failed or timed out", l.dropped, l.failed)))}</title>
                <circle r="11" />
                <text text-anchor="middle" y="4">{move || compact_count(troubles.get())}</text>
            </g>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn utilisation_runs_from_green_to_red() {
        assert_eq!(utilisation_colour(0.0), "hsl(130, 75%, 45%)");
        assert_eq!(utilisation_colour(1.0), "hsl(0, 75%, 45%)");
        assert_eq!(utilisation_colour(7.0), "hsl(0, 75%, 45%)");
        assert_eq!(utilisation_colour(f64::NAN), "hsl(130, 75%, 45%)");
    }

    // Natively too (`cargo test -p pattern-playground --lib`): captions are plain logic.
    #[wasm_bindgen_test(unsupported = test)]
    fn captions_say_what_each_kind_is_doing() {
        let service = NodeLive {
            utilisation: Some(0.825),
            queued: 12,
            ..NodeLive::default()
        };
        assert_eq!(caption(Kind::Service, &service), "busy 82% · 12 waiting");
        assert_eq!(caption(Kind::Service, &NodeLive::default()), "");
        let cache = NodeLive {
            fill: Some(0.34),
            hit_ratio: Some(0.8),
            ..NodeLive::default()
        };
        assert_eq!(caption(Kind::Cache, &cache), "fill 34% · hits 80%");
        let single_flight = NodeLive {
            coalesced: 1_250,
            ..cache.clone()
        };
        assert_eq!(
            caption(Kind::Cache, &single_flight),
            "fill 34% · hits 80% · 1250 coalesced"
        );
        let stale = NodeLive {
            served_stale: 391,
            ..cache.clone()
        };
        assert_eq!(
            caption(Kind::Cache, &stale),
            "fill 34% · hits 80% · 391 stale"
        );
        // What a kind adds comes after what every kind says, and only from that kind.
        let busy_cache = NodeLive {
            utilisation: Some(0.5),
            queued: 3,
            ..cache.clone()
        };
        assert_eq!(
            caption(Kind::Cache, &busy_cache),
            "busy 50% · 3 waiting · fill 34% · hits 80%"
        );
        assert_eq!(caption(Kind::Worker, &busy_cache), "busy 50% · 3 waiting");
        // Retries and hedges after what the kind says, before wasted work.
        let retrying = NodeLive {
            retries: Some(1_250),
            hedges: Some((40, 12)),
            wasted: (3, 0.5),
            ..service.clone()
        };
        assert_eq!(
            caption(Kind::Service, &retrying),
            "busy 82% · 12 waiting · 1.2k retries · 40 hedges (12 won) · wasted 3 (0.5 s)"
        );
        let ready = NodeLive {
            retries: Some(0),
            hedges: Some((0, 0)),
            ..NodeLive::default()
        };
        assert_eq!(caption(Kind::Service, &ready), "", "nothing sent yet");
        // Wasted work comes last, when there is any.
        let wasting = NodeLive {
            wasted: (1_250, 3.04),
            ..service.clone()
        };
        assert_eq!(
            caption(Kind::Service, &wasting),
            "busy 82% · 12 waiting · wasted 1.2k (3.0 s)"
        );
        // The faults in force come first: what is wrong with a node is its headline.
        let faulty = NodeLive {
            fault: super::super::session::fault_words(pattern_engine::sim::FaultMarks {
                down: false,
                paused: true,
                slow: 3.0,
                errors: 0.3,
                spike: 1.0,
                standby: false,
            }),
            ..service
        };
        assert_eq!(
            caption(Kind::Service, &faulty),
            "paused · slow ×3 · errors 30% · busy 82% · 12 waiting"
        );
        let down = NodeLive {
            fault: "down".into(),
            down: true,
            ..faulty
        };
        assert_eq!(caption(Kind::Service, &down), "down");
        assert_eq!(compact_count(950), "950");
        assert_eq!(compact_count(1_250), "1.2k");
        assert_eq!(compact_count(35_400), "35k");
        assert_eq!(compact_count(1_250_000), "1.2M");
    }
}
