//! One HTTP/2 connection of the default mode: its task, its idle expiry, its keep-alive PINGs,
//! and sending on it so that a request the server never took comes back to be sent elsewhere.
//!
//! HTTP/2 multiplexes many requests on one connection, so its state machine runs on its own:
//! a task spawned on the runtime, shared by every request to the host through [`Http2`].
//! The task also ends the connection once no request has used it for the idle timeout, and
//! hyper's keep-alive PINGs (with their own timeout) end it when the server stops answering:
//! a flow a NAT dropped silently is noticed within seconds, not after the request timeouts of
//! every request sent into it.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_core::{BodyLimit, TransportError, TransportErrorKind};
use http_body_util::Full;
use hyper::client::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::http1::{Failure, Request};
use crate::{Io, body, error};

/// Keep-alive PINGs of HTTP/2 connections: how often, and how long an answer may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeepAlive {
    pub(crate) interval: Duration,
    pub(crate) timeout: Duration,
}

/// A handle on an HTTP/2 connection; clones share it.
#[derive(Clone)]
pub(crate) struct Http2 {
    send: http2::SendRequest<Full<Bytes>>,
    usage: Arc<Usage>,
}

/// What the connection's task needs to know to end an idle connection.
struct Usage {
    in_flight: AtomicUsize,
    last_used: Mutex<Instant>,
}

impl Usage {
    fn idle_for(&self) -> Option<Duration> {
        if self.in_flight.load(SeqCst) > 0 {
            return None;
        }
        Some(
            self.last_used
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .elapsed(),
        )
    }
}

/// A request in flight on a connection: counted while it lives.
struct InFlight(Arc<Usage>);

impl InFlight {
    fn new(usage: &Arc<Usage>) -> InFlight {
        usage.in_flight.fetch_add(1, SeqCst);
        InFlight(Arc::clone(usage))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        *self
            .0
            .last_used
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
        self.0.in_flight.fetch_sub(1, SeqCst);
    }
}

impl Http2 {
    /// Starts HTTP/2 on a connected stream and spawns the connection's task, which ends it
    /// after `idle_timeout` without a request.
    pub(crate) async fn handshake(
        io: Io,
        idle_timeout: Duration,
        keep_alive: KeepAlive,
    ) -> Result<Http2, TransportError> {
        let (send, conn) = http2::Builder::new(TokioExecutor::new())
            .timer(TokioTimer::new())
            .keep_alive_interval(keep_alive.interval)
            .keep_alive_timeout(keep_alive.timeout)
            .keep_alive_while_idle(true)
            .handshake(io)
            .await
            .map_err(error::classify)?;
        let usage = Arc::new(Usage {
            in_flight: AtomicUsize::new(0),
            last_used: Mutex::new(Instant::now()),
        });
        let watched = Arc::clone(&usage);
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            loop {
                let wait = watched
                    .idle_for()
                    .map_or(idle_timeout, |idle| idle_timeout.saturating_sub(idle));
                match tokio::time::timeout(wait.max(Duration::from_millis(10)), &mut conn).await {
                    Ok(Ok(())) => return,
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, "HTTP/2 connection ended");
                        return;
                    }
                    Err(_) if watched.idle_for().is_some_and(|idle| idle >= idle_timeout) => {
                        // Dropped, the connection closes; its handles then say `is_closed`.
                        tracing::debug!(?idle_timeout, "closing an idle HTTP/2 connection");
                        return;
                    }
                    Err(_) => {}
                }
            }
        });
        Ok(Http2 { send, usage })
    }

    /// Whether the connection is gone (closed by either side, or expired).
    pub(crate) fn is_closed(&self) -> bool {
        self.send.is_closed()
    }

    /// Whether `other` is a handle on the same connection.
    pub(crate) fn same_as(&self, other: &Http2) -> bool {
        Arc::ptr_eq(&self.usage, &other.usage)
    }

    /// Sends `request` (its URI absolute: it gives `:scheme` and `:authority`) and reads the
    /// answer within `limit`.
    ///
    /// # Errors
    ///
    /// [`Failure::Unsent`] with the request when the connection never took it (its task
    /// ended, or it was closing): it can go on another connection whatever its verb. A
    /// request the server refused (`REFUSED_STREAM`) or that a `GOAWAY` left unprocessed is a
    /// [`Failure::Failed`] of kind `Connect`, which the session retries.
    pub(crate) async fn send(
        &self,
        request: Request,
        limit: BodyLimit,
    ) -> Result<http::Response<Bytes>, Failure> {
        let _in_flight = InFlight::new(&self.usage);
        let mut send = self.send.clone();
        if let Err(e) = send.ready().await {
            return Err(Failure::Unsent(Box::new(request), not_sent(e)));
        }
        let response =
            send.try_send_request(request)
                .await
                .map_err(|mut e| match e.take_message() {
                    Some(request) => Failure::Unsent(Box::new(request), not_sent(e.into_error())),
                    None => Failure::Failed(error::classify(e.into_error())),
                })?;
        body::read(response, limit).await.map_err(Failure::Failed)
    }
}

/// The error of a request an HTTP/2 connection never took: `Connect`, as nothing was sent.
fn not_sent(cause: hyper::Error) -> TransportError {
    TransportError::with_source(TransportErrorKind::Connect, cause)
        .context("the HTTP/2 connection closed before the request was sent")
}
