//! The per-resource rules table: one declarative description of every resource the
//! sandbox serves (required fields, read-only fields, field kinds, references, enums,
//! derived lists). Everything else in the crate is driven by [`RESOURCES`].

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
}

/// One field of a resource.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    /// The JSON key.
    pub(crate) name: &'static str,
    /// Its shape.
    pub(crate) kind: Kind,
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
}

/// Everything the sandbox knows about one resource.
#[derive(Debug)]
pub(crate) struct Resource {
    /// The path segment, e.g. `contact`.
    pub(crate) name: &'static str,
    /// The id allocator shared by resources with the same value (`customer`).
    pub(crate) id_space: &'static str,
    /// Ids are strings with this prefix (folders: `f`), else integers.
    pub(crate) id_prefix: Option<&'static str>,
    /// Which `modelType` scope applies to its `cf` values, if it has custom fields.
    pub(crate) cf_scope: Option<&'static str>,
    /// Required-field rules, checked on the stored result of every create and update.
    pub(crate) required: &'static [Required],
    /// Writable fields and their kinds. Unknown fields are stored as sent.
    pub(crate) fields: &'static [Field],
    /// Fields the server computes; ignored on write.
    pub(crate) read_only: &'static [&'static str],
    /// Derived relationship lists.
    pub(crate) derived: &'static [Derived],
    /// Values the server sets on create when the client did not send them.
    pub(crate) defaults: &'static [(&'static str, Default)],
    /// POST/PUT/DELETE are supported.
    pub(crate) writable: bool,
    /// PUT is supported.
    pub(crate) updatable: bool,
    /// The server records the creating user in `userId`.
    pub(crate) records_creator: bool,
}

/// A default value, as a constant.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Default {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(u64),
    /// A boolean.
    Bool(bool),
    /// An empty list.
    EmptyList,
    /// An empty object.
    EmptyObject,
}

impl Default {
    /// The default as a JSON value.
    pub(crate) fn value(self) -> serde_json::Value {
        match self {
            Self::Str(s) => s.into(),
            Self::Int(n) => n.into(),
            Self::Bool(b) => b.into(),
            Self::EmptyList => serde_json::Value::Array(Vec::new()),
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

const COMMON: [Field; 3] = [
    Field {
        name: "is_private",
        kind: Kind::Bool,
    },
    Field {
        name: "puser",
        kind: Kind::Ref(Target::User),
    },
    Field {
        name: "gid",
        kind: Kind::UInt,
    },
];

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

/// The fields of a resource that can be private or shared with groups: the visibility
/// fields first, then its own.
macro_rules! shared_fields {
    ($($field:expr),* $(,)?) => {
        &[COMMON[0], COMMON[1], COMMON[2], $($field),*]
    };
}

/// The fields of a customer (contact or company): its own, then those both kinds have.
macro_rules! customer_fields {
    ($($field:expr),* $(,)?) => {
        shared_fields![
            $($field,)*
            f("description", Kind::Str),
            f("email", Kind::StrList),
            f("website", Kind::StrList),
            f("phones", Kind::Phones),
            f("smids", Kind::Smids),
            f("address", Kind::Str),
            f("city", Kind::Str),
            f("postcode", Kind::Str),
            f("region", Kind::Str),
            f("country", Kind::Str),
            f("ctype", Kind::Enum(CTYPES)),
            f("cf", Kind::CustomFields),
            f("tags", Kind::StrList),
        ]
    };
}

const fn d(field: &'static str, child: &'static str, via: &'static str) -> Derived {
    Derived { field, child, via }
}

const CUSTOMER_DERIVED: &[Derived] = &[
    d("notes", "note", "cust"),
    d("tasks", "task", "cust"),
    d("cases", "case", "cust"),
    d("opportunities", "opportunity", "cust"),
];

const CUSTOMER_RO: &[&str] = &[
    "id",
    "ao",
    "lm",
    "is_company",
    "notes",
    "tasks",
    "cases",
    "opportunities",
    "files",
    "lfiles",
    "lc",
    "cphoto",
];

const CUSTOMER_DEFAULTS: &[(&str, Default)] = &[
    ("files", Default::EmptyList),
    ("lfiles", Default::EmptyList),
    ("gid", Default::Int(0)),
    ("is_private", Default::Bool(false)),
];

/// The rules table.
pub(crate) static RESOURCES: &[Resource] = &[
    Resource {
        name: "contact",
        id_space: "customer",
        id_prefix: None,
        cf_scope: Some("customers"),
        required: &[Required::AnyOf(&["fn", "ln"])],
        fields: customer_fields![
            f("fn", Kind::Str),
            f("ln", Kind::Str),
            f("title", Kind::Str),
            f("companyId", Kind::Ref(Target::Company)),
        ],
        read_only: CUSTOMER_RO,
        derived: CUSTOMER_DERIVED,
        defaults: CUSTOMER_DEFAULTS,
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "company",
        id_space: "customer",
        id_prefix: None,
        cf_scope: Some("companies"),
        required: &[Required::All(&["cn"])],
        fields: customer_fields![f("cn", Kind::Str)],
        read_only: CUSTOMER_RO,
        derived: CUSTOMER_DERIVED,
        defaults: CUSTOMER_DEFAULTS,
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "case",
        id_space: "case",
        id_prefix: None,
        cf_scope: Some("cases"),
        required: &[Required::All(&["name"])],
        fields: shared_fields![
            f("name", Kind::Str),
            f("description", Kind::Str),
            f("leadUser", Kind::Ref(Target::User)),
            f("cust", Kind::Ref(Target::Customer)),
            f("tags", Kind::StrList),
            f("cf", Kind::CustomFields),
        ],
        read_only: &["id", "ao", "lm", "tasks", "notes", "files", "lfiles"],
        derived: &[d("tasks", "task", "case"), d("notes", "note", "case")],
        defaults: &[
            ("files", Default::EmptyList),
            ("lfiles", Default::EmptyList),
            ("gid", Default::Int(0)),
            ("is_private", Default::Bool(false)),
        ],
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "opportunity",
        id_space: "opportunity",
        id_prefix: None,
        cf_scope: Some("opportunities"),
        required: &[Required::All(&["name"])],
        fields: shared_fields![
            f("name", Kind::Str),
            f("description", Kind::Str),
            f("status", Kind::Str),
            f("value", Kind::Decimal),
            f("currency", Kind::Str),
            f("leadUser", Kind::Ref(Target::User)),
            f("cust", Kind::Ref(Target::Customer)),
            f("tags", Kind::StrList),
            f("cf", Kind::CustomFields),
        ],
        read_only: &[
            "id", "ao", "lm", "userId", "tasks", "notes", "files", "lfiles",
        ],
        derived: &[d("tasks", "task", "opp"), d("notes", "note", "opportunity")],
        defaults: &[
            ("status", Default::Str("Open")),
            ("files", Default::EmptyList),
            ("lfiles", Default::EmptyList),
            ("gid", Default::Int(0)),
            ("is_private", Default::Bool(false)),
        ],
        writable: true,
        updatable: true,
        records_creator: true,
    },
    Resource {
        name: "task",
        id_space: "task",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["name"])],
        fields: shared_fields![
            f("name", Kind::Str),
            f("atype", Kind::Enum(TASK_TYPES)),
            f("location", Kind::Str),
            f("cust", Kind::Ref(Target::Customer)),
            f("case", Kind::Ref(Target::Case)),
            f("opp", Kind::Ref(Target::Opportunity)),
            f("startDate", Kind::DateParts),
            f("endDate", Kind::DateParts),
            f("aUserId", Kind::Ref(Target::User)),
            f("is_completed", Kind::Bool),
            f("is_deleted", Kind::Bool),
            f("rec", Kind::Enum(RECURRENCES)),
            f("recevery", Kind::UInt),
            f("recopts", Kind::RecOpts),
        ],
        read_only: &["id", "ao", "lm", "userId", "comments"],
        derived: &[d("comments", "comment", "tid")],
        defaults: &[
            ("atype", Default::Str("Not set")),
            ("is_completed", Default::Bool(false)),
            ("is_deleted", Default::Bool(false)),
            ("rec", Default::Str("N")),
            ("recevery", Default::Int(1)),
            ("recopts", Default::EmptyObject),
            ("gid", Default::Int(0)),
            ("is_private", Default::Bool(false)),
        ],
        writable: true,
        updatable: true,
        records_creator: true,
    },
    Resource {
        name: "note",
        id_space: "note",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["desc"])],
        fields: shared_fields![
            f("desc", Kind::Str),
            f("type", Kind::Enum(NOTE_TYPES)),
            f("cust", Kind::RefOrList(Target::Customer)),
            f("case", Kind::Ref(Target::Case)),
            f("opportunity", Kind::Ref(Target::Opportunity)),
        ],
        read_only: &[
            "id", "ao", "lm", "comments", "files", "lfiles", "userId", "hl", "delvry", "email",
        ],
        derived: &[d("comments", "comment", "nid")],
        defaults: &[
            ("type", Default::Str("N")),
            ("delvry", Default::Str("N")),
            ("files", Default::EmptyList),
            ("lfiles", Default::EmptyList),
            ("gid", Default::Int(0)),
            ("is_private", Default::Bool(false)),
        ],
        writable: true,
        updatable: true,
        records_creator: true,
    },
    Resource {
        name: "comment",
        id_space: "comment",
        id_prefix: None,
        cf_scope: None,
        required: &[
            Required::All(&["comment"]),
            Required::ExactlyOne(&["nid", "tid"]),
        ],
        fields: &[
            f("comment", Kind::Str),
            f("nid", Kind::Ref(Target::Note)),
            f("tid", Kind::Ref(Target::Task)),
        ],
        read_only: &["id", "ao", "lm", "userId"],
        derived: &[],
        defaults: &[],
        writable: true,
        updatable: false,
        records_creator: true,
    },
    Resource {
        name: "customfield",
        id_space: "customfield",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["name", "elemType", "modelType"])],
        fields: &[
            f("name", Kind::Str),
            f("fullname", Kind::Str),
            f("elemType", Kind::Enum(ELEM_TYPES)),
            f("modelType", Kind::EnumList(MODEL_TYPES)),
            f("multiple", Kind::Bool),
            f("values", Kind::StrList),
            f("app", Kind::Str),
        ],
        read_only: &["id", "ao", "lm"],
        derived: &[],
        defaults: &[
            ("multiple", Default::Bool(false)),
            ("values", Default::EmptyList),
        ],
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "user",
        id_space: "user",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["user"])],
        fields: &[
            f("user", Kind::Str),
            f("email", Kind::Str),
            f("is_owner", Kind::Bool),
            f("is_admin", Kind::Bool),
            f("permissions", Kind::StrList),
            f("pending", Kind::Bool),
        ],
        read_only: &["id", "ao", "lm"],
        derived: &[],
        defaults: &[
            ("is_owner", Default::Bool(false)),
            ("is_admin", Default::Bool(false)),
            ("permissions", Default::EmptyList),
            ("pending", Default::Bool(false)),
        ],
        writable: false,
        updatable: false,
        records_creator: false,
    },
    Resource {
        name: "group",
        id_space: "group",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["name"])],
        fields: &[f("name", Kind::Str), f("gid", Kind::UInt)],
        read_only: &["id", "ao", "lm", "users"],
        derived: &[],
        defaults: &[("users", Default::EmptyList)],
        writable: false,
        updatable: false,
        records_creator: false,
    },
    Resource {
        name: "folder",
        id_space: "folder",
        id_prefix: Some("f"),
        cf_scope: None,
        required: &[Required::All(&["name"])],
        fields: shared_fields![
            f("name", Kind::Str),
            f("parentId", Kind::Ref(Target::Folder)),
        ],
        read_only: &["id", "ao", "lm", "is_dir"],
        derived: &[],
        defaults: &[("is_dir", Default::Bool(true)), ("gid", Default::Int(0))],
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "file",
        id_space: "file",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["name"])],
        fields: shared_fields![
            f("name", Kind::Str),
            f("parentId", Kind::Ref(Target::Folder)),
        ],
        read_only: &["id", "ao", "lm", "size"],
        derived: &[],
        defaults: &[("gid", Default::Int(0))],
        writable: true,
        updatable: true,
        records_creator: false,
    },
    Resource {
        name: "linkedfile",
        id_space: "linkedfile",
        id_prefix: None,
        cf_scope: None,
        required: &[Required::All(&["name"])],
        fields: shared_fields![f("name", Kind::Str)],
        read_only: &["id", "ao", "lm", "sys", "size", "link", "icon"],
        derived: &[],
        defaults: &[
            ("sys", Default::Str("D")),
            ("size", Default::Int(0)),
            ("gid", Default::Int(0)),
        ],
        writable: true,
        updatable: true,
        records_creator: false,
    },
];

/// Looks up a resource by its path segment.
pub(crate) fn resource(name: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.name == name)
}

/// Every reference field of the table: (resource, field, target, may be a list).
pub(crate) fn reference_fields(
) -> impl Iterator<Item = (&'static Resource, &'static Field, Target, bool)> {
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
            for fld in r.fields {
                assert!(
                    !r.read_only.contains(&fld.name),
                    "{}.{} both",
                    r.name,
                    fld.name
                );
            }
            for der in r.derived {
                assert!(r.read_only.contains(&der.field), "{}.{}", r.name, der.field);
                let child = resource(der.child).expect("child resource exists");
                assert!(child.fields.iter().any(|f| f.name == der.via));
            }
        }
        assert_eq!(RESOURCES.len(), 13);
    }
}
