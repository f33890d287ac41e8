//! The timeline's time axis: how long it spans, where a time sits on it, and the grid times
//! snap to. Pure arithmetic, tested without a DOM; bars are placed in percent of the span, so
//! only a drag needs the track's width in pixels.

use pattern_engine::scenario::Scenario;

/// The grid a dragged or dropped time snaps to, seconds.
pub const STEP_S: f64 = 0.1;
/// The grid with the fine modifier (Alt) held: a millisecond.
pub const FINE_STEP_S: f64 = 0.001;
/// The span shown when nothing says how long a run lasts (no client sends anything).
const FALLBACK_SPAN_S: f64 = 10.0;
/// Room left after the latest fault, so its bar and its end grip stay inside the track.
const ROOM_AFTER: f64 = 1.1;

/// How long the run lasts, seconds: its duration, or for a `requests` run the time its
/// clients take to send them at their mean rates (an estimate: queues drain after it).
pub fn run_span_s(s: &Scenario) -> f64 {
    if let Some(d) = s.run.duration_s.filter(|d| *d > 0.0) {
        return d;
    }
    let rate: f64 = s
        .nodes
        .iter()
        .filter_map(|n| match &n.component {
            pattern_engine::components::Component::Client(c) => Some(c.mean_rate_per_s()),
            _ => None,
        })
        .filter(|r| r.is_finite())
        .sum();
    match s.run.requests {
        Some(n) if rate > 0.0 => n as f64 / rate,
        _ => FALLBACK_SPAN_S,
    }
}

/// The axis's span, seconds: the run's, grown to hold every fault (an open-ended one's start)
/// and the run's simulated time `now_s`.
pub fn span_s(s: &Scenario, now_s: f64) -> f64 {
    let latest = s
        .faults
        .iter()
        .map(|f| f.until_s().unwrap_or(f.at_s))
        .fold(0.0, f64::max);
    run_span_s(s)
        .max(latest * ROOM_AFTER)
        .max(now_s)
        .max(STEP_S)
}

/// Where `t` sits on an axis of `span` seconds, in percent of its width (0 to 100).
pub fn percent(t: f64, span: f64) -> f64 {
    (100.0 * t / span).clamp(0.0, 100.0)
}

/// The time `dx` pixels stand for on a track `width` pixels wide showing `span` seconds.
pub fn seconds_per(dx: f64, width: f64, span: f64) -> f64 {
    if width > 0.0 {
        dx * span / width
    } else {
        0.0
    }
}

/// `t` on the grid (to the millisecond when `fine`), never before 0, in whole milliseconds
/// so the document reads as typed.
pub fn snap(t: f64, fine: bool) -> f64 {
    let step = if fine { FINE_STEP_S } else { STEP_S };
    let snapped = (t.max(0.0) / step).round() * step;
    (snapped * 1_000.0).round() / 1_000.0
}

/// The times the axis labels, every 1, 2 or 5 × 10^k seconds, about five over the span.
pub fn ticks(span: f64) -> Vec<f64> {
    let step = crate::live::nice_top(span / 5.0);
    (0..)
        .map(|k| (k as f64 * step * 1_000.0).round() / 1_000.0)
        .take_while(|t| *t <= span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::scenario::{Fault, FaultKind, FaultTarget};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_span_is_the_run_grown_to_hold_its_faults_and_its_time() {
        let mut s = crate::document::default_scenario();
        s.run.requests = None;
        s.run.duration_s = Some(30.0);
        assert_eq!(span_s(&s, 0.0), 30.0);
        assert_eq!(span_s(&s, 45.0), 45.0, "a run past its estimate");
        s.faults.push(Fault {
            at_s: 40.0,
            for_s: Some(10.0),
            target: FaultTarget::Node("db_a".into()),
            kind: FaultKind::Crash,
        });
        assert!((span_s(&s, 0.0) - 55.0).abs() < 1e-9);
        // A requests run: its requests over its clients' rate.
        let mut r = crate::document::default_scenario();
        r.run.duration_s = None;
        r.run.requests = Some(1_000);
        let rate = r.open_loop_rate_per_s();
        assert!((run_span_s(&r) - 1_000.0 / rate).abs() < 1e-9);
    }

    #[wasm_bindgen_test]
    fn times_and_pixels_convert_and_snap_to_the_grid() {
        assert_eq!(percent(2.5, 10.0), 25.0);
        assert_eq!(percent(-1.0, 10.0), 0.0);
        assert_eq!(percent(20.0, 10.0), 100.0);
        assert_eq!(seconds_per(50.0, 200.0, 10.0), 2.5);
        assert_eq!(
            seconds_per(50.0, 0.0, 10.0),
            0.0,
            "a track not laid out yet"
        );
        assert_eq!(snap(2.349, false), 2.3);
        assert_eq!(snap(2.35001, false), 2.4);
        assert_eq!(snap(2.3456, true), 2.346);
        assert_eq!(snap(-0.4, false), 0.0);
        assert_eq!(snap(0.7, false), 0.7, "no 0.7000000000000001");
        assert_eq!(ticks(10.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.7), [0.0, 0.2, 0.4, 0.6]);
    }
}
