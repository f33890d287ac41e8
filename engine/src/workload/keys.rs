//! Key spaces: which keys a client's requests touch, uniformly or with Zipf popularity.

use crate::bounds::Bound;
use crate::components::settings::settings;
use crate::json::{variant, variant_fields, FromJson, Json, ReadError, ToJson};
use crate::link::v2::{unknown_variant, IdIndex, LinkValue, Reader, Writer};
use crate::link::LinkError;

/// How many keys a key space may have. Nothing in a run grows with it (a key is a number
/// drawn when a request is made; Zipf popularity keeps no table, and caches hold at most
/// their capacity), so the limit is precision: a Zipf rank is worked out in a double.
pub const KEY_COUNT: Bound = Bound::new(
    1.0,
    1e15,
    "no part of a run grows with the key count; a key is drawn as a double, exact below 2^53 \
     (9·10^15)",
);

/// A Zipf exponent `s` (also above 0).
pub const ZIPF_S: Bound = Bound::new(
    0.0,
    10.0,
    "at 10 the first key takes 99.9% of the requests; 1 is typical",
);

settings! {
    /// Which keys requests touch.
    pub struct KeySpace as "keys" {
        /// Number of distinct keys.
        count: u64 = 10_000, tag 1, always, within KEY_COUNT;
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
        let Popularity::Zipf { s } = *self else {
            return Vec::new();
        };
        let problem = ZIPF_S.check("s", &s).or_else(|| {
            (s == 0.0).then(|| "s is 0; it must be above 0 (for no hot keys, use uniform)".into())
        });
        problem
            .map(|message| ("keys.popularity.s", message))
            .into_iter()
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_count_and_the_exponent_are_bounded() {
        let keys = |count| KeySpace {
            count,
            popularity: Popularity::Uniform,
        };
        assert!(keys(1_000_000_000_000_000).bound_problems().is_empty());
        let refused = keys(1_000_000_000_000_001).bound_problems();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].0, "count");
        assert!(refused[0]
            .1
            .starts_with("count is 1.000000000000001e15; it must be from 1 to 1e15: "));
        assert_eq!(keys(0).bound_problems()[0].0, "count");
        let s = |s| Popularity::Zipf { s }.problems();
        assert!(s(10.0).is_empty() && s(0.001).is_empty());
        for bad in [0.0, -1.0, 10.5, f64::NAN] {
            assert_eq!(s(bad)[0].0, "keys.popularity.s", "{bad}");
        }
    }
}
