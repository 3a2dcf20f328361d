//! The same calls without `.await`, for scripts and synchronous code.
//!
//! ```no_run
//! use clevertim::{blocking::Session, Contact};
//! # fn main() -> clevertim::Result<()> {
//! let session = Session::builder("API_KEY").endpoint("http://127.0.0.1:8080/api").build()?;
//! let contact: Contact = session.load(1234)?;
//! println!("{:?}", contact.first_name());
//! # Ok(()) }
//! ```
//!
//! With the hyper backend the session owns a small tokio runtime; with isahc it needs none
//! (curl's own thread drives the requests). Creating or dropping a blocking session inside an
//! async runtime is safe. Calling it there never panics (with hyper the call runs on a helper
//! thread), but it blocks the calling thread all the same: prefer the async
//! [`crate::Session`] inside a runtime.

mod driver;

use std::fmt;
use std::sync::Arc;

use clevertim_core::{
    Cache, CustomField, CustomFieldOwner, CustomFieldValue, Customer, IntoKey, Key, KeysOf,
    Resource, Result,
};

use crate::Backend;
use crate::builder::{Flavor, SessionBuilder, private::Sealed};
use crate::session::{example_imports, facade_methods};
use driver::Driver;

/// Builds a blocking [`Session`]: what the [`SessionBuilder`] of `blocking::Session::builder` makes.
///
/// ```
/// use clevertim::{blocking, SessionBuilder};
/// let builder: SessionBuilder<blocking::Blocking> = blocking::Session::builder("API_KEY");
/// # let _ = builder;
/// ```
#[derive(Debug)]
pub enum Blocking {}

impl Sealed for Blocking {}

impl Flavor for Blocking {
    type Session = Session;
    fn finish(core: clevertim_core::Session, backend: Option<Backend>) -> Result<Session> {
        Ok(Session {
            driver: Arc::new(Driver::for_backend(backend)?),
            inner: core,
        })
    }
}

/// A blocking connection to one Clevertim account: cheap to clone, `Send + Sync`.
///
/// The same methods as the async [`crate::Session`], each returning its answer instead of a
/// future.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = clevertim_sandbox::Sandbox::builder().spawn()?;
/// # let (endpoint, api_key) = (sandbox.endpoint(), sandbox.api_key().to_owned());
/// use clevertim::{blocking::Session, Contact};
///
/// let session = Session::builder(api_key).endpoint(endpoint).build()?;
/// let mut jane: Contact = session.load(4)?; // one GET
/// jane.add_to_tags("vip");
/// session.save(&mut jane)?; // PUT of `id` and `tags` only
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: clevertim_core::Session,
    driver: Arc<Driver>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Session")
            .field("session", &self.inner)
            .field("driver", &self.driver)
            .finish()
    }
}

impl Session {
    /// Starts configuring a blocking session for the account of `api_key`.
    ///
    /// ```
    /// let builder = clevertim::blocking::Session::builder("API_KEY")
    ///     .endpoint("http://127.0.0.1:8080/api");
    /// # let _ = builder;
    /// ```
    pub fn builder(api_key: impl Into<clevertim_core::ApiKey>) -> SessionBuilder<Blocking> {
        SessionBuilder::new(api_key.into())
    }

    /// The async session underneath.
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::blocking::Session) {
    /// let core = session.core(); // the `clevertim-core` crate's session, which this one drives
    /// assert_eq!(core.endpoint(), session.endpoint());
    /// # }
    /// ```
    pub fn core(&self) -> &clevertim_core::Session {
        &self.inner
    }
}

/// Writes the blocking facade's methods from the rows of `facade_methods!` (in
/// `session.rs`): an `async` or `future` row runs the core's future to completion, a `handle`
/// row gives the core's lazy handle the driver that will load it, a `plain` row returns the
/// core's answer.
macro_rules! blocking_facade {
    ($(
        $(#[$doc:meta])*
        $kind:ident fn $name:ident $(<$($g:ident),*>)?
            ($($arg:ident : $ty:ty $(=> $owned:ty = $conv:expr)?),*) -> $ret:ty
            $(where ($($bound:tt)*))?;
        example async { $(#[$unused:meta])* } blocking { $(#[$example:meta])* }
    )*) => {
        impl Session {$(
            $(#[$doc])*
            #[doc = "\n# Examples\n"]
            #[doc = "```"]
            #[doc = "# fn main() -> Result<(), Box<dyn std::error::Error>> {"]
            #[doc = "# let sandbox = clevertim_sandbox::Sandbox::builder().spawn()?;"]
            #[doc = "# let session = clevertim::blocking::Session::builder(sandbox.api_key())"]
            #[doc = "#     .endpoint(sandbox.endpoint()).build()?;"]
            #[doc = example_imports!()]
            $(#[$example])*
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            #[doc = concat!(
                "\n# See also\n\nThe async form: [`Session::", stringify!($name),
                "`](crate::Session::", stringify!($name), ")."
            )]
            pub fn $name $(<$($g),*>)? (&self, $($arg: $ty),*) -> $ret
            $(where $($bound)*)?
            {
                $($(let $arg: $owned = $conv;)?)*
                blocking_facade!(@answer $kind self, self.inner.$name($($arg),*))
            }
        )*}
    };
    (@answer async $session:ident, $call:expr) => { $session.driver.run($call) };
    (@answer future $session:ident, $call:expr) => { $session.driver.run($call) };
    (@answer handle $session:ident, $call:expr) => {
        Lazy { inner: $call, driver: $session.driver.clone() }
    };
    (@answer plain $session:ident, $call:expr) => { $call };
}

facade_methods!(blocking_facade);

/// A blocking handle that loads its object on its first access: what
/// [`Session::lazy`] returns.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = clevertim_sandbox::Sandbox::builder().spawn()?;
/// # let (endpoint, api_key) = (sandbox.endpoint(), sandbox.api_key().to_owned());
/// use clevertim::{blocking::Session, Company};
///
/// let session = Session::builder(api_key).endpoint(endpoint).build()?;
/// let busy_bee = session.lazy::<Company>(1); // no request yet
/// assert_eq!(busy_bee.get()?.name(), Some("Busy Bee Ltd.")); // one GET
/// assert!(busy_bee.is_loaded());
/// # Ok(()) }
/// ```
pub struct Lazy<R> {
    inner: clevertim_core::Lazy<R>,
    driver: Arc<Driver>,
}

impl<R: Resource> Lazy<R> {
    /// The key of the object.
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::blocking::Session) {
    /// let lazy = session.lazy::<clevertim::Contact>(3);
    /// assert_eq!(lazy.key(), &clevertim::Key::from(3));
    /// # }
    /// ```
    pub fn key(&self) -> &Key<R> {
        self.inner.key()
    }

    /// Whether the object has been loaded yet.
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::blocking::Session) -> clevertim::Result<()> {
    /// let lazy = session.lazy::<clevertim::Contact>(3);
    /// assert!(!lazy.is_loaded());
    /// lazy.get()?;
    /// assert!(lazy.is_loaded());
    /// # Ok(()) }
    /// ```
    pub fn is_loaded(&self) -> bool {
        self.inner.is_loaded()
    }

    /// The object, loaded now if it was not yet.
    ///
    /// # Errors
    ///
    /// As [`Session::load`]; a failed load is tried again on the next call.
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::blocking::Session) -> clevertim::Result<()> {
    /// let lazy = session.lazy::<clevertim::Contact>(3);
    /// println!("{}", lazy.get()?); // one GET
    /// println!("{}", lazy.get()?); // none
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Result<&R> {
        self.driver.run(self.inner.get())
    }

    /// The object, owned (loaded now if it was not yet).
    ///
    /// # Errors
    ///
    /// As [`Session::load`].
    ///
    /// ```no_run
    /// # fn demo(session: &clevertim::blocking::Session) -> clevertim::Result<()> {
    /// let praveen: clevertim::Contact = session.lazy(3).into_inner()?;
    /// # let _ = praveen; Ok(()) }
    /// ```
    pub fn into_inner(self) -> Result<R> {
        let Lazy { inner, driver } = self;
        driver.run(inner.into_inner())
    }
}

impl<R: Resource> fmt::Debug for Lazy<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
