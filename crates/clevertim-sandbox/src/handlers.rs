//! HTTP request handling: routing, authentication, body reading, the envelope.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Body;
use hyper::header::{AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, EXPECT, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::auth::{self, Principal};
use crate::error::{ApiError, excerpt};
use crate::rules::{self, Resource};
use crate::server::State;
use crate::store::{self, Obj};
use crate::validate;

/// How much of an oversized body is read and discarded before answering 413, so that
/// the client sees the answer rather than a reset connection.
const DRAIN_LIMIT: usize = 32 * 1024 * 1024;

/// What a request asks for, once routed.
enum Op {
    List,
    Get(String),
    Create,
    Update(String),
    Delete(String),
}

/// Serves one request; never fails (every problem becomes an error envelope).
///
/// Generic over the body so that the same code serves hyper's connections and the
/// in-process entry point ([`crate::InProcess`]).
pub(crate) async fn handle<B>(state: Arc<State>, req: Request<B>) -> Response<Full<Bytes>>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut who: Option<Principal> = None;
    let outcome = route(&state, req, &mut who).await;
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    let (status, body, close) = match outcome {
        Ok(body) => (200, body, false),
        Err(e) => (e.status, error_body(&e.message), e.status == 413),
    };
    let (user, uid) = who.map_or((String::from("-"), 0), |p| (p.name, p.id));
    tracing::info!(
        target: "clevertim_sandbox::request",
        %method,
        %path,
        status,
        user = %user,
        user_id = uid,
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    respond(status, body, close)
}

fn respond(status: u16, body: Vec<u8>, close: bool) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if close {
        resp.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    resp
}

/// The OK envelope around a list of objects.
#[derive(serde::Serialize)]
struct OkEnvelope<'a, T> {
    status: &'static str,
    content: &'a [T],
}

/// The OK envelope around `content`, encoded.
fn ok_envelope<T: serde::Serialize>(content: &[T]) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(&OkEnvelope {
        status: "OK",
        content,
    })
    .map_err(|e| ApiError::new(500, format!("Could not encode the answer: {e}")))
}

fn error_body(message: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"status": "ERROR", "error": message})).unwrap_or_else(|_| {
        br#"{"status":"ERROR","error":"internal error: cannot encode the answer"}"#.to_vec()
    })
}

async fn route<B>(
    state: &Arc<State>,
    req: Request<B>,
    who: &mut Option<Principal>,
) -> Result<Vec<u8>, ApiError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    let path = req.uri().path().to_owned();
    let Some(rest) = strip_prefix(&path, &state.prefix) else {
        return Err(ApiError::not_found(format!(
            "No such path: {}",
            excerpt(&path.clone().into())
        )));
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let (name, id) = match segments.as_slice() {
        [name] => (*name, None),
        [name, id] => (*name, Some((*id).to_owned())),
        _ => {
            return Err(ApiError::not_found(format!(
                "No such path: {}",
                excerpt(&path.clone().into())
            )));
        }
    };
    let method = req.method().clone();
    let auth_header = req
        .headers()
        .get(AUTHORIZATION)
        .map(|h| h.as_bytes().to_vec());
    let body = read_body(state, req).await?;
    let principal = {
        let store = state.read();
        auth::authenticate(&store, auth_header.as_deref())?
    };
    let principal = who.insert(principal).clone();
    let Some(res) = rules::resource(name) else {
        return Err(ApiError::not_found(format!(
            "Unknown resource {}",
            excerpt(&name.to_owned().into())
        )));
    };
    let op = match (&method, id) {
        (&Method::GET, None) => Op::List,
        (&Method::GET, Some(id)) => Op::Get(id),
        (&Method::POST, None) => Op::Create,
        (&Method::PUT, Some(id)) => Op::Update(id),
        (&Method::DELETE, Some(id)) => Op::Delete(id),
        (&Method::POST, Some(_)) => {
            return Err(ApiError::unsupported(format!(
                "POST /{name}/{{id}} is not supported: POST /{name} creates, PUT /{name}/{{id}} updates"
            )));
        }
        (&Method::PUT | &Method::DELETE, None) => {
            return Err(ApiError::bad_request(format!(
                "{method} needs the object's id in the path: /{name}/{{id}}"
            )));
        }
        _ => {
            return Err(ApiError::unsupported(format!(
                "Method {method} is not supported"
            )));
        }
    };
    match op {
        Op::List => ok_envelope(&state.read().list(res, &principal)),
        Op::Get(id) => {
            let id = parse_path_id(res, &id)?;
            let store = state.read();
            ok_envelope(&[store.get(res, id, &principal)?])
        }
        Op::Create => {
            check_write(res, &principal, Write::Create)?;
            let obj = parse_object(&body)?;
            state
                .write(move |s| s.create(res, obj, &principal))
                .await
                .and_then(|v| ok_envelope(&[v]))
        }
        Op::Update(id) => {
            check_write(res, &principal, Write::Update)?;
            let id = parse_path_id(res, &id)?;
            let obj = parse_object(&body)?;
            state
                .write(move |s| s.update(res, id, obj, &principal))
                .await
                .and_then(|v| ok_envelope(&[v]))
        }
        Op::Delete(id) => {
            check_write(res, &principal, Write::Delete)?;
            let id = parse_path_id(res, &id)?;
            state.write(move |s| s.delete(res, id, &principal)).await?;
            Ok(br#"{"status":"OK"}"#.to_vec())
        }
    }
}

/// The kind of write a request makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Write {
    Create,
    Update,
    Delete,
}

/// Whether `who` may make this kind of write to `res` (403 or 501 if not).
fn check_write(res: &Resource, who: &Principal, write: Write) -> Result<(), ApiError> {
    if !who.can_write() {
        return Err(ApiError::new(
            403,
            format!(
                "User '{}' has read-only access: writes are not allowed",
                who.name
            ),
        ));
    }
    if write == Write::Delete && !who.can_delete {
        return Err(ApiError::new(
            403,
            format!("User '{}' lacks the candelete permission", who.name),
        ));
    }
    if !res.writable {
        return Err(ApiError::unsupported(format!(
            "{} objects are read-only through the API",
            res.name
        )));
    }
    if write == Write::Update && !res.updatable {
        return Err(ApiError::unsupported(format!(
            "A {} cannot be updated: delete it and create a new one",
            res.name
        )));
    }
    Ok(())
}

fn parse_path_id(res: &Resource, id: &str) -> Result<u64, ApiError> {
    store::parse_id(res, id).ok_or_else(|| {
        ApiError::not_found(format!(
            "{} {} not found",
            res.name,
            excerpt(&id.to_owned().into())
        ))
    })
}

fn parse_object(body: &[u8]) -> Result<Obj, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            500,
            format!("Could not parse the request body as JSON: {e}"),
        )
    })?;
    if !validate::depth_within(&value, validate::MAX_DEPTH) {
        return Err(ApiError::bad_request(format!(
            "The request body is nested too deeply (more than {} levels)",
            validate::MAX_DEPTH
        )));
    }
    match value {
        Value::Object(o) => Ok(o),
        other => Err(ApiError::bad_request(format!(
            "The request body must be a JSON object, got {}",
            excerpt(&other)
        ))),
    }
}

/// Reads the whole body, refusing (413) one larger than the limit. An oversized body
/// is read on (up to [`DRAIN_LIMIT`]) and discarded, so the client gets the answer.
async fn read_body<B>(state: &State, req: Request<B>) -> Result<Bytes, ApiError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
{
    let limit = state.body_limit;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let expects_continue = req
        .headers()
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let mut body = req.into_body();
    let mut too_large = declared.is_some_and(|n| n > limit as u64);
    if too_large && expects_continue {
        // The client waits for our go-ahead: refuse without asking for the body.
        return Err(ApiError::new(
            413,
            format!("Request body too large: the limit is {limit} bytes"),
        ));
    }
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|e| ApiError::bad_request(format!("Could not read the request body: {e}")))?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > limit {
            too_large = true;
        }
        if too_large {
            buf = Vec::new();
            if seen > DRAIN_LIMIT {
                break;
            }
        } else {
            buf.extend_from_slice(data);
        }
    }
    if too_large {
        return Err(ApiError::new(
            413,
            format!("Request body too large: the limit is {limit} bytes"),
        ));
    }
    Ok(Bytes::from(buf))
}

fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}
