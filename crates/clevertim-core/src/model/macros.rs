//! The two declarative descriptions every model is generated from: `wire_enum!` for the
//! enumerations of the API and `resource!` for the resources' field tables.

/// An enumeration of the API: known values as variants, and `Other` for a value the server
/// sends that this SDK does not know yet (kept on read, refused on write).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $doc])* $variant, )*
            /// A value this SDK does not know; kept as the server sent it.
            Other(String),
        }

        impl $name {
            /// Every value this SDK knows, in the API's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }

            /// Whether this SDK knows the value.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            /// The wire spellings of every known value, for error messages.
            fn known_list() -> String {
                [$($wire),*].join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(&*s))
            }
        }

        impl $crate::model::slot::WireCheck for $name {
            fn check(&self) -> Result<(), $crate::model::slot::Invalid> {
                if self.is_known() {
                    Ok(())
                } else {
                    Err($crate::model::slot::Invalid::new(
                        self,
                        format!("is not one of {}", Self::known_list()),
                    ))
                }
            }
        }
    };
}

/// A resource: its struct, its wire codec (unknown fields kept, `null` kept apart from
/// absent), its typed accessors and its change tracking, all from one field table.
///
/// Each row reads `rw|ro getter: kind<Type> = "wire";` where kind is
/// - `text`: a string; the getter gives `Option<&str>`,
/// - `list`: a list of `Type`; the getter gives `&[Type]`, and `getter_mut` edits it,
/// - `val`: a small value; the getter gives `Option<Type>`,
/// - `obj`: a structured value; the getter gives `Option<&Type>`, and `getter_mut` edits it.
///
/// `rw` rows get `set_getter` and `clear_getter` (which writes `null`); `ro` rows are computed
/// by the server and never sent. Every resource also gets `ao` and `lm`; the `shared` form
/// adds the visibility fields `is_private`, `puser` and `gid`.
macro_rules! resource {
    (
        $(#[$meta:meta])*
        shared struct $name:ident { $($rows:tt)* }
    ) => {
        resource! {
            $(#[$meta])*
            struct $name {
                $($rows)*
                /// Whether the object is visible only to its owner.
                rw is_private: val<bool> = "is_private";
                /// The user the object is private to.
                rw private_user: val<$crate::key::Key<$crate::model::User>> = "puser";
                /// The groups the object is shared with (the OR of their bits; 0 = everyone).
                rw group_mask: val<u64> = "gid";
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
        struct $name:ident {
            $( $(#[doc = $doc:literal])* $mode:ident $field:ident : $kind:ident<$ty:ty> = $wire:literal; )*
        }
    ) => {
        resource! { @emit $(#[$meta])* $name [
            $( [$(#[doc = $doc])*] $mode $field $kind ($ty) $wire )*
            [#[doc = "When the object was added (ISO-8601, UTC)."]] ro added_on text (String) "ao"
            [#[doc = "When the object was last modified (ISO-8601, UTC)."]] ro last_modified text (String) "lm"
        ] }
    };
    (@emit $(#[$meta:meta])* $name:ident [ $( [$(#[$fmeta:meta])*] $mode:ident $field:ident $kind:ident ($ty:ty) $wire:literal )* ]) => {
        paste::paste! {
            #[allow(non_camel_case_types, clippy::enum_variant_names)]
            #[derive(Clone, Copy)]
            enum [<$name Field>] { $($field,)* }

            // Change tracking keeps one bit per field in a u64.
            const _: () = assert!([$(stringify!($field)),*].len() <= 64, "too many fields");

            $(#[$meta])*
            #[derive(Clone, Default)]
            pub struct $name {
                id: Option<$crate::key::Id>,
                $( $field: $crate::model::slot::Slot<resource!(@store $kind ($ty))>, )*
                extra: serde_json::Map<String, serde_json::Value>,
                changes: $crate::model::slot::Changes,
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
                /// A field the SDK knows (use its setter) and `id` are refused.
                pub fn set_extra(
                    &mut self,
                    name: impl Into<String>,
                    value: serde_json::Value,
                ) -> Result<&mut Self, $crate::error::ValidationError> {
                    let name = name.into();
                    if name == "id" || [$($wire),*].contains(&name.as_str()) {
                        return Err($crate::error::ValidationError::new(
                            <$name as $crate::model::Resource>::PATH,
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

                $( resource!(@access $mode $field $kind ($ty) $wire [<$name Field>] [$(#[$fmeta])*]); )*
                $( resource!(@changed $field $wire [<$name Field>]); )*
            }

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
                    use $crate::model::slot::Slot;
                    let resource = <$name as $crate::model::Resource>::PATH;
                    $(
                        if name == stringify!($field) || name == $wire {
                            if !resource!(@writable $mode) {
                                return Err($crate::error::ValidationError::new(
                                    resource,
                                    $wire,
                                    value.to_string(),
                                    "is read-only: the server computes it",
                                ));
                            }
                            let slot = if value.is_null() {
                                Slot::Null
                            } else {
                                let typed = serde_json::from_value::<resource!(@store $kind ($ty))>(value.clone())
                                    .map_err(|e| $crate::error::ValidationError::new(
                                        resource,
                                        $wire,
                                        value.to_string(),
                                        format!("is not a valid value: {e}"),
                                    ))?;
                                Slot::Value(typed)
                            };
                            self.extra.remove($wire);
                            self.changes.remember([<$name Field>]::$field as u32, $wire, &self.$field);
                            self.changes.mark([<$name Field>]::$field as u32);
                            self.$field = slot;
                            return Ok(self);
                        }
                    )*
                    self.set_extra(name, value)
                }
            }

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

            impl $crate::model::slot::WireFields for $name {
                fn wire_id(&self) -> Option<&$crate::key::Id> {
                    self.id.as_ref()
                }

                fn set_wire_id(&mut self, id: Option<$crate::key::Id>) {
                    self.id = id;
                }

                fn write_fields<M: serde::ser::SerializeMap>(
                    &self,
                    map: &mut M,
                    mode: $crate::model::slot::WriteMode,
                ) -> Result<(), M::Error> {
                    use $crate::model::slot::{Slot, WriteMode};
                    if mode == WriteMode::Update {
                        map.serialize_entry("id", &self.id)?;
                    }
                    $(
                        let send = resource!(@writable $mode) && match mode {
                            WriteMode::Create => true,
                            WriteMode::Update => self.changes.has([<$name Field>]::$field as u32),
                        };
                        if send {
                            match &self.$field {
                                Slot::Absent => {}
                                Slot::Null => map.serialize_entry($wire, &())?,
                                Slot::Value(v) => map.serialize_entry($wire, v)?,
                            }
                        }
                    )*
                    for (name, value) in &self.extra {
                        if mode == WriteMode::Create || self.changes.has_extra(name) {
                            map.serialize_entry(name, value)?;
                        }
                    }
                    Ok(())
                }

                fn check_fields(
                    &self,
                    resource: &'static str,
                    mode: $crate::model::slot::WriteMode,
                ) -> Result<(), $crate::error::ValidationError> {
                    use $crate::model::slot::{WireCheck, WriteMode};
                    $(
                        let checked = resource!(@writable $mode) && match mode {
                            WriteMode::Create => true,
                            WriteMode::Update => self.changes.has([<$name Field>]::$field as u32),
                        };
                        if checked {
                            if let Some(v) = self.$field.get() {
                                let verdict = match mode {
                                    WriteMode::Create => v.check(),
                                    WriteMode::Update => v.check_changed(self.changes.original($wire)),
                                };
                                verdict.map_err(|e| e.at(resource, $wire))?;
                            }
                        }
                    )*
                    Ok(())
                }

                fn mark_clean(&mut self) {
                    self.changes = Default::default();
                }

                fn has_pending_changes(&self) -> bool {
                    self.changes.any()
                }

                fn original(&self, wire: &str) -> Option<&serde_json::Value> {
                    self.changes.original(wire)
                }

                fn originals(&self) -> serde_json::Value {
                    self.changes.originals()
                }
            }

            impl serde::Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap;
                    use $crate::model::slot::Slot;
                    let mut map = s.serialize_map(None)?;
                    if let Some(id) = &self.id {
                        map.serialize_entry("id", id)?;
                    }
                    $(
                        match &self.$field {
                            Slot::Absent => {}
                            Slot::Null => map.serialize_entry($wire, &())?,
                            Slot::Value(v) => map.serialize_entry($wire, v)?,
                        }
                    )*
                    for (name, value) in &self.extra {
                        map.serialize_entry(name, value)?;
                    }
                    map.end()
                }
            }

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
                            use $crate::model::slot::WireKey;
                            let mut out = $name::default();
                            while let Some(WireKey(key)) = map.next_key::<WireKey<'de>>()? {
                                match &*key {
                                    "id" => out.id = map.next_value()?,
                                    $( $wire => {
                                        let read: $crate::model::slot::Lenient<resource!(@store $kind ($ty))> =
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
                                                out.$field = $crate::model::slot::Slot::Absent;
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
        }
    };

    (@store list ($ty:ty)) => { Vec<$ty> };
    (@store $kind:ident ($ty:ty)) => { $ty };

    (@writable rw) => { true };
    (@writable ro) => { false };

    (@changed $field:ident $wire:literal $idx:ident) => {
        paste::paste! {
            #[allow(dead_code)]
            pub(crate) fn [<$field _changed>](&self) -> bool {
                self.changes.has($idx::$field as u32)
            }

            #[allow(dead_code)]
            pub(crate) fn [<$field _wire_name>](&self) -> &'static str {
                $wire
            }
        }
    };

    (@access ro $field:ident text ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field text ($ty) $wire [$(#[$fmeta])*] " (read-only: the server computes it)");
    };
    (@get $field:ident text ($ty:ty) $wire:literal [$(#[$fmeta:meta])*] $($label:tt)*) => {
        $(#[$fmeta])*
        #[doc = concat!("\n\nWire field `", $wire, "`", $($label)*, ".")]
        pub fn $field(&self) -> Option<&str> {
            self.$field.get().map(String::as_str)
        }
    };
    (@access ro $field:ident list ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field list ($ty) $wire [$(#[$fmeta])*] " (read-only: the server computes it)");
    };
    (@get $field:ident list ($ty:ty) $wire:literal [$(#[$fmeta:meta])*] $($label:tt)*) => {
        $(#[$fmeta])*
        #[doc = concat!("\n\nWire field `", $wire, "`", $($label)*, ".")]
        pub fn $field(&self) -> &[$ty] {
            self.$field.get().map_or(&[], Vec::as_slice)
        }
    };
    (@access ro $field:ident val ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field val ($ty) $wire [$(#[$fmeta])*] " (read-only: the server computes it)");
    };
    (@get $field:ident val ($ty:ty) $wire:literal [$(#[$fmeta:meta])*] $($label:tt)*) => {
        $(#[$fmeta])*
        #[doc = concat!("\n\nWire field `", $wire, "`", $($label)*, ".")]
        pub fn $field(&self) -> Option<$ty> {
            self.$field.get().cloned()
        }
    };
    (@access ro $field:ident obj ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field obj ($ty) $wire [$(#[$fmeta])*] " (read-only: the server computes it)");
    };
    (@get $field:ident obj ($ty:ty) $wire:literal [$(#[$fmeta:meta])*] $($label:tt)*) => {
        $(#[$fmeta])*
        #[doc = concat!("\n\nWire field `", $wire, "`", $($label)*, ".")]
        pub fn $field(&self) -> Option<&$ty> {
            self.$field.get()
        }
    };
    (@access rw $field:ident text ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field text ($ty) $wire [$(#[$fmeta])*] "; change it with `set_", stringify!($field), "`");
        resource!(@set $field (impl Into<String>) (into) $wire $idx);
    };
    (@access rw $field:ident val ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field val ($ty) $wire [$(#[$fmeta])*] "; change it with `set_", stringify!($field), "`");
        resource!(@set $field (impl Into<$ty>) (into) $wire $idx);
    };
    (@access rw $field:ident list ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field list ($ty) $wire [$(#[$fmeta])*] "; change it with `set_", stringify!($field), "`");
        resource!(@set_list $field ($ty) $wire $idx);
        resource!(@mut $field (Vec<$ty>) $wire $idx);
    };
    (@access rw $field:ident obj ($ty:ty) $wire:literal $idx:ident [$(#[$fmeta:meta])*]) => {
        resource!(@get $field obj ($ty) $wire [$(#[$fmeta])*] "; change it with `set_", stringify!($field), "`");
        resource!(@set $field ($ty) (from) $wire $idx);
        resource!(@mut $field ($ty) $wire $idx);
    };
    (@set $field:ident ($arg:ty) ($conv:ident) $wire:literal $idx:ident) => {
        paste::paste! {
            #[doc = concat!("Sets `", stringify!($field), "` (wire field `", $wire, "`); the next save sends it.")]
            pub fn [<set_ $field>](&mut self, value: $arg) -> &mut Self {
                self.extra.remove($wire);
                self.changes.remember($idx::$field as u32, $wire, &self.$field);
                self.changes.mark($idx::$field as u32);
                self.$field = $crate::model::slot::Slot::Value(resource!(@conv $conv value));
                self
            }

            #[doc = concat!("Clears `", stringify!($field), "` (sends `null` for wire field `", $wire, "`).")]
            pub fn [<clear_ $field>](&mut self) -> &mut Self {
                self.extra.remove($wire);
                self.changes.remember($idx::$field as u32, $wire, &self.$field);
                self.changes.mark($idx::$field as u32);
                self.$field = $crate::model::slot::Slot::Null;
                self
            }
        }
    };
    (@set_list $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        paste::paste! {
            #[doc = concat!("Sets `", stringify!($field), "` (wire field `", $wire, "`) to these values; the next save sends it.")]
            ///
            /// Takes any list of anything that converts, e.g. `["vip", "key account"]` for a list
            /// of strings.
            pub fn [<set_ $field>](&mut self, values: impl IntoIterator<Item = impl Into<$ty>>) -> &mut Self {
                let values: Vec<$ty> = values.into_iter().map(Into::into).collect();
                self.extra.remove($wire);
                self.changes.remember($idx::$field as u32, $wire, &self.$field);
                self.changes.mark($idx::$field as u32);
                self.$field = $crate::model::slot::Slot::Value(values);
                self
            }

            #[doc = concat!("Appends one value to `", stringify!($field), "` (wire field `", $wire, "`); the next save sends the list.")]
            ///
            /// Takes anything that converts, e.g. `"vip"` for a list of strings.
            pub fn [<add_to_ $field>](&mut self, value: impl Into<$ty>) -> &mut Self {
                self.[<$field _mut>]().push(value.into());
                self
            }

            #[doc = concat!("Clears `", stringify!($field), "` (sends `null` for wire field `", $wire, "`).")]
            pub fn [<clear_ $field>](&mut self) -> &mut Self {
                self.extra.remove($wire);
                self.changes.remember($idx::$field as u32, $wire, &self.$field);
                self.changes.mark($idx::$field as u32);
                self.$field = $crate::model::slot::Slot::Null;
                self
            }
        }
    };
    (@conv into $v:ident) => { $v.into() };
    (@conv from $v:ident) => { $v };
    (@mut $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        paste::paste! {
            #[doc = concat!("Edits `", stringify!($field), "` in place (wire field `", $wire, "`); the next save sends it.")]
            pub fn [<$field _mut>](&mut self) -> &mut $ty {
                self.extra.remove($wire);
                self.changes.remember($idx::$field as u32, $wire, &self.$field);
                self.changes.mark($idx::$field as u32);
                self.$field.get_or_default()
            }
        }
    };
}
