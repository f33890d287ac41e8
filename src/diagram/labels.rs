//! A node's label in lines that fit its box. SVG text never wraps, and a label cut off at the
//! box's edge ("Message Queu") reads as a bug; so a label too wide for one line wraps onto two
//! or three (between words, or inside a word too long for a line), and only a label too long
//! for three lines ends in "…" (the full label is the node's tooltip and its accessible name).
//!
//! The widths come from the browser's own text measurement (a canvas 2D context in the label's
//! font), so the lines fit whatever font the system has; the wrapping is plain code, tested
//! with a fixed-width stand-in.

use super::geometry::NODE_W;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The label's font size in canvas units: at the fit of any shipped example on a 1024 px
/// window it is over 11 CSS pixels (the layout journeys measure it).
pub const LABEL_SIZE: f64 = 17.0;

/// The label's font, as `.node-label` in `style/main.css` sets it (weight, size, family).
const LABEL_FONT: &str = "600 17px system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Helvetica Neue\", Arial, sans-serif";

/// The kind's icon on a node: its size and left edge.
pub const NODE_ICON: f64 = 18.0;
/// See [`NODE_ICON`].
pub const NODE_ICON_X: f64 = 8.0;
/// The room right of the icon that a line of the label may take, canvas units (clear of the
/// output port's circle at the right edge).
pub const LABEL_ROOM: f64 = NODE_W - NODE_ICON_X - NODE_ICON - 10.0;
/// The texts are centred in the room right of the icon.
pub const LABEL_X: f64 = NODE_ICON_X + NODE_ICON + 3.0 + LABEL_ROOM / 2.0;

/// The most lines a label takes: three lines of 17 units fill the 56-unit box.
pub const MAX_LINES: usize = 3;

/// `label` in at most [`MAX_LINES`] lines no wider than `room`, as `width_of` measures text.
pub fn lines(label: &str, room: f64, width_of: &dyn Fn(&str) -> f64) -> Vec<String> {
    let label = label.trim();
    if width_of(label) <= room {
        return vec![label.to_string()];
    }
    let mut lines = Vec::new();
    let mut rest = label;
    while !rest.is_empty() && lines.len() < MAX_LINES - 1 {
        let (line, after) = first_line(rest, room, width_of);
        lines.push(line.to_string());
        rest = after.trim_start();
    }
    if !rest.is_empty() {
        lines.push(ellipsised(rest, room, width_of));
    }
    lines
}

/// The longest start of `text` that fits in `room`, broken after a word if one fits, else
/// inside the first word; and what is left.
fn first_line<'a>(text: &'a str, room: f64, width_of: &dyn Fn(&str) -> f64) -> (&'a str, &'a str) {
    let mut fitted = None;
    for (at, _) in text.match_indices(char::is_whitespace) {
        if width_of(&text[..at]) <= room {
            fitted = Some(at);
        } else {
            break;
        }
    }
    if let Some(at) = fitted {
        return text.split_at(at);
    }
    let cut = longest_fitting_prefix(text, room, width_of).max(first_char_len(text));
    text.split_at(cut)
}

/// `text` whole if it fits, else cut short with "…" so it does.
fn ellipsised(text: &str, room: f64, width_of: &dyn Fn(&str) -> f64) -> String {
    if width_of(text) <= room {
        return text.to_string();
    }
    let ellipsis_width = width_of("…");
    let cut = longest_fitting_prefix(text, room - ellipsis_width, width_of);
    format!("{}…", text[..cut].trim_end())
}

/// The byte length of the longest prefix of `text`, on a character boundary, that fits.
fn longest_fitting_prefix(text: &str, room: f64, width_of: &dyn Fn(&str) -> f64) -> usize {
    let mut best = 0;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        if width_of(&text[..end]) > room {
            break;
        }
        best = end;
    }
    best
}

fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

thread_local! {
    /// The measuring context and the widths it gave: labels are few and measured once each.
    static MEASURE: RefCell<(Option<web_sys::CanvasRenderingContext2d>, BTreeMap<String, f64>)> =
        const { RefCell::new((None, BTreeMap::new())) };
}

/// `text`'s width in the label's font, canvas units; an estimate if the page cannot measure.
pub fn label_width(text: &str) -> f64 {
    MEASURE.with(|cell| {
        let (context, widths) = &mut *cell.borrow_mut();
        if let Some(&w) = widths.get(text) {
            return w;
        }
        if context.is_none() {
            *context = measuring_context();
        }
        let w = context
            .as_ref()
            .and_then(|c| c.measure_text(text).ok())
            .map_or_else(|| estimate(text), |m| m.width());
        widths.insert(text.to_string(), w);
        w
    })
}

/// An average bold glyph is about 0.6 em wide.
fn estimate(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_SIZE * 0.6
}

fn measuring_context() -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?;
    let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().ok()?;
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.set_font(LABEL_FONT);
    Some(context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Every character 10 units wide.
    fn fixed(text: &str) -> f64 {
        text.chars().count() as f64 * 10.0
    }

    #[wasm_bindgen_test]
    fn a_label_that_fits_stays_on_one_line() {
        assert_eq!(lines("Users", 100.0, &fixed), ["Users"]);
        assert_eq!(lines("  Cache A ", 100.0, &fixed), ["Cache A"]);
    }

    #[wasm_bindgen_test]
    fn a_long_label_wraps_between_words() {
        assert_eq!(lines("Message Queue", 100.0, &fixed), ["Message", "Queue"]);
        assert_eq!(
            lines("Load Balancer East", 100.0, &fixed),
            ["Load", "Balancer", "East"]
        );
        assert_eq!(
            lines("Server, 4 waiting places", 100.0, &fixed),
            ["Server, 4", "waiting", "places"]
        );
    }

    #[wasm_bindgen_test]
    fn a_word_too_long_for_a_line_breaks_inside_it_and_no_line_is_too_wide() {
        let got = lines("Authentication", 100.0, &fixed);
        assert_eq!(got, ["Authentica", "tion"]);
        let long = lines("A very long label that says far too much", 100.0, &fixed);
        assert_eq!(long, ["A very", "long label", "that says…"]);
        assert!(long.iter().all(|l| fixed(l) <= 100.0), "{long:?}");
    }

    #[wasm_bindgen_test]
    fn the_browser_measures_the_shipped_labels_into_whole_lines() {
        for label in [
            "Message Queue",
            "Load Balancer",
            "API Gateway",
            "Database B",
            "Users",
        ] {
            let got = lines(label, LABEL_ROOM, &label_width);
            assert!((1..=2).contains(&got.len()), "{label}: {got:?}");
            assert!(
                got.iter().all(|l| label_width(l) <= LABEL_ROOM),
                "{label}: {got:?}"
            );
            assert_eq!(got.join(" "), label, "nothing cut off");
        }
    }
}
