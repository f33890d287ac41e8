//! The headline numbers as cards (`metric-<name>`, each with its raw value in `data-value`),
//! and, once a run is over, its summary exactly as the command-line tool prints it.

use super::{Live, Phase, Snapshot};
use leptos::prelude::*;

/// A headline number: its test id, its label, and how to read and format it.
struct Card {
    name: &'static str,
    label: &'static str,
    read: fn(&Snapshot) -> Option<f64>,
    format: fn(f64) -> String,
    /// Shown only while it has a value (what only some runs have, as retries).
    optional: bool,
}

const CARDS: [Card; 13] = [
    Card {
        name: "p50",
        label: "p50",
        read: |s| latency(s, |l| l.p50),
        format: ms,
        optional: false,
    },
    Card {
        name: "p95",
        label: "p95",
        read: |s| latency(s, |l| l.p95),
        format: ms,
        optional: false,
    },
    Card {
        name: "p99",
        label: "p99",
        read: |s| latency(s, |l| l.p99),
        format: ms,
        optional: false,
    },
    Card {
        name: "p999",
        label: "p99.9",
        read: |s| latency(s, |l| l.p999),
        format: ms,
        optional: false,
    },
    Card {
        name: "throughput",
        label: "Throughput",
        read: |s| Some(s.summary.throughput_per_s),
        format: |v| format!("{} /s", grouped(v, 1)),
        optional: false,
    },
    Card {
        name: "goodput",
        label: "Goodput",
        read: |s| Some(s.summary.goodput_per_s),
        format: |v| format!("{} /s", grouped(v, 1)),
        optional: false,
    },
    Card {
        name: "completed",
        label: "Completed",
        read: |s| Some(s.summary.requests.completed as f64),
        format: count,
        optional: false,
    },
    Card {
        name: "errors",
        label: "Failed",
        read: |s| Some(s.summary.requests.failed as f64),
        format: count,
        optional: false,
    },
    Card {
        name: "dropped",
        label: "Dropped",
        read: |s| Some(s.summary.requests.dropped as f64),
        format: count,
        optional: false,
    },
    Card {
        name: "timed-out",
        label: "Timed out",
        read: |s| Some(s.summary.requests.timed_out as f64),
        format: count,
        optional: false,
    },
    Card {
        name: "retries",
        label: "Retries",
        read: retries,
        format: count,
        optional: true,
    },
    Card {
        name: "hit-ratio",
        label: "Cache hits",
        read: |s| s.summary.cache_hit_ratio,
        format: |v| format!("{:.1}%", v * 100.0),
        optional: false,
    },
    Card {
        name: "queue-depth",
        label: "Waiting now",
        read: |s| Some(s.queued as f64),
        format: count,
        optional: false,
    },
];

fn latency(
    s: &Snapshot,
    pick: fn(&pattern_engine::metrics::summary::LatencySummary) -> f64,
) -> Option<f64> {
    (s.summary.latency_ms.count > 0).then(|| pick(&s.summary.latency_ms))
}

/// Retries sent, in a run where some node's calls retry (a run with only breakers or hedges
/// has none to show).
fn retries(s: &Snapshot) -> Option<f64> {
    let retrying = s.summary.nodes.iter().any(|(_, n)| n.retries.is_some());
    let policies = s.summary.policies.as_ref().filter(|_| retrying)?;
    Some(policies.retries as f64)
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{} ms", grouped(v, 0))
    } else {
        format!("{v:.1} ms")
    }
}

fn count(v: f64) -> String {
    grouped(v, 0)
}

/// A number with thousands separators and `decimals` decimals: 12,345.6.
pub fn grouped(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// The headline cards; a dash until a run has produced the number.
#[component]
pub fn MetricCards() -> impl IntoView {
    let live = expect_context::<Live>();
    view! {
        <dl class="metrics" aria-label="Every number">
            {CARDS
                .iter()
                .map(|card| {
                    let value = Memo::new(move |_| {
                        live.snapshot.with(|s| s.as_deref().and_then(card.read))
                    });
                    view! {
                        <div class="metric" data-testid=format!("metric-{}", card.name)
                            hidden=move || card.optional && value.with(Option::is_none)
                            data-value=move || value.get().map(|v| v.to_string())>
                            <dt>{card.label}</dt>
                            <dd>{move || value.get().map_or("–".to_string(), card.format)}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// The cards the dock's one line always shows, by name, and what the line calls them.
const HEADLINE: [(&str, &str); 3] = [
    ("p99", "p99"),
    ("throughput", "thru"),
    ("completed", "done"),
];

/// The dock line's few numbers: latency, throughput, what completed and what did not, so a
/// folded dock still says how the run is going.
#[component]
pub fn Headline() -> impl IntoView {
    let live = expect_context::<Live>();
    let not_ok = Memo::new(move |_| {
        live.snapshot.with(|s| {
            s.as_deref().map(|s| {
                let r = &s.summary.requests;
                r.failed + r.dropped + r.timed_out
            })
        })
    });
    view! {
        <dl class="headline" data-testid="headline" aria-label="Headline numbers">
            {HEADLINE
                .iter()
                .filter_map(|&(name, short)| CARDS.iter().find(|c| c.name == name).map(|c| (c, short)))
                .map(|(card, short)| {
                    let value = Memo::new(move |_| {
                        live.snapshot.with(|s| s.as_deref().and_then(card.read))
                    });
                    view! {
                        <div class="headline-item" title=card.label>
                            <dt>{short}</dt>
                            <dd>{move || value.get().map_or("–".to_string(), card.format)}</dd>
                        </div>
                    }
                })
                .collect_view()}
            <div class="headline-item" class:trouble=move || not_ok.get().is_some_and(|n| n > 0)
                title="Failed, dropped or timed out">
                <dt>"not ok"</dt>
                <dd>{move || not_ok.get().map_or("–".to_string(), |n| count(n as f64))}</dd>
            </div>
        </dl>
    }
}

/// Once the run is over: its summary as `simulate` prints it, in a disclosure (the text can
/// be long, so it is only put on the page when opened).
#[component]
pub fn SummaryText() -> impl IntoView {
    let live = expect_context::<Live>();
    let open = RwSignal::new(false);
    let seed = move || {
        live.snapshot
            .with(|s| s.as_ref().map_or(0, |s| s.summary.seed))
    };
    view! {
        <Show when=move || live.phase.get() == Phase::Finished>
            <details class="summary-text" data-testid="summary"
                on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>"Summary, exactly as the command line prints it"</summary>
                <p class="summary-hint">
                    "Same scenario, same seed, same numbers: "
                    <code>{move || format!("simulate scenario.json --seed {}", seed())}</code>
                </p>
                <Show when=move || open.get()>
                    <pre class="summary-json" data-testid="summary-json">
                        {move || live.final_snapshot().map(|s| s.text().to_string()).unwrap_or_default()}
                    </pre>
                </Show>
            </details>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn numbers_read_with_separators_and_units() {
        assert_eq!(grouped(1_234_567.0, 0), "1,234,567");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(12_345.678, 1), "12,345.7");
        assert_eq!(grouped(-1_000.0, 0), "-1,000");
        assert_eq!(ms(12.345), "12.3 ms");
        assert_eq!(ms(1_234.6), "1,235 ms");
    }
}
