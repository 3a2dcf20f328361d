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
mod tests;
