//! One request and its answer, decoded and held to what was asked.

use bytes::Bytes;
use http::Method;

use super::Session;
use crate::error::{Error, Result};
use crate::key::{Id, Key};
use crate::model::Resource;
use crate::wire::{Answer, not_found};

impl Session {
    /// Sends a request (retried as the policy allows) and reads its answer with `read`.
    ///
    /// The one place where an error the server answered learns where: whatever `read` makes
    /// of the answer (a status, an envelope, a body that does not decode, another object
    /// than the one asked for), its error names the request, the host and the attempts
    /// ([`Error::site`]), as a transport failure does.
    pub(super) async fn exchange<T>(
        &self,
        method: Method,
        path: &'static str,
        id: Option<&Id>,
        body: Option<Bytes>,
        read: impl FnOnce(&Answer) -> Result<T>,
    ) -> Result<T> {
        let answer = self.send(method, path, id, body).await?;
        read(&answer).map_err(|e| answer.blame(e))
    }

    /// `GET`s one object and decodes it.
    pub(super) async fn fetch_answer<R: Resource>(&self, key: &Key<R>) -> Result<(R, Bytes)> {
        let protocol = &self.inner.protocol;
        self.exchange(Method::GET, R::PATH, Some(key.id()), None, |answer| {
            let (object, json): (R, _) = protocol.single(answer, R::PATH, Some(key.id()))?;
            // The API may answer with another object than the one asked for: that is a miss.
            if object.wire_id() != Some(key.id()) {
                return Err(not_found::<R>(key.id()));
            }
            Ok((object, json))
        })
        .await
    }

    /// Sends a `POST` or `PUT` and decodes the object the server answered with.
    pub(super) async fn write_answer<R: Resource>(
        &self,
        method: Method,
        id: Option<&Id>,
        body: Vec<u8>,
    ) -> Result<(R, Bytes)> {
        let protocol = &self.inner.protocol;
        let body = Some(Bytes::from(body));
        self.exchange(method, R::PATH, id, body, |answer| {
            let status = answer.status;
            let (saved, json): (R, _) = protocol.single(answer, R::PATH, id)?;
            if saved.wire_id().is_none() {
                return Err(protocol.malformed(
                    status,
                    "the saved object with its id",
                    &json,
                    None,
                ));
            }
            // An update answered with another object must not turn the caller's object into it.
            if let Some(asked) = id.filter(|asked| saved.wire_id() != Some(asked)) {
                return Err(protocol.malformed(
                    status,
                    &format!("the saved {} {asked}", R::PATH),
                    &json,
                    Some(format!(
                        "the answer holds {} {:?}",
                        R::PATH,
                        saved.wire_id()
                    )),
                ));
            }
            Ok((saved, json))
        })
        .await
    }

    /// Sends a `DELETE`.
    pub(super) async fn send_delete<R: Resource>(&self, id: &Id) -> Result<()> {
        self.exchange(Method::DELETE, R::PATH, Some(id), None, |answer| {
            if answer.status.is_success() && answer.body.is_empty() {
                return Ok(());
            }
            match self.inner.protocol.objects(answer, R::PATH, Some(id)) {
                Ok(_) => Ok(()),
                // A retried DELETE whose first try went through finds nothing the second time.
                Err(Error::NotFound { .. }) if answer.retried => Ok(()),
                Err(e) => Err(e),
            }
        })
        .await
    }
}
