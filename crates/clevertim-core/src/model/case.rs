//! Case: a support case (`/case`).

use super::{Customer, File, LinkedFile, Note, Scope, Task, User};
use crate::key::Key;

resource! {
    /// A support case.
    ///
    /// ```
    /// use clevertim::{Case, Contact, Key};
    /// let jane: Key<Contact> = Key::new(4);
    /// let mut case = Case::new();
    /// case.set_name("Cannot log in").set_who(jane.clone()).set_tags(["login"]);
    /// assert!(case.who().is_some_and(|who| jane.same_id(&who)));
    /// assert_eq!(case.tags(), ["login"]);
    /// ```
    shared struct Case at "case", custom_fields(Scope::Cases), related(who), required(["name"]) {
        /// The case's name.
        rw name: text = "name";
        /// Free text.
        rw description: text = "description";
        /// The user leading it.
        rw lead_user: scalar<Key<User>> = "leadUser";
        /// The customer (a contact or a company).
        ///
        /// Load it with [`Session::customer`](crate::Session::customer)`(who)` (or
        /// `load::<Contact>(who.cast())` when you know it is a person).
        rw who: scalar<Key<Customer>> = "cust";
        /// Tags.
        rw tags: list<String> = "tags";
        /// Custom field values.
        rw custom_field_values: record<super::CustomFieldValues> = "cf";
        /// Its tasks.
        ro tasks: list<Key<Task>> = "tasks";
        /// Its notes.
        ro notes: list<Key<Note>> = "notes";
        /// Attached files.
        ro files: list<Key<File>> = "files";
        /// Linked files.
        ro linked_files: list<Key<LinkedFile>> = "lfiles";
    }
}
