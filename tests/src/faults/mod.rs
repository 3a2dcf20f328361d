//! A socket-level fault-injection server: it stands where the API would, speaks just enough
//! HTTP/1.1, and misbehaves on cue.
//!
//! Its parts:
//!
//! - `server`: the listener and its accept loop. It binds its port at once but may start
//!   *listening* only later (a bound socket that does not listen refuses connections: "the
//!   server is down, then up"), or listen with a full accept queue (the kernel drops new SYNs:
//!   a connect times out), counts every request it reads (method, path, when), and hands
//!   each one to the next [`Fault`] of its script.
//! - `script`: the behaviours, [`Fault`]. A script is a queue of them for successive requests,
//!   then one behaviour for all later requests (by default [`Fault::Forward`]). Most faults
//!   first forward the request to an upstream (an in-process `clevertim_sandbox::Sandbox`), so
//!   a write is really applied, and then damage the delivery of its answer: a reset, a body cut
//!   short, a stall, a gzip encoding nobody asked for. Others answer on their own (a 503 with
//!   `Retry-After`, an HTML 502 page, a redirect, a 32 MiB body).
//! - `http`: the HTTP/1.1 pieces: reading a request (headers and a `Content-Length` body,
//!   `Expect: 100-continue`), forwarding it upstream and parsing the answer, writing answers,
//!   and a stored-block gzip encoder.
//!
//! Only loopback is ever used: the server binds 127.0.0.1 and forwards to the sandbox's
//! loopback address. Every wait is bounded.

mod http;
mod script;
mod server;

pub use script::Fault;
pub use server::{FaultServer, FaultServerBuilder, Listen, Seen};
