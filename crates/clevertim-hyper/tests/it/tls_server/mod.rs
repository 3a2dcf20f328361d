//! A TLS server on 127.0.0.1 for the tests: a certificate made at run time, ALPN as asked,
//! hyper's HTTP/1.1 or HTTP/2 server as negotiated, and a real sandbox (in process) behind
//! it. It runs on its own thread and runtime, so that the client's runtime does nothing for
//! it (between two calls of a current-thread client, nothing polls an idle connection).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clevertim_sandbox::{InProcess, Sandbox};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// The protocols the server offers by ALPN.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Alpn {
    /// `h2`, then `http/1.1`: a client offering both gets HTTP/2.
    H2AndHttp1,
    /// `http/1.1` only.
    Http1Only,
}

impl Alpn {
    fn protocols(self) -> Vec<Vec<u8>> {
        match self {
            Alpn::H2AndHttp1 => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
            Alpn::Http1Only => vec![b"http/1.1".to_vec()],
        }
    }
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// TCP connections accepted (a failed handshake counts too).
    accepted: AtomicUsize,
    /// Connections whose serving has ended.
    ended: AtomicUsize,
    /// For each request: the number of its connection, its version and method.
    requests: Mutex<Vec<(usize, http::Version, http::Method)>>,
}

/// A running server; it stops with the test's process.
pub(crate) struct TlsServer {
    addr: SocketAddr,
    certificate: CertificateDer<'static>,
    seen: Arc<Seen>,
    /// Bumped to make every connection close once it is idle.
    close_idle: watch::Sender<usize>,
    sandbox: Arc<InProcess>,
}

impl TlsServer {
    /// Starts a server offering `alpn`, with a fresh sandbox behind it.
    pub(crate) fn start(alpn: Alpn) -> TlsServer {
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .expect("a self-signed certificate");
        let certificate = certified.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            certified.signing_key.serialize_der(),
        ));
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate.clone()], key)
        .expect("the certificate and its key");
        config.alpn_protocols = alpn.protocols();
        let acceptor = TlsAcceptor::from(Arc::new(config));

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let sandbox = Arc::new(Sandbox::builder().in_process().expect("sandbox"));
        let seen = Arc::new(Seen::default());
        let (close_idle, closing) = watch::channel(0);
        let server = Server {
            acceptor,
            sandbox: sandbox.clone(),
            seen: seen.clone(),
            closing,
        };
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the server's runtime");
            runtime.block_on(server.run(listener));
        });
        TlsServer {
            addr,
            certificate,
            seen,
            close_idle,
            sandbox,
        }
    }

    /// The base URL of the sandbox's API, e.g. `https://127.0.0.1:4321/api`.
    pub(crate) fn endpoint(&self) -> String {
        format!("https://{}{}", self.addr, self.sandbox.prefix())
    }

    /// The address the server listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The sandbox owner's API key.
    pub(crate) fn api_key(&self) -> &str {
        self.sandbox.api_key()
    }

    /// The server's certificate (self-signed), DER-encoded.
    pub(crate) fn certificate(&self) -> Vec<u8> {
        self.certificate.to_vec()
    }

    /// TCP connections accepted so far.
    pub(crate) fn accepted(&self) -> usize {
        self.seen.accepted.load(Ordering::SeqCst)
    }

    /// Each request so far: the number of its connection (from 0), its version, its method.
    pub(crate) fn requests(&self) -> Vec<(usize, http::Version, http::Method)> {
        self.seen.requests.lock().expect("not poisoned").clone()
    }

    /// Starts the graceful shutdown of every connection (HTTP/2: `GOAWAY`, then a `PING` the
    /// client must answer before the server closes), and gives the server 200 ms to send it;
    /// does not wait for the connections to end.
    pub(crate) fn go_away(&self) {
        self.close_idle.send_modify(|n| *n += 1);
        std::thread::sleep(Duration::from_millis(200));
    }

    /// Closes every connection once it is idle (TLS `close_notify`, then the socket, and no
    /// word in any answer), and returns when all the connections accepted so far are closed.
    /// It blocks, so that a current-thread client runtime does nothing meanwhile.
    pub(crate) fn close_idle_connections(&self) {
        self.close_idle.send_modify(|n| *n += 1);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.seen.ended.load(Ordering::SeqCst) < self.accepted() {
            assert!(Instant::now() < deadline, "connections still open");
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// What the server's thread runs.
struct Server {
    acceptor: TlsAcceptor,
    sandbox: Arc<InProcess>,
    seen: Arc<Seen>,
    closing: watch::Receiver<usize>,
}

impl Server {
    async fn run(self, listener: std::net::TcpListener) {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        let server = Arc::new(self);
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let number = server.seen.accepted.fetch_add(1, Ordering::SeqCst);
            let server = server.clone();
            tokio::spawn(async move {
                server.clone().serve(tcp, number).await;
                server.seen.ended.fetch_add(1, Ordering::SeqCst);
            });
        }
    }

    /// Serves one connection: the TLS handshake, then the protocol ALPN chose.
    async fn serve(self: Arc<Self>, tcp: tokio::net::TcpStream, number: usize) {
        tcp.set_nodelay(true).expect("TCP_NODELAY");
        // A client refusing the certificate ends the handshake: nothing to serve.
        let Ok(tls) = self.acceptor.accept(tcp).await else {
            return;
        };
        let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
        let io = TokioIo::new(tls);
        // HTTP/2 runs each request as a task of its own: the service owns what it uses.
        let server = self.clone();
        let service = service_fn(move |request| {
            let server = server.clone();
            async move { server.answer(request, number).await }
        });
        let mut closing = self.closing.clone();
        closing.mark_unchanged();
        if h2 {
            let conn = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                .serve_connection(io, service);
            drive(conn, closing, |c| c.graceful_shutdown()).await;
        } else {
            let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
            drive(conn, closing, |c| c.graceful_shutdown()).await;
        }
    }

    /// Hands the request to the sandbox, as it came.
    async fn answer(
        &self,
        request: http::Request<Incoming>,
        number: usize,
    ) -> Result<http::Response<Full<Bytes>>, Infallible> {
        let (parts, body) = request.into_parts();
        self.seen.requests.lock().expect("not poisoned").push((
            number,
            parts.version,
            parts.method.clone(),
        ));
        let body = match body.collect().await {
            Ok(body) => body.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let answer = self
            .sandbox
            .handle(http::Request::from_parts(parts, body))
            .await;
        Ok(answer.map(Full::new))
    }
}

/// Drives `conn` to its end; when told to close idle connections, shuts it down gracefully
/// (hyper closes an idle HTTP/1.1 connection at once, and ends HTTP/2 with `GOAWAY`).
async fn drive<C, E>(
    conn: C,
    mut closing: watch::Receiver<usize>,
    shutdown: fn(std::pin::Pin<&mut C>),
) where
    C: std::future::Future<Output = Result<(), E>>,
{
    let mut conn = std::pin::pin!(conn);
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            changed = closing.changed() => match changed {
                Ok(()) => shutdown(conn.as_mut()),
                // The test is over: serve until the client leaves.
                Err(_) => {
                    let _ = conn.as_mut().await;
                    return;
                }
            },
        }
    }
}
