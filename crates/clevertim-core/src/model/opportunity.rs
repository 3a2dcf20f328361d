//! Opportunity: a sales deal (`/opportunity`).

use super::{Customer, File, LinkedFile, Note, Scope, Task, User};
use crate::key::Key;

resource! {
    /// A sales deal.
    ///
    /// ```
    /// use clevertim::{Company, Key, Opportunity};
    /// let acme: Key<Company> = Key::new(2);
    /// let mut deal = Opportunity::new();
    /// deal.set_name("Spring order").set_value("12000.50").set_currency("EUR").set_who(acme);
    /// assert_eq!(deal.value(), Some("12000.50")); // kept exact, as a string
    /// ```
    shared struct Opportunity at "opportunity", custom_fields(Scope::Opportunities), related(who),
        required(["name"]) {
        /// The deal's name.
        rw name: text = "name";
        /// Free text.
        rw description: text = "description";
        /// The pipeline state (customisable; defaults `Open`, `Closed`, `Won`, `Lost`).
        rw status: text = "status";
        /// The amount, a decimal number as a string (`"1000.50"`), kept exact.
        rw value: text = "value";
        /// The currency code, e.g. `EUR`.
        rw currency: text = "currency";
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
        /// The user who created it.
        ro created_by: scalar<Key<User>> = "userId";
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
