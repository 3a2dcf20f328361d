//! The clients the baselines use (bare hyper-util, bare isahc, a blocking socket), the
//! counting transport of the relations scenario, and what every client does with an answer.

pub(crate) mod counting;
pub(crate) mod raw_hyper;
pub(crate) mod raw_isahc;
pub(crate) mod socket;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clevertim::{Contact, transport_fn};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::Result;

/// The envelope of every answer, objects left undecoded (borrowed slices of the body).
#[derive(Deserialize)]
struct Envelope<'a> {
    status: &'a str,
    #[serde(borrow)]
    content: Vec<&'a RawValue>,
}

/// What any client must do with an answer to `GET /contact/{id}`: read the envelope and
/// its one object into a model. The baselines do this, so that they do the SDK's work.
pub(crate) fn decode_contact(body: &[u8]) -> Result<Contact> {
    let envelope: Envelope<'_> = serde_json::from_slice(body)?;
    match (envelope.status, envelope.content.as_slice()) {
        ("OK", [one]) => Ok(serde_json::from_str(one.get())?),
        (status, content) => Err(format!(
            "unexpected answer: status {status}, {} objects",
            content.len()
        )
        .into()),
    }
}

/// The requests the SDK sends for `GET /contact/{id}` of each of `ids`, recorded from a
/// session whose transport answers with `answer(id)`: the baselines replay them, so that
/// they send byte for byte what the SDK sends.
pub(crate) fn recorded_gets(
    endpoint: &str,
    api_key: &str,
    ids: impl IntoIterator<Item = u64>,
) -> Result<Vec<http::Request<Bytes>>> {
    let seen: Arc<Mutex<Vec<http::Request<Bytes>>>> = Arc::default();
    let log = seen.clone();
    let session = clevertim::Session::builder(api_key)
        .endpoint(endpoint)
        .no_cache()
        .transport(transport_fn(move |request: http::Request<Bytes>| {
            let id: u64 = request
                .uri()
                .path()
                .rsplit('/')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            if let Ok(mut log) = log.lock() {
                log.push(request);
            }
            async move {
                Ok(http::Response::new(crate::data::envelope(vec![
                    crate::data::contact(id),
                ])))
            }
        }))
        .build()?;
    for id in ids {
        futures_executor::block_on(session.load::<Contact>(id))?;
    }
    let requests = std::mem::take(&mut *seen.lock().map_err(|_| "poisoned")?);
    Ok(requests)
}
