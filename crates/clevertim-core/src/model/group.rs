//! Group of users (`/group`, read-only).

use super::{Resource, User};
use crate::key::Key;

resource! {
    /// A group of users; objects are shared with groups through their bits.
    struct Group {
        /// The group's name.
        ro name: text<String> = "name";
        /// The group's bit (a power of two).
        ro bit: val<u64> = "gid";
        /// Its members.
        ro users: list<Key<User>> = "users";
    }
}

impl Resource for Group {
    const PATH: &'static str = "group";
    const LIST_ONLY: bool = true;
    const WRITABLE: bool = false;
}
