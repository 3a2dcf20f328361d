//! The rules table itself: one row per resource the sandbox serves, written from a common
//! base ([`BASE`], and [`CUSTOMER`] for contacts and companies) so that a row says only how
//! its resource differs.

use super::field::{Field, Kind, Target, field};
use super::resource::{FirstLine, Initial, Required, Resource, children, owned_children};
use super::values::{CTYPES, ELEM_TYPES, MODEL_TYPES, NOTE_TYPES, RECURRENCES, TASK_TYPES};

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

#[cfg(test)]
mod tests {
    use super::RESOURCES;
    use crate::rules::resource;

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
