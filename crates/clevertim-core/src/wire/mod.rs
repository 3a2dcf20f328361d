//! The wire protocol in one place, in two halves: [`request`] builds what goes out (URLs,
//! headers, bodies), [`answer`] reads what comes back (the envelope, status codes, the
//! objects, the errors). Both live on one [`Protocol`], made once per session from the
//! endpoint and the API key.

mod answer;
mod request;

use http::header::HeaderValue;

use crate::session::ApiKey;

pub(crate) use answer::{Answer, not_found};
pub(crate) use request::write_body;

/// Everything a request needs and an answer is read with that does not change between
/// requests: built once per session.
#[derive(Clone)]
pub(crate) struct Protocol {
    /// The endpoint without a trailing slash, e.g. `https://www.clevertim.com/api`.
    base: String,
    /// `Basic base64(KEY:X)`, marked sensitive.
    auth: HeaderValue,
    /// Scrubbed from everything an error quotes.
    api_key: ApiKey,
    /// The endpoint and account every decoded object is marked with.
    origin: crate::model::Origin,
}
