//! Node ids and labels, which are most of a link's bytes. The editor names what it adds
//! `<kind>_<n>` / `<Title> <n>` (`service_3` / `Service 3`), and people often label a node
//! with its id's words (`cache_a` / `Cache A`); either costs one byte here instead of the text.
//! The kind names and titles are version 1's own (kinds.rs), so an id or a label a link
//! spells as "the editor's" reads the same whatever the engine calls its kinds later.
//!
//! ```text
//! id     varint 0, then n          the editor's id `<kind>_<n>`
//!        varint len + 1, UTF-8     any other id
//! label  varint 0                  the editor's label for that id, `<Title> <n>`
//!        varint 1                  the id's words, capitalised: `cache_a` -> `Cache A`
//!        varint len + 2, UTF-8     any other label
//! ```

use super::kinds::KindEntry;
use crate::link::wire::{malformed, Reader, Writer};
use crate::link::LinkError;

/// Writes a node's id.
pub fn write_id(w: &mut Writer, kind: &KindEntry, id: &str) {
    match editor_number(kind, id) {
        Some(n) => {
            w.varint(0);
            w.varint(n);
        }
        None => {
            w.count(id.len() + 1);
            w.bytes(id.as_bytes());
        }
    }
}

/// Reads what [`write_id`] wrote.
pub fn read_id(r: &mut Reader, kind: &KindEntry) -> Result<String, LinkError> {
    match r.varint("id")? {
        0 => Ok(format!("{}_{}", kind.name, r.varint("id")?)),
        len => r.text(len - 1, "id"),
    }
}

/// Writes a node's label, given its kind and id.
pub fn write_label(w: &mut Writer, kind: &KindEntry, id: &str, label: &str) {
    if editor_label(kind, id).is_some_and(|l| l == label) {
        w.varint(0);
    } else if id_words(id) == label {
        w.varint(1);
    } else {
        w.count(label.len() + 2);
        w.bytes(label.as_bytes());
    }
}

/// Reads what [`write_label`] wrote.
pub fn read_label(r: &mut Reader, kind: &KindEntry, id: &str) -> Result<String, LinkError> {
    match r.varint("label")? {
        0 => editor_label(kind, id).ok_or_else(|| {
            malformed(
                "label",
                "says it is the editor's label, but the id is not the editor's",
            )
        }),
        1 => Ok(id_words(id)),
        len => r.text(len - 2, "label"),
    }
}

/// `n` if `id` is exactly what the editor names the n-th node of this kind.
fn editor_number(kind: &KindEntry, id: &str) -> Option<u64> {
    let digits = id.strip_prefix(kind.name)?.strip_prefix('_')?;
    let n: u64 = digits.parse().ok()?;
    (n.to_string() == digits).then_some(n)
}

/// The label the editor gives a node it adds with this id.
fn editor_label(kind: &KindEntry, id: &str) -> Option<String> {
    editor_number(kind, id).map(|n| format!("{} {n}", kind.title))
}

/// The id's words, each capitalised, joined by spaces (version 2's labels use the same words).
pub(in crate::link) fn id_words(id: &str) -> String {
    let words: Vec<String> = id
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| {
                    std::iter::once(first.to_ascii_uppercase())
                        .chain(chars)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::kinds::KINDS;
    use super::*;

    /// Version 1's entry for the kind named `name`.
    fn kind(name: &str) -> &'static KindEntry {
        KINDS.iter().find(|k| k.name == name).unwrap()
    }

    fn round_trip(kind: &KindEntry, id: &str, label: &str) -> usize {
        let mut w = Writer::default();
        write_id(&mut w, kind, id);
        write_label(&mut w, kind, id, label);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        let back_id = read_id(&mut r, kind).unwrap();
        assert_eq!(back_id, id);
        assert_eq!(read_label(&mut r, kind, &back_id).unwrap(), label);
        r.finish().unwrap();
        bytes.len()
    }

    #[test]
    fn the_editors_names_take_three_bytes() {
        assert_eq!(
            round_trip(
                kind("load_balancer"),
                "load_balancer_12",
                "Load balancer 12"
            ),
            3
        );
        assert_eq!(round_trip(kind("queue"), "queue_2", "Message queue 2"), 3);
        assert_eq!(round_trip(kind("service"), "service_a", "Service A"), 11);
        assert_eq!(round_trip(kind("worker"), "worker", "Worker"), 8);
    }

    #[test]
    fn the_editors_label_is_made_of_version_1s_title() {
        let mut r = Reader::new(&[0, 7, 0]);
        let id = read_id(&mut r, kind("api_gateway")).unwrap();
        assert_eq!(id, "api_gateway_7");
        assert_eq!(
            read_label(&mut r, kind("api_gateway"), &id).unwrap(),
            "API gateway 7"
        );
    }

    #[test]
    fn anything_else_is_written_out() {
        round_trip(kind("service"), "service_01", "Service 01");
        round_trip(kind("service"), "service_1", "Service 2");
        round_trip(kind("service"), "service_1", "");
        round_trip(kind("cache"), "service_1", "Service 1");
        round_trip(kind("cache"), "c", "Cache ✓ 東京");
        round_trip(kind("cache"), "__x", "  X");
        round_trip(kind("database"), "", "");
        round_trip(
            kind("database"),
            "database_18446744073709551615",
            "Database 18446744073709551615",
        );
    }

    #[test]
    fn an_editor_label_for_a_hand_written_id_is_refused() {
        let err = read_label(&mut Reader::new(&[0]), kind("cache"), "c").unwrap_err();
        assert!(err.to_string().contains("label"), "{err}");
    }
}
