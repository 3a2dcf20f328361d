//! The handle a session sends its requests to, and what all its clones share.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError};

use super::builder::{CassetteBuilder, Settings};
use super::replay::within_limit;
use super::report::{self, Report};
use super::{Plan, file};
use crate::format::{Interaction, RecordedRequest};
use crate::{FixtureError, Mode};

/// A record/replay [`Transport`] backed by one cassette file.
///
/// Build it with [`Cassette::builder`], hand a clone to a `Session` (it is cheap to clone: all
/// clones share one recording), and call [`Cassette::finish`] at the end of the test.
///
/// - **Replaying**, a request is matched by content (method, path, query in any order, JSON body
///   by value, plus any custom [`Matcher`](crate::Matcher)) against the recorded interactions; identical requests
///   get their recorded answers in order, each once. An unmatched request fails with a
///   [`TransportError`] that explains the closest candidates and how to re-record. A recorded
///   body larger than the request's [`BodyLimit`](clevertim_core::BodyLimit) fails with
///   [`TransportError::too_large`], as a real transport would.
/// - **Recording**, the request goes to the inner transport (with its extensions, so the
///   inner transport enforces the same limit) and the exchange is kept in memory,
///   scrubbed of secrets. The file is written (atomically) only by [`Cassette::finish`], so a
///   test that panics or returns early never leaves a partial cassette behind. A cassette
///   dropped unfinished with unsaved recordings logs a warning and writes nothing.
///
/// ```
/// use bytes::Bytes;
/// use clevertim_core::{transport_fn, Contact, Session};
/// use clevertim_fixtures::{Cassette, Mode};
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("load_contact.json");
/// let server = transport_fn(|_request: http::Request<Bytes>| async {
///     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4,"fn":"Ann"}]}"#)))
/// });
///
/// // Record through the real transport...
/// let cassette = Cassette::builder(&path)
///     .force_mode(Mode::Rerecord)
///     .inner(server)
///     .secret("MY_API_KEY")
///     .build()?;
/// let session = Session::builder("MY_API_KEY").transport(cassette.clone()).build()?;
/// assert_eq!(session.load::<Contact>(4).await?.first_name(), Some("Ann"));
/// cassette.finish()?;
///
/// // ...and replay it without one.
/// let cassette = Cassette::builder(&path).force_mode(Mode::Replay).build()?;
/// let session = Session::builder("MY_API_KEY").transport(cassette.clone()).build()?;
/// assert_eq!(session.load::<Contact>(4).await?.first_name(), Some("Ann"));
/// cassette.finish()?.assert_all_used()?;
/// assert_eq!(cassette.sent_requests()[0].path, "/api/contact/4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Clone)]
pub struct Cassette {
    open: Arc<OpenCassette>,
}

/// An open cassette, shared by all clones of its handle.
pub(super) struct OpenCassette {
    pub(super) settings: Settings,
    /// The mode in effect, for messages and the report.
    pub(super) mode: Mode,
    pub(super) plan: Plan,
    tape: Mutex<Tape>,
}

/// What an open cassette holds and has seen.
#[derive(Default)]
pub(super) struct Tape {
    /// The cassette's interactions: loaded, then recorded, in order.
    pub(super) episodes: Vec<Episode>,
    /// Every request sent through the cassette, scrubbed, in arrival order.
    pub(super) sent: Vec<RecordedRequest>,
    /// Whether `finish` was called.
    pub(super) finished: bool,
    /// Interactions recorded since the last write.
    pub(super) unsaved: usize,
}

impl Tape {
    /// Whether the file must be written under `plan`: a fresh recording never finished yet,
    /// or anything recorded since the last write.
    fn must_write(&self, plan: Plan) -> bool {
        match plan {
            Plan::ReplayOnly => false,
            Plan::RecordAll => !self.finished || self.unsaved > 0,
            Plan::ReplayElseRecord => self.unsaved > 0,
        }
    }
}

/// One interaction of the cassette and how many times it answered.
pub(super) struct Episode {
    pub(super) interaction: Interaction,
    pub(super) uses: usize,
}

impl From<OpenCassette> for Cassette {
    fn from(open: OpenCassette) -> Self {
        Cassette {
            open: Arc::new(open),
        }
    }
}

impl Cassette {
    /// A builder for the cassette stored at `path` (a `.json` file; its directory is created
    /// when the cassette is written).
    ///
    /// ```
    /// let builder = clevertim_fixtures::Cassette::builder("tests/fixtures/load_contact.json");
    /// # let _ = builder;
    /// ```
    pub fn builder(path: impl Into<PathBuf>) -> CassetteBuilder {
        CassetteBuilder::new(path.into())
    }

    /// The cassette file.
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// println!("cassette: {}", cassette.path().display());
    /// # Ok(()) }
    /// ```
    pub fn path(&self) -> &Path {
        &self.open.settings.path
    }

    /// The mode in effect (after the environment was consulted).
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// if cassette.mode() == clevertim_fixtures::Mode::Rerecord {
    ///     println!("re-recording {}", cassette.path().display());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn mode(&self) -> Mode {
        self.open.mode
    }

    /// Whether requests may reach the inner transport (any mode but a replay).
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// // Only a recording needs a reachable server and a real key.
    /// if cassette.is_recording() {
    ///     assert!(std::env::var("CLEVERTIM_API_KEY").is_ok(), "set CLEVERTIM_API_KEY to record");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_recording(&self) -> bool {
        self.open.plan.records()
    }

    /// Every request the client sent through this cassette, in arrival order: method, path,
    /// query, all headers (`authorization` shown as [`AUTH_PLACEHOLDER`](crate::AUTH_PLACEHOLDER))
    /// and body, with configured secrets replaced. `Serialize`, for snapshots.
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// let sent = cassette.sent_requests();
    /// assert!(sent.iter().all(|r| r.method != "DELETE"), "the code under test deleted something");
    /// # Ok(()) }
    /// ```
    pub fn sent_requests(&self) -> Vec<RecordedRequest> {
        self.open.lock().sent.clone()
    }

    /// The interactions the cassette holds now (loaded and recorded), as they would be written.
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// println!("{} interaction(s) so far", cassette.interactions().len());
    /// # Ok(()) }
    /// ```
    pub fn interactions(&self) -> Vec<Interaction> {
        self.open
            .lock()
            .episodes
            .iter()
            .map(|e| e.interaction.clone())
            .collect()
    }

    /// Ends the test's use of the cassette: writes the file when recording (always in
    /// `rerecord` and a first `once`; in `new` only if something was added), atomically, and
    /// reports what was never used.
    ///
    /// Call it at the end of the test, after every assertion: a test that fails before it
    /// writes nothing. Calling it again writes again if more was recorded in between.
    ///
    /// # Errors
    ///
    /// [`FixtureError::Write`] when the file cannot be written, and
    /// [`FixtureError::SecretLeak`] (writing nothing) when a secret survived the scrubbing.
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// // The last line of a test, after every assertion:
    /// cassette.finish()?.assert_all_used()?;
    /// # Ok(()) }
    /// ```
    pub fn finish(&self) -> Result<Report, FixtureError> {
        let open = &self.open;
        let mut tape = open.lock();
        let write = tape.must_write(open.plan);
        if write {
            file::write(&open.settings, &tape.episodes)?;
            tape.unsaved = 0;
        }
        tape.finished = true;
        let report = Report {
            path: open.settings.path.clone(),
            mode: open.mode,
            written: write,
            interactions: tape.episodes.len(),
            unused: report::unused(&tape.episodes),
        };
        tracing::debug!(
            cassette = %open.settings.path.display(),
            written = report.written,
            unused = report.unused().len(),
            "cassette finished"
        );
        Ok(report)
    }

    /// Checks that every recorded interaction was replayed so far. Writes nothing.
    ///
    /// # Errors
    ///
    /// [`FixtureError::Unused`], listing them, if a recorded interaction was never replayed.
    ///
    /// ```
    /// # fn demo(cassette: &clevertim_fixtures::Cassette) -> Result<(), clevertim_fixtures::FixtureError> {
    /// // Everything recorded was replayed by now (nothing is written).
    /// cassette.assert_all_used()?;
    /// # Ok(()) }
    /// ```
    pub fn assert_all_used(&self) -> Result<(), FixtureError> {
        let tape = self.open.lock();
        report::check_all_used(&self.open.settings.path, &report::unused(&tape.episodes))
    }
}

impl fmt::Debug for Cassette {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cassette")
            .field("path", &self.open.settings.path)
            .field("mode", &self.open.mode)
            .field("recording", &self.is_recording())
            .finish_non_exhaustive()
    }
}

impl OpenCassette {
    pub(super) fn new(settings: Settings, mode: Mode, plan: Plan, episodes: Vec<Episode>) -> Self {
        OpenCassette {
            settings,
            mode,
            plan,
            tape: Mutex::new(Tape {
                episodes,
                ..Tape::default()
            }),
        }
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Tape> {
        self.tape.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers one request as the plan says.
    async fn handle(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        // A replay honours the limit as a real transport would (`record` hands the request,
        // extensions and all, to the inner transport, which enforces it there).
        let limit = BodyLimit::of(&request);
        let mut sent = RecordedRequest::from_http(&request);
        self.settings.secrets.scrub_request(&mut sent);
        self.lock().sent.push(sent.clone());
        match self.plan {
            Plan::RecordAll => self.record(request, sent).await,
            Plan::ReplayOnly => match self.find(&sent) {
                Ok(response) => within_limit(response, limit),
                Err(candidates) => Err(self.unmatched(&sent, candidates)),
            },
            Plan::ReplayElseRecord => match self.find(&sent) {
                Ok(response) => within_limit(response, limit),
                Err(_) => self.record(request, sent).await,
            },
        }
    }
}

impl Drop for OpenCassette {
    fn drop(&mut self) {
        let plan = self.plan;
        let tape = self.tape.get_mut().unwrap_or_else(PoisonError::into_inner);
        if tape.must_write(plan) {
            let why = if std::thread::panicking() {
                "the test panicked"
            } else {
                "Cassette::finish was not called"
            };
            tracing::warn!(
                cassette = %self.settings.path.display(),
                "cassette not written: {why}; {} recorded interaction(s) discarded",
                tape.unsaved
            );
            if !std::thread::panicking() {
                // Visible in test output even without a tracing subscriber.
                eprintln!(
                    "clevertim-fixtures: cassette {} not written: {why}; {} recorded \
                     interaction(s) discarded",
                    self.settings.path.display(),
                    tape.unsaved
                );
            }
        }
    }
}

impl Transport for Cassette {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.open.handle(request))
    }
}
