//! The per-resource rules table: one declarative description of every resource the
//! sandbox serves (required fields, writable and computed fields with their kinds,
//! references, enumerations, derived lists, the values the server fills in, the extras it
//! sends on purpose). Everything else in the crate is driven by [`RESOURCES`]: the store
//! and the validation name no resource but custom fields, whose definitions other objects'
//! `cf` values are checked against.

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
const fn field(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

/// What happens to the children of a derived list when their parent is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnParentDelete {
    /// The children's link is cleared (set to null, or the id left out of a list).
    Unlink,
    /// The children go with their parent (a note's or a task's comments).
    Delete,
}

/// A read-only list computed from the children that point at an object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Derived {
    /// The list field on the parent, e.g. `notes`.
    pub(crate) field: &'static str,
    /// The child resource, e.g. `note`.
    pub(crate) child: &'static str,
    /// The child's field that points at the parent, e.g. `cust`.
    pub(crate) via: &'static str,
    /// What deleting the parent does to the children.
    pub(crate) on_delete: OnParentDelete,
}

/// A derived list whose children are unlinked when the parent goes.
const fn children(field: &'static str, child: &'static str, via: &'static str) -> Derived {
    Derived {
        field,
        child,
        via,
        on_delete: OnParentDelete::Unlink,
    }
}

/// A derived list whose children are deleted with the parent.
const fn owned_children(field: &'static str, child: &'static str, via: &'static str) -> Derived {
    Derived {
        field,
        child,
        via,
        on_delete: OnParentDelete::Delete,
    }
}

/// Which fields a new object must carry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Required {
    /// Every listed field must be a non-empty value.
    All(&'static [&'static str]),
    /// At least one of the listed fields must be a non-empty value.
    AnyOf(&'static [&'static str]),
    /// Exactly one of the listed fields must be set (comment `nid`/`tid`).
    ExactlyOne(&'static [&'static str]),
    /// When `field` has the value `equals`, `then` must be a non-empty value (a `select`
    /// custom field needs its `values`).
    When {
        /// The field tested.
        field: &'static str,
        /// The value that makes `then` required.
        equals: &'static str,
        /// The field then required.
        then: &'static str,
    },
}

/// A computed field whose value is the first line of a text field, cut to a length (a
/// note's headline).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FirstLine {
    /// The computed field, e.g. `hl`.
    pub(crate) field: &'static str,
    /// The text it is made from, e.g. `desc`.
    pub(crate) from: &'static str,
    /// The most characters kept.
    pub(crate) max_chars: usize,
}

/// Everything the sandbox knows about one resource.
#[derive(Debug)]
pub(crate) struct Resource {
    /// The path segment, e.g. `contact`.
    pub(crate) name: &'static str,
    /// The id allocator it shares with others (contacts and companies: `customer`);
    /// `None`: its own.
    pub(crate) shared_id_space: Option<&'static str>,
    /// Ids are strings with this prefix (folders: `f`), else integers.
    pub(crate) id_prefix: Option<&'static str>,
    /// Which `modelType` scope applies to its `cf` values, if it has custom fields.
    pub(crate) cf_scope: Option<&'static str>,
    /// Required-field rules, checked on the stored result of every create and update.
    pub(crate) required: &'static [Required],
    /// Writable fields and their kinds. Fields in no column are ignored on write.
    pub(crate) fields: &'static [Field],
    /// Fields the server computes (besides `id`, `ao`, `lm` and the derived lists);
    /// ignored on write, served always.
    pub(crate) computed: &'static [Field],
    /// Fields the real API sends that the documentation does not list, sent on purpose so
    /// that clients must keep what they do not understand; stored as written.
    pub(crate) extras: &'static [(&'static str, Initial)],
    /// Derived relationship lists.
    pub(crate) derived: &'static [Derived],
    /// Values the server sets on create when the client did not send them.
    pub(crate) initial: &'static [(&'static str, Initial)],
    /// Values the endpoint itself decides, set on every write (`is_company`, `is_dir`).
    pub(crate) fixed: &'static [(&'static str, Initial)],
    /// A computed first line of a text field (a note's headline).
    pub(crate) first_line: Option<FirstLine>,
    /// POST/PUT/DELETE are supported.
    pub(crate) writable: bool,
    /// PUT is supported.
    pub(crate) updatable: bool,
    /// The server records the creating user in `userId`.
    pub(crate) records_creator: bool,
}

/// A value the server fills in, as a constant.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Initial {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(u64),
    /// A boolean.
    Bool(bool),
    /// An empty object.
    EmptyObject,
}

impl Initial {
    /// The value as JSON.
    pub(crate) fn value(self) -> serde_json::Value {
        match self {
            Self::Str(s) => s.into(),
            Self::Int(n) => n.into(),
            Self::Bool(b) => b.into(),
            Self::EmptyObject => serde_json::Value::Object(serde_json::Map::new()),
        }
    }
}

/// Customer type codes (`ctype`).
pub(crate) const CTYPES: &[&str] = &[
    "C", "P", "S", "R", "E", "O", "N", "T", "D", "X", "I", "M", "A", "V", "W", "L", "F", "H",
];
/// Phone types.
pub(crate) const PHONE_TYPES: &[&str] = &["Work", "Home", "Mobile", "Fax", "Pager"];
/// Social media venues.
pub(crate) const VENUES: &[&str] = &[
    "BitBucket",
    "Facebook",
    "Github",
    "Google+",
    "Instagram",
    "Kik",
    "LinkedIn",
    "MSN",
    "Pinterest",
    "Reddit",
    "Skype",
    "Snapchat",
    "Telegram",
    "Twitter",
    "Whatsapp",
    "YouTube",
];
/// Task types (`atype`).
pub(crate) const TASK_TYPES: &[&str] = &[
    "Appointment",
    "Email",
    "Meeting",
    "Call",
    "Follow up",
    "TO DO",
    "Not set",
];
/// Note types a client may set (`E` is made by the mail drop only).
pub(crate) const NOTE_TYPES: &[&str] = &["N", "S", "M"];
/// Task recurrence codes (`rec`).
pub(crate) const RECURRENCES: &[&str] = &["N", "D", "W", "M", "Y"];
/// Custom field element types.
pub(crate) const ELEM_TYPES: &[&str] = &[
    "input",
    "select",
    "date",
    "user",
    "country",
    "state",
    "region",
    "contact",
    "company",
    "case",
    "opportunity",
    "currency",
];
/// Custom field scopes (`modelType`).
pub(crate) const MODEL_TYPES: &[&str] = &["customers", "companies", "cases", "opportunities"];

/// What every resource is unless its row says otherwise: writable, updatable, integer ids
/// of its own, no custom fields, nothing computed, nothing derived.
const BASE: Resource = Resource {
    name: "",
    shared_id_space: None,
    id_prefix: None,
    cf_scope: None,
    required: &[Required::All(&["name"])],
    fields: &[],
    computed: &[],
    extras: &[],
    derived: &[],
    initial: &[],
    fixed: &[],
    first_line: None,
    writable: true,
    updatable: true,
    records_creator: false,
};

/// The fields of a resource that can be private or shared with groups: the visibility
/// fields first, then its own.
macro_rules! shared_fields {
    ($($field:expr),* $(,)?) => {
        &[
            field("is_private", Kind::Bool),
            field("puser", Kind::Ref(Target::User)),
            field("gid", Kind::UInt),
            $($field),*
        ]
    };
}

/// The fields of a customer (contact or company): its own, then those both kinds have.
macro_rules! customer_fields {
    ($($field:expr),* $(,)?) => {
        shared_fields![
            $($field,)*
            field("description", Kind::Str),
            field("email", Kind::StrList),
            field("website", Kind::StrList),
            field("phones", Kind::Phones),
            field("smids", Kind::Smids),
            field("address", Kind::Str),
            field("city", Kind::Str),
            field("postcode", Kind::Str),
            field("region", Kind::Str),
            field("country", Kind::Str),
            field("ctype", Kind::Enum(CTYPES)),
            field("cf", Kind::CustomFields),
            field("tags", Kind::StrList),
        ]
    };
}

/// Shared objects start visible to everyone.
const SHARED_INITIAL: &[(&str, Initial)] = &[
    ("gid", Initial::Int(0)),
    ("is_private", Initial::Bool(false)),
];

/// Attached and linked files, listed by the server.
const ATTACHMENTS: [Field; 2] = [field("files", Kind::Ids), field("lfiles", Kind::Ids)];

/// What contacts and companies have in common.
const CUSTOMER: Resource = Resource {
    shared_id_space: Some("customer"),
    computed: &[
        ATTACHMENTS[0],
        ATTACHMENTS[1],
        field("is_company", Kind::Bool),
        field("lc", Kind::Str),
        field("cphoto", Kind::Str),
    ],
    derived: &[
        children("notes", "note", "cust"),
        children("tasks", "task", "cust"),
        children("cases", "case", "cust"),
        children("opportunities", "opportunity", "cust"),
    ],
    initial: SHARED_INITIAL,
    ..BASE
};

/// The rules table.
pub(crate) static RESOURCES: &[Resource] = &[
    Resource {
        name: "contact",
        cf_scope: Some("customers"),
        required: &[Required::AnyOf(&["fn", "ln"])],
        fields: customer_fields![
            field("fn", Kind::Str),
            field("ln", Kind::Str),
            field("title", Kind::Str),
            field("companyId", Kind::Ref(Target::Company)),
        ],
        fixed: &[("is_company", Initial::Bool(false))],
        ..CUSTOMER
    },
    Resource {
        name: "company",
        cf_scope: Some("companies"),
        required: &[Required::All(&["cn"])],
        fields: customer_fields![field("cn", Kind::Str)],
        fixed: &[("is_company", Initial::Bool(true))],
        ..CUSTOMER
    },
    Resource {
        name: "case",
        cf_scope: Some("cases"),
        fields: shared_fields![
            field("name", Kind::Str),
            field("description", Kind::Str),
            field("leadUser", Kind::Ref(Target::User)),
            field("cust", Kind::Ref(Target::Customer)),
            field("tags", Kind::StrList),
            field("cf", Kind::CustomFields),
        ],
        computed: &ATTACHMENTS,
        derived: &[
            children("tasks", "task", "case"),
            children("notes", "note", "case"),
        ],
        initial: SHARED_INITIAL,
        ..BASE
    },
    Resource {
        name: "opportunity",
        cf_scope: Some("opportunities"),
        fields: shared_fields![
            field("name", Kind::Str),
            field("description", Kind::Str),
            field("status", Kind::Str),
            field("value", Kind::Decimal),
            field("currency", Kind::Str),
            field("leadUser", Kind::Ref(Target::User)),
            field("cust", Kind::Ref(Target::Customer)),
            field("tags", Kind::StrList),
            field("cf", Kind::CustomFields),
        ],
        computed: &[
            ATTACHMENTS[0],
            ATTACHMENTS[1],
            field("userId", Kind::Ref(Target::User)),
        ],
        derived: &[
            children("tasks", "task", "opp"),
            children("notes", "note", "opportunity"),
        ],
        initial: &[
            ("status", Initial::Str("Open")),
            SHARED_INITIAL[0],
            SHARED_INITIAL[1],
        ],
        records_creator: true,
        ..BASE
    },
    Resource {
        name: "task",
        fields: shared_fields![
            field("name", Kind::Str),
            field("atype", Kind::Enum(TASK_TYPES)),
            field("location", Kind::Str),
            field("cust", Kind::Ref(Target::Customer)),
            field("case", Kind::Ref(Target::Case)),
            field("opp", Kind::Ref(Target::Opportunity)),
            field("startDate", Kind::DateParts),
            field("endDate", Kind::DateParts),
            field("aUserId", Kind::Ref(Target::User)),
            field("is_completed", Kind::Bool),
            field("is_deleted", Kind::Bool),
            field("rec", Kind::Enum(RECURRENCES)),
            field("recevery", Kind::UInt),
            field("recopts", Kind::RecOpts),
        ],
        computed: &[field("userId", Kind::Ref(Target::User))],
        extras: &[("atypet", Initial::Int(0))],
        derived: &[owned_children("comments", "comment", "tid")],
        initial: &[
            ("atype", Initial::Str("Not set")),
            ("is_completed", Initial::Bool(false)),
            ("is_deleted", Initial::Bool(false)),
            ("rec", Initial::Str("N")),
            ("recevery", Initial::Int(1)),
            ("recopts", Initial::EmptyObject),
            SHARED_INITIAL[0],
            SHARED_INITIAL[1],
        ],
        records_creator: true,
        ..BASE
    },
    Resource {
        name: "note",
        required: &[Required::All(&["desc"])],
        fields: shared_fields![
            field("desc", Kind::Str),
            field("type", Kind::Enum(NOTE_TYPES)),
            field("cust", Kind::RefOrList(Target::Customer)),
            field("case", Kind::Ref(Target::Case)),
            field("opportunity", Kind::Ref(Target::Opportunity)),
        ],
        computed: &[
            ATTACHMENTS[0],
            ATTACHMENTS[1],
            field("userId", Kind::Ref(Target::User)),
            field("hl", Kind::Str),
            field("delvry", Kind::Str),
            field("email", Kind::Object),
        ],
        extras: &[("fmt", Initial::Str("text"))],
        derived: &[owned_children("comments", "comment", "nid")],
        initial: &[
            ("type", Initial::Str("N")),
            ("delvry", Initial::Str("N")),
            SHARED_INITIAL[0],
            SHARED_INITIAL[1],
        ],
        first_line: Some(FirstLine {
            field: "hl",
            from: "desc",
            max_chars: 100,
        }),
        records_creator: true,
        ..BASE
    },
    Resource {
        name: "comment",
        required: &[
            Required::All(&["comment"]),
            Required::ExactlyOne(&["nid", "tid"]),
        ],
        fields: &[
            field("comment", Kind::Str),
            field("nid", Kind::Ref(Target::Note)),
            field("tid", Kind::Ref(Target::Task)),
        ],
        computed: &[field("userId", Kind::Ref(Target::User))],
        updatable: false,
        records_creator: true,
        ..BASE
    },
    Resource {
        name: "customfield",
        required: &[
            Required::All(&["name", "elemType", "modelType"]),
            Required::When {
                field: "elemType",
                equals: "select",
                then: "values",
            },
        ],
        fields: &[
            field("name", Kind::Str),
            field("fullname", Kind::Str),
            field("elemType", Kind::Enum(ELEM_TYPES)),
            field("modelType", Kind::EnumList(MODEL_TYPES)),
            field("multiple", Kind::Bool),
            field("values", Kind::StrList),
            field("app", Kind::Str),
        ],
        initial: &[("multiple", Initial::Bool(false))],
        ..BASE
    },
    Resource {
        name: "user",
        required: &[Required::All(&["user"])],
        fields: &[
            field("user", Kind::Str),
            field("email", Kind::Str),
            field("is_owner", Kind::Bool),
            field("is_admin", Kind::Bool),
            field("permissions", Kind::StrList),
            field("pending", Kind::Bool),
        ],
        initial: &[
            ("is_owner", Initial::Bool(false)),
            ("is_admin", Initial::Bool(false)),
            ("pending", Initial::Bool(false)),
        ],
        writable: false,
        updatable: false,
        ..BASE
    },
    Resource {
        name: "group",
        fields: &[field("name", Kind::Str), field("gid", Kind::UInt)],
        computed: &[field("users", Kind::Ids)],
        writable: false,
        updatable: false,
        ..BASE
    },
    Resource {
        name: "folder",
        id_prefix: Some("f"),
        fields: shared_fields![
            field("name", Kind::Str),
            field("parentId", Kind::Ref(Target::Folder)),
        ],
        computed: &[field("is_dir", Kind::Bool)],
        initial: SHARED_INITIAL,
        fixed: &[("is_dir", Initial::Bool(true))],
        ..BASE
    },
    Resource {
        name: "file",
        fields: shared_fields![
            field("name", Kind::Str),
            field("parentId", Kind::Ref(Target::Folder)),
        ],
        initial: SHARED_INITIAL,
        ..BASE
    },
    Resource {
        name: "linkedfile",
        fields: shared_fields![field("name", Kind::Str)],
        computed: &[
            field("sys", Kind::Str),
            field("size", Kind::UInt),
            field("link", Kind::Str),
            field("icon", Kind::Str),
        ],
        initial: &[
            ("sys", Initial::Str("D")),
            ("size", Initial::Int(0)),
            SHARED_INITIAL[0],
            SHARED_INITIAL[1],
        ],
        ..BASE
    },
];

impl Resource {
    /// The name of the id allocator it draws from.
    pub(crate) fn id_space(&self) -> &'static str {
        self.shared_id_space.unwrap_or(self.name)
    }

    /// Every field an object of this resource is served with, besides `id`, `ao`, `lm`
    /// and the derived lists: the writable ones, the computed ones, the extras.
    pub(crate) fn served_fields(&self) -> impl Iterator<Item = (&'static str, Kind)> + '_ {
        self.fields
            .iter()
            .chain(self.computed)
            .map(|f| (f.name, f.kind))
            .chain(self.extras.iter().map(|(name, _)| (*name, Kind::Any)))
    }
}

/// Looks up a resource by its path segment.
pub(crate) fn resource(name: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.name == name)
}

/// Every reference field of the table: (resource, field, target, may be a list).
pub(crate) fn reference_fields()
-> impl Iterator<Item = (&'static Resource, &'static Field, Target, bool)> {
    RESOURCES.iter().flat_map(|r| {
        r.fields.iter().filter_map(move |fld| match fld.kind {
            Kind::Ref(t) => Some((r, fld, t, false)),
            Kind::RefOrList(t) => Some((r, fld, t, true)),
            _ => None,
        })
    })
}

/// The resource a custom field `elemType` refers to, if it is a reference type.
pub(crate) fn elem_type_target(elem_type: &str) -> Option<Target> {
    match elem_type {
        "user" => Some(Target::User),
        "contact" => Some(Target::Contact),
        "company" => Some(Target::Company),
        "case" => Some(Target::Case),
        "opportunity" => Some(Target::Opportunity),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for r in RESOURCES {
            let mut names: Vec<&str> = r.served_fields().map(|(n, _)| n).collect();
            names.extend(r.derived.iter().map(|d| d.field));
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{}: a field in two columns", r.name);
            for der in r.derived {
                let child = resource(der.child).expect("child resource exists");
                assert!(child.fields.iter().any(|f| f.name == der.via));
            }
            for (name, _) in r.initial.iter().chain(r.fixed) {
                assert!(
                    names.contains(name),
                    "{}.{name} has a value but no column",
                    r.name
                );
            }
            if let Some(line) = r.first_line {
                assert!(r.computed.iter().any(|f| f.name == line.field));
                assert!(names.contains(&line.from));
            }
        }
        assert_eq!(RESOURCES.len(), 13);
    }
}
