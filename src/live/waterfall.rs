//! A sampled request's trace as a waterfall: one row per visit, in the order it reached the
//! nodes, each bar starting when it arrived, shaded while it waited in a queue, solid while the
//! node worked on it (or waited for the nodes it called), coloured by how the visit ended. The
//! background job the request published follows it, so the reference architecture's whole
//! round trip (user, load balancer, gateway, service, cache, database and back, then queue,
//! worker, database) reads as one picture.

use super::Live;
use leptos::prelude::*;
use pattern_engine::metrics::summary::TraceSummary;

/// One visit, times in milliseconds since the request was created.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Node id.
    pub node: String,
    /// Part of the background job rather than the request itself.
    pub job: bool,
    /// When it reached the node.
    pub arrive: f64,
    /// How long it waited in the node's queue.
    pub wait: f64,
    /// How long the node then held it (working, or waiting for its own calls).
    pub active: f64,
    /// How the visit ended.
    pub outcome: &'static str,
}

/// A whole trace, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Waterfall {
    /// "Request #350", with the job's number if there is one.
    pub title: String,
    /// End-to-end latency and outcome of the request, once it has ended.
    pub ended: Option<(f64, &'static str)>,
    /// Visits: the request's, then its job's.
    pub rows: Vec<Row>,
    /// From creation to the last visit's end: the width of the picture.
    pub span: f64,
}

/// The waterfall of the trace at `index` among `traces`, with the jobs it published.
pub fn waterfall(traces: &[TraceSummary], index: usize) -> Option<Waterfall> {
    let trace = traces.get(index)?;
    let origin = trace.created_ms;
    let jobs: Vec<&TraceSummary> = traces
        .iter()
        .filter(|t| t.job && t.published_by == Some(trace.id) && !trace.job)
        .collect();
    let rows: Vec<Row> = std::iter::once(trace)
        .chain(jobs.iter().copied())
        .flat_map(|t| {
            t.hops.iter().map(move |h| Row {
                node: h.node.clone(),
                job: t.job,
                arrive: h.arrive_ms - origin,
                wait: h.start_ms - h.arrive_ms,
                active: h.leave_ms - h.start_ms,
                outcome: h.outcome,
            })
        })
        .collect();
    let span = rows
        .iter()
        .map(|r| r.arrive + r.wait + r.active)
        .fold(0.0, f64::max);
    let noun = if trace.job { "Job" } else { "Request" };
    let title = match jobs.first() {
        Some(job) => format!("{noun} #{} and job #{}", trace.id, job.id),
        None => format!("{noun} #{}", trace.id),
    };
    Some(Waterfall {
        title,
        ended: trace
            .ended_ms
            .zip(trace.outcome)
            .map(|(at, outcome)| (at - origin, outcome)),
        rows,
        span,
    })
}

/// The sampled requests, newest last, each a button that shows its trace.
#[component]
pub fn RequestList() -> impl IntoView {
    let live = expect_context::<Live>();
    let entries = Memo::new(move |_| {
        live.snapshot.with(|s| {
            s.as_ref().map_or(Vec::new(), |s| {
                s.summary
                    .traces
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| !t.job)
                    .map(|(i, t)| (i, entry_text(t)))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <div class="request-list">
            <h3 class="live-heading" id="request-list-heading">"Sampled requests"</h3>
            <ul data-testid="request-list" aria-labelledby="request-list-heading">
                <For each=move || entries.get() key=|e| e.clone() let((index, text))>
                    <li>
                        <button type="button"
                            class:selected=move || live.selected.get() == Some(index)
                            aria-pressed=move || (live.selected.get() == Some(index)).to_string()
                            on:click=move |_| live.select_trace(index)>
                            {text}
                        </button>
                    </li>
                </For>
            </ul>
            <Show when=move || entries.with(Vec::is_empty)>
                <p class="live-empty">"Ringed particles are sampled: click one, or pick it here once the run has some."</p>
            </Show>
        </div>
    }
}

fn entry_text(t: &TraceSummary) -> String {
    match (t.ended_ms, t.outcome) {
        (Some(end), Some(outcome)) => {
            format!(
                "#{} · {:.1} ms · {}",
                t.id,
                end - t.created_ms,
                outcome.replace('_', " ")
            )
        }
        _ => format!("#{} · in flight", t.id),
    }
}

/// The selected request's waterfall (`trace`).
#[component]
pub fn TraceView() -> impl IntoView {
    let live = expect_context::<Live>();
    let picture = Memo::new(move |_| {
        let index = live.selected.get()?;
        live.snapshot
            .with(|s| s.as_ref().and_then(|s| waterfall(&s.summary.traces, index)))
    });
    let label_of = move |id: &str| {
        live.editor.doc.with_untracked(|d| {
            d.node(id)
                .map(|n| {
                    if n.label.is_empty() {
                        n.id.clone()
                    } else {
                        n.label.clone()
                    }
                })
                .unwrap_or_else(|| id.to_string())
        })
    };
    move || {
        let w = picture.get()?;
        let span = w.span.max(1e-9);
        let pct = move |ms: f64| format!("{:.3}%", 100.0 * ms / span);
        let headline = match w.ended {
            Some((latency, outcome)) => format!(
                "{:.2} ms end to end · {}",
                latency,
                outcome.replace('_', " ")
            ),
            None => "still in flight: visits appear as they answer".to_string(),
        };
        Some(view! {
            <section class="trace" data-testid="trace" aria-label=format!("Trace of {}", w.title)>
                <header class="trace-header">
                    <h3 class="live-heading">{w.title.clone()}</h3>
                    <span class="trace-headline">{headline}</span>
                    <button type="button" class="trace-close" aria-label="Close the trace"
                        on:click=move |_| live.selected.set(None)>"×"</button>
                </header>
                <ol class="trace-rows">
                    {w.rows.iter().map(|row| {
                        let ok = row.outcome == "ok";
                        view! {
                            <li class="trace-row" class:job=row.job data-testid="trace-row" data-node=row.node.clone()
                                data-outcome=row.outcome>
                                <span class="trace-node">{label_of(&row.node)}</span>
                                <span class="trace-lane">
                                    <span class="trace-wait" style:left=pct(row.arrive) style:width=pct(row.wait)></span>
                                    <span class="trace-active" class:failed=!ok
                                        style:left=pct(row.arrive + row.wait) style:width=pct(row.active)></span>
                                </span>
                                <span class="trace-times">
                                    {format!("at {:.1} · waited {:.1} · held {:.1} ms{}", row.arrive, row.wait, row.active,
                                        if ok { String::new() } else { format!(" · {}", row.outcome.replace('_', " ")) })}
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::metrics::summary::HopSummary;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn hop(node: &str, arrive: f64, start: f64, leave: f64) -> HopSummary {
        HopSummary {
            node: node.into(),
            arrive_ms: arrive,
            start_ms: start,
            leave_ms: leave,
            outcome: "ok",
        }
    }

    #[wasm_bindgen_test]
    fn a_request_and_its_job_read_as_one_waterfall() {
        let request = TraceSummary {
            id: 350,
            job: false,
            published_by: None,
            created_ms: 1_000.0,
            ended_ms: Some(1_050.0),
            outcome: Some("ok"),
            hops: vec![
                hop("user", 1_000.0, 1_000.0, 1_050.0),
                hop("service_a", 1_020.0, 1_022.0, 1_030.0),
                hop("db_a", 1_021.0, 1_021.0, 1_029.0),
            ],
        };
        let job = TraceSummary {
            id: 7,
            job: true,
            published_by: Some(350),
            created_ms: 1_030.0,
            ended_ms: Some(1_090.0),
            outcome: Some("ok"),
            hops: vec![
                hop("queue", 1_031.0, 1_031.0, 1_090.0),
                hop("worker", 1_040.0, 1_045.0, 1_089.0),
            ],
        };
        let unrelated = TraceSummary {
            id: 8,
            published_by: Some(400),
            ..job.clone()
        };
        let w = waterfall(&[request, unrelated, job], 0).unwrap();
        assert_eq!(w.title, "Request #350 and job #7");
        assert_eq!(w.ended, Some((50.0, "ok")));
        assert_eq!(w.span, 90.0, "to the end of the job");
        let nodes: Vec<&str> = w.rows.iter().map(|r| r.node.as_str()).collect();
        assert_eq!(nodes, ["user", "service_a", "db_a", "queue", "worker"]);
        let service = &w.rows[1];
        assert_eq!(
            (service.arrive, service.wait, service.active),
            (20.0, 2.0, 8.0)
        );
        assert!(!service.job && w.rows[4].job);
        assert_eq!(
            w.rows[4].wait, 5.0,
            "the worker picked the job up after 5 ms"
        );
    }

    #[wasm_bindgen_test]
    fn a_request_in_flight_has_no_ending_and_a_missing_one_no_picture() {
        let open = TraceSummary {
            id: 0,
            job: false,
            published_by: None,
            created_ms: 0.0,
            ended_ms: None,
            outcome: None,
            hops: vec![],
        };
        let w = waterfall(std::slice::from_ref(&open), 0).unwrap();
        assert_eq!(w.ended, None);
        assert_eq!(entry_text(&open), "#0 · in flight");
        assert_eq!(waterfall(&[open], 3), None);
    }
}
