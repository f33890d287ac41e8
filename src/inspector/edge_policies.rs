//! An edge's answer policies in its form: retries, a circuit breaker, a hedge. Each has a
//! checkbox that adds it with its defaults or removes it, and, while present, its fields. Every
//! control commits through [`edge_commit`] (and so `commit`), so a value the validator refuses
//! (a cap below the base wait, a hedge beside retries) shows its message by the field and
//! changes nothing.
//!
//! The sections are tables ([`Section`], [`Num`], [`Choice`], [`Check`]) of plain function
//! pointers read by one renderer each, not a control written out per field: written out, the
//! form cost the wasm 10.4 KB gzipped, as tables 6.8 KB (release builds, measured against the
//! same build without the form).

use leptos::prelude::*;
use pattern_engine::components::Kind;
use pattern_engine::scenario::{
    Backoff, BreakerPolicy, BreakerWindow, Edge, HedgePolicy, Jitter, RetryPolicy,
};
use pattern_engine::sim::events::Outcome;
use pattern_engine::sim::BreakerCounts;

use super::edge::edge_commit;
use super::fields::{CheckboxField, NumberField, SelectField};
use super::form::MAX_U32;
use crate::state::Editor;

/// The selected edge, as its policies' controls need it.
#[derive(Clone, Copy)]
pub struct EdgeCtx {
    /// The editor whose document holds the edge.
    pub editor: Editor,
    /// The edge's ends, (from, to).
    pub ends: StoredValue<(String, String)>,
    /// The edge as the document has it now; `None` once it is deleted.
    pub edge: Memo<Option<Edge>>,
}

impl EdgeCtx {
    /// A value `get` reads off the edge, as a signal (the type's default while absent).
    fn read<T: Default + Clone + Send + Sync + 'static>(
        self,
        get: fn(&Edge) -> Option<T>,
    ) -> Signal<T> {
        let edge = self.edge;
        Signal::derive(move || edge.with(|e| e.as_ref().and_then(get).unwrap_or_default()))
    }
}

/// The three policies' sections; none on an edge into a message queue (a publish is not a
/// call: nothing answers it, so there is nothing to retry, break or hedge), unless one came in
/// with a file or a link: the validator refuses it there, and its checkbox takes it off.
#[component]
pub fn EdgePolicies(ctx: EdgeCtx) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let into_queue = ctx.editor.doc.with(|d| {
            ctx.ends.with_value(|(_, to)| {
                d.node(to)
                    .is_some_and(|n| n.component.kind() == Kind::Queue)
            })
        });
        !into_queue
            || ctx
                .edge
                .with(|e| e.as_ref().is_some_and(Edge::has_answer_policy))
    });
    view! {
        <Show when=move || shown.get()>
            {SECTIONS.iter().map(|section| view! { <PolicySection ctx section /> }).collect_view()}
        </Show>
    }
}

/// One policy's part of the form.
struct Section {
    /// The policy's name, as its field is (`retry`).
    name: &'static str,
    /// Its checkbox's id and test id, `inspector-<name>`.
    testid: &'static str,
    /// What the group is called.
    legend: &'static str,
    /// What its checkbox says.
    toggle: &'static str,
    /// True if the edge has the policy.
    has: fn(&Edge) -> Option<bool>,
    /// Adds it with its defaults (true) or removes it.
    set: fn(&mut Edge, bool),
    /// Its choices, then its numbers, while it is there.
    choices: &'static [Choice],
    numbers: &'static [Num],
    /// What else it shows while it is there (the retried outcomes, a breaker's counts).
    extra: fn(EdgeCtx) -> AnyView,
}

/// A number of a policy: its field as the validator names it (`retry.base_ms`; the control's
/// id is `inspector-retry-base_ms`), its label and unit, whether it is whole, how it is read
/// and written.
struct Num {
    field: &'static str,
    label: &'static str,
    unit: &'static str,
    integer: bool,
    get: fn(&Edge) -> Option<f64>,
    set: fn(&mut Edge, f64),
}

/// A choice of a policy among named options, as [`Num`].
struct Choice {
    field: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: fn(&Edge) -> Option<&'static str>,
    set: fn(&mut Edge, &'static str),
}

/// `num!(retry.base_ms, "label", "unit")`: a number field of a policy, read and written on the
/// edge (a count is cast back, saturating; the validator names one out of bounds).
macro_rules! num {
    ($policy:ident . $name:ident, $label:expr, $unit:expr, $integer:expr) => {
        Num {
            field: concat!(stringify!($policy), ".", stringify!($name)),
            label: $label,
            unit: $unit,
            integer: $integer,
            get: |e| e.$policy.as_ref().map(|p| f64::from(p.$name)),
            set: |e, v| {
                if let Some(p) = e.$policy.as_mut() {
                    p.$name = v as _;
                }
            },
        }
    };
}

/// The id of the control for a policy's `field` (`retry.base_ms`).
fn control_id(field: &str) -> String {
    format!("inspector-{}", field.replace('.', "-"))
}

/// One policy: its checkbox, and while it is there its fields.
#[component]
fn PolicySection(ctx: EdgeCtx, section: &'static Section) -> impl IntoView {
    let on = ctx.read(section.has);
    view! {
        <fieldset class="field-group policy" data-testid=format!("{}-section", section.testid)>
            <legend>{section.legend}</legend>
            <CheckboxField id=section.testid.to_string() testid=section.testid label=section.toggle value=on
                commit=edge_commit(ctx.editor, ctx.ends, section.name, section.set) />
            <Show when=move || on.get()>
                {choices(ctx, section.choices)}
                {numbers(ctx, section.numbers)}
                {(section.extra)(ctx)}
            </Show>
        </fieldset>
    }
}

fn choices(ctx: EdgeCtx, list: &'static [Choice]) -> impl IntoView {
    list.iter()
        .map(|c| {
            view! {
                <SelectField id=control_id(c.field) label=c.label options=c.options
                    value=ctx.read(c.get) commit=edge_commit(ctx.editor, ctx.ends, c.field, c.set) />
            }
        })
        .collect_view()
}

fn numbers(ctx: EdgeCtx, list: &'static [Num]) -> impl IntoView {
    list.iter()
        .map(|n| {
            view! {
                <NumberField id=control_id(n.field) label=n.label unit=n.unit integer=n.integer
                    max=MAX_U32 value=ctx.read(n.get)
                    commit=edge_commit(ctx.editor, ctx.ends, n.field, n.set) />
            }
        })
        .collect_view()
}

const SECTIONS: [Section; 3] = [
    Section {
        name: "retry",
        testid: "inspector-retry",
        legend: "Retries",
        toggle: "Retry failed calls",
        has: |e| Some(e.retry.is_some()),
        set: |e, on| e.retry = on.then(RetryPolicy::default),
        choices: &[
            Choice {
                field: "retry.backoff",
                label: "Backoff",
                options: &[
                    ("constant", "Constant (the same wait)"),
                    ("exponential", "Exponential (doubling)"),
                ],
                get: |e| e.retry.as_ref().map(|p| p.backoff.name()),
                set: |e, v| {
                    if let (Some(p), Some(b)) = (e.retry.as_mut(), Backoff::named(v)) {
                        p.backoff = b;
                    }
                },
            },
            Choice {
                field: "retry.jitter",
                label: "Jitter",
                options: &[
                    ("none", "None (all retry together)"),
                    ("full", "Full (0 to the wait)"),
                    ("equal", "Equal (half, plus up to half)"),
                    ("decorrelated", "Decorrelated"),
                ],
                get: |e| e.retry.as_ref().map(|p| p.jitter.name()),
                set: |e, v| {
                    if let (Some(p), Some(j)) = (e.retry.as_mut(), Jitter::named(v)) {
                        p.jitter = j;
                    }
                },
            },
        ],
        numbers: &[
            num!(retry.max_attempts, "Attempts (first included)", "", true),
            num!(retry.base_ms, "Wait before first retry", "ms", false),
            num!(retry.cap_ms, "Longest wait", "ms", false),
        ],
        extra: |ctx| view! { <RetryOn ctx /> <RetryBudget ctx /> }.into_any(),
    },
    Section {
        name: "breaker",
        testid: "inspector-breaker",
        legend: "Circuit breaker",
        toggle: "Stop calling while it fails",
        has: |e| Some(e.breaker.is_some()),
        set: |e, on| e.breaker = on.then(BreakerPolicy::default),
        choices: &[Choice {
            field: "breaker.window",
            label: "Window",
            options: &[
                ("count", "The last N calls"),
                ("time", "The last N seconds"),
            ],
            get: |e| e.breaker.as_ref().map(|p| p.window.name()),
            set: |e, v| {
                if let (Some(p), Some(w)) = (e.breaker.as_mut(), BreakerWindow::named(v)) {
                    p.window = w;
                }
            },
        }],
        numbers: &[
            num!(breaker.window_size, "Window size (N)", "calls or s", true),
            num!(breaker.minimum_calls, "Calls before it judges", "", true),
            num!(
                breaker.failure_rate_percent,
                "Opens at failures",
                "%",
                false
            ),
            num!(
                breaker.slow_call_rate_percent,
                "Opens at slow calls",
                "%",
                false
            ),
            num!(breaker.slow_call_ms, "A call is slow from", "ms", false),
            num!(breaker.open_ms, "Stays open for", "ms", false),
            num!(breaker.half_open_calls, "Trial calls (half-open)", "", true),
        ],
        extra: |ctx| view! { <BreakerCountsLine ctx /> }.into_any(),
    },
    Section {
        name: "hedge",
        testid: "inspector-hedge",
        legend: "Hedge",
        toggle: "Send a second attempt if slow",
        has: |e| Some(e.hedge.is_some()),
        set: |e, on| e.hedge = on.then(HedgePolicy::default),
        choices: &[],
        numbers: &[num!(hedge.delay_ms, "Hedge after", "ms", false)],
        extra: |ctx| checks(ctx, HEDGE_CHECKS).into_any(),
    },
];

const HEDGE_CHECKS: &[Check] = &[Check {
    id: "inspector-hedge-at_p95",
    field: "hedge.at_p95",
    label: "At the p95 of answers so far (after 100)",
    get: |e| e.hedge.as_ref().map(|p| p.at_p95),
    set: |e, v| {
        if let Some(p) = e.hedge.as_mut() {
            p.at_p95 = v;
        }
    },
}];

/// Which budget a retry policy has: `none`, `share` or `bucket` (the validator refuses both).
pub fn budget_kind(p: &RetryPolicy) -> &'static str {
    match (p.budget_percent, p.token_bucket) {
        (Some(_), _) => "share",
        (None, Some(_)) => "bucket",
        (None, None) => "none",
    }
}

/// Gives `p` the budget `kind` names, with a usual starting value (Envoy's 20% of the calls in
/// progress; gRPC's bucket of 10 tokens), and drops the other kind.
pub fn set_budget(p: &mut RetryPolicy, kind: &str) {
    if budget_kind(p) == kind {
        return;
    }
    p.budget_percent = (kind == "share").then_some(20.0);
    p.token_bucket = (kind == "bucket").then_some(10.0);
}

/// Turns retrying on `outcome` (by name) on or off, keeping the list's order.
pub fn set_retry_on(p: &mut RetryPolicy, (outcome, on): (&'static str, bool)) {
    p.retry_on.retain(|name| name != outcome);
    if on {
        p.retry_on.push(outcome.to_string());
    }
}

/// Its field names no one setting (it sets two); the validator's refusal of what it makes is
/// still shown, as every new error about the edge is.
const BUDGET: Choice = Choice {
    field: "retry.budget",
    label: "Retry budget",
    options: &[
        ("none", "None"),
        ("share", "Share of calls in progress"),
        ("bucket", "Token bucket"),
    ],
    get: |e| e.retry.as_ref().map(budget_kind),
    set: |e, v| {
        if let Some(p) = e.retry.as_mut() {
            set_budget(p, v);
        }
    },
};

/// A share budget's two numbers.
const SHARE: &[Num] = &[
    Num {
        field: "retry.budget_percent",
        label: "Retries at most",
        unit: "% of calls in progress",
        integer: false,
        get: |e| e.retry.as_ref()?.budget_percent,
        set: |e, v| {
            if let Some(p) = e.retry.as_mut() {
                p.budget_percent = Some(v);
            }
        },
    },
    num!(retry.budget_min_retries, "Retries always allowed", "", true),
];

/// A token bucket's two numbers.
const BUCKET: &[Num] = &[
    Num {
        field: "retry.token_bucket",
        label: "Tokens (a retry spends one)",
        unit: "",
        integer: false,
        get: |e| e.retry.as_ref()?.token_bucket,
        set: |e, v| {
            if let Some(p) = e.retry.as_mut() {
                p.token_bucket = Some(v);
            }
        },
    },
    num!(retry.token_refill, "Tokens a success puts back", "", false),
];

/// The retry budget: none, a share of the calls in progress or a token bucket, and its numbers.
#[component]
fn RetryBudget(ctx: EdgeCtx) -> impl IntoView {
    let kind = ctx.read(BUDGET.get);
    let kind = Memo::new(move |_| kind.get());
    view! {
        {choices(ctx, std::slice::from_ref(&BUDGET))}
        <Show when=move || kind.get() == "share">{numbers(ctx, SHARE)}</Show>
        <Show when=move || kind.get() == "bucket">{numbers(ctx, BUCKET)}</Show>
    }
}

/// A yes/no of a policy, as [`Num`]; `id` is the checkbox's.
struct Check {
    id: &'static str,
    field: &'static str,
    label: &'static str,
    get: fn(&Edge) -> Option<bool>,
    set: fn(&mut Edge, bool),
}

fn checks(ctx: EdgeCtx, list: &'static [Check]) -> impl IntoView {
    list.iter()
        .map(|c| {
            view! {
                <CheckboxField id=c.id.to_string() label=c.label value=ctx.read(c.get)
                    commit=edge_commit(ctx.editor, ctx.ends, c.field, c.set) />
            }
        })
        .collect_view()
}

/// `retry_on!(TimedOut, "timed_out", "timed out")`: the checkbox that retries calls ending so
/// (`inspector-retry-on-timed_out`).
macro_rules! retry_on {
    ($outcome:ident, $name:literal, $label:literal) => {
        Check {
            id: concat!("inspector-retry-on-", $name),
            field: "retry.retry_on",
            label: $label,
            get: |e| e.retry.as_ref().map(|p| p.retries(Outcome::$outcome)),
            set: |e, on| {
                if let Some(p) = e.retry.as_mut() {
                    set_retry_on(p, (Outcome::$outcome.name(), on));
                }
            },
        }
    };
}

/// One checkbox per way a call can end other than ok, in the engine's order.
const RETRY_ON: &[Check] = &[
    retry_on!(DroppedQueueFull, "dropped_queue_full", "queue full"),
    retry_on!(TimedOut, "timed_out", "timed out"),
    retry_on!(FailedHopLimit, "failed_hop_limit", "hop limit"),
    retry_on!(FailedNoRoute, "failed_no_route", "no route"),
    retry_on!(FailedError, "failed_error", "error"),
    retry_on!(FailedNodeDown, "failed_node_down", "node down"),
    retry_on!(DeadlineExceeded, "deadline_exceeded", "deadline passed"),
    retry_on!(
        DroppedBulkheadFull,
        "dropped_bulkhead_full",
        "bulkhead full"
    ),
    retry_on!(CircuitOpen, "circuit_open", "circuit open"),
];

/// The outcomes retried: a checkbox each.
#[component]
fn RetryOn(ctx: EdgeCtx) -> impl IntoView {
    view! {
        <fieldset class="field-group">
            <legend>"Retry when the call ended"</legend>
            {checks(ctx, RETRY_ON)}
        </fieldset>
    }
}

/// How a breaker's counts read: "opened 10 · half-open 10 · closed 1 · refused 0".
pub fn counts_line(c: &BreakerCounts) -> String {
    format!(
        "opened {} · half-open {} · closed {} · refused {}",
        c.opened, c.half_opened, c.closed, c.refused
    )
}

/// While a run is shown: the breaker's state and how often it changed (hidden otherwise).
#[component]
fn BreakerCountsLine(ctx: EdgeCtx) -> impl IntoView {
    let live = use_context::<crate::live::Live>();
    let EdgeCtx { editor, ends, .. } = ctx;
    let line = Memo::new(move |_| {
        let index = editor.doc.with(|d| {
            ends.with_value(|(f, t)| d.edges.iter().position(|e| e.from == *f && e.to == *t))
        });
        let now = live
            .zip(index)
            .and_then(|(live, i)| live.breakers.with(|b| b.get(i).copied().flatten()));
        now.map_or(String::new(), |(state, counts)| {
            format!(
                "{}: {}",
                state.name().replace('_', "-"),
                counts_line(&counts)
            )
        })
    });
    view! {
        <p class="policy-counts" data-testid="inspector-breaker-counts"
            hidden=move || line.with(String::is_empty)>{line}</p>
    }
}

#[cfg(test)]
mod tests {
    //! Plain logic: natively (`cargo test -p pattern-playground --lib`) and in the browser.
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_budget_is_a_share_or_a_bucket_never_both() {
        let mut p = RetryPolicy::default();
        assert_eq!(budget_kind(&p), "none");
        set_budget(&mut p, "share");
        assert_eq!((p.budget_percent, p.token_bucket), (Some(20.0), None));
        p.budget_percent = Some(35.0);
        set_budget(&mut p, "share");
        assert_eq!(
            p.budget_percent,
            Some(35.0),
            "choosing it again keeps its value"
        );
        set_budget(&mut p, "bucket");
        assert_eq!((p.budget_percent, p.token_bucket), (None, Some(10.0)));
        assert_eq!(budget_kind(&p), "bucket");
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        set_budget(&mut p, "none");
        assert_eq!(p, RetryPolicy::default());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn retried_outcomes_are_toggled_by_name_once_each() {
        let mut p = RetryPolicy::default();
        set_retry_on(&mut p, ("circuit_open", true));
        set_retry_on(&mut p, ("circuit_open", true));
        assert_eq!(
            p.retry_on.iter().filter(|n| *n == "circuit_open").count(),
            1
        );
        assert!(p.retries(Outcome::CircuitOpen));
        set_retry_on(&mut p, ("timed_out", false));
        assert!(!p.retries(Outcome::TimedOut));
        assert!(p.problems().is_empty(), "{:?}", p.problems());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_outcome_but_ok_has_its_retry_checkbox_in_order() {
        let ids: Vec<String> = Outcome::ALL[1..]
            .iter()
            .map(|o| format!("inspector-retry-on-{}", o.name()))
            .collect();
        let listed: Vec<&str> = RETRY_ON.iter().map(|c| c.id).collect();
        assert_eq!(listed, ids);
        // Each box reads and writes its own outcome.
        let mut edge = Edge::new("a", "b", 1.0);
        edge.retry = Some(RetryPolicy::default());
        for (check, outcome) in RETRY_ON.iter().zip(&Outcome::ALL[1..]) {
            let before = (check.get)(&edge);
            (check.set)(&mut edge, !before.unwrap());
            let retry = edge.retry.as_ref().unwrap();
            assert_eq!(retry.retries(*outcome), !before.unwrap(), "{}", check.id);
            assert_eq!((check.get)(&edge), Some(!before.unwrap()));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn counts_read_in_order() {
        let c = BreakerCounts {
            opened: 10,
            half_opened: 9,
            closed: 1,
            refused: 4,
        };
        assert_eq!(
            counts_line(&c),
            "opened 10 · half-open 9 · closed 1 · refused 4"
        );
    }
}
