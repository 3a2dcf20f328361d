//! One request and its answer, decoded and held to what was asked.

use bytes::Bytes;
use http::Method;

use super::Session;
use crate::error::{Error, Result};
use crate::key::{Id, Key};
use crate::model::Resource;
use crate::wire::not_found;

impl Session {
    /// `GET`s one object and decodes it.
    pub(super) async fn fetch_answer<R: Resource>(&self, key: &Key<R>) -> Result<(R, Bytes)> {
        let protocol = &self.inner.protocol;
        let answer = self
            .send(Method::GET, R::PATH, Some(key.id()), None)
            .await?;
        let (object, json): (R, _) = protocol.single(&answer, R::PATH, Some(key.id()))?;
        // The API may answer with another object than the one asked for: that is a miss.
        if object.wire_id() != Some(key.id()) {
            return Err(not_found::<R>(key.id()));
        }
        Ok((object, json))
    }

    /// Sends a `POST` or `PUT` and decodes the object the server answered with.
    pub(super) async fn write_answer<R: Resource>(
        &self,
        method: Method,
        id: Option<&Id>,
        body: Vec<u8>,
    ) -> Result<(R, Bytes)> {
        let protocol = &self.inner.protocol;
        let answer = self
            .send(method, R::PATH, id, Some(Bytes::from(body)))
            .await?;
        let status = answer.status;
        let (saved, json): (R, _) = protocol.single(&answer, R::PATH, id)?;
        if saved.wire_id().is_none() {
            return Err(protocol.malformed(status, "the saved object with its id", &json, None));
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
    }

    /// Sends a `DELETE`.
    pub(super) async fn send_delete<R: Resource>(&self, id: &Id) -> Result<()> {
        let answer = self.send(Method::DELETE, R::PATH, Some(id), None).await?;
        if answer.status.is_success() && answer.body.is_empty() {
            return Ok(());
        }
        match self.inner.protocol.objects(&answer, R::PATH, Some(id)) {
            Ok(_) => Ok(()),
            // A retried DELETE whose first try went through finds nothing the second time.
            Err(Error::NotFound { .. }) if answer.retried => Ok(()),
            Err(e) => Err(e),
        }
    }
}
