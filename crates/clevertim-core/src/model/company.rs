//! Company (`/company`).

use super::Scope;

customer_resource! {
    /// A company; people are [`Contact`](super::Contact)s.
    Company {
        /// The company's name.
        rw name: text<String> = "cn";
    }
}

custom_field_owner!(Company, Scope::Companies);
