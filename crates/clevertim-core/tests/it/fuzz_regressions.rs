//! Inputs the fuzzers (fuzz/) found that broke an invariant, each fixed at its root and kept
//! here so that it stays fixed.
#![allow(clippy::unwrap_used)]

use crate::common;

use bytes::Bytes;
use clevertim_core::{Case, Contact, Resource, RetryPolicy, Session, transport_fn};

/// A session whose every answer is `body` with status 200.
fn answering(body: &'static [u8]) -> Session {
    Session::builder(common::API_KEY)
        .endpoint("https://fuzz.invalid/api")
        .transport(transport_fn(move |_| async move {
            Ok(http::Response::new(Bytes::from_static(body)))
        }))
        .no_cache()
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The field names of a JSON object, in order, duplicates included.
fn field_names(json: &[u8]) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Names {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Names;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Names, A::Error> {
                    let mut names = Vec::new();
                    while let Some(name) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        names.push(name);
                    }
                    Ok(Names(names))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_slice::<Names>(json).unwrap().0
}

fn assert_written_once<R: Resource + PartialEq>(object: &R) {
    let encoded = serde_json::to_vec(object).unwrap();
    let mut names = field_names(&encoded);
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        count,
        "a field is written twice: {}",
        String::from_utf8_lossy(&encoded)
    );
    let again: R = serde_json::from_slice(&encoded).unwrap();
    assert!(again == *object, "{object:?} != {again:?}");
}

/// fuzz/artifacts/decode_response/crash-a7ed4d93…: a field sent twice, first with a JSON type
/// the SDK does not expect (kept as sent, in `extra`), then with the expected one (typed).
/// The object kept both and wrote `cf` twice when encoded (so a save would send it twice).
/// Now the last one wins, as in any JSON object.
#[test]
fn a_field_sent_twice_with_two_types_is_kept_once() {
    let body: &[u8] = br#"{"status":"OK","content":[{"cf":1,"name":"Case 1","descriptio~":"this is an .example of a case","tasks":[3,2],"tags":["case","support","open"],"notes":[4,3],"leadUser":5,"cf":{"1":"2012-11-22"},"cust":34}]}"#;
    let cases = futures_executor::block_on(answering(body).all::<Case>()).unwrap();
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    assert_written_once(case);
    assert!(case.extra().get("cf").is_none(), "{case:?}");
    assert_eq!(case.custom_field_values().map(|v| v.len()), Some(1));

    // The other order: the typed value first, then one of an unexpected type.
    let body: &[u8] =
        br#"{"status":"OK","content":[{"id":4,"fn":"Mike","fn":7,"email":["a@b.c"],"email":"x"}]}"#;
    let contact = futures_executor::block_on(answering(body).load::<Contact>(4)).unwrap();
    assert_written_once(&contact);
    assert_eq!(contact.first_name(), None);
    assert_eq!(contact.extra().get("fn"), Some(&serde_json::json!(7)));
    assert!(contact.emails().is_empty());
    assert_eq!(contact.extra().get("email"), Some(&serde_json::json!("x")));
}
