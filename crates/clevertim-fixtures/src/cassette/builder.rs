//! Configuring and opening a cassette.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use clevertim_core::Transport;

use super::Plan;
use super::file;
use super::handle::{Cassette, Episode, OpenCassette};
use crate::format::Interaction;
use crate::matcher::{DefaultMatcher, Matcher};
use crate::secrets::{SECRET_PLACEHOLDER, Secrets};
use crate::{FixtureError, Mode};

/// A hook that may change each recorded interaction before it is kept.
pub(super) type BeforeSave = Box<dyn Fn(&mut Interaction) + Send + Sync>;

/// What the builder collects and the open cassette keeps: everything but the mode.
pub(super) struct Settings {
    /// The cassette file.
    pub(super) path: PathBuf,
    /// The transport that records; `None` when only replaying.
    pub(super) inner: Option<Arc<dyn Transport>>,
    pub(super) secrets: Secrets,
    pub(super) matchers: Vec<Box<dyn Matcher>>,
    /// Whether a used interaction may answer again once every match is used.
    pub(super) allow_repeats: bool,
    pub(super) before_save: Option<BeforeSave>,
    /// The request headers kept in recordings (lower-case).
    pub(super) request_headers: Vec<String>,
    /// The response headers kept in recordings (lower-case).
    pub(super) response_headers: Vec<String>,
    /// What the file's header says recorded it.
    pub(super) recorded_with: String,
}

/// Builds a [`Cassette`]; see [`Cassette::builder`].
///
/// The mode asked for in code ([`mode`](Self::mode)) yields to the environment (see
/// [`Mode`]); [`force_mode`](Self::force_mode) does not.
///
/// ```
/// use clevertim_fixtures::{Cassette, Mode};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("never_recorded.json");
/// let cassette = Cassette::builder(&path)
///     .force_mode(Mode::Replay)
///     .secret("MY_API_KEY")
///     .record_response_header("x-request-id")
///     .build();
/// // A replay needs the file.
/// assert!(matches!(cassette, Err(clevertim_fixtures::FixtureError::Missing { .. })));
/// # Ok(()) }
/// ```
#[must_use]
pub struct CassetteBuilder {
    settings: Settings,
    /// The mode asked for in code; the environment may override it.
    mode: Option<Mode>,
    /// The mode whatever the environment says.
    forced: Option<Mode>,
}

impl fmt::Debug for CassetteBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CassetteBuilder")
            .field("path", &self.settings.path)
            .field("mode", &self.mode)
            .field("forced", &self.forced)
            .field("has_inner", &self.settings.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl CassetteBuilder {
    pub(super) fn new(path: PathBuf) -> Self {
        CassetteBuilder {
            settings: Settings {
                path,
                inner: None,
                secrets: Secrets::default(),
                matchers: DefaultMatcher::ALL
                    .into_iter()
                    .map(|m| Box::new(m) as Box<dyn Matcher>)
                    .collect(),
                allow_repeats: false,
                before_save: None,
                request_headers: vec!["accept".into(), "content-type".into()],
                response_headers: vec!["content-type".into()],
                recorded_with: concat!("clevertim-fixtures ", env!("CARGO_PKG_VERSION")).into(),
            },
            mode: None,
            forced: None,
        }
    }

    /// The mode asked for in code. The environment may override it: `CLEVERTIM_FIXTURES`
    /// always, `CI` forces a replay (see [`Mode`]).
    ///
    /// ```
    /// use clevertim_fixtures::{Cassette, Mode};
    /// let builder = Cassette::builder("tests/fixtures/x.json").mode(Mode::NewEpisodes);
    /// # let _ = builder;
    /// ```
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// This mode, whatever the environment says (for tests of the fixtures themselves, or tools
    /// that re-record on purpose).
    ///
    /// ```
    /// use clevertim_fixtures::{Cassette, Mode};
    /// // Replays even when CLEVERTIM_FIXTURES asks to record.
    /// let builder = Cassette::builder("tests/fixtures/x.json").force_mode(Mode::Replay);
    /// # let _ = builder;
    /// ```
    pub fn force_mode(mut self, mode: Mode) -> Self {
        self.forced = Some(mode);
        self
    }

    /// The transport that records: requests with no recorded answer are sent through it.
    /// Never called in a replay.
    ///
    /// ```
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json")
    ///     .inner(clevertim_hyper::HyperTransport::new()?); // the real HTTP client
    /// # let _ = builder; Ok(()) }
    /// ```
    pub fn inner(self, transport: impl Transport + 'static) -> Self {
        self.inner_arc(Arc::new(transport))
    }

    /// Like [`inner`](Self::inner), for a shared transport.
    ///
    /// ```
    /// # fn demo(shared: std::sync::Arc<dyn clevertim_core::Transport>) {
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json").inner_arc(shared.clone());
    /// # let _ = builder; }
    /// ```
    pub fn inner_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.settings.inner = Some(transport);
        self
    }

    /// A value that must never reach disk (e.g. the API key): replaced by
    /// [`SECRET_PLACEHOLDER`] wherever it appears (path, query, headers and bodies of requests
    /// and responses), as are its Basic-credential forms. Empty values are ignored.
    ///
    /// ```
    /// let key = std::env::var("CLEVERTIM_API_KEY").unwrap_or_default();
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json").secret(&key);
    /// # let _ = builder;
    /// ```
    pub fn secret(self, secret: impl AsRef<str>) -> Self {
        self.secret_as(secret, SECRET_PLACEHOLDER)
    }

    /// Like [`secret`](Self::secret), with a placeholder of your choice.
    ///
    /// ```
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json")
    ///     .secret_as("hunter2", "[PASSWORD]");
    /// # let _ = builder;
    /// ```
    pub fn secret_as(mut self, secret: impl AsRef<str>, placeholder: impl AsRef<str>) -> Self {
        self.settings
            .secrets
            .add(secret.as_ref(), placeholder.as_ref());
        self
    }

    /// Adds a matcher to the defaults (method, path, query, body).
    ///
    /// ```
    /// use clevertim_fixtures::{Cassette, Mismatch, RecordedRequest};
    /// // Requests must agree on `accept` too.
    /// let builder = Cassette::builder("tests/fixtures/x.json").matcher(
    ///     |sent: &RecordedRequest, recorded: &RecordedRequest| match sent.headers.get("accept") {
    ///         a if a == recorded.headers.get("accept") => Ok(()),
    ///         a => Err(Mismatch::new("accept", format!("sent {a:?}"))),
    ///     },
    /// );
    /// # let _ = builder;
    /// ```
    pub fn matcher(mut self, matcher: impl Matcher + 'static) -> Self {
        self.settings.matchers.push(Box::new(matcher));
        self
    }

    /// Drops the default matchers; only those added with [`matcher`](Self::matcher) after
    /// this call apply (none at all: any request matches the next unused interaction).
    ///
    /// ```
    /// // Requests are answered in the recorded order, whatever they are.
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json").without_default_matchers();
    /// # let _ = builder;
    /// ```
    pub fn without_default_matchers(mut self) -> Self {
        self.settings.matchers.clear();
        self
    }

    /// Lets a recorded interaction answer again once every match is used (the last match is
    /// replayed). Off by default: each recorded answer is replayed once.
    ///
    /// ```
    /// // A polling loop may ask the same thing more often than when it was recorded.
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json").allow_playback_repeats(true);
    /// # let _ = builder;
    /// ```
    pub fn allow_playback_repeats(mut self, allow: bool) -> Self {
        self.settings.allow_repeats = allow;
        self
    }

    /// A hook that sees each recorded interaction (request and response together, already
    /// scrubbed of secrets) and may change it before it is kept and written, e.g. to blank
    /// a value that changes on every recording. Secrets are scrubbed again after it runs.
    ///
    /// Replays match against what the hook left, so a hook that changes the request may need
    /// a custom matcher.
    pub fn before_save(mut self, hook: impl Fn(&mut Interaction) + Send + Sync + 'static) -> Self {
        self.settings.before_save = Some(Box::new(hook));
        self
    }

    /// Keeps this request header (case-insensitive) in recorded interactions, besides
    /// `accept` and `content-type`. `authorization` is never kept.
    ///
    /// ```
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json")
    ///     .record_request_header("If-None-Match");
    /// # let _ = builder;
    /// ```
    pub fn record_request_header(mut self, name: impl AsRef<str>) -> Self {
        self.settings
            .request_headers
            .push(name.as_ref().to_ascii_lowercase());
        self
    }

    /// Keeps this response header (case-insensitive), besides `content-type`.
    ///
    /// ```
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json")
    ///     .record_response_header("ETag");
    /// # let _ = builder;
    /// ```
    pub fn record_response_header(mut self, name: impl AsRef<str>) -> Self {
        self.settings
            .response_headers
            .push(name.as_ref().to_ascii_lowercase());
        self
    }

    /// The `recorded_with` written in the header (default `clevertim-fixtures <version>`).
    ///
    /// ```
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/x.json")
    ///     .recorded_with("my-crate 1.2.0 against clevertim.com");
    /// # let _ = builder;
    /// ```
    pub fn recorded_with(mut self, recorded_with: impl Into<String>) -> Self {
        self.settings.recorded_with = recorded_with.into();
        self
    }

    /// Resolves the mode, loads the cassette if the mode replays, and checks that a recording
    /// mode has an inner transport.
    ///
    /// # Errors
    ///
    /// [`FixtureError::InvalidMode`] on a bad `CLEVERTIM_FIXTURES`,
    /// [`FixtureError::Missing`] when the mode is `replay` and there is no file,
    /// [`FixtureError::Read`], [`FixtureError::Corrupt`] or
    /// [`FixtureError::UnsupportedVersion`] for a file that cannot be used, and
    /// [`FixtureError::NoInner`] when the mode records and no inner transport was given.
    ///
    /// ```
    /// use clevertim_fixtures::{Cassette, Mode};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("x.json");
    /// let inner = clevertim_core::transport_fn(|_r: http::Request<bytes::Bytes>| async {
    ///     Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
    /// });
    /// let cassette = Cassette::builder(&path).force_mode(Mode::Once).inner(inner).build()?;
    /// assert!(cassette.is_recording()); // no file yet: `once` records
    /// # Ok(()) }
    /// ```
    pub fn build(self) -> Result<Cassette, FixtureError> {
        let mode = match self.forced {
            Some(mode) => mode,
            None => Mode::from_env_or(self.mode)?,
        };
        let settings = self.settings;
        let loaded = match mode {
            Mode::Rerecord => None,
            Mode::Replay | Mode::Once | Mode::NewEpisodes => file::load(&settings.path)?,
        };
        let plan = match (mode, &loaded) {
            (Mode::Replay, None) => {
                return Err(FixtureError::Missing {
                    path: settings.path,
                });
            }
            (Mode::Replay, Some(_)) | (Mode::Once, Some(_)) => Plan::ReplayOnly,
            (Mode::Once, None) | (Mode::Rerecord, _) => Plan::RecordAll,
            (Mode::NewEpisodes, _) => Plan::ReplayElseRecord,
        };
        if plan.records() && settings.inner.is_none() {
            return Err(FixtureError::NoInner {
                path: settings.path,
                mode,
            });
        }
        let episodes = loaded
            .map(|file| file.interactions)
            .unwrap_or_default()
            .into_iter()
            .map(|interaction| Episode {
                interaction,
                uses: 0,
            })
            .collect();
        tracing::debug!(cassette = %settings.path.display(), %mode, ?plan, "cassette opened");
        Ok(Cassette::from(OpenCassette::new(
            settings, mode, plan, episodes,
        )))
    }
}
