//! A [`Json`] tree to text, laid out as people read it in a file: two-space indents, one field
//! per line, empty arrays and objects as `[]` and `{}`.

use super::number::write_number;
use super::Json;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A value as a JSON tree.
pub trait ToJson {
    /// The tree the value is written as.
    fn to_tree(&self) -> Json;
}

impl ToJson for f64 {
    fn to_tree(&self) -> Json {
        Json::Number(*self)
    }
}

impl ToJson for u64 {
    fn to_tree(&self) -> Json {
        Json::Integer(*self)
    }
}

impl ToJson for u32 {
    fn to_tree(&self) -> Json {
        Json::Integer(u64::from(*self))
    }
}

impl ToJson for bool {
    fn to_tree(&self) -> Json {
        Json::Bool(*self)
    }
}

impl ToJson for String {
    fn to_tree(&self) -> Json {
        Json::String(self.clone())
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_tree(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_tree)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_tree(&self) -> Json {
        Json::Array(self.iter().map(T::to_tree).collect())
    }
}

/// An object, in the map's key order.
impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_tree(&self) -> Json {
        Json::Object(
            self.iter()
                .map(|(key, value)| (key.clone(), value.to_tree()))
                .collect(),
        )
    }
}

/// The tree as indented text.
pub fn pretty(value: &Json) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(0));
    out
}

/// The tree as text on one line, without spaces.
pub fn compact(value: &Json) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None);
    out
}

/// `indent` is the nesting level when laid out over lines, `None` for one line.
fn write_value(out: &mut String, value: &Json, indent: Option<usize>) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Integer(n) => {
            let _ = write!(out, "{n}");
        }
        Json::Number(x) => write_number(out, *x),
        Json::String(s) => write_string(out, s),
        Json::Array(items) => write_list(out, b'[', items, indent, |out, item, indent| {
            write_value(out, item, indent)
        }),
        Json::Object(fields) => {
            write_list(out, b'{', fields, indent, |out, (key, value), indent| {
                write_string(out, key);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write_value(out, value, indent);
            })
        }
    }
}

/// Items between `open` and its closing bracket, one per line when indented.
fn write_list<T>(
    out: &mut String,
    open: u8,
    items: &[T],
    indent: Option<usize>,
    write_item: impl Fn(&mut String, &T, Option<usize>),
) {
    let close = if open == b'[' { ']' } else { '}' };
    out.push(char::from(open));
    let inner = indent.map(|level| level + 1);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        new_line(out, inner);
        write_item(out, item, inner);
    }
    if !items.is_empty() {
        new_line(out, indent);
    }
    out.push(close);
}

/// A line break and the indent of `level` (nothing on one line).
fn new_line(out: &mut String, level: Option<usize>) {
    if let Some(level) = level {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_the_familiar_one() {
        let tree = Json::object([
            ("version", Json::Integer(1)),
            ("rate", Json::Number(100.0)),
            ("tags", Json::Array(vec![Json::String("a".into())])),
            ("none", Json::Array(vec![])),
            ("run", Json::object([("requests", Json::Null)])),
        ]);
        let text = "{\n  \"version\": 1,\n  \"rate\": 100.0,\n  \"tags\": [\n    \"a\"\n  ],\n  \
                    \"none\": [],\n  \"run\": {\n    \"requests\": null\n  }\n}";
        assert_eq!(pretty(&tree), text);
    }

    #[test]
    fn compact_text_has_no_spaces() {
        let tree = Json::object([("a", Json::Array(vec![Json::Integer(1), Json::Null]))]);
        assert_eq!(compact(&tree), r#"{"a":[1,null]}"#);
    }
}
