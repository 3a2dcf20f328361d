//! One HTTP/1.1 connection driven by the request that uses it.
//!
//! hyper's `client::conn::http1` splits a connection into the handle that sends
//! ([`SendRequest`]) and the state machine that does the I/O ([`Connection`]). hyper-util's
//! pool spawns the state machine as a task; here the request's own future polls both until
//! the answer's body is read, through a [`Relay`] so that what they tell each other does not
//! go through the runtime. Under a multi-thread runtime whose caller sits on the `block_on`
//! thread (a plain `#[tokio::main]`), that saves the two cross-thread wake-ups a spawned
//! connection task costs per request (TRAPS 12).
//!
//! The price: nothing polls a connection while it is idle, so a server's close is noticed
//! only when the connection is taken again. [`Http1::is_reusable`] therefore looks at the
//! socket itself before each reuse.

use std::future::{Future as _, poll_fn};
use std::io::ErrorKind;
use std::pin::{Pin, pin};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{BodyLimit, TransportError, TransportErrorKind};
use http::Uri;
use http::header::{HOST, HeaderValue};
use http_body_util::Full;
use hyper::client::conn::http1::{Connection, SendRequest, handshake};
use hyper_rustls::MaybeHttpsStream;

use crate::proxy::AbsoluteForm;
use crate::relay::Relay;
use crate::{Io, body, error};

/// A request as hyper sends it.
pub(crate) type Request = http::Request<Full<Bytes>>;

/// The state machine of a connection.
type Machine = Pin<Box<Connection<Io, Full<Bytes>>>>;

/// An HTTP/1.1 connection: the handle, the state machine nobody else polls, and a second
/// handle on its socket to see whether the server closed it while idle.
pub(crate) struct Http1 {
    send: SendRequest<Full<Bytes>>,
    /// `None` once it has finished: the connection is gone (and dropping it tells `send`).
    conn: Option<Machine>,
    /// The waker of both, so that what they tell each other does not go through the runtime.
    relay: Relay,
    /// A duplicate of the connection's socket (the same kernel socket), only ever peeked.
    watch: Option<std::net::TcpStream>,
    /// When the last exchange ended.
    pub(crate) idle_since: Instant,
    /// How long the server said it keeps the connection idle (`Keep-Alive: timeout=N`), less
    /// a margin, if it said so.
    pub(crate) keep_for: Option<Duration>,
}

/// Why an exchange failed.
pub(crate) enum Failure {
    /// The connection closed before it took the request: nothing was sent, and the request
    /// is given back to be sent on another connection.
    Unsent(Box<Request>, TransportError),
    /// The request was sent (or may have been).
    Failed(TransportError),
}

impl Failure {
    /// The error, for when the request cannot be tried elsewhere.
    pub(crate) fn into_error(self) -> TransportError {
        match self {
            Failure::Unsent(_, e) | Failure::Failed(e) => e,
        }
    }
}

impl Http1 {
    /// Starts HTTP/1.1 on a connected stream (no round trip: HTTP/1.1 has no handshake).
    pub(crate) async fn handshake(io: Io) -> Result<Http1, TransportError> {
        let watch = watch(&io);
        if let Err(e) = &watch {
            // Never a skipped check: without its watch, the connection serves this one
            // request and is not kept idle.
            tracing::debug!(error = %e, "no duplicate socket to check; the connection will not be reused");
        }
        let (send, conn) = handshake(io).await.map_err(error::classify)?;
        Ok(Http1 {
            send,
            conn: Some(Box::pin(conn)),
            relay: Relay::new(),
            watch: watch.ok(),
            idle_since: Instant::now(),
            keep_for: None,
        })
    }

    /// Whether this idle connection can take a request.
    ///
    /// Polling the state machine sees a close only if the runtime's I/O driver has already
    /// reported the socket readable, which it may not have (a current-thread runtime between
    /// two `block_on` calls runs no driver). So the socket is also peeked, one non-blocking
    /// syscall: an idle HTTP/1.1 connection has nothing to read, and anything there (the end
    /// of the stream, a reset, a `408` or a TLS alert) means the server is done with it. A
    /// request written into such a connection could fail after being sent, which a `POST`
    /// cannot retry.
    pub(crate) fn is_reusable(&mut self) -> bool {
        if self.send.is_closed() {
            return false;
        }
        let Some(conn) = self.conn.as_mut() else {
            return false;
        };
        let mut cx = Context::from_waker(Waker::noop());
        if conn.as_mut().poll(&mut cx).is_ready() {
            self.conn = None;
            return false;
        }
        // Without a watch (the system refused a duplicate socket), the socket cannot be
        // checked: the connection is not reused rather than reused unchecked.
        self.watch.as_ref().is_some_and(|socket| {
            matches!(socket.peek(&mut [0u8; 1]), Err(e) if e.kind() == ErrorKind::WouldBlock)
        })
    }

    /// Whether the connection can go back to the pool after an exchange.
    pub(crate) fn is_open(&self) -> bool {
        self.conn.is_some() && self.watch.is_some()
    }

    /// Sends `request` and reads its answer within `limit`, polling the connection all along.
    pub(crate) async fn send(
        &mut self,
        request: Request,
        limit: BodyLimit,
    ) -> Result<http::Response<Bytes>, Failure> {
        let Http1 {
            send, conn, relay, ..
        } = self;
        // Why the state machine ended, if it ended before taking the request.
        let ended = Ended::default();
        let mut exchange = pin!(exchange(send, request, limit, &ended));
        // The request's side first: when the state machine, polled next, has brought the
        // whole answer, one more round ends the exchange. The state machine is not polled
        // after that: the check before the connection's next use does it, so one poll serves
        // both. (After an answer saying `Connection: close`, hyper's state machine ends in
        // the round that reads it: the connection is dropped there, not kept idle.)
        let answered = poll_fn(|cx| {
            relay.poll(cx, |cx| {
                if let Poll::Ready(answered) = exchange.as_mut().poll(cx) {
                    return Poll::Ready(answered);
                }
                drive(conn, cx, &ended);
                Poll::Pending
            })
        })
        .await;
        relay.release();
        self.idle_since = Instant::now();
        if let Ok(response) = &answered {
            if let Some(keep_for) = keep_alive_timeout(response.headers()) {
                self.keep_for = Some(keep_for);
            }
        }
        answered
    }
}

/// Polls the state machine, if it still runs; drops it when it ends, keeping why.
fn drive(conn: &mut Option<Machine>, cx: &mut Context<'_>, ended: &Ended) {
    if let Some(machine) = conn.as_mut() {
        if let Poll::Ready(end) = machine.as_mut().poll(cx) {
            // Dropped, it gives back a request it had not taken, and fails the handle.
            *conn = None;
            ended.keep(end.err());
        }
    }
}

/// Why a connection's state machine ended, told by the side that polls it to the side that
/// sends (a lock, as the request's future must be `Send`; never contended).
#[derive(Default)]
struct Ended(Mutex<Option<hyper::Error>>);

impl Ended {
    fn keep(&self, cause: Option<hyper::Error>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = cause;
    }

    fn take(&self) -> Option<hyper::Error> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The request's side of an exchange: waits for the connection to be idle, hands the
/// request over, and reads the answer.
async fn exchange(
    send: &mut SendRequest<Full<Bytes>>,
    mut request: Request,
    limit: BodyLimit,
    ended: &Ended,
) -> Result<http::Response<Bytes>, Failure> {
    if let Err(e) = poll_fn(|cx| send.poll_ready(cx)).await {
        let cause = ended.take().unwrap_or(e);
        return Err(Failure::Unsent(
            Box::new(request),
            closed_before_sending(Some(cause)),
        ));
    }
    let absolute = to_origin_form(&mut request);
    let response =
        send.try_send_request(request)
            .await
            .map_err(|mut e| match e.take_message() {
                Some(mut request) => {
                    *request.uri_mut() = absolute;
                    let cause = ended.take().unwrap_or_else(|| e.into_error());
                    Failure::Unsent(Box::new(request), closed_before_sending(Some(cause)))
                }
                None => Failure::Failed(error::classify(e.into_error())),
            })?;
    body::read(response, limit).await.map_err(|e| {
        // hyper tells the body only "connection error"; the state machine's own error, if it
        // ended with one, says what happened.
        let cause = ended
            .take()
            .filter(|_| e.kind() != TransportErrorKind::TooLarge);
        Failure::Failed(cause.map_or(e, |cause| {
            error::classify(cause).context("reading the body")
        }))
    })
}

/// Rewrites an absolute URI into what an HTTP/1.1 request line carries (the path and query,
/// the host in a `Host` header), as hyper-util's client does; returns the absolute URI.
fn to_origin_form(request: &mut Request) -> Uri {
    let absolute = request.uri().clone();
    if let (Some(authority), Some(host)) = (absolute.authority(), absolute.host()) {
        let default_port = match absolute.scheme_str() {
            Some("https") => 443,
            _ => 80,
        };
        let value = match authority.port_u16() {
            // The authority as written, unless it names the default port or a user.
            Some(port) if port == default_port => HeaderValue::from_str(host),
            _ if !authority.as_str().contains('@') => HeaderValue::from_str(authority.as_str()),
            Some(port) => HeaderValue::try_from(format!("{host}:{port}")),
            None => HeaderValue::from_str(host),
        };
        if let Ok(value) = value {
            request.headers_mut().entry(HOST).or_insert(value);
        }
    }
    if request.extensions().get::<AbsoluteForm>().is_some() {
        // To a forward proxy: the request line keeps the whole URL.
        return absolute;
    }
    let mut origin = http::uri::Parts::default();
    origin.path_and_query = absolute.path_and_query().cloned();
    *request.uri_mut() = Uri::from_parts(origin).unwrap_or_else(|_| Uri::from_static("/"));
    absolute
}

/// The error of a connection that closed before taking a request: nothing was sent, so it
/// is a `Connect` error (any verb may be retried), hyper's error kept as the source.
fn closed_before_sending(cause: Option<hyper::Error>) -> TransportError {
    let error = match cause {
        Some(cause) => TransportError::with_source(TransportErrorKind::Connect, cause),
        None => TransportError::new(TransportErrorKind::Connect, ""),
    };
    error.context("the connection closed before the request was sent")
}

/// A duplicate handle on `io`'s TCP socket, non-blocking, for [`Http1::is_reusable`]'s peek,
/// or why the system refused one (`EMFILE`…): the connection is then not reused.
fn watch(io: &Io) -> std::io::Result<std::net::TcpStream> {
    let tcp = match io {
        MaybeHttpsStream::Http(tcp) => tcp.tcp(),
        MaybeHttpsStream::Https(tls) => tls.inner().get_ref().0.inner().tcp(),
    };
    let socket = socket2::SockRef::from(tcp).try_clone()?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// How long an idle connection may be kept, by the answer's `Keep-Alive: timeout=N`: a
/// second less than the server's `N`, so that a request is not written into a connection the
/// server is closing at that moment.
pub(crate) fn keep_alive_timeout(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get("keep-alive")?.to_str().ok()?;
    let seconds = value.split(',').find_map(|param| {
        let (name, n) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("timeout")
            .then(|| n.trim().trim_matches('"').parse::<u64>().ok())?
    })?;
    Some(Duration::from_secs(seconds.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(keep_alive: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert("keep-alive", HeaderValue::from_str(keep_alive).unwrap());
        headers
    }

    #[test]
    fn keep_alive_timeout_is_read_less_a_second() {
        assert_eq!(
            keep_alive_timeout(&headers("timeout=5")),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            keep_alive_timeout(&headers("max=100, Timeout=2")),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            keep_alive_timeout(&headers("timeout=1")),
            Some(Duration::ZERO)
        );
        assert_eq!(keep_alive_timeout(&headers("max=100")), None);
        assert_eq!(keep_alive_timeout(&headers("timeout=soon")), None);
        assert_eq!(keep_alive_timeout(&http::HeaderMap::new()), None);
    }
}
