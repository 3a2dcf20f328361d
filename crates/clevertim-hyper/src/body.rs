//! Reading an answer's body within the request's [`BodyLimit`], whichever connection brings it.

use bytes::Bytes;
use clevertim_core::{BodyLimit, TransportError};
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;

use crate::error;

/// The answer with its whole body, read only up to `limit`.
///
/// A declared `Content-Length` over the limit fails before a byte of the body is read;
/// `Limited` stops as soon as the body grows past it, so memory stays bounded whatever the
/// server sends (chunked, or a lying `Content-Length`).
pub(crate) async fn read(
    response: http::Response<Incoming>,
    limit: BodyLimit,
) -> Result<http::Response<Bytes>, TransportError> {
    limit.check_declared(response.headers())?;
    let (parts, body) = response.into_parts();
    let max = usize::try_from(limit.bytes()).unwrap_or(usize::MAX);
    let body = Limited::new(body, max)
        .collect()
        .await
        .map_err(|e| error::body_error(e, limit))?
        .to_bytes();
    Ok(http::Response::from_parts(parts, body))
}
