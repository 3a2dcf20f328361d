//! What comes back: the envelope, the status codes, the objects an answer carries and the
//! errors it means, with the API key scrubbed from anything quoted.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::Protocol;
use crate::error::{Error, RequestSite, Result};
use crate::key::Id;
use crate::model::Resource;

/// The longest excerpt of an unexpected body quoted in an error.
const EXCERPT_CHARS: usize = 160;

/// The last answer to a request, whether it took more than one try, and how long the server
/// asked to wait before another (when the session did not wait that long); and the request
/// it answers, which every error read from it names ([`Answer::blame`]).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) retried: bool,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) attempts: u32,
}

impl Answer {
    /// The request this answers.
    pub(crate) fn site(&self) -> RequestSite {
        RequestSite::of_request(&self.method, &self.uri, self.attempts)
    }

    /// `error`, read from this answer, marked with the request it answers (and the server's
    /// `Retry-After` wish): the one place an error the server answered learns where.
    pub(crate) fn blame(&self, error: Error) -> Error {
        error.answered(|| self.site(), self.retry_after)
    }
}

impl Protocol {
    /// The objects of a successful answer (empty for a `DELETE`), or the error it carries.
    ///
    /// Each object is a slice of `body`: no copy is made.
    pub(crate) fn envelope(
        &self,
        status: StatusCode,
        body: &Bytes,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<Vec<Bytes>> {
        match serde_json::from_slice::<Envelope<'_>>(body) {
            Ok(envelope) => match envelope.status.as_deref() {
                Some("OK") if status.is_success() => Ok(envelope
                    .content
                    .unwrap_or_default()
                    .into_iter()
                    .map(|raw| body.slice_ref(raw.get().as_bytes()))
                    .collect()),
                Some("ERROR") => {
                    let message = envelope.error.unwrap_or_else(|| "(no error text)".into());
                    Err(self.status_error(status, message, resource, id))
                }
                _ if !status.is_success() => {
                    Err(self.status_error(status, self.excerpt(body), resource, id))
                }
                other => Err(self.malformed(
                    status,
                    "an envelope with status OK or ERROR",
                    body,
                    other.map(|s| format!("status is {s:?}")),
                )),
            },
            Err(_) if !status.is_success() => {
                Err(self.status_error(status, self.excerpt(body), resource, id))
            }
            Err(e) => Err(self.malformed(
                status,
                "a JSON envelope {\"status\", \"content\"}",
                body,
                Some(e.to_string()),
            )),
        }
    }

    /// The objects of an answer, or the error it carries.
    pub(crate) fn objects(
        &self,
        answer: &Answer,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<Vec<Bytes>> {
        self.envelope(answer.status, &answer.body, resource, id)
    }

    /// The one object of an answer that must carry exactly one.
    fn one_object(
        &self,
        answer: &Answer,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<Bytes> {
        let mut objects = self.objects(answer, resource, id)?;
        match objects.len() {
            1 => Ok(objects.remove(0)),
            0 if id.is_some() => Err(Error::NotFound {
                resource,
                key: id.map(Id::to_string).unwrap_or_default(),
                site: None,
            }),
            n => Err(self.malformed(
                answer.status,
                &format!("one {resource} object"),
                &answer.body,
                Some(format!("content holds {n} objects")),
            )),
        }
    }

    /// The one object of an answer that must carry exactly one, decoded, and its JSON.
    ///
    /// An answer shaped as the API writes it is not parsed twice: the object is found between
    /// the envelope's known first and last bytes and decoded from there, which also proves it
    /// is one whole JSON value. Any other shape, or an object that does not decode, takes the
    /// full parse of [`one_object`](Self::one_object), with its precise errors.
    pub(crate) fn single<R: Resource>(
        &self,
        answer: &Answer,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Result<(R, Bytes)> {
        if answer.status.is_success() {
            if let Some(json) = single_content(&answer.body) {
                if let Ok(object) = self.object::<R>(answer.status, json) {
                    return Ok((object, answer.body.slice_ref(json)));
                }
            }
        }
        let json = self.one_object(answer, resource, id)?;
        let object = self.object(answer.status, &json)?;
        Ok((object, json))
    }

    /// A list as the cache holds it (a list-only resource's whole answer).
    pub(crate) fn cached_list<R: Resource>(&self, body: &Bytes) -> Result<Vec<R>> {
        self.envelope(StatusCode::OK, body, R::PATH, None)?
            .iter()
            .map(|json| self.object(StatusCode::OK, json))
            .collect()
    }

    /// One object of type `R`, from an answer with `status`.
    pub(crate) fn object<R: Resource>(&self, status: StatusCode, json: &[u8]) -> Result<R> {
        // Checked as UTF-8 once, the text is not checked again string by string (the objects
        // of an answer always pass; other bytes get `from_slice`'s error, as they always did).
        let decoded = match std::str::from_utf8(json) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(json),
        };
        let mut object: R = decoded.map_err(|e| {
            self.malformed(
                status,
                &format!("a {} object", R::PATH),
                json,
                Some(e.to_string()),
            )
        })?;
        object.set_origin(Some(self.origin.clone()));
        Ok(object)
    }

    fn status_error(
        &self,
        status: StatusCode,
        message: String,
        resource: &'static str,
        id: Option<&Id>,
    ) -> Error {
        let message = self.api_key.scrub(&message);
        match status {
            StatusCode::UNAUTHORIZED => Error::Authentication {
                message,
                site: None,
            },
            StatusCode::FORBIDDEN => Error::Permission {
                message,
                site: None,
            },
            StatusCode::NOT_FOUND => Error::NotFound {
                resource,
                key: id.map(Id::to_string).unwrap_or_default(),
                site: None,
            },
            StatusCode::NOT_IMPLEMENTED => Error::Unsupported {
                message,
                site: None,
            },
            _ => Error::Api {
                status: status.as_u16(),
                message,
                retry_after: None,
                site: None,
            },
        }
    }

    /// An error for an answer that is not what the SDK expected.
    pub(crate) fn malformed(
        &self,
        status: StatusCode,
        expected: &str,
        body: &[u8],
        detail: Option<String>,
    ) -> Error {
        Error::MalformedResponse {
            status: status.as_u16(),
            expected: expected.to_owned(),
            excerpt: self.excerpt(body),
            detail: detail.map(|d| self.api_key.scrub(&d)),
            site: None,
        }
    }

    /// The start of `body` as text, with the API key scrubbed.
    fn excerpt(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return "(empty body)".to_owned();
        }
        // Scrub before cutting, over enough text that a key running across the cut is whole:
        // cutting first would leave the key's first characters in the excerpt.
        let text = String::from_utf8_lossy(body);
        let margin = 2 * self.api_key.expose_secret().len() + 16;
        let head: String = text.chars().take(EXCERPT_CHARS + margin).collect();
        let scrubbed = self.api_key.scrub(&head);
        let mut excerpt: String = scrubbed.chars().take(EXCERPT_CHARS).collect();
        if scrubbed.chars().nth(EXCERPT_CHARS).is_some()
            || text.chars().nth(head.chars().count()).is_some()
        {
            excerpt.push('…');
        }
        excerpt
    }
}

/// The error for an object `id` of `R` the server does not hold.
pub(crate) fn not_found<R: Resource>(id: &Id) -> Error {
    Error::NotFound {
        resource: R::PATH,
        key: id.to_string(),
        site: None,
    }
}

/// What lies inside `[` and `]` of an answer `{"status": "OK", "content": [ ... ]}` (any
/// whitespace between the tokens, none other), trimmed; `None` for any other shape.
fn single_content(body: &[u8]) -> Option<&[u8]> {
    const OPENING: [&[u8]; 8] = [
        b"{",
        b"\"status\"",
        b":",
        b"\"OK\"",
        b",",
        b"\"content\"",
        b":",
        b"[",
    ];
    const CLOSING: [&[u8]; 2] = [b"}", b"]"];
    let mut rest = body;
    for token in OPENING {
        rest = trim_start(rest).strip_prefix(token)?;
    }
    for token in CLOSING {
        rest = trim_end(rest).strip_suffix(token)?;
    }
    Some(trim_end(trim_start(rest)))
}

/// JSON's whitespace (RFC 8259: space, tab, line feed, carriage return; not the form feed
/// that `trim_ascii` also drops), so that the fast path accepts only what the full parse does.
fn is_json_space(byte: &u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| is_json_space(b)).count();
    &bytes[skip..]
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().rev().take_while(|b| is_json_space(b)).count();
    &bytes[..bytes.len() - skip]
}

/// `{"status": "OK", "content": [...]}` or `{"status": "ERROR", "error": "..."}`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    content: Option<Vec<&'a RawValue>>,
    error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::single_content;

    #[test]
    fn the_one_object_is_found_in_the_envelope_as_the_api_writes_it() {
        let compact = br#"{"status":"OK","content":[{"id":1}]}"#;
        assert_eq!(single_content(compact), Some(&br#"{"id":1}"#[..]));
        let spaced = b"{ \"status\": \"OK\",\n \"content\": [ {\"id\": 1} ] }\n";
        assert_eq!(single_content(spaced), Some(&b"{\"id\": 1}"[..]));
        // Two objects are found as one slice, which does not decode as one object.
        let two = br#"{"status":"OK","content":[{"id":1},{"id":2}]}"#;
        assert_eq!(single_content(two), Some(&br#"{"id":1},{"id":2}"#[..]));
    }

    #[test]
    fn any_other_shape_is_left_to_the_full_parse() {
        for body in [
            &br#"{"status":"ERROR","error":"no"}"#[..],
            br#"{"content":[{"id":1}],"status":"OK"}"#,
            br#"{"status":"OK","content":[{"id":1}],"more":1}"#,
            br#"{"status":"OK"}"#,
            b"",
            b"[]",
            // A form feed is not JSON whitespace.
            b"{\x0c\"status\":\"OK\",\"content\":[{\"id\":1}]}",
        ] {
            assert_eq!(
                single_content(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
