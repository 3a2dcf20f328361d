//! `resource_codec!`: a resource's wire codec (what goes out and what comes in), a part of
//! `resource!`.

/// The wire codec of a resource: `Debug`, `PartialEq`, `WireFields`, `Serialize` and
/// `Deserialize`.
macro_rules! resource_codec {
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

            fn origin(&self) -> Option<&$crate::model::Origin> {
                self.origin.as_ref()
            }

            fn set_origin(&mut self, origin: Option<$crate::model::Origin>) {
                self.origin = origin;
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
}
