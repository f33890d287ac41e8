//! How one value travels in a version-2 link, and the tagged tables that carry a config.
//!
//! ```text
//! table    (tag, value)* then tag 0: only the fields that differ from their defaults, each
//!          named by its field's constant tag; a tag this build does not know means a newer
//!          playground wrote the link
//! u32, u64 varint
//! f64      number (wire.rs: whole, thousandths or raw)
//! bool     byte 0 or 1
//! String   string
//! Option   byte 0 = none, 1 = some, then the value
//! Vec      varint count, then the values
//! node id  a node reference (refs.rs): its index in the node list
//! choice   a byte naming the variant (its constant tag), then its parameters in order
//! ```

use super::super::refs::{self, IdIndex};
use super::super::wire::{malformed, Reader, Writer};
use super::super::LinkError;

/// A value that a version-2 link can hold. `ids` resolve node references (every node's id, in
/// node order).
pub trait LinkValue: Sized {
    /// Appends the value.
    fn write(&self, w: &mut Writer, ids: &IdIndex);
    /// Reads what [`LinkValue::write`] wrote; `field` names it in errors.
    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError>;
}

/// How a config field's value is written when its type alone does not say (node ids are
/// strings in the document but references in a link). [`Plain`] writes the type's own way.
pub trait FieldCodec<T> {
    /// Appends the value.
    fn write(value: &T, w: &mut Writer, ids: &IdIndex);
    /// Reads it back.
    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<T, LinkError>;
}

/// A value written as its type writes itself.
pub struct Plain;

impl<T: LinkValue> FieldCodec<T> for Plain {
    fn write(value: &T, w: &mut Writer, ids: &IdIndex) {
        value.write(w, ids);
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<T, LinkError> {
        T::read(r, ids, field)
    }
}

/// A list of node ids, written as references.
pub struct NodeIds;

impl FieldCodec<Vec<String>> for NodeIds {
    fn write(value: &Vec<String>, w: &mut Writer, ids: &IdIndex) {
        w.count(value.len());
        for id in value {
            ids.write(w, id);
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Vec<String>, LinkError> {
        let n = r.count(field)?;
        (0..n).map(|_| refs::read(r, ids, field)).collect()
    }
}

/// One node id, written as a reference.
pub struct NodeId;

impl FieldCodec<String> for NodeId {
    fn write(value: &String, w: &mut Writer, ids: &IdIndex) {
        ids.write(w, value);
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<String, LinkError> {
        refs::read(r, ids, field)
    }
}

impl LinkValue for u32 {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.varint(u64::from(*self));
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        r.u32(field)
    }
}

impl LinkValue for u64 {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.varint(*self);
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        r.varint(field)
    }
}

impl LinkValue for f64 {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.number(*self);
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        r.number(field)
    }
}

impl LinkValue for bool {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.byte(u8::from(*self));
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        match r.byte(field)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(malformed(field, format!("{b} is not a yes/no byte"))),
        }
    }
}

impl LinkValue for String {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        w.string(self);
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        r.string(field)
    }
}

impl<T: LinkValue> LinkValue for Option<T> {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        match self {
            None => w.byte(0),
            Some(v) => {
                w.byte(1);
                v.write(w, ids);
            }
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        match r.byte(field)? {
            0 => Ok(None),
            1 => T::read(r, ids, field).map(Some),
            b => Err(malformed(field, format!("unknown marker {b}"))),
        }
    }
}

impl<T: LinkValue> LinkValue for Vec<T> {
    fn write(&self, w: &mut Writer, ids: &IdIndex) {
        w.count(self.len());
        for v in self {
            v.write(w, ids);
        }
    }

    fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<Self, LinkError> {
        // Every value takes at least a byte, so a count is checked against what is left
        // before anything is allocated.
        let n = r.count(field)?;
        (0..n).map(|_| T::read(r, ids, field)).collect()
    }
}

/// Reads a table's field tags: each once, 0 ending the table.
#[derive(Default)]
pub struct Tags {
    seen: [u64; 4],
}

impl Tags {
    /// A table not yet read.
    pub fn new() -> Self {
        Tags::default()
    }

    /// The next field's tag, or `None` at the table's end. A repeated tag is refused.
    pub fn next(&mut self, r: &mut Reader, table: &str) -> Result<Option<u8>, LinkError> {
        let tag = r.byte(table)?;
        if tag == 0 {
            return Ok(None);
        }
        let (word, bit) = (usize::from(tag / 64), tag % 64);
        if self.seen[word] >> bit & 1 == 1 {
            return Err(malformed(table, format!("field {tag} is given twice")));
        }
        self.seen[word] |= 1 << bit;
        Ok(Some(tag))
    }
}

/// The refusal for a field tag this build does not know: a newer playground wrote the link.
pub fn unknown_field(table: &str, tag: u8) -> LinkError {
    LinkError::NewerPart {
        what: format!("a {table} field (tag {tag})"),
    }
}

/// The refusal for a choice's variant tag this build does not know.
pub fn unknown_variant(field: &str, tag: u8) -> LinkError {
    LinkError::NewerPart {
        what: format!("a kind of {field} (tag {tag})"),
    }
}
