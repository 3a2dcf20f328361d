//! Fields by name: what a resource's fields are called, and setting one from JSON.
//!
//! For generic tools (a command line, an import) that take field names as data; typed code
//! uses the typed setters.

use crate::error::ValidationError;

/// One field of a resource, as the `resource!` table declares it.
///
/// ```
/// use clevertim::{Fields, Task};
/// // The fields a client may set, with their wire names: e.g. for an import's column mapping.
/// let settable: Vec<(&str, &str)> =
///     Task::FIELDS.iter().filter(|f| f.writable).map(|f| (f.name, f.wire)).collect();
/// assert!(settable.contains(&("task_type", "atype")));
/// assert!(!settable.iter().any(|(_, wire)| *wire == "lm"), "computed by the server");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldInfo {
    /// The SDK's name for it: its getter, e.g. `first_name`.
    pub name: &'static str,
    /// Its name on the wire, e.g. `fn`.
    pub wire: &'static str,
    /// Whether clients may set it (`false` for fields the server computes).
    pub writable: bool,
}

/// The fields of a resource, listed and set by name.
///
/// ```
/// use clevertim::{Contact, Fields};
/// use serde_json::json;
///
/// let first = Contact::field("first_name").unwrap();
/// assert_eq!((first.wire, first.writable), ("fn", true));
///
/// let mut mike = Contact::with_key(4);
/// mike.set_field("first_name", json!("Mike"))?;   // by the SDK's name …
/// mike.set_field("email", json!(["mike@example.com"]))?; // … or by the wire name
/// assert_eq!(mike.first_name(), Some("Mike"));
/// assert!(mike.set_field("lm", json!("2026-01-01")).is_err()); // computed by the server
/// assert!(mike.set_field("fn", json!(42)).is_err());            // not a string
/// # Ok::<(), clevertim::ValidationError>(())
/// ```
pub trait Fields {
    /// Every field the SDK knows, in the table's order (not `id`).
    const FIELDS: &'static [FieldInfo];

    /// The field called `name`: its SDK name or its wire name.
    ///
    /// ```
    /// use clevertim::{Company, Fields};
    /// assert_eq!(Company::field("cn").map(|f| f.name), Some("name"));
    /// assert_eq!(Company::field("name").map(|f| f.wire), Some("cn"));
    /// assert_eq!(Company::field("nickname"), None);
    /// ```
    fn field(name: &str) -> Option<&'static FieldInfo> {
        Self::FIELDS
            .iter()
            .find(|f| f.name == name || f.wire == name)
    }

    /// Sets the field called `name` (SDK or wire name) from JSON, as its typed setter would
    /// (`null` clears it); the next save sends it. A name the SDK does not know is set as an
    /// extra field ([`set_extra`](crate::Contact::set_extra)). Refused, with the reason: a
    /// value of the wrong type, a field the server computes, and `id`.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the field when the value has the wrong type, the field
    /// is computed by the server, or it is `id`; the object is left unchanged.
    ///
    /// ```
    /// use clevertim::{Fields, Task};
    /// use serde_json::json;
    /// let mut call = Task::new();
    /// call.set_field("name", json!("Call Jane"))?.set_field("location", json!("Phone"))?;
    /// assert_eq!(call.location(), Some("Phone"));
    /// let refused = call.set_field("name", json!(["not", "a", "string"])).unwrap_err();
    /// assert_eq!(refused.field, "name");
    /// # Ok::<(), clevertim::ValidationError>(())
    /// ```
    fn set_field(
        &mut self,
        name: &str,
        value: serde_json::Value,
    ) -> Result<&mut Self, ValidationError>;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{FieldInfo, Fields};
    use crate::model::codec::{WireFields, WriteMode};
    use crate::model::*;

    fn check_table(resource: &str, fields: &[FieldInfo]) {
        for (i, field) in fields.iter().enumerate() {
            for other in &fields[i + 1..] {
                assert_ne!(field.name, other.name, "{resource}: a name twice");
                assert_ne!(field.wire, other.wire, "{resource}: a wire name twice");
            }
        }
        for computed in ["ao", "lm"] {
            let field = fields.iter().find(|f| f.wire == computed);
            assert!(field.is_some_and(|f| !f.writable), "{resource}: {computed}");
        }
    }

    #[test]
    fn every_table_names_each_field_once() {
        check_table("contact", Contact::FIELDS);
        check_table("company", Company::FIELDS);
        check_table("case", Case::FIELDS);
        check_table("opportunity", Opportunity::FIELDS);
        check_table("task", Task::FIELDS);
        check_table("note", Note::FIELDS);
        check_table("comment", Comment::FIELDS);
        check_table("customfield", CustomField::FIELDS);
        check_table("user", User::FIELDS);
        check_table("group", Group::FIELDS);
        check_table("folder", Folder::FIELDS);
        check_table("file", File::FIELDS);
        check_table("linkedfile", LinkedFile::FIELDS);
    }

    /// The body a save would send.
    fn body<R: WireFields>(object: &R, mode: WriteMode) -> serde_json::Value {
        use serde::ser::SerializeMap as _;
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        let mut map = serde::Serializer::serialize_map(&mut ser, None).expect("map");
        object.write_fields(&mut map, mode).expect("fields");
        map.end().expect("end");
        serde_json::from_slice(&out).expect("json")
    }

    #[test]
    fn a_field_set_by_name_is_sent_alone_and_typed() {
        let mut task: Task =
            serde_json::from_value(json!({"id": 7, "name": "Call", "atype": "Call"}))
                .expect("task");
        task.set_field("startDate", json!({"y": 2026, "mo": 12, "d": 1}))
            .expect("by wire name");
        task.set_field("is_completed", json!(true))
            .expect("by SDK name");
        assert_eq!(
            body(&task, WriteMode::Update),
            json!({"id": 7, "startDate": {"y": 2026, "mo": 12, "d": 1}, "is_completed": true})
        );
        assert_eq!(task.start_date(), Some(TaskDate::new(2026, 12, 1)));

        task.set_field("location", serde_json::Value::Null)
            .expect("null clears");
        assert_eq!(body(&task, WriteMode::Update)["location"], json!(null));
        task.set_field("atypet", json!("x"))
            .expect("unknown: extra");
        assert_eq!(task.extra()["atypet"], json!("x"));

        let refused = |r: Result<&mut Task, crate::ValidationError>| r.is_err();
        assert!(refused(task.set_field("userId", json!(1))), "computed");
        assert!(refused(task.set_field("id", json!(8))), "the key");
        assert!(refused(task.set_field("recevery", json!("often"))), "type");
    }
}
