//! Group of users (`/group`, read-only).

use super::User;
use crate::key::Key;

resource! {
    /// A group of users; objects are shared with groups through their bits.
    ///
    /// ```
    /// use clevertim::{Group, Key};
    /// let sales: Group = serde_json::from_str(r#"{"id":1,"name":"Sales","gid":1,"users":[1,2]}"#).unwrap();
    /// assert_eq!(sales.bit(), Some(1));
    /// assert!(sales.users().contains(&Key::new(2)));
    /// ```
    struct Group at "group", list_only, read_only {
        /// The group's name.
        ro name: text = "name";
        /// The group's bit (a power of two).
        ro bit: scalar<u64> = "gid";
        /// Its members.
        ro users: list<Key<User>> = "users";
    }
}
