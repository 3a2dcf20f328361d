//! User (`/user`, read-only).

resource! {
    /// A user of the account. Read-only; fetched as a whole list and picked by id.
    ///
    /// ```
    /// use clevertim::User;
    /// // As `session.all::<User>()` answers them (the session caches the list once fetched).
    /// let me: User = serde_json::from_str(r#"{"id":1,"user":"Ann Owner","is_owner":true}"#).unwrap();
    /// assert_eq!((me.name(), me.is_owner()), (Some("Ann Owner"), Some(true)));
    /// ```
    struct User at "user", list_only, read_only {
        /// The user's name.
        ro name: text = "user";
        /// Email address.
        ro email: text = "email";
        /// Whether the user owns the account.
        ro is_owner: scalar<bool> = "is_owner";
        /// Whether the user is an administrator.
        ro is_admin: scalar<bool> = "is_admin";
        /// Permissions, e.g. `canedit`, `candelete`, `canexport`.
        ro permissions: list<String> = "permissions";
        /// Whether the user was invited and has not joined yet.
        ro pending: scalar<bool> = "pending";
    }
}
