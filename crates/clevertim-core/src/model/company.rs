//! Company (`/company`).

use super::Scope;

customer_resource! {
    /// A company; people are [`Contact`](super::Contact)s.
    ///
    /// ```
    /// use clevertim::Company;
    /// let mut acme = Company::new();
    /// acme.set_name("Acme Widgets Inc.").set_tags(["supplier"]).add_to_emails("sales@acme.example");
    /// assert_eq!(acme.to_string(), "Acme Widgets Inc.");
    /// ```
    Company at "company", custom_fields(Scope::Companies), required(["cn"]) {
        /// The company's name.
        rw name: text = "cn";
    }
}
