//! The cassette file on disk: reading and checking one, writing one atomically.

use std::io::Write as _;
use std::path::Path;

use super::builder::Settings;
use super::handle::Episode;
use crate::FixtureError;
use crate::format::{CassetteFile, FORMAT_VERSION};
use crate::secrets::scan_for_secrets;

impl CassetteFile {
    /// Reads and checks the cassette at `path` (e.g. to list or snapshot recorded cassettes).
    ///
    /// ```
    /// use clevertim_fixtures::CassetteFile;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("empty.json");
    /// std::fs::write(&path, r#"{"format_version": 1, "recorded_with": "me", "interactions": []}"#)?;
    /// assert_eq!(CassetteFile::read(&path)?.recorded_with, "me");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`FixtureError::Missing`] if there is no such file; [`FixtureError::Read`],
    /// [`FixtureError::Corrupt`] or [`FixtureError::UnsupportedVersion`], naming the file, if it
    /// cannot be read or is not a valid cassette.
    pub fn read(path: impl AsRef<Path>) -> Result<CassetteFile, FixtureError> {
        let path = path.as_ref();
        load(path)?.ok_or_else(|| FixtureError::Missing {
            path: path.to_owned(),
        })
    }
}

/// Reads and checks a cassette; `None` if the file does not exist.
pub(super) fn load(path: &Path) -> Result<Option<CassetteFile>, FixtureError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(FixtureError::Read {
                path: path.to_owned(),
                source,
            });
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

/// Writes the cassette atomically: a temporary file in the same directory, then a rename.
/// Refuses (and writes nothing) if a secret survived the scrubbing.
pub(super) fn write(settings: &Settings, episodes: &[Episode]) -> Result<(), FixtureError> {
    let path = &settings.path;
    let write_err = |source: std::io::Error| FixtureError::Write {
        path: path.clone(),
        source,
    };
    let file = CassetteFile {
        format_version: FORMAT_VERSION,
        recorded_with: settings.recorded_with.clone(),
        interactions: episodes.iter().map(|e| e.interaction.clone()).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| write_err(e.into()))?;
    text.push('\n');
    let findings = scan_for_secrets(&text, &settings.secrets.raw());
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
