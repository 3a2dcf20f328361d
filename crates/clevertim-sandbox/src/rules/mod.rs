//! The per-resource rules table: one declarative description of every resource the
//! sandbox serves (required fields, writable and computed fields with their kinds,
//! references, enumerations, derived lists, the values the server fills in, the extras it
//! sends on purpose). Everything else in the crate is driven by [`RESOURCES`]: the store
//! and the validation name no resource but custom fields, whose definitions other objects'
//! `cf` values are checked against.
//!
//! The parts:
//!
//! - [`field`]: what a field is ([`Field`]: a name and a [`Kind`], the JSON shape a write
//!   must have; a reference's [`Target`]);
//! - [`resource`]: what a row is ([`Resource`]: required fields, columns, derived lists,
//!   the values the server fills in);
//! - [`values`]: the closed value sets an enumerated field accepts;
//! - [`table`]: the rows, [`RESOURCES`];
//! - [`lookup`]: the questions the rest of the crate asks of the table.

mod field;
mod lookup;
mod resource;
mod table;
mod values;

pub(crate) use field::{Field, Kind, Target};
pub(crate) use lookup::{elem_type_target, reference_fields, resource};
pub(crate) use resource::{OnParentDelete, Required, Resource};
pub(crate) use table::RESOURCES;
pub(crate) use values::{ELEM_TYPES, MODEL_TYPES, PHONE_TYPES, VENUES};
