//! The cassette: a `Transport` that records into and replays from one file.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use clevertim_core::{BodyLimit, BoxFuture, Transport, TransportError, TransportErrorKind};

use crate::format::{
    keep_headers, CassetteFile, Interaction, RecordedRequest, RecordedResponse, FORMAT_VERSION,
};
use crate::matcher::{DefaultMatcher, Matcher};
use crate::secrets::{scan_for_secrets, Secrets, SECRET_PLACEHOLDER};
use crate::{FixtureError, Mode, MODE_ENV};

type BeforeSave = Box<dyn Fn(&mut Interaction) + Send + Sync>;

/// A record/replay [`Transport`] backed by one cassette file.
///
/// Build it with [`Cassette::builder`], hand a clone to a `Session` (it is cheap to clone: all
/// clones share one recording), and call [`Cassette::finish`] at the end of the test.
///
/// - **Replaying**, a request is matched by content (method, path, query in any order, JSON body
///   by value, plus any custom [`Matcher`]) against the recorded interactions; identical requests
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
    shared: Arc<Shared>,
}

/// What the cassette does with a request, from the mode and whether the file existed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    Replay,
    Record,
    NewEpisodes,
}

struct Shared {
    path: PathBuf,
    mode: Mode,
    behaviour: Behaviour,
    inner: Option<Arc<dyn Transport>>,
    secrets: Secrets,
    matchers: Vec<Box<dyn Matcher>>,
    allow_repeats: bool,
    before_save: Option<BeforeSave>,
    request_headers: Vec<String>,
    response_headers: Vec<String>,
    recorded_with: String,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    slots: Vec<Slot>,
    sent: Vec<RecordedRequest>,
    finished: bool,
    /// Interactions recorded since the last write.
    unsaved: usize,
}

struct Slot {
    interaction: Interaction,
    uses: usize,
}

/// Builds a [`Cassette`]; see [`Cassette::builder`].
#[must_use]
pub struct CassetteBuilder {
    path: PathBuf,
    mode: Option<Mode>,
    forced: Option<Mode>,
    inner: Option<Arc<dyn Transport>>,
    secrets: Secrets,
    matchers: Vec<Box<dyn Matcher>>,
    allow_repeats: bool,
    before_save: Option<BeforeSave>,
    request_headers: Vec<String>,
    response_headers: Vec<String>,
    recorded_with: String,
}

impl fmt::Debug for CassetteBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CassetteBuilder")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field("forced", &self.forced)
            .field("has_inner", &self.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl Cassette {
    /// A builder for the cassette stored at `path` (a `.json` file; its directory is created
    /// when the cassette is written).
    pub fn builder(path: impl Into<PathBuf>) -> CassetteBuilder {
        CassetteBuilder {
            path: path.into(),
            mode: None,
            forced: None,
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
        }
    }

    /// The cassette file.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The mode in effect (after the environment was consulted).
    pub fn mode(&self) -> Mode {
        self.shared.mode
    }

    /// Whether requests may reach the inner transport (any mode but a replay).
    pub fn is_recording(&self) -> bool {
        self.shared.behaviour != Behaviour::Replay
    }

    /// Every request the client sent through this cassette, in arrival order: method, path,
    /// query, all headers (`authorization` shown as [`AUTH_PLACEHOLDER`](crate::AUTH_PLACEHOLDER))
    /// and body, with configured secrets replaced. `Serialize`, for snapshots.
    pub fn sent_requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().sent.clone()
    }

    /// The interactions the cassette holds now (loaded and recorded), as they would be written.
    pub fn interactions(&self) -> Vec<Interaction> {
        self.shared
            .lock()
            .slots
            .iter()
            .map(|s| s.interaction.clone())
            .collect()
    }

    /// Ends the test's use of the cassette: writes the file when recording (always in
    /// `rerecord` and a first `once`; in `new` only if something was added), atomically, and
    /// reports what was never used.
    ///
    /// Call it at the end of the test, after every assertion: a test that fails before it
    /// writes nothing. Calling it again writes again if more was recorded in between.
    pub fn finish(&self) -> Result<Report, FixtureError> {
        let shared = &self.shared;
        let mut state = shared.lock();
        let write = match shared.behaviour {
            Behaviour::Replay => false,
            Behaviour::Record => !state.finished || state.unsaved > 0,
            Behaviour::NewEpisodes => state.unsaved > 0,
        };
        if write {
            shared.write(&state)?;
            state.unsaved = 0;
        }
        state.finished = true;
        let report = Report {
            path: shared.path.clone(),
            mode: shared.mode,
            written: write,
            interactions: state.slots.len(),
            unused: unused(&state),
        };
        tracing::debug!(
            cassette = %shared.path.display(),
            written = report.written,
            unused = report.unused.len(),
            "cassette finished"
        );
        Ok(report)
    }

    /// Fails with [`FixtureError::Unused`] if a recorded interaction was never replayed so far.
    /// Writes nothing.
    pub fn assert_all_used(&self) -> Result<(), FixtureError> {
        let state = self.shared.lock();
        check_all_used(&self.shared.path, &unused(&state))
    }
}

fn unused(state: &State) -> Vec<UnusedInteraction> {
    state
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.uses == 0)
        .map(|(index, s)| UnusedInteraction {
            index,
            request: s.interaction.request.clone(),
        })
        .collect()
}

fn check_all_used(path: &Path, unused: &[UnusedInteraction]) -> Result<(), FixtureError> {
    if unused.is_empty() {
        return Ok(());
    }
    Err(FixtureError::Unused {
        path: path.to_owned(),
        count: unused.len(),
        list: unused
            .iter()
            .map(|u| format!("  #{} {}", u.index, u.request))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

impl fmt::Debug for Cassette {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cassette")
            .field("path", &self.shared.path)
            .field("mode", &self.shared.mode)
            .field("recording", &self.is_recording())
            .finish_non_exhaustive()
    }
}

/// What [`Cassette::finish`] did and found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    path: PathBuf,
    mode: Mode,
    written: bool,
    interactions: usize,
    unused: Vec<UnusedInteraction>,
}

/// A recorded interaction that no request used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnusedInteraction {
    /// Its position in the cassette (from 0).
    pub index: usize,
    /// Its request.
    pub request: RecordedRequest,
}

impl Report {
    /// The cassette file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mode in effect.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether the file was (re)written by this finish.
    pub fn written(&self) -> bool {
        self.written
    }

    /// How many interactions the cassette holds.
    pub fn interactions(&self) -> usize {
        self.interactions
    }

    /// The recorded interactions that were never used.
    pub fn unused(&self) -> &[UnusedInteraction] {
        &self.unused
    }

    /// Fails with [`FixtureError::Unused`] (listing them) if any interaction was never used.
    pub fn assert_all_used(&self) -> Result<(), FixtureError> {
        check_all_used(&self.path, &self.unused)
    }
}

impl CassetteBuilder {
    /// The mode asked for in code. The environment may override it: `CLEVERTIM_FIXTURES`
    /// always, `CI` forces a replay (see [`Mode`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// This mode, whatever the environment says (for tests of the fixtures themselves, or tools
    /// that re-record on purpose).
    pub fn force_mode(mut self, mode: Mode) -> Self {
        self.forced = Some(mode);
        self
    }

    /// The transport that records: requests with no recorded answer are sent through it.
    /// Never called in a replay.
    pub fn inner(self, transport: impl Transport + 'static) -> Self {
        self.inner_arc(Arc::new(transport))
    }

    /// Like [`inner`](Self::inner), for a shared transport.
    pub fn inner_arc(mut self, transport: Arc<dyn Transport>) -> Self {
        self.inner = Some(transport);
        self
    }

    /// A value that must never reach disk (e.g. the API key): replaced by
    /// [`SECRET_PLACEHOLDER`] wherever it appears (path, query, headers and bodies of requests
    /// and responses), as are its Basic-credential forms. Empty values are ignored.
    pub fn secret(self, secret: impl AsRef<str>) -> Self {
        self.secret_as(secret, SECRET_PLACEHOLDER)
    }

    /// Like [`secret`](Self::secret), with a placeholder of your choice.
    pub fn secret_as(mut self, secret: impl AsRef<str>, placeholder: impl AsRef<str>) -> Self {
        self.secrets.add(secret.as_ref(), placeholder.as_ref());
        self
    }

    /// Adds a matcher to the defaults (method, path, query, body).
    pub fn matcher(mut self, matcher: impl Matcher + 'static) -> Self {
        self.matchers.push(Box::new(matcher));
        self
    }

    /// Drops the default matchers; only those added with [`matcher`](Self::matcher) after
    /// this call apply (none at all: any request matches the next unused interaction).
    pub fn without_default_matchers(mut self) -> Self {
        self.matchers.clear();
        self
    }

    /// Lets a recorded interaction answer again once every match is used (the last match is
    /// replayed). Off by default: each recorded answer is replayed once.
    pub fn allow_playback_repeats(mut self, allow: bool) -> Self {
        self.allow_repeats = allow;
        self
    }

    /// A hook that sees each recorded interaction (request and response together, already
    /// scrubbed of secrets) and may change it before it is kept and written, e.g. to blank
    /// a value that changes on every recording. Secrets are scrubbed again after it runs.
    ///
    /// Replays match against what the hook left, so a hook that changes the request may need
    /// a custom matcher.
    pub fn before_save(mut self, hook: impl Fn(&mut Interaction) + Send + Sync + 'static) -> Self {
        self.before_save = Some(Box::new(hook));
        self
    }

    /// Keeps this request header (case-insensitive) in recorded interactions, besides
    /// `accept` and `content-type`. `authorization` is never kept.
    pub fn record_request_header(mut self, name: impl AsRef<str>) -> Self {
        self.request_headers
            .push(name.as_ref().to_ascii_lowercase());
        self
    }

    /// Keeps this response header (case-insensitive), besides `content-type`.
    pub fn record_response_header(mut self, name: impl AsRef<str>) -> Self {
        self.response_headers
            .push(name.as_ref().to_ascii_lowercase());
        self
    }

    /// The `recorded_with` written in the header (default `clevertim-fixtures <version>`).
    pub fn recorded_with(mut self, recorded_with: impl Into<String>) -> Self {
        self.recorded_with = recorded_with.into();
        self
    }

    /// Resolves the mode, loads the cassette if the mode replays, and checks that a recording
    /// mode has an inner transport.
    ///
    /// Fails on a bad `CLEVERTIM_FIXTURES`, a missing file in `replay`, an unreadable or
    /// corrupt file, or a recording mode without an inner transport.
    pub fn build(self) -> Result<Cassette, FixtureError> {
        let mode = match self.forced {
            Some(mode) => mode,
            None => Mode::from_env_or(self.mode)?,
        };
        let path = self.path;
        let loaded = match mode {
            Mode::Rerecord => None,
            Mode::Replay | Mode::Once | Mode::NewEpisodes => load(&path)?,
        };
        let behaviour = match (mode, &loaded) {
            (Mode::Replay, None) => return Err(FixtureError::Missing { path }),
            (Mode::Replay, Some(_)) | (Mode::Once, Some(_)) => Behaviour::Replay,
            (Mode::Once, None) | (Mode::Rerecord, _) => Behaviour::Record,
            (Mode::NewEpisodes, _) => Behaviour::NewEpisodes,
        };
        if behaviour != Behaviour::Replay && self.inner.is_none() {
            return Err(FixtureError::NoInner { path, mode });
        }
        let slots = loaded
            .map(|file| file.interactions)
            .unwrap_or_default()
            .into_iter()
            .map(|interaction| Slot {
                interaction,
                uses: 0,
            })
            .collect();
        tracing::debug!(cassette = %path.display(), %mode, ?behaviour, "cassette opened");
        Ok(Cassette {
            shared: Arc::new(Shared {
                path,
                mode,
                behaviour,
                inner: self.inner,
                secrets: self.secrets,
                matchers: self.matchers,
                allow_repeats: self.allow_repeats,
                before_save: self.before_save,
                request_headers: self.request_headers,
                response_headers: self.response_headers,
                recorded_with: self.recorded_with,
                state: Mutex::new(State {
                    slots,
                    ..State::default()
                }),
            }),
        })
    }
}

impl CassetteFile {
    /// Reads and checks the cassette at `path` (e.g. to list or snapshot recorded cassettes).
    ///
    /// Fails with [`FixtureError::Missing`] if there is no such file, and with a typed error
    /// naming the file if it cannot be read or is not a valid cassette.
    pub fn read(path: impl AsRef<Path>) -> Result<CassetteFile, FixtureError> {
        let path = path.as_ref();
        load(path)?.ok_or_else(|| FixtureError::Missing {
            path: path.to_owned(),
        })
    }
}

/// Reads and checks a cassette; `None` if the file does not exist.
fn load(path: &Path) -> Result<Option<CassetteFile>, FixtureError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(FixtureError::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    let corrupt = |message: String| FixtureError::Corrupt {
        path: path.to_owned(),
        message,
    };
    #[derive(serde::Deserialize)]
    struct Header {
        format_version: u32,
    }
    let header: Header = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    if header.format_version > FORMAT_VERSION || header.format_version == 0 {
        return Err(FixtureError::UnsupportedVersion {
            path: path.to_owned(),
            found: header.format_version,
            supported: FORMAT_VERSION,
        });
    }
    let file: CassetteFile = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    for (i, interaction) in file.interactions.iter().enumerate() {
        interaction
            .response
            .to_http()
            .map_err(|e| corrupt(format!("interaction #{i}: response: {e}")))?;
        interaction
            .request
            .body
            .to_bytes()
            .map_err(|e| corrupt(format!("interaction #{i}: request: {e}")))?;
        http::Method::from_bytes(interaction.request.method.as_bytes()).map_err(|_| {
            corrupt(format!(
                "interaction #{i}: invalid method {:?}",
                interaction.request.method
            ))
        })?;
    }
    tracing::debug!(cassette = %path.display(), interactions = file.interactions.len(), "cassette loaded");
    Ok(Some(file))
}

/// `response` if its body is within `limit`; else the error a real transport would give.
fn within_limit(
    response: http::Response<Bytes>,
    limit: BodyLimit,
) -> Result<http::Response<Bytes>, TransportError> {
    limit.check_length(u64::try_from(response.body().len()).unwrap_or(u64::MAX))?;
    Ok(response)
}

/// Why one recorded interaction is not the answer.
struct Candidate {
    index: usize,
    request: String,
    reasons: Vec<String>,
    score: usize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn handle(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        // A replay honours the limit as a real transport would (`record` hands the request,
        // extensions and all, to the inner transport, which enforces it there).
        let limit = BodyLimit::of(&request);
        let mut sent = RecordedRequest::from_http(&request);
        self.secrets.scrub_request(&mut sent);
        self.lock().sent.push(sent.clone());
        match self.behaviour {
            Behaviour::Record => self.record(request, sent).await,
            Behaviour::Replay => match self.find(&sent) {
                Ok(response) => within_limit(response, limit),
                Err(candidates) => Err(self.unmatched(&sent, candidates)),
            },
            Behaviour::NewEpisodes => match self.find(&sent) {
                Ok(response) => within_limit(response, limit),
                Err(_) => self.record(request, sent).await,
            },
        }
    }

    /// The recorded answer to `sent`, marked used; or why none fits.
    fn find(&self, sent: &RecordedRequest) -> Result<http::Response<Bytes>, Vec<Candidate>> {
        let mut state = self.lock();
        let mut candidates = Vec::new();
        let mut repeat = None;
        let mut chosen = None;
        for (index, slot) in state.slots.iter().enumerate() {
            let recorded = &slot.interaction.request;
            let reasons: Vec<String> = self
                .matchers
                .iter()
                .filter_map(|m| m.check(sent, recorded).err())
                .map(|m| m.to_string())
                .collect();
            if reasons.is_empty() {
                if slot.uses == 0 {
                    chosen = Some(index);
                    break;
                }
                repeat = Some(index);
                candidates.push(Candidate {
                    index,
                    request: recorded.to_string(),
                    reasons: vec![format!(
                        "already used (identical requests replay each recorded answer once; \
                         see allow_playback_repeats)"
                    )],
                    score: 0,
                });
            } else {
                candidates.push(Candidate {
                    index,
                    request: recorded.to_string(),
                    score: reasons.len(),
                    reasons,
                });
            }
        }
        let index = match (chosen, repeat) {
            (Some(index), _) => index,
            (None, Some(index)) if self.allow_repeats => index,
            _ => return Err(candidates),
        };
        let slot = &mut state.slots[index];
        slot.uses += 1;
        tracing::debug!(cassette = %self.path.display(), index, request = %sent, "replayed");
        // Checked when loaded; recorded ones come from real responses.
        slot.interaction.response.to_http().map_err(|e| {
            vec![Candidate {
                index,
                request: e,
                reasons: vec!["the recorded response is invalid".into()],
                score: 0,
            }]
        })
    }

    fn unmatched(&self, sent: &RecordedRequest, mut candidates: Vec<Candidate>) -> TransportError {
        candidates.sort_by_key(|c| (c.score, c.index));
        let total = self.lock().slots.len();
        let mut message = format!(
            "clevertim-fixtures: no recorded interaction matches this request\n  \
             cassette: {} (mode: {}, {total} interaction(s))\n  request:  {sent}\n",
            self.path.display(),
            self.mode,
        );
        if candidates.is_empty() {
            message.push_str("the cassette holds no interaction\n");
        } else {
            message.push_str("closest recorded interactions:\n");
            for c in candidates.iter().take(3) {
                message.push_str(&format!(
                    "  #{} {}\n      {}\n",
                    c.index,
                    c.request,
                    c.reasons.join("; ")
                ));
            }
        }
        message.push_str(&format!(
            "to re-record it: {MODE_ENV}=rerecord cargo test ... \
             (or {MODE_ENV}=new to record only what is missing)"
        ));
        tracing::warn!(cassette = %self.path.display(), request = %sent, "unmatched request");
        TransportError::new(TransportErrorKind::Other, message)
    }

    async fn record(
        &self,
        request: http::Request<Bytes>,
        sent: RecordedRequest,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let inner = self.inner.as_ref().ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("cassette {} has no inner transport", self.path.display()),
            )
        })?;
        let response = inner.send(request).await.map_err(|e| {
            if matches!(
                e.kind(),
                TransportErrorKind::Connect | TransportErrorKind::Tls
            ) {
                // Most often the first run of a test with no server at hand: say what to set.
                let message = format!(
                    "cassette {} is recording (mode: {}) and the server could not be reached: \
                     {e}\n  to record, give the test a reachable server and its key (the \
                     variables your test reads, e.g. CLEVERTIM_ENDPOINT and CLEVERTIM_API_KEY); \
                     to replay only, commit the cassette and set {MODE_ENV}=replay",
                    self.path.display(),
                    self.mode,
                );
                e.context(message)
            } else {
                e
            }
        })?;
        let mut stored = sent;
        stored.headers.retain(|name, _| {
            name != "authorization" && self.request_headers.iter().any(|k| k == name)
        });
        let mut interaction = Interaction {
            request: stored,
            response: RecordedResponse {
                headers: keep_headers(response.headers(), &self.response_headers),
                ..RecordedResponse::from_http(&response, &[])
            },
        };
        self.secrets.scrub_interaction(&mut interaction);
        if let Some(hook) = &self.before_save {
            hook(&mut interaction);
            self.secrets.scrub_interaction(&mut interaction);
        }
        tracing::debug!(cassette = %self.path.display(), request = %interaction.request, status = interaction.response.status, "recorded");
        let mut state = self.lock();
        state.slots.push(Slot {
            interaction,
            uses: 1,
        });
        state.unsaved += 1;
        Ok(response)
    }

    /// Writes the cassette atomically: a temporary file in the same directory, then a rename.
    fn write(&self, state: &State) -> Result<(), FixtureError> {
        let path = &self.path;
        let write_err = |source: std::io::Error| FixtureError::Write {
            path: path.clone(),
            source,
        };
        let file = CassetteFile {
            format_version: FORMAT_VERSION,
            recorded_with: self.recorded_with.clone(),
            interactions: state.slots.iter().map(|s| s.interaction.clone()).collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| write_err(e.into()))?;
        text.push('\n');
        let findings = scan_for_secrets(&text, &self.secrets.raw());
        if !findings.is_empty() {
            return Err(FixtureError::SecretLeak {
                path: path.clone(),
                what: findings.join(", "),
            });
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(write_err)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write_err)?;
        tmp.write_all(text.as_bytes()).map_err(write_err)?;
        tmp.as_file().sync_all().map_err(write_err)?;
        tmp.persist(path).map_err(|e| write_err(e.error))?;
        tracing::info!(cassette = %path.display(), interactions = file.interactions.len(), "cassette written");
        Ok(())
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        let pending = match self.behaviour {
            Behaviour::Replay => false,
            Behaviour::Record => !state.finished || state.unsaved > 0,
            Behaviour::NewEpisodes => state.unsaved > 0,
        };
        if pending {
            let why = if std::thread::panicking() {
                "the test panicked"
            } else {
                "Cassette::finish was not called"
            };
            tracing::warn!(
                cassette = %self.path.display(),
                "cassette not written: {why}; {} recorded interaction(s) discarded",
                state.unsaved
            );
            if !std::thread::panicking() {
                // Visible in test output even without a tracing subscriber.
                eprintln!(
                    "clevertim-fixtures: cassette {} not written: {why}; {} recorded \
                     interaction(s) discarded",
                    self.path.display(),
                    state.unsaved
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
        Box::pin(self.shared.handle(request))
    }
}
