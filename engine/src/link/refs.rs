//! References to nodes (edge ends, a service's call order, a gateway's route targets) are
//! written as the node's index in the link's node list: one byte instead of the id.
//!
//! An id that names no node (only in a scenario that does not validate) is written as the
//! index one past the last node followed by the id itself, so even a broken diagram survives
//! the trip and the person who opens it is told what is wrong with it, not that the link is.

use super::wire::{malformed, Reader, Writer};
use super::LinkError;
use std::collections::HashMap;

/// Node ids to indices, for writing.
pub struct IdIndex<'a> {
    index: HashMap<&'a str, usize>,
    len: usize,
}

impl<'a> IdIndex<'a> {
    /// Indexes `ids` in order; a repeated id keeps its first index.
    pub fn new(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut index = HashMap::new();
        let mut len = 0;
        for (i, id) in ids.enumerate() {
            index.entry(id).or_insert(i);
            len = i + 1;
        }
        IdIndex { index, len }
    }

    /// Writes a reference to `id`.
    pub fn write(&self, w: &mut Writer, id: &str) {
        match self.index.get(id) {
            Some(&i) => w.count(i),
            None => {
                w.count(self.len);
                w.string(id);
            }
        }
    }
}

/// Reads a reference written by [`IdIndex::write`], given the ids in node order.
pub fn read(r: &mut Reader, ids: &[String], field: &str) -> Result<String, LinkError> {
    let i = r.varint(field)?;
    match usize::try_from(i) {
        Ok(i) if i < ids.len() => Ok(ids[i].clone()),
        Ok(i) if i == ids.len() => r.string(field),
        _ => Err(malformed(
            field,
            format!("refers to node {i}, but there are {} nodes", ids.len()),
        )),
    }
}
