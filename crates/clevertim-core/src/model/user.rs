//! User (`/user`, read-only).

use super::Resource;

resource! {
    /// A user of the account. Read-only; fetched as a whole list and picked by id.
    ///
    /// ```
    /// use clevertim_core::User;
    /// // As `session.all::<User>()` answers them (the session caches the list once fetched).
    /// let me: User = serde_json::from_str(r#"{"id":1,"user":"Ann Owner","is_owner":true}"#).unwrap();
    /// assert_eq!((me.name(), me.is_owner()), (Some("Ann Owner"), Some(true)));
    /// ```
    struct User {
        /// The user's name.
        ro name: text<String> = "user";
        /// Email address.
        ro email: text<String> = "email";
        /// Whether the user owns the account.
        ro is_owner: val<bool> = "is_owner";
        /// Whether the user is an administrator.
        ro is_admin: val<bool> = "is_admin";
        /// Permissions, e.g. `canedit`, `candelete`, `canexport`.
        ro permissions: list<String> = "permissions";
        /// Whether the user was invited and has not joined yet.
        ro pending: val<bool> = "pending";
    }
}

impl Resource for User {
    const PATH: &'static str = "user";
    const LIST_ONLY: bool = true;
    const WRITABLE: bool = false;
}
