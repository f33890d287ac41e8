//! Typed reading of a [`Json`] tree, with errors that name the path to the fault.

use super::Json;
use std::collections::BTreeMap;
use std::fmt;

/// Why a tree is not the value asked for, and where: `run.warmup_s: expected a number, found
/// a string`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    path: String,
    message: String,
}

impl ReadError {
    /// A fault at the value being read.
    pub fn new(message: impl Into<String>) -> Self {
        ReadError {
            path: String::new(),
            message: message.into(),
        }
    }

    /// The same fault, seen from the object or array that holds the value under `step`.
    fn within(mut self, step: &str) -> Self {
        let joiner = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            "."
        };
        self.path = format!("{step}{joiner}{}", self.path);
        self
    }

    fn expected(what: &str, found: &Json) -> Self {
        ReadError::new(format!("expected {what}, found {}", found.describe()))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A value that can be read from a JSON tree.
pub trait FromJson: Sized {
    /// Reads the value, or says what is wrong with the tree.
    fn from_tree(value: &Json) -> Result<Self, ReadError>;
}

impl FromJson for f64 {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match *value {
            Json::Integer(n) => Ok(n as f64),
            Json::Number(x) => Ok(x),
            ref other => Err(ReadError::expected("a number", other)),
        }
    }
}

impl FromJson for u64 {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match *value {
            Json::Integer(n) => Ok(n),
            Json::Number(x) => Err(ReadError::new(format!(
                "expected a whole number, 0 or more, found {x}"
            ))),
            ref other => Err(ReadError::expected("a whole number", other)),
        }
    }
}

impl FromJson for u32 {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let n = u64::from_tree(value)?;
        u32::try_from(n)
            .map_err(|_| ReadError::new(format!("{n} is too large; the most is {}", u32::MAX)))
    }
}

impl FromJson for bool {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match *value {
            Json::Bool(b) => Ok(b),
            ref other => Err(ReadError::expected("true or false", other)),
        }
    }
}

impl FromJson for String {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match value {
            Json::String(s) => Ok(s.clone()),
            other => Err(ReadError::expected("a string", other)),
        }
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        match value {
            Json::Null => Ok(None),
            other => T::from_tree(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let Json::Array(items) = value else {
            return Err(ReadError::expected("an array", value));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_tree(item).map_err(|e| e.within(&format!("[{i}]"))))
            .collect()
    }
}

/// An object whose keys are names chosen by the writer (`{"default.json": {…}}`), each value
/// read as `T`. A key given twice is refused, as [`Fields`] refuses one.
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let Json::Object(fields) = value else {
            return Err(ReadError::expected("an object", value));
        };
        let mut map = BTreeMap::new();
        for (key, item) in fields {
            let read = T::from_tree(item).map_err(|e| e.within(key))?;
            if map.insert(key.clone(), read).is_some() {
                return Err(ReadError::new(format!("the key `{key}` is given twice")));
            }
        }
        Ok(map)
    }
}

/// The fields of one JSON object, checked against the keys its type knows.
pub struct Fields<'a> {
    fields: &'a [(String, Json)],
}

impl<'a> Fields<'a> {
    /// The object's fields. Refuses anything but an object, a key outside `known` (a typo
    /// would otherwise be silently ignored) and a key given twice.
    pub fn of(value: &'a Json, known: &[&str]) -> Result<Self, ReadError> {
        let Json::Object(fields) = value else {
            return Err(ReadError::expected("an object", value));
        };
        for (i, (key, _)) in fields.iter().enumerate() {
            if !known.contains(&key.as_str()) {
                return Err(ReadError::new(format!(
                    "unknown field `{key}`; the fields are {}",
                    known.join(", ")
                )));
            }
            if fields[..i].iter().any(|(k, _)| k == key) {
                return Err(ReadError::new(format!("the field `{key}` is given twice")));
            }
        }
        Ok(Fields { fields })
    }

    /// The value under `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value under `key`, which must be present.
    pub fn req<T: FromJson>(&self, key: &str) -> Result<T, ReadError> {
        match self.get(key) {
            Some(value) => T::from_tree(value).map_err(|e| e.within(key)),
            None => Err(ReadError::new(format!("missing field `{key}`"))),
        }
    }

    /// The value under `key`, or `default` when it is left out.
    pub fn or<T: FromJson>(&self, key: &str, default: T) -> Result<T, ReadError> {
        match self.get(key) {
            Some(value) => T::from_tree(value).map_err(|e| e.within(key)),
            None => Ok(default),
        }
    }
}

/// An enum value: its variant's name and, for a variant with settings, the settings. A variant
/// without settings is written as its name (`"round_robin"`), one with settings as a one-key
/// object (`{"zipf": {"s": 1.1}}`). `plain` and `with_settings` are the variants there are.
pub fn variant<'a>(
    value: &'a Json,
    plain: &[&str],
    with_settings: &[&str],
) -> Result<(&'a str, Option<&'a Json>), ReadError> {
    let (name, data) = match value {
        Json::String(name) => (name.as_str(), None),
        Json::Object(fields) if fields.len() == 1 => (fields[0].0.as_str(), Some(&fields[0].1)),
        other => {
            return Err(ReadError::expected(
                "a name in quotes or an object with one key",
                other,
            ))
        }
    };
    let known = plain.contains(&name) || with_settings.contains(&name);
    if !known {
        let all: Vec<&str> = plain.iter().chain(with_settings).copied().collect();
        return Err(ReadError::new(format!(
            "unknown variant `{name}`; it is one of {}",
            all.join(", ")
        )));
    }
    match (data, with_settings.contains(&name)) {
        (Some(_), false) => Err(ReadError::new(format!(
            "`{name}` has no settings: write it as \"{name}\""
        ))),
        (None, true) => Err(ReadError::new(format!(
            "`{name}` needs its settings, as {{\"{name}\": …}}"
        ))),
        _ => Ok((name, data)),
    }
}

/// Reads the settings of a variant (from [`variant`]) as an object with the `known` keys.
pub fn variant_fields<T>(
    name: &str,
    settings: Option<&Json>,
    known: &[&str],
    read: impl FnOnce(&Fields) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let settings = settings.unwrap_or(&Json::Null);
    Fields::of(settings, known)
        .and_then(|f| read(&f))
        .map_err(|e| e.within(name))
}

/// Reads the settings of a variant (from [`variant`]) that holds a single value.
pub fn variant_value<T: FromJson>(name: &str, settings: Option<&Json>) -> Result<T, ReadError> {
    T::from_tree(settings.unwrap_or(&Json::Null)).map_err(|e| e.within(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[derive(Debug, PartialEq)]
    struct Run {
        warmup_s: f64,
        requests: Option<u64>,
    }

    impl FromJson for Run {
        fn from_tree(value: &Json) -> Result<Self, ReadError> {
            let f = Fields::of(value, &["warmup_s", "requests"])?;
            Ok(Run {
                warmup_s: f.or("warmup_s", 0.0)?,
                requests: f.or("requests", Some(10))?,
            })
        }
    }

    fn read<T: FromJson>(text: &str) -> Result<T, String> {
        T::from_tree(&parse(text).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_fill_what_is_left_out_and_null_is_none() {
        assert_eq!(
            read::<Run>("{}"),
            Ok(Run {
                warmup_s: 0.0,
                requests: Some(10)
            })
        );
        assert_eq!(
            read::<Run>(r#"{"requests": null, "warmup_s": 2}"#),
            Ok(Run {
                warmup_s: 2.0,
                requests: None
            })
        );
    }

    #[test]
    fn errors_name_the_path() {
        assert_eq!(
            read::<Vec<Run>>(r#"[{}, {"warmup_s": "soon"}]"#).unwrap_err(),
            "[1].warmup_s: expected a number, found a string"
        );
        assert_eq!(
            read::<Run>(r#"{"warmup": 1}"#).unwrap_err(),
            "unknown field `warmup`; the fields are warmup_s, requests"
        );
        assert_eq!(
            read::<Run>(r#"{"requests": 1.5}"#).unwrap_err(),
            "requests: expected a whole number, 0 or more, found 1.5"
        );
        assert!(read::<Run>(r#"{"requests": 1, "requests": 2}"#)
            .unwrap_err()
            .contains("twice"));
        assert!(read::<u32>("4294967296").unwrap_err().contains("too large"));
    }

    #[test]
    fn maps_read_any_keys_and_refuse_one_given_twice() {
        let runs = read::<BTreeMap<String, Run>>(r#"{"b": {}, "a": {"warmup_s": 1}}"#).unwrap();
        let keys: Vec<&str> = runs.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(runs["a"].warmup_s, 1.0);
        assert_eq!(
            read::<BTreeMap<String, Run>>(r#"{"a": {"warmup_s": "soon"}}"#).unwrap_err(),
            "a.warmup_s: expected a number, found a string"
        );
        assert_eq!(
            read::<BTreeMap<String, u64>>(r#"{"a": 1, "a": 2}"#).unwrap_err(),
            "the key `a` is given twice"
        );
        assert!(read::<BTreeMap<String, u64>>("[]").is_err());
    }

    #[test]
    fn variants_are_names_or_one_key_objects() {
        let (plain, with) = (["uniform"], ["zipf"]);
        let zipf = parse(r#"{"zipf": {"s": 1.1}}"#).unwrap();
        let (name, settings) = variant(&zipf, &plain, &with).unwrap();
        let s: f64 = variant_fields(name, settings, &["s"], |f| f.req("s")).unwrap();
        assert_eq!(s, 1.1);
        assert_eq!(
            variant(&Json::String("uniform".into()), &plain, &with),
            Ok(("uniform", None))
        );
        let err = |text: &str| {
            variant(&parse(text).unwrap(), &plain, &with)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(r#""pareto""#),
            "unknown variant `pareto`; it is one of uniform, zipf"
        );
        assert!(err(r#""zipf""#).contains("needs its settings"));
        assert!(err(r#"{"uniform": {}}"#).contains("has no settings"));
        let zipf = parse(r#"{"zipf": {"s": "big"}}"#).unwrap();
        let (name, settings) = variant(&zipf, &plain, &with).unwrap();
        let err = variant_fields::<f64>(name, settings, &["s"], |f| f.req("s")).unwrap_err();
        assert_eq!(err.to_string(), "zipf.s: expected a number, found a string");
    }
}
