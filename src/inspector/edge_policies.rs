//! An edge's answer policies in its form: retries, a circuit breaker, a hedge. Each has a
//! checkbox that adds it with its defaults or removes it, and, while present, its fields. Every
//! control commits through [`commit`], so a value the validator refuses (a cap below the base
//! wait, a hedge beside retries) shows its message by the field and changes nothing.
//!
//! Reads and writes go through two generic helpers with plain function pointers
//! ([`EdgeCtx::read`], [`EdgeCtx::write`]): one copy of each per (policy, value type) pair
//! rather than one per field, which keeps the first load small.

use leptos::prelude::*;
use pattern_engine::components::Kind;
use pattern_engine::scenario::{
    Backoff, BreakerPolicy, BreakerWindow, Edge, HedgePolicy, Jitter, RetryPolicy, Target,
};
use pattern_engine::sim::events::Outcome;
use pattern_engine::sim::BreakerCounts;

use super::fields::{CheckboxField, NumberField, SelectField};
use super::form::MAX_U32;
use super::{commit, Commit};
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
    /// One value of the policy `of` finds on the edge, as a signal (the type's default while
    /// the policy is absent).
    fn read<P: 'static, T: Default + Clone + Send + Sync + 'static>(
        self,
        of: fn(&Edge) -> Option<&P>,
        get: fn(&P) -> T,
    ) -> Signal<T> {
        let edge = self.edge;
        Signal::derive(move || edge.with(|e| e.as_ref().and_then(of).map(get).unwrap_or_default()))
    }

    /// Sets one value of the policy `of` finds on the edge, as one validated, undoable step;
    /// `field` names it as the validator does (`retry.base_ms`).
    fn write<P: 'static, T: 'static>(
        self,
        field: &'static str,
        of: fn(&mut Edge) -> Option<&mut P>,
        set: fn(&mut P, T),
    ) -> Commit<T> {
        let EdgeCtx { editor, ends, .. } = self;
        Callback::new(move |v: T| {
            let (from, to) = ends.get_value();
            let target = Target::Edge {
                from: from.clone(),
                to: to.clone(),
            };
            commit(editor, &target, field, move |doc| {
                let edge = doc.edges.iter_mut().find(|e| e.from == from && e.to == to);
                if let Some(policy) = edge.and_then(of) {
                    set(policy, v);
                }
            })
        })
    }

    /// True while the edge has the policy `of` finds.
    fn has<P: 'static>(self, of: fn(&Edge) -> Option<&P>) -> Signal<bool> {
        self.read(of, |_| true)
    }

    /// The index of the edge in the document (how a run numbers its breakers).
    fn index(self) -> Memo<Option<usize>> {
        let EdgeCtx { editor, ends, .. } = self;
        Memo::new(move |_| {
            editor.doc.with(|d| {
                ends.with_value(|(f, t)| d.edges.iter().position(|e| e.from == *f && e.to == *t))
            })
        })
    }
}

/// The edge itself, to add or remove one of its policies.
fn whole(e: &mut Edge) -> Option<&mut Edge> {
    Some(e)
}

/// The three policies' sections; none on an edge into a message queue (a publish is not a
/// call: nothing answers it, so there is nothing to retry, break or hedge).
#[component]
pub fn EdgePolicies(ctx: EdgeCtx) -> impl IntoView {
    let into_queue = Memo::new(move |_| {
        ctx.editor.doc.with(|d| {
            ctx.ends.with_value(|(_, to)| {
                d.node(to)
                    .is_some_and(|n| n.component.kind() == Kind::Queue)
            })
        })
    });
    view! {
        <Show when=move || !into_queue.get()>
            <RetrySection ctx />
            <BreakerSection ctx />
            <HedgeSection ctx />
        </Show>
    }
}

const BACKOFFS: &[(&str, &str)] = &[
    ("constant", "Constant (the same wait)"),
    ("exponential", "Exponential (doubling)"),
];

const JITTERS: &[(&str, &str)] = &[
    ("none", "None (all retry together)"),
    ("full", "Full (0 to the wait)"),
    ("equal", "Equal (half, plus up to half)"),
    ("decorrelated", "Decorrelated"),
];

const BUDGETS: &[(&str, &str)] = &[
    ("none", "None"),
    ("share", "Share of calls in progress"),
    ("bucket", "Token bucket"),
];

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

/// What the checkbox for retrying on `outcome` says.
fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "answered",
        Outcome::DroppedQueueFull => "queue full",
        Outcome::TimedOut => "timed out",
        Outcome::FailedHopLimit => "hop limit",
        Outcome::FailedNoRoute => "no route",
        Outcome::FailedError => "error",
        Outcome::FailedNodeDown => "node down",
        Outcome::DeadlineExceeded => "deadline passed",
        Outcome::DroppedBulkheadFull => "bulkhead full",
        Outcome::CircuitOpen => "circuit open",
    }
}

fn retry(e: &Edge) -> Option<&RetryPolicy> {
    e.retry.as_ref()
}
fn retry_mut(e: &mut Edge) -> Option<&mut RetryPolicy> {
    e.retry.as_mut()
}

/// Retries: how many attempts, how long between them, on what, and within what budget.
#[component]
fn RetrySection(ctx: EdgeCtx) -> impl IntoView {
    let on = ctx.has(retry);
    let budget = Memo::new(move |_| {
        ctx.edge
            .with(|e| e.as_ref().and_then(retry).map_or("none", budget_kind))
    });
    let toggle = ctx.write("retry", whole, |e, on: bool| {
        e.retry = on.then(RetryPolicy::default);
    });
    view! {
        <fieldset class="field-group policy" data-testid="inspector-retry-section">
            <legend>"Retries"</legend>
            <CheckboxField id="inspector-retry".to_string() testid="inspector-retry"
                label="Retry failed calls" value=on commit=toggle />
            <Show when=move || on.get()>
                <NumberField id="inspector-retry-max_attempts".to_string()
                    label="Attempts (first included)" integer=true max=MAX_U32
                    value=ctx.read(retry, |p| f64::from(p.max_attempts))
                    commit=ctx.write("retry.max_attempts", retry_mut, |p, v: f64| p.max_attempts = v as u32) />
                <SelectField id="inspector-retry-backoff".to_string() label="Backoff" options=BACKOFFS
                    value=ctx.read(retry, |p| p.backoff.name())
                    commit=ctx.write("retry.backoff", retry_mut, |p, v: &'static str| {
                        p.backoff = Backoff::named(v).unwrap_or(p.backoff);
                    }) />
                <NumberField id="inspector-retry-base_ms".to_string() label="Wait before first retry"
                    unit="ms" value=ctx.read(retry, |p| p.base_ms)
                    commit=ctx.write("retry.base_ms", retry_mut, |p, v: f64| p.base_ms = v) />
                <NumberField id="inspector-retry-cap_ms".to_string() label="Longest wait" unit="ms"
                    value=ctx.read(retry, |p| p.cap_ms)
                    commit=ctx.write("retry.cap_ms", retry_mut, |p, v: f64| p.cap_ms = v) />
                <SelectField id="inspector-retry-jitter".to_string() label="Jitter" options=JITTERS
                    value=ctx.read(retry, |p| p.jitter.name())
                    commit=ctx.write("retry.jitter", retry_mut, |p, v: &'static str| {
                        p.jitter = Jitter::named(v).unwrap_or(p.jitter);
                    }) />
                <RetryOn ctx />
                <SelectField id="inspector-retry-budget".to_string() label="Retry budget" options=BUDGETS
                    value=Signal::derive(move || budget.get())
                    commit=ctx.write("retry.budget_percent", retry_mut, |p, v: &'static str| set_budget(p, v)) />
                <Show when=move || budget.get() == "share">
                    <NumberField id="inspector-retry-budget_percent".to_string()
                        label="Retries at most" unit="% of calls in progress"
                        value=ctx.read(retry, |p| p.budget_percent.unwrap_or_default())
                        commit=ctx.write("retry.budget_percent", retry_mut, |p, v: f64| p.budget_percent = Some(v)) />
                    <NumberField id="inspector-retry-budget_min_retries".to_string()
                        label="Retries always allowed" integer=true max=MAX_U32
                        value=ctx.read(retry, |p| f64::from(p.budget_min_retries))
                        commit=ctx.write("retry.budget_min_retries", retry_mut, |p, v: f64| p.budget_min_retries = v as u32) />
                </Show>
                <Show when=move || budget.get() == "bucket">
                    <NumberField id="inspector-retry-token_bucket".to_string() label="Tokens (a retry spends one)"
                        value=ctx.read(retry, |p| p.token_bucket.unwrap_or_default())
                        commit=ctx.write("retry.token_bucket", retry_mut, |p, v: f64| p.token_bucket = Some(v)) />
                    <NumberField id="inspector-retry-token_refill".to_string() label="Tokens a success puts back"
                        value=ctx.read(retry, |p| p.token_refill)
                        commit=ctx.write("retry.token_refill", retry_mut, |p, v: f64| p.token_refill = v) />
                </Show>
            </Show>
        </fieldset>
    }
}

/// One checkbox per way a call can end other than ok: retried or not.
#[component]
fn RetryOn(ctx: EdgeCtx) -> impl IntoView {
    let toggle = ctx.write("retry.retry_on", retry_mut, set_retry_on);
    let list = ctx.read(retry, |p| p.retry_on.clone());
    view! {
        <fieldset class="field-group">
            <legend>"Retry when the call ended"</legend>
            {Outcome::ALL[1..]
                .iter()
                .map(|&outcome| {
                    let name = outcome.name();
                    view! {
                        <CheckboxField id=format!("inspector-retry-on-{name}") label=outcome_label(outcome)
                            value=Signal::derive(move || list.with(|l| l.iter().any(|n| n == name)))
                            commit=Callback::new(move |on: bool| toggle.run((name, on))) />
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn breaker(e: &Edge) -> Option<&BreakerPolicy> {
    e.breaker.as_ref()
}
fn breaker_mut(e: &mut Edge) -> Option<&mut BreakerPolicy> {
    e.breaker.as_mut()
}

const WINDOWS: &[(&str, &str)] = &[
    ("count", "The last N calls"),
    ("time", "The last N seconds"),
];

/// A circuit breaker: what it watches, when it opens, how it tries again; in a run, how often
/// it has changed state.
#[component]
fn BreakerSection(ctx: EdgeCtx) -> impl IntoView {
    let on = ctx.has(breaker);
    let toggle = ctx.write("breaker", whole, |e, on: bool| {
        e.breaker = on.then(BreakerPolicy::default);
    });
    view! {
        <fieldset class="field-group policy" data-testid="inspector-breaker-section">
            <legend>"Circuit breaker"</legend>
            <CheckboxField id="inspector-breaker".to_string() testid="inspector-breaker"
                label="Stop calling while it fails" value=on commit=toggle />
            <Show when=move || on.get()>
                <BreakerCountsLine ctx />
                <SelectField id="inspector-breaker-window".to_string() label="Window" options=WINDOWS
                    value=ctx.read(breaker, |p| p.window.name())
                    commit=ctx.write("breaker.window", breaker_mut, |p, v: &'static str| {
                        p.window = BreakerWindow::named(v).unwrap_or(p.window);
                    }) />
                <NumberField id="inspector-breaker-window_size".to_string() label="Window size (N)"
                    unit="calls or s" integer=true max=MAX_U32
                    value=ctx.read(breaker, |p| f64::from(p.window_size))
                    commit=ctx.write("breaker.window_size", breaker_mut, |p, v: f64| p.window_size = v as u32) />
                <NumberField id="inspector-breaker-minimum_calls".to_string() label="Calls before it judges"
                    integer=true max=MAX_U32
                    value=ctx.read(breaker, |p| f64::from(p.minimum_calls))
                    commit=ctx.write("breaker.minimum_calls", breaker_mut, |p, v: f64| p.minimum_calls = v as u32) />
                <NumberField id="inspector-breaker-failure_rate_percent".to_string() label="Opens at failures"
                    unit="%" value=ctx.read(breaker, |p| p.failure_rate_percent)
                    commit=ctx.write("breaker.failure_rate_percent", breaker_mut, |p, v: f64| p.failure_rate_percent = v) />
                <NumberField id="inspector-breaker-slow_call_rate_percent".to_string() label="Opens at slow calls"
                    unit="%" value=ctx.read(breaker, |p| p.slow_call_rate_percent)
                    commit=ctx.write("breaker.slow_call_rate_percent", breaker_mut, |p, v: f64| p.slow_call_rate_percent = v) />
                <NumberField id="inspector-breaker-slow_call_ms".to_string() label="A call is slow from"
                    unit="ms" value=ctx.read(breaker, |p| p.slow_call_ms)
                    commit=ctx.write("breaker.slow_call_ms", breaker_mut, |p, v: f64| p.slow_call_ms = v) />
                <NumberField id="inspector-breaker-open_ms".to_string() label="Stays open for"
                    unit="ms" value=ctx.read(breaker, |p| p.open_ms)
                    commit=ctx.write("breaker.open_ms", breaker_mut, |p, v: f64| p.open_ms = v) />
                <NumberField id="inspector-breaker-half_open_calls".to_string() label="Trial calls (half-open)"
                    integer=true max=MAX_U32
                    value=ctx.read(breaker, |p| f64::from(p.half_open_calls))
                    commit=ctx.write("breaker.half_open_calls", breaker_mut, |p, v: f64| p.half_open_calls = v as u32) />
            </Show>
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

/// While a run is shown: the breaker's state and how often it changed (nothing otherwise).
#[component]
fn BreakerCountsLine(ctx: EdgeCtx) -> impl IntoView {
    let live = use_context::<crate::live::Live>();
    let index = ctx.index();
    let now = Memo::new(move |_| {
        let i = index.get()?;
        live?.breakers.with(|b| b.get(i).copied().flatten())
    });
    move || {
        now.get().map(|(state, counts)| {
            view! {
                <p class="policy-counts" data-testid="inspector-breaker-counts" data-state=state.name()>
                    {format!("{}: {}", state.name().replace('_', "-"), counts_line(&counts))}
                </p>
            }
        })
    }
}

fn hedge(e: &Edge) -> Option<&HedgePolicy> {
    e.hedge.as_ref()
}
fn hedge_mut(e: &mut Edge) -> Option<&mut HedgePolicy> {
    e.hedge.as_mut()
}

/// A hedge: a second attempt when the first is slow to answer.
#[component]
fn HedgeSection(ctx: EdgeCtx) -> impl IntoView {
    let on = ctx.has(hedge);
    let toggle = ctx.write("hedge", whole, |e, on: bool| {
        e.hedge = on.then(HedgePolicy::default);
    });
    view! {
        <fieldset class="field-group policy" data-testid="inspector-hedge-section">
            <legend>"Hedge"</legend>
            <CheckboxField id="inspector-hedge".to_string() testid="inspector-hedge"
                label="Send a second attempt if slow" value=on commit=toggle />
            <Show when=move || on.get()>
                <NumberField id="inspector-hedge-delay_ms".to_string() label="Hedge after" unit="ms"
                    value=ctx.read(hedge, |p| p.delay_ms)
                    commit=ctx.write("hedge.delay_ms", hedge_mut, |p, v: f64| p.delay_ms = v) />
                <CheckboxField id="inspector-hedge-at_p95".to_string()
                    label="At the p95 of answers so far (after 100)"
                    value=ctx.read(hedge, |p| p.at_p95)
                    commit=ctx.write("hedge.at_p95", hedge_mut, |p, v: bool| p.at_p95 = v) />
            </Show>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
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

    #[wasm_bindgen_test]
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

    #[wasm_bindgen_test]
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
