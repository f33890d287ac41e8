//! Node ids and labels in a version-2 link. The editor names what it adds `<kind>_<n>`, and
//! people often label a node with its id's words (`cache_a` / `Cache A`); either costs a byte
//! or two instead of the text.
//!
//! ```text
//! id     varint 0, then n          the editor's id `<kind name>_<n>`
//!        varint len + 1, UTF-8     any other id
//! label  varint 0                  the id's words, capitalised: `cache_a` -> `Cache A`
//!        varint len + 1, UTF-8     any other label
//! ```
//! Only what never changes may give a link its meaning: a kind's name is part of the scenario
//! format (files name kinds by it), and the id's words are a function of the id. A kind's
//! title is not (it may be reworded), so unlike version 1 there is no "editor's label" code;
//! the preset dictionary holds the titles' words, so such a label still costs a few bytes. The
//! id's words are version 1's function, frozen with it.

use super::super::v1::names::id_words;
use super::super::wire::{Reader, Writer};
use super::super::LinkError;
use crate::components::Kind;

/// Writes a node's id.
pub fn write_id(w: &mut Writer, kind: Kind, id: &str) {
    match editor_number(kind, id) {
        Some(n) => {
            w.varint(0);
            w.varint(n);
        }
        None => text(w, id),
    }
}

/// Reads what [`write_id`] wrote.
pub fn read_id(r: &mut Reader, kind: Kind) -> Result<String, LinkError> {
    match r.varint("id")? {
        0 => Ok(format!("{}_{}", kind.name(), r.varint("id")?)),
        len => r.text(len - 1, "id"),
    }
}

/// Writes a node's label, given its id.
pub fn write_label(w: &mut Writer, id: &str, label: &str) {
    if id_words(id) == label {
        w.varint(0);
    } else {
        text(w, label);
    }
}

/// Reads what [`write_label`] wrote.
pub fn read_label(r: &mut Reader, id: &str) -> Result<String, LinkError> {
    match r.varint("label")? {
        0 => Ok(id_words(id)),
        len => r.text(len - 1, "label"),
    }
}

fn text(w: &mut Writer, s: &str) {
    w.count(s.len() + 1);
    w.bytes(s.as_bytes());
}

/// `n` if `id` is exactly what the editor names the n-th node of this kind.
fn editor_number(kind: Kind, id: &str) -> Option<u64> {
    let digits = id.strip_prefix(kind.name())?.strip_prefix('_')?;
    let n: u64 = digits.parse().ok()?;
    (n.to_string() == digits).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(kind: Kind, id: &str, label: &str) -> usize {
        let mut w = Writer::default();
        write_id(&mut w, kind, id);
        write_label(&mut w, id, label);
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        let back = read_id(&mut r, kind).unwrap();
        assert_eq!(back, id);
        assert_eq!(read_label(&mut r, &back).unwrap(), label);
        r.finish().unwrap();
        bytes.len()
    }

    #[test]
    fn editor_ids_and_id_word_labels_cost_a_few_bytes() {
        assert_eq!(round_trip(Kind::Cache, "cache_a", "Cache A"), 9);
        assert_eq!(round_trip(Kind::Service, "service_12", "Service 12"), 3);
        assert_eq!(round_trip(Kind::LoadBalancer, "lb", "Lb"), 4);
    }

    #[test]
    fn anything_else_travels_as_text() {
        round_trip(Kind::Service, "service_01", "Service 01");
        round_trip(Kind::Service, "service_1", "Service 2");
        round_trip(Kind::Service, "service_1", "");
        round_trip(Kind::Cache, "c", "Cache ✓ 東京");
        round_trip(Kind::Database, "", "");
    }
}
