//! Who may see an object.

use super::super::User;
use crate::key::Key;

/// Who may see an object; derived from its `is_private`, `puser` and `gid` fields.
///
/// ```
/// use clevertim::{Contact, Key, Visibility};
/// let mut jane = Contact::new();
/// assert_eq!(jane.visibility(), Visibility::Everyone);
/// jane.set_visibility(Visibility::Private(Some(Key::new(2)))); // only user 2
/// assert_eq!(jane.is_private(), Some(true));
/// jane.set_visibility(Visibility::Groups(0b10));              // the group whose bit is 2
/// assert_eq!(jane.group_mask(), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone in the account.
    Everyone,
    /// The members of the groups whose bits are set in the mask.
    Groups(u64),
    /// Only the given user (or the owner, when the server did not say which user).
    Private(Option<Key<User>>),
}

impl Visibility {
    /// Visibility from the three wire fields (private first, then groups, else everyone).
    ///
    /// ```
    /// use clevertim::{Key, Visibility};
    /// assert_eq!(Visibility::from_parts(Some(true), Some(Key::new(2)), Some(4)), Visibility::Private(Some(Key::new(2))));
    /// assert_eq!(Visibility::from_parts(None, None, Some(4)), Visibility::Groups(4));
    /// assert_eq!(Visibility::from_parts(None, None, None), Visibility::Everyone);
    /// ```
    pub fn from_parts(
        is_private: Option<bool>,
        user: Option<Key<User>>,
        mask: Option<u64>,
    ) -> Self {
        match (is_private, mask) {
            (Some(true), _) => Visibility::Private(user),
            (_, Some(mask)) if mask != 0 => Visibility::Groups(mask),
            _ => Visibility::Everyone,
        }
    }

    /// The three wire fields for this visibility.
    ///
    /// ```
    /// use clevertim::{Key, Visibility};
    /// assert_eq!(Visibility::Groups(4).into_parts(), (false, None, 4));
    /// assert_eq!(Visibility::Private(Some(Key::new(2))).into_parts(), (true, Some(Key::new(2)), 0));
    /// ```
    pub fn into_parts(self) -> (bool, Option<Key<User>>, u64) {
        match self {
            Visibility::Everyone => (false, None, 0),
            Visibility::Groups(mask) => (false, None, mask),
            Visibility::Private(user) => (true, user, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_is_derived_private_first() {
        assert_eq!(
            Visibility::from_parts(Some(true), Some(2.into()), Some(4)),
            Visibility::Private(Some(2.into()))
        );
        assert_eq!(
            Visibility::from_parts(Some(false), None, Some(4)),
            Visibility::Groups(4)
        );
        assert_eq!(
            Visibility::from_parts(None, None, Some(0)),
            Visibility::Everyone
        );
    }
}
