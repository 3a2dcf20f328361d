//! The session's writing methods: [`save`](Session::save), [`delete`](Session::delete) and
//! [`delete_key`](Session::delete_key), each checked before anything is sent.

use super::Session;
use super::caching::related_before_and_after;
use super::checks::{self, saved_id};
use crate::error::Result;
use crate::key::IntoKey;
use crate::model::Resource;
use crate::model::codec::WriteMode;
use crate::wire::write_body;

impl Session {
    /// Saves an object: a new one is created (`POST`) and gets its key; a loaded one sends
    /// only its `id` and the fields changed since it was loaded (`PUT`). Values are checked
    /// first, and nothing is sent when one is invalid. Afterwards `object` holds what the
    /// server stored.
    ///
    /// An object with custom field values costs one `GET /customfield` too, the first time
    /// (the values are checked against the definitions).
    ///
    /// # Errors
    ///
    /// [`Error::OtherAccount`](crate::Error::OtherAccount) when the object was loaded from or saved to another account or
    /// endpoint than this session's (nothing is sent; save its `copy_as_new()` to create it
    /// here); [`Error::Validation`](crate::Error::Validation) when a value is invalid (nothing is sent);
    /// [`Error::Unsupported`](crate::Error::Unsupported) for the resources the API only reads (users, groups) or does
    /// not let update (comments); [`Error::Permission`](crate::Error::Permission) when the user may not write it;
    /// otherwise as [`Session::load`]. A `POST` that failed after it was sent is not retried
    /// (it might be applied twice): see [`Error::is_retryable`](crate::Error::is_retryable).
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let mut mike = Contact::new();
    /// mike.set_first_name("Mike");
    /// session.save(&mut mike).await?;                 // POST /contact
    /// assert!(mike.key().is_some());
    /// mike.add_to_emails("mike@example.com");
    /// session.save(&mut mike).await?;                 // PUT {"id":7,"email":[…]}
    /// assert_eq!(mike.emails(), ["mike@example.com"]);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn save<R: Resource>(&self, object: &mut R) -> Result<()> {
        checks::same_origin("save", &*object, self.inner.protocol.origin())?;
        let mode = self.check_before_save(&*object).await?;
        if mode == WriteMode::Update && !object.has_changes() {
            tracing::debug!(resource = R::PATH, key = ?object.wire_id(), "nothing changed: no request");
            return Ok(());
        }
        let body = write_body(&*object, mode)?;
        self.write_through_cache(object, mode, body).await
    }

    /// Deletes an object; its key becomes `None`.
    ///
    /// # Errors
    ///
    /// [`Error::OtherAccount`](crate::Error::OtherAccount) when the object came from another account or endpoint than
    /// this session's (nothing is sent); [`Error::Validation`](crate::Error::Validation) when the object has no key (it
    /// was never saved); otherwise as [`Session::delete_key`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// let mut jane: Contact = session.load(4).await?;
    /// session.delete(&mut jane).await?;               // DELETE /contact/4
    /// assert_eq!(jane.key(), None);
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete<R: Resource>(&self, object: &mut R) -> Result<()> {
        checks::same_origin("delete", &*object, self.inner.protocol.origin())?;
        let id = saved_id(object)?;
        self.delete_and_forget::<R>(&id, related_before_and_after(object))
            .await?;
        object.set_wire_id(None);
        Ok(())
    }

    /// Deletes the object with `key`, without loading it first.
    ///
    /// The server also clears every reference to the deleted object (and deletes a note's or
    /// a task's comments), so the cached objects of the resources that may refer to it are
    /// forgotten, as after [`Session::delete`].
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`](crate::Error::Unsupported) for the resources the API only reads (users, groups);
    /// [`Error::NotFound`](crate::Error::NotFound) when there is no such object; otherwise as [`Session::load`].
    ///
    /// ```
    /// # use clevertim::{transport_fn, Contact, Session};
    /// # use clevertim::bytes::Bytes;
    /// # futures_util::future::FutureExt::now_or_never(async {
    /// # let session = Session::builder("KEY").transport(transport_fn(|r: http::Request<Bytes>| async move {
    /// #     let body = match (r.method().as_str(), r.uri().path()) {
    /// #         ("GET", "/api/contact") => r#"[{"id":4,"fn":"Jane"},{"id":5,"fn":"Sam"}]"#.to_owned(),
    /// #         ("GET", p) => format!(r#"[{{"id":{},"fn":"Jane"}}]"#, p.rsplit('/').next().unwrap_or("0")),
    /// #         ("POST", _) => r#"[{"id":7,"fn":"Mike"}]"#.to_owned(),
    /// #         ("PUT", _) => format!("[{}]", String::from_utf8_lossy(r.body())),
    /// #         _ => "[]".to_owned(),
    /// #     };
    /// #     Ok(http::Response::new(Bytes::from(format!(r#"{{"status":"OK","content":{body}}}"#))))
    /// # })).build()?;
    /// session.delete_key::<Contact>(4).await?;        // DELETE /contact/4, no GET first
    /// # Ok::<(), clevertim::Error>(())
    /// # }).unwrap().unwrap();
    /// ```
    pub async fn delete_key<R: Resource>(&self, key: impl IntoKey<R>) -> Result<()> {
        self.delete_and_forget::<R>(key.into_key().id(), Vec::new())
            .await
    }
}
