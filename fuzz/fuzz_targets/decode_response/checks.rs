//! What every outcome must satisfy beyond "no panic": no API key in any error text, decoded
//! objects that re-encode without duplicate fields and decode again to themselves, custom
//! field definitions that check values of their own.

use clevertim_core::model::codec::WriteMode;
use clevertim_core::{CustomField, CustomFieldValues, Error, Scope};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::resources::FuzzResource;
use crate::session::{credential, API_KEY};

/// The key must not leak into any error text.
pub(crate) fn check_error(error: &Error) {
    let shown = format!("{error}");
    let debugged = format!("{error:?}");
    let mut chain = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(&format!("{cause} {cause:?}\n"));
        source = cause.source();
    }
    for text in [&shown, &debugged, &chain] {
        assert!(
            !text.contains(API_KEY) && !text.contains(credential()),
            "the API key leaks into an error: {text}"
        );
    }
    let _ = error.status();
}

pub(crate) fn check<T>(result: &Result<T, Error>) {
    if let Err(e) = result {
        check_error(e);
    }
}

/// A JSON object's keys, to find duplicates.
pub(crate) struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// What every decoded object must survive: printing, re-encoding without duplicate fields,
/// decoding again to an equal object, and the checks a save would run.
pub(crate) fn touch_object<R: FuzzResource>(object: &R) {
    let _ = format!("{object:?}");
    let encoded = serde_json::to_vec(object).expect("a decoded object encodes");
    let Keys(mut keys) = serde_json::from_slice(&encoded).expect("an object");
    let count = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(
        keys.len(),
        count,
        "duplicate field names in {}",
        String::from_utf8_lossy(&encoded)
    );
    let again: R = serde_json::from_slice(&encoded).expect("a re-encoded object decodes");
    assert!(
        again == *object,
        "decode(encode(x)) != x: {object:?} vs {again:?}"
    );
    let _ = object.key();
    let _ = object.related();
    let _ = object.clone() == *object;
    for mode in [WriteMode::Create, WriteMode::Update] {
        let _ = object.check_fields(R::PATH, mode);
        let _ = object.check(mode);
        if let Some((scope, values, original)) = object.custom_fields_to_check(mode) {
            let _ = values.check_against(R::PATH, &scope, &[], original);
        }
    }
    let _ = object.originals();
    object.touch();
}

/// Checks custom field definitions decoded from the input against values made of their
/// own choices, names and the input's strings.
pub(crate) fn check_definitions(definitions: &[CustomField]) {
    for definition in definitions.iter().take(8) {
        let Some(key) = definition.key() else {
            continue;
        };
        let mut candidates: Vec<String> = definition.values().iter().take(4).cloned().collect();
        candidates.extend(definition.name().map(str::to_owned));
        candidates.push("2024-02-29".into());
        candidates.push("17".into());
        for candidate in candidates {
            for many in [false, true] {
                let mut values = CustomFieldValues::default();
                if many {
                    values.insert(key.clone(), vec![candidate.clone()]);
                } else {
                    values.insert(key.clone(), candidate.clone());
                }
                for scope in Scope::KNOWN {
                    let _ = values.check_against("fuzz", scope, definitions, None);
                }
            }
        }
    }
}
