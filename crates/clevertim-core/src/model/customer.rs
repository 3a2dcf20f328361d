//! Customers: contacts and companies share one id space and most of their fields.

use super::{Company, Contact};
use crate::key::Key;

/// The fields contacts and companies share, appended to each one's own rows.
macro_rules! customer_resource {
    ($(#[$meta:meta])* $name:ident { $($rows:tt)* }) => {
        resource! {
            $(#[$meta])*
            shared struct $name {
                $($rows)*
                /// Free text.
                rw description: text<String> = "description";
                /// Email addresses.
                rw emails: list<String> = "email";
                /// Web sites.
                rw websites: list<String> = "website";
                /// Phone numbers.
                rw phone_numbers: list<$crate::model::PhoneNumber> = "phones";
                /// Social media ids.
                rw social_media_ids: list<$crate::model::SocialMediaId> = "smids";
                /// Street address.
                rw address: text<String> = "address";
                /// City.
                rw city: text<String> = "city";
                /// Postal code.
                rw postcode: text<String> = "postcode";
                /// Region or state code, e.g. `US-FL`.
                rw region: text<String> = "region";
                /// Country code, e.g. `GB` (older data has names such as `United Kingdom`).
                rw country: text<String> = "country";
                /// The kind of customer.
                rw customer_type: val<$crate::model::CustomerType> = "ctype";
                /// Custom field values.
                rw custom_field_values: obj<$crate::model::CustomFieldValues> = "cf";
                /// Tags.
                rw tags: list<String> = "tags";
                /// Notes about this customer (derived from the notes' `cust`).
                ro notes: list<$crate::key::Key<$crate::model::Note>> = "notes";
                /// Tasks for this customer.
                ro tasks: list<$crate::key::Key<$crate::model::Task>> = "tasks";
                /// Cases of this customer.
                ro cases: list<$crate::key::Key<$crate::model::Case>> = "cases";
                /// Opportunities with this customer.
                ro opportunities: list<$crate::key::Key<$crate::model::Opportunity>> = "opportunities";
                /// Attached files.
                ro files: list<$crate::key::Key<$crate::model::File>> = "files";
                /// Linked files.
                ro linked_files: list<$crate::key::Key<$crate::model::LinkedFile>> = "lfiles";
                /// When the customer was last contacted.
                ro last_contacted: text<String> = "lc";
                /// The photo's (or logo's) file name; see `contact_photo` for its URL.
                ro contact_photo_name: text<String> = "cphoto";
                /// `true` for a company, `false` for a person.
                ro is_company: val<bool> = "is_company";
            }
        }

        impl $name {
            /// The URL of the photo (or logo), given the session's endpoint
            /// (`{endpoint without /api}/getcphoto/{key}/{cphoto}`).
            pub fn contact_photo(&self, endpoint: &str) -> Option<String> {
                let name = self.contact_photo_name()?;
                let key = self.key()?;
                let base = endpoint.trim_end_matches('/');
                let base = base.strip_suffix("/api").unwrap_or(base);
                Some(format!("{base}/getcphoto/{key}/{name}"))
            }
        }
    };
}

/// A customer: the object a `cust` field points to, a contact or a company.
#[derive(Debug, Clone, PartialEq)]
pub enum Customer {
    /// A person.
    Contact(Contact),
    /// A company.
    Company(Company),
}

impl Customer {
    /// The display name: a company's name, or a person's first and last names.
    pub fn display_name(&self) -> String {
        match self {
            Customer::Company(c) => c.name().unwrap_or_default().to_owned(),
            Customer::Contact(c) => [c.first_name(), c.last_name()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// The customer's key.
    pub fn key(&self) -> Option<Key<Customer>> {
        match self {
            Customer::Contact(c) => c.key().map(Key::cast),
            Customer::Company(c) => c.key().map(Key::cast),
        }
    }
}

impl From<Key<Contact>> for Key<Customer> {
    fn from(key: Key<Contact>) -> Self {
        key.cast()
    }
}

impl From<Key<Company>> for Key<Customer> {
    fn from(key: Key<Company>) -> Self {
        key.cast()
    }
}
