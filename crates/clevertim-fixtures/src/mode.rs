//! Modes: when a cassette records and when it replays.

use std::fmt;
use std::str::FromStr;

use crate::FixtureError;

/// The environment variable that overrides the mode: `replay`, `once`, `new` or `rerecord`.
///
/// ```
/// use clevertim_fixtures::{Mode, MODE_ENV};
/// // What `CLEVERTIM_FIXTURES=new cargo test` asks for:
/// assert_eq!(MODE_ENV, "CLEVERTIM_FIXTURES");
/// assert_eq!(Mode::resolve(Some("new"), None, Some(Mode::Replay))?, Mode::NewEpisodes);
/// # Ok::<(), clevertim_fixtures::FixtureError>(())
/// ```
pub const MODE_ENV: &str = "CLEVERTIM_FIXTURES";

/// When a [`Cassette`](crate::Cassette) records and when it replays.
///
/// The mode in effect is chosen by [`Mode::resolve`], in this order:
///
/// 1. the environment variable `CLEVERTIM_FIXTURES` when it is set and not empty
///    (`replay`, `once`, `new` or `rerecord`; anything else is an error);
/// 2. [`Mode::Replay`] when the `CI` environment variable is set (to anything but empty, `0` or
///    `false`): CI never touches the network, whatever the code asks;
/// 3. the mode given in code with [`CassetteBuilder::mode`](crate::CassetteBuilder::mode);
/// 4. [`Mode::Once`].
///
/// [`CassetteBuilder::force_mode`](crate::CassetteBuilder::force_mode) bypasses all of this.
///
/// ```
/// use clevertim_fixtures::{Cassette, Mode};
/// // Record what is missing when run locally; CI still only replays.
/// let builder = Cassette::builder("tests/fixtures/contacts.json").mode(Mode::NewEpisodes);
/// # let _ = builder;
/// assert_eq!("rerecord".parse::<Mode>()?, Mode::Rerecord);
/// assert_eq!(Mode::NewEpisodes.to_string(), "new");
/// # Ok::<(), clevertim_fixtures::FixtureError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Only replay; never call the inner transport. A request with no recorded answer fails.
    Replay,
    /// Record when the cassette file is missing, else replay.
    Once,
    /// Replay what matches, record (and append) what does not.
    #[serde(rename = "new")]
    NewEpisodes,
    /// Record everything afresh; the old cassette is replaced on [`finish`](crate::Cassette::finish).
    Rerecord,
}

impl Mode {
    /// The mode in effect, from the environment and the mode given in code (see [`Mode`]).
    ///
    /// ```
    /// use clevertim_fixtures::Mode;
    /// let mode = Mode::from_env_or(Some(Mode::Once))?;
    /// println!("cassettes run in mode {mode}");
    /// # Ok::<(), clevertim_fixtures::FixtureError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FixtureError::InvalidMode`] when `CLEVERTIM_FIXTURES` holds an unknown value.
    pub fn from_env_or(code: Option<Mode>) -> Result<Mode, FixtureError> {
        let env = std::env::var(MODE_ENV).ok();
        let ci = std::env::var("CI").ok();
        Mode::resolve(env.as_deref(), ci.as_deref(), code)
    }

    /// The pure rule behind [`Mode::from_env_or`]: `env` is the value of `CLEVERTIM_FIXTURES`,
    /// `ci` the value of `CI`, `code` the mode asked for in code.
    ///
    /// ```
    /// use clevertim_fixtures::Mode;
    /// assert_eq!(Mode::resolve(Some("rerecord"), Some("true"), None)?, Mode::Rerecord);
    /// assert_eq!(Mode::resolve(None, Some("true"), Some(Mode::Once))?, Mode::Replay);
    /// assert_eq!(Mode::resolve(None, None, Some(Mode::NewEpisodes))?, Mode::NewEpisodes);
    /// assert_eq!(Mode::resolve(None, Some("false"), None)?, Mode::Once);
    /// # Ok::<(), clevertim_fixtures::FixtureError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`FixtureError::InvalidMode`] when `env` is set to an unknown value.
    pub fn resolve(
        env: Option<&str>,
        ci: Option<&str>,
        code: Option<Mode>,
    ) -> Result<Mode, FixtureError> {
        if let Some(value) = env.map(str::trim).filter(|v| !v.is_empty()) {
            return value.parse();
        }
        let ci = ci
            .map(str::trim)
            .is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
        if ci {
            return Ok(Mode::Replay);
        }
        Ok(code.unwrap_or(Mode::Once))
    }

    /// The name used by `CLEVERTIM_FIXTURES` and in messages.
    ///
    /// ```
    /// assert_eq!(clevertim_fixtures::Mode::Replay.as_str(), "replay");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Replay => "replay",
            Mode::Once => "once",
            Mode::NewEpisodes => "new",
            Mode::Rerecord => "rerecord",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = FixtureError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "replay" | "none" => Ok(Mode::Replay),
            "once" => Ok(Mode::Once),
            "new" | "new_episodes" | "new-episodes" | "newepisodes" => Ok(Mode::NewEpisodes),
            "rerecord" | "all" | "record" => Ok(Mode::Rerecord),
            _ => Err(FixtureError::InvalidMode {
                value: s.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_wins_then_ci_then_code_then_once() {
        assert_eq!(
            Mode::resolve(Some("new"), Some("1"), Some(Mode::Replay)).unwrap(),
            Mode::NewEpisodes
        );
        assert_eq!(
            Mode::resolve(Some(" "), Some("1"), Some(Mode::Rerecord)).unwrap(),
            Mode::Replay
        );
        assert_eq!(
            Mode::resolve(None, Some("0"), Some(Mode::Rerecord)).unwrap(),
            Mode::Rerecord
        );
        assert_eq!(Mode::resolve(None, Some(""), None).unwrap(), Mode::Once);
        assert_eq!(Mode::resolve(None, None, None).unwrap(), Mode::Once);
    }

    #[test]
    fn bad_env_value_is_a_typed_error() {
        let err = Mode::resolve(Some("recrod"), None, None).unwrap_err();
        assert!(matches!(err, FixtureError::InvalidMode { ref value } if value == "recrod"));
        assert!(err.to_string().contains("replay, once, new, rerecord"));
    }

    #[test]
    fn names_round_trip() {
        for mode in [Mode::Replay, Mode::Once, Mode::NewEpisodes, Mode::Rerecord] {
            assert_eq!(mode.as_str().parse::<Mode>().unwrap(), mode);
        }
    }
}
