//! The domain models: one module per resource, plus the value types they share.
//!
//! Every model keeps the fields the server sends that it does not know and writes them back;
//! a save of a loaded object sends only what changed.
//!
//! Each resource's file declares it once with the `resource!` macro (`macros.rs`): a header
//! (its path and options such as `list_only` or `custom_fields(…)`) and a table of its fields,
//! from which the struct, its accessors, its change tracking, its wire codec (built from the
//! pieces in `codec.rs`) and its [`Resource`] implementation are generated. Enumerations come
//! from `wire_enum!` (`wire_enum.rs`), the value types they share from `values.rs`.

#[macro_use]
mod wire_enum;
#[macro_use]
mod macros;
#[macro_use]
mod customer;
#[doc(hidden)]
pub mod codec;

mod case;
mod comment;
mod company;
mod contact;
mod custom_field;
mod custom_values;
mod enums;
mod fields;
mod file;
mod group;
mod note;
mod opportunity;
mod origin;
mod required;
mod resource;
mod task;
mod user;
mod values;

pub use case::Case;
pub use comment::Comment;
pub use company::Company;
pub use contact::Contact;
pub use custom_field::CustomField;
pub use custom_values::{CustomFieldOwner, CustomFieldValue, CustomFieldValues};
pub use customer::Customer;
pub use enums::{
    CustomerType, DeliveryState, ElemType, FileStore, NoteType, PhoneType, RecipientStatus,
    Recurrence, Scope, SocialMediaVenue, TaskType,
};
pub use fields::{FieldInfo, Fields};
pub use file::{File, Folder, LinkedFile};
pub use group::Group;
pub use note::{Note, NoteCustomers};
pub use opportunity::Opportunity;
pub use origin::Origin;
pub(crate) use required::check_required;
pub use resource::Resource;
pub use task::Task;
pub use user::User;
pub use values::{
    EmailInfo, EmailRecipient, PhoneNumber, RecurrenceOptions, SocialMediaId, TaskDate,
    TaskDateTime, TaskTime, Visibility,
};
