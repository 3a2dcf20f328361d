//! Recording, replaying, matching and writing cassettes, over fake inner transports.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::atomic::Ordering;

use bytes::Bytes;
use clevertim_core::{Transport, TransportErrorKind};
use clevertim_fixtures::{
    Cassette, CassetteBuilder, FixtureError, Mismatch, Mode, RecordedRequest,
};
use common::*;
use serde_json::{Value, json};

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What one request sent to a cassette must give.
#[derive(Debug)]
enum Gives {
    /// The recorded answer of the echo server's `n`-th call (its body re-serialised compactly).
    Answer(u64),
    /// An answer, sent through the inner transport and recorded.
    Recorded,
    /// An error whose message holds this text.
    Fails(&'static str),
}

mod limits;
mod matchers;
mod modes;
mod replay;
mod secrets;
mod writes;
