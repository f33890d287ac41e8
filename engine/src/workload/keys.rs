//! Key spaces: which keys a client's requests touch, uniformly or with Zipf popularity.

use crate::components::settings::settings;
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;

settings! {
    /// Which keys requests touch.
    pub struct KeySpace as "keys" {
        /// Number of distinct keys.
        count: u64 = 10_000, tag 1, always;
        /// How popular each key is.
        popularity: Popularity = Popularity::Uniform, tag 2, always;
    }
}

/// Key popularity.
#[derive(Clone, Debug, PartialEq)]
pub enum Popularity {
    /// Every key equally likely.
    Uniform,
    /// Key of rank k has weight k^-s: a few hot keys, a long tail (s near 1 is typical).
    Zipf {
        /// The exponent.
        s: f64,
    },
}

/// Written as `"uniform"` or `{"zipf": {"s": 1.1}}`.
impl FromJson for Popularity {
    fn from_tree(value: &Json) -> Result<Self, ReadError> {
        let (name, settings) = variant(value, &["uniform"], &["zipf"])?;
        match name {
            "uniform" => Ok(Popularity::Uniform),
            _ => variant_fields(name, settings, &["s"], |f| {
                Ok(Popularity::Zipf { s: f.req("s")? })
            }),
        }
    }
}

impl ToJson for Popularity {
    fn to_tree(&self) -> Json {
        match *self {
            Popularity::Uniform => Json::String("uniform".into()),
            Popularity::Zipf { s } => Json::tagged("zipf", Json::object([("s", s.to_tree())])),
        }
    }
}

impl Popularity {
    /// Problems with the value, as (field, message); fields are under `keys.popularity`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        match *self {
            Popularity::Zipf { s } if !(s.is_finite() && s > 0.0 && s <= 10.0) => vec![(
                "keys.popularity.s",
                "the Zipf exponent must be between 0 and 10 (1 is typical)".into(),
            )],
            _ => Vec::new(),
        }
    }
}

/// In a version-2 link: a variant tag (constant, append-only), then the exponent.
impl LinkValue for Popularity {
    fn write(&self, w: &mut Writer, _: &IdIndex) {
        match *self {
            Popularity::Uniform => w.byte(0),
            Popularity::Zipf { s } => {
                w.byte(1);
                w.number(s);
            }
        }
    }

    fn read(r: &mut Reader, _: &[String], field: &str) -> Result<Self, LinkError> {
        Ok(match r.byte(field)? {
            0 => Popularity::Uniform,
            1 => Popularity::Zipf {
                s: r.number(field)?,
            },
            tag => return Err(unknown_variant(field, tag)),
        })
    }
}
