//! Where an object came from: the endpoint and the account of the session that loaded or
//! saved it, so that another account's session refuses to write it.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};

use crate::session::ApiKey;

/// The endpoint and the account an object was loaded from or saved to.
///
/// A session sets it on every object it hands out; [`Session::save`](crate::Session::save)
/// and [`Session::delete`](crate::Session::delete) refuse, before sending anything, an object
/// whose origin is another account's ([`Error::OtherAccount`](crate::Error::OtherAccount)).
/// An object built by hand (`Contact::new`, `Contact::with_key`) has none and may be saved
/// through any session; `copy_as_new` makes such an object from a loaded one.
///
/// The account is kept as a fingerprint of the API key (a keyed hash whose key is drawn at
/// random once per process), never as the key itself, and only lives as long as the process:
/// the origin is not serialized (see `docs/objects.md`, "Which account an object belongs to").
///
/// ```
/// use clevertim::{transport_fn, Contact, Session};
/// use clevertim::bytes::Bytes;
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let session = Session::builder("KEY")
///     .transport(transport_fn(|_: http::Request<Bytes>| async move {
///         Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4}]}"#)))
///     }))
///     .build()?;
/// let jane: Contact = session.load(4).await?;
/// let origin = jane.origin().expect("loaded through a session");
/// assert_eq!(origin.endpoint(), "https://www.clevertim.com/api");
/// assert!(!format!("{origin:?}").contains("KEY"));
/// assert!(Contact::new().origin().is_none(), "built by hand: no origin");
/// # Ok::<(), clevertim::Error>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Origin(Arc<Inner>);

#[derive(PartialEq, Eq, Hash)]
struct Inner {
    endpoint: String,
    account: u64,
}

impl Origin {
    /// The origin of the objects of a session of `endpoint` with `api_key`.
    pub(crate) fn new(endpoint: &str, api_key: &ApiKey) -> Self {
        static SEED: OnceLock<RandomState> = OnceLock::new();
        let account = SEED
            .get_or_init(RandomState::new)
            .hash_one((endpoint, api_key.expose_secret()));
        Origin(Arc::new(Inner {
            endpoint: endpoint.to_owned(),
            account,
        }))
    }

    /// The endpoint of the session the object came from, e.g.
    /// `https://www.clevertim.com/api` (see the example of [`Origin`]).
    pub fn endpoint(&self) -> &str {
        &self.0.endpoint
    }

    /// The host and port of the endpoint, for messages (`127.0.0.1:8080`).
    pub(crate) fn host(&self) -> &str {
        let rest = self
            .0
            .endpoint
            .split_once("://")
            .map_or(&*self.0.endpoint, |(_, rest)| rest);
        rest.split('/').next().unwrap_or(rest)
    }

    /// A short, non-secret name of the account, for messages: the fingerprint's first
    /// hexadecimal digits.
    fn account_tag(&self) -> String {
        format!("{:08x}", self.0.account >> 32)
    }

    /// The origin in words, for messages: `account #1a2b3c4d at 127.0.0.1:8080`.
    pub(crate) fn describe(&self) -> String {
        format!("account #{} at {}", self.account_tag(), self.host())
    }
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Origin")
            .field("endpoint", &self.0.endpoint)
            .field("account", &self.account_tag())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_a_fingerprint_of_key_and_endpoint() {
        let a = Origin::new("http://127.0.0.1:1/api", &ApiKey::new("KEY-A"));
        let again = Origin::new("http://127.0.0.1:1/api", &ApiKey::new("KEY-A"));
        let b = Origin::new("http://127.0.0.1:1/api", &ApiKey::new("KEY-B"));
        let elsewhere = Origin::new("http://127.0.0.1:2/api", &ApiKey::new("KEY-A"));
        assert_eq!(a, again);
        assert_ne!(a, b);
        assert_ne!(a, elsewhere);
        assert_eq!(a.host(), "127.0.0.1:1");
        assert!(!format!("{a:?}").contains("KEY-A"));
    }
}
