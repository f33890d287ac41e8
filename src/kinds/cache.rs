//! A cache: a bolt; its capacity, time to live, lookup time, single flight and stale-if-error;
//! its fill and hit ratio on its badge.

use leptos::prelude::*;
use pattern_engine::components::cache::CacheConfig;

use super::KindView;
use crate::inspector::fields::{CheckboxField, NumberField, OptionalNumberField};
use crate::inspector::form::{impl_config, Form, NodeCtx, MAX_COUNT};
use crate::live::NodeLive;

impl_config!(CacheConfig => Cache);

/// The cache's side of the app.
pub struct Cache;

impl KindView for Cache {
    fn icon() -> AnyView {
        // A bolt: fast answers.
        view! { <path d="M13.5 2.5L5 13.5h6.5l-1 8 8.5-11h-6.5z" /> }.into_any()
    }

    fn form(ctx: NodeCtx) -> AnyView {
        view! { <CacheForm ctx /> }.into_any()
    }

    /// How full it is, how often it answers, with single flight how many misses waited, and
    /// with stale-if-error how many reads it saved, once it has been asked.
    fn caption(level: &NodeLive, parts: &mut Vec<String>) {
        if let Some(fill) = level.fill {
            parts.push(format!("fill {:.0}%", fill * 100.0));
        }
        if let Some(hits) = level.hit_ratio {
            parts.push(format!("hits {:.0}%", hits * 100.0));
        }
        if level.coalesced > 0 {
            // Misses that waited for a fill instead of reading the store again.
            let waited = level.coalesced;
            parts.push(format!("{waited} coalesced"));
        }
        if level.served_stale > 0 {
            // Reads that survived their store's failure on an old copy.
            let saved = level.served_stale;
            parts.push(format!("{saved} stale"));
        }
    }
}

#[component]
fn CacheForm(ctx: NodeCtx) -> impl IntoView {
    let f = Form::<CacheConfig>::new(ctx);
    view! {
        <NumberField id=f.id("capacity_keys") label="Capacity" unit="keys" integer=true
            max=MAX_COUNT value=f.read(|c| c.capacity_keys as f64)
            commit=f.write("capacity_keys", |c, v: f64| c.capacity_keys = v as u64) />
        <OptionalNumberField id=f.id("ttl_ms") label="Time to live" unit="ms" none_label="None"
            default=30000.0 value=f.read(|c| c.ttl_ms)
            commit=f.write("ttl_ms", |c, v| c.ttl_ms = v) />
        <NumberField id=f.id("lookup_ms") label="Lookup time" unit="ms"
            value=f.read(|c| c.lookup_ms)
            commit=f.write("lookup_ms", |c, v| c.lookup_ms = v) />
        <CheckboxField id=f.id("coalesce")
            label="Single flight: a miss waits for a fill already on its way"
            value=f.read(|c| c.coalesce)
            commit=f.write("coalesce", |c, v| c.coalesce = v) />
        <OptionalNumberField id=f.id("stale_if_error_ms")
            label="Stale if error: serve an expired copy while the store fails, for up to"
            unit="ms past its TTL" none_label="Off" default=60000.0
            value=f.read(|c| c.stale_if_error_ms)
            commit=f.write("stale_if_error_ms", |c, v| c.stale_if_error_ms = v) />
    }
}
