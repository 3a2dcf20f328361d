//! `resource_access!`: a row's accessors (the getter, and the setters of `rw` rows), a part of
//! `resource!`.

/// The accessors of one row of a resource's field table.
macro_rules! resource_access {
    // A row's accessors: the getter, and for `rw` rows the setters.
    (@access ro $field:ident $kind:ident ($($ty:ty)?) $wire:literal $idx:ident [$($fmeta:tt)*]) => {
        resource_access!(@get $kind $field ($($ty)?) [$($fmeta)*
            #[doc = concat!("\n\nWire field `", $wire, "` (read-only: the server computes it).")]]);
    };
    (@access rw $field:ident $kind:ident ($($ty:ty)?) $wire:literal $idx:ident [$($fmeta:tt)*]) => {
        resource_access!(@get $kind $field ($($ty)?) [$($fmeta)*
            #[doc = concat!("\n\nWire field `", $wire, "`; change it with `set_", stringify!($field), "`.")]]);
        resource_access!(@set $kind $field ($($ty)?) $wire $idx);
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
        resource_access!(@setter $field $wire $idx (value: impl Into<String>) (value.into()) []);
    };
    (@set scalar $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource_access!(@setter $field $wire $idx (value: impl Into<$ty>) (value.into()) []);
    };
    (@set record $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource_access!(@setter $field $wire $idx (value: $ty) (value) []);
        resource_access!(@edit_in_place $field ($ty) $wire $idx);
    };
    (@set list $field:ident ($ty:ty) $wire:literal $idx:ident) => {
        resource_access!(@setter $field $wire $idx
            (values: impl IntoIterator<Item = impl Into<$ty>>)
            (values.into_iter().map(Into::into).collect::<Vec<$ty>>())
            [
                ///
                /// Takes any list of anything that converts, e.g. `["vip", "key account"]` for
                /// a list of strings.
            ]);
        resource_access!(@edit_in_place $field (Vec<$ty>) $wire $idx);
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
