//! What a field of the rules table is: its name, the JSON shape a write must have, and for a
//! reference, what it points to.

/// What a reference field points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A contact or a company (they share one id space).
    Customer,
    /// A contact only.
    Contact,
    /// A company only.
    Company,
    /// A case.
    Case,
    /// An opportunity.
    Opportunity,
    /// A task.
    Task,
    /// A note.
    Note,
    /// A user.
    User,
    /// A folder (string id `fN`).
    Folder,
}

impl Target {
    /// The resource tables a reference of this target may live in.
    pub(crate) fn resources(self) -> &'static [&'static str] {
        match self {
            Self::Customer => &["contact", "company"],
            Self::Contact => &["contact"],
            Self::Company => &["company"],
            Self::Case => &["case"],
            Self::Opportunity => &["opportunity"],
            Self::Task => &["task"],
            Self::Note => &["note"],
            Self::User => &["user"],
            Self::Folder => &["folder"],
        }
    }

    /// A human name for error texts.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Contact => "contact",
            Self::Company => "company",
            Self::Case => "case",
            Self::Opportunity => "opportunity",
            Self::Task => "task",
            Self::Note => "note",
            Self::User => "user",
            Self::Folder => "folder",
        }
    }
}

/// The JSON shape a field must have when written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// A string (or null).
    Str,
    /// A boolean (or null).
    Bool,
    /// A non-negative integer (or null).
    UInt,
    /// A list of strings.
    StrList,
    /// One of the listed strings.
    Enum(&'static [&'static str]),
    /// A list whose every element is one of the listed strings.
    EnumList(&'static [&'static str]),
    /// An id of the target (or null).
    Ref(Target),
    /// An id of the target or a list of them (a note's `cust`).
    RefOrList(Target),
    /// `[{"no": string, "type": phone type}]`.
    Phones,
    /// `[{"smid": string, "type": venue}]`.
    Smids,
    /// `{"y","mo","d","h","mi"}` integers.
    DateParts,
    /// `{"type": "weekday"}` or `{}`.
    RecOpts,
    /// A decimal number written as a string, e.g. `"1000.50"`.
    Decimal,
    /// The custom field values map.
    CustomFields,
    /// A list of ids (computed lists such as `files`).
    Ids,
    /// A JSON object of the server's making (a note's `email`).
    Object,
    /// Any JSON value, stored as sent (the server-side extras).
    Any,
}

impl Kind {
    /// The value an unset field of this kind is served with: the documented full shape
    /// has every field, lists empty and maps empty rather than left out.
    pub(crate) fn empty(self) -> serde_json::Value {
        match self {
            Self::StrList | Self::EnumList(_) | Self::Phones | Self::Smids | Self::Ids => {
                serde_json::Value::Array(Vec::new())
            }
            Self::CustomFields | Self::RecOpts => serde_json::Value::Object(serde_json::Map::new()),
            _ => serde_json::Value::Null,
        }
    }
}

/// One field of a resource.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The JSON key.
    pub(crate) name: &'static str,
    /// Its shape.
    pub(crate) kind: Kind,
}

/// A field of the table, by name and kind.
pub(super) const fn field(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}
