//! An object's canonical wire JSON and its digest: what a run compares with the mirror.
//!
//! Canonical means compact, with every object's keys in byte order of their (unescaped)
//! names, at every depth, the last of equal keys kept: the text of
//! `serde_json::to_value(x)?.to_string()`. Going through a `Value` builds a tree of maps and
//! strings for each object and costs several times the serialization itself; [`Canonical`]
//! serializes straight to text instead, and sorts each object's entries as it ends.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::io;
use std::ops::Range;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
use sha2::{Digest, Sha256};

/// Writes canonical JSON; keeps its buffers from one object to the next.
#[derive(Debug, Default)]
pub(crate) struct Canonical {
    frames: Vec<Frame>,
}

impl Canonical {
    /// `value` as canonical JSON text.
    ///
    /// # Errors
    ///
    /// `value`'s `Serialize` failed (a map with keys that are not strings, say).
    pub(crate) fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<String> {
        let mut out = Vec::with_capacity(512);
        let mut serializer = serde_json::Serializer::with_formatter(
            &mut out,
            Sorting {
                frames: &mut self.frames,
                depth: 0,
                in_key: false,
            },
        );
        value.serialize(&mut serializer)?;
        // serde_json writes only UTF-8, and the entries are moved whole.
        String::from_utf8(out).map_err(serde::ser::Error::custom)
    }
}

/// The SHA-256 of `wire`, in lowercase hex: the mirror's `wire_sha256`.
pub(crate) fn sha256_hex(wire: &str) -> String {
    format!("{:x}", Sha256::digest(wire.as_bytes()))
}

/// One object being written: its entries' text, one after another, and where each is.
#[derive(Debug, Default)]
struct Frame {
    text: Vec<u8>,
    entries: Vec<Entry>,
    key: Range<usize>,
    value_start: usize,
}

/// One entry of an object: its key (quoted, escaped) and its value, as ranges of the text.
#[derive(Debug, Clone)]
struct Entry {
    key: Range<usize>,
    value: Range<usize>,
    /// The name's first 8 bytes, big-endian, zero-padded: most names differ there, so most
    /// comparisons are one integer comparison.
    prefix: u64,
    /// Whether the key has escapes (its name is then decoded to compare).
    escaped: bool,
}

impl Entry {
    fn new(text: &[u8], key: Range<usize>, value: Range<usize>) -> Entry {
        let inner = quoted_inner(&text[key.clone()]);
        let escaped = inner.contains(&b'\\');
        let mut prefix = [0_u8; 8];
        if !escaped {
            let n = inner.len().min(8);
            prefix[..n].copy_from_slice(&inner[..n]);
        }
        Entry {
            key,
            value,
            prefix: u64::from_be_bytes(prefix),
            escaped,
        }
    }

    /// Orders two entries of `text` by name, as a `BTreeMap<String, _>` would.
    fn order(&self, other: &Entry, text: &[u8]) -> Ordering {
        if !self.escaped && !other.escaped {
            self.prefix.cmp(&other.prefix).then_with(|| {
                quoted_inner(&text[self.key.clone()]).cmp(quoted_inner(&text[other.key.clone()]))
            })
        } else {
            name(text, &self.key).cmp(&name(text, &other.key))
        }
    }
}

/// A quoted key without its quotes.
fn quoted_inner(quoted: &[u8]) -> &[u8] {
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
}

/// The formatter: everything inside an object goes to the object's frame; an object's end
/// writes its entries, sorted, to the frame around it (or out, at the top).
struct Sorting<'a> {
    frames: &'a mut Vec<Frame>,
    depth: usize,
    /// Inside an object's key, where numbers are written as a `Value`'s keys hold them.
    in_key: bool,
}

impl Sorting<'_> {
    /// The frame text is written to, if inside an object.
    fn text(&mut self) -> Option<&mut Vec<u8>> {
        let i = self.depth.checked_sub(1)?;
        self.frames.get_mut(i).map(|frame| &mut frame.text)
    }

    /// Writes with `write` where text goes now: the current frame, or `writer`.
    fn forward<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<()> {
        match self.text() {
            Some(text) => write(text),
            None => write(&mut AsWrite(writer)),
        }
    }

    fn frame(&mut self) -> io::Result<&mut Frame> {
        let i = self.depth.checked_sub(1).ok_or_else(unbalanced)?;
        self.frames.get_mut(i).ok_or_else(unbalanced)
    }
}

/// What a `Value` says of an integer it cannot hold.
fn out_of_range() -> io::Error {
    io::Error::other("number out of range")
}

/// A writer that may be unsized, as a sized one.
struct AsWrite<'w, W: ?Sized>(&'w mut W);

impl<W: ?Sized + io::Write> io::Write for AsWrite<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

fn unbalanced() -> io::Error {
    io::Error::other("canonical JSON: an object's entry outside any object")
}

/// The entry's name, unescaped only when it has escapes.
fn name<'t>(text: &'t [u8], key: &Range<usize>) -> Cow<'t, [u8]> {
    let quoted = &text[key.clone()];
    let inner = quoted_inner(quoted);
    if inner.contains(&b'\\') {
        match serde_json::from_slice::<String>(quoted) {
            Ok(name) => Cow::Owned(name.into_bytes()),
            Err(_) => Cow::Borrowed(inner),
        }
    } else {
        Cow::Borrowed(inner)
    }
}

/// Writes one formatter call to the current frame, or straight out outside any object.
macro_rules! pass_through {
    ($( $method:ident ( $( $arg:ident : $ty:ty ),* ); )*) => {
        $(
            fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
                match self.text() {
                    Some(text) => CompactFormatter.$method(text $(, $arg)*),
                    None => CompactFormatter.$method(writer $(, $arg)*),
                }
            }
        )*
    };
}

impl Formatter for Sorting<'_> {
    pass_through! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_string_fragment(fragment: &str);
        write_char_escape(char_escape: CharEscape);
        write_byte_array(value: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
    }

    fn write_i128<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: i128) -> io::Result<()> {
        if !self.in_key && i64::try_from(value).is_err() && u64::try_from(value).is_err() {
            return Err(out_of_range());
        }
        self.forward(writer, |out| CompactFormatter.write_i128(out, value))
    }

    fn write_u128<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: u128) -> io::Result<()> {
        if !self.in_key && u64::try_from(value).is_err() {
            return Err(out_of_range());
        }
        self.forward(writer, |out| CompactFormatter.write_u128(out, value))
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        if self.in_key {
            self.forward(writer, |out| CompactFormatter.write_f32(out, value))
        } else {
            // A `Value` holds an `f32` as the `f64` it widens to, and writes that.
            self.write_f64(writer, f64::from(value))
        }
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // A `Value` parses raw JSON: its objects are sorted, its numbers and strings rewritten.
        let value: Value = serde_json::from_str(fragment).map_err(io::Error::other)?;
        let text = value.to_string();
        self.forward(writer, |out| {
            CompactFormatter.write_raw_fragment(out, &text)
        })
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.frames.len() < self.depth {
            self.frames.push(Frame::default());
        }
        let frame = self.frame()?;
        frame.text.clear();
        frame.entries.clear();
        Ok(())
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        _writer: &mut W,
        _first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        let frame = self.frame()?;
        frame.key = frame.text.len()..frame.text.len();
        Ok(())
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.in_key = false;
        let frame = self.frame()?;
        frame.key.end = frame.text.len();
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.frame()?;
        frame.value_start = frame.text.len();
        Ok(())
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        let frame = self.frame()?;
        let entry = Entry::new(
            &frame.text,
            frame.key.clone(),
            frame.value_start..frame.text.len(),
        );
        frame.entries.push(entry);
        Ok(())
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        let i = self.depth.checked_sub(1).ok_or_else(unbalanced)?;
        let (outer, inner) = self.frames.split_at_mut(i);
        let frame = inner.first_mut().ok_or_else(unbalanced)?;
        let text = &frame.text;
        // Stable: among equal names the last written stays last, and is the one kept.
        frame.entries.sort_by(|a, b| a.order(b, text));
        match outer.last_mut() {
            Some(parent) => write_sorted(&mut parent.text, frame)?,
            None => write_sorted(writer, frame)?,
        }
        self.depth = i;
        Ok(())
    }
}

/// Writes `frame`'s object, its entries sorted already: the last of equal names only.
fn write_sorted<O: ?Sized + io::Write>(out: &mut O, frame: &Frame) -> io::Result<()> {
    let text = &frame.text;
    out.write_all(b"{")?;
    let mut first = true;
    for (n, entry) in frame.entries.iter().enumerate() {
        let overwritten = frame
            .entries
            .get(n + 1)
            .is_some_and(|next| next.order(entry, text) == Ordering::Equal);
        if overwritten {
            continue;
        }
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(&text[entry.key.clone()])?;
        out.write_all(b":")?;
        out.write_all(&text[entry.value.clone()])?;
    }
    out.write_all(b"}")
}

#[cfg(test)]
mod tests {
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
}
