//! The API key: a secret that never prints.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use http::HeaderValue;

use crate::error::{Error, Result};

/// A Clevertim API key. Its `Debug` and `Display` print `[redacted]`, so it cannot leak into
/// logs or error messages by accident.
///
/// ```
/// use clevertim::ApiKey;
/// let key = ApiKey::new("ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343");
/// assert_eq!(format!("{key:?} {key}"), "ApiKey([redacted]) [redacted]");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Wraps a key.
    ///
    /// ```
    /// use clevertim::{ApiKey, Session};
    /// let key = ApiKey::new(std::env::var("CLEVERTIM_API_KEY").unwrap_or_default());
    /// let builder = Session::builder(key);
    /// # let _ = builder;
    /// ```
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into().into())
    }

    /// The key itself: only for sending it (e.g. to a transport that authenticates itself).
    ///
    /// ```
    /// use clevertim::ApiKey;
    /// let key = ApiKey::new("MY_API_KEY");
    /// assert_eq!(key.expose_secret(), "MY_API_KEY");
    /// ```
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The `Authorization: Basic base64(KEY:X)` header, marked sensitive so that HTTP
    /// libraries leave it out of their own logs.
    pub(crate) fn basic_auth_header(&self) -> Result<HeaderValue> {
        if self.0.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if let Some(bad) = self
            .0
            .chars()
            .find(|c| c.is_control() || *c == ':' || c.is_whitespace())
        {
            return Err(Error::Config(format!(
                "the API key contains a character that cannot be sent ({})",
                bad.escape_default()
            )));
        }
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:X", self.0));
        let mut value = HeaderValue::try_from(format!("Basic {token}"))
            .map_err(|_| Error::Config("the API key cannot be sent in a header".into()))?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// `text` with every occurrence of the key (plain or inside its Basic credential) replaced
    /// by `[redacted]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        if self.0.is_empty() {
            return text.to_owned();
        }
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:X", self.0));
        text.replace(&*self.0, "[redacted]")
            .replace(&token, "[redacted]")
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey::new(key)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_basic_key_colon_x_and_sensitive() {
        let header = ApiKey::new("abc").basic_auth_header().unwrap();
        assert_eq!(header.to_str().unwrap(), "Basic YWJjOlg=");
        assert!(header.is_sensitive());
    }

    #[test]
    fn bad_keys_are_refused_without_being_printed() {
        let err = ApiKey::new("sec ret").basic_auth_header().unwrap_err();
        assert!(!err.to_string().contains("sec"), "{err}");
        assert!(ApiKey::new("").basic_auth_header().is_err());
    }

    #[test]
    fn scrub_hides_the_key_and_its_credential() {
        let key = ApiKey::new("abc");
        assert_eq!(
            key.scrub("key abc, auth YWJjOlg="),
            "key [redacted], auth [redacted]"
        );
    }
}
