//! `resource!`: a resource's struct, wire codec, accessors, change tracking and
//! `impl Resource`, all from one header and one field table.

#[macro_use]
mod by_name;
#[macro_use]
mod codec;
#[macro_use]
mod options;
#[macro_use]
mod access;

/// A resource, from its header and its field table.
///
/// The header reads `[shared] struct Name at "path", option, …` where each option is one of
/// - `list_only`: the API is only ever asked for the whole list ([`Resource::LIST_ONLY`]),
/// - `read_only`: clients may not write it ([`Resource::WRITABLE`]),
/// - `custom_fields(scope)`: it has custom field values of `scope` (row `custom_field_values`);
///   adds `set_custom_field` and `custom_field`, and implements `CustomFieldOwner`,
/// - `related(getter, …)`: the objects these getters name list this one ([`Resource::related`]),
/// - `check(function)`: rules beyond its fields' own ([`Resource::check`]),
/// - `required(["a", "b"], …)`: a new object needs one of each list's fields
///   ([`Resource::REQUIRED`]),
/// - `in_folder`: it lives in a folder (row `parent_key`); adds `set_parent` and `set_root`.
///
/// `shared` adds the visibility fields `is_private`, `puser` and `gid`, and every resource
/// gets `ao` and `lm`.
///
/// Each row reads `rw|ro getter: kind = "wire";` where kind is
/// - `text`: a string; the getter gives `Option<&str>`,
/// - `list<Type>`: a list; the getter gives `&[Type]`, and `getter_mut` edits it,
/// - `scalar<Type>`: a small value (a number, a flag, an enum, a key); the getter gives a copy,
///   `Option<Type>`,
/// - `record<Type>`: a structured value; the getter lends it, `Option<&Type>`, and
///   `getter_mut` edits it.
///
/// `rw` rows get `set_getter` and `clear_getter` (which writes `null`); `ro` rows are computed
/// by the server and never sent.
///
/// [`Resource::LIST_ONLY`]: crate::model::Resource::LIST_ONLY
/// [`Resource::WRITABLE`]: crate::model::Resource::WRITABLE
/// [`Resource::related`]: crate::model::Resource::related
/// [`Resource::check`]: crate::model::Resource::check
/// [`Resource::REQUIRED`]: crate::model::Resource::REQUIRED
macro_rules! resource {
    (
        $(#[$meta:meta])*
        shared struct $name:ident at $path:literal $(, $option:ident $(($($arg:tt)*))?)* {
            $($rows:tt)*
        }
    ) => {
        resource! {
            $(#[$meta])*
            struct $name at $path $(, $option $(($($arg)*))?)* {
                $($rows)*
                /// Whether the object is visible only to its owner.
                rw is_private: scalar<bool> = "is_private";
                /// The user the object is private to.
                rw private_user: scalar<$crate::key::Key<$crate::model::User>> = "puser";
                /// The groups the object is shared with (the OR of their bits; 0 = everyone).
                rw group_mask: scalar<u64> = "gid";
            }
        }
        impl $name {
            /// Who may see the object, derived from `is_private`, `puser` and `gid`.
            pub fn visibility(&self) -> $crate::model::Visibility {
                $crate::model::Visibility::from_parts(
                    self.is_private(),
                    self.private_user(),
                    self.group_mask(),
                )
            }

            /// Makes the object visible to everyone, to some groups, or to one user only.
            pub fn set_visibility(&mut self, visibility: $crate::model::Visibility) -> &mut Self {
                let (private, user, mask) = visibility.into_parts();
                self.set_is_private(private);
                match user {
                    Some(user) => self.set_private_user(user),
                    None => self.clear_private_user(),
                };
                self.set_group_mask(mask)
            }
        }
    };
    (
        $(#[$meta:meta])*
        struct $name:ident at $path:literal $(, $option:ident $(($($arg:tt)*))?)* {
            $( $(#[doc = $doc:literal])* $mode:ident $field:ident : $kind:ident $(<$ty:ty>)? = $wire:literal; )*
        }
    ) => {
        resource! { @emit [$(#[$meta])*] $name $path [$( $option ($($($arg)*)?) )*] [
            $( [$(#[doc = $doc])*] $mode $field $kind ($($ty)?) $wire )*
            [#[doc = "When the object was added (ISO-8601, UTC)."]] ro added_on text () "ao"
            [#[doc = "When the object was last modified (ISO-8601, UTC)."]] ro last_modified text () "lm"
        ] }
    };
    (@emit [$(#[$meta:meta])*] $name:ident $path:literal $options:tt $rows:tt) => {
        pastey::paste! {
            resource!(@field_enum $name [<$name Field>] $rows);
            resource!(@struct [$(#[$meta])*] $name [<$name Field>] $path $options $rows);
            resource!(@resource $name [<$name Field>] $path $options);
            resource_by_name!(@by_name $name [<$name Field>] $path $rows);
            resource_codec!(@encode $name [<$name Field>] $rows);
            resource_codec!(@decode $name $rows);
            resource_options!(@traits $name $options);
        }
    };

    // The fields as an enum: the bits of the change tracking.
    (@field_enum $name:ident $idx:ident [$( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($($ty:ty)?) $wire:literal )*]) => {
        #[doc = concat!("The fields of [`", stringify!($name), "`], in its table's order.")]
        #[allow(non_camel_case_types, clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $idx { $($field,)* }

        // Change tracking keeps one bit per field in a u64.
        const _: () = assert!([$(stringify!($field)),*].len() <= 64, "too many fields");

        impl $crate::model::codec::Field for $idx {
            fn bit(self) -> u32 {
                self as u32
            }

            fn wire(self) -> &'static str {
                match self { $( Self::$field => $wire, )* }
            }

            fn is_writable(self) -> bool {
                match self { $( Self::$field => resource!(@writable $mode), )* }
            }
        }
    };

    // The struct and its methods.
    (@struct [$(#[$meta:meta])*] $name:ident $idx:ident $path:literal [$( $option:ident ($($arg:tt)*) )*] [$( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($($ty:ty)?) $wire:literal )*]) => {
        $(#[$meta])*
        #[derive(Clone, Default)]
        pub struct $name {
            id: Option<$crate::key::Id>,
            $( $field: $crate::model::codec::Slot<resource!(@store $kind ($($ty)?))>, )*
            extra: serde_json::Map<String, serde_json::Value>,
            changes: $crate::model::codec::Changes,
            /// The session's account it was loaded from or saved to; not part of equality,
            /// `Debug` or the serialized form.
            origin: Option<$crate::model::Origin>,
        }

        impl $name {
            /// A new object, not yet saved: it has no key.
            pub fn new() -> Self {
                Self::default()
            }

            /// An object that stands for the saved one with `key`, with no fields loaded: set
            /// fields on it and save it to update just those, without loading it first.
            pub fn with_key(key: impl Into<$crate::key::Key<$name>>) -> Self {
                Self {
                    id: Some(key.into().id().clone()),
                    ..Self::default()
                }
            }

            /// The object's key; `None` until it is saved, and again once it is deleted.
            ///
            /// The same as [`Resource::key`](crate::model::Resource::key), without the
            /// trait in scope.
            pub fn key(&self) -> Option<$crate::key::Key<$name>> {
                self.id.clone().map($crate::key::Key::new)
            }

            /// The endpoint and account this object was loaded from or saved to; `None` for an
            /// object built by hand, which any session may save.
            pub fn origin(&self) -> Option<&$crate::model::Origin> {
                self.origin.as_ref()
            }

            /// A new object with this one's fields and no key and no origin: saved through a
            /// session, it is created there. This is the way to copy an object to another
            /// account (a session refuses to write an object loaded from another account).
            ///
            /// References to other objects (keys) are copied as they are: they name objects
            /// of the account the original came from.
            pub fn copy_as_new(&self) -> Self {
                Self {
                    id: None,
                    changes: Default::default(),
                    origin: None,
                    ..self.clone()
                }
            }

            /// The fields the server sent that this SDK does not know; they are kept and
            /// written back untouched.
            pub fn extra(&self) -> &serde_json::Map<String, serde_json::Value> {
                &self.extra
            }

            /// Sets a field this SDK has no typed accessor for; it is sent on the next save.
            ///
            /// # Errors
            ///
            /// A [`ValidationError`](crate::ValidationError) for a field the SDK knows (use
            /// its setter) and for `id`.
            pub fn set_extra(
                &mut self,
                name: impl Into<String>,
                value: serde_json::Value,
            ) -> Result<&mut Self, $crate::error::ValidationError> {
                let name = name.into();
                if name == "id" || [$($wire),*].contains(&name.as_str()) {
                    return Err($crate::error::ValidationError::new(
                        $path,
                        name,
                        value.to_string(),
                        "is a field with its own setter (or the key): set it there",
                    ));
                }
                self.changes.mark_extra(&name);
                self.extra.insert(name, value);
                Ok(self)
            }

            /// Whether the object has changes a save would send.
            pub fn has_changes(&self) -> bool {
                self.changes.any()
            }

            /// Whether a write in `mode` sends `field`: a writable one, on a create when it
            /// is set, on an update when it changed.
            fn sends(&self, field: $idx, mode: $crate::model::codec::WriteMode) -> bool {
                use $crate::model::codec::{Field as _, WriteMode};
                field.is_writable()
                    && match mode {
                        WriteMode::Create => true,
                        WriteMode::Update => self.changes.has(field.bit()),
                    }
            }

            /// Writes the fields `include` picks and the unknown ones `include_extra` picks.
            fn write_entries<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
                include: impl Fn($idx) -> bool,
                include_extra: impl Fn(&str) -> bool,
            ) -> Result<(), M::Error> {
                $(
                    if include($idx::$field) {
                        $crate::model::codec::write_entry(map, $wire, &self.$field)?;
                    }
                )*
                for (name, value) in &self.extra {
                    if include_extra(name) {
                        map.serialize_entry(name, value)?;
                    }
                }
                Ok(())
            }

            $( resource_access!(@access $mode $field $kind ($($ty)?) $wire $idx [$(#[$fmeta])*]); )*
            $( resource_options!(@methods $option ($($arg)*)); )*
        }
    };

    (@resource $name:ident $idx:ident $path:literal [$( $option:ident ($($arg:tt)*) )*]) => {
        impl $crate::model::Resource for $name {
            const PATH: &'static str = $path;

            fn has_changes(&self) -> bool {
                self.changes.any()
            }

            $( resource_options!(@option $option $idx ($($arg)*)); )*
        }
    };

    (@store text ()) => { String };
    (@store list ($ty:ty)) => { Vec<$ty> };
    (@store scalar ($ty:ty)) => { $ty };
    (@store record ($ty:ty)) => { $ty };

    (@writable rw) => { true };
    (@writable ro) => { false };

    // The slot of `$field`, readied for a change (see `codec::edit`).
    (@edit $this:ident $field:ident $idx:ident) => {
        $crate::model::codec::edit(&mut $this.$field, $idx::$field, &mut $this.changes, &mut $this.extra)
    };

}
