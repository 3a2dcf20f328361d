//! What a row of the rules table is: everything the sandbox knows about one resource (its
//! required fields, its columns, its derived lists, the values the server fills in).

use super::field::{Field, Kind};

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
pub(super) const fn children(
    field: &'static str,
    child: &'static str,
    via: &'static str,
) -> Derived {
    Derived {
        field,
        child,
        via,
        on_delete: OnParentDelete::Unlink,
    }
}

/// A derived list whose children are deleted with the parent.
pub(super) const fn owned_children(
    field: &'static str,
    child: &'static str,
    via: &'static str,
) -> Derived {
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
