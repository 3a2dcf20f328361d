//! Fields by name: what a resource's fields are called, and setting one from JSON.
//!
//! For generic tools (a command line, an import) that take field names as data; typed code
//! uses the typed setters.

use crate::error::ValidationError;

/// One field of a resource, as the `resource!` table declares it.
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
/// use clevertim_core::{Contact, Fields};
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
/// # Ok::<(), clevertim_core::ValidationError>(())
/// ```
pub trait Fields {
    /// Every field the SDK knows, in the table's order (not `id`).
    const FIELDS: &'static [FieldInfo];

    /// The field called `name`: its SDK name or its wire name.
    fn field(name: &str) -> Option<&'static FieldInfo> {
        Self::FIELDS
            .iter()
            .find(|f| f.name == name || f.wire == name)
    }

    /// Sets the field called `name` (SDK or wire name) from JSON, as its typed setter would
    /// (`null` clears it); the next save sends it. A name the SDK does not know is set as an
    /// extra field ([`set_extra`](crate::Contact::set_extra)). Refused, with the reason: a
    /// value of the wrong type, a field the server computes, and `id`.
    fn set_field(
        &mut self,
        name: &str,
        value: serde_json::Value,
    ) -> Result<&mut Self, ValidationError>;
}
