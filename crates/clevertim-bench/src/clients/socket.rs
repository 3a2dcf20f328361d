//! The ceiling of a blocking client: HTTP/1.1 keep-alive over one `std::net::TcpStream`,
//! each request in one write, the answer read by `Content-Length`. No runtime, no thread
//! hop: what a request costs the kernel and the server, and little else.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use bytes::Bytes;

use crate::Result;

/// The largest answer read (the scenarios' answers are a few KiB).
const MAX_BODY: usize = 64 << 20;
/// No read or write waits longer than this.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// A blocking keep-alive client of one server.
pub(crate) struct SocketClient {
    addr: SocketAddr,
    /// `host:` and `authorization:` lines, sent with every request.
    fixed_headers: String,
    stream: Option<BufReader<TcpStream>>,
    request: Vec<u8>,
    line: Vec<u8>,
}

impl SocketClient {
    /// A client of `addr`, authenticating as the SDK does (`Basic base64(KEY:X)`).
    pub(crate) fn new(addr: SocketAddr, api_key: &str) -> SocketClient {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{api_key}:X"));
        SocketClient {
            addr,
            fixed_headers: format!(
                "host: {addr}\r\nauthorization: Basic {auth}\r\naccept: application/json\r\n\
                 user-agent: clevertim-rust/{}\r\n",
                env!("CARGO_PKG_VERSION")
            ),
            stream: None,
            request: Vec::with_capacity(1024),
            line: Vec::with_capacity(256),
        }
    }

    /// Sends one request and returns the answer's status and body. A connection the server
    /// closed while idle is replaced once (nothing was answered on it, so nothing is lost).
    pub(crate) fn send(&mut self, method: &str, path: &str, body: &[u8]) -> Result<(u16, Bytes)> {
        self.request.clear();
        write!(
            self.request,
            "{method} {path} HTTP/1.1\r\n{}",
            self.fixed_headers
        )?;
        if !body.is_empty() {
            write!(
                self.request,
                "content-type: application/json\r\ncontent-length: {}\r\n",
                body.len()
            )?;
        }
        self.request.extend_from_slice(b"\r\n");
        self.request.extend_from_slice(body);
        let reused = self.stream.is_some();
        match self.exchange() {
            Ok(answer) => Ok(answer),
            Err(_) if reused => {
                self.stream = None;
                self.exchange()
            }
            Err(e) => {
                self.stream = None;
                Err(e)
            }
        }
    }

    fn exchange(&mut self) -> Result<(u16, Bytes)> {
        if self.stream.is_none() {
            let tcp = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT)?;
            // TRAPS 11: small writes must not wait for a delayed ACK.
            tcp.set_nodelay(true)?;
            tcp.set_read_timeout(Some(IO_TIMEOUT))?;
            tcp.set_write_timeout(Some(IO_TIMEOUT))?;
            self.stream = Some(BufReader::with_capacity(16 * 1024, tcp));
        }
        let stream = self.stream.as_mut().ok_or("no connection")?;
        stream.get_mut().write_all(&self.request)?;
        let mut status = 0u16;
        let mut length = None;
        let mut first = true;
        loop {
            self.line.clear();
            if stream.read_until(b'\n', &mut self.line)? == 0 {
                return Err("the server closed the connection".into());
            }
            let line = std::str::from_utf8(&self.line)?.trim_end();
            if first {
                first = false;
                status = line
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| format!("not an HTTP status line: {line:?}"))?;
                continue;
            }
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.trim().parse::<usize>()?);
                }
            }
        }
        let length = length.ok_or("an answer without content-length")?;
        if length > MAX_BODY {
            return Err(format!("an answer of {length} bytes").into());
        }
        let mut body = vec![0; length];
        stream.read_exact(&mut body)?;
        Ok((status, Bytes::from(body)))
    }
}
