//! Reading ids and keys from text (`"367".parse::<Id>()`), with an error that says what was
//! wrong.

use std::str::FromStr;

use super::{Id, Key};

/// Why a text is not an id: it is empty, has whitespace around it, or holds a control
/// character.
///
/// ```
/// use clevertim::{Contact, Id, Key, ParseIdError};
/// let err = " 12".parse::<Id>().unwrap_err();
/// assert!(matches!(err, ParseIdError::Whitespace { .. }));
/// assert_eq!(err.to_string(), r#"" 12" is not an id: it has whitespace around it"#);
/// assert_eq!("".parse::<Key<Contact>>(), Err(ParseIdError::Empty));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseIdError {
    /// The text is empty.
    #[error("an id cannot be empty")]
    Empty,
    /// The text has whitespace before or after it (trim it first if that is what you mean).
    #[error("{text:?} is not an id: it has whitespace around it")]
    Whitespace {
        /// The text as given.
        text: String,
    },
    /// The text holds a control character (a newline, a tab, …).
    #[error("{text:?} is not an id: it holds the control character {found:?}")]
    Control {
        /// The text as given.
        text: String,
        /// The first control character in it.
        found: char,
    },
}

impl FromStr for Id {
    type Err = ParseIdError;

    /// An id from its text: an integer when the text spells one the way an integer prints
    /// (`"367"`, `"-4"`), else the text itself (`"f111"`, `"012"`).
    ///
    /// # Errors
    ///
    /// A [`ParseIdError`] for an empty text, one with whitespace around it, or one holding a
    /// control character.
    ///
    /// ```
    /// use clevertim::Id;
    /// assert_eq!("367".parse::<Id>()?, Id::Int(367));
    /// assert_eq!("f111".parse::<Id>()?, Id::from("f111"));
    /// assert!(matches!("012".parse::<Id>()?, Id::Str(_))); // not how 12 prints
    /// assert!("a\nb".parse::<Id>().is_err());
    /// # Ok::<(), clevertim::ParseIdError>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ParseIdError::Empty);
        }
        if s.trim() != s {
            return Err(ParseIdError::Whitespace { text: s.to_owned() });
        }
        if let Some(found) = s.chars().find(|c| c.is_control()) {
            return Err(ParseIdError::Control {
                text: s.to_owned(),
                found,
            });
        }
        Ok(match super::canonical_int(s) {
            Some(n) => Id::Int(n),
            None => Id::from(s),
        })
    }
}

impl<R> FromStr for Key<R> {
    type Err = ParseIdError;

    /// A key from its id's text, read as [`Id`] reads it.
    ///
    /// # Errors
    ///
    /// A [`ParseIdError`] when the text is not an id.
    ///
    /// ```
    /// use clevertim::{Contact, Folder, Key};
    /// let jane: Key<Contact> = "4".parse()?;
    /// assert_eq!(jane, Key::new(4));
    /// let docs: Key<Folder> = "f111".parse()?;
    /// assert_eq!(docs.as_int(), None);
    /// assert!("".parse::<Key<Contact>>().is_err());
    /// # Ok::<(), clevertim::ParseIdError>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<Id>().map(Key::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_that_print_as_given_become_integer_ids() {
        for (text, expected) in [("0", 0), ("367", 367), ("-4", -4)] {
            assert!(
                matches!(text.parse::<Id>(), Ok(Id::Int(n)) if n == expected),
                "{text}"
            );
        }
        for text in ["012", "+12", "f111", "9223372036854775808"] {
            assert!(
                matches!(text.parse::<Id>(), Ok(Id::Str(ref s)) if &**s == text),
                "{text}"
            );
        }
    }

    #[test]
    fn each_error_says_what_was_wrong() {
        assert_eq!("".parse::<Id>(), Err(ParseIdError::Empty));
        let spaced = "12 ".parse::<Id>().map(|_| ()).unwrap_err();
        assert_eq!(
            spaced.to_string(),
            r#""12 " is not an id: it has whitespace around it"#
        );
        let control = "f1\t2".parse::<Id>().map(|_| ()).unwrap_err();
        assert_eq!(
            control,
            ParseIdError::Control {
                text: "f1\t2".into(),
                found: '\t'
            }
        );
        assert!(control.to_string().contains(r"'\t'"), "{control}");
    }

    #[test]
    fn keys_parse_as_their_ids_do() {
        struct Thing;
        assert_eq!("12".parse::<Key<Thing>>(), Ok(Key::new(12)));
        assert_eq!("f1".parse::<Key<Thing>>(), Ok(Key::new("f1")));
        assert!(" 1".parse::<Key<Thing>>().is_err());
    }
}
