//! What [`Cassette::finish`](super::Cassette::finish) did, and the interactions never used.

use std::path::{Path, PathBuf};

use super::handle::Episode;
use crate::format::RecordedRequest;
use crate::{FixtureError, Mode};

/// What [`Cassette::finish`](super::Cassette::finish) did and found.
///
/// ```
/// use bytes::Bytes;
/// use clevertim_core::{transport_fn, Contact, Session};
/// use clevertim_fixtures::{Cassette, Mode};
///
/// # futures_util::future::FutureExt::now_or_never(async {
/// let dir = tempfile::tempdir()?;
/// let server = transport_fn(|_request: http::Request<Bytes>| async {
///     Ok(http::Response::new(Bytes::from(r#"{"status":"OK","content":[{"id":4}]}"#)))
/// });
/// let cassette = Cassette::builder(dir.path().join("report.json"))
///     .force_mode(Mode::Rerecord)
///     .inner(server)
///     .build()?;
/// let session = Session::builder("KEY").transport(cassette.clone()).build()?;
/// session.load::<Contact>(4).await?;
///
/// let report = cassette.finish()?;
/// assert!(report.written());
/// assert_eq!((report.mode(), report.interactions()), (Mode::Rerecord, 1));
/// assert!(report.unused().is_empty());
/// report.assert_all_used()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub(super) path: PathBuf,
    pub(super) mode: Mode,
    pub(super) written: bool,
    pub(super) interactions: usize,
    pub(super) unused: Vec<UnusedInteraction>,
}

/// A recorded interaction that no request used: see [`Report::unused`].
///
/// ```
/// # fn show(report: &clevertim_fixtures::Report) {
/// for unused in report.unused() {
///     eprintln!("#{} {} was never replayed", unused.index, unused.request);
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnusedInteraction {
    /// Its position in the cassette (from 0).
    pub index: usize,
    /// Its request.
    pub request: RecordedRequest,
}

impl Report {
    /// The cassette file.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// println!("cassette: {}", report.path().display());
    /// # Ok(()) }
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mode in effect.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// println!("finished in mode {}", report.mode());
    /// # Ok(()) }
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether the file was (re)written by this finish.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// if report.written() {
    ///     println!("commit {}", report.path().display());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn written(&self) -> bool {
        self.written
    }

    /// How many interactions the cassette holds.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// assert!(report.interactions() >= report.unused().len());
    /// # Ok(()) }
    /// ```
    pub fn interactions(&self) -> usize {
        self.interactions
    }

    /// The recorded interactions that were never used.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// for unused in report.unused() {
    ///     eprintln!("never replayed: #{} {}", unused.index, unused.request);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn unused(&self) -> &[UnusedInteraction] {
        &self.unused
    }

    /// Checks that every interaction was used.
    ///
    /// # Errors
    ///
    /// [`FixtureError::Unused`], listing them, if any interaction was never used.
    ///
    /// ```
    /// # fn demo(report: &clevertim_fixtures::Report) -> Result<(), clevertim_fixtures::FixtureError> {
    /// report.assert_all_used()?;
    /// # Ok(()) }
    /// ```
    pub fn assert_all_used(&self) -> Result<(), FixtureError> {
        check_all_used(&self.path, &self.unused)
    }
}

/// The episodes never replayed (nor recorded in this run), with their positions.
pub(super) fn unused(episodes: &[Episode]) -> Vec<UnusedInteraction> {
    episodes
        .iter()
        .enumerate()
        .filter(|(_, e)| e.uses == 0)
        .map(|(index, e)| UnusedInteraction {
            index,
            request: e.interaction.request.clone(),
        })
        .collect()
}

/// [`FixtureError::Unused`] listing `unused`, if there are any.
pub(super) fn check_all_used(
    path: &Path,
    unused: &[UnusedInteraction],
) -> Result<(), FixtureError> {
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
