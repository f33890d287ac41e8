//! Optional fields: a bit mask saying which fields differ from their defaults, then only those
//! fields' values, in table order. A default field costs nothing; a new field can be added at
//! the end of a table by a new link version without disturbing the others.

use super::wire::{malformed, Reader, Writer};
use super::LinkError;

/// Collects the fields that differ from their defaults, in table order.
pub struct FieldWriter {
    mask: u64,
    next_bit: u32,
    values: Writer,
}

impl FieldWriter {
    /// An empty table.
    pub fn new() -> Self {
        FieldWriter {
            mask: 0,
            next_bit: 0,
            values: Writer::default(),
        }
    }

    /// The next field of the table: written with `write` only if `differs`.
    pub fn field(&mut self, differs: bool, write: impl FnOnce(&mut Writer)) -> &mut Self {
        if differs {
            self.mask |= 1 << self.next_bit;
            write(&mut self.values);
        }
        self.next_bit += 1;
        self
    }

    /// A boolean field with no value: the bit alone says it is set.
    pub fn flag(&mut self, set: bool) -> &mut Self {
        self.field(set, |_| {})
    }

    /// Writes the mask and the values.
    pub fn finish(&mut self, w: &mut Writer) {
        w.varint(self.mask);
        w.bytes(&std::mem::take(&mut self.values).finish());
    }
}

/// Which fields of a table a link holds; asked in table order.
pub struct FieldMask {
    mask: u64,
    next_bit: u32,
}

impl FieldMask {
    /// Reads the mask of a table with `fields` fields, refusing bits beyond them.
    pub fn read(r: &mut Reader, field: &str, fields: u32) -> Result<Self, LinkError> {
        let mask = r.varint(field)?;
        if fields < 64 && mask >> fields != 0 {
            return Err(malformed(
                field,
                format!("names fields this version does not have (mask {mask:#x})"),
            ));
        }
        Ok(FieldMask { mask, next_bit: 0 })
    }

    /// Whether the next field in the table is present.
    pub fn next(&mut self) -> bool {
        let present = self.mask >> self.next_bit & 1 == 1;
        self.next_bit += 1;
        present
    }

    /// The next field: read with `read` if present, else `default` (what a clear bit stands
    /// for in this table).
    pub fn next_or<T>(
        &mut self,
        default: T,
        read: impl FnOnce() -> Result<T, LinkError>,
    ) -> Result<T, LinkError> {
        if self.next() {
            read()
        } else {
            Ok(default)
        }
    }
}
