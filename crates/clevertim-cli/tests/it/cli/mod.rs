//! The `clevertim` binary, run as a user runs it, against in-process sandboxes (and, where a
//! test must see or stall the requests, a small fake API on loopback).

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

use base64::Engine as _;
use serde_json::{Value, json};

use crate::common;

use common::*;

mod crud;
mod output;
mod running;
