//! What an entry's button holds: the thumbnail, which half it is and its one line, as
//! markup set on the button in one piece (one reactive binding per entry instead of one per
//! part: the gallery's code is most of what it costs the first load). Text from a fetched
//! file is escaped; the thumbnail holds only numbers and engine names.

use super::index::Entry;
use super::search::one_line;
use super::shelf::Load;
use super::thumbnail::{markup as thumbnail_markup, sketch};

/// The inside of `entry`'s button, given what is known of its file.
pub fn markup(entry: Entry, load: Option<&Load>) -> String {
    let (view_box, shapes, line) = match load {
        Some(Load::Ready(scenario)) => {
            let sketch = sketch(scenario);
            let shapes = thumbnail_markup(&sketch);
            (
                sketch.view_box,
                shapes,
                escape(one_line(&scenario.description)),
            )
        }
        Some(Load::Failed(reason)) => (
            String::new(),
            String::new(),
            escape(&format!("Could not be loaded: {reason}.")),
        ),
        Some(Load::Loading) | None => (String::new(), String::new(), "Loading…".to_string()),
    };
    let view_box = if view_box.is_empty() {
        String::new()
    } else {
        format!(r#" viewBox="{view_box}""#)
    };
    let caption = entry.caption();
    let caption = if caption.is_empty() {
        String::new()
    } else {
        format!("<strong>{caption}</strong>")
    };
    format!(
        r#"<svg class="gallery-thumb" aria-hidden="true"{view_box}>{shapes}</svg><span class="gallery-caption">{caption}<span class="gallery-line">{line}</span></span>"#
    )
}

/// `text` safe to place between tags.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
