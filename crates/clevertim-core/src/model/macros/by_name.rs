//! `resource_by_name!`: a resource's fields by name (`impl Fields`), a part of `resource!`.

/// The `Fields` implementation of a resource: its field table, and setting a field by name.
macro_rules! resource_by_name {
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
}
