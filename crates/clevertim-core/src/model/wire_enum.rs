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

            /// The value spelled exactly as on the wire; anything else is kept as `Other`.
            fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        /// Parses a value written by a person: any case (`mobile`, `MOBILE` and `Mobile` are
        /// all `Mobile`); a value this SDK does not know is kept as `Other` and refused on
        /// save, with the closest known value suggested. (What the server sends is read as
        /// it is spelled.)
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let exact = $name::from_wire(s);
                if exact.is_known() {
                    return Ok(exact);
                }
                Ok($crate::model::wire_enum::match_any_case(s, &[$($wire),*])
                    .map_or(exact, $name::from_wire))
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
                Ok($name::from_wire(&s))
            }
        }

        impl $crate::model::codec::Validate for $name {
            fn check(&self) -> Result<(), $crate::model::codec::InvalidValue> {
                if self.is_known() {
                    Ok(())
                } else {
                    Err($crate::model::codec::InvalidValue::new(
                        self,
                        format!(
                            "is not one of {}{}",
                            Self::known_list(),
                            $crate::model::wire_enum::did_you_mean(self.as_str(), &[$($wire),*]),
                        ),
                    ))
                }
            }
        }
    };
}

/// The known spelling equal to `input` but for ASCII case, if any.
pub(crate) fn match_any_case(input: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .copied()
        .find(|k| k.eq_ignore_ascii_case(input))
}

/// ` (did you mean `Mobile`?)` when a known value is close to `input` (ignoring case), else
/// nothing.
pub(crate) fn did_you_mean(input: &str, known: &[&'static str]) -> String {
    let input = input.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&input, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::model::codec::Validate;
    use crate::{PhoneType, TaskType};

    #[test]
    fn people_may_write_any_case_the_wire_is_read_as_spelled() {
        assert_eq!(PhoneType::from("mobile"), PhoneType::Mobile);
        assert_eq!("MOBILE".parse::<PhoneType>(), Ok(PhoneType::Mobile));
        assert_eq!(TaskType::from("follow UP"), TaskType::FollowUp);
        let read: PhoneType = serde_json::from_str(r#""mobile""#).expect("a string");
        assert_eq!(
            read,
            PhoneType::Other("mobile".into()),
            "kept as the server sent it"
        );
    }

    #[test]
    fn a_refused_value_suggests_the_closest() {
        let refused = PhoneType::from("Mobil").check().expect_err("unknown");
        assert!(
            refused.reason.ends_with("(did you mean `Mobile`?)"),
            "{refused:?}"
        );
        let refused = PhoneType::from("Satellite").check().expect_err("unknown");
        assert!(!refused.reason.contains("did you mean"), "{refused:?}");
        assert!(refused.reason.contains("Work, Home, Mobile, Fax, Pager"));
    }
}
