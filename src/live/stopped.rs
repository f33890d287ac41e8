//! Why a run stopped early: when its budget runs out (an overloaded system, a loop with no
//! latency) the engine ends it cleanly and says why, and the reason is shown over the diagram,
//! which stays as it was, with every number measured up to then.

use super::clock::format_sim_time;
use super::Live;
use leptos::prelude::*;
use pattern_engine::metrics::summary::StoppedSummary;

/// "Stopped at t = 3.20 s: 500,000 requests in flight …".
pub fn stopped_line(stopped: &StoppedSummary) -> String {
    let at = format_sim_time((stopped.at_s * 1e9).round() as u64);
    format!("Stopped at t = {at}: {}", stopped.reason)
}

/// The reason, over the canvas, while the stopped run is shown.
#[component]
pub fn StoppedBanner() -> impl IntoView {
    let live = expect_context::<Live>();
    let line = move || {
        live.snapshot.with(|s| {
            s.as_ref()
                .and_then(|s| s.summary.stopped.as_ref())
                .map(stopped_line)
        })
    };
    view! {
        <Show when=move || line().is_some()>
            <p class="run-stopped" role="alert" data-testid="run-stopped">{line}</p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_line_says_when_and_why() {
        let stopped = StoppedSummary {
            code: "in_flight",
            reason: "500,000 requests in flight; the system is overloaded".into(),
            at_s: 3.2,
        };
        assert_eq!(
            stopped_line(&stopped),
            "Stopped at t = 3.20 s: 500,000 requests in flight; the system is overloaded"
        );
    }
}
