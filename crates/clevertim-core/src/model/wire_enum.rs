//! `wire_enum!`: an enumeration of the API, generated from its variants and their wire
//! spellings.

/// An enumeration of the API: known values as variants, and `Other` for a value the server
/// sends that this SDK does not know yet (kept on read, refused on write).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $doc])* $variant, )*
            /// A value this SDK does not know; kept as the server sent it.
            Other(String),
        }

        impl $name {
            /// Every value this SDK knows, in the API's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as it is spelled on the wire (examples: [`CustomerType`] and
            /// [`PhoneType`]).
            ///
            /// [`CustomerType`]: crate::CustomerType
            /// [`PhoneType`]: crate::PhoneType
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }

            /// Whether this SDK knows the value; an unknown one is kept on read and
            /// refused on write (example: [`PhoneType`]).
            ///
            /// [`PhoneType`]: crate::PhoneType
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            /// The wire spellings of every known value, for error messages.
            fn known_list() -> String {
                [$($wire),*].join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(&*s))
            }
        }

        impl $crate::model::codec::Validate for $name {
            fn check(&self) -> Result<(), $crate::model::codec::InvalidValue> {
                if self.is_known() {
                    Ok(())
                } else {
                    Err($crate::model::codec::InvalidValue::new(
                        self,
                        format!("is not one of {}", Self::known_list()),
                    ))
                }
            }
        }
    };
}
