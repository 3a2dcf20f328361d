//! A prototype transport, for measuring only: each HTTP/1.1 connection is driven inside the
//! request's own future (hyper's `client::conn::http1`, no spawned connection task), from a
//! small pool of idle `(SendRequest, Connection)` pairs. The caller's thread does the I/O,
//! so no wake-up crosses threads (TRAPS 12). Plain http only, no timeout, no body limit:
//! enough to measure the idea beside the real transport, not a transport to ship.

use std::fmt;
use std::future::{poll_fn, Future as _};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use clevertim::{BoxFuture, Transport, TransportError, TransportErrorKind};
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::{handshake, Connection, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

type Conn = Connection<TokioIo<TcpStream>, Full<Bytes>>;

/// One connection: the handle that sends, and the state machine nobody else polls.
struct Pair {
    send: SendRequest<Full<Bytes>>,
    conn: Pin<Box<Conn>>,
}

/// The prototype transport; see the module's documentation.
pub(crate) struct InlineTransport {
    addr: SocketAddr,
    idle: Mutex<Vec<Pair>>,
}

impl fmt::Debug for InlineTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InlineTransport")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

fn failed(e: impl std::error::Error + Send + Sync + 'static) -> TransportError {
    TransportError::with_source(TransportErrorKind::Io, e)
}

impl InlineTransport {
    /// A transport to the server at `addr` (plain http).
    pub(crate) fn new(addr: SocketAddr) -> InlineTransport {
        InlineTransport {
            addr,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// An idle connection the server has not closed: each is polled once (nothing else
    /// polls it while idle, so a close is only seen here).
    fn take_live(&self) -> Option<Pair> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let mut cx = Context::from_waker(Waker::noop());
        while let Some(mut pair) = idle.pop() {
            if pair.conn.as_mut().poll(&mut cx).is_pending() && !pair.send.is_closed() {
                return Some(pair);
            }
        }
        None
    }

    async fn connect(&self) -> Result<Pair, TransportError> {
        let tcp = TcpStream::connect(self.addr)
            .await
            .map_err(|e| TransportError::with_source(TransportErrorKind::Connect, e))?;
        tcp.set_nodelay(true).map_err(failed)?;
        let (send, conn) = handshake(TokioIo::new(tcp)).await.map_err(failed)?;
        Ok(Pair {
            send,
            conn: Box::pin(conn),
        })
    }

    async fn exchange(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let mut pair = match self.take_live() {
            Some(pair) => pair,
            None => self.connect().await?,
        };
        let Pair { send, conn } = &mut pair;
        // Ready to send: the connection must be polled for the handle to become ready.
        poll_fn(|cx| {
            if let Poll::Ready(done) = conn.as_mut().poll(cx) {
                return Poll::Ready(Err(done.err().map_or_else(
                    || TransportError::new(TransportErrorKind::Io, "connection closed"),
                    failed,
                )));
            }
            send.poll_ready(cx).map_err(failed)
        })
        .await?;
        let answer = send.send_request(request.map(Full::new));
        let mut exchange = std::pin::pin!(async move {
            let response = answer.await.map_err(failed)?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(failed)?.to_bytes();
            Ok::<_, TransportError>(http::Response::from_parts(parts, body))
        });
        // Both at once: the answer's future and the connection that brings it.
        let mut closed = false;
        let response = poll_fn(|cx| {
            if let Poll::Ready(response) = exchange.as_mut().poll(cx) {
                return Poll::Ready(response);
            }
            if !closed && conn.as_mut().poll(cx).is_ready() {
                closed = true;
            }
            Poll::Pending
        })
        .await?;
        if !closed {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(pair);
        }
        Ok(response)
    }
}

impl Transport for InlineTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.exchange(request))
    }
}
