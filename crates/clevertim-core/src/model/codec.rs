//! The wire codec's building blocks, which the `resource!` macro generates models from: a
//! field's three states ([`Slot`]), lenient reading ([`Lenient`]), change tracking
//! ([`Changes`], [`edit`]), the checks before a write ([`Validate`]) and the trait the session
//! reads and writes models through ([`WireFields`]).
//!
//! Nothing here is meant for users; it is public only because macro-generated code in other
//! modules names it.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::error::ValidationError;
use crate::key::Id;

/// One field of a wire object: absent, `null`, or a value. Keeping the three apart is what
/// makes a decode → encode round trip give back exactly what the server sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Slot<T> {
    /// The field was not in the object.
    #[default]
    Absent,
    /// The field was `null`.
    Null,
    /// The field's value.
    Value(T),
}

impl<T> Slot<T> {
    /// The value, if there is one.
    pub fn get(&self) -> Option<&T> {
        match self {
            Slot::Value(v) => Some(v),
            Slot::Absent | Slot::Null => None,
        }
    }

    /// The value, made a default one first if there was none.
    pub fn get_or_default(&mut self) -> &mut T
    where
        T: Default,
    {
        if !matches!(self, Slot::Value(_)) {
            *self = Slot::Value(T::default());
        }
        match self {
            Slot::Value(v) => v,
            // Just made a value above.
            Slot::Absent | Slot::Null => unreachable!("slot was filled above"),
        }
    }

    /// Whether the field appears on the wire at all.
    pub fn is_present(&self) -> bool {
        !matches!(self, Slot::Absent)
    }
}

impl<T: serde::Serialize> serde::Serialize for Slot<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Slot::Value(v) => v.serialize(serializer),
            Slot::Absent | Slot::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Slot::Null, Slot::Value))
    }
}

/// A field's value read leniently: the typed value when the JSON has the expected shape, else
/// the JSON as it came (kept, so nothing is lost, and written back as it was).
///
/// A scalar or a value of the wrong kind (a string where a number belongs, `0` for a bool, a
/// list for a string) falls back; a list or object that is itself malformed deep inside is
/// still an error, since the parser cannot take back what it consumed.
pub struct Lenient<T>(pub Result<Slot<T>, serde_json::Value>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(std::marker::PhantomData))
    }
}

struct LenientVisitor<T>(std::marker::PhantomData<T>);

impl<T> LenientVisitor<T> {
    fn attempt<E>(typed: Result<T, E>, raw: impl FnOnce() -> serde_json::Value) -> Lenient<T> {
        Lenient(typed.map(Slot::Value).map_err(|_| raw()))
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lenient(Ok(Slot::Null)))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Lenient(Ok(Slot::Null)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::BoolDeserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::I64Deserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::U64Deserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::F64Deserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::BorrowedStrDeserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::StrDeserializer::<E>::new(v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        let typed = T::deserialize(de::value::StrDeserializer::<E>::new(&v));
        Ok(Self::attempt(typed, || v.into()))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(|v| Lenient(Ok(Slot::Value(v))))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|v| Lenient(Ok(Slot::Value(v))))
    }
}

/// A field name read from a JSON object, borrowed from the input whenever it can be.
pub struct FieldName<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// One field of a resource's table: the `resource!` macro numbers them in an enum.
pub trait Field: Copy {
    /// The field's bit in [`Changes`].
    fn bit(self) -> u32;
    /// The field's name on the wire.
    fn wire(self) -> &'static str;
    /// Whether clients may send it (`false` for the fields the server computes).
    fn is_writable(self) -> bool;
}

/// Readies `slot`, the slot of `field`, for a change: marks the field changed (remembering
/// what it held), and drops a value of the same name kept as sent, which would otherwise be
/// written twice.
pub fn edit<'a, T: serde::Serialize>(
    slot: &'a mut Slot<T>,
    field: impl Field,
    changes: &mut Changes,
    extra: &mut serde_json::Map<String, serde_json::Value>,
) -> &'a mut Slot<T> {
    extra.remove(field.wire());
    changes.record(field, slot);
    slot
}

/// Writes one field into an object being serialized: nothing when absent, `null`, or the
/// value.
///
/// # Errors
///
/// The serializer's.
pub fn write_entry<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    wire: &'static str,
    slot: &Slot<T>,
) -> Result<(), M::Error> {
    if slot.is_present() {
        map.serialize_entry(wire, slot)?;
    }
    Ok(())
}

/// Which body a write sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// A `POST`: every writable field that is set, no `id`.
    Create,
    /// A `PUT`: the `id` and the fields changed since the last load or save.
    Update,
}

/// The fields changed since the object was loaded or saved, and what they held before.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    bits: u64,
    extra: Vec<String>,
    originals: Vec<(&'static str, serde_json::Value)>,
}

impl Changes {
    /// Marks `field` changed, keeping what it held before its first change (`old`), so that
    /// a save checks only the values the user brought, not those the server sent (which may
    /// be unknown to this SDK).
    pub fn record<T: serde::Serialize>(&mut self, field: impl Field, old: &Slot<T>) {
        if !self.has(field.bit()) {
            let old = serde_json::to_value(old).unwrap_or(serde_json::Value::Null);
            self.originals.push((field.wire(), old));
        }
        self.bits |= 1 << field.bit();
    }

    /// What field `wire` held before its first change, if it changed.
    pub fn original(&self, wire: &str) -> Option<&serde_json::Value> {
        self.originals
            .iter()
            .find(|(w, _)| *w == wire)
            .map(|(_, v)| v)
    }

    /// The changed fields as they were before, as one JSON object.
    pub fn originals(&self) -> serde_json::Value {
        let fields = self
            .originals
            .iter()
            .map(|(w, v)| ((*w).to_owned(), v.clone()));
        serde_json::Value::Object(fields.collect())
    }

    /// Marks an unknown field changed.
    pub fn mark_extra(&mut self, name: &str) {
        if !self.extra.iter().any(|n| n == name) {
            self.extra.push(name.to_owned());
        }
    }
    /// Whether the field with index `bit` changed.
    pub fn has(&self, bit: u32) -> bool {
        self.bits & (1 << bit) != 0
    }
    /// Whether the unknown field `name` changed.
    pub fn has_extra(&self, name: &str) -> bool {
        self.extra.iter().any(|n| n == name)
    }
    /// Whether anything changed.
    pub fn any(&self) -> bool {
        self.bits != 0 || !self.extra.is_empty()
    }
}

/// What a field's value says about itself when checked before a write.
///
/// (See [`Validate::check_changed`] for updates.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// The offending value, as text.
    pub value: String,
    /// Why it is rejected.
    pub reason: String,
}

impl InvalidValue {
    /// A rejection of `value` for `reason`.
    pub fn new(value: impl fmt::Display, reason: impl Into<String>) -> Self {
        InvalidValue {
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Names the resource and field this rejection belongs to.
    pub fn at(self, resource: &'static str, field: &str) -> ValidationError {
        ValidationError::new(resource, field, self.value, self.reason)
    }
}

/// A value that can check itself before it is written: an enum rejects a value it does not
/// know, a date rejects a 13th month. Values with nothing to check accept anything.
pub trait Validate {
    /// `Ok` when the value may be sent.
    ///
    /// # Errors
    ///
    /// Why the value may not be sent.
    fn check(&self) -> Result<(), InvalidValue> {
        Ok(())
    }

    /// `Ok` when the value may be sent as an update of `original` (what the field held when
    /// loaded): a value the server sent itself is sent back as it was, even one this SDK does
    /// not know.
    ///
    /// # Errors
    ///
    /// Why the value may not be sent.
    fn check_changed(&self, original: Option<&serde_json::Value>) -> Result<(), InvalidValue>
    where
        Self: serde::Serialize,
    {
        match original {
            Some(old) if serde_json::to_value(self).ok().as_ref() == Some(old) => Ok(()),
            _ => self.check(),
        }
    }
}

macro_rules! nothing_to_check {
    ($($t:ty),*) => {$( impl Validate for $t {} )*};
}
nothing_to_check!(String, bool, i64, u64, u32, Id, serde_json::Value);

impl<R> Validate for crate::key::Key<R> {}

impl<T: Validate> Validate for Vec<T> {
    fn check(&self) -> Result<(), InvalidValue> {
        self.iter().try_for_each(Validate::check)
    }

    /// Checks only the elements that were not in the list as loaded.
    fn check_changed(&self, original: Option<&serde_json::Value>) -> Result<(), InvalidValue>
    where
        Self: serde::Serialize,
    {
        let old = original.and_then(serde_json::Value::as_array);
        let now = serde_json::to_value(self).ok();
        let now = now.as_ref().and_then(serde_json::Value::as_array);
        match (old, now) {
            (Some(old), Some(now)) => self
                .iter()
                .zip(now)
                .filter(|(_, value)| !old.contains(value))
                .try_for_each(|(element, _)| element.check()),
            _ => self.check(),
        }
    }
}

/// The wire side of a model, generated by the `resource!` macro.
pub trait WireFields {
    /// The object's id, if it has one.
    fn wire_id(&self) -> Option<&Id>;
    /// Sets or clears the object's id.
    fn set_wire_id(&mut self, id: Option<Id>);
    /// The endpoint and account the object was loaded from or saved to.
    fn origin(&self) -> Option<&super::Origin>;
    /// Sets or clears the object's origin.
    fn set_origin(&mut self, origin: Option<super::Origin>);
    /// Writes the body of a `POST` or `PUT` into `map`.
    ///
    /// # Errors
    ///
    /// The serializer's.
    fn write_fields<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
        mode: WriteMode,
    ) -> Result<(), M::Error>;
    /// Checks every value a write in `mode` would send.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] for the first value that may not be sent.
    fn check_fields(&self, resource: &'static str, mode: WriteMode) -> Result<(), ValidationError>;
    /// Forgets the pending changes (after a load or a save).
    fn mark_clean(&mut self);
    /// The changed fields as they were before their first change, as one JSON object.
    fn originals(&self) -> serde_json::Value;
}
