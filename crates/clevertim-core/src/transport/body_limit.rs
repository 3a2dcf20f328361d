//! [`BodyLimit`]: the most bytes of an answer's body a transport may read.

use super::TransportError;

/// The most bytes of response body a transport may read for one request.
///
/// The [`Session`](crate::Session) puts it in the extensions of every request it sends
/// (configure it with [`SessionBuilder::body_limit`](crate::SessionBuilder::body_limit)); a
/// transport reads it with [`BodyLimit::of`] and stops reading as soon as the body grows past
/// it, failing with [`TransportError::too_large`]: memory stays bounded near the limit whatever
/// a server sends. (The session checks the length again afterwards, for transports that do not.)
///
/// ```
/// use clevertim::bytes::Bytes;
/// use clevertim::BodyLimit;
///
/// let mut request = http::Request::new(Bytes::new());
/// assert_eq!(BodyLimit::of(&request), BodyLimit::DEFAULT);
/// request.extensions_mut().insert(BodyLimit::new(4096));
/// assert_eq!(BodyLimit::of(&request).bytes(), 4096);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BodyLimit(u64);

impl BodyLimit {
    /// 256 MiB: generous enough for the whole list of the largest real account.
    pub const DEFAULT: BodyLimit = BodyLimit(256 * 1024 * 1024);

    /// A limit of `bytes` bytes.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert!(BodyLimit::new(1024) < BodyLimit::DEFAULT);
    /// ```
    pub const fn new(bytes: u64) -> Self {
        BodyLimit(bytes)
    }

    /// The limit in bytes.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert_eq!(BodyLimit::DEFAULT.bytes(), 256 * 1024 * 1024);
    /// ```
    pub const fn bytes(self) -> u64 {
        self.0
    }

    /// The limit `request` carries, or [`BodyLimit::DEFAULT`] when it carries none.
    ///
    /// ```
    /// use clevertim::bytes::Bytes;
    /// use clevertim::BodyLimit;
    /// let mut request = http::Request::new(Bytes::new());
    /// request.extensions_mut().insert(BodyLimit::new(64));
    /// assert_eq!(BodyLimit::of(&request), BodyLimit::new(64));
    /// ```
    pub fn of<B>(request: &http::Request<B>) -> BodyLimit {
        request
            .extensions()
            .get::<BodyLimit>()
            .copied()
            .unwrap_or_default()
    }

    /// Fails early when the answer declares (`Content-Length`) a body larger than the limit,
    /// before a byte of it is read; otherwise gives the declared length, if any, for sizing
    /// the buffer the body is read into.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::TooLarge`](super::TransportErrorKind::TooLarge) when the declared length exceeds the limit.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// let mut headers = http::HeaderMap::new();
    /// assert_eq!(BodyLimit::new(4096).check_declared(&headers).ok(), Some(None));
    /// headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from_static("5000"));
    /// assert!(BodyLimit::new(4096).check_declared(&headers).is_err());
    /// assert_eq!(BodyLimit::new(5000).check_declared(&headers).ok(), Some(Some(5000)));
    /// ```
    pub fn check_declared(self, headers: &http::HeaderMap) -> Result<Option<u64>, TransportError> {
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        match declared {
            Some(length) if length > self.0 => Err(TransportError::too_large(self)),
            declared => Ok(declared),
        }
    }

    /// Fails when `length` bytes read so far exceed the limit.
    ///
    /// # Errors
    ///
    /// [`TransportErrorKind::TooLarge`](super::TransportErrorKind::TooLarge) when `length` exceeds the limit.
    ///
    /// ```
    /// use clevertim::BodyLimit;
    /// assert!(BodyLimit::new(3).check_length(3).is_ok());
    /// assert!(BodyLimit::new(3).check_length(4).is_err());
    /// ```
    pub fn check_length(self, length: u64) -> Result<(), TransportError> {
        if length > self.0 {
            Err(TransportError::too_large(self))
        } else {
            Ok(())
        }
    }
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit::DEFAULT
    }
}
