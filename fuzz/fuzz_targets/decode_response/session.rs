//! The session under test: its transport answers every request with the input's status,
//! header and body; a plain-map cache; retries without waiting; and the API key that must
//! never leak.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::{transport_fn, BoxFuture, Cache, CacheKey, RetryPolicy, Session, Sleeper};

use crate::input::Plan;

/// Longer than any key the input can spell (31 bytes), so a key asked for never contains it.
pub(crate) const API_KEY: &str = "FzK3yq8Zr2mWx8LpV4nYc6HdJ1aGe5Bu0sT9vQpL";
/// base64("FzK3…:X"), the Basic credential of `API_KEY`.
pub(crate) fn credential() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| base64_encode(format!("{API_KEY}:X").as_bytes()))
}

/// A cache that is a plain map, so that cached paths run without the memory cache's eviction work.
#[derive(Debug, Default)]
pub(crate) struct MapCache(Mutex<HashMap<CacheKey, Bytes>>);

impl Cache for MapCache {
    fn get(&self, key: &CacheKey) -> Option<Bytes> {
        self.0.lock().ok()?.get(key).cloned()
    }
    fn insert(&self, key: CacheKey, json: Bytes) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(key, json);
        }
    }
    fn remove(&self, key: &CacheKey) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(key);
        }
    }
    fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }
}

/// Never waits: retries happen at once.
#[derive(Debug)]
pub(crate) struct NoWait;

impl Sleeper for NoWait {
    fn sleep(&self, _duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(std::future::ready(()))
    }
}

pub(crate) fn session(plan: &Plan) -> Session {
    let body = plan.body.clone();
    let status = http::StatusCode::from_u16(plan.status).unwrap_or(http::StatusCode::OK);
    let header = plan.header;
    let transport = transport_fn(move |_request: http::Request<Bytes>| {
        let mut response = http::Response::new(body.clone());
        *response.status_mut() = status;
        let headers = response.headers_mut();
        let extra = match header {
            1 => Some(("content-type", "application/json")),
            2 => Some(("content-type", "text/html; charset=utf-8")),
            3 => Some(("content-length", "0")),
            4 => Some(("content-length", "99999999999")),
            5 => Some(("retry-after", "0")),
            6 => Some(("content-encoding", "gzip")),
            _ => None,
        };
        if let Some((name, value)) = extra {
            headers.insert(name, http::HeaderValue::from_static(value));
        }
        async move { Ok(response) }
    });
    Session::builder(API_KEY)
        .endpoint("https://fuzz.invalid/api")
        .transport(transport)
        .cache(MapCache::default())
        .retry(RetryPolicy::default().max_retries(1))
        .sleeper(NoWait)
        .build()
        .expect("a valid session")
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
