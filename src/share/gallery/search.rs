//! What the gallery shows of a scenario's description, and which stories a search keeps.

use super::index::Story;

/// The first sentence of the first line of `description`: the gallery's one line. A story's
/// description opens with what it shows and goes on with what to watch, so the first
/// sentence is the one that fits on a tile.
pub fn one_line(description: &str) -> &str {
    let line = description.trim().lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(end) => &line[..=end],
        None => line,
    }
}

/// Whether `story` matches every word of `query`, in its label, its group or the
/// descriptions of its files (`descriptions`, as far as they have been fetched). ASCII case
/// is ignored: `to_lowercase` would bring Unicode's case tables into the bundle for labels
/// that are ASCII.
pub fn matches(story: &Story, descriptions: &[&str], query: &str) -> bool {
    let mut text = format!("{} {}", story.label, story.group);
    for description in descriptions {
        text.push(' ');
        text.push_str(description);
    }
    let text = text.to_ascii_lowercase();
    query
        .split_whitespace()
        .all(|word| text.contains(&word.to_ascii_lowercase()))
}
