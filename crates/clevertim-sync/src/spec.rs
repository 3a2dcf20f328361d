//! What the mirror holds of each resource: its table, its typed columns, its child tables.
//!
//! Fields are named here by the SDK's names (`first_name`); their wire names come from the
//! core's [`Fields`] tables, so no wire name is spelled in this crate.

use clevertim_core::{
    BoxFuture, Case, Comment, Company, Contact, CustomField, FieldInfo, Fields, File, Folder,
    Group, LinkedFile, Note, Opportunity, Resource, Session, Task, User,
};

use crate::canonical::{Canonical, sha256_hex};
use crate::error::{Error, Result};

/// A column's SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SqlType {
    /// Text (also every key: folder keys are strings).
    Text,
    /// A 64-bit integer.
    Int,
    /// A boolean.
    Bool,
    /// JSON (`TEXT` in SQLite, `JSONB` in PostgreSQL).
    Json,
}

/// What becomes of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A typed column of the resource's table.
    Column(SqlType),
    /// A child table `(owner_id, position, value)`: a list that is the source of truth.
    List(SqlType),
    /// Rows of the shared `custom_field_values` table.
    CustomFields,
    /// A list the server derives from other objects' links: a view, not stored.
    Derived,
}

/// One field of a table, as mirrored.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The SDK's name.
    pub(crate) name: &'static str,
    /// The wire name (from the core).
    pub(crate) wire: &'static str,
    /// The column or child table's name.
    pub(crate) column: String,
    /// What becomes of it.
    pub(crate) kind: Kind,
}

/// One object as read: text, not a JSON tree (a run holds the whole account in memory
/// between reading and writing).
#[derive(Debug, Clone)]
pub(crate) struct Object {
    /// Its key.
    pub(crate) id: String,
    /// Its canonical wire JSON ([`crate::canonical`]).
    pub(crate) wire: String,
    /// The SHA-256 of `wire`, in hex: what the run compares with the mirror's.
    pub(crate) sha256: String,
}

/// Every object of one resource.
pub(crate) type Objects = Vec<Object>;

/// What was listed of one resource, still typed: [`Listed::objects`] makes its canonical JSON,
/// apart from the reading, so that the next resource's reading need not wait for it.
pub(crate) struct Listed {
    /// How many objects were listed (with a key: the others are not mirrored).
    pub(crate) count: usize,
    make: MakeObjects,
}

/// Makes a listing's objects (it owns the listing).
type MakeObjects = Box<dyn FnOnce(&mut Canonical) -> Result<Objects> + Send>;

impl Listed {
    /// The objects, with their canonical JSON and its digest (objects without a key left out).
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when an object cannot be serialized.
    pub(crate) fn objects(self, canonical: &mut Canonical) -> Result<Objects> {
        (self.make)(canonical)
    }
}

/// Lists every object of one resource.
pub(crate) type ReadFn = for<'a> fn(&'a Session) -> BoxFuture<'a, Result<Listed>>;

/// One resource's table.
pub(crate) struct Table {
    /// The resource's path (`contact`).
    pub(crate) resource: &'static str,
    /// The table's name (`contacts`).
    pub(crate) name: &'static str,
    /// Every field the SDK knows.
    pub(crate) fields: Vec<Field>,
    /// Reads the resource.
    pub(crate) read: ReadFn,
}

impl Table {
    /// The typed columns.
    pub(crate) fn columns(&self) -> impl Iterator<Item = (&Field, SqlType)> {
        self.fields.iter().filter_map(|f| match f.kind {
            Kind::Column(ty) => Some((f, ty)),
            _ => None,
        })
    }

    /// The child tables: (field, table name, item type).
    pub(crate) fn lists(&self) -> impl Iterator<Item = (&Field, String, SqlType)> {
        self.fields.iter().filter_map(|f| match f.kind {
            Kind::List(ty) => Some((f, format!("{}_{}", singular(self.name), f.column), ty)),
            _ => None,
        })
    }

    /// The custom field values' field, when the resource has them.
    pub(crate) fn custom_fields(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.kind == Kind::CustomFields)
    }
}

/// `contacts` → `contact`, `companies` → `company`.
pub(crate) fn singular(table: &str) -> String {
    if let Some(stem) = table.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        table.strip_suffix('s').unwrap_or(table).to_owned()
    }
}

/// Fields that are references to other objects: their column gets an `_id` suffix.
const REFERENCES: &[&str] = &[
    "private_user",
    "company",
    "lead_user",
    "who",
    "case",
    "opportunity",
    "assigned_to",
    "created_by",
    "note",
    "task",
    "parent_key",
];

/// Columns renamed because their SDK name is an SQL keyword.
/// (`values` would make `custom_field_values`, the table of every object's custom field values.)
const RENAMED: &[(&str, &str)] = &[
    ("start", "start_at"),
    ("end", "end_at"),
    ("parent_key", "parent"),
    ("values", "allowed_values"),
];

/// Lists that are the source of truth, with their items' type.
const LISTS: &[(&str, SqlType)] = &[
    ("emails", SqlType::Text),
    ("websites", SqlType::Text),
    ("phone_numbers", SqlType::Json),
    ("social_media_ids", SqlType::Json),
    ("tags", SqlType::Text),
    ("files", SqlType::Text),
    ("linked_files", SqlType::Text),
    ("scopes", SqlType::Text),
    ("values", SqlType::Text),
    ("permissions", SqlType::Text),
    ("users", SqlType::Text),
    ("customers", SqlType::Text),
];

/// Lists the server derives from the children's links (views in the mirror).
const DERIVED: &[&str] = &["notes", "tasks", "cases", "opportunities", "comments"];

/// Typed columns that are not text.
const TYPED: &[(&str, SqlType)] = &[
    ("is_private", SqlType::Bool),
    ("group_mask", SqlType::Int),
    ("is_company", SqlType::Bool),
    ("is_completed", SqlType::Bool),
    ("is_deleted", SqlType::Bool),
    ("recurrence_every", SqlType::Int),
    ("start", SqlType::Json),
    ("end", SqlType::Json),
    ("recurrence_options", SqlType::Json),
    ("email_info", SqlType::Json),
    ("multiple", SqlType::Bool),
    ("is_owner", SqlType::Bool),
    ("is_admin", SqlType::Bool),
    ("pending", SqlType::Bool),
    ("bit", SqlType::Int),
    ("is_dir", SqlType::Bool),
    ("size", SqlType::Int),
];

fn lookup<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn field(info: &FieldInfo) -> Field {
    let kind = if info.name == "custom_field_values" {
        Kind::CustomFields
    } else if DERIVED.contains(&info.name) {
        Kind::Derived
    } else if let Some(ty) = lookup(LISTS, info.name) {
        Kind::List(ty)
    } else {
        Kind::Column(lookup(TYPED, info.name).unwrap_or(SqlType::Text))
    };
    let base = lookup(RENAMED, info.name).unwrap_or(info.name);
    let column = if REFERENCES.contains(&info.name) {
        format!("{base}_id")
    } else {
        base.to_owned()
    };
    Field {
        name: info.name,
        wire: info.wire,
        column,
        kind,
    }
}

fn read<R: Resource + Send + 'static>(session: &Session) -> BoxFuture<'_, Result<Listed>> {
    Box::pin(async move {
        let objects = session.all::<R>().await.map_err(|source| Error::Read {
            resource: R::PATH,
            source,
        })?;
        Ok(Listed {
            count: objects
                .iter()
                .filter(|o| Resource::key(*o).is_some())
                .count(),
            make: Box::new(move |canonical| canonical_objects(canonical, &objects)),
        })
    })
}

fn canonical_objects<R: Resource>(canonical: &mut Canonical, objects: &[R]) -> Result<Objects> {
    let mut out = Vec::with_capacity(objects.len());
    for object in objects {
        let Some(key) = Resource::key(object) else {
            continue;
        };
        let wire = canonical.write(object)?;
        out.push(Object {
            id: key.id().to_string(),
            sha256: sha256_hex(&wire),
            wire,
        });
    }
    Ok(out)
}

fn table<R: Resource + Fields + Send + 'static>(name: &'static str) -> Table {
    Table {
        resource: R::PATH,
        name,
        fields: R::FIELDS.iter().map(field).collect(),
        read: read::<R>,
    }
}

/// Every resource's table, users first (they identify the account).
pub(crate) fn tables() -> Vec<Table> {
    vec![
        table::<User>("users"),
        table::<Group>("groups"),
        table::<CustomField>("custom_fields"),
        table::<Contact>("contacts"),
        table::<Company>("companies"),
        table::<Case>("cases"),
        table::<Opportunity>("opportunities"),
        table::<Task>("tasks"),
        table::<Note>("notes"),
        table::<Comment>("comments"),
        table::<Folder>("folders"),
        table::<File>("files"),
        table::<LinkedFile>("linked_files"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_child_tables_have_distinct_sql_names() {
        let tables = tables();
        let mut names: Vec<String> = tables.iter().map(|t| t.name.to_owned()).collect();
        names.push("custom_field_values".to_owned());
        for table in &tables {
            let mut columns: Vec<&str> = table.fields.iter().map(|f| f.column.as_str()).collect();
            columns.sort_unstable();
            let before = columns.len();
            columns.dedup();
            assert_eq!(before, columns.len(), "{}: a column twice", table.name);
            names.extend(table.lists().map(|(_, name, _)| name));
        }
        let before = names.len();
        names.sort();
        names.dedup();
        assert_eq!(before, names.len(), "a table name twice");
    }

    #[test]
    fn lists_and_references_are_classified() {
        let tables = tables();
        let contacts = tables
            .iter()
            .find(|t| t.name == "contacts")
            .expect("contacts");
        let kind = |name: &str| {
            contacts
                .fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| (f.column.clone(), f.kind))
        };
        assert_eq!(
            kind("emails"),
            Some(("emails".into(), Kind::List(SqlType::Text)))
        );
        assert_eq!(
            kind("company"),
            Some(("company_id".into(), Kind::Column(SqlType::Text)))
        );
        assert_eq!(kind("notes").map(|k| k.1), Some(Kind::Derived));
        assert_eq!(
            kind("custom_field_values").map(|k| k.1),
            Some(Kind::CustomFields)
        );
        assert_eq!(singular("companies"), "company");
        assert_eq!(singular("notes"), "note");
    }
}
