//! Note: communication history (`/note`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::codec::WriteMode;
use super::{
    Case, Comment, Customer, DeliveryState, EmailInfo, File, LinkedFile, NoteType, Opportunity,
    User,
};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A note: a call log, an email, an SMS; it may concern several customers.
    ///
    /// ```
    /// use clevertim::{Company, Contact, Key, Note};
    /// let mut note = Note::new();
    /// note.set_description("Called Jane about the order")
    ///     .set_who(Key::<Contact>::new(4))
    ///     .add_who(Key::<Company>::new(2));
    /// assert_eq!(note.who().len(), 2);
    /// ```
    shared struct Note at "note", related(who, case, opportunity), check(Note::check_type),
        required(["desc"]) {
        /// The text.
        rw description: text = "desc";
        /// The kind of note.
        rw note_type: scalar<NoteType> = "type";
        /// The customers it concerns (see [`Note::who`]).
        rw customers: record<NoteCustomers> = "cust";
        /// The case it belongs to.
        rw case: scalar<Key<Case>> = "case";
        /// The opportunity it belongs to.
        rw opportunity: scalar<Key<Opportunity>> = "opportunity";
        /// Comments on it.
        ro comments: list<Key<Comment>> = "comments";
        /// Attached files.
        ro files: list<Key<File>> = "files";
        /// Linked files.
        ro linked_files: list<Key<LinkedFile>> = "lfiles";
        /// The user who wrote it.
        ro created_by: scalar<Key<User>> = "userId";
        /// The headline, made by the server.
        ro headline: text = "hl";
        /// The SMS delivery state.
        ro delivery: scalar<DeliveryState> = "delvry";
        /// Sender, subject and recipients of an email note.
        ro email_info: record<EmailInfo> = "email";
    }
}

impl Note {
    /// The customers the note concerns; load one with
    /// [`Session::customer`](crate::Session::customer).
    ///
    /// ```
    /// use clevertim::{Key, Note};
    /// // The wire sends one id or a list; `who` reads both.
    /// let one: Note = serde_json::from_str(r#"{"id":31,"cust":4}"#)?;
    /// let two: Note = serde_json::from_str(r#"{"id":32,"cust":[4,2]}"#)?;
    /// assert_eq!(one.who(), [Key::new(4)]);
    /// assert_eq!(two.who(), [Key::new(4), Key::new(2)]);
    /// assert!(Note::new().who().is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn who(&self) -> &[Key<Customer>] {
        self.customers().map_or(&[], NoteCustomers::as_slice)
    }

    /// Makes the note concern one customer (replacing any others).
    ///
    /// ```
    /// use clevertim::{Contact, Key, Note};
    /// let mut note = Note::new();
    /// note.set_who(Key::<Contact>::new(4)).set_who(Key::<Contact>::new(5));
    /// assert_eq!(note.who(), [Key::new(5)]);
    /// ```
    pub fn set_who(&mut self, customer: impl Into<Key<Customer>>) -> &mut Self {
        self.set_customers(NoteCustomers::one(customer.into()))
    }

    /// Makes the note concern one more customer.
    ///
    /// ```
    /// use clevertim::{Company, Contact, Key, Note};
    /// let mut note = Note::new();
    /// note.add_who(Key::<Contact>::new(4)).add_who(Key::<Company>::new(2));
    /// assert_eq!(note.who(), [Key::new(4), Key::new(2)]);
    /// ```
    pub fn add_who(&mut self, customer: impl Into<Key<Customer>>) -> &mut Self {
        self.customers_mut().push(customer.into());
        self
    }
}

impl Note {
    /// A client sets only the note types a client may set.
    fn check_type(&self, mode: WriteMode) -> Result<(), ValidationError> {
        let sent = self.sends(NoteField::note_type, mode);
        match self.note_type() {
            Some(kind) if sent && !kind.is_settable() => Err(ValidationError::new(
                "note",
                "type",
                kind.as_str(),
                "cannot be set by a client (settable: N plain, S email, M SMS)",
            )),
            _ => Ok(()),
        }
    }
}

/// The customers of a note: one id or a list on the wire; the form is kept as sent.
///
/// Most code uses [`Note::who`], [`Note::set_who`] and [`Note::add_who`] instead.
///
/// ```
/// use clevertim::{Key, NoteCustomers};
/// let mut customers = NoteCustomers::one(Key::new(4));
/// assert_eq!(serde_json::to_string(&customers)?, "4");
/// customers.push(Key::new(2));
/// assert_eq!(serde_json::to_string(&customers)?, "[4,2]");
/// // A list of one stays a list.
/// let sent: NoteCustomers = serde_json::from_str("[4]")?;
/// assert_eq!(serde_json::to_string(&sent)?, "[4]");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteCustomers {
    keys: Vec<Key<Customer>>,
    as_list: bool,
}

impl NoteCustomers {
    /// One customer, sent as a single id.
    ///
    /// ```
    /// use clevertim::{Contact, Key, NoteCustomers};
    /// let jane = NoteCustomers::one(Key::<Contact>::new(4).into());
    /// assert_eq!(jane.as_slice(), [Key::new(4)]);
    /// ```
    pub fn one(key: Key<Customer>) -> Self {
        NoteCustomers {
            keys: vec![key],
            as_list: false,
        }
    }

    /// The customers.
    ///
    /// ```
    /// use clevertim::{Key, NoteCustomers};
    /// assert!(NoteCustomers::default().as_slice().is_empty());
    /// assert_eq!(NoteCustomers::one(Key::new(4)).as_slice().len(), 1);
    /// ```
    pub fn as_slice(&self) -> &[Key<Customer>] {
        &self.keys
    }

    /// Adds a customer; several are sent as a list.
    ///
    /// ```
    /// use clevertim::{Key, NoteCustomers};
    /// let mut customers = NoteCustomers::default();
    /// customers.push(Key::new(4));
    /// customers.push(Key::new(2));
    /// assert_eq!(customers.as_slice(), [Key::new(4), Key::new(2)]);
    /// ```
    pub fn push(&mut self, key: Key<Customer>) {
        self.keys.push(key);
        self.as_list |= self.keys.len() > 1;
    }
}

impl super::codec::Validate for NoteCustomers {}

impl Serialize for NoteCustomers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.keys.as_slice() {
            [one] if !self.as_list => one.serialize(s),
            keys => keys.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for NoteCustomers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Many(Vec<Key<Customer>>),
            One(Key<Customer>),
        }
        Ok(match Form::deserialize(d)? {
            Form::Many(keys) => NoteCustomers {
                keys,
                as_list: true,
            },
            Form::One(key) => NoteCustomers::one(key),
        })
    }
}
