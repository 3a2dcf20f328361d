//! Canonical JSON held to a `serde_json::Value`'s text: chosen cases, then any JSON.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;

/// What canonical means: the text of the value through a `serde_json::Value`.
fn through_value<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).expect("to_value").to_string()
}

fn canonical<T: Serialize>(value: &T) -> String {
    Canonical::default().write(value).expect("canonical")
}

/// A struct whose fields are declared out of order, with a map flattened in.
#[derive(Serialize)]
struct Unsorted {
    zeta: u8,
    alpha: Vec<Value>,
    #[serde(rename = "mid")]
    middle: Option<f64>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[test]
fn sorts_keys_at_every_depth_like_a_value_does() {
    let value = Unsorted {
        zeta: 1,
        alpha: vec![json!({"b": 1, "a": [{"y": null, "x": true}]}), json!("s")],
        middle: Some(1.5),
        extra: BTreeMap::from([
            ("beta".to_owned(), json!({"d": {}, "c": []})),
            ("été".to_owned(), json!(2)),
            ("a b".to_owned(), json!(3)),
            ("a".to_owned(), json!(4)),
            ("tab\t".to_owned(), json!(5)),
            ("new\nline".to_owned(), json!(6)),
            ("quote\"".to_owned(), json!(7)),
            ("back\\slash".to_owned(), json!(8)),
            ("\u{1}control".to_owned(), json!(9)),
        ]),
    };
    let text = canonical(&value);
    assert_eq!(text, through_value(&value));
    // A control character sorts first, though its escape begins with a backslash.
    assert!(
        text.starts_with(r#"{"\u0001control":9,"a":4,"a b":3,"alpha":"#),
        "{text}"
    );
    assert!(text.ends_with(r#""zeta":1,"été":2}"#), "{text}");
}

#[test]
fn the_last_of_equal_keys_is_kept() {
    #[derive(Serialize)]
    struct Twice {
        same: u8,
        #[serde(flatten)]
        extra: BTreeMap<String, u8>,
    }
    let value = Twice {
        same: 1,
        extra: BTreeMap::from([("same".to_owned(), 2), ("other".to_owned(), 3)]),
    };
    assert_eq!(canonical(&value), r#"{"other":3,"same":2}"#);
    assert_eq!(canonical(&value), through_value(&value));
}

#[test]
fn scalars_arrays_and_empty_objects_pass_through() {
    for value in [
        json!(null),
        json!([]),
        json!({}),
        json!([1, -2, 3.25, 1e300, "x\u{1}y", {"b": {}, "a": [[], {}]}]),
        json!({"n": u64::MAX, "i": i64::MIN, "f": 0.1}),
    ] {
        assert_eq!(canonical(&value), value.to_string());
    }
    assert_eq!(canonical(&f64::NAN), through_value(&f64::NAN));
}

#[test]
fn one_writer_serves_many_objects() {
    let mut writer = Canonical::default();
    let deep = json!({"b": {"d": {"f": 1, "e": 2}, "c": 3}, "a": 4});
    let flat = json!({"y": 1, "x": 2});
    for _ in 0..3 {
        assert_eq!(writer.write(&deep).expect("deep"), deep.to_string());
        assert_eq!(writer.write(&flat).expect("flat"), flat.to_string());
    }
}

#[test]
fn integer_map_keys_are_quoted_and_sorted_as_text() {
    let value = BTreeMap::from([(10_u32, "ten"), (9, "nine"), (100, "hundred")]);
    assert_eq!(
        canonical(&value),
        r#"{"10":"ten","100":"hundred","9":"nine"}"#
    );
    assert_eq!(canonical(&value), through_value(&value));
}

#[test]
fn the_digest_is_sha256_in_hex() {
    assert_eq!(
        sha256_hex("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// Any JSON, with objects whose entries come in any order, names repeated included.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(Value),
    F32(f32),
    Big(i128),
    /// Raw JSON text (`serde_json::value::RawValue`), as another writer spaced it.
    Raw(String),
    List(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Serialize for Tree {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeSeq as _};
        match self {
            Tree::Leaf(value) => value.serialize(serializer),
            Tree::F32(value) => value.serialize(serializer),
            Tree::Big(value) => value.serialize(serializer),
            Tree::Raw(text) => serde_json::value::RawValue::from_string(text.clone())
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
            Tree::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (name, value) in entries {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

fn tree() -> impl proptest::strategy::Strategy<Value = Tree> {
    use proptest::prelude::*;
    // Names that are prefixes of each other, need escapes, sort differently escaped.
    let name = prop_oneof![
        prop::sample::select(vec![
            "", "a", "a b", "ab", "b", "\u{1}", "\"", "\\", "é", "\u{7f}"
        ])
        .prop_map(str::to_owned),
        "[ab\\\"\u{0}-\u{2}\n é😀]{0,4}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a\\\"\u{0}-\u{1f}é😀]{0,6}".prop_map(Value::from),
    ]
    .prop_map(Tree::Leaf);
    let leaf = prop_oneof![
        8 => leaf,
        1 => any::<f32>().prop_map(Tree::F32),
        1 => prop_oneof![any::<i128>(), any::<i64>().prop_map(i128::from)].prop_map(Tree::Big),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::List),
            prop::collection::vec((name.clone(), inner.clone()), 0..6).prop_map(Tree::Object),
            inner.prop_filter_map("not JSON", |tree| {
                serde_json::to_string_pretty(&tree).ok().map(Tree::Raw)
            }),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn any_json_is_written_as_a_value_would_write_it(tree in tree()) {
        // Equal texts, or both refuse (an integer no `Value` holds).
        let value = serde_json::to_value(&tree).ok().map(|v| v.to_string());
        let mut writer = Canonical::default();
        proptest::prop_assert_eq!(writer.write(&tree).ok(), value.clone());
        // Again, with the buffers of the first run.
        proptest::prop_assert_eq!(writer.write(&tree).ok(), value);
    }
}
