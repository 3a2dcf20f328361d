//! Test helpers: a plain HTTP client that sends method/path/key/body and returns
//! (status, JSON), plus a raw-socket sender for malformed requests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    dead_code,
    unused_imports,
    unreachable_pub
)]

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

pub use clevertim_sandbox::{
    DEFAULT_ADMIN_API_KEY, DEFAULT_API_KEY, DEFAULT_READONLY_API_KEY, Sandbox,
};

/// A keep-alive HTTP client bound to one sandbox endpoint.
#[derive(Clone)]
pub struct Api {
    client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
}

/// The `Authorization` header value for a key.
pub fn basic(key: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"))
    )
}

impl Api {
    pub fn new(base: impl Into<String>) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
            base: base.into(),
        }
    }

    pub fn of(sandbox: &Sandbox) -> Self {
        Self::new(sandbox.endpoint())
    }

    /// Sends a request and returns the status and the parsed JSON body.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let bytes = body
            .map(|b| serde_json::to_vec(&b).unwrap())
            .unwrap_or_default();
        self.send_bytes(
            method,
            path,
            key,
            bytes,
            &[("content-type", "application/json")],
        )
        .await
    }

    /// Sends raw body bytes with extra headers.
    pub async fn send_bytes(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        if let Some(key) = key {
            req = req.header("authorization", basic(key));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = self
            .client
            .request(req.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .expect("request failed");
        let status = resp.status().as_u16();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
        (status, json)
    }

    pub async fn get(&self, path: &str, key: &str) -> (u16, Value) {
        self.send("GET", path, Some(key), None).await
    }
    pub async fn post(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.send("POST", path, Some(key), Some(body)).await
    }
    pub async fn put(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.send("PUT", path, Some(key), Some(body)).await
    }
    pub async fn delete(&self, path: &str, key: &str) -> (u16, Value) {
        self.send("DELETE", path, Some(key), None).await
    }

    /// GET one object and return it (asserting a 200 one-element list).
    pub async fn one(&self, path: &str, key: &str) -> Value {
        let (status, body) = self.get(path, key).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        let list = content(&body);
        assert_eq!(list.len(), 1, "GET {path} returns a one-element list");
        list[0].clone()
    }

    /// POST and return the created object (asserting 200).
    pub async fn create(&self, res: &str, key: &str, body: Value) -> Value {
        let (status, reply) = self.post(&format!("/{res}"), key, body).await;
        assert_eq!(status, 200, "POST /{res}: {reply}");
        content(&reply)[0].clone()
    }
}

/// The `content` list of an OK envelope.
pub fn content(body: &Value) -> Vec<Value> {
    assert_eq!(body["status"], "OK", "not an OK envelope: {body}");
    body["content"]
        .as_array()
        .expect("content is a list")
        .clone()
}

/// The `error` text of an ERROR envelope.
pub fn error_text(body: &Value) -> String {
    assert_eq!(body["status"], "ERROR", "not an ERROR envelope: {body}");
    body["error"]
        .as_str()
        .expect("error is a string")
        .to_owned()
}

/// Ids of a list field as u64s.
pub fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

/// Sends raw bytes on a fresh connection and returns the whole raw answer.
pub async fn send_raw(sandbox: &Sandbox, request: &[u8]) -> String {
    raw_with(sandbox, request, false).await
}

/// As [`send_raw`], then closes the sending side (a client that stops mid-request).
pub async fn send_raw_half_closed(sandbox: &Sandbox, request: &[u8]) -> String {
    raw_with(sandbox, request, true).await
}

async fn raw_with(sandbox: &Sandbox, request: &[u8], half_close: bool) -> String {
    let mut tcp = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    // The server may answer (e.g. 413) and close before reading everything.
    let _ = tcp.write_all(request).await;
    if half_close {
        let _ = tcp.shutdown().await;
    }
    let mut out = Vec::new();
    let _ =
        tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// A started sandbox with demo data and its client.
pub async fn demo() -> (Sandbox, Api) {
    let sandbox = Sandbox::start().await.unwrap();
    let api = Api::of(&sandbox);
    (sandbox, api)
}

/// A started sandbox without demo data and its client.
pub async fn empty() -> (Sandbox, Api) {
    let sandbox = Sandbox::builder().empty(true).start().await.unwrap();
    let api = Api::of(&sandbox);
    (sandbox, api)
}
