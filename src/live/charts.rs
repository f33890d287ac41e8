//! Charts over simulated time, one per question people ask of a run: how much got through,
//! how slow was it, how much failed, did the caches help, where did requests wait, were the
//! retries sent and circuit breakers open (only in runs with them). Each is a
//! small SVG of polylines over the engine's fixed windows, redrawn when the numbers update,
//! with the faults' windows shaded.

use super::Live;
use leptos::prelude::*;
use pattern_engine::metrics::summary::WindowSummary;

/// Chart size in its own units (it scales with the page).
const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 72.0;

/// At most one point per unit of width: a long run's thousands of windows are averaged down.
const MAX_POINTS: usize = WIDTH as usize;

/// One line of a chart: its value in a window, given the window's width in seconds.
struct Line {
    label: &'static str,
    colour: &'static str,
    read: fn(&WindowSummary, f64) -> Option<f64>,
}

/// One chart.
struct ChartSpec {
    name: &'static str,
    title: &'static str,
    unit: &'static str,
    lines: &'static [Line],
    /// Shown only while some line has a value (what only some runs have, as breakers).
    optional: bool,
}

fn share(part: u64, w: &WindowSummary) -> Option<f64> {
    let ended = w.completed + w.errors + w.dropped;
    (ended > 0).then(|| 100.0 * part as f64 / ended as f64)
}

const CHARTS: [ChartSpec; 7] = [
    ChartSpec {
        name: "throughput",
        title: "Throughput",
        unit: "/s",
        lines: &[
            Line {
                label: "completed",
                colour: "#22c55e",
                read: |w, _| Some(w.throughput_per_s),
            },
            // Drawn over it: where the two part, answers came after their deadline.
            Line {
                label: "goodput",
                colour: "#0e7490",
                read: |w, _| Some(w.goodput_per_s),
            },
        ],
        optional: false,
    },
    ChartSpec {
        name: "latency",
        title: "Latency",
        unit: "ms",
        lines: &[
            Line {
                label: "p50",
                colour: "#3b82f6",
                read: |w, _| (w.completed > 0).then_some(w.p50_ms),
            },
            Line {
                label: "p95",
                colour: "#f59e0b",
                read: |w, _| (w.completed > 0).then_some(w.p95_ms),
            },
            Line {
                label: "p99",
                colour: "#ef4444",
                read: |w, _| (w.completed > 0).then_some(w.p99_ms),
            },
        ],
        optional: false,
    },
    ChartSpec {
        name: "errors",
        title: "Errors and drops",
        unit: "%",
        lines: &[
            Line {
                label: "failed or timed out",
                colour: "#ef4444",
                read: |w, _| share(w.errors, w),
            },
            Line {
                label: "dropped",
                colour: "#f59e0b",
                read: |w, _| share(w.dropped, w),
            },
        ],
        optional: false,
    },
    ChartSpec {
        name: "hit-ratio",
        title: "Cache hit ratio",
        unit: "%",
        lines: &[Line {
            label: "hits",
            colour: "#06b6d4",
            read: |w, _| w.hit_ratio.map(|h| h * 100.0),
        }],
        optional: false,
    },
    ChartSpec {
        name: "queue-depth",
        title: "Waiting",
        unit: "",
        lines: &[
            Line {
                label: "requests",
                colour: "#64748b",
                read: |w, _| Some(w.queue_depth as f64),
            },
            Line {
                label: "jobs",
                colour: "#a855f7",
                read: |w, _| Some(w.jobs_queued as f64),
            },
        ],
        optional: false,
    },
    // Per second, as throughput is, so a storm reads against it: retries rising past what
    // completes.
    ChartSpec {
        name: "retries",
        title: "Retries",
        unit: "/s",
        lines: &[Line {
            label: "sent",
            colour: "#eab308",
            read: |w, width| w.retries.map(|n| n as f64 / width.max(f64::MIN_POSITIVE)),
        }],
        optional: true,
    },
    ChartSpec {
        name: "breakers",
        title: "Circuit breakers",
        unit: "",
        lines: &[Line {
            label: "open or half-open",
            colour: "#ef4444",
            read: |w, _| w.breakers_open.map(|n| n as f64),
        }],
        optional: true,
    },
];

/// Averages `values` into at most `max` buckets of equal width, skipping gaps; a bucket with
/// no value stays a gap.
pub fn downsample(values: &[Option<f64>], max: usize) -> Vec<Option<f64>> {
    if values.len() <= max || max == 0 {
        return values.to_vec();
    }
    (0..max)
        .map(|b| {
            let (from, to) = (b * values.len() / max, (b + 1) * values.len() / max);
            let present: Vec<f64> = values[from..to].iter().flatten().copied().collect();
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
        })
        .collect()
}

/// SVG polyline point lists for `series` scaled to the chart (one list per unbroken stretch).
fn polylines(series: &[Option<f64>], top: f64) -> Vec<String> {
    let n = series.len().max(2) - 1;
    let mut runs = Vec::new();
    let mut current = String::new();
    for (i, value) in series.iter().enumerate() {
        match value {
            Some(v) => {
                let x = WIDTH * i as f64 / n as f64;
                let y = HEIGHT - HEIGHT * (v / top).clamp(0.0, 1.0);
                current.push_str(&format!("{x:.1},{y:.1} "));
            }
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The shaded bands of `faults` (start, end; open-ended to the last window) on a chart whose
/// points run from the window ending at `t0` to the one ending at `t1`, in chart units.
fn fault_bands(faults: &[(f64, Option<f64>)], t0: f64, t1: f64) -> Vec<(f64, f64)> {
    if t1 <= t0 {
        return Vec::new();
    }
    let x = |t: f64| (WIDTH * (t - t0) / (t1 - t0)).clamp(0.0, WIDTH);
    faults
        .iter()
        .map(|&(from, to)| (x(from), x(to.unwrap_or(t1))))
        .filter(|(a, b)| b > a)
        .collect()
}

/// A "nice" top for an axis at or above `max`: 1, 2 or 5 times a power of ten.
pub fn nice_top(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * power)
}

/// Every chart, updated as the run goes.
#[component]
pub fn Charts() -> impl IntoView {
    view! {
        <div class="charts" aria-label="Charts over simulated time">
            {CHARTS.iter().map(|spec| view! { <Chart spec /> }).collect_view()}
        </div>
    }
}

#[component]
fn Chart(spec: &'static ChartSpec) -> impl IntoView {
    let live = expect_context::<Live>();
    // (lines of points per series, top of the axis, windows, end time)
    let drawn = Memo::new(move |_| {
        live.snapshot.with(|s| {
            let windows = s
                .as_ref()
                .map_or(&[][..], |s| &s.summary.series.windows[..]);
            let width = s.as_ref().map_or(1.0, |s| s.summary.series.window_s);
            let series: Vec<Vec<Option<f64>>> = spec
                .lines
                .iter()
                .map(|line| {
                    let values: Vec<Option<f64>> =
                        windows.iter().map(|w| (line.read)(w, width)).collect();
                    downsample(&values, MAX_POINTS)
                })
                .collect();
            // An optional chart shows once some line has a value.
            let present = series.iter().flatten().any(Option::is_some);
            let max = series
                .iter()
                .flatten()
                .flatten()
                .copied()
                .fold(0.0, f64::max);
            let top = nice_top(max);
            let lines: Vec<Vec<String>> = series.iter().map(|s| polylines(s, top)).collect();
            let end = windows.last().map_or(0.0, |w| w.t);
            let start = windows.first().map_or(0.0, |w| w.t);
            let faults: Vec<(f64, Option<f64>)> = live
                .editor
                .doc
                .with(|d| d.faults.iter().map(|f| (f.at_s, f.until_s())).collect());
            let bands = fault_bands(&faults, start, end);
            (lines, top, windows.len(), end, bands, present)
        })
    });
    let hidden = move || spec.optional && drawn.with(|d| !d.5);
    let axis = move || {
        let (_, top, ..) = drawn.get();
        format!("{} {}", trim(top), spec.unit)
    };
    view! {
        <figure class="chart" data-testid=format!("chart-{}", spec.name)
            data-points=move || drawn.with(|d| d.2) hidden=hidden>
            <figcaption>
                <span class="chart-title">{spec.title}</span>
                <span class="chart-keys">
                    {spec.lines.iter().map(|l| view! {
                        <span class="chart-key" style=format!("--key: {}", l.colour)>{l.label}</span>
                    }).collect_view()}
                </span>
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img"
                aria-label=move || format!("{} over the first {:.0} simulated seconds", spec.title, drawn.with(|d| d.3))>
                // The faults' windows, shaded under the lines.
                {move || drawn.with(|d| d.4.iter().map(|&(a, b)| view! {
                    <rect class="chart-fault" x=a y="0" width=b - a height=HEIGHT />
                }).collect_view())}
                <line class="chart-axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT />
                {move || drawn.with(|(lines, ..)| {
                    lines.iter().zip(spec.lines).flat_map(|(runs, line)| {
                        runs.iter().map(move |points| view! {
                            <polyline class="chart-line" points=points.clone() stroke=line.colour />
                        })
                    }).collect_view()
                })}
            </svg>
            <span class="chart-top">{axis}</span>
        </figure>
    }
}

/// A number without trailing zeros: 5, 0.5, 2000.
fn trim(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn long_series_are_averaged_down_and_gaps_stay_gaps() {
        let values: Vec<Option<f64>> = (0..10).map(|i| Some(i as f64)).collect();
        assert_eq!(
            downsample(&values, 20),
            values,
            "short series are kept whole"
        );
        assert_eq!(
            downsample(&values, 5),
            vec![Some(0.5), Some(2.5), Some(4.5), Some(6.5), Some(8.5)]
        );
        let gappy = [Some(1.0), None, None, None, Some(3.0), Some(5.0)];
        assert_eq!(downsample(&gappy, 3), vec![Some(1.0), None, Some(4.0)]);
    }

    #[wasm_bindgen_test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(3.2), 5.0);
        assert_eq!(nice_top(170.0), 200.0);
        assert_eq!(nice_top(1000.0), 1000.0);
        assert_eq!(trim(0.5), "0.5");
        assert_eq!(trim(2000.0), "2000");
    }

    #[wasm_bindgen_test]
    fn faults_shade_their_windows_and_an_open_one_runs_to_the_end() {
        let faults = [
            (2.0, Some(4.0)),
            (8.0, None),
            (20.0, Some(30.0)),
            (0.0, Some(0.5)),
        ];
        // Points from the window ending at 1 s to the one ending at 11 s: 24 units a second.
        assert_eq!(
            fault_bands(&faults, 1.0, 11.0),
            [(24.0, 72.0), (168.0, 240.0)],
            "past the end and before the first point: not drawn"
        );
        assert!(fault_bands(&faults, 1.0, 1.0).is_empty(), "one window");
    }

    #[wasm_bindgen_test]
    fn a_gap_splits_a_line() {
        let runs = polylines(&[Some(0.0), Some(1.0), None, Some(1.0)], 1.0);
        assert_eq!(
            runs,
            vec!["0.0,72.0 80.0,0.0 ".to_string(), "240.0,0.0 ".to_string()]
        );
    }
}
