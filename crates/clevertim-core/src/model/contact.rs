//! Contact: a person (`/contact`).

use super::{Company, Scope};
use crate::key::Key;

customer_resource! {
    /// A person; companies are [`Company`].
    ///
    /// ```
    /// use clevertim::{Contact, PhoneNumber, PhoneType};
    /// let mut mike = Contact::new();
    /// mike.set_first_name("Mike").set_last_name("Johnson");
    /// mike.phone_numbers_mut().push(PhoneNumber::new("555-0100", PhoneType::Mobile));
    /// assert_eq!(mike.key(), None); // not saved yet
    /// ```
    Contact at "contact", custom_fields(Scope::Customers), required(["fn", "ln"]) {
        /// First name.
        rw first_name: text = "fn";
        /// Last name.
        rw last_name: text = "ln";
        /// Job title.
        rw title: text = "title";
        /// The company the person works for.
        rw company: scalar<Key<Company>> = "companyId";
    }
}
