//! The accept loop: one hyper HTTP/1 connection task per client, keep-alive, and a
//! graceful shutdown when told to stop.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::State;

/// How long a graceful shutdown waits for requests in flight.
pub(crate) const GRACE: Duration = Duration::from_secs(5);

/// Accepts connections until told to stop, then shuts down gracefully.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut stop: oneshot::Receiver<()>,
    done: oneshot::Sender<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(true).timer(TokioTimer::new());
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    if let Err(e) = tcp.set_nodelay(true) {
                        tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
                    }
                    state.stats.connections.fetch_add(1, Ordering::Relaxed);
                    let st = state.clone();
                    let svc = service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, std::convert::Infallible>(crate::handlers::handle(st, req).await) }
                    });
                    let conn = graceful.watch(http.serve_connection(TokioIo::new(tcp), svc));
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!(%peer, error = %e, "connection ended with an error");
                        }
                    });
                }
                Err(e) => {
                    // E.g. too many open files: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::debug!("all connections closed"),
        () = tokio::time::sleep(GRACE) => tracing::warn!("graceful shutdown timed out"),
    }
    let _ = done.send(());
}
