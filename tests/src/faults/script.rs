//! The behaviours a fault server plays, one per request.

use std::io;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::http::{Answer, Conn, Framing, Request, forward, gzip};
use super::server::Shared;

/// What the server does with one request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Fault {
    /// Forwards the request to the upstream and passes its answer on, honestly framed.
    Forward,
    /// Forwards at once, then holds the answer this long: an answer that crosses later
    /// requests.
    Slow(Duration),
    /// Forwards (the request is applied), then resets the connection (RST, `SO_LINGER` 0)
    /// before a byte of the answer.
    ResetBeforeAnswer,
    /// Forwards, writes the head and half the body, then resets the connection.
    ResetMidBody,
    /// Forwards, declares a `Content-Length` 64 bytes longer than the body, writes the body and
    /// closes the connection (FIN).
    ShortBody,
    /// Forwards, writes the head and half the body, then sends nothing more for this long (or
    /// until the client goes away), then closes.
    Stall(Duration),
    /// A `200` whose chunked body is this many bytes (an envelope padded with spaces); not
    /// forwarded. The server stops writing when the client goes away.
    Huge(u64),
    /// A canned answer; not forwarded.
    Respond {
        /// The status code.
        status: u16,
        /// The reason phrase.
        reason: &'static str,
        /// Headers besides the framing.
        headers: Vec<(&'static str, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// `429 Too Many Requests` with `Retry-After` as an HTTP date this far ahead of the moment
    /// of the answer; not forwarded.
    RetryAfterDate(Duration),
    /// Forwards, then passes the answer on gzip-encoded, with `Content-Encoding: gzip`
    /// (which the client never asked for).
    Gzip,
}

impl Fault {
    /// A canned answer.
    pub fn respond(
        status: u16,
        reason: &'static str,
        headers: &[(&'static str, &str)],
        body: &str,
    ) -> Fault {
        Fault::Respond {
            status,
            reason,
            headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Whether the connection may serve another request after this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    KeepOpen,
    Close,
}

/// The longest a [`Fault::Stall`] holds a connection, whatever it was told.
const MAX_STALL: Duration = Duration::from_secs(10);

impl Fault {
    /// Plays this behaviour for `request`, read from `conn`.
    pub(crate) async fn play(
        &self,
        conn: &mut Conn,
        request: &Request,
        shared: &Shared,
    ) -> io::Result<Next> {
        match self {
            Fault::Forward => {
                let answer = upstream(request, shared).await;
                shared.pause().await;
                write(conn, shared, &answer.bytes()).await?;
                Ok(Next::KeepOpen)
            }
            Fault::Slow(wait) => {
                let answer = upstream(request, shared).await;
                tokio::time::sleep((*wait).min(MAX_STALL)).await;
                write(conn, shared, &answer.bytes()).await?;
                Ok(Next::KeepOpen)
            }
            Fault::ResetBeforeAnswer => {
                upstream(request, shared).await;
                reset(conn);
                Ok(Next::Close)
            }
            Fault::ResetMidBody => {
                let answer = upstream(request, shared).await;
                let mut bytes = answer.head(Framing::Length(answer.body.len() as u64));
                bytes.extend_from_slice(&answer.body[..answer.body.len() / 2]);
                write(conn, shared, &bytes).await?;
                // Let the client read what was sent before the reset arrives.
                tokio::time::sleep(Duration::from_millis(20)).await;
                reset(conn);
                Ok(Next::Close)
            }
            Fault::ShortBody => {
                let answer = upstream(request, shared).await;
                let mut bytes = answer.head(Framing::Length(answer.body.len() as u64 + 64));
                bytes.extend_from_slice(&answer.body);
                write(conn, shared, &bytes).await?;
                conn.stream.shutdown().await?;
                Ok(Next::Close)
            }
            Fault::Stall(wait) => {
                let answer = upstream(request, shared).await;
                let mut bytes = answer.head(Framing::Length(answer.body.len() as u64));
                bytes.extend_from_slice(&answer.body[..answer.body.len() / 2]);
                write(conn, shared, &bytes).await?;
                let mut sink = [0u8; 1024];
                let _ = tokio::time::timeout((*wait).min(MAX_STALL), async {
                    // Until the client closes (0) or fails.
                    while matches!(conn.stream.read(&mut sink).await, Ok(n) if n > 0) {}
                })
                .await;
                Ok(Next::Close)
            }
            Fault::Huge(size) => {
                let answer = Answer::new(200, "OK", &[("content-type", "application/json")], b"");
                write(conn, shared, &answer.head(Framing::Chunked)).await?;
                let open = br#"{"status":"OK","content":["#;
                let close = b"]}";
                let mut left = size.saturating_sub((open.len() + close.len()) as u64);
                write_chunk(conn, shared, open).await?;
                let padding = vec![b' '; 64 * 1024];
                while left > 0 {
                    let n = left.min(padding.len() as u64) as usize;
                    write_chunk(conn, shared, &padding[..n]).await?;
                    left -= n as u64;
                }
                write_chunk(conn, shared, close).await?;
                write(conn, shared, b"0\r\n\r\n").await?;
                Ok(Next::KeepOpen)
            }
            Fault::Respond {
                status,
                reason,
                headers,
                body,
            } => {
                let headers: Vec<(&str, &str)> =
                    headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
                let answer = Answer::new(*status, reason, &headers, body);
                write(conn, shared, &answer.bytes()).await?;
                Ok(Next::KeepOpen)
            }
            Fault::RetryAfterDate(ahead) => {
                let date = httpdate::fmt_http_date(SystemTime::now() + *ahead);
                let answer = Answer::new(
                    429,
                    "Too Many Requests",
                    &[("content-type", "application/json"), ("retry-after", &date)],
                    br#"{"status":"ERROR","error":"Too many requests"}"#,
                );
                write(conn, shared, &answer.bytes()).await?;
                Ok(Next::KeepOpen)
            }
            Fault::Gzip => {
                let mut answer = upstream(request, shared).await;
                answer.body = gzip(&answer.body);
                answer.set_header("content-encoding", "gzip");
                write(conn, shared, &answer.bytes()).await?;
                Ok(Next::KeepOpen)
            }
        }
    }
}

/// The upstream's answer to `request`; a 502 page when there is no upstream or it failed.
async fn upstream(request: &Request, shared: &Shared) -> Answer {
    let failed = |why: String| {
        Answer::new(
            502,
            "Bad Gateway",
            &[("content-type", "text/plain")],
            why.as_bytes(),
        )
    };
    match shared.upstream {
        Some(addr) => forward(addr, request)
            .await
            .unwrap_or_else(|e| failed(format!("upstream failed: {e}"))),
        None => failed("no upstream".into()),
    }
}

async fn write(conn: &mut Conn, shared: &Shared, bytes: &[u8]) -> io::Result<()> {
    conn.stream.write_all(bytes).await?;
    shared
        .bytes_written
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    Ok(())
}

async fn write_chunk(conn: &mut Conn, shared: &Shared, data: &[u8]) -> io::Result<()> {
    let mut bytes = format!("{:x}\r\n", data.len()).into_bytes();
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(b"\r\n");
    write(conn, shared, &bytes).await
}

/// Closes the connection with a reset (RST) instead of an orderly FIN.
fn reset(conn: &mut Conn) {
    // Dropping a socket with a zero linger time makes the kernel send RST.
    let _ = conn.stream.set_zero_linger();
}
