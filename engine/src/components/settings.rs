//! [`settings!`]: a configuration struct declared once, as a list of fields, each with its type,
//! default, link tag and whether the JSON always shows it. Everything else follows from that
//! list: the struct, its `Default`, its JSON reader (unknown and repeated keys refused, missing
//! ones defaulted) and writer, its version-2 link table, and [`FieldDoc`]s for the docs test.
//!
//! ```text
//! settings! {
//!     /// A queue's size.
//!     pub struct QueueConfig as "queue" {
//!         /// Jobs held at most; `None`: unbounded.
//!         capacity: Option<u64> = None, tag 1, changed;
//!     }
//! }
//! ```
//! `always` fields are written to JSON whatever their value; `changed` ones only when they
//! differ from the default, so a field added later leaves every existing file byte-for-byte
//! as it was. A link holds only fields that differ from their defaults, so a field's default is
//! part of link version 2 and never changes (tests/link_v2.rs pins them). `via Codec` writes a
//! field's link value with a [`crate::link::v2::FieldCodec`] other than its type's own (node
//! ids as references). `within BOUND` declares the field's [`crate::bounds::Bound`]: the
//! generated `bound_problems` refuses values outside it, and the docs list it.

/// One field of a declared configuration, for documentation and the docs test.
#[derive(Clone, Copy, Debug)]
pub struct FieldDoc {
    /// The JSON key.
    pub name: &'static str,
    /// The constant tag naming it in a version-2 link.
    pub tag: u8,
    /// Its doc comment.
    pub doc: &'static str,
    /// Its default, as JSON.
    pub default: fn() -> crate::json::Json,
    /// The range its value must keep to, if declared.
    pub bound: Option<crate::bounds::Bound>,
}

/// Declares a configuration struct from its field list (see the module doc).
macro_rules! settings {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $table:literal {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty = $default:expr, tag $tag:literal, $written:ident
                    $(, via $codec:ty)? $(, within $bound:expr)? ;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $(
                $(#[doc = $doc])+
                pub $field: $ty,
            )+
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    $($field: $default,)+
                }
            }
        }

        /// Fields left out take their defaults.
        impl $crate::json::FromJson for $name {
            fn from_tree(
                value: &$crate::json::Json,
            ) -> Result<Self, $crate::json::ReadError> {
                let f = $crate::json::Fields::of(value, &[$(stringify!($field)),+])?;
                let d = Self::default();
                Ok($name {
                    $($field: f.or(stringify!($field), d.$field)?,)+
                })
            }
        }

        impl $crate::json::ToJson for $name {
            fn to_tree(&self) -> $crate::json::Json {
                let d = Self::default();
                let mut out = $crate::json::Json::object([]);
                $(
                    if $crate::components::settings::written!($written, self.$field, d.$field) {
                        out.push(stringify!($field), $crate::json::ToJson::to_tree(&self.$field));
                    }
                )+
                let _ = d; // a declaration whose fields are all `always` reads no default
                out
            }
        }

        impl $crate::link::v2::LinkValue for $name {
            fn write(
                &self,
                w: &mut $crate::link::v2::Writer,
                ids: &$crate::link::v2::IdIndex,
            ) {
                let d = Self::default();
                $(
                    if self.$field != d.$field {
                        w.byte($tag);
                        <$crate::components::settings::codec!($($codec)?)
                            as $crate::link::v2::FieldCodec<$ty>>::write(&self.$field, w, ids);
                    }
                )+
                w.byte(0);
            }

            fn read(
                r: &mut $crate::link::v2::Reader,
                ids: &[String],
                _field: &str,
            ) -> Result<Self, $crate::link::LinkError> {
                let mut out = Self::default();
                let mut tags = $crate::link::v2::Tags::new();
                while let Some(tag) = tags.next(r, $table)? {
                    match tag {
                        $(
                            $tag => {
                                out.$field = <$crate::components::settings::codec!($($codec)?)
                                    as $crate::link::v2::FieldCodec<$ty>>::read(
                                        r, ids, stringify!($field),
                                    )?;
                            }
                        )+
                        other => return Err($crate::link::v2::unknown_field($table, other)),
                    }
                }
                Ok(out)
            }
        }

        impl $name {
            /// The declared fields, in declaration order.
            pub const FIELDS: &'static [$crate::components::settings::FieldDoc] = &[
                $(
                    $crate::components::settings::FieldDoc {
                        name: stringify!($field),
                        tag: $tag,
                        doc: concat!($($doc),+),
                        default: || {
                            let default: $ty = $default;
                            $crate::json::ToJson::to_tree(&default)
                        },
                        bound: $crate::components::settings::bound!($($bound)?),
                    },
                )+
            ];

            /// The fields whose values are outside their declared bounds, as (field, message).
            #[allow(clippy::vec_init_then_push)]
            pub fn bound_problems(&self) -> Vec<(&'static str, String)> {
                #[allow(unused_mut)]
                let mut out = Vec::new();
                $($(
                    if let Some(message) = $bound.check(stringify!($field), &self.$field) {
                        out.push((stringify!($field), message));
                    }
                )?)+
                out
            }
        }
    };
}

/// True if a field is written to JSON: `always`, or when `changed` from its default.
macro_rules! written {
    (always, $value:expr, $default:expr) => {
        true
    };
    (changed, $value:expr, $default:expr) => {
        $value != $default
    };
}

/// The link codec of a field: the one named with `via`, or the type's own.
macro_rules! codec {
    () => {
        $crate::link::v2::Plain
    };
    ($codec:ty) => {
        $codec
    };
}

/// A field's declared bound, if any.
macro_rules! bound {
    () => {
        None
    };
    ($bound:expr) => {
        Some($bound)
    };
}

/// Declares a choice among plain names (no settings of their own): the enum, its names, its
/// JSON (the name in quotes) and its link value (a constant, append-only variant tag).
///
/// ```text
/// choices! {
///     /// How a wait is randomised.
///     pub enum Jitter as "jitter" {
///         /// Not at all.
///         None = "none", tag 0;
///         /// Uniformly from nothing to the whole wait.
///         Full = "full", tag 1;
///     }
/// }
/// ```
macro_rules! choices {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $(
                $(#[doc = $doc:literal])+
                $variant:ident = $text:literal, tag $tag:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(
                $(#[doc = $doc])+
                $variant,
            )+
        }

        impl $name {
            /// Every choice, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name scenario files use.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The choice with this name.
            pub fn named(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_tree(
                value: &$crate::json::Json,
            ) -> Result<Self, $crate::json::ReadError> {
                let (name, _) = $crate::json::variant(value, &[$($text),+], &[])?;
                Ok(Self::named(name).expect("`variant` accepts only the declared names"))
            }
        }

        impl $crate::json::ToJson for $name {
            fn to_tree(&self) -> $crate::json::Json {
                $crate::json::Json::String(self.name().to_string())
            }
        }

        impl $crate::link::v2::LinkValue for $name {
            fn write(&self, w: &mut $crate::link::v2::Writer, _: &$crate::link::v2::IdIndex) {
                w.byte(match self {
                    $($name::$variant => $tag,)+
                });
            }

            fn read(
                r: &mut $crate::link::v2::Reader,
                _: &[String],
                field: &str,
            ) -> Result<Self, $crate::link::LinkError> {
                Ok(match r.byte(field)? {
                    $($tag => $name::$variant,)+
                    tag => return Err($crate::link::v2::unknown_variant(field, tag)),
                })
            }
        }
    };
}

pub(crate) use bound;
pub(crate) use choices;
pub(crate) use codec;
pub(crate) use settings;
pub(crate) use written;
