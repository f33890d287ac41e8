//! The run controls: play, pause, step, reset, run to end, speed and seed, with a status line
//! and a progress bar.

use super::clock::{format_sim_time, nearest_speed, SPEEDS};
use super::{Live, Phase};
use leptos::prelude::*;

/// The largest seed a number field holds exactly (2^53 - 1).
const MAX_SEED: u64 = 9_007_199_254_740_991;

/// Reads a seed typed by a person: a whole number from 0 to 2^53 - 1.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(seed) if seed <= MAX_SEED => Ok(seed),
        _ => Err(format!(
            "“{text}” is not a seed: use a whole number from 0 to {MAX_SEED}."
        )),
    }
}

/// What the status line says; `stopped` is why the run was stopped early, if it was.
fn status(
    phase: Phase,
    now: u64,
    in_flight: u64,
    progress: f64,
    lagging: bool,
    stopped: Option<String>,
) -> String {
    let t = format_sim_time(now);
    match phase {
        Phase::Idle => "Ready: press play to run the diagram".to_string(),
        Phase::Playing if lagging => {
            format!("Playing · t = {t} · {in_flight} in flight · the engine is at full speed")
        }
        Phase::Playing => format!("Playing · t = {t} · {in_flight} in flight"),
        Phase::Paused => format!("Paused at t = {t} · {in_flight} in flight"),
        Phase::FastForwarding => format!("Running to the end… {:.0}% · t = {t}", progress * 100.0),
        Phase::Finished => stopped.unwrap_or_else(|| format!("Finished at t = {t}")),
    }
}

/// The controls row.
#[component]
pub fn RunControls() -> impl IntoView {
    let live = expect_context::<Live>();
    let phase = live.phase;
    let running = move || matches!(phase.get(), Phase::Playing | Phase::FastForwarding);
    let over = move || matches!(phase.get(), Phase::Finished | Phase::FastForwarding);
    let seed_error = RwSignal::new(None::<String>);
    let seed = move || live.editor.doc.with(|d| d.seed.to_string());
    let set_seed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match parse_seed(&text) {
            Ok(value) => {
                seed_error.set(None);
                live.editor.apply(|d| {
                    d.seed = value;
                    Ok(())
                });
            }
            Err(message) => seed_error.set(Some(message)),
        }
    };
    let in_flight = move || {
        live.snapshot
            .with(|s| s.as_ref().map_or(0, |s| s.in_flight))
    };
    let line = Memo::new(move |_| {
        status(
            phase.get(),
            live.now.get(),
            in_flight(),
            live.progress.get(),
            live.lagging.get(),
            live.snapshot.with(|s| {
                s.as_ref()
                    .and_then(|s| s.summary.stopped.as_ref())
                    .map(super::stopped::stopped_line)
            }),
        )
    });
    view! {
        <div class="run-controls" role="toolbar" aria-label="Run controls">
            <button type="button" class="primary" data-testid="play" disabled=move || phase.get() == Phase::Playing
                title="Play: requests move at the chosen speed" on:click=move |_| live.play()>"Play"</button>
            <button type="button" data-testid="pause" disabled=move || !running()
                on:click=move |_| live.pause()>"Pause"</button>
            <button type="button" data-testid="step" disabled=over
                title="Handle the next event, then wait" on:click=move |_| live.step()>"Step"</button>
            <button type="button" data-testid="reset" disabled=move || phase.get() == Phase::Idle
                on:click=move |_| live.reset()>"Reset"</button>
            <button type="button" data-testid="run-to-end" disabled=over
                title="Fast-forward to the end without particles" on:click=move |_| live.run_to_end()>"Run to end"</button>
            <label class="run-field">
                "Speed"
                <select data-testid="speed"
                    on:change=move |ev| {
                        if let Some(v) = pattern_engine::json::parse_decimal(&event_target_value(&ev)) {
                            live.speed.set(v);
                        }
                    }
                    prop:value=move || nearest_speed(live.speed.get()).to_string()>
                    {SPEEDS.iter().map(|(value, label)| view! {
                        <option value=value.to_string()>{*label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="run-field run-field-seed">
                "Seed"
                <input type="text" inputmode="numeric" data-testid="seed" size="8"
                    aria-invalid=move || seed_error.with(Option::is_some).to_string()
                    aria-describedby="seed-error"
                    prop:value=seed on:change=set_seed />
            </label>
            <span class="field-error" id="seed-error" role="alert">{move || seed_error.get()}</span>
            // The exact position of the run, for journeys (the line rounds the time).
            <p class="run-status" role="status" data-testid="run-status"
                data-events=move || live.events.get().to_string()
                data-time-ns=move || live.now.get().to_string() title=line>
                <span class="run-status-dot" data-phase=move || format!("{:?}", phase.get()).to_ascii_lowercase()
                    aria-hidden="true"></span>
                {line}
            </p>
            <progress data-testid="progress" aria-label="Run progress" max="1"
                value=move || live.progress.get().to_string()></progress>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn seeds_are_whole_numbers_a_field_holds_exactly() {
        assert_eq!(parse_seed(" 42 "), Ok(42));
        assert_eq!(parse_seed("9007199254740991"), Ok(MAX_SEED));
        for bad in ["", "-1", "4.5", "seven", "9007199254740992"] {
            let message = parse_seed(bad).unwrap_err();
            assert!(message.contains("not a seed"), "{bad}: {message}");
        }
    }

    #[wasm_bindgen_test]
    fn the_status_line_says_where_the_run_stands() {
        assert_eq!(
            status(Phase::Playing, 1_250_000_000, 12, 0.1, false, None),
            "Playing · t = 1.25 s · 12 in flight"
        );
        assert!(status(Phase::FastForwarding, 0, 0, 0.434, false, None).contains("43%"));
        assert!(status(Phase::Playing, 0, 0, 0.0, true, None).contains("full speed"));
    }
}
