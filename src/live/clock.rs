//! How wall-clock time becomes simulated time: a speed, from slow motion (one request hop by
//! hop) to fast-forward (thousands of times real time).

use pattern_engine::time::SimTime;

/// Simulated seconds per wall-clock second, with the label the speed menu shows.
pub const SPEEDS: [(f64, &str); 10] = [
    (0.001, "1/1000× (hop by hop)"),
    (0.01, "1/100×"),
    (0.05, "1/20×"),
    (0.1, "1/10×"),
    (0.25, "1/4×"),
    (1.0, "1× (real time)"),
    (10.0, "10×"),
    (100.0, "100×"),
    (1_000.0, "1,000×"),
    (10_000.0, "10,000×"),
];

/// The speed a run starts at: slow enough to follow single requests on the reference
/// architecture (200 requests/s, tens of milliseconds per round trip).
pub const DEFAULT_SPEED: f64 = 0.1;

/// The speed a run starts at for people who asked their system for less motion: particles
/// creep instead of streaming.
pub const REDUCED_MOTION_SPEED: f64 = 0.01;

/// The longest wall-clock gap one frame accounts for. A tab in the background gets no frames;
/// when it comes back the run resumes where it was instead of leaping ahead.
const MAX_FRAME_MS: f64 = 100.0;

/// How much simulated time `wall_ms` of wall-clock time is worth at `speed`.
pub fn sim_span(wall_ms: f64, speed: f64) -> SimTime {
    let wall_ms = wall_ms.clamp(0.0, MAX_FRAME_MS);
    let nanos = wall_ms * 1e6 * speed;
    if nanos.is_finite() && nanos > 0.0 {
        nanos.round() as SimTime
    } else {
        0
    }
}

/// The menu entry closest to `speed` (for showing a speed that is not on the menu).
pub fn nearest_speed(speed: f64) -> f64 {
    SPEEDS
        .iter()
        .map(|(s, _)| *s)
        .min_by(|a, b| {
            (a.ln() - speed.ln())
                .abs()
                .total_cmp(&(b.ln() - speed.ln()).abs())
        })
        .unwrap_or(DEFAULT_SPEED)
}

/// Simulated time as people read it: "1.25 s", "340 ms", "12.5 µs".
pub fn format_sim_time(t: SimTime) -> String {
    let s = t as f64 / 1e9;
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_frame_at_real_time_is_worth_its_own_length() {
        assert_eq!(sim_span(16.0, 1.0), 16_000_000);
        assert_eq!(sim_span(16.0, 0.001), 16_000);
        assert_eq!(sim_span(10.0, 10_000.0), 100_000_000_000);
    }

    #[wasm_bindgen_test]
    fn a_long_pause_between_frames_does_not_leap_ahead() {
        assert_eq!(sim_span(5_000.0, 1.0), sim_span(MAX_FRAME_MS, 1.0));
        assert_eq!(sim_span(-3.0, 1.0), 0);
        assert_eq!(sim_span(f64::NAN, 1.0), 0);
    }

    #[wasm_bindgen_test]
    fn speeds_snap_to_the_menu_and_times_read_naturally() {
        assert_eq!(nearest_speed(0.9), 1.0);
        assert_eq!(nearest_speed(3_000.0), 1_000.0);
        assert_eq!(format_sim_time(1_250_000_000), "1.25 s");
        assert_eq!(format_sim_time(340_000_000), "340.0 ms");
        assert_eq!(format_sim_time(12_500), "12.5 µs");
    }
}
