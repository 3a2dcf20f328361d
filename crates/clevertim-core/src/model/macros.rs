//! `resource!`: a resource's struct, wire codec, accessors, change tracking and
//! `impl Resource`, all from one header and one field table.

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
            resource!(@by_name $name [<$name Field>] $path $rows);
            resource!(@encode $name [<$name Field>] $rows);
            resource!(@decode $name $rows);
            resource!(@traits $name $options);
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

            $( resource!(@access $mode $field $kind ($($ty)?) $wire $idx [$(#[$fmeta])*]); )*
            $( resource!(@methods $option ($($arg)*)); )*
        }
    };

    (@resource $name:ident $idx:ident $path:literal [$( $option:ident ($($arg:tt)*) )*]) => {
        impl $crate::model::Resource for $name {
            const PATH: &'static str = $path;

            fn has_changes(&self) -> bool {
                self.changes.any()
            }

            $( resource!(@option $option $idx ($($arg)*)); )*
        }
    };

    // Fields by name (`Fields`).
    (@by_name $name:ident $idx:ident $path:literal [$( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($($ty:ty)?) $wire:literal )*]) => {
        impl $crate::model::Fields for $name {
            const FIELDS: &'static [$crate::model::FieldInfo] = &[
                $( $crate::model::FieldInfo {
                    name: stringify!($field),
                    wire: $wire,
                    writable: resource!(@writable $mode),
                }, )*
            ];

            fn set_field(
                &mut self,
                name: &str,
                value: serde_json::Value,
            ) -> Result<&mut Self, $crate::error::ValidationError> {
                use $crate::model::codec::Slot;
                $(
                    if name == stringify!($field) || name == $wire {
                        if !resource!(@writable $mode) {
                            return Err($crate::error::ValidationError::new(
                                $path,
                                $wire,
                                value.to_string(),
                                "is read-only: the server computes it",
                            ));
                        }
                        let slot = if value.is_null() {
                            Slot::Null
                        } else {
                            let typed = serde_json::from_value(value.clone())
                                .map_err(|e| $crate::error::ValidationError::new(
                                    $path,
                                    $wire,
                                    value.to_string(),
                                    format!("is not a valid value: {e}"),
                                ))?;
                            Slot::Value(typed)
                        };
                        *resource!(@edit self $field $idx) = slot;
                        return Ok(self);
                    }
                )*
                self.set_extra(name, value)
            }
        }
    };

    // What goes out: debug output, equality, write bodies and the stored form.
    (@encode $name:ident $idx:ident [$( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($($ty:ty)?) $wire:literal )*]) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(stringify!($name));
                d.field("key", &self.id);
                $( if let Some(v) = self.$field.get() { d.field(stringify!($field), v); } )*
                if !self.extra.is_empty() {
                    d.field("extra", &self.extra);
                }
                d.finish()
            }
        }

        impl PartialEq for $name {
            /// Objects are equal when their wire data is; pending changes do not count.
            fn eq(&self, other: &Self) -> bool {
                self.id == other.id $( && self.$field == other.$field )* && self.extra == other.extra
            }
        }

        impl $crate::model::codec::WireFields for $name {
            fn wire_id(&self) -> Option<&$crate::key::Id> {
                self.id.as_ref()
            }

            fn set_wire_id(&mut self, id: Option<$crate::key::Id>) {
                self.id = id;
            }

            fn write_fields<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
                mode: $crate::model::codec::WriteMode,
            ) -> Result<(), M::Error> {
                use $crate::model::codec::WriteMode;
                if mode == WriteMode::Update {
                    map.serialize_entry("id", &self.id)?;
                }
                self.write_entries(map, |field| self.sends(field, mode), |name| {
                    mode == WriteMode::Create || self.changes.has_extra(name)
                })
            }

            fn check_fields(
                &self,
                resource: &'static str,
                mode: $crate::model::codec::WriteMode,
            ) -> Result<(), $crate::error::ValidationError> {
                use $crate::model::codec::{Validate, WriteMode};
                $(
                    if let Some(v) = self.$field.get().filter(|_| self.sends($idx::$field, mode)) {
                        let verdict = match mode {
                            WriteMode::Create => v.check(),
                            WriteMode::Update => v.check_changed(self.changes.original($wire)),
                        };
                        verdict.map_err(|e| e.at(resource, $wire))?;
                    }
                )*
                Ok(())
            }

            fn mark_clean(&mut self) {
                self.changes = Default::default();
            }

            fn originals(&self) -> serde_json::Value {
                self.changes.originals()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                if let Some(id) = &self.id {
                    map.serialize_entry("id", id)?;
                }
                self.write_entries(&mut map, |_| true, |_| true)?;
                map.end()
            }
        }
    };

    // What comes in: the server's objects, unknown fields and unexpected shapes kept.
    (@decode $name:ident [$( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($($ty:ty)?) $wire:literal )*]) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        use serde::de::Error as _;
                        use $crate::model::codec::{FieldName, Lenient, Slot};
                        let mut out = $name::default();
                        while let Some(FieldName(key)) = map.next_key::<FieldName<'de>>()? {
                            match &*key {
                                "id" => out.id = map.next_value()?,
                                $( $wire => {
                                    let read: Lenient<resource!(@store $kind ($($ty)?))> =
                                        map.next_value().map_err(|e| {
                                            A::Error::custom(format_args!("field `{}`: {}", $wire, e))
                                        })?;
                                    // A field sent twice: the last one wins, as in any
                                    // JSON object, so the field is never kept both typed
                                    // and as sent (that would write it twice).
                                    match read.0 {
                                        Ok(slot) => {
                                            if !out.extra.is_empty() {
                                                out.extra.remove($wire);
                                            }
                                            out.$field = slot;
                                        }
                                        Err(raw) => {
                                            // Not the shape this SDK expects: kept as sent.
                                            tracing::debug!(field = $wire, "unexpected JSON type kept as is");
                                            out.$field = Slot::Absent;
                                            out.extra.insert($wire.to_owned(), raw);
                                        }
                                    }
                                } )*
                                _ => {
                                    let value = map.next_value()?;
                                    out.extra.insert(key.into_owned(), value);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(ObjectVisitor)
            }
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

    // The traits an option implements besides `Resource`.
    (@traits $name:ident [$( $option:ident ($($arg:tt)*) )*]) => {
        $( resource!(@trait_of $name $option ($($arg)*)); )*
    };
    (@trait_of $name:ident custom_fields ($scope:expr)) => {
        impl $crate::model::CustomFieldOwner for $name {
            const SCOPE: $crate::model::Scope = $scope;

            fn set_custom_field(
                &mut self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
                value: impl Into<$crate::model::CustomFieldValue>,
            ) -> &mut Self {
                $name::set_custom_field(self, field, value)
            }

            fn custom_field(
                &self,
                field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            ) -> Option<&$crate::model::CustomFieldValue> {
                $name::custom_field(self, field)
            }
        }
    };
    (@trait_of $name:ident $other:ident ($($arg:tt)*)) => {};

    // The header's options: what each adds to `impl Resource` …
    (@option list_only $idx:ident ()) => {
        const LIST_ONLY: bool = true;
    };
    (@option read_only $idx:ident ()) => {
        const WRITABLE: bool = false;
    };
    (@option check $idx:ident ($check:path)) => {
        fn check(
            &self,
            mode: $crate::model::codec::WriteMode,
        ) -> Result<(), $crate::error::ValidationError> {
            $check(self, mode)
        }
    };
    (@option related $idx:ident ($($getter:ident),* $(,)?)) => {
        fn related(&self) -> Vec<$crate::cache::CacheKey> {
            let mut keys = Vec::new();
            $( keys.extend($crate::model::resource::References::cache_keys(self.$getter())); )*
            keys
        }
    };
    (@option custom_fields $idx:ident ($scope:expr)) => {
        fn custom_fields_to_check(
            &self,
            mode: $crate::model::codec::WriteMode,
        ) -> Option<(
            $crate::model::Scope,
            &$crate::model::CustomFieldValues,
            Option<&serde_json::Value>,
        )> {
            use $crate::model::codec::{Field as _, WriteMode};
            if !self.sends($idx::custom_field_values, mode) {
                return None;
            }
            let original = match mode {
                WriteMode::Create => None,
                WriteMode::Update => self.changes.original($idx::custom_field_values.wire()),
            };
            self.custom_field_values().map(|values| ($scope, values, original))
        }
    };
    (@option required $idx:ident ($([$($field:literal),+ $(,)?]),+ $(,)?)) => {
        const REQUIRED: &'static [&'static [&'static str]] = &[$(&[$($field),+]),+];
    };
    (@option in_folder $idx:ident ()) => {};
    (@option $other:ident $idx:ident ($($arg:tt)*)) => {
        compile_error!(concat!("unknown resource option `", stringify!($other), "`"));
    };

    // … and the methods it adds to the struct.
    (@methods custom_fields ($scope:expr)) => {
        /// Sets one custom field value; the whole `cf` map is sent on the next save and
        /// checked against the custom field definitions first.
        pub fn set_custom_field(
            &mut self,
            field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
            value: impl Into<$crate::model::CustomFieldValue>,
        ) -> &mut Self {
            self.custom_field_values_mut().insert(field.into(), value);
            self
        }

        /// The value of one custom field, if set (find the field's key by name with
        /// [`Session::custom_field_named`](crate::Session::custom_field_named)).
        pub fn custom_field(
            &self,
            field: impl Into<$crate::key::Key<$crate::model::CustomField>>,
        ) -> Option<&$crate::model::CustomFieldValue> {
            self.custom_field_values()?.get(&field.into())
        }
    };
    (@methods in_folder ()) => {
        /// Puts it in `folder`, which must be saved (have a key).
        ///
        /// # Errors
        ///
        /// A [`ValidationError`](crate::ValidationError) when `folder` has no key yet.
        ///
        /// ```
        /// use clevertim_core::{File, Folder};
        /// let mut offer = File::new();
        /// assert!(offer.set_parent(&Folder::new()).is_err()); // not saved: no key
        /// let docs = Folder::with_key("f111");
        /// offer.set_parent(&docs)?;
        /// assert_eq!(offer.parent_key(), docs.key());
        /// # Ok::<(), clevertim_core::ValidationError>(())
        /// ```
        pub fn set_parent(
            &mut self,
            folder: &$crate::model::Folder,
        ) -> Result<&mut Self, $crate::error::ValidationError> {
            let key = folder.key().ok_or_else(|| {
                $crate::error::ValidationError::new(
                    <Self as $crate::model::Resource>::PATH,
                    "parentId",
                    folder.name().unwrap_or_default(),
                    "is a folder that is not saved yet (it has no key)",
                )
            })?;
            Ok(self.set_parent_key(key))
        }

        /// Moves it to the root (sends `null` for `parentId`).
        ///
        /// ```
        /// use clevertim_core::Folder;
        /// let mut archive = Folder::with_key("f200");
        /// archive.set_root();
        /// assert_eq!(archive.parent_key(), None);
        /// assert!(archive.has_changes()); // the next save moves it
        /// ```
        pub fn set_root(&mut self) -> &mut Self {
            self.clear_parent_key()
        }
    };
    (@methods $other:ident ($($arg:tt)*)) => {};

    // A row's accessors: the getter, and for `rw` rows the setters.
    (@access ro $field:ident $kind:ident ($($ty:ty)?) $wire:literal $idx:ident [$($fmeta:tt)*]) => {
        resource!(@get $kind $field ($($ty)?) [$($fmeta)*
            #[doc = concat!("\n\nWire field `", $wire, "` (read-only: the server computes it).")]]);
    };
    (@access rw $field:ident $kind:ident ($($ty:ty)?) $wire:literal $idx:ident [$($fmeta:tt)*]) => {
        resource!(@get $kind $field ($($ty)?) [$($fmeta)*
            #[doc = concat!("\n\nWire field `", $wire, "`; change it with `set_", stringify!($field), "`.")]]);
        resource!(@set $kind $field ($($ty)?) $wire $idx);
    };

    (@get text $field:ident () [$($doc:tt)*]) => {
        $($doc)*
        pub fn $field(&self) -> Option<&str> {
            self.$field.get().map(String::as_str)
        }
    };
    (@get list $field:ident ($ty:ty) [$($doc:tt)*]) => {
        $($doc)*
        pub fn $field(&self) -> &[$ty] {
            self.$field.get().map_or(&[], Vec::as_slice)
        }
    };
    (@get scalar $field:ident ($ty:ty) [$($doc:tt)*]) => {
        $($doc)*
        pub fn $field(&self) -> Option<$ty> {
            self.$field.get().cloned()
        }
    };
    (@get record $field:ident ($ty:ty) [$($doc:tt)*]) => {
        $($doc)*
        pub fn $field(&self) -> Option<&$ty> {
            self.$field.get()
        }
    };

    (@set text $field:ident () $wire:literal $idx:ident) => {
        resource!(@setter $field $wire $idx (value: impl Into<String>) (value.into()) []);
    };
    (@set scalar $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource!(@setter $field $wire $idx (value: impl Into<$ty>) (value.into()) []);
    };
    (@set record $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource!(@setter $field $wire $idx (value: $ty) (value) []);
        resource!(@edit_in_place $field ($ty) $wire $idx);
    };
    (@set list $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource!(@setter $field $wire $idx
            (values: impl IntoIterator<Item = impl Into<$ty>>)
            (values.into_iter().map(Into::into).collect::<Vec<$ty>>())
            [
                ///
                /// Takes any list of anything that converts, e.g. `["vip", "key account"]` for
                /// a list of strings.
            ]);
        resource!(@edit_in_place $field (Vec<$ty>) $wire $idx);
        pastey::paste! {
            #[doc = concat!("Appends one value to `", stringify!($field), "` (wire field `", $wire, "`); the next save sends the list.")]
            ///
            /// Takes anything that converts, e.g. `"vip"` for a list of strings.
            pub fn [<add_to_ $field>](&mut self, value: impl Into<$ty>) -> &mut Self {
                self.[<$field _mut>]().push(value.into());
                self
            }
        }
    };

    (@setter $field:ident $wire:literal $idx:ident ($($param:tt)*) ($value:expr) [$($doc:tt)*]) => {
        pastey::paste! {
            #[doc = concat!("Sets `", stringify!($field), "` (wire field `", $wire, "`); the next save sends it.")]
            $($doc)*
            pub fn [<set_ $field>](&mut self, $($param)*) -> &mut Self {
                *resource!(@edit self $field $idx) = $crate::model::codec::Slot::Value($value);
                self
            }

            #[doc = concat!("Clears `", stringify!($field), "` (sends `null` for wire field `", $wire, "`).")]
            pub fn [<clear_ $field>](&mut self) -> &mut Self {
                *resource!(@edit self $field $idx) = $crate::model::codec::Slot::Null;
                self
            }
        }
    };
    (@edit_in_place $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        pastey::paste! {
            #[doc = concat!("Edits `", stringify!($field), "` in place (wire field `", $wire, "`); the next save sends it.")]
            pub fn [<$field _mut>](&mut self) -> &mut $ty {
                resource!(@edit self $field $idx).get_or_default()
            }
        }
    };
}
