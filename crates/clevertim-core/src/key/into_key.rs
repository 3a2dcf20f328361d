//! [`IntoKey`]: what the session's key-taking methods accept, with a compile error that helps
//! when the key is of another resource.

use super::{Id, Key};
use crate::model::{Company, Contact, Customer};

/// What can stand for the key of an `R` where the session takes one
/// ([`load`](crate::Session::load), [`lazy`](crate::Session::lazy),
/// [`load_many`](crate::Session::load_many)'s items, [`delete_key`](crate::Session::delete_key),
/// [`customer`](crate::Session::customer)): a `Key<R>` (or a borrowed one), an id (an integer
/// or a string), and, for a [`Customer`], a contact's or a company's key.
///
/// It accepts exactly what `Into<Key<R>>` does; a trait of its own lets the compiler say,
/// when a key of another resource is given (a customer key from `task.who()` where a contact
/// is loaded), what to write instead: `session.customer(key)` to load a contact or a company,
/// or `key.cast::<Contact>()` when you know which.
///
/// ```
/// use clevertim::{Company, Contact, Customer, IntoKey, Key, Task};
///
/// let jane: Key<Contact> = 4.into_key();
/// assert_eq!(jane, Key::new(4));
/// assert_eq!(IntoKey::<Contact>::into_key(&jane), jane);
/// assert_eq!(IntoKey::<Company>::into_key("12"), Key::new(12));
///
/// // A task's customer is a contact or a company: a contact's key is one.
/// let who: Key<Customer> = jane.clone().into_key();
/// assert!(who.same_id(&jane));
///
/// // Knowing that the customer is a person, cast the key to load a contact.
/// let mut call = Task::new();
/// call.set_who(jane.clone());
/// let person: Key<Contact> = call.who().map(Key::cast).unwrap();
/// assert_eq!(person, jane);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of a `{R}`",
    label = "expected a `Key<{R}>` or an id (an integer or a string)",
    note = "a customer key (`task.who()`, `case.who()`, …) names a contact or a company: load it with `session.customer(key)`, or, knowing which, turn it into a typed key with `key.cast::<{R}>()` (see `Key::cast`)"
)]
pub trait IntoKey<R> {
    /// The key.
    ///
    /// ```
    /// use clevertim::{Folder, IntoKey, Key};
    /// let docs: Key<Folder> = "f111".into_key();
    /// assert_eq!(docs.to_string(), "f111");
    /// ```
    fn into_key(self) -> Key<R>;
}

impl<R> IntoKey<R> for Key<R> {
    fn into_key(self) -> Key<R> {
        self
    }
}

impl<R> IntoKey<R> for &Key<R> {
    fn into_key(self) -> Key<R> {
        self.clone()
    }
}

macro_rules! into_key_from {
    ($($t:ty),*) => {$(
        impl<R> IntoKey<R> for $t {
            fn into_key(self) -> Key<R> {
                Key::new(self)
            }
        }
    )*};
}
into_key_from!(Id, i32, i64, u32, u64, u16, u8, &str, String);

impl IntoKey<Customer> for Key<Contact> {
    fn into_key(self) -> Key<Customer> {
        self.cast()
    }
}

impl IntoKey<Customer> for Key<Company> {
    fn into_key(self) -> Key<Customer> {
        self.cast()
    }
}
