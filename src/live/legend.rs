//! What the colours and shapes mean (`legend`): one entry per particle look, from the same
//! table the painter draws with, plus the node badges. The ways a request can end, and retries
//! and hedges, are listed only once the run has had one, so the legend stays short and says
//! what this run shows.

use super::cards::grouped;
use super::flights::{Look, MAX_FLIGHTS};
use super::{Live, Snapshot};
use leptos::prelude::*;
use pattern_engine::sim::events::{Outcome, OutcomeClass};

/// The legend strip.
#[component]
pub fn Legend() -> impl IntoView {
    let live = expect_context::<Live>();
    let occurred = Memo::new(move |_| {
        live.snapshot
            .with(|s| s.as_deref().map(occurred_looks).unwrap_or_default())
    });
    view! {
        <ul class="legend" data-testid="legend" aria-label="Legend">
            {Look::ALWAYS.into_iter().filter(|&l| !only_when_seen(l)).map(entry).collect_view()}
            {move || occurred.get().into_iter().map(entry).collect_view()}
            {move || (live.particles.get() >= MAX_FLIGHTS).then(crowded)}
            <li>
                <span class="legend-swatch ringed" aria-hidden="true"></span>
                "ringed: a sampled request, click it for its trace"
            </li>
            <li>
                <span class="legend-swatch pile" aria-hidden="true"></span>
                "dots above a node: requests waiting in its queue"
            </li>
            <li>
                <span class="legend-swatch utilisation" aria-hidden="true"></span>
                "node ring: how busy it is, green idle to red saturated"
            </li>
            <li>
                <span class="legend-swatch trouble" aria-hidden="true"></span>
                "red badge: requests it dropped or failed"
            </li>
        </ul>
    }
}

/// Said while more requests are in flight than the view draws.
fn crowded() -> impl IntoView {
    view! {
        <li class="legend-crowded" data-testid="legend-crowded">
            {format!("more requests in flight than drawn: showing {}", grouped(MAX_FLIGHTS as f64, 0))}
        </li>
    }
}

/// One look's swatch and meaning.
fn entry(look: Look) -> impl IntoView {
    view! {
        <li data-look=look.name()>
            <span class="legend-swatch" class:square=look.is_square()
                style=format!("--swatch: {}", look.colour()) aria-hidden="true"></span>
            {look.meaning()}
        </li>
    }
}

/// True for a look the legend lists only once the run has shown it: a retry or a hedge.
fn only_when_seen(look: Look) -> bool {
    look == Look::Retry
}

/// The looks of the run that are not always listed: retries and hedges if it sent any, then
/// the endings it had ([`occurred_endings`]).
pub fn occurred_looks(snapshot: &Snapshot) -> Vec<Look> {
    let attempts = snapshot
        .summary
        .policies
        .as_ref()
        .map_or(0, |p| p.retries + p.hedges);
    let retried = (attempts > 0).then_some(Look::Retry);
    let endings = occurred_endings(snapshot).into_iter().map(Look::Ended);
    retried.into_iter().chain(endings).collect()
}

/// The outcomes other than ok that some request or job of the run has ended with, in report
/// order.
pub fn occurred_endings(snapshot: &Snapshot) -> Vec<Outcome> {
    let requests = &snapshot.summary.requests.by_outcome;
    let jobs_dropped = snapshot
        .summary
        .jobs
        .as_ref()
        .is_some_and(|j| j.dropped > 0);
    Outcome::ALL
        .into_iter()
        .filter(|&o| o != Outcome::Ok)
        .filter(|&o| {
            let by_requests = requests.iter().any(|&(name, n)| name == o.name() && n > 0);
            by_requests || (jobs_dropped && o.class() == OutcomeClass::Dropped)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::scenario::from_json;
    use pattern_engine::Simulation;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn snapshot_of(json: &str) -> Snapshot {
        let mut sim = Simulation::new(&from_json(json).unwrap()).unwrap();
        sim.run_to_end();
        Snapshot::new(sim.summary(), true, 0, 0)
    }

    #[wasm_bindgen_test]
    fn only_the_endings_the_run_had_are_listed() {
        let healthy = snapshot_of(
            r#"{"version":1,"run":{"requests":200},"nodes":[
                {"id":"c","kind":"client"},{"id":"db","kind":"database"}],
                "edges":[{"from":"c","to":"db"}]}"#,
        );
        assert!(occurred_endings(&healthy).is_empty());
        // One worker, no waiting room, 1,000 requests a second of 10 ms work: most are dropped.
        let overloaded = snapshot_of(
            r#"{"version":1,"run":{"requests":500},"nodes":[
                {"id":"c","kind":"client","config":{"arrival":{"poisson":{"rate_per_s":1000}}}},
                {"id":"s","kind":"service","config":{"workers":1,"queue_capacity":0}}],
                "edges":[{"from":"c","to":"s"}]}"#,
        );
        assert_eq!(occurred_endings(&overloaded), [Outcome::DroppedQueueFull]);
        assert_eq!(
            occurred_looks(&overloaded),
            [Look::Ended(Outcome::DroppedQueueFull)]
        );
    }

    // Natively too (`cargo test -p pattern-playground --lib`): it is the engine and plain logic.
    #[wasm_bindgen_test(unsupported = test)]
    fn retries_and_refusals_are_listed_once_the_run_has_them() {
        // A service that always fails (every call an error), retried twice, behind a breaker
        // that opens after 5 calls: both the retry look and circuit_open show up.
        let run = |retry: &str, breaker: &str| {
            snapshot_of(&format!(
                r#"{{"version":1,"run":{{"requests":300}},"nodes":[
                {{"id":"c","kind":"client","config":{{"arrival":{{"poisson":{{"rate_per_s":100}}}}}}}},
                {{"id":"s","kind":"service"}}],
                "edges":[{{"from":"c","to":"s"{retry}{breaker}}}],
                "faults":[{{"at_s":0,"target":"s","kind":{{"errors":{{"fraction":1}}}}}}]}}"#
            ))
        };
        let plain = occurred_looks(&run("", ""));
        assert!(!plain.contains(&Look::Retry), "{plain:?}");
        assert!(!plain.contains(&Look::Ended(Outcome::CircuitOpen)));
        let retried = occurred_looks(&run(r#","retry":{"max_attempts":3,"base_ms":0}"#, ""));
        assert_eq!(retried.first(), Some(&Look::Retry), "{retried:?}");
        let broken = occurred_looks(&run(
            "",
            r#","breaker":{"window_size":5,"minimum_calls":5,"open_ms":100000}"#,
        ));
        assert!(
            broken.contains(&Look::Ended(Outcome::CircuitOpen)),
            "{broken:?}"
        );
        assert!(!broken.contains(&Look::Retry));
    }
}
