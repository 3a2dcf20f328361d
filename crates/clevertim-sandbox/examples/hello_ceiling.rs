//! A minimal hyper 1 server answering every request with a small JSON body: the
//! throughput ceiling the sandbox is benchmarked against (see `bench/wrk.sh`).
//!
//! `cargo run --release --example hello_ceiling -- [PORT]` prints `HELLO_ENDPOINT=…`.

use std::convert::Infallible;
use std::io::Write as _;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const BODY: &[u8] = br#"{"status":"OK","content":[{"id":3,"fn":"Hello"}]}"#;

async fn hello(_req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut resp = Response::new(Full::new(Bytes::from_static(BODY)));
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "HELLO_ENDPOINT=http://{addr}/")?;
    out.flush()?;
    drop(out);
    loop {
        let (tcp, _) = listener.accept().await?;
        tcp.set_nodelay(true)?;
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(tcp), service_fn(hello))
                .await;
        });
    }
}
