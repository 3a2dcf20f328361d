//! The one error type of this crate.

use std::path::PathBuf;

use crate::Mode;

/// What went wrong while opening, checking or writing a cassette.
///
/// Every variant names the cassette file. None ever holds a secret: requests are scrubbed before
/// they are described. `Debug` prints the same text as `Display`, so that a test returning
/// `Result` shows a multi-line report (unused interactions, candidates) as lines.
///
/// ```
/// use clevertim_fixtures::{Cassette, FixtureError, Mode};
/// let err = Cassette::builder("tests/fixtures/never_recorded.json")
///     .force_mode(Mode::Replay)
///     .build()
///     .unwrap_err();
/// match &err {
///     FixtureError::Missing { path } => assert!(path.ends_with("never_recorded.json")),
///     other => panic!("unexpected {other}"),
/// }
/// // What to do is in the message, through `Display` and `Debug` alike.
/// assert!(format!("{err:?}").contains("CLEVERTIM_FIXTURES=once"));
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The cassette file exists but could not be read.
    #[error("cannot read cassette {}: {source}", path.display())]
    Read {
        /// The cassette file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The cassette file is not a valid cassette (bad JSON, bad status, bad base64, …).
    #[error("cassette {} is corrupt: {message}", path.display())]
    Corrupt {
        /// The cassette file.
        path: PathBuf,
        /// What is wrong and where.
        message: String,
    },
    /// The cassette was written by a newer version of this crate.
    #[error(
        "cassette {} has format_version {found}; this clevertim-fixtures reads up to {supported}",
        path.display()
    )]
    UnsupportedVersion {
        /// The cassette file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The newest version this crate reads.
        supported: u32,
    },
    /// Replay mode, and the cassette file does not exist.
    #[error(
        "cassette {} does not exist and the mode is `replay`; record it with \
         `CLEVERTIM_FIXTURES=once cargo test ...` (needs access to the server)",
        path.display()
    )]
    Missing {
        /// The cassette file.
        path: PathBuf,
    },
    /// `CLEVERTIM_FIXTURES` (or a parsed mode) holds an unknown value.
    #[error("invalid fixtures mode {value:?}: expected one of replay, once, new, rerecord")]
    InvalidMode {
        /// The value that was given.
        value: String,
    },
    /// The mode needs to record, and no inner transport was given to the builder.
    #[error(
        "cassette {} must record in mode `{mode}` but has no inner transport \
         (give one with `CassetteBuilder::inner`)",
        path.display()
    )]
    NoInner {
        /// The cassette file.
        path: PathBuf,
        /// The effective mode.
        mode: Mode,
    },
    /// The cassette could not be written.
    #[error("cannot write cassette {}: {source}", path.display())]
    Write {
        /// The cassette file.
        path: PathBuf,
        /// The I/O or serialisation error.
        #[source]
        source: std::io::Error,
    },
    /// A secret was still present in the cassette after scrubbing; nothing was written.
    #[error("refusing to write cassette {}: it would contain {what}", path.display())]
    SecretLeak {
        /// The cassette file.
        path: PathBuf,
        /// What was found (never the secret itself).
        what: String,
    },
    /// Some recorded interactions were never replayed (see [`Report::assert_all_used`](crate::Report::assert_all_used)).
    #[error("cassette {}: {count} recorded interaction(s) never used:\n{list}", path.display())]
    Unused {
        /// The cassette file.
        path: PathBuf,
        /// How many were not used.
        count: usize,
        /// One line per unused interaction.
        list: String,
    },
}

impl std::fmt::Debug for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}
