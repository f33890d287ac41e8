//! A shard router: one line forking into the slices of one cylinder (a data set cut into
//! shards); how it places keys (modulo, ranges between split points, a consistent-hash ring)
//! and how fast it moves them after a reshard; "N moving" on its badge while keys move.

use leptos::prelude::*;
use pattern_engine::components::shard_router::{Scheme, ShardRouterConfig};
use pattern_engine::components::Component;
use pattern_engine::scenario::Scenario;

use super::KindView;
use crate::inspector::fields::{parse_number, show, NumberField, SelectField, TextField};
use crate::inspector::form::{impl_config, Form, NodeCtx, MAX_COUNT, MAX_U32};
use crate::live::{compact_count, NodeLive};

impl_config!(ShardRouterConfig => ShardRouter);

/// The shard router's side of the app.
pub struct ShardRouter;

impl KindView for ShardRouter {
    fn icon() -> AnyView {
        // One line in, forking into the three slices of one cylinder.
        view! {
            <path d="M2 12h3.5M5.5 12L9.5 7M5.5 12h4M5.5 12l4 5" />
            <ellipse cx="16" cy="4.5" rx="5.5" ry="2" />
            <path d="M10.5 4.5v15c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2v-15" />
            <path d="M10.5 9.5c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2M10.5 14.5c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
        }
        .into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <ShardRouterForm ctx /> }.into_any()
    }

    /// Keys still to copy while a reshard moves them, then how many moved: the cost of the
    /// reshard, which the busy share (a router has no servers) cannot show.
    fn caption(level: &NodeLive, parts: &mut Vec<String>) {
        let Some(shards) = &level.shards else {
            return;
        };
        if shards.moving > 0 {
            parts.push(format!("{} moving", compact_count(shards.moving)));
        } else if shards.moved_keys > 0 {
            parts.push(format!("{} moved", compact_count(shards.moved_keys)));
        }
    }
}

const SCHEMES: &[(&str, &str)] = &[
    ("modulo", "Modulo (hash mod shards serving)"),
    ("range", "Range (between split points)"),
    ("consistent_hash", "Consistent hashing"),
];

/// The scheme named `name` with usual settings for the router `id` of `s`: a range gets split
/// points evenly spaced for its shards, so that choosing it is valid at once.
fn scheme_of(name: &str, s: &Scenario, id: &str) -> Scheme {
    match name {
        "range" => Scheme::Range {
            splits: even_splits(shard_count(s, id), key_space(s)),
        },
        "consistent_hash" => Scheme::ConsistentHash { virtual_nodes: 100 },
        _ => Scheme::Modulo,
    }
}

/// The router's shards: the databases at the ends of its edges.
fn shard_count(s: &Scenario, id: &str) -> usize {
    s.edges.iter().filter(|e| e.from == id).count()
}

/// The keys a range is cut from: the clients' key numbers, so the largest key space of any
/// client in the diagram (any of them may send through the router; the largest covers all).
fn key_space(s: &Scenario) -> u64 {
    s.nodes
        .iter()
        .filter_map(|n| match &n.component {
            Component::Client(c) => Some(c.keys.count),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// `shards − 1` split points cutting `keys` keys into ranges of about equal size, strictly
/// ascending even when there are fewer keys than shards (the validator asks for that order).
pub fn even_splits(shards: usize, keys: u64) -> Vec<u64> {
    let n = shards as u64;
    let mut splits: Vec<u64> = Vec::with_capacity(shards.saturating_sub(1));
    for i in 1..n {
        let even = (u128::from(keys) * u128::from(i) / u128::from(n)) as u64;
        let above_last = splits.last().map_or(0, |last| last + 1);
        splits.push(even.max(above_last));
    }
    splits
}

/// Reads split points typed as whole numbers separated by commas or spaces; the validator
/// then judges their order and count. An empty text is no split points.
pub fn parse_splits(text: &str) -> Result<Vec<u64>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            parse_number(t, true, Some(MAX_COUNT))
                .map(|v| v as u64)
                .map_err(|_| format!("split points: `{t}` is not a whole number, 0 or more"))
        })
        .collect()
}

/// Split points as [`parse_splits`] reads them.
fn splits_text(splits: &[u64]) -> String {
    let shown: Vec<String> = splits.iter().map(|s| show(*s as f64)).collect();
    shown.join(", ")
}

#[component]
fn ShardRouterForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<ShardRouterConfig>::new(ctx);
    let name = Memo::new(move |_| {
        f.config
            .with(|c| c.as_ref().map_or("modulo", |c| c.scheme.name()))
    });
    let set_scheme = f.write("scheme", |c, scheme: Scheme| c.scheme = scheme);
    let choose = Callback::new(move |v: &'static str| {
        if name.get_untracked() == v {
            return Ok(());
        }
        let scheme = ctx
            .editor
            .doc
            .with_untracked(|d| ctx.id.with_value(|id| scheme_of(v, d, id)));
        set_scheme.run(scheme)
    });
    // The range's split points and the ring's points are both validated as `scheme`.
    let set_splits = f.write("scheme", |c, splits: Vec<u64>| {
        if let Scheme::Range { splits: s } = &mut c.scheme {
            *s = splits;
        }
    });
    let splits = f.read(|c| match &c.scheme {
        Scheme::Range { splits } => splits_text(splits),
        _ => String::new(),
    });
    view! {
        <SelectField id=f.id("scheme") label="Places keys by" options=SCHEMES
            value=Signal::derive(move || name.get()) commit=choose />
        <Show when=move || name.get() == "range">
            <TextField id=f.id("scheme.splits") label="Split points (keys, separated by commas)"
                value=splits
                commit=Callback::new(move |text: String| {
                    parse_splits(&text).and_then(|s| set_splits.run(s))
                }) />
        </Show>
        <Show when=move || name.get() == "consistent_hash">
            <NumberField id=f.id("scheme.virtual_nodes") label="Virtual nodes" unit="per shard"
                integer=true max=MAX_U32
                value=f.read(|c| match c.scheme { Scheme::ConsistentHash { virtual_nodes } => f64::from(virtual_nodes), _ => 0.0 })
                commit=f.write("scheme.virtual_nodes", |c, v: f64| {
                    if let Scheme::ConsistentHash { virtual_nodes } = &mut c.scheme {
                        *virtual_nodes = v as u32;
                    }
                }) />
        </Show>
        <NumberField id=f.id("move_rate_keys_per_s") label="Move rate" unit="keys/s"
            value=f.read(|c| c.move_rate_keys_per_s)
            commit=f.write("move_rate_keys_per_s", |c, v| c.move_rate_keys_per_s = v) />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    // Natively too (`cargo test -p pattern-playground --lib`): plain logic.
    #[wasm_bindgen_test(unsupported = test)]
    fn split_points_are_even_and_always_ascending() {
        assert_eq!(even_splits(4, 1_000), [250, 500, 750]);
        assert_eq!(even_splits(3, 10), [3, 6]);
        assert_eq!(even_splits(1, 1_000), Vec::<u64>::new());
        assert_eq!(even_splits(0, 1_000), Vec::<u64>::new());
        // Fewer keys than shards: still strictly ascending.
        assert_eq!(even_splits(4, 2), [0, 1, 2]);
        assert_eq!(even_splits(3, u64::MAX), [u64::MAX / 3, u64::MAX / 3 * 2]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn split_points_are_read_as_whole_numbers_and_refused_by_name() {
        assert_eq!(parse_splits("10, 20 300"), Ok(vec![10, 20, 300]));
        assert_eq!(parse_splits("  "), Ok(Vec::new()));
        assert_eq!(
            parse_splits(&splits_text(&[6, 75, 870])),
            Ok(vec![6, 75, 870])
        );
        for bad in ["10, x", "1.5", "-3"] {
            let message = parse_splits(bad).expect_err(bad);
            assert!(message.starts_with("split points: `"), "{bad}: {message}");
        }
    }
}
