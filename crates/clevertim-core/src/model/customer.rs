//! Customers: contacts and companies share one id space and most of their fields.

use super::{Company, Contact};
use crate::key::Key;

/// The fields contacts and companies share, appended to each one's own rows.
macro_rules! customer_resource {
    (
        $(#[$meta:meta])*
        $name:ident at $path:literal $(, $option:ident $(($($arg:tt)*))?)* { $($rows:tt)* }
    ) => {
        resource! {
            $(#[$meta])*
            shared struct $name at $path $(, $option $(($($arg)*))?)* {
                $($rows)*
                /// Free text.
                rw description: text = "description";
                /// Email addresses.
                rw emails: list<String> = "email";
                /// Web sites.
                rw websites: list<String> = "website";
                /// Phone numbers.
                rw phone_numbers: list<$crate::model::PhoneNumber> = "phones";
                /// Social media ids.
                rw social_media_ids: list<$crate::model::SocialMediaId> = "smids";
                /// Street address.
                rw address: text = "address";
                /// City.
                rw city: text = "city";
                /// Postal code.
                rw postcode: text = "postcode";
                /// Region or state code, e.g. `US-FL`.
                rw region: text = "region";
                /// Country code, e.g. `GB` (older data has names such as `United Kingdom`).
                rw country: text = "country";
                /// The kind of customer.
                rw customer_type: scalar<$crate::model::CustomerType> = "ctype";
                /// Custom field values.
                rw custom_field_values: record<$crate::model::CustomFieldValues> = "cf";
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
                ro last_contacted: text = "lc";
                /// The photo's (or logo's) file name; see `contact_photo` for its URL.
                ro contact_photo_name: text = "cphoto";
                /// `true` for a company, `false` for a person.
                ro is_company: scalar<bool> = "is_company";
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
///
/// [`Session::customer`](crate::Session::customer) loads the one behind a `who()`.
///
/// ```
/// use clevertim::{Company, Contact, Customer};
/// let mut acme = Company::with_key(2);
/// acme.set_name("Acme");
/// let customer = Customer::Company(acme);
/// assert_eq!(customer.to_string(), "Acme");
/// assert_eq!(customer.key().map(|k| k.to_string()), Some("2".to_owned()));
/// if let Customer::Contact(person) = &customer {
///     println!("a person: {person}");
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Customer {
    /// A person.
    Contact(Contact),
    /// A company.
    Company(Company),
}

impl Customer {
    /// The display name: a company's name, or a person's first and last names.
    /// Also what `format!("{customer}")` prints.
    ///
    /// ```
    /// use clevertim::{Contact, Customer};
    /// let mut mike = Contact::new();
    /// mike.set_first_name("Mike").set_last_name("Johnson");
    /// assert_eq!(Customer::Contact(mike).display_name(), "Mike Johnson");
    /// ```
    pub fn display_name(&self) -> String {
        self.to_string()
    }

    /// The customer's key, the same as the contact's or the company's (they share one id
    /// space); `None` until it is saved.
    ///
    /// ```
    /// use clevertim::{Contact, Customer, Key};
    /// let jane = Customer::Contact(Contact::with_key(4));
    /// assert_eq!(jane.key(), Some(Key::new(4)));
    /// assert_eq!(Customer::Contact(Contact::new()).key(), None);
    /// ```
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

/// A person's full name: first and last names, as far as they are known.
///
/// ```
/// use clevertim::Contact;
/// let mut mike = Contact::new();
/// mike.set_first_name("Mike").set_last_name("Johnson");
/// assert_eq!(mike.to_string(), "Mike Johnson");
/// assert_eq!(format!("{}", Contact::new()), "");
/// ```
impl std::fmt::Display for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = [self.first_name(), self.last_name()];
        let mut names = names.into_iter().flatten().filter(|n| !n.is_empty());
        if let Some(first) = names.next() {
            f.write_str(first)?;
        }
        for name in names {
            write!(f, " {name}")?;
        }
        Ok(())
    }
}

/// A company's name (empty when it is not known).
///
/// ```
/// use clevertim::Company;
/// let mut acme = Company::new();
/// acme.set_name("Acme Ltd");
/// assert_eq!(format!("{acme}"), "Acme Ltd");
/// ```
impl std::fmt::Display for Company {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name().unwrap_or_default())
    }
}

/// The customer's display name (see [`Customer::display_name`]).
impl std::fmt::Display for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Customer::Contact(c) => c.fmt(f),
            Customer::Company(c) => c.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_display_their_names() {
        let mut only_last = Contact::new();
        only_last.set_last_name("Johnson");
        assert_eq!(only_last.to_string(), "Johnson");
        let mut both = Contact::new();
        both.set_first_name("Mike").set_last_name("Johnson");
        assert_eq!(Customer::Contact(both).to_string(), "Mike Johnson");
        let mut acme = Company::new();
        acme.set_name("Acme");
        assert_eq!(Customer::Company(acme).to_string(), "Acme");
    }

    #[test]
    fn contact_and_company_keys_compare_with_customer_keys() {
        let contact: Key<Contact> = Key::new(7);
        let company: Key<Company> = Key::new("7");
        let customer: Key<Customer> = Key::new(7);
        assert!(contact.same_id(&customer) && customer.same_id(&company));
        assert!(!contact.same_id(&Key::<Customer>::new(8)));
        assert_eq!(Key::<Customer>::from(contact.clone()), customer);
        // `==` against a converted key still infers the conversion.
        assert!(customer == contact.into());
    }
}
