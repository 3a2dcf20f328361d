//! Questions asked of the rules table: a resource by name, every reference field, the
//! resource a custom field's type refers to.

use super::field::{Field, Kind, Target};
use super::resource::Resource;
use super::table::RESOURCES;

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
