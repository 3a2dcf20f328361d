//! The rules table's field names, for the workspace's drift test (`tests/tests/it/drift.rs`),
//! which checks them against the client's models. Not part of the stable API.

use crate::rules::RESOURCES;

/// The fields of one resource as the sandbox serves them, by column.
///
/// ```
/// let contact = clevertim_sandbox::table::resources()
///     .into_iter()
///     .find(|r| r.name == "contact")
///     .expect("the sandbox serves contacts");
/// assert!(contact.writable.contains(&"fn"));
/// assert!(contact.derived.contains(&"notes"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFields {
    /// The path segment, e.g. `contact`.
    pub name: &'static str,
    /// Whether clients may create, update and delete these objects.
    pub writable_resource: bool,
    /// The fields a client may write.
    pub writable: Vec<&'static str>,
    /// The fields the server computes (besides `id`, `ao`, `lm`).
    pub computed: Vec<&'static str>,
    /// The lists derived from the children that point at an object.
    pub derived: Vec<&'static str>,
    /// The fields the real API sends undocumented, which clients must keep without knowing.
    pub extras: Vec<&'static str>,
}

/// Every resource of the rules table, in its order.
pub fn resources() -> Vec<ResourceFields> {
    RESOURCES
        .iter()
        .map(|r| ResourceFields {
            name: r.name,
            writable_resource: r.writable,
            writable: r.fields.iter().map(|f| f.name).collect(),
            computed: r.computed.iter().map(|f| f.name).collect(),
            derived: r.derived.iter().map(|d| d.field).collect(),
            extras: r.extras.iter().map(|(name, _)| *name).collect(),
        })
        .collect()
}
