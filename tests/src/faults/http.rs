//! Just enough HTTP/1.1: read a request, forward it upstream, parse and write answers.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The longest request head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// The longest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// The longest wait for the upstream's whole answer.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);

/// One request as read from a client.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the client asked to close the connection after this exchange.
    pub(crate) fn wants_close(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An answer: from the upstream, or made up by a fault.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) reason: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// Headers that describe the framing of one hop; [`Answer::head`] writes its own.
const HOP_HEADERS: [&str; 4] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
];

/// How an answer's body is framed on the wire.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Framing {
    /// `Content-Length: n` (which may be a lie).
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

impl Answer {
    /// A made-up answer.
    pub(crate) fn new(status: u16, reason: &str, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Answer {
            status,
            reason: reason.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
        }
    }

    /// The status line and headers, with `framing` as the only framing header.
    pub(crate) fn head(&self, framing: Framing) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            if !HOP_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        match framing {
            Framing::Length(n) => head.push_str(&format!("content-length: {n}\r\n")),
            Framing::Chunked => head.push_str("transfer-encoding: chunked\r\n"),
        }
        head.push_str("\r\n");
        head.into_bytes()
    }

    /// The whole answer, honestly framed.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut out = self.head(Framing::Length(self.body.len() as u64));
        out.extend_from_slice(&self.body);
        out
    }

    /// Sets a header, replacing any of that name.
    pub(crate) fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
    }
}

/// A client connection and the bytes read from it but not used yet.
#[derive(Debug)]
pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream) -> Self {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    async fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    /// The next request, or `None` when the client closed the connection between requests.
    pub(crate) async fn read_request(&mut self) -> io::Result<Option<Request>> {
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("request head too long"));
            }
            if self.fill().await? == 0 {
                return if self.buf.is_empty() {
                    Ok(None)
                } else {
                    Err(io::ErrorKind::UnexpectedEof.into())
                };
            }
        };
        let head = std::str::from_utf8(&self.buf[..head_end - 4])
            .map_err(|_| invalid("request head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let (method, target) = match (first.next(), first.next()) {
            (Some(m), Some(t)) if !m.is_empty() => (m.to_owned(), t.to_owned()),
            _ => return Err(invalid("bad request line")),
        };
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        if header(&headers, "transfer-encoding").is_some() {
            return Err(invalid("chunked requests are not supported"));
        }
        let length: usize = match header(&headers, "content-length") {
            Some(v) => v.parse().map_err(|_| invalid("bad content-length"))?,
            None => 0,
        };
        if length > MAX_BODY {
            return Err(invalid("request body too long"));
        }
        let expects =
            header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
        if expects && self.buf.len() < head_end + length {
            self.stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await?;
        }
        while self.buf.len() < head_end + length {
            if self.fill().await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        let body = self.buf[head_end..head_end + length].to_vec();
        self.buf.drain(..head_end + length);
        Ok(Some(Request {
            method,
            target,
            headers,
            body,
        }))
    }
}

/// Sends `request` to `upstream` on a connection of its own (closed after the answer) and
/// returns the answer.
pub(crate) async fn forward(upstream: SocketAddr, request: &Request) -> io::Result<Answer> {
    let exchange = async {
        let mut stream = TcpStream::connect(upstream).await?;
        stream.set_nodelay(true)?;
        let mut out = format!(
            "{} {} HTTP/1.1\r\nhost: {upstream}\r\n",
            request.method, request.target
        );
        for (name, value) in &request.headers {
            let skip = [
                "host",
                "connection",
                "expect",
                "keep-alive",
                "content-length",
            ]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h));
            if !skip {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        out.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            request.body.len()
        ));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&request.body);
        stream.write_all(&bytes).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        parse_answer(&answer)
    };
    tokio::time::timeout(UPSTREAM_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

/// Parses a complete answer (read until the upstream closed), decoding a chunked body.
fn parse_answer(bytes: &[u8]) -> io::Result<Answer> {
    let head_end = find(bytes, b"\r\n\r\n").ok_or_else(|| invalid("answer without a head"))? + 4;
    let head = std::str::from_utf8(&bytes[..head_end - 4])
        .map_err(|_| invalid("answer head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let _version = parts.next();
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("bad status line"))?;
    let reason = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[head_end..];
    let chunked =
        header(&headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(length) = header(&headers, "content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad content-length"))?;
        rest.get(..length)
            .ok_or_else(|| invalid("upstream answer cut short"))?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Answer {
        status,
        reason,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or_else(|| invalid("bad chunk"))?;
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .ok_or_else(|| invalid("bad chunk size"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(rest.get(..size).ok_or_else(|| invalid("chunk cut short"))?);
        rest = rest
            .get(size + 2..)
            .ok_or_else(|| invalid("chunk cut short"))?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

/// `data` as a gzip member of stored (uncompressed) deflate blocks: valid gzip that any
/// decoder inflates back to `data`, and that no JSON decoder reads.
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        out.push(u8::from(last));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_a_known_text() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn answers_parse_with_either_framing() {
        let plain = parse_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi").unwrap();
        assert_eq!((plain.status, plain.body.as_slice()), (200, &b"hi"[..]));
        let chunked = parse_answer(
            b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n1\r\n!\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (chunked.status, chunked.body.as_slice()),
            (404, &b"hi!"[..])
        );
    }

    #[test]
    fn gzip_frames_stored_blocks() {
        let packed = gzip(b"{}");
        assert_eq!(&packed[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(&packed[10..15], &[1, 2, 0, 0xfd, 0xff]);
        assert_eq!(packed.len(), 10 + 5 + 2 + 8);
    }
}
